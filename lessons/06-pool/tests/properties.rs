//! Property tests of chapter 6's claims about `Pool`. Each runs in a sandbox runner (testkit), so a
//! pool that hangs fails its test instead of the run, and no worker can be left behind. Gates — pipes
//! the test writes to — decide when each task may finish; nothing waits on a clock.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, IntoRawFd};
use std::process::ExitCode;

use lesson_06_pool::{Pool, PoolError, PoolOptions, StartMethod};
use proptest::prelude::*;
use testkit::sandbox;

/// Runs `check` in a sandbox runner and fails the test with every violation it reported.
fn in_runner(check: impl FnOnce(&mut Vec<String>)) {
    sandbox::check_in_runner(check);
}

/// The gated task: report "task `index` started" on `report`, wait for a byte on `gate`, return `index`.
fn gated((report, gate, index): (i32, i32, u32)) -> u32 {
    // SAFETY: the test made these pipes before the pool forked this worker; the worker only borrows
    // the descriptors (ManuallyDrop), so they stay open for the next task.
    let (mut report, mut gate) = unsafe {
        (
            std::mem::ManuallyDrop::new(File::from_raw_fd(report)),
            std::mem::ManuallyDrop::new(File::from_raw_fd(gate)),
        )
    };
    let _ = report.write_all(&index.to_le_bytes());
    let _ = gate.read_exact(&mut [0u8; 1]);
    index
}

/// A pipe as raw descriptors (read, write), kept open for the whole test and inherited by workers.
fn raw_pipe() -> (i32, i32) {
    let (read, write) = nix::unistd::pipe().expect("pipe");
    (read.into_raw_fd(), write.into_raw_fd())
}

/// Reads one "task started" report.
fn next_start(report: i32) -> u32 {
    // SAFETY: `report` is the read end of the test's own report pipe; ManuallyDrop leaves it open.
    let mut file = std::mem::ManuallyDrop::new(unsafe { File::from_raw_fd(report) });
    let mut index = [0u8; 4];
    file.read_exact(&mut index).expect("a start report");
    u32::from_le_bytes(index)
}

// ANCHOR: queuing
fn queuing_case(k: usize, finish_order: Vec<usize>) {
    in_runner(|v| {
        let n = finish_order.len();
        let (report_read, report_write) = raw_pipe();
        let gates: Vec<(i32, i32)> = (0..n).map(|_| raw_pipe()).collect();
        let pool = Pool::new(Some(k)).expect("pool");
        let results: Vec<_> = (0..n)
            .map(|i| pool.apply_async(gated, (report_write, gates[i].0, i as u32)).expect("submit"))
            .collect();
        let mut started: Vec<u32> = (0..k.min(n)).map(|_| next_start(report_read)).collect();
        // Only a running task can finish: each step opens the gate of the running task that comes
        // first in `finish_order`, waits for its result, and sees which task starts in its place.
        let rank: HashMap<usize, usize> = finish_order.iter().enumerate().map(|(r, &j)| (j, r)).collect();
        let mut running: Vec<usize> = started.iter().map(|&i| i as usize).collect();
        while let Some(position) = (0..running.len()).min_by_key(|&p| rank[&running[p]]) {
            let j = running.swap_remove(position);
            // SAFETY: the gate's write end stays open for the whole test.
            let _ = nix::unistd::write(unsafe { std::os::fd::BorrowedFd::borrow_raw(gates[j].1) }, b"!");
            let got = results[j].get();
            if got != Ok(j as u32) {
                v.push(format!("task {j} gave {got:?}"));
            }
            if started.len() < n {
                let next = next_start(report_read);
                started.push(next);
                running.push(next as usize);
            }
        }
        // Replay what the pool recorded.
        let events = pool.events();
        let (mut running, mut finished, mut starts_before_any_finish) = (0usize, 0usize, None);
        let mut starts: HashMap<u64, usize> = HashMap::new();
        for event in &events {
            if event.started {
                running += 1;
                *starts.entry(event.job).or_default() += 1;
                if running > k {
                    v.push(format!("{running} tasks ran at once with {k} workers"));
                }
                if finished > 0 && starts.len() > k + finished {
                    v.push(format!("task {} started before a worker was free", event.job));
                }
            } else {
                running -= 1;
                finished += 1;
                starts_before_any_finish.get_or_insert(starts.len());
            }
        }
        let before = starts_before_any_finish.unwrap_or(starts.len());
        if before != k.min(n) {
            v.push(format!("{before} tasks started before any finished; expected min({k}, {n})"));
        }
        if starts.len() != n || starts.values().any(|&count| count != 1) || finished != n {
            v.push(format!("not every task ran exactly once: {starts:?}, {finished} finished"));
        }
        let reported: HashSet<u32> = started.into_iter().collect();
        if reported.len() != n {
            v.push(format!("{} distinct tasks reported starting, of {n}", reported.len()));
        }
        let workers: HashSet<i32> = events.iter().map(|e| e.worker).collect();
        if workers.len() > k {
            v.push(format!("{} distinct workers served {k}-worker pool", workers.len()));
        }
    });
}

