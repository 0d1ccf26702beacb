//! Memory that several processes see: a `MAP_SHARED` mapping.
//!
//! A fork copies the parent's memory, page by page as either side writes: what the child writes, the
//! parent never sees. A mapping made with `MAP_SHARED`
//! ([mmap(2)](https://man7.org/linux/man-pages/man2/mmap.2.html)) is the exception: a fork gives the
//! child the same pages, not copies, and a write by either process is seen by the other.
//!
//! Two kinds, one type:
//!
//! - [`SharedMemory::anonymous`]: `MAP_SHARED | MAP_ANONYMOUS`, memory with no file behind it. Only the
//!   process that made it and the children it forks afterwards can ever map it.
//! - [`SharedMemory::memfd`]: a `MAP_SHARED` mapping of an anonymous file made by
//!   [memfd_create(2)](https://man7.org/linux/man-pages/man2/memfd_create.2.html). The file's
//!   descriptor can be handed to a process that is no fork of ours, one started by `exec` (chapter 5's
//!   spawn method) or one that received it over a Unix socket; it maps the same pages with
//!   [`SharedMemory::from_fd`].
//!
//! Both start filled with zero bytes. This module is the only place where the crate turns bytes of a
//! mapping into typed values, in `SharedMemory::atomics`: everything above it sees atomics, never
//! plain memory, because plain reads and writes of memory that another process writes at the same
//! time are a data race, which Rust's rules forbid.

use std::ffi::CStr;
use std::io;
use std::num::NonZeroUsize;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicI32, AtomicI64, AtomicIsize, AtomicU32, AtomicU64, AtomicUsize};

use nix::sys::memfd::{MFdFlags, memfd_create};
use nix::sys::mman::{MapFlags, ProtFlags, mmap, mmap_anonymous, munmap};

// ANCHOR: shared_memory
/// A region of memory mapped `MAP_SHARED`: a process forked after it was made writes to the same
/// pages as its parent, not to copies. Dropping it unmaps it in this process only; the pages live on
/// while any process maps them.
#[derive(Debug)]
pub struct SharedMemory {
    start: NonNull<u8>,
    len: usize,
    /// The anonymous file behind a [`SharedMemory::memfd`] mapping; `None` for an anonymous one.
    file: Option<OwnedFd>,
}

impl SharedMemory {
    /// `len` bytes of anonymous shared memory, zero-filled: `MAP_SHARED | MAP_ANONYMOUS`. Shared only
    /// with the processes this one forks afterwards.
    pub fn anonymous(len: usize) -> io::Result<SharedMemory> {
        let size = non_zero(len)?;
        let both = ProtFlags::PROT_READ | ProtFlags::PROT_WRITE;
        // SAFETY: a new mapping at an address of the kernel's choosing overlaps nothing of ours.
        let start = unsafe { mmap_anonymous(None, size, both, MapFlags::MAP_SHARED)? };
        Ok(SharedMemory { start: start.cast(), len, file: None })
    }

    /// `len` bytes of shared memory in an anonymous file (`memfd_create`, close-on-exec), zero-filled.
    /// Its descriptor, [`SharedMemory::fd`], lets a process that is no fork of ours map it too.
    pub fn memfd(name: &CStr, len: usize) -> io::Result<SharedMemory> {
        let file = memfd_create(name, MFdFlags::MFD_CLOEXEC)?;
        let size = i64::try_from(len).map_err(io::Error::other)?;
        nix::unistd::ftruncate(&file, size)?;
        SharedMemory::from_fd(file)
    }

    /// Maps the whole of the file `file` shared, as a process does with a descriptor it was handed.
    pub fn from_fd(file: OwnedFd) -> io::Result<SharedMemory> {
        let len = usize::try_from(nix::sys::stat::fstat(&file)?.st_size).map_err(io::Error::other)?;
        let both = ProtFlags::PROT_READ | ProtFlags::PROT_WRITE;
        // SAFETY: a new mapping at an address of the kernel's choosing overlaps nothing of ours.
        let start = unsafe { mmap(None, non_zero(len)?, both, MapFlags::MAP_SHARED, &file, 0)? };
        Ok(SharedMemory { start: start.cast(), len, file: Some(file) })
    }
    // ANCHOR_END: shared_memory

