//! `Semaphore`: a count of permits in shared memory, like `multiprocessing.Semaphore`.
//!
//! The count is one 32-bit word in a shared mapping. `acquire` takes a permit with a compare-and-swap
//! when the count is above 0, and otherwise sleeps on the word with a futex until it changes; `release`
//! adds one and wakes the sleepers, which all look again and race for it. Waking all of them, not
//! one, costs a few wake-ups that find nothing; it also means no permit can be left unused while
//! someone sleeps, even if a woken process dies before it takes it.
//!
//! Like a POSIX semaphore, and like Python's, a permit belongs to nobody: a process that dies
//! holding one does not give it back.

use std::io;
use std::marker::PhantomData;
use std::sync::atomic::AtomicU32;
use std::sync::atomic::Ordering::SeqCst;
use std::time::{Duration, Instant};

use crate::futex;
use crate::shared_memory::SharedMemory;

// ANCHOR: semaphore
/// A count of permits shared by processes: `multiprocessing.Semaphore`. Make it before forking.
#[derive(Debug)]
pub struct Semaphore {
    memory: SharedMemory,
}

/// A permit taken from a [`Semaphore`]; dropping it gives it back.
#[derive(Debug)]
#[must_use = "the permit is given back when it is dropped"]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
    /// A permit is given back by the process that took it, not by a thread it was sent to.
    _not_send: PhantomData<*const ()>,
}

impl Semaphore {
    /// A semaphore with `permits` permits.
    pub fn new(permits: u32) -> io::Result<Semaphore> {
        let semaphore = Semaphore { memory: SharedMemory::anonymous(std::mem::size_of::<AtomicU32>())? };
        semaphore.count().store(permits, SeqCst);
        Ok(semaphore)
    }

    fn count(&self) -> &AtomicU32 {
        &self.memory.atomics::<AtomicU32>(0, 1)[0]
    }

    /// Takes a permit if one is free now.
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        let mut count = self.count().load(SeqCst);
        while count > 0 {
            match self.count().compare_exchange(count, count - 1, SeqCst, SeqCst) {
                Ok(_) => return Some(Permit { semaphore: self, _not_send: PhantomData }),
                // Another process changed the count between our load and our swap: look again.
                Err(now) => count = now,
            }
        }
        None
    }

    /// Sleeps until a permit is free, and takes it.
    pub fn acquire(&self) -> Permit<'_> {
        loop {
            if let Some(permit) = self.try_acquire() {
                return permit;
            }
            futex::wait(self.count(), 0, None);
        }
    }
    // ANCHOR_END: semaphore

    /// Sleeps until a permit is free or `limit` has passed; the permit, or `None` on time-out.
    pub fn acquire_timeout(&self, limit: Duration) -> Option<Permit<'_>> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(permit) = self.try_acquire() {
                return Some(permit);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            futex::wait(self.count(), 0, Some(left));
        }
    }

    // ANCHOR: release
    /// Adds a permit and wakes the processes waiting for one. A [`Permit`] calls it when dropped; call
    /// it directly for a permit that is not yours, as Python's `release()` lets any process do.
    pub fn release(&self) {
        self.count().fetch_add(1, SeqCst);
        futex::wake_all(self.count());
    }
    // ANCHOR_END: release

    /// The number of free permits now.
    pub fn value(&self) -> u32 {
        self.count().load(SeqCst)
    }
}

impl Permit<'_> {
    /// Keeps the permit taken for good: it is not given back when this is dropped. A process that
    /// hands its permit on, to be released by another with [`Semaphore::release`], forgets it.
    pub fn forget(self) {
        std::mem::forget(self);
    }
}

impl Drop for Permit<'_> {
    /// Gives the permit back.
    fn drop(&mut self) {
        self.semaphore.release();
    }
}
