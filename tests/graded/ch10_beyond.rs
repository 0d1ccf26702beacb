//! Graded tests for chapter 10, compiled against `exercises` (yours) and `solutions`.
//!
//! Each call of your code runs in a sandbox (`testkit::sandbox`): a child process with a time limit,
//! so a hang or a panic is reported as a failure with advice. The cases are small enough to try
//! every one of them.

use std::ops::Range;
use std::process::ExitCode;
use std::time::Duration;

use testkit::sandbox::{self, call};
use workbook::ch10_beyond::*;

mod partitions {
    use super::*;

    pub fn gives_chunk_c_to_worker_c_mod_workers() {
        let given = sandbox::expect(|| call(|| partitions(10, 3, 2)));
        let wanted: Vec<Vec<Range<usize>>> = vec![vec![0..2, 6..8], vec![2..4, 8..10], vec![4..6]];
        assert_eq!(given, Ok(wanted), "10 items in chunks of 2 for 3 workers: chunks 0 and 3 to worker 0, …");
    }

    pub fn covers_every_item_once_in_chunks_of_chunksize() {
        sandbox::check_in_runner(|violations| {
            for items in 0..=23 {
                for workers in 1..=5 {
                    for chunksize in 1..=6 {
                        let case = format!("partitions({items}, {workers}, {chunksize})");
                        match call(|| partitions(items, workers, chunksize)) {
                            Err(error) => violations.push(format!("{case} gave the error {error:?}")),
                            Ok(given) => check_cover(&case, &given, items, workers, chunksize, violations),
                        }
                    }
                }
            }
            violations.truncate(5);
        });
    }

    /// What must hold of one answer: one list a worker, each chunk where its number sends it, whole.
    fn check_cover(
        case: &str,
        given: &[Vec<Range<usize>>],
        items: usize,
        workers: usize,
        chunksize: usize,
        violations: &mut Vec<String>,
    ) {
        if given.len() != workers {
            violations
                .push(format!("{case} gave {} lists, not one for each of {workers} workers", given.len()));
            return;
        }
        let mut seen = vec![0u32; items];
        for (worker, chunks) in given.iter().enumerate() {
            for chunk in chunks {
                let number = chunk.start / chunksize;
                let whole = chunk.start % chunksize == 0 && chunk.end == (chunk.start + chunksize).min(items);
                if !whole || chunk.start >= items || number % workers != worker {
                    violations.push(format!("{case}: worker {worker} got {chunk:?}"));
                    return;
                }
                chunk.clone().for_each(|item| seen[item] += 1);
            }
            if chunks.windows(2).any(|pair| pair[0].start >= pair[1].start) {
                violations
                    .push(format!("{case}: worker {worker}'s chunks are not in input order: {chunks:?}"));
            }
        }
        if let Some(item) = seen.iter().position(|&times| times != 1) {
            violations.push(format!("{case}: item {item} was given {} times, not once", seen[item]));
        }
    }

    pub fn refuses_zero_workers_or_a_zero_chunksize() {
        let (no_workers, no_chunk, no_items) = sandbox::expect(|| {
            (call(|| partitions(5, 0, 2)), call(|| partitions(5, 2, 0)), call(|| partitions(0, 3, 4)))
        });
        assert_eq!(no_workers, Err("Number of processes must be at least 1".to_string()));
        assert_eq!(no_chunk, Err("Chunksize must be 1+, not 0".to_string()));
        assert_eq!(no_items, Ok(vec![vec![]; 3]), "no items: three workers with no chunk each");
    }
}

mod in_input_order {
    use super::*;

