//! Pinning a process to a core, and the two placements the round-trip figures are measured in.
//!
//! A round trip between two processes costs a wake-up of the process at the other end. If both live
//! on one core, the kernel switches from one to the other on that core; if they live on two, the
//! sleeping one must be woken on the other core, by an interrupt. The figures pin both ends to make
//! each case happen every time, not only when the scheduler happens to choose it.

use nix::sched::{CpuSet, sched_getaffinity, sched_setaffinity};
use nix::unistd::Pid;

/// Where the two ends of a round trip run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Both ends on CPU 0.
    OneCore,
    /// The parent on CPU 0, its child (or worker, or thread) on CPU 1.
    TwoCores,
}

impl Placement {
    /// Both placements, in the order the figures are printed.
    pub const BOTH: [Placement; 2] = [Placement::OneCore, Placement::TwoCores];

    /// The CPU the child end runs on; the parent end always runs on CPU 0.
    pub fn child_cpu(self) -> usize {
        match self {
            Placement::OneCore => 0,
            Placement::TwoCores => 1,
        }
    }

    /// The placement's name as the table and the Python script spell it: `one` or `two`.
    pub fn name(self) -> &'static str {
        match self {
            Placement::OneCore => "one",
            Placement::TwoCores => "two",
        }
    }

    /// Words for a figure's label: `one core` or `two cores`.
    pub fn words(self) -> &'static str {
        match self {
            Placement::OneCore => "one core",
            Placement::TwoCores => "two cores",
        }
    }
}

/// Pins the calling thread (for a single-threaded process, the process) to `cpu`.
///
/// [`sched_setaffinity(2)`](https://man7.org/linux/man-pages/man2/sched_setaffinity.2.html) with pid
/// 0 sets the calling thread's mask; a child forked or a thread started later inherits it.
pub fn pin_to(cpu: usize) -> nix::Result<()> {
    let mut set = CpuSet::new();
    set.set(cpu)?;
    sched_setaffinity(Pid::from_raw(0), &set)
}

/// The calling thread's CPU mask, restored when dropped: pin freely while it lives.
pub struct Restore {
    saved: CpuSet,
}

impl Restore {
    /// Remembers the calling thread's current mask.
    pub fn save() -> nix::Result<Restore> {
        Ok(Restore { saved: sched_getaffinity(Pid::from_raw(0))? })
    }
}

impl Drop for Restore {
    fn drop(&mut self) {
        // A mask this thread had a moment ago is valid now; should it fail, the next figure runs
        // pinned, which shows in its numbers but breaks nothing.
        let _ = sched_setaffinity(Pid::from_raw(0), &self.saved);
    }
}

/// How many CPUs this process may run on: a two-core placement needs two.
pub fn usable_cpus() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}
