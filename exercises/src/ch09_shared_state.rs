//! Chapter 9 exercises: shared state between processes. Replace each `todo!()` with your code.
//!
//! Shared objects (`Value`, `Array`, `Lock`, `Event`) must be made before the fork that shares them.
//! Every child you fork ends with `exit_now` (`fork_and_run` does it for you) and is reaped before
//! you return. No process waits in a loop that asks again and again: it sleeps in a lock, a wait or an
//! event.

// The imports and parameters are the ones your code will need; until then they are unused.
#![allow(unused_imports, unused_variables, unused_mut)]

use lesson_01_fork::{Pid, fork_and_run};
use lesson_02_wait::wait_for;
use lesson_09_shared_state::{Acquired, Array, Event, Value};

// ANCHOR: sum_in_children
/// Compute `part(0) + part(1) + … + part(processes - 1)`, each `part(i)` in a child process of its
/// own, all children running at once, and return the sum. The children add their parts into one
/// shared `Value<u64>`; none of them reports through its exit code.
///
/// Fork every child before you reap the first; reap them all before you return.
pub fn sum_in_children(processes: usize, part: fn(usize) -> u64) -> u64 {
    todo!()
}
// ANCHOR_END: sum_in_children

// ANCHOR: repair_after_crash
/// Take the lock of `accounts`, whose balances must add up to `total`. If its last holder died
/// holding it, a transfer may be half done: put whatever is missing from `total` back into
/// account 0. Return whether the last holder had died. Release the lock before you return.
///
/// Change nothing when the holder did not die, or when the sum is right already.
pub fn repair_after_crash(accounts: &Array<i64>, total: i64) -> std::io::Result<bool> {
    todo!()
}
// ANCHOR_END: repair_after_crash

// ANCHOR: barrier_wait
/// A barrier for `parties` processes: each calls `barrier_wait` with the same `arrived` (0 at the
/// start) and `all_here` (clear at the start), and none returns before all `parties` have called it.
/// Then every one returns.
///
/// Sleep while you wait (on the event): never in a loop that reads `arrived` again and again.
pub fn barrier_wait(arrived: &Value<u32>, all_here: &Event, parties: u32) {
    todo!()
}
// ANCHOR_END: barrier_wait
