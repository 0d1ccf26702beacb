//! What a sandboxed run gives back: the code's value, or how it failed, and what it left behind.

use std::time::Duration;

/// How the contained code ended, when it did not return a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The code panicked in the runner process (a `todo!()` not yet filled in, among others).
    Panicked(String),
    /// The code did not return within the time limit.
    TimedOut(Duration),
    /// A child process forked by the code returned into the caller instead of ending with `_exit`.
    ChildReturned,
    /// A child process forked by the code panicked and unwound into the caller.
    ChildPanicked(String),
    /// The runner process itself ended without returning, for instance by calling `exit`.
    RunnerEnded(String),
}

/// How the message of a [`Failure::TimedOut`] begins: the grader recognises a test that hung by it.
pub const TIMED_OUT: &str = "did not finish within";

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Panicked(message) => write!(f, "{message}"),
            Failure::TimedOut(limit) => write!(
                f,
                "{TIMED_OUT} {}s: an endless loop, a child that never ends, \
                 or a wait for a child that never exits?",
                limit.as_secs_f32()
            ),
            Failure::ChildReturned => write!(
                f,
                "a child process returned from your function into its caller: end every child \
                 with _exit (lesson_01_fork::exit_now) so it never returns"
            ),
            Failure::ChildPanicked(message) => write!(
                f,
                "a child process panicked ({message}) and unwound into its caller: catch the \
                 panic in the child and end it with _exit"
            ),
            Failure::RunnerEnded(how) => write!(
                f,
                "the process running your function {how} instead of returning: only children \
                 may end with _exit"
            ),
        }
    }
}

/// What a sandboxed run gave back.
#[derive(Debug)]
pub struct Outcome<T> {
    /// The code's value, or how it failed.
    pub result: Result<T, Failure>,
    /// Processes the code forked and never reaped (killed and reaped by the sandbox instead).
    pub left_behind: usize,
}

impl<T> Outcome<T> {
    /// The value; panics with a message that says what went wrong otherwise.
    #[track_caller]
    pub fn value(self) -> T {
        match self.result {
            Ok(value) => value,
            Err(failure) => panic!("{failure}"),
        }
    }

    /// The value, after checking that no child was left behind; panics with advice otherwise.
    #[track_caller]
    pub fn value_with_children_reaped(self) -> T {
        let left = self.left_behind;
        let value = self.value();
        if left > 0 {
            panic!("{left} child process(es) were left behind: reap every child you fork, with `wait_for`");
        }
        value
    }
}
