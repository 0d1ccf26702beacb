//! A lock between processes that survives the death of its holder: a robust, process-shared pthread
//! mutex in shared memory.
//!
//! Python's `multiprocessing.Lock` is a POSIX semaphore of value 1. A semaphore has no owner: if the
//! process that took it dies before it releases it, nobody ever will, and every later `acquire()`
//! waits for ever. A pthread mutex made *robust* (`PTHREAD_MUTEX_ROBUST`, see
//! [pthread_mutexattr_setrobust(3)](https://man7.org/linux/man-pages/man3/pthread_mutexattr_setrobust.3.html))
//! has an owner, and the kernel knows it: glibc keeps, for each thread, a list of the robust mutexes
//! it holds and registers that list with the kernel (`set_robust_list`). When the thread dies, however
//! it dies, the kernel walks the list, marks each mutex "owner died" and wakes one waiter. The next
//! `pthread_mutex_lock` then succeeds with `EOWNERDEAD` instead of 0: you hold the lock, *and* the data
//! it guards may be half-updated. The new holder repairs it, and calls `pthread_mutex_consistent` to
//! say the lock may be used normally again.
//!
//! `PTHREAD_PROCESS_SHARED` lets processes other than the creator's threads use the mutex: the mutex
//! must then live in memory they all map, a [`SharedMemory`].
//!
//! Our [`Lock::acquire`] calls `pthread_mutex_consistent` itself and reports what happened as an
//! [`Acquired`]: [`Acquired::Free`] or [`Acquired::HolderDied`]. It is a value, not a panic and not an
//! error, since the caller does hold the lock either way.

use std::io;
use std::marker::PhantomData;

use crate::shared_memory::SharedMemory;

/// The room a mutex takes at the start of a mapping: more than `pthread_mutex_t` needs (40 bytes on
/// x86-64 Linux), and a multiple of every atomic's alignment, so what follows it is aligned.
pub(crate) const MUTEX_ROOM: usize = 64;

const _: () = assert!(std::mem::size_of::<libc::pthread_mutex_t>() <= MUTEX_ROOM);

// ANCHOR: acquired
/// How [`Lock::acquire`] got the lock.
#[derive(Debug)]
#[must_use = "the lock is released when the guard inside is dropped"]
pub enum Acquired<'a> {
    /// The lock was free, or released by its last holder.
    Free(Guard<'a>),
    /// The last holder died while it held the lock. The caller holds it now, and the lock works
    /// normally again, but what the lock guards may be half-updated: repair it before releasing.
    HolderDied(Guard<'a>),
}
// ANCHOR_END: acquired

impl<'a> Acquired<'a> {
    /// Whether the last holder died holding the lock.
    pub fn holder_died(&self) -> bool {
        matches!(self, Acquired::HolderDied(_))
    }

    /// The guard, whichever way the lock was got.
    pub fn into_guard(self) -> Guard<'a> {
        match self {
            Acquired::Free(guard) | Acquired::HolderDied(guard) => guard,
        }
    }
}

/// A held lock; dropping it releases the lock (`pthread_mutex_unlock`).
///
/// A copy of a guard in a forked child holds nothing: the mutex knows its owner by thread id, and
/// the child's unlock of it fails (`EPERM`) without effect.
#[derive(Debug)]
pub struct Guard<'a> {
    mutex: *mut libc::pthread_mutex_t,
    /// Borrows the memory the mutex lives in; and, being a pointer, makes the guard neither `Send`
    /// nor `Sync`: a mutex must be unlocked by the thread that locked it.
    _memory: PhantomData<&'a SharedMemory>,
}

impl Drop for Guard<'_> {
    /// Releases the lock.
    fn drop(&mut self) {
        // SAFETY: `mutex` points to a mutex that `init` initialised, in a mapping the guard borrows,
        // so it is still mapped; this thread locked it (the guard is not Send).
        unsafe { libc::pthread_mutex_unlock(self.mutex) };
    }
}

