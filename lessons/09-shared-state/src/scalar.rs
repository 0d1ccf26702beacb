//! The types a [`Value`](crate::Value) or an [`Array`](crate::Array) can hold: integers, each stored
//! as the atomic of its size, the way Python's `Value('i')` and `Value('q')` name a C type.

use std::fmt::Debug;
use std::sync::atomic::Ordering::SeqCst;
use std::sync::atomic::{AtomicI32, AtomicI64, AtomicIsize, AtomicU32, AtomicU64, AtomicUsize};

use crate::shared_memory::Atomic;

mod sealed {
    /// Only the integers this crate lists can be [`Scalar`](super::Scalar).
    pub trait Sealed {}
}

// ANCHOR: scalar
/// An integer type that can live in shared memory, with the atomic that stores it. Every operation
/// is one atomic instruction, sequentially consistent (`SeqCst`).
pub trait Scalar: sealed::Sealed + Copy + Debug + Send + 'static {
    /// The atomic that stores a value of this type.
    type Atomic: Atomic;
    /// Reads the value.
    fn load(atomic: &Self::Atomic) -> Self;
    /// Writes the value.
    fn store(atomic: &Self::Atomic, value: Self);
    /// Adds `value` (wrapping on overflow) in one indivisible step, and returns what was there before.
    fn fetch_add(atomic: &Self::Atomic, value: Self) -> Self;
}
// ANCHOR_END: scalar

macro_rules! scalar {
    ($($int:ty => $atomic:ty),*) => {$(
        impl sealed::Sealed for $int {}
        impl Scalar for $int {
            type Atomic = $atomic;
            fn load(atomic: &$atomic) -> $int {
                atomic.load(SeqCst)
            }
            fn store(atomic: &$atomic, value: $int) {
                atomic.store(value, SeqCst)
            }
            fn fetch_add(atomic: &$atomic, value: $int) -> $int {
                atomic.fetch_add(value, SeqCst)
            }
        }
    )*};
}

scalar!(i32 => AtomicI32, u32 => AtomicU32, i64 => AtomicI64, u64 => AtomicU64, isize => AtomicIsize,
    usize => AtomicUsize);
