//! Graded tests for chapter 1, compiled against `exercises` (yours) and `solutions`.
//!
//! Each call of your code runs in a sandbox (`testkit::sandbox`): a child process with a time limit,
//! so a panic, an endless loop, a child that returns into its caller or a child left unreaped is
//! reported as a failure with advice, and never hangs or breaks the test run.

use std::collections::HashSet;
use std::process::ExitCode;
use std::sync::atomic::{AtomicI32, Ordering};

use testkit::sandbox::{self, call};
use workbook::ch01_fork::*;

mod fork_children {
    use super::*;

    pub fn returns_one_pid_per_child() {
        for n in [0, 1, 2, 5, 16] {
            let pids = sandbox::expect(move || call(|| fork_children(n)).len());
            assert_eq!(pids, n, "fork_children({n}) returned {pids} pids");
        }
    }

    pub fn returns_distinct_pids_none_of_them_the_callers() {
        let (caller, pids) = sandbox::expect(|| {
            let pids = call(|| fork_children(8));
            (nix::unistd::getpid().as_raw(), pids.iter().map(|p| p.as_raw()).collect::<Vec<_>>())
        });
        let distinct: HashSet<_> = pids.iter().collect();
        assert_eq!(distinct.len(), pids.len(), "some pids repeat: {pids:?}");
        assert!(pids.iter().all(|&p| p > 0), "a pid is not positive: {pids:?}");
        assert!(!pids.contains(&caller), "the caller's own pid is among the children's: {pids:?}");
    }

    pub fn reaps_every_child() {
        let outcome = sandbox::run(sandbox::DEFAULT_LIMIT, || call(|| fork_children(6)).len());
        let left = outcome.left_behind;
        outcome.value();
        assert_eq!(left, 0, "{left} children were never reaped: wait_for each pid before returning");
    }
}

mod what_the_child_saw {
    use super::*;

    fn view() -> (i32, i32, i32, i32) {
        sandbox::expect(|| {
            let view = call(what_the_child_saw);
            let caller = nix::unistd::getpid().as_raw();
            (caller, view.returned_to_parent.as_raw(), view.child_pid.as_raw(), view.child_parent.as_raw())
        })
    }

    pub fn the_child_has_the_pid_fork_returned_to_the_parent() {
        let (_, returned, child_pid, _) = view();
        assert!(returned > 0, "fork returned {returned} to the parent; a child's pid is positive");
        assert_eq!(
            child_pid, returned,
            "the child saw itself as {child_pid}, but fork told the parent {returned}"
        );
    }

    pub fn the_childs_parent_is_the_caller() {
        let (caller, _, _, child_parent) = view();
        assert_eq!(
            child_parent, caller,
            "the child saw its parent as {child_parent}, but the caller is {caller}"
        );
    }
}

mod count_processes {
    use super::*;

    pub fn k_forks_make_two_to_the_k_processes() {
        for k in 0..=5u32 {
            let count = sandbox::expect(move || call(|| count_processes(k)));
            assert_eq!(count, 1 << k, "count_processes({k}) returned {count}, expected 2^{k} = {}", 1 << k);
        }
    }
}

mod exit_code_of {
    use super::*;

    fn code(task: fn() -> i32) -> i32 {
        sandbox::expect(move || call(|| exit_code_of(task)))
    }

    pub fn returns_the_code_the_task_returned() {
        assert_eq!(code(|| 0), 0);
        assert_eq!(code(|| 7), 7);
        assert_eq!(code(|| 255), 255);
    }

    pub fn a_panicking_task_gives_exit_code_one() {
        let code = code(|| panic!("a task that panics"));
        assert_eq!(code, 1, "a task that panicked gave exit code {code}");
    }

    /// The caller's pid, set by the test before it calls `exit_code_of`.
    static CALLER: AtomicI32 = AtomicI32::new(0);

    /// Exits with 1 when run by a child of the caller, 0 when run by the caller itself.
    fn in_a_child_of_the_caller() -> i32 {
        i32::from(nix::unistd::getppid().as_raw() == CALLER.load(Ordering::Relaxed))
    }

    pub fn the_task_runs_in_a_child_of_the_caller() {
        let code = sandbox::expect(|| {
            CALLER.store(nix::unistd::getpid().as_raw(), Ordering::Relaxed);
            call(|| exit_code_of(in_a_child_of_the_caller))
        });
        assert_eq!(code, 1, "the task did not run in a child of the caller: fork, and run it in the child");
    }
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        fork_children::returns_one_pid_per_child,
        fork_children::returns_distinct_pids_none_of_them_the_callers,
        fork_children::reaps_every_child,
        what_the_child_saw::the_child_has_the_pid_fork_returned_to_the_parent,
        what_the_child_saw::the_childs_parent_is_the_caller,
        count_processes::k_forks_make_two_to_the_k_processes,
        exit_code_of::returns_the_code_the_task_returned,
        exit_code_of::a_panicking_task_gives_exit_code_one,
        exit_code_of::the_task_runs_in_a_child_of_the_caller,
    ])
}
