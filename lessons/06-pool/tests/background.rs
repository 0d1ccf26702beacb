//! The pool works in the background, never hangs, never spins, and blames only the task that was
//! lost. Gates order every event; nothing waits on a clock.

mod common;

use std::process::ExitCode;
use std::time::Duration;

use common::{REGISTRY, gated, next_start, open_gate, pid_after_gate, raw_pipe, square, wait_for_gate};
use lesson_03_process::Process;
use lesson_06_pool::{Pool, PoolError};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use testkit::sandbox::check_in_runner;

// ANCHOR: background
/// With its only worker busy, a second task is submitted; the caller then makes no call into the
/// pool. It opens the first task's gate and reads, from its own pipe, that the second task started.
fn a_task_starts_while_the_caller_does_nothing_with_the_pool() {
    check_in_runner(|v| {
        let (report_read, report_write) = raw_pipe();
        let (first_gate, second_gate) = (raw_pipe(), raw_pipe());
        let pool = Pool::new(Some(1)).expect("pool");
        let first = pool.apply_async(gated, (report_write, first_gate.0, 0)).expect("submit");
        let second = pool.apply_async(gated, (report_write, second_gate.0, 1)).expect("submit");
        let (task, worker) = next_start(report_read);
        open_gate(first_gate.1);
        // No pool call here: the worker takes the second task from the shared queue by itself.
        let (next, same_worker) = next_start(report_read);
        if (task, next) != (0, 1) || worker != same_worker {
            v.push(format!("started {task} on {worker}, then {next} on {same_worker}"));
        }
        open_gate(second_gate.1);
        if (first.get(), second.get()) != (Ok(0), Ok(1)) {
            v.push("the tasks did not both succeed".into());
        }
    });
}
// ANCHOR_END: background

// ANCHOR: join
/// `join` returns once the pool's own workers have ended, while a second pool's worker and a
/// chapter-3 `Process`, both forked while the first pool lived and so holding copies of its
/// descriptors, still run.
fn join_returns_while_other_processes_hold_the_pools_descriptors() {
    check_in_runner(|v| {
        let (gate_read, gate_write) = raw_pipe();
        let first = Pool::new(Some(2)).expect("pool");
        let mapped = first.map(square, 0..10u64);
        let second = Pool::new(Some(1)).expect("a second pool");
        let waiting = second.apply_async(wait_for_gate, gate_read).expect("submit");
        let mut process = Process::new(move || {
            wait_for_gate(gate_read);
        });
        process.start().expect("start a process");
        first.close();
        if first.join().is_err() || !first.pids().is_empty() || mapped.is_err() {
            v.push(format!("join of the first pool failed: {mapped:?}, {:?}", first.pids()));
        }
        if second.pids().len() != 1 || process.is_alive() != Ok(true) {
            v.push("the other processes ended too soon".into());
        }
        open_gate(gate_write);
        open_gate(gate_write);
        if waiting.get() != Ok(1) || process.join() != Ok(0) {
            v.push("the second pool's task or the process did not finish".into());
        }
    });
}
// ANCHOR_END: join

// ANCHOR: killed
/// Thirty times over: the only worker is killed while idle, then a task is submitted. The task
/// runs on the replacement; none fails.
fn an_idle_worker_killed_before_a_submit_costs_no_task() {
    check_in_runner(|v| {
        let pool = Pool::new(Some(1)).expect("pool");
        for round in 0..30u64 {
            let pid = pool.pids()[0];
            let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
            let got = pool.apply(square, round);
            if got != Ok(round * round) {
                v.push(format!("round {round}: a task submitted after an idle worker died gave {got:?}"));
            }
        }
    });
}