    /// The answer for `results`, as text: `Gathered` is not sent whole out of the sandbox.
    fn ordered(results: Vec<(usize, &'static str)>, count: usize) -> String {
        sandbox::expect(move || format!("{:?}", call(|| in_input_order(results, count))))
    }

    pub fn puts_results_from_any_order_back_in_input_order() {
        let by_worker = vec![(1, "b"), (3, "d"), (0, "a"), (4, "e"), (2, "c")];
        assert_eq!(ordered(by_worker, 5), r#"Ok(["a", "b", "c", "d", "e"])"#);
        let backwards = vec![(2, "c"), (1, "b"), (0, "a")];
        assert_eq!(ordered(backwards, 3), r#"Ok(["a", "b", "c"])"#);
        assert_eq!(ordered(vec![], 0), "Ok([])", "no items, no results: an empty Vec");
    }

    pub fn keeps_the_first_of_a_result_that_came_twice() {
        let rerun = vec![(0, "a"), (1, "b"), (0, "a, run again")];
        assert_eq!(ordered(rerun, 2), r#"Ok(["a", "b"])"#, "item 0 ran twice: its first result counts");
    }

    pub fn names_every_lost_item_and_a_result_for_no_item() {
        assert_eq!(ordered(vec![(0, "a"), (2, "c")], 4), "Err(Lost([1, 3]))", "items 1 and 3 sent no result");
        assert_eq!(ordered(vec![(0, "a"), (5, "f")], 5), "Err(NotAnItem(5))", "there is no item 5 of 5");
    }
}

mod lost_workers {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    pub fn a_worker_is_lost_once_its_latest_heartbeat_is_older_than_the_timeout() {
        let beats = [(0, ms(1000)), (1, ms(1500))];
        let (at_timeout, past_it) = sandbox::expect(move || {
            (
                call(|| lost_workers(&beats, 2, ms(3000), ms(2000))),
                call(|| lost_workers(&beats, 2, ms(3001), ms(2000))),
            )
        });
        assert_eq!(
            at_timeout,
            Vec::<usize>::new(),
            "at 3000 ms, worker 0's beat is exactly 2000 ms old: not lost yet"
        );
        assert_eq!(past_it, vec![0], "at 3001 ms, worker 0's beat is older than 2000 ms: lost");
    }

    pub fn the_latest_heartbeat_counts_whatever_the_order_they_were_read_in() {
        let beats = [(1, ms(9000)), (0, ms(9500)), (1, ms(2000)), (0, ms(1000)), (2, ms(100))];
        let lost = sandbox::expect(move || call(|| lost_workers(&beats, 3, ms(10_000), ms(1000))));
        assert_eq!(
            lost,
            vec![2],
            "workers 0 and 1 beat at 9500 and 9000 ms, read out of order; 2 at 100 ms only"
        );
    }

    pub fn a_worker_never_heard_from_is_timed_from_the_start_and_strangers_count_for_no_one() {
        let beats = [(7, ms(4000)), (1, ms(4000))];
        let (early, late) = sandbox::expect(move || {
            (
                call(|| lost_workers(&beats, 3, ms(500), ms(1000))),
                call(|| lost_workers(&beats, 3, ms(4500), ms(1000))),
            )
        });
        assert_eq!(
            early,
            Vec::<usize>::new(),
            "at 500 ms, no worker has been quiet for 1000 ms since the start"
        );
        assert_eq!(late, vec![0, 2], "at 4500 ms, workers 0 and 2 never beat; worker 7 is not one of the 3");
    }
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        partitions::gives_chunk_c_to_worker_c_mod_workers,
        partitions::covers_every_item_once_in_chunks_of_chunksize,
        partitions::refuses_zero_workers_or_a_zero_chunksize,
        in_input_order::puts_results_from_any_order_back_in_input_order,
        in_input_order::keeps_the_first_of_a_result_that_came_twice,
        in_input_order::names_every_lost_item_and_a_result_for_no_item,
        lost_workers::a_worker_is_lost_once_its_latest_heartbeat_is_older_than_the_timeout,
        lost_workers::the_latest_heartbeat_counts_whatever_the_order_they_were_read_in,
        lost_workers::a_worker_never_heard_from_is_timed_from_the_start_and_strangers_count_for_no_one,
    ])
}
