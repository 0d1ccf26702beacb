//! What a process runs.

// ANCHOR: run
/// The activity of a process: what `Process::run` does, and what `start` does inside the child.
///
/// Closures implement it, so `Process::new(move || work(arg))` works; so can a type of yours,
/// which is how Python code subclasses `Process` and overrides `run()`:
///
/// ```
/// use lesson_03_process::{Process, Run};
///
/// struct Countdown { from: u32 }
///
/// impl Run for Countdown {
///     fn run(&mut self) -> i32 {
///         (1..=self.from).rev().for_each(|n| println!("{n}"));
///         0
///     }
/// }
///
/// let process = Process::new(Countdown { from: 3 });
/// assert_eq!(process.name(), "Process-1");
/// ```
pub trait Run {
    /// Does the work and returns the exit code (0 for success).
    fn run(&mut self) -> i32;
}

/// What a closure target may return: nothing (exit code 0) or an exit code.
pub trait Outcome {
    /// The exit code this value stands for.
    fn exit_code(self) -> i32;
}

impl Outcome for () {
    fn exit_code(self) -> i32 {
        0
    }
}

impl Outcome for i32 {
    fn exit_code(self) -> i32 {
        self
    }
}

impl<F, R> Run for F
where
    F: FnMut() -> R,
    R: Outcome,
{
    fn run(&mut self) -> i32 {
        self().exit_code()
    }
}
// ANCHOR_END: run