/// Two tasks run, two wait in the queue; the worker of the first is killed. The first fails with
/// "killed by SIGKILL"; the other three succeed.
fn a_worker_killed_mid_task_fails_only_its_own_task() {
    check_in_runner(|v| {
        let (report_read, report_write) = raw_pipe();
        let gates: Vec<(i32, i32)> = (0..4).map(|_| raw_pipe()).collect();
        let pool = Pool::new(Some(2)).expect("pool");
        let results: Vec<_> = (0..4)
            .map(|i| pool.apply_async(gated, (report_write, gates[i].0, i as u32)).expect("submit"))
            .collect();
        let (a, b) = (next_start(report_read), next_start(report_read));
        let (victim, survivor) = if a.0 == 0 { (a, b) } else { (b, a) };
        let _ = kill(Pid::from_raw(victim.1), Signal::SIGKILL);
        let lost = results[0].get();
        if lost != Err(PoolError::WorkerDied("killed by SIGKILL".into())) {
            v.push(format!("the killed worker's task gave {lost:?}"));
        }
        for (index, gate) in gates.iter().enumerate().skip(1) {
            open_gate(gate.1);
            let got = results[index].get();
            if got != Ok(index as u32) {
                v.push(format!("task {index} gave {got:?}"));
            }
        }
        if survivor.0 != 1 {
            v.push(format!("the second task to start was {}", survivor.0));
        }
    });
}
// ANCHOR_END: killed

// ANCHOR: no_workers
/// When no worker can be started — here the pool's process has a second thread, so a fork is
/// refused — a queued task fails with an error that says why, after a bounded number of tries,
/// and so does every later submission.
fn a_pool_that_cannot_start_workers_fails_its_tasks() {
    check_in_runner(|v| {
        let (gate_read, gate_write) = raw_pipe();
        let pool = Pool::new(Some(1)).expect("pool");
        let thread = std::thread::spawn(move || wait_for_gate(gate_read));
        let _ = kill(Pid::from_raw(pool.pids()[0]), Signal::SIGKILL);
        let expected = PoolError::NoWorkers(Box::new(PoolError::Threaded(2)));
        let queued = pool.apply(square, 3);
        if queued != Err(expected.clone()) {
            v.push(format!("a task with no worker to run it gave {queued:?}"));
        }
        let later = pool.apply_async(square, 4).err();
        if later != Some(expected) {
            v.push(format!("a later submission gave {later:?}"));
        }
        open_gate(gate_write);
        let _ = thread.join();
        if later.is_some_and(|e| !e.to_string().contains("refusing to fork a worker")) {
            v.push("the error does not say why".into());
        }
    });
}
// ANCHOR_END: no_workers

/// CPU time this process has used so far (user and system).
fn cpu_time() -> Duration {
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_SELF).expect("getrusage");
    let of = |t: nix::sys::time::TimeVal| Duration::new(t.tv_sec() as u64, t.tv_usec() as u32 * 1000);
    of(usage.user_time()) + of(usage.system_time())
}

// ANCHOR: no_spin
/// Waiting on a result that does not come sleeps: half a second of `get_timeout`, `wait_timeout`
/// and `ready` polling on a gated task uses under a tenth of that in CPU time.
fn waiting_burns_no_cpu() {
    check_in_runner(|v| {
        let (gate_read, gate_write) = raw_pipe();
        let pool = Pool::new(Some(1)).expect("pool");
        let late = pool.apply_async(pid_after_gate, gate_read).expect("submit");
        let before = cpu_time();
        let timed_out = late.get_timeout(Duration::from_millis(250));
        let waited = late.wait_timeout(Duration::from_millis(250));
        let used = cpu_time() - before;
        if timed_out != Err(PoolError::Timeout) || waited || late.ready() {
            v.push("the gated task was ready before its gate opened".into());
        }
        if used > Duration::from_millis(50) {
            v.push(format!("waiting 500 ms used {used:?} of CPU"));
        }
        open_gate(gate_write);
        if late.get() != Ok(pool.pids()[0]) {
            v.push("the task did not finish on the pool's worker".into());
        }
    });
}
// ANCHOR_END: no_spin

fn main() -> ExitCode {
    lesson_05_start_methods::init(&REGISTRY);
    testkit::harness::run(testkit::trials![
        a_task_starts_while_the_caller_does_nothing_with_the_pool,
        join_returns_while_other_processes_hold_the_pools_descriptors,
        an_idle_worker_killed_before_a_submit_costs_no_task,
        a_worker_killed_mid_task_fails_only_its_own_task,
        a_pool_that_cannot_start_workers_fails_its_tasks,
        waiting_burns_no_cpu,
    ])
}
