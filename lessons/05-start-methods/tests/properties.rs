//! Property tests of chapter 5's claims. This test binary is itself the program a spawned child
//! starts afresh, so `main` calls `init` first, as every program using the spawn method must.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

use lesson_01_fork::{Gate, wait_until_single_threaded};
use lesson_05_start_methods::{Forkserver, Registry, StartError, StartMethod, init, run, task};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

/// A rich argument: every task must get it, and give its answer, the same under every method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Order {
    customer: String,
    items: Vec<(String, u32)>,
    note: Option<String>,
}

/// The task: totals per item, and the customer's name reversed.
fn summarise(order: Order) -> (String, BTreeMap<String, u32>) {
    let mut totals = BTreeMap::new();
    for (item, count) in order.items {
        *totals.entry(item).or_insert(0) += count;
    }
    (order.customer.chars().rev().collect(), totals)
}

/// A task that panics.
fn fail(message: String) -> u8 {
    panic!("{message}")
}

/// A lock the tasks take.
static LOCK: Mutex<u32> = Mutex::new(0);

/// A task that takes the lock.
fn take_the_lock((): ()) -> u32 {
    let mut count = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    *count += 1;
    *count
}

static REGISTRY: Registry = Registry { tasks: &[task!(summarise), task!(fail), task!(take_the_lock)] };

fn order() -> impl Strategy<Value = Order> {
    (".{0,12}", proptest::collection::vec(("[a-z]{1,6}", 0u32..1000), 0..12), proptest::option::of(".{0,20}"))
        .prop_map(|(customer, items, note)| Order { customer, items, note })
}

// ANCHOR: same_result
proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    /// The same task and arguments give the same result under fork, spawn and forkserver, and the
    /// result a direct call gives.
    fn every_method_gives_the_same_result(order in order()) {
        let server = Forkserver::start(&REGISTRY).expect("start the fork server");
        let expected = summarise(order.clone());
        for method in [StartMethod::Fork, StartMethod::Spawn, StartMethod::Forkserver(&server)] {
            let got: (String, BTreeMap<String, u32>) = run(&method, &REGISTRY, "summarise", &order).expect("run");
            prop_assert_eq!(&got, &expected, "under {}", method.name());
        }
    }
}
// ANCHOR_END: same_result

// ANCHOR: errors
/// A panic in the task, and a task name nobody registered, come back as errors under every method.
fn panics_and_unknown_tasks_are_errors_under_every_method() {
    let server = Forkserver::start(&REGISTRY).expect("start the fork server");
    for method in [StartMethod::Fork, StartMethod::Spawn, StartMethod::Forkserver(&server)] {
        let panicked = run::<String, u8>(&method, &REGISTRY, "fail", &"on purpose".to_string());
        assert_eq!(panicked, Err(StartError::Panicked("on purpose".into())), "under {}", method.name());
        let unknown = run::<(), u8>(&method, &REGISTRY, "no_such_task", &());
        assert_eq!(unknown, Err(StartError::UnknownTask("no_such_task".into())), "under {}", method.name());
    }
}
// ANCHOR_END: errors

// ANCHOR: threads
/// In a process where another thread holds a lock: our fork refuses; spawn and a fork server started
/// before the thread run a task that takes the lock.
fn spawn_and_forkserver_work_where_fork_would_deadlock() {
    let server = Forkserver::start(&REGISTRY).expect("start the fork server");
    let (locked, is_locked) = Gate::new().expect("gate").split();
    let (release, released) = Gate::new().expect("gate").split();
    let holder = std::thread::spawn(move || {
        let _guard = LOCK.lock();
        locked.open();
        released.wait();
    });
    is_locked.wait();
    let forked = run::<(), u32>(&StartMethod::Fork, &REGISTRY, "take_the_lock", &());
    let spawned = run::<(), u32>(&StartMethod::Spawn, &REGISTRY, "take_the_lock", &());
    let served = run::<(), u32>(&StartMethod::Forkserver(&server), &REGISTRY, "take_the_lock", &());
    release.open();
    holder.join().expect("join");
    assert!(wait_until_single_threaded(Duration::from_secs(5)));
    assert!(
        matches!(forked, Err(StartError::Os(ref why)) if why.starts_with("refusing to fork")),
        "{forked:?}"
    );
    assert_eq!(spawned, Ok(1), "a spawned child starts with the lock free and the count at 0");
    assert_eq!(served, Ok(1), "the fork server was copied before the lock was taken");
}
// ANCHOR_END: threads

fn main() -> ExitCode {
    init(&REGISTRY);
    testkit::harness::run(testkit::trials![
        every_method_gives_the_same_result,
        panics_and_unknown_tasks_are_errors_under_every_method,
        spawn_and_forkserver_work_where_fork_would_deadlock,
    ])
}
