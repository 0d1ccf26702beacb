//! Behaviours found by porting CPython's own pool tests (`Lib/test/_test_multiprocessing.py`):
//! chunk sizes, calls on a closed pool, an input that fails part-way, where a panic happened.

mod common;

use std::process::ExitCode;
use std::time::Duration;

use common::{
    Item, REGISTRY, add, add3, fails_to_encode_at, open_gate, panics_on_three, raw_pipe, square,
    wait_for_gate,
};
use lesson_06_pool::{Initializer, Pool, PoolError, PoolOptions};
use testkit::sandbox::check_in_runner;

/// A pool that records its events, so a test can count the tasks a call made.
fn recording_pool() -> Pool<'static> {
    Pool::with_options(PoolOptions { processes: Some(2), record_events: true, ..PoolOptions::default() })
        .expect("pool")
}

/// How many tasks workers have taken so far.
fn tasks_taken(pool: &Pool) -> usize {
    pool.events().iter().filter(|e| e.started).count()
}

// ANCHOR: chunks
/// `map_async`, `starmap` and `starmap_async` take a chunk size, one task per chunk; `imap` and
/// `imap_unordered` send one item a task unless told otherwise; a chunk size of 0 is CPython's error.
fn chunk_sizes_as_in_cpython() {
    check_in_runner(|v| {
        let pool = recording_pool();
        let squares: Vec<u64> = (0..10).map(square).collect();
        let pairs: Vec<(u64, u64)> = (0..10).map(|n| (n, 1)).collect();
        let added: Vec<u64> = (1..11).collect();
        let mut seen = 0;
        let mut count = |what: &str, expected: usize, right: bool| {
            let taken = tasks_taken(&pool);
            if !right || taken - seen != expected {
                v.push(format!(
                    "{what}: {} tasks, expected {expected}; results right: {right}",
                    taken - seen
                ));
            }
            seen = taken;
        };
        let mapped = pool.map_async_chunked(square, 0..10u64, 3).and_then(|r| r.get());
        count("map_async_chunked(3)", 4, mapped == Ok(squares.clone()));
        count("starmap_chunked(5)", 2, pool.starmap_chunked(add, pairs.clone(), 5) == Ok(added.clone()));
        let starred = pool.starmap_async_chunked(add, pairs, 10).and_then(|r| r.get());
        count("starmap_async_chunked(10)", 1, starred == Ok(added));
        let imapped: Result<Vec<u64>, _> = pool.imap(square, 0..10u64).expect("imap").collect();
        count("imap", 10, imapped == Ok(squares.clone()));
        let mut unordered: Vec<u64> =
            pool.imap_unordered(square, 0..10u64).expect("imap").map(Result::unwrap).collect();
        unordered.sort();
        count("imap_unordered", 10, unordered == squares);
        let zero = "Chunksize must be 1+, not 0";
        for (what, error) in [
            ("imap_chunked(0)", pool.imap_chunked(square, 0..10u64, 0).err()),
            ("imap_unordered_chunked(0)", pool.imap_unordered_chunked(square, 0..10u64, 0).err()),
            ("map_chunked(0)", pool.map_chunked(square, 0..10u64, 0).err()),
        ] {
            if error.as_ref().map(ToString::to_string).as_deref() != Some(zero) {
                v.push(format!("{what} gave {error:?}"));
            }
        }
    });
}
// ANCHOR_END: chunks

/// `starmap` calls functions of two and three arguments on tuples.
fn starmap_takes_functions_of_any_arity() {
    check_in_runner(|v| {
        let pool = Pool::new(Some(2)).expect("pool");
        let two = pool.starmap(add, vec![(1, 2), (3, 4)]);
        let three = pool.starmap(add3, vec![(1, 2, "a".to_string()), (3, 4, "b".to_string())]);
        if two != Ok(vec![3, 7]) || three != Ok(vec!["3a".to_string(), "7b".to_string()]) {
            v.push(format!("starmap gave {two:?} and {three:?}"));
        }
    });
}

// ANCHOR: closed
/// Every call on a closed or terminated pool fails with "Pool not running", empty input included;
/// `imap` fails once, at the call.
fn every_call_on_a_closed_pool_fails() {
    check_in_runner(|v| {
        for terminate in [false, true] {
            let pool = Pool::new(Some(1)).expect("pool");
            if terminate {
                pool.terminate()
            } else {
                pool.close()
            }
            let none: Vec<u64> = Vec::new();
            let calls: Vec<(&str, Option<PoolError>)> = vec![
                ("apply", pool.apply(square, 1).err()),
                ("apply_async", pool.apply_async(square, 1).err()),
                ("apply_async_with", pool.apply_async_with(square, 1, |_| (), |_| ()).err()),
                ("map", pool.map(square, none.clone()).err()),
                ("map_chunked", pool.map_chunked(square, none.clone(), 2).err()),
                ("map_async", pool.map_async(square, none.clone()).err()),
                ("map_async_with", pool.map_async_with(square, none.clone(), |_| (), |_| ()).err()),
                ("starmap", pool.starmap(add, Vec::<(u64, u64)>::new()).err()),
                ("starmap_async", pool.starmap_async(add, Vec::<(u64, u64)>::new()).err()),
                ("imap", pool.imap(square, none.clone()).err()),
                ("imap_unordered", pool.imap_unordered(square, none).err()),
            ];
            for (what, error) in calls {
                if error != Some(PoolError::NotRunning) {
                    v.push(format!("{what} on a pool closed (terminated: {terminate}) gave {error:?}"));
                }
            }
        }
    });
}
// ANCHOR_END: closed