    /// The mapping's length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Always false: a mapping has at least one byte.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The descriptor of the file behind a [`SharedMemory::memfd`] mapping, to hand to another
    /// process; `None` for an anonymous mapping, which has no file.
    pub fn fd(&self) -> Option<BorrowedFd<'_>> {
        self.file.as_ref().map(AsFd::as_fd)
    }

    // ANCHOR: atomics
    /// The `count` atomics of type `A` that start `offset` bytes into the mapping.
    ///
    /// Panics if they would not lie wholly inside the mapping, or if `offset` is not a multiple of
    /// `A`'s alignment: both are mistakes in this crate's layouts, not conditions a caller can meet.
    pub(crate) fn atomics<A: Atomic>(&self, offset: usize, count: usize) -> &[A] {
        let size = std::mem::size_of::<A>();
        let end = count.checked_mul(size).and_then(|bytes| bytes.checked_add(offset));
        assert!(end.is_some_and(|end| end <= self.len), "atomics past the end of the mapping");
        assert_eq!(offset % std::mem::align_of::<A>(), 0, "misaligned atomics");
        // SAFETY:
        // - alignment: the mapping starts on a page boundary, and `offset` is a multiple of A's
        //   alignment (checked above), so every element is aligned;
        // - size: the `count` elements end inside the mapping (checked above);
        // - validity: the bytes are initialised (a new mapping or file is zero-filled) and every bit
        //   pattern is a valid value of A, an integer atomic (see `Atomic`);
        // - aliasing: the memory is only ever accessed through atomics (this function is the only way
        //   to it, besides pointers given to pthread functions for lock words that never overlap the
        //   atomics), so other processes' accesses are atomic operations, not data races;
        // - lifetime: the slice borrows `self`, and the mapping is unmapped only when `self` drops.
        unsafe { std::slice::from_raw_parts(self.start.as_ptr().add(offset).cast::<A>(), count) }
    }
    // ANCHOR_END: atomics

    /// A pointer to a `T` that starts `offset` bytes into the mapping, for a C object such as a
    /// `pthread_mutex_t` that is only ever touched through C functions given this pointer.
    ///
    /// Panics if the `T` would not lie wholly inside the mapping, or is misaligned.
    pub(crate) fn raw<T>(&self, offset: usize) -> *mut T {
        let end = offset.checked_add(std::mem::size_of::<T>());
        assert!(end.is_some_and(|end| end <= self.len), "an object past the end of the mapping");
        assert_eq!(offset % std::mem::align_of::<T>(), 0, "a misaligned object");
        // In bounds (checked above), so the pointer stays inside the mapping.
        self.start.as_ptr().wrapping_add(offset).cast::<T>()
    }
}

impl Drop for SharedMemory {
    /// Unmaps the region in this process; other processes keep their mappings.
    fn drop(&mut self) {
        // SAFETY: `start` and `len` describe exactly the mapping made in the constructor, and
        // nothing borrows it any more: every borrow of it ends before `self` drops.
        let _ = unsafe { munmap(self.start.cast(), self.len) };
    }
}

// SAFETY: the mapping is only accessed through atomics and pthread functions made for sharing
// between threads and processes; the pointer is valid in whichever thread holds the value.
unsafe impl Send for SharedMemory {}
// SAFETY: as for Send: `&SharedMemory` gives out only atomics and pointers for C lock functions.
unsafe impl Sync for SharedMemory {}

fn non_zero(len: usize) -> io::Result<NonZeroUsize> {
    NonZeroUsize::new(len).ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "an empty mapping"))
}

mod sealed {
    /// Only the atomics this crate lists can be [`Atomic`](super::Atomic).
    pub trait Sealed {}
}

/// An integer atomic that may live in shared memory: every bit pattern is a valid value, zero bytes
/// included, and it is lock-free, so that its operations work between processes. Sealed: implemented
/// for `AtomicI32`, `AtomicU32`, `AtomicI64`, `AtomicU64`, `AtomicIsize` and `AtomicUsize` only.
pub trait Atomic: sealed::Sealed + Sync {}

macro_rules! atomic {
    ($($atomic:ty),*) => {$(
        impl sealed::Sealed for $atomic {}
        impl Atomic for $atomic {}
    )*};
}

atomic!(AtomicI32, AtomicU32, AtomicI64, AtomicU64, AtomicIsize, AtomicUsize);
