//! The queuing claims of chapter 6, judged from what the workers themselves report: each gated task
//! writes its index and its worker's pid to the test's pipe when it starts, then waits for its gate.
//! The test opens the gates in a random order and reads who starts next, and where.

mod common;

use std::collections::{HashMap, HashSet};
use std::process::ExitCode;

use common::{REGISTRY, gated, next_start, open_gate, raw_pipe};
use lesson_04_pipes::bytes_waiting;
use lesson_06_pool::Pool;
use proptest::prelude::*;
use testkit::sandbox;

// ANCHOR: queuing
fn queuing_case(k: usize, finish_order: Vec<usize>) {
    sandbox::check_in_runner(|v| {
        let n = finish_order.len();
        let (report_read, report_write) = raw_pipe();
        let gates: Vec<(i32, i32)> = (0..n).map(|_| raw_pipe()).collect();
        let pool = Pool::new(Some(k)).expect("pool");
        let results: Vec<_> = (0..n)
            .map(|i| pool.apply_async(gated, (report_write, gates[i].0, i as u32)).expect("submit"))
            .collect();
        // The first min(k, n) start at once, each on a worker of its own; no other can start yet.
        let mut worker_of: HashMap<u32, i32> = HashMap::new();
        for _ in 0..k.min(n) {
            let (task, pid) = next_start(report_read);
            worker_of.insert(task, pid);
        }
        if bytes_waiting(unsafe_fd(report_read)).unwrap_or(0) != 0 {
            v.push(format!("more than min({k}, {n}) tasks started before any finished"));
        }
        // Only a running task can finish: each step opens the gate of the running task that comes
        // first in `finish_order`, waits for its result, and reads which task starts next, and where.
        let rank: HashMap<usize, usize> = finish_order.iter().enumerate().map(|(r, &j)| (j, r)).collect();
        let mut running: Vec<u32> = worker_of.keys().copied().collect();
        while let Some(position) = (0..running.len()).min_by_key(|&p| rank[&(running[p] as usize)]) {
            let j = running.swap_remove(position);
            open_gate(gates[j as usize].1);
            let got = results[j as usize].get();
            if got != Ok(j) {
                v.push(format!("task {j} gave {got:?}"));
            }
            if worker_of.len() < n {
                let (next, pid) = next_start(report_read);
                if pid != worker_of[&j] {
                    v.push(format!(
                        "task {next} started on {pid}, not on {}, the worker task {j} freed",
                        worker_of[&j]
                    ));
                }
                if worker_of.insert(next, pid).is_some() {
                    v.push(format!("task {next} started twice"));
                }
                running.push(next);
            }
        }
        let workers: HashSet<i32> = worker_of.values().copied().collect();
        if worker_of.len() != n || workers.len() > k {
            v.push(format!("{} of {n} tasks started, on {} workers of {k}", worker_of.len(), workers.len()));
        }
    });
}

fn queuing_inputs() -> impl Strategy<Value = (usize, Vec<usize>)> {
    (1usize..=8, 0usize..=40)
        .prop_flat_map(|(k, n)| (Just(k), Just((0..n).collect::<Vec<_>>()).prop_shuffle()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// For k workers and n tasks whose gates open in a random order, from the workers' own reports:
    /// exactly min(k, n) start before any finishes, on distinct workers; each further task starts
    /// only when a task has finished, on the worker that task freed; all n run exactly once and
    /// return their own value; at most k workers serve them.
    fn no_more_than_k_tasks_run_at_once((k, finish_order) in queuing_inputs()) {
        queuing_case(k, finish_order);
    }
}
// ANCHOR_END: queuing

/// The report pipe's read end, borrowed.
fn unsafe_fd(fd: i32) -> std::os::fd::BorrowedFd<'static> {
    // SAFETY: the test's own pipe, open until the runner ends.
    unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) }
}

fn main() -> ExitCode {
    lesson_05_start_methods::init(&REGISTRY);
    testkit::harness::run(testkit::trials![no_more_than_k_tasks_run_at_once])
}
