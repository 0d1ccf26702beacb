//! A lock between processes that the kernel releases when its holder dies: a POSIX record lock.
//!
//! [`TokenLock`](crate::TokenLock) has one weakness: a process that dies while it holds the token takes
//! the token with it, and the others wait forever. A record lock (`fcntl` with `F_SETLKW`, see
//! [fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html), "Advisory record locking") has not:
//! the kernel keeps it in its own table, in the name of a process, and removes it when that process
//! ends, however it ends: an exit, a panic, `SIGKILL`.
//!
//! The lock is a write lock over the whole of a small anonymous file, made by
//! [memfd_create(2)](https://man7.org/linux/man-pages/man2/memfd_create.2.html): it has no name to clean
//! up, and, like a pipe, it is shared by forking after making it. Three rules come with it, all
//! following from its belonging to a process:
//!
//! - A forked child does not inherit its parent's lock. If the parent holds it at the fork, the child
//!   does not: it waits for it like any other process, and takes its own.
//! - Within one process it excludes nothing. A process that holds the lock and asks again gets it at
//!   once (a process holds it or not; there is no count), and the first release frees it. It is a lock
//!   between processes, not between the threads of one.
//! - Closing *any* descriptor of the file releases every lock the process holds on it, a duplicate's
//!   included. So each process keeps exactly one descriptor, the one inside its [`RecordLock`].

use std::fs::File;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use nix::errno::Errno;
use nix::fcntl::{FcntlArg, fcntl};
use nix::sys::memfd::{MFdFlags, memfd_create};
use nix::unistd::Pid;

// ANCHOR: record_lock
/// A lock between processes that the kernel releases when its holder dies: a POSIX record lock
/// (`fcntl` `F_SETLKW`, a write lock over the whole file) on a small anonymous file (`memfd_create`,
/// close-on-exec).
#[derive(Debug)]
pub struct RecordLock {
    /// This process's one descriptor of the file: closing any other would release its lock.
    file: File,
}

/// A held [`RecordLock`]; dropping it releases the lock (`F_UNLCK`).
///
/// A forked child's copy of a guard holds nothing, since the lock is not inherited: dropping it
/// releases nothing of the parent's (only a lock the child took itself).
#[derive(Debug)]
pub struct RecordGuard<'a> {
    lock: &'a RecordLock,
}

impl RecordLock {
    /// A new lock, free: no process holds it.
    pub fn new() -> io::Result<RecordLock> {
        let fd = memfd_create(c"record-lock", MFdFlags::MFD_CLOEXEC)?;
        Ok(RecordLock { file: fd.into() })
    }

    /// Blocks until this process holds the lock (retries `EINTR`).
    pub fn acquire(&self) -> io::Result<RecordGuard<'_>> {
        loop {
            match fcntl(&self.file, FcntlArg::F_SETLKW(&whole_file(libc::F_WRLCK))) {
                Ok(_) => return Ok(RecordGuard { lock: self }),
                // A signal interrupted the wait: wait again.
                Err(Errno::EINTR) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    // ANCHOR_END: record_lock

    /// The lock, from a descriptor of its file: how a process started by `exec`, which has no copy of
    /// its parent's [`RecordLock`], makes one of the descriptor handed to it. That descriptor becomes
    /// this process's one descriptor of the file.
    pub fn from_fd(file: OwnedFd) -> RecordLock {
        RecordLock { file: file.into() }
    }

    /// Takes the lock if it is free now (`F_SETLK`); `None` if another process holds it.
    pub fn try_acquire(&self) -> io::Result<Option<RecordGuard<'_>>> {
        loop {
            match fcntl(&self.file, FcntlArg::F_SETLK(&whole_file(libc::F_WRLCK))) {
                Ok(_) => return Ok(Some(RecordGuard { lock: self })),
                // Another process holds it; POSIX lets the kernel say so with either error.
                Err(Errno::EAGAIN | Errno::EACCES) => return Ok(None),
                Err(Errno::EINTR) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// The pid of another process that holds the lock now, if any (`F_GETLK`). The caller's own lock
    /// is never reported: it does not stand in the caller's way.
    pub fn holder(&self) -> io::Result<Option<Pid>> {
        let mut probe = whole_file(libc::F_WRLCK);
        loop {
            match fcntl(&self.file, FcntlArg::F_GETLK(&mut probe)) {
                Ok(_) => break,
                Err(Errno::EINTR) => {}
                Err(e) => return Err(e.into()),
            }
        }
        // F_GETLK answers in place: F_UNLCK if the lock could be taken, else who stands in the way.
        if probe.l_type == libc::F_UNLCK as libc::c_short {
            Ok(None)
        } else {
            Ok(Some(Pid::from_raw(probe.l_pid)))
        }
    }
}

impl AsFd for RecordLock {
    /// The file's descriptor, to hand to a process started by `exec` (see [`RecordLock::from_fd`]).
    /// Never close a duplicate of it in this process: that would release this process's lock.
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.file.as_fd()
    }
}

/// A request of `kind` (`F_WRLCK`, `F_UNLCK`) for the whole file: from offset 0, with length 0, which
/// means "to the end, however far the file grows".
fn whole_file(kind: libc::c_int) -> libc::flock {
    libc::flock {
        l_type: kind as libc::c_short,
        l_whence: libc::SEEK_SET as libc::c_short,
        l_start: 0,
        l_len: 0,
        l_pid: 0,
    }
}

impl Drop for RecordGuard<'_> {
    /// Releases the lock: `F_UNLCK` over the whole file.
    fn drop(&mut self) {
        // An unlock never waits; it could fail only for a closed descriptor, and ours is open while
        // the guard borrows the lock.
        while let Err(Errno::EINTR) = fcntl(&self.lock.file, FcntlArg::F_SETLK(&whole_file(libc::F_UNLCK))) {}
    }
}
