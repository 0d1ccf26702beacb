//! A pool's memory stays flat: a result leaves the pool once its handle has taken it, or once the
//! handle is gone. Its descriptors are bounded too: three for each worker, whatever the backlog.

mod common;

use std::process::ExitCode;
use std::time::Duration;

use common::{REGISTRY, big, square};
use lesson_06_pool::Pool;
use testkit::sandbox;

/// This process's resident memory, in bytes (`/proc/self/statm`).
fn resident() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("statm");
    let pages: usize = statm.split_whitespace().nth(1).and_then(|n| n.parse().ok()).expect("resident pages");
    // SAFETY: sysconf only reads a system setting.
    pages * unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as usize
}

/// Runs `tasks` tiny tasks through `pool` in batches of a thousand: each batch submitted with
/// `apply_async`, then half its handles read and half dropped unread.
fn run_tasks(pool: &Pool, tasks: u64) {
    for batch in 0..tasks / 1000 {
        let handles: Vec<_> =
            (0..1000).map(|i| pool.apply_async(square, batch * 1000 + i).expect("submit")).collect();
        for (i, handle) in handles.into_iter().enumerate() {
            if i % 2 == 0 {
                let _ = handle.get().expect("a result");
            }
        }
    }
}

// ANCHOR: memory
/// After a warm-up of 10,000 tasks, 100,000 more grow the parent's resident memory by less than
/// 1 MB.
fn one_hundred_thousand_tasks_leave_memory_flat() {
    let grown = sandbox::run(Duration::from_secs(120), || {
        let pool = Pool::new(Some(2)).expect("pool");
        run_tasks(&pool, 10_000);
        let before = resident();
        run_tasks(&pool, 100_000);
        // The last handles dropped unread: let their results come in and be dropped.
        let _ = pool.apply(square, 0);
        resident().saturating_sub(before)
    })
    .value_with_children_reaped();
    println!("100,000 tasks after warm-up grew the parent by {grown} bytes");
    assert!(grown < 1 << 20, "100,000 tasks grew the parent by {grown} bytes");
}
// ANCHOR_END: memory

/// A 64 MiB result, read and dropped, leaves the parent's memory where it was.
fn a_large_result_is_freed_once_dropped() {
    let grown = sandbox::run(Duration::from_secs(60), || {
        let pool = Pool::new(Some(1)).expect("pool");
        let _ = pool.apply(square, 1);
        let before = resident();
        let result = pool.apply(big, 0).expect("a large result");
        let held = resident().saturating_sub(before);
        drop(result);
        (held, resident().saturating_sub(before))
    })
    .value_with_children_reaped();
    assert!(grown.0 >= 64 << 20 && grown.1 < 8 << 20, "held {} then {} bytes", grown.0, grown.1);
}

/// How many descriptors this process has open (`/proc/self/fd`).
fn open_descriptors() -> usize {
    std::fs::read_dir("/proc/self/fd").expect("/proc/self/fd").count()
}

// ANCHOR: descriptors
/// A pool of 200 workers with 20,000 tasks waiting gives every task its result, and holds three
/// descriptors per worker (its report pipe, its took pipe, its pidfd) and three more for the shared
/// queue and its lock: the backlog waits in the parent's memory, not in descriptors.
fn two_hundred_workers_and_twenty_thousand_tasks_keep_descriptors_bounded() {
    let (opened, wrong) = sandbox::run(Duration::from_secs(120), || {
        let before = open_descriptors();
        let pool = Pool::new(Some(200)).expect("a pool of 200");
        let handles: Vec<_> = (0..20_000).map(|n| pool.apply_async(square, n).expect("submit")).collect();
        let opened = open_descriptors() - before;
        let wrong =
            (0..20_000).zip(&handles).filter(|(n, handle)| !matches!(handle.get(), Ok(r) if r == n * n));
        let wrong = wrong.count();
        pool.close();
        pool.join().expect("join");
        (opened, wrong)
    })
    .value_with_children_reaped();
    println!("a pool of 200 with 20,000 tasks waiting held {opened} more descriptors");
    assert_eq!(wrong, 0, "{wrong} of 20,000 tasks gave no result or a wrong one");
    assert!(opened <= 3 * 200 + 3, "a pool of 200 held {opened} descriptors");
}
// ANCHOR_END: descriptors

fn main() -> ExitCode {
    lesson_05_start_methods::init(&REGISTRY);
    testkit::harness::run(testkit::trials![
        one_hundred_thousand_tasks_leave_memory_flat,
        a_large_result_is_freed_once_dropped,
        two_hundred_workers_and_twenty_thousand_tasks_keep_descriptors_bounded
    ])
}
