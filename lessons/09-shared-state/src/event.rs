//! `Event`: a flag in shared memory that processes can wait for, like `multiprocessing.Event`.
//!
//! The whole event is one 32-bit word in a shared mapping: 0 while clear, 1 once set. Waiters sleep on
//! the word with a futex; `set` writes 1 and wakes them all. There is no lock inside, so a process that
//! dies in the middle of a call leaves nothing half-done: every change is one atomic store.

use std::io;
use std::sync::atomic::AtomicU32;
use std::sync::atomic::Ordering::SeqCst;
use std::time::{Duration, Instant};

use crate::futex;
use crate::shared_memory::SharedMemory;

// ANCHOR: event
/// A flag processes can wait for: `multiprocessing.Event`. Make it before forking.
#[derive(Debug)]
pub struct Event {
    memory: SharedMemory,
}

const CLEAR: u32 = 0;
const SET: u32 = 1;

impl Event {
    /// A new event, clear.
    pub fn new() -> io::Result<Event> {
        Ok(Event { memory: SharedMemory::anonymous(std::mem::size_of::<AtomicU32>())? })
    }

    fn word(&self) -> &AtomicU32 {
        &self.memory.atomics::<AtomicU32>(0, 1)[0]
    }

    /// Sets the flag and wakes every process waiting for it.
    pub fn set(&self) {
        self.word().store(SET, SeqCst);
        futex::wake_all(self.word());
    }

    /// Clears the flag: later waits wait again.
    pub fn clear(&self) {
        self.word().store(CLEAR, SeqCst);
    }

    /// Whether the flag is set.
    pub fn is_set(&self) -> bool {
        self.word().load(SeqCst) == SET
    }

    /// Sleeps until the flag is set (returns at once if it is).
    pub fn wait(&self) {
        while !self.is_set() {
            futex::wait(self.word(), CLEAR, None);
        }
    }

    /// Sleeps until the flag is set or `limit` has passed; returns whether it is set.
    pub fn wait_timeout(&self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while !self.is_set() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            futex::wait(self.word(), CLEAR, Some(left));
        }
        true
    }
}
// ANCHOR_END: event
