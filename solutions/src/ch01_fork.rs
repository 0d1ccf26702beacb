//! Chapter 1 exercises: fork, one call with two returns.
//!
//! Every child you fork must end with `_exit` (`exit_now`) and never return into its caller, and
//! every child must be reaped (`wait_for`) before your function returns.

use std::io::{Read, Write};

use lesson_01_fork::{Fork, Pid, exit_now, fork, getpid, getppid, wait_for};

// ANCHOR: fork_children
/// Fork `n` children and return their pids, in the order you forked them.
///
/// Each child ends at once with `exit_now(0)`. The parent reaps every child before it returns.
pub fn fork_children(n: usize) -> Vec<Pid> {
    let mut children = Vec::with_capacity(n);
    for _ in 0..n {
        match fork().expect("fork") {
            Fork::Child => exit_now(0),
            Fork::Parent { child } => children.push(child),
        }
    }
    for &child in &children {
        wait_for(child).expect("wait for a child");
    }
    children
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
    let (read_end, write_end) = nix::unistd::pipe().expect("pipe");
    let (mut read_end, mut write_end) = (std::fs::File::from(read_end), std::fs::File::from(write_end));
    match fork().expect("fork") {
        Fork::Child => {
            let mut message = getpid().as_raw().to_le_bytes().to_vec();
            message.extend_from_slice(&getppid().as_raw().to_le_bytes());
            let sent = write_end.write_all(&message).is_ok();
            exit_now(if sent { 0 } else { 1 })
        }
        Fork::Parent { child } => {
            drop(write_end);
            let mut message = [0u8; 8];
            read_end.read_exact(&mut message).expect("read what the child sent");
            wait_for(child).expect("wait for the child");
            let number =
                |at: usize| Pid::from_raw(i32::from_le_bytes(message[at..at + 4].try_into().unwrap()));
            ChildView { returned_to_parent: child, child_pid: number(0), child_parent: number(4) }
        }
    }
}
// ANCHOR_END: what_the_child_saw

// ANCHOR: count_processes
/// Call `fork()` `k` times in a loop, as Listing 1-5 does, and return how many processes took part.
///
/// Every process, parent and child, goes on with the loop. Each process other than the first waits
/// for its own children, then ends with `exit_now(n)`, where n is the number of processes in its tree
/// (itself and all its descendants). The first process adds up its children's codes and returns.
pub fn count_processes(k: u32) -> usize {
    let first = getpid();
    let mut children = Vec::new();
    for _ in 0..k {
        match fork().expect("fork") {
            Fork::Child => children.clear(),
            Fork::Parent { child } => children.push(child),
        }
    }
    let mut in_my_tree = 1;
    for child in children {
        in_my_tree += wait_for(child).expect("wait for a child") as usize;
    }
    if getpid() != first {
        exit_now(in_my_tree as i32);
    }
    in_my_tree
}
// ANCHOR_END: count_processes

// ANCHOR: exit_code_of
/// Run `task` in a child process and return the child's exit code.
///
/// The child ends with `exit_now(code)`, where `code` is what `task` returned. If `task` panics,
/// the child ends with code 1 (as an uncaught exception gives exit code 1 in Python): the panic
/// must never unwind out of the child into your caller's code.
pub fn exit_code_of(task: fn() -> i32) -> i32 {
    match fork().expect("fork") {
        Fork::Child => exit_now(std::panic::catch_unwind(task).unwrap_or(1)),
        Fork::Parent { child } => wait_for(child).expect("wait for the child"),
    }
}
// ANCHOR_END: exit_code_of