fn queuing_inputs() -> impl Strategy<Value = (usize, Vec<usize>)> {
    (1usize..=8, 0usize..=40)
        .prop_flat_map(|(k, n)| (Just(k), Just((0..n).collect::<Vec<_>>()).prop_shuffle()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// For k workers and n tasks whose gates open in a random order: never more than k run at once;
    /// exactly min(k, n) start before any finishes; each further task starts only after one finished;
    /// all n run exactly once; at most k distinct workers serve them.
    fn no_more_than_k_tasks_run_at_once((k, finish_order) in queuing_inputs()) {
        queuing_case(k, finish_order);
    }
}
// ANCHOR_END: queuing

fn square(n: u64) -> u64 {
    n * n
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    /// map(f, xs) equals xs mapped by f in this process, for any xs and any chunk size.
    fn map_equals_a_local_map(xs in proptest::collection::vec(0u64..1 << 30, 0..=500), chunksize in 1usize..=64) {
        let expected: Vec<u64> = xs.iter().map(|&x| square(x)).collect();
        let (default, chunked) = sandbox::expect(move || {
            let pool = Pool::new(Some(3)).expect("pool");
            (pool.map(square, xs.clone()), pool.map_chunked(square, xs, chunksize))
        });
        prop_assert_eq!(default, Ok(expected.clone()));
        prop_assert_eq!(chunked, Ok(expected));
    }
}

fn add(a: u64, b: u64) -> u64 {
    a + b
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    /// imap yields map's results in order; imap_unordered yields a permutation of them; starmap
    /// matches a local map over pairs; map_async gives what map gives.
    fn imap_is_ordered_imap_unordered_a_permutation_and_starmap_matches(
        xs in proptest::collection::vec(0u64..1 << 20, 0..=300),
        chunksize in 1usize..=16,
    ) {
        let expected: Vec<u64> = xs.iter().map(|&x| square(x)).collect();
        let pairs: Vec<(u64, u64)> = xs.iter().map(|&x| (x, x / 2)).collect();
        let added: Vec<u64> = pairs.iter().map(|&(a, b)| a + b).collect();
        let (ordered, mut unordered, starred, mapped) = sandbox::expect(move || {
            let pool = Pool::new(Some(3)).expect("pool");
            let ordered: Result<Vec<u64>, PoolError> = pool.imap(square, xs.clone(), chunksize).collect();
            let unordered: Result<Vec<u64>, PoolError> = pool.imap_unordered(square, xs.clone(), chunksize).collect();
            let starred = pool.starmap(add, pairs);
            let mapped = pool.map_async(square, xs).and_then(|r| r.get());
            (ordered, unordered, starred, mapped)
        });
        prop_assert_eq!(ordered, Ok(expected.clone()));
        prop_assert_eq!(starred, Ok(added));
        prop_assert_eq!(mapped, Ok(expected.clone()));
        let mut sorted = expected;
        sorted.sort();
        if let Ok(values) = unordered.as_mut() {
            values.sort();
        }
        prop_assert_eq!(unordered, Ok(sorted));
    }
}

// ANCHOR: map_async
/// map_async_with runs its callback once, with every result in input order, or its error callback
/// with the first failure; starmap_async gives what starmap gives.
fn map_async_callbacks_see_the_whole_list() {
    in_runner(|v| {
        let pool = Pool::new(Some(3)).expect("pool");
        let seen: std::rc::Rc<std::cell::RefCell<Vec<String>>> = Default::default();
        let (ok, failed) = (seen.clone(), seen.clone());
        let result = pool
            .map_async_with(
                square,
                0..30u64,
                move |all| ok.borrow_mut().push(format!("{all:?}")),
                |e| panic!("{e}"),
            )
            .expect("submit");
        let got = result.get();
        let expected: Vec<u64> = (0..30u64).map(square).collect();
        if got != Ok(expected.clone()) || *seen.borrow() != vec![format!("{expected:?}")] {
            v.push(format!("map_async_with gave {got:?}; its callback saw {:?}", seen.borrow()));
        }
        let failing = pool
            .map_async_with(
                panics_on_three,
                0..10u64,
                |_| panic!("no callback on failure"),
                move |e| failed.borrow_mut().push(e.to_string()),
            )
            .expect("submit");
        if failing.get().is_ok()
            || seen.borrow().len() != 2
            || !seen.borrow()[1].contains("three is not allowed")
        {
            v.push(format!("a failing map_async_with: error callbacks saw {:?}", seen.borrow()));
        }
        let pairs: Vec<(u64, u64)> = (0..40).map(|n| (n, 2 * n)).collect();
        let starred = pool.starmap_async(add, pairs.clone()).and_then(|r| r.get());
        if starred != pool.starmap(add, pairs) {
            v.push(format!("starmap_async gave {starred:?}"));
        }
    });
}
// ANCHOR_END: map_async

/// Yields 0, 1, 2, … and counts how far it has been asked, to show imap takes its input lazily.
struct Counting<'a>(&'a std::cell::Cell<u64>);

impl Iterator for Counting<'_> {
    type Item = u64;
    fn next(&mut self) -> Option<u64> {
        let n = self.0.get();
        self.0.set(n + 1);
        Some(n)
    }
}