// ANCHOR: init
/// Makes a robust, process-shared mutex at `offset` in `memory`. Call it once, in the process that
/// made the mapping, before any other process can use it.
pub(crate) fn init(memory: &SharedMemory, offset: usize) -> io::Result<()> {
    let mutex = memory.raw::<libc::pthread_mutex_t>(offset);
    let mut attr = std::mem::MaybeUninit::<libc::pthread_mutexattr_t>::uninit();
    // SAFETY: `attr` is initialised by pthread_mutexattr_init before any other use and destroyed
    // after; `mutex` points to aligned, mapped memory big enough for a pthread_mutex_t (`raw` checks
    // both), which no process uses yet (the caller's promise).
    let rc = unsafe {
        let rc = libc::pthread_mutexattr_init(attr.as_mut_ptr());
        if rc != 0 {
            return Err(io::Error::from_raw_os_error(rc));
        }
        let mut rc = libc::pthread_mutexattr_setpshared(attr.as_mut_ptr(), libc::PTHREAD_PROCESS_SHARED);
        if rc == 0 {
            rc = libc::pthread_mutexattr_setrobust(attr.as_mut_ptr(), libc::PTHREAD_MUTEX_ROBUST);
        }
        if rc == 0 {
            rc = libc::pthread_mutex_init(mutex, attr.as_ptr());
        }
        libc::pthread_mutexattr_destroy(attr.as_mut_ptr());
        rc
    };
    if rc == 0 { Ok(()) } else { Err(io::Error::from_raw_os_error(rc)) }
}
// ANCHOR_END: init

// ANCHOR: acquire
/// Locks the mutex at `offset` in `memory`, which [`init`] made, waiting while another holds it. If
/// its last holder died holding it, marks it consistent and says so.
pub(crate) fn acquire(memory: &SharedMemory, offset: usize) -> io::Result<Acquired<'_>> {
    let mutex = memory.raw::<libc::pthread_mutex_t>(offset);
    // SAFETY: `mutex` points to a mutex `init` initialised in this mapping, which `memory` keeps
    // mapped for as long as the guard borrows it.
    let rc = unsafe { libc::pthread_mutex_lock(mutex) };
    acquired(mutex, rc)
}
// ANCHOR_END: acquire

/// Locks the mutex at `offset` in `memory` if no one holds it; `None` if someone does.
pub(crate) fn try_acquire(memory: &SharedMemory, offset: usize) -> io::Result<Option<Acquired<'_>>> {
    let mutex = memory.raw::<libc::pthread_mutex_t>(offset);
    // SAFETY: as in `acquire`.
    let rc = unsafe { libc::pthread_mutex_trylock(mutex) };
    if rc == libc::EBUSY {
        return Ok(None);
    }
    acquired(mutex, rc).map(Some)
}

/// What a lock call that returned `rc` means: 0, held; `EOWNERDEAD`, held after a dead holder, made
/// consistent here; anything else, an error.
fn acquired<'a>(mutex: *mut libc::pthread_mutex_t, rc: libc::c_int) -> io::Result<Acquired<'a>> {
    let guard = Guard { mutex, _memory: PhantomData };
    match rc {
        0 => Ok(Acquired::Free(guard)),
        libc::EOWNERDEAD => {
            // SAFETY: this thread holds the mutex (EOWNERDEAD means the lock succeeded), which lies
            // in a mapping the caller keeps mapped.
            let rc = unsafe { libc::pthread_mutex_consistent(mutex) };
            if rc != 0 {
                return Err(io::Error::from_raw_os_error(rc));
            }
            Ok(Acquired::HolderDied(guard))
        }
        rc => {
            // We do not hold it: the guard must not unlock it.
            std::mem::forget(guard);
            Err(io::Error::from_raw_os_error(rc))
        }
    }
}

// ANCHOR: lock
/// A lock between processes that the next taker gets, with word of it, when its holder dies: a
/// robust, process-shared pthread mutex in a shared mapping. Make it before forking, like
/// `multiprocessing.Lock()`.
#[derive(Debug)]
pub struct Lock {
    memory: SharedMemory,
}

impl Lock {
    /// A new lock, free.
    pub fn new() -> io::Result<Lock> {
        let memory = SharedMemory::anonymous(MUTEX_ROOM)?;
        init(&memory, 0)?;
        Ok(Lock { memory })
    }

    /// Waits until this process holds the lock; says whether its last holder died holding it.
    pub fn acquire(&self) -> io::Result<Acquired<'_>> {
        acquire(&self.memory, 0)
    }
    // ANCHOR_END: lock

    /// Takes the lock if no one holds it now; `None` if someone does.
    pub fn try_acquire(&self) -> io::Result<Option<Acquired<'_>>> {
        try_acquire(&self.memory, 0)
    }
}
