//! Chapter 1 exercises: fork, one call with two returns. Replace each `todo!()` with your code.
//!
//! Every child you fork must end with `_exit` (`exit_now`) and never return into its caller, and
//! every child must be reaped (`wait_for`) before your function returns.

// The imports and parameters are the ones your code will need; until then they are unused.
#![allow(unused_imports, unused_variables)]

use std::io::{Read, Write};

use lesson_01_fork::{Fork, Pid, exit_now, fork, getpid, getppid, wait_for};

// ANCHOR: fork_children
/// Fork `n` children and return their pids, in the order you forked them.
///
/// Each child ends at once with `exit_now(0)`. The parent reaps every child before it returns.
pub fn fork_children(n: usize) -> Vec<Pid> {
    todo!()
}
// ANCHOR_END: fork_children

// ANCHOR: child_view
/// What one child saw, and what its parent was told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildView {
    /// The pid `fork` returned to the parent.
    pub returned_to_parent: Pid,
    /// The child's own pid, as `getpid()` gave it in the child.
    pub child_pid: Pid,
    /// The child's parent, as `getppid()` gave it in the child.
    pub child_parent: Pid,
}
// ANCHOR_END: child_view

// ANCHOR: what_the_child_saw
/// Fork one child and learn, in the parent, what the child saw as its own pid and its parent's pid.
///
/// The child sends both numbers to the parent through a pipe, then ends with `exit_now(0)`.
/// The parent reads them, reaps the child, and returns them with the pid `fork` gave it.
pub fn what_the_child_saw() -> ChildView {
    todo!()
}
// ANCHOR_END: what_the_child_saw

// ANCHOR: count_processes
/// Call `fork()` `k` times in a loop, as Listing 1-5 does, and return how many processes took part.
///
/// Every process, parent and child, goes on with the loop. Each process other than the first waits
/// for its own children, then ends with `exit_now(n)`, where n is the number of processes in its tree
/// (itself and all its descendants). The first process adds up its children's codes and returns.
pub fn count_processes(k: u32) -> usize {
    todo!()
}
// ANCHOR_END: count_processes

// ANCHOR: exit_code_of
/// Run `task` in a child process and return the child's exit code.
///
/// The child ends with `exit_now(code)`, where `code` is what `task` returned. If `task` panics,
/// the child ends with code 1 (as an uncaught exception gives exit code 1 in Python): the panic
/// must never unwind out of the child into your caller's code.
pub fn exit_code_of(task: fn() -> i32) -> i32 {
    todo!()
}
// ANCHOR_END: exit_code_of