// ANCHOR: imap_lazy
/// imap over an endless input takes only a few chunks per worker ahead of what has been yielded.
fn imap_takes_its_input_lazily() {
    in_runner(|v| {
        let pool = Pool::new(Some(2)).expect("pool");
        let taken = std::cell::Cell::new(0);
        let first: Vec<u64> =
            pool.imap(square, Counting(&taken), 10).take(25).map(|r| r.expect("ok")).collect();
        if first != (0..25u64).map(square).collect::<Vec<_>>() {
            v.push(format!("imap gave {first:?}"));
        }
        // 25 yielded means 3 chunks consumed; at most 2 × 2 chunks of 10 are in flight beyond them.
        if taken.get() > 10 * (3 + 4) + 1 {
            v.push(format!("imap took {} items from its input to yield 25", taken.get()));
        }
    });
}
// ANCHOR_END: imap_lazy

fn wait_for_gate(gate: i32) -> u8 {
    // SAFETY: the test made this pipe before the pool forked the worker; ManuallyDrop borrows it.
    let mut gate = std::mem::ManuallyDrop::new(unsafe { File::from_raw_fd(gate) });
    let _ = gate.read_exact(&mut [0u8; 1]);
    1
}

// ANCHOR: results
/// get_timeout gives a timeout error while the task runs; successful() is "not ready" until it ends.
fn a_late_result_times_out_and_is_not_ready() {
    in_runner(|v| {
        let (gate_read, gate_write) = raw_pipe();
        let pool = Pool::new(Some(1)).expect("pool");
        let late = pool.apply_async(wait_for_gate, gate_read).expect("submit");
        let timed_out = late.get_timeout(std::time::Duration::from_millis(100));
        if timed_out != Err(PoolError::Timeout) {
            v.push(format!("get_timeout on a running task gave {timed_out:?}"));
        }
        if late.successful() != Err(PoolError::NotReady) || late.ready() {
            v.push("a running task's result was ready".into());
        }
        // SAFETY: the gate's write end is the test's own.
        let _ = nix::unistd::write(unsafe { std::os::fd::BorrowedFd::borrow_raw(gate_write) }, b"!");
        if late.get() != Ok(1) || late.successful() != Ok(true) {
            v.push("the task did not succeed once its gate opened".into());
        }
    });
}

/// terminate() while tasks run and wait fails each with "terminated", and leaves no worker behind;
/// a dropped pool with work pending does the same (the sandbox counts anything left behind).
fn terminate_and_drop_fail_unfinished_tasks() {
    in_runner(|v| {
        let (gate_read, _gate_write) = raw_pipe();
        let pool = Pool::new(Some(2)).expect("pool");
        let tasks: Vec<_> =
            (0..5).map(|_| pool.apply_async(wait_for_gate, gate_read).expect("submit")).collect();
        pool.terminate();
        for task in &tasks {
            if task.get() != Err(PoolError::Terminated) {
                v.push(format!("a task of a terminated pool gave {:?}", task.get()));
            }
        }
        if pool.apply(square, 2) != Err(PoolError::NotRunning) || pool.join().is_err() {
            v.push("a terminated pool accepted work or refused join".into());
        }
        let dropped = Pool::new(Some(2)).expect("pool");
        for _ in 0..3 {
            let _ = dropped.apply_async(wait_for_gate, gate_read);
        }
        drop(dropped);
    });
}
// ANCHOR_END: results

