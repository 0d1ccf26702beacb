//! Property tests of chapter 6's claims about `Pool`'s results, failures and options. Each runs in
//! a sandbox runner (testkit), so a pool that hangs fails its test instead of the run, and no worker
//! can be left behind. Gates — pipes the test writes to — decide when each task may finish.

mod common;

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::os::fd::FromRawFd;
use std::process::ExitCode;

use common::{
    REGISTRY, Unencodable, add, dies, panics_on_three, raw_pipe, returns_unencodable, square,
    takes_unencodable, wait_for_gate, worker_pid,
};
use lesson_05_start_methods::{Forkserver, StartMethod};
use lesson_06_pool::{Initializer, Pool, PoolError, PoolOptions};
use proptest::prelude::*;
use testkit::sandbox;

/// Runs `check` in a sandbox runner and fails the test with every violation it reported.
fn in_runner(check: impl FnOnce(&mut Vec<String>)) {
    sandbox::check_in_runner(check);
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
            let ordered: Result<Vec<u64>, PoolError> = pool.imap_chunked(square, xs.clone(), chunksize).expect("imap").collect();
            let unordered: Result<Vec<u64>, PoolError> = pool.imap_unordered_chunked(square, xs.clone(), chunksize).expect("imap").collect();
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
        let first: Vec<u64> = pool
            .imap_chunked(square, Counting(&taken), 10)
            .expect("imap")
            .take(25)
            .map(|r| r.expect("ok"))
            .collect();
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

// ANCHOR: options
/// With `maxtasksperchild` of 3, no worker runs more than 3 tasks; the initializer runs exactly once
/// in every worker, and every worker that ran a task ran it first.
fn workers_are_replaced_after_maxtasksperchild() {
    in_runner(|v| {
        let (count_read, count_write) = raw_pipe();
        let initializer: Initializer = std::rc::Rc::new(move || {
            let pid = nix::unistd::getpid().as_raw().to_le_bytes();
            // SAFETY: the test's pipe, borrowed for one write of 4 bytes (under PIPE_BUF: whole).
            let _ = nix::unistd::write(unsafe { std::os::fd::BorrowedFd::borrow_raw(count_write) }, &pid);
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
        let mut initialized: HashMap<i32, usize> = HashMap::new();
        for pid in runs.chunks(4) {
            *initialized.entry(i32::from_le_bytes(pid.try_into().expect("4 bytes"))).or_default() += 1;
        }
        if initialized.values().any(|&runs| runs != 1)
            || per_worker.keys().any(|pid| !initialized.contains_key(pid))
        {
            v.push(format!(
                "initializer runs per worker: {initialized:?}; workers that ran tasks: {per_worker:?}"
            ));
        }
    });
}
// ANCHOR_END: options

// ANCHOR: failures
/// A panicking task fails only its own result; a worker killed mid-task fails its task with "worker
/// died" and is replaced; the pool keeps serving.
fn failures_stay_with_their_task() {
    in_runner(|v| {
        let pool = Pool::new(Some(2)).expect("pool");
        let before = pool.pids();
        let panicked = pool.apply(panics_on_three, 3);
        let message = "assertion `left != right` failed: three is not allowed\n  left: 3\n right: 3";
        if !matches!(&panicked, Err(PoolError::Panicked { message: m, .. }) if m == message) {
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
        if !matches!(with_failure, Err(PoolError::Panicked { .. })) {
            v.push(format!("a map with a failing chunk gave {with_failure:?}"));
        }
    });
}
// ANCHOR_END: failures

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
/// chapter 5's `init`), or forked by a fork server, gives the same results and the same failures as
/// a pool of forked workers; neither takes an initializer closure.
fn spawned_and_served_workers_behave_as_forked_ones() {
    in_runner(|v| {
        let server = Forkserver::start(&REGISTRY).expect("a fork server");
        for method in [StartMethod::Spawn, StartMethod::Forkserver(&server)] {
            let name = method.name();
            let options = PoolOptions { processes: Some(2), start_method: method, ..PoolOptions::default() };
            let pool = Pool::with_options(options).expect("pool");
            let mapped = pool.map(square, 0..50u64);
            if mapped != Ok((0..50u64).map(square).collect()) {
                v.push(format!("{name}: map gave {mapped:?}"));
            }
            if !matches!(pool.apply(panics_on_three, 3), Err(PoolError::Panicked { .. })) {
                v.push(format!("{name}: a worker's panic was not reported"));
            }
            let killed = pool.apply(dies, 0);
            if killed != Err(PoolError::WorkerDied("killed by SIGKILL".into())) {
                v.push(format!("{name}: a killed worker's task gave {killed:?}"));
            }
            if pool.apply(square, 12) != Ok(144) {
                v.push(format!("{name}: the pool did not go on after a worker died"));
            }
            pool.close();
            if pool.join().is_err() {
                v.push(format!("{name}: join failed"));
            }
            let initializer: Initializer = std::rc::Rc::new(|| ());
            let with_initializer = PoolOptions {
                start_method: method,
                initializer: Some(initializer),
                ..PoolOptions::default()
            };
            if Pool::with_options(with_initializer).is_ok() {
                v.push(format!("{name}: accepted an initializer closure"));
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
    lesson_05_start_methods::init(&REGISTRY);
    testkit::harness::run(testkit::trials![
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
