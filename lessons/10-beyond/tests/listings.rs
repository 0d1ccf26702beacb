//! Snapshot tests: every listing of chapter 10 runs as a real program, which starts the engine's
//! processes itself, over loopback only; what it printed, with pids normalised, is compared with
//! the reviewed snapshot the book shows. The Dask twins run where Dask is installed (always in CI).

use std::process::ExitCode;

use testkit::listing::Lesson;

const LESSON: Lesson = Lesson { package: "lesson-10-beyond", dir: env!("CARGO_MANIFEST_DIR") };

/// The Python package the Dask twins import.
const DASK: &str = "distributed";

/// Listing 10-1 over two timely processes, and `client.map` on a Dask cluster of two workers, print
/// the same squares in input order.
fn timely_map_and_dask_map_print_the_same_squares() {
    let run = LESSON.check("timely_map", "timely_map", env!("CARGO_BIN_EXE_timely_map"), &[], None);
    assert_eq!(run.output, "[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]\n");
    if let Some(twin) = LESSON.python_needing("dask_map", "dask_map.py", DASK) {
        assert_eq!(twin.output, run.output, "dask_map.py printed other lines than Listing 10-1");
    }
}

/// On timely, the exchange gives task 4 to task 0's worker before anything runs: it starts when task
/// 0 is done, in task 0's process, though tasks 2 and 3 freed their workers first.
fn timely_gives_task_4_to_the_worker_of_task_0() {
    let bin = env!("CARGO_BIN_EXE_timely_pool_of_four");
    let run = LESSON.check("timely_pool_of_four", "timely_pool_of_four", bin, &[], None);
    let lines: Vec<&str> = run.output.lines().collect();
    let task_0 = lines.iter().position(|l| l.starts_with("Run task 0")).expect("task 0 ran");
    let worker_of_0 = lines[task_0].trim_start_matches("Run task 0 ");
    let done_0 = lines.iter().position(|l| *l == "Task 0 is done.").expect("task 0 ended");
    assert_eq!(lines[done_0 + 1], format!("Run task 4 {worker_of_0}"), "{}", run.output);
    assert!(lines.iter().position(|l| *l == "Task 2 is done.") < Some(done_0));
}

/// On Dask, four tasks start at once in four worker processes, and task 4 runs in one of them once
/// a worker is free.
fn dask_runs_five_tasks_on_four_worker_processes() {
    if let Some(twin) = LESSON.python_needing("dask_pool_of_four", "dask_pool_of_four.py", DASK) {
        let starts = twin.output.lines().filter(|l| l.starts_with("Run task")).count();
        assert_eq!(starts, 5, "{}", twin.output);
        assert!(twin.output.contains("Run task 4 (one of those four processes)..."), "{}", twin.output);
    }
}

/// Killed mid-task on chapter 6's pool, item 3 fails alone and the items after it still come; on
/// CPython's pool, item 3 never comes, and `next` gives up only on its timeout.
fn our_pool_fails_the_lost_item_and_cpythons_waits_for_it() {
    let bin = env!("CARGO_BIN_EXE_pool_killed_worker");
    let run = LESSON.check("pool_killed_worker", "pool_killed_worker", bin, &[], None);
    assert!(run.output.contains("square(3): the worker running the task died (killed by SIGKILL)\n"));
    assert!(run.output.ends_with("square(4) = 16\nsquare(5) = 25\n"), "{}", run.output);
    if let Some(twin) = LESSON.python("pool_killed_worker", "pool_killed_worker.py") {
        assert!(
            twin.output.ends_with(
                "square(3): TimeoutError after 1 s; without the timeout, it would wait for ever\n"
            )
        );
    }
}

/// Killed mid-task on Dask, item 3 runs again in another process and the map ends with every
/// result; a task that kills its worker every time, with `allowed-failures` 1, ends in
/// `KilledWorker` after runs in more than one process.
fn dask_reruns_the_lost_item_then_gives_up_with_killed_worker() {
    if let Some(twin) = LESSON.python_needing("dask_killed_worker", "dask_killed_worker.py", DASK) {
        let out = &twin.output;
        let rerun = "item 3 runs in process P1\nkilled that process\nitem 3 runs in process P2\n";
        assert!(out.starts_with(&format!("allowed-failures: 3 by default, 1 here\n{rerun}")), "{out}");
        assert!(out.contains("square(3) = 9\nsquare(4) = 16\nsquare(5) = 25\n"), "{out}");
        let gave_up = "result(): KilledWorker\nit ran more than once, each time in another process: True\n";
        assert!(out.ends_with(gave_up), "{out}");
    }
}

/// Killing one process of a timely computation mid-task fails the whole computation: the other
/// process loses its connection, panics, and prints no results.
fn timely_fails_the_whole_computation_when_a_process_dies() {
    let bin = env!("CARGO_BIN_EXE_timely_killed_worker");
    let run = LESSON.check("timely_killed_worker", "timely_killed_worker", bin, &[], None);
    assert!(
        run.output.contains("process 0 failed\nprocess 0 said: timely communication error: reading data\n")
    );
    assert!(!run.output.contains("results"), "{}", run.output);
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        timely_map_and_dask_map_print_the_same_squares,
        timely_gives_task_4_to_the_worker_of_task_0,
        dask_runs_five_tasks_on_four_worker_processes,
        our_pool_fails_the_lost_item_and_cpythons_waits_for_it,
        dask_reruns_the_lost_item_then_gives_up_with_killed_worker,
        timely_fails_the_whole_computation_when_a_process_dies
    ])
}