fn worker_pid(_: u8) -> i32 {
    nix::unistd::getpid().as_raw()
}

// ANCHOR: options
/// maxtasksperchild replaces each worker after that many tasks; the initializer runs once in each.
fn workers_are_replaced_after_maxtasksperchild() {
    in_runner(|v| {
        let (count_read, count_write) = raw_pipe();
        let initializer: lesson_06_pool::worker::Initializer = std::rc::Rc::new(move || {
            // SAFETY: the test's pipe, borrowed for one write.
            let _ = nix::unistd::write(unsafe { std::os::fd::BorrowedFd::borrow_raw(count_write) }, b"i");
        });
        let options = PoolOptions {
            processes: Some(2),
            initializer: Some(initializer),
            maxtasksperchild: Some(3),
            ..PoolOptions::default()
        };
        let pool = Pool::with_options(options).expect("pool");
        let pids: Vec<i32> = (0..12).map(|_| pool.apply(worker_pid, 0).expect("task")).collect();
        let mut per_worker: HashMap<i32, usize> = HashMap::new();
        for pid in &pids {
            *per_worker.entry(*pid).or_default() += 1;
        }
        if per_worker.values().any(|&count| count > 3) {
            v.push(format!("a worker ran more than 3 tasks: {per_worker:?}"));
        }
        pool.close();
        let _ = pool.join();
        // SAFETY: the test's own pipe; read what the initializers wrote.
        let mut counts = std::mem::ManuallyDrop::new(unsafe { File::from_raw_fd(count_read) });
        let _ = nix::unistd::close(count_write);
        let mut runs = Vec::new();
        let _ = counts.read_to_end(&mut runs);
        if runs.len() < per_worker.len() {
            v.push(format!("{} initializer runs for {} workers", runs.len(), per_worker.len()));
        }
    });
}
// ANCHOR_END: options

fn panics_on_three(n: u64) -> u64 {
    assert_ne!(n, 3, "three is not allowed");
    n
}

fn dies(_: u8) -> u8 {
    // SAFETY: raise only sends a signal to this process.
    unsafe { libc::raise(libc::SIGKILL) };
    0
}

// ANCHOR: failures
/// A panicking task fails only its own result; a worker killed mid-task fails its task with "worker
/// died" and is replaced; the pool keeps serving.
fn failures_stay_with_their_task() {
    in_runner(|v| {
        let pool = Pool::new(Some(2)).expect("pool");
        let before = pool.pids();
        let panicked = pool.apply(panics_on_three, 3);
        let expected = Err(PoolError::Panicked(
            "assertion `left != right` failed: three is not allowed\n  left: 3\n right: 3".into(),
        ));
        if panicked != expected {
            v.push(format!("a panicking task gave {panicked:?}"));
        }
        let killed = pool.apply(dies, 0);
        if killed != Err(PoolError::WorkerDied("killed by SIGKILL".into())) {
            v.push(format!("a killed worker's task gave {killed:?}"));
        }
        let after = pool.pids();
        if after.len() != 2 || after == before {
            v.push(format!("the dead worker was not replaced: {before:?} then {after:?}"));
        }
        let mapped = pool.map(square, 0..20u64);
        if mapped != Ok((0..20u64).map(square).collect()) {
            v.push(format!("the pool stopped serving after a failure: {mapped:?}"));
        }
        let with_failure = pool.map_chunked(panics_on_three, 0..10u64, 2);
        if !matches!(with_failure, Err(PoolError::Panicked(_))) {
            v.push(format!("a map with a failing chunk gave {with_failure:?}"));
        }
    });
}
// ANCHOR_END: failures

/// A value whose encoding always fails.
#[derive(Debug, serde::Deserialize)]
struct Unencodable;

impl serde::Serialize for Unencodable {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("this value refuses to be encoded"))
    }
}

fn returns_unencodable(_: u8) -> Unencodable {
    Unencodable
}

fn takes_unencodable(_: Unencodable) -> u8 {
    0
}

