//! `Array` and `Value`: integers in shared memory, each with a lock beside it, like Python's
//! `multiprocessing.Array` and `multiprocessing.Value`.
//!
//! The mapping holds a robust mutex (see [`crate::robust_lock`]) in its first
//! `MUTEX_ROOM` bytes, then the atomics. Each operation on one element is atomic by itself; the lock
//! is for a change that takes several, as `get` then `set` does.

use std::ffi::CStr;
use std::io;
use std::marker::PhantomData;
use std::os::fd::{BorrowedFd, OwnedFd};

use crate::robust_lock::{self, Acquired, MUTEX_ROOM};
use crate::scalar::Scalar;
use crate::shared_memory::SharedMemory;

// ANCHOR: array
/// `len` integers of type `T` in shared memory, with a lock: `multiprocessing.Array`.
#[derive(Debug)]
pub struct Array<T: Scalar> {
    memory: SharedMemory,
    len: usize,
    _type: PhantomData<T>,
}

impl<T: Scalar> Array<T> {
    /// An array holding `values`, in an anonymous shared mapping: shared with the processes this
    /// one forks afterwards.
    pub fn new(values: &[T]) -> io::Result<Array<T>> {
        Array::in_memory(SharedMemory::anonymous(Array::<T>::bytes(values.len()))?, values)
    }

    /// An array holding `values`, in an anonymous file (`memfd_create`), whose descriptor
    /// ([`Array::fd`]) a process that is no fork of ours can map with [`Array::from_fd`].
    pub fn in_memfd(values: &[T]) -> io::Result<Array<T>> {
        Array::in_memory(SharedMemory::memfd(MEMFD_NAME, Array::<T>::bytes(values.len()))?, values)
    }

    /// The array another process made with [`Array::in_memfd`], from its file's descriptor. Its
    /// length follows from the file's size; the type is the caller's to agree on, as with any bytes.
    pub fn from_fd(file: OwnedFd) -> io::Result<Array<T>> {
        let memory = SharedMemory::from_fd(file)?;
        let size = std::mem::size_of::<T::Atomic>();
        let data = memory.len().checked_sub(MUTEX_ROOM).filter(|data| data % size == 0);
        let len = data.ok_or_else(|| io::Error::other("the file is no Array of this type"))? / size;
        Ok(Array { memory, len, _type: PhantomData })
    }
    // ANCHOR_END: array

    /// The bytes a mapping needs for `len` elements: the lock's room, then the atomics.
    fn bytes(len: usize) -> usize {
        MUTEX_ROOM + len * std::mem::size_of::<T::Atomic>()
    }

    fn in_memory(memory: SharedMemory, values: &[T]) -> io::Result<Array<T>> {
        robust_lock::init(&memory, 0)?;
        let array = Array { memory, len: values.len(), _type: PhantomData };
        for (atomic, &value) in array.atomics().iter().zip(values) {
            T::store(atomic, value);
        }
        Ok(array)
    }

    fn atomics(&self) -> &[T::Atomic] {
        self.memory.atomics(MUTEX_ROOM, self.len)
    }

    fn at(&self, index: usize) -> &T::Atomic {
        let len = self.len;
        self.atomics()
            .get(index)
            .unwrap_or_else(|| panic!("index {index} out of range for an Array of {len}"))
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it has no elements.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    // ANCHOR: access
    /// Element `index` (panics if out of range, as indexing does).
    pub fn get(&self, index: usize) -> T {
        T::load(self.at(index))
    }

    /// Sets element `index` to `value`.
    pub fn set(&self, index: usize, value: T) {
        T::store(self.at(index), value)
    }

    /// Adds `value` to element `index` in one indivisible step; returns the element's old value.
    pub fn fetch_add(&self, index: usize, value: T) -> T {
        T::fetch_add(self.at(index), value)
    }

    /// Takes the array's lock, as `get_lock().acquire()` does in Python; says whether its last holder
    /// died holding it. The lock guards what you agree it guards: `get` and `set` do not take it.
    pub fn lock(&self) -> io::Result<Acquired<'_>> {
        robust_lock::acquire(&self.memory, 0)
    }
    // ANCHOR_END: access

    /// Every element, read one by one.
    pub fn to_vec(&self) -> Vec<T> {
        self.atomics().iter().map(T::load).collect()
    }

    /// The descriptor of the file behind an [`Array::in_memfd`] array, to hand to another process;
    /// `None` for an array in an anonymous mapping.
    pub fn fd(&self) -> Option<BorrowedFd<'_>> {
        self.memory.fd()
    }
}

// ANCHOR: value
/// One integer of type `T` in shared memory, with a lock: `multiprocessing.Value`. An [`Array`] of
/// one element.
#[derive(Debug)]
pub struct Value<T: Scalar> {
    array: Array<T>,
}

impl<T: Scalar> Value<T> {
    /// A value in an anonymous shared mapping, shared with the processes this one forks afterwards.
    pub fn new(value: T) -> io::Result<Value<T>> {
        Ok(Value { array: Array::new(&[value])? })
    }

    /// Reads the value: Python's `v.value`.
    pub fn get(&self) -> T {
        self.array.get(0)
    }

    /// Writes the value: Python's `v.value = x`.
    pub fn set(&self, value: T) {
        self.array.set(0, value)
    }

    /// Adds `value` in one indivisible step and returns the old value. Python's `Value` has no
    /// twin: there, `v.value += 1` is a read and then a write.
    pub fn fetch_add(&self, value: T) -> T {
        self.array.fetch_add(0, value)
    }

    /// Takes the value's lock: Python's `v.get_lock()`, acquired.
    pub fn lock(&self) -> io::Result<Acquired<'_>> {
        self.array.lock()
    }
}
// ANCHOR_END: value

impl<T: Scalar> Value<T> {
    /// A value in an anonymous file (`memfd_create`), to hand to a process that is no fork of ours.
    pub fn in_memfd(value: T) -> io::Result<Value<T>> {
        Ok(Value { array: Array::in_memfd(&[value])? })
    }

    /// The value another process made with [`Value::in_memfd`], from its file's descriptor.
    pub fn from_fd(file: OwnedFd) -> io::Result<Value<T>> {
        let array = Array::from_fd(file)?;
        if array.len() != 1 {
            return Err(io::Error::other("the file holds an Array, not a Value"));
        }
        Ok(Value { array })
    }

    /// The descriptor of the file behind an [`Value::in_memfd`] value; `None` otherwise.
    pub fn fd(&self) -> Option<BorrowedFd<'_>> {
        self.array.fd()
    }
}

/// The name `memfd_create` gives the files behind [`Array::in_memfd`] (it shows in `/proc/PID/fd`).
pub const MEMFD_NAME: &CStr = c"shared-array";
