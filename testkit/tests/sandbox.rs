//! The sandbox reports every way learner code can go wrong, within its time limit, and leaves no
//! process behind. These are the guarantees the graded tests and the grader rely on.

use std::fs::File;
use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::Duration;

use lesson_01_fork::{Fork, exit_now, fork, wait_for};
use nix::errno::Errno;
use nix::sys::wait::{WaitPidFlag, waitpid};
use testkit::sandbox::{self, Failure, call};

/// A short limit for the tests that are meant to run out of time.
const SHORT: Duration = Duration::from_millis(500);

/// Checks that this process has no child left, running or zombie.
fn assert_no_children() {
    assert_eq!(waitpid(None, Some(WaitPidFlag::WNOHANG)), Err(Errno::ECHILD), "a child was left behind");
}

fn a_value_comes_back() {
    let outcome = sandbox::run(SHORT, || vec![1u32, 2, 3]);
    assert_eq!(outcome.result, Ok(vec![1, 2, 3]));
    assert_eq!(outcome.left_behind, 0);
    assert_no_children();
}

fn a_panic_is_reported_with_its_message_and_place() {
    let outcome = sandbox::run(SHORT, || -> u8 { todo!() });
    let Err(Failure::Panicked(message)) = outcome.result else { panic!("{:?}", outcome.result) };
    assert!(message.starts_with("not yet implemented (at testkit/tests/sandbox.rs:"), "{message}");
    assert_no_children();
}

fn an_endless_loop_times_out() {
    let outcome = sandbox::run(SHORT, || -> u8 {
        #[allow(clippy::empty_loop)]
        loop {}
    });
    assert_eq!(outcome.result, Err(Failure::TimedOut(SHORT)));
    assert_no_children();
}

fn a_tree_of_blocked_children_is_killed_and_reaped() {
    // Forty processes in a chain, each blocked for ever after forking the next; the last tells the
    // runner the chain is complete, and the runner blocks too.
    let outcome = sandbox::run(SHORT, || -> u8 {
        let (mut complete, complete_end) =
            nix::unistd::pipe().map(|(r, w)| (File::from(r), File::from(w))).unwrap();
        let runner = nix::unistd::getpid();
        for depth in 1..=40 {
            match fork() {
                Ok(Fork::Child) if depth == 40 => {
                    let _ = (&complete_end).write_all(b"!");
                }
                Ok(Fork::Child) => continue,
                _ => break,
            }
        }
        if nix::unistd::getpid() == runner {
            let _ = complete.read_exact(&mut [0u8; 1]);
        }
        loop {
            nix::unistd::pause();
        }
    });
    assert_eq!(outcome.result, Err(Failure::TimedOut(SHORT)));
    assert_eq!(outcome.left_behind, 40, "the sandbox killed and reaped the whole chain");
    assert_no_children();
}

fn a_child_returning_into_the_caller_is_reported() {
    let outcome = sandbox::run(SHORT, || {
        call(|| {
            let _ = fork(); // the mistake: both processes return
        })
    });
    assert_eq!(outcome.result, Err(Failure::ChildReturned));
    assert_no_children();
}

fn a_child_panicking_into_the_caller_is_reported() {
    let outcome = sandbox::run(SHORT, || match fork() {
        Ok(Fork::Child) => panic!("boom in the child"),
        Ok(Fork::Parent { child }) => wait_for(child).unwrap_or(0),
        Err(_) => 0,
    });
    let Err(Failure::ChildPanicked(message)) = outcome.result else { panic!("{:?}", outcome.result) };
    assert!(message.starts_with("boom in the child"), "{message}");
    assert_no_children();
}

fn children_never_reaped_are_counted() {
    let outcome = sandbox::run(SHORT, || {
        for _ in 0..3 {
            if let Ok(Fork::Child) = fork() {
                exit_now(0);
            }
        }
        let reaped = fork().map(|f| match f {
            Fork::Child => exit_now(0),
            Fork::Parent { child } => wait_for(child),
        });
        reaped.is_ok()
    });
    assert_eq!(outcome.result, Ok(true));
    assert_eq!(outcome.left_behind, 3, "three zombies were never reaped by the code");
    assert_no_children();
}

fn a_runner_that_exits_is_reported() {
    let outcome = sandbox::run(SHORT, || -> u8 { exit_now(3) });
    assert_eq!(outcome.result, Err(Failure::RunnerEnded("exited with status 3".into())));
    assert_no_children();
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        a_value_comes_back,
        a_panic_is_reported_with_its_message_and_place,
        an_endless_loop_times_out,
        a_tree_of_blocked_children_is_killed_and_reaped,
        a_child_returning_into_the_caller_is_reported,
        a_child_panicking_into_the_caller_is_reported,
        children_never_reaped_are_counted,
        a_runner_that_exits_is_reported,
    ])
}
