//! A test harness for tests that fork.
//!
//! libtest runs tests on several threads. After `fork()` in a multi-threaded process the child holds
//! a copy of every lock another thread held at that instant, and nobody will ever release it there.
//! This harness (a thin layer over [`libtest_mimic`]) instead runs every test, one after another, on
//! the main thread of a process that has no other thread, so a test may fork and let the child run
//! ordinary Rust code. It also makes the test process a child subreaper, so that the children of a
//! test's children come back to it to be reaped when their parent ends (see [`crate::reap`]).
//!
//! A test binary using it sets `harness = false` in its `[[test]]` section and has:
//!
//! ```ignore
//! fn main() -> std::process::ExitCode {
//!     testkit::harness::run(testkit::trials![fork_returns_zero_in_the_child, children_are_reaped])
//! }
//! ```

use std::process::ExitCode;

pub use libtest_mimic::Trial;

/// Builds a list of [`Trial`]s from test functions, each named by its path (`module::name`).
#[macro_export]
macro_rules! trials {
    ($($test:path),* $(,)?) => {
        vec![$(
            $crate::harness::Trial::test(
                stringify!($test).replace(' ', ""),
                || { $test(); Ok(()) },
            )
        ),*]
    };
}

/// Runs the tests one at a time on the main thread and returns the exit code for `main`.
///
/// Panics if the process already has more than one thread: forking would not be safe then.
pub fn run(tests: Vec<Trial>) -> ExitCode {
    let mut args = libtest_mimic::Arguments::from_args();
    // One test thread: libtest-mimic then runs every test on the main thread itself.
    args.test_threads = Some(1);
    let threads = thread_count();
    assert_eq!(threads, 1, "a test process that forks must be single-threaded, found {threads} threads");
    crate::reap::become_subreaper();
    let conclusion = libtest_mimic::run(&args, tests);
    crate::sandbox::release_cap();
    conclusion.exit_code()
}

/// The number of threads in this process, read from `/proc/self/status`.
pub fn thread_count() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status is readable");
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("/proc/self/status has a Threads: line")
}
