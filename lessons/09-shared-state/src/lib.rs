//! Chapter 9 of *From fork to Pool*: shared state between processes.
//!
//! One concept a file:
//!
//! - [`memory`]: how much of a process's memory is its own, from `/proc/PID/smaps_rollup`, to watch
//!   copy-on-write happen;
//! - [`shared_memory`]: [`SharedMemory`], a `MAP_SHARED` mapping, anonymous (for forked children) or in
//!   a `memfd` file (for any process handed its descriptor); the one place bytes become atomics;
//! - [`scalar`]: [`Scalar`], the integer types shared memory holds, each as its atomic;
//! - [`array`](mod@array): [`Value`] and [`Array`], like `multiprocessing.Value` and `multiprocessing.Array`;
//! - [`robust_lock`]: [`Lock`], a lock between processes whose next taker is told when its holder died
//!   holding it (a robust, process-shared pthread mutex);
//! - `futex` (private): sleeping until a word of shared memory changes;
//! - [`event`]: [`Event`], like `multiprocessing.Event`;
//! - [`semaphore`]: [`Semaphore`], like `multiprocessing.Semaphore`.

pub mod array;
pub mod event;
mod futex;
pub mod memory;
pub mod robust_lock;
pub mod scalar;
pub mod semaphore;
pub mod shared_memory;

pub use array::{Array, Value};
pub use event::Event;
pub use memory::{MemoryUse, about_mib, memory_use, own_memory_use, own_memory_use_at};
pub use robust_lock::{Acquired, Guard, Lock};
pub use scalar::Scalar;
pub use semaphore::{Permit, Semaphore};
pub use shared_memory::{Atomic, SharedMemory};