// ANCHOR: encoding
/// A result or an argument that cannot be encoded is an error on that task only.
fn encoding_errors_stay_with_their_task() {
    in_runner(|v| {
        let pool = Pool::new(Some(1)).expect("pool");
        let result = pool.apply(returns_unencodable, 0).map(|_| ());
        if !matches!(result, Err(PoolError::Encoding(_))) {
            v.push(format!("an unencodable result gave {result:?}"));
        }
        let argument = pool.apply(takes_unencodable, Unencodable);
        if !matches!(argument, Err(PoolError::Encoding(_))) {
            v.push(format!("an unencodable argument gave {argument:?}"));
        }
        if pool.apply(square, 6) != Ok(36) {
            v.push("the pool stopped serving after an encoding error".into());
        }
    });
}
// ANCHOR_END: encoding

// ANCHOR: spawn
/// A pool whose workers are spawned (this test program started afresh, which `main` hands to
/// `lesson_06_pool::init`), or forked by a fork server, gives the same results and the same failures
/// as a pool of forked workers; neither takes an initializer closure.
fn spawned_and_served_workers_behave_as_forked_ones() {
    in_runner(|v| {
        for method in [StartMethod::Spawn, StartMethod::Forkserver] {
            let options = PoolOptions { processes: Some(2), start_method: method, ..PoolOptions::default() };
            let pool = Pool::with_options(options).expect("pool");
            let mapped = pool.map(square, 0..50u64);
            if mapped != Ok((0..50u64).map(square).collect()) {
                v.push(format!("{method:?}: map gave {mapped:?}"));
            }
            if !matches!(pool.apply(panics_on_three, 3), Err(PoolError::Panicked(_))) {
                v.push(format!("{method:?}: a worker's panic was not reported"));
            }
            let killed = pool.apply(dies, 0);
            if killed != Err(PoolError::WorkerDied("killed by SIGKILL".into())) {
                v.push(format!("{method:?}: a killed worker's task gave {killed:?}"));
            }
            if pool.apply(square, 12) != Ok(144) {
                v.push(format!("{method:?}: the pool did not go on after a worker died"));
            }
            pool.close();
            if pool.join().is_err() {
                v.push(format!("{method:?}: join failed"));
            }
            let initializer: lesson_06_pool::worker::Initializer = std::rc::Rc::new(|| ());
            let with_initializer = PoolOptions {
                start_method: method,
                initializer: Some(initializer),
                ..PoolOptions::default()
            };
            if Pool::with_options(with_initializer).is_ok() {
                v.push(format!("{method:?}: accepted an initializer closure"));
            }
        }
    });
}
// ANCHOR_END: spawn

// ANCHOR: misuse
/// Each misuse gives its error, with CPython's words.
fn misuse_gives_cpythons_errors() {
    in_runner(|v| {
        let mut check = |what: &str, got: Option<PoolError>, message: &str| {
            let text = got.as_ref().map(ToString::to_string);
            if text.as_deref() != Some(message) {
                v.push(format!("{what}: {got:?}, expected {message:?}"));
            }
        };
        check("no processes", Pool::new(Some(0)).err(), "Number of processes must be at least 1");
        let zero = PoolOptions { maxtasksperchild: Some(0), ..PoolOptions::default() };
        check(
            "maxtasksperchild 0",
            Pool::with_options(zero).err(),
            "maxtasksperchild must be a positive int or None",
        );
        let pool = Pool::new(Some(1)).expect("pool");
        check("join while running", pool.join().err(), "Pool is still running");
        pool.close();
        check("apply after close", pool.apply(square, 2).err(), "Pool not running");
        if pool.join().is_err() {
            v.push("join after close failed".into());
        }
    });
}
// ANCHOR_END: misuse

fn main() -> ExitCode {
    // A spawned worker is this program started afresh: it must become a worker before anything else.
    lesson_06_pool::init();
    testkit::harness::run(testkit::trials![
        no_more_than_k_tasks_run_at_once,
        map_equals_a_local_map,
        failures_stay_with_their_task,
        misuse_gives_cpythons_errors,
        imap_is_ordered_imap_unordered_a_permutation_and_starmap_matches,
        imap_takes_its_input_lazily,
        a_late_result_times_out_and_is_not_ready,
        terminate_and_drop_fail_unfinished_tasks,
        workers_are_replaced_after_maxtasksperchild,
        encoding_errors_stay_with_their_task,
        spawned_and_served_workers_behave_as_forked_ones,
        map_async_callbacks_see_the_whole_list,
    ])
}
