//! A task as it crosses to a worker: which function, and its encoded arguments.
//!
//! A forked worker has the pool's code at the same addresses, so the address of a `fn(A) -> R` is
//! enough to name it. A spawned worker runs the same program file afresh, loaded at another address
//! (address-space layout randomisation moves the whole program), but every function still sits at the
//! same distance from every other. So a task names its functions by their *offset* from one fixed
//! function of this crate, [`anchor`], which works for both. A capturing closure has no address to
//! give, just as Python cannot pickle a lambda. With the function travels a *caller*: a generic
//! function, instantiated for `A` and `R` in the parent, that decodes the arguments, calls the
//! function and encodes its result.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::PoolError;

/// A caller: given the function's address and the encoded arguments, returns the encoded result.
pub type Caller = fn(usize, &[u8]) -> Result<Vec<u8>, PoolError>;

/// The fixed point that function offsets are measured from.
#[inline(never)]
pub fn anchor() {}

/// A function's offset from [`anchor`].
fn offset(address: usize) -> usize {
    address.wrapping_sub(anchor as fn() as usize)
}

/// The address of the function at `offset` from [`anchor`], in this process.
fn address(offset: usize) -> usize {
    (anchor as fn() as usize).wrapping_add(offset)
}

// ANCHOR: task
/// One task for a worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Task {
    /// The caller, a [`Caller`], as an offset from [`anchor`].
    pub caller: usize,
    /// The user's function, a `fn(A) -> R`, as an offset from [`anchor`].
    pub function: usize,
    /// The arguments, encoded with postcard.
    pub args: Vec<u8>,
}
// ANCHOR_END: task

impl Task {
    /// A task that calls `function` on `args`.
    pub fn call<A: Serialize + DeserializeOwned, R: Serialize + DeserializeOwned>(
        function: fn(A) -> R,
        args: &A,
    ) -> Result<Task, PoolError> {
        let caller: Caller = call_one::<A, R>;
        Ok(Task {
            caller: offset(caller as usize),
            function: offset(function as usize),
            args: postcard::to_stdvec(args)?,
        })
    }

    /// A task that calls `function` on each of `items`, in order: one chunk of a `map`.
    pub fn chunk<A: Serialize + DeserializeOwned, R: Serialize + DeserializeOwned>(
        function: fn(A) -> R,
        items: &[A],
    ) -> Result<Task, PoolError> {
        let caller: Caller = call_chunk::<A, R>;
        Ok(Task {
            caller: offset(caller as usize),
            function: offset(function as usize),
            args: postcard::to_stdvec(items)?,
        })
    }

    /// A task that calls the two-argument `function` on each pair of `items`: a chunk of a `starmap`.
    pub fn chunk2<A, B, R>(function: fn(A, B) -> R, items: &[(A, B)]) -> Result<Task, PoolError>
    where
        A: Serialize + DeserializeOwned,
        B: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned,
    {
        let caller: Caller = call_chunk2::<A, B, R>;
        Ok(Task {
            caller: offset(caller as usize),
            function: offset(function as usize),
            args: postcard::to_stdvec(items)?,
        })
    }

    /// Runs the task, in a worker.
    ///
    /// # Safety
    ///
    /// `self` must have been made by [`Task::call`], [`Task::chunk`] or [`Task::chunk2`] in a process
    /// running the same program file as this one (this process, a fork of it, or a process that
    /// started the file this one was spawned from), so that both offsets lead to the functions they
    /// were taken from.
    pub unsafe fn run(&self) -> Result<Vec<u8>, PoolError> {
        // SAFETY: by this function's contract, `caller` is the offset of a `Caller` in this program.
        let caller: Caller = unsafe { std::mem::transmute::<usize, Caller>(address(self.caller)) };
        caller(address(self.function), &self.args)
    }
}

// ANCHOR: callers
/// Decodes one `A`, calls the `fn(A) -> R` at `function`, encodes the `R`.
fn call_one<A: DeserializeOwned, R: Serialize>(function: usize, args: &[u8]) -> Result<Vec<u8>, PoolError> {
    // SAFETY: `Task::call` took `function` from a `fn(A) -> R` with these very `A` and `R`, in a
    // process of which this one is a fork (Task::run's contract).
    let function = unsafe { std::mem::transmute::<usize, fn(A) -> R>(function) };
    let args: A = postcard::from_bytes(args)?;
    Ok(postcard::to_stdvec(&function(args))?)
}

/// Decodes a `Vec<A>`, calls the `fn(A) -> R` at `function` on each, encodes the `Vec<R>`.
fn call_chunk<A: DeserializeOwned, R: Serialize>(function: usize, args: &[u8]) -> Result<Vec<u8>, PoolError> {
    // SAFETY: as in `call_one`: `Task::chunk` took `function` from a `fn(A) -> R`.
    let function = unsafe { std::mem::transmute::<usize, fn(A) -> R>(function) };
    let items: Vec<A> = postcard::from_bytes(args)?;
    let results: Vec<R> = items.into_iter().map(function).collect();
    Ok(postcard::to_stdvec(&results)?)
}

/// Decodes a `Vec<(A, B)>`, calls the `fn(A, B) -> R` at `function` on each pair, encodes the `Vec<R>`.
fn call_chunk2<A: DeserializeOwned, B: DeserializeOwned, R: Serialize>(
    function: usize,
    args: &[u8],
) -> Result<Vec<u8>, PoolError> {
    // SAFETY: as in `call_one`: `Task::chunk2` took `function` from a `fn(A, B) -> R`.
    let function = unsafe { std::mem::transmute::<usize, fn(A, B) -> R>(function) };
    let items: Vec<(A, B)> = postcard::from_bytes(args)?;
    let results: Vec<R> = items.into_iter().map(|(a, b)| function(a, b)).collect();
    Ok(postcard::to_stdvec(&results)?)
}
// ANCHOR_END: callers
