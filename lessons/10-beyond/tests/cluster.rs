//! Runs of Listing 10-1 as two processes over loopback TCP, compared with the sequential map and
//! with chapter 6's `Pool::map` on the same items.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use lesson_05_start_methods::{Registry, init, task};
use lesson_06_pool::Pool;
use lesson_10_beyond::cluster;
use lesson_10_beyond::hosts::HostFile;
use lesson_10_beyond::work::square;
use proptest::test_runner::{Config, TestRunner};

/// The functions this test's pool runs, by name (chapter 5).
static REGISTRY: Registry = Registry { tasks: &[task!(square)], entries: &[] };

/// How long one run of two processes may take.
const LIMIT: Duration = Duration::from_secs(20);

/// Runs Listing 10-1 over `items` as two processes; gives the results line of each (the last line
/// it printed: timely prints its own "awaiting connections" line before).
fn timely_map(items: u64) -> Vec<String> {
    let hosts = HostFile::loopback(2).expect("host file");
    let addresses = hosts.addresses();
    assert!(addresses.iter().all(|a| a.starts_with("127.0.0.1:")), "only loopback: {addresses:?}");
    let program = PathBuf::from(env!("CARGO_BIN_EXE_timely_map"));
    let run = cluster::run(&program, hosts.path(), 2, &[&items.to_string()], LIMIT).expect("the run");
    assert!(run.succeeded(), "a process of the run failed: {:?} {:?}", run.outputs, run.errors);
    run.outputs.iter().map(|out| out.lines().filter(|l| l.starts_with('[')).collect()).collect()
}

/// The squares of 0..10, printed by process 0 in input order; process 1 prints no results.
fn two_processes_over_loopback_print_the_squares_in_order() {
    let outputs = timely_map(10);
    assert_eq!(outputs, ["[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]", ""]);
}

// ANCHOR: same_results
/// For any number of items from 0 to 2,000, the run over two processes gives the results of the
/// sequential map and of `Pool::map`, in the same order.
fn any_input_gives_the_results_of_pool_map_and_of_a_sequential_map() {
    init(&REGISTRY);
    // Made while this process has one thread (an earlier run's reader threads may still be ending):
    // the pool forks its workers now, and the runs below start threads.
    lesson_01_fork::wait_until_single_threaded(Duration::from_secs(5));
    let pool = Pool::new(Some(2)).expect("pool");
    let mut runner = TestRunner::new(Config { cases: 8, failure_persistence: None, ..Config::default() });
    runner
        .run(&(0u64..=2000), |items| {
            let sequential: Vec<u64> = (0..items).map(square).collect();
            let pooled = pool.map(square, 0..items).expect("Pool::map");
            let printed = timely_map(items);
            assert_eq!(pooled, sequential, "Pool::map");
            assert_eq!(printed[0], format!("{sequential:?}"), "timely over two processes");
            assert_eq!(printed[1], "", "only process 0 prints the results");
            Ok(())
        })
        .expect("the property");
}
// ANCHOR_END: same_results

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        two_processes_over_loopback_print_the_squares_in_order,
        any_input_gives_the_results_of_pool_map_and_of_a_sequential_map
    ])
}