// ANCHOR: failing_input
/// `imap` over an input whose seventh item cannot be sent yields every result of the chunks before
/// the failing one, then the error, then ends.
fn imap_yields_what_came_before_a_failing_item() {
    check_in_runner(|v| {
        let pool = Pool::new(Some(2)).expect("pool");
        let input = (0..10u64).map(|n| if n == 6 { Item::Broken } else { Item::Fine(n) });
        let got: Vec<Result<u64, PoolError>> =
            pool.imap_chunked(fails_to_encode_at, input, 2).expect("imap").collect();
        let before: Vec<Result<u64, PoolError>> = (0..6).map(Ok).collect();
        if got.len() != 7 || got[..6] != before[..] || !matches!(got[6], Err(PoolError::Encoding(_))) {
            v.push(format!("imap over a failing input gave {got:?}"));
        }
    });
}

/// `map` over the same input fails with the encoding error, as CPython's raises the pickling error;
/// the chunks sent before the failing one run, their results are dropped, and the pool goes on.
fn map_over_a_failing_item_fails_and_the_pool_goes_on() {
    check_in_runner(|v| {
        let pool = Pool::new(Some(2)).expect("pool");
        let input = (0..10u64).map(|n| if n == 6 { Item::Broken } else { Item::Fine(n) });
        let mapped = pool.map_chunked(fails_to_encode_at, input, 2);
        if !matches!(mapped, Err(PoolError::Encoding(_))) {
            v.push(format!("map over a failing input gave {mapped:?}"));
        }
        let after = pool.map(square, 0..10u64);
        if after != Ok((0..10u64).map(square).collect()) {
            v.push(format!("the next map gave {after:?}"));
        }
        pool.close();
        if let Err(error) = pool.join() {
            v.push(format!("join after a failed map gave {error}"));
        }
    });
}
// ANCHOR_END: failing_input

/// A panic in a task reports its message and where it happened, file:line:column.
fn a_panic_reports_where_it_happened() {
    check_in_runner(|v| {
        let pool = Pool::new(Some(1)).expect("pool");
        match pool.apply(panics_on_three, 3) {
            Err(PoolError::Panicked { message, location }) => {
                if !message.contains("three is not allowed")
                    || !location.starts_with("lessons/06-pool/tests/common/mod.rs:")
                {
                    v.push(format!("the panic said {message:?} at {location:?}"));
                }
            }
            other => v.push(format!("a panicking task gave {other:?}")),
        }
    });
}

/// `MapResult` has `wait` and `wait_timeout`, like `AsyncResult`.
fn a_map_result_waits_like_an_async_result() {
    check_in_runner(|v| {
        let (gate_read, gate_write) = raw_pipe();
        let pool = Pool::new(Some(2)).expect("pool");
        let result = pool.map_async_chunked(wait_for_gate, vec![gate_read; 3], 1).expect("map_async");
        if result.wait_timeout(Duration::from_millis(20)) || result.ready() {
            v.push("the map was ready before its gates opened".into());
        }
        for _ in 0..3 {
            open_gate(gate_write);
        }
        result.wait();
        if !result.ready() || result.get() != Ok(vec![1, 1, 1]) {
            v.push("the map did not finish once its gates opened".into());
        }
    });
}

/// `Initializer` is named at the crate's root, as `PoolOptions` needs it.
fn the_initializer_type_is_at_the_crate_root() {
    check_in_runner(|v| {
        let initializer: Initializer = std::rc::Rc::new(|| ());
        let options =
            PoolOptions { processes: Some(1), initializer: Some(initializer), ..PoolOptions::default() };
        if Pool::with_options(options).and_then(|pool| pool.apply(square, 2)) != Ok(4) {
            v.push("a pool with an initializer did not serve".into());
        }
    });
}

fn main() -> ExitCode {
    lesson_05_start_methods::init(&REGISTRY);
    testkit::harness::run(testkit::trials![
        chunk_sizes_as_in_cpython,
        starmap_takes_functions_of_any_arity,
        every_call_on_a_closed_pool_fails,
        imap_yields_what_came_before_a_failing_item,
        map_over_a_failing_item_fails_and_the_pool_goes_on,
        a_panic_reports_where_it_happened,
        a_map_result_waits_like_an_async_result,
        the_initializer_type_is_at_the_crate_root,
    ])
}
