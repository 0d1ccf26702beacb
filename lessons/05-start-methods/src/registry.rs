//! The tasks and entries a new process can run, found by name or by the function's own type.
//!
//! A forked child shares its parent's code at the same addresses, so a function pointer is enough to
//! tell it what to run. A spawned child is a fresh start of the program: addresses may differ
//! (address-space layout randomisation), and nothing of the parent's memory is there. It needs a
//! name it can look up, which is what Python's pickle sends for a function: its module and name.
//! The table of names is compiled into the program, so a name that is not in it is an error, never a
//! jump to an address nobody checked.

use std::any::TypeId;
use std::os::fd::OwnedFd;
use std::sync::OnceLock;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::StartError;

// ANCHOR: function
/// A function of one to six arguments, called on a tuple of them. Implemented for every `Fn` of
/// those arities, so that [`task!`](crate::task) takes a function of any of them: its arguments
/// travel as one tuple, `(a,)` for one argument (which postcard encodes exactly as `a`), `(a, b)` for two.
pub trait Function<Args> {
    /// What the function returns.
    type Output;
    /// Calls the function with the tuple's fields as its arguments.
    fn call_with_tuple(&self, args: Args) -> Self::Output;
}
// ANCHOR_END: function

/// Implements [`Function`] for every `Fn` taking arguments of the listed types (each with a name for
/// its value).
macro_rules! function_of_arity {
    ($($arg:ident $value:ident),+) => {
        impl<F, $($arg,)+ R> Function<($($arg,)+)> for F
        where
            F: Fn($($arg),+) -> R,
        {
            type Output = R;
            fn call_with_tuple(&self, ($($value,)+): ($($arg,)+)) -> R {
                self($($value),+)
            }
        }
    };
}

function_of_arity!(A a);
function_of_arity!(A a, B b);
function_of_arity!(A a, B b, C c);
function_of_arity!(A a, B b, C c, D d);
function_of_arity!(A a, B b, C c, D d, E e);
function_of_arity!(A a, B b, C c, D d, E e, G g);

/// A function a child can run: its name, its type, and wrappers that decode its arguments and
/// encode its result with postcard.
#[derive(Clone, Copy)]
pub struct Task {
    /// The name a child looks the task up by (`stringify!` of the path given to [`task!`](crate::task)).
    pub name: &'static str,
    /// The type of the function itself: in Rust every function has a type of its own, so this tells
    /// the pool which task a function is, without comparing addresses.
    pub key: fn() -> TypeId,
    /// Decodes the argument tuple, calls the function, encodes its result.
    pub call: fn(&[u8]) -> Result<Vec<u8>, StartError>,
    /// Decodes a list of argument tuples, calls the function on each in order, encodes the list of
    /// results (one chunk of a map).
    pub call_each: fn(&[u8]) -> Result<Vec<u8>, StartError>,
}

impl std::fmt::Debug for Task {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Task({})", self.name)
    }
}

// ANCHOR: entry
/// The main function of a long-lived child, found by name in a spawned or served process: it gets the
/// descriptors its starter handed over, in the starter's order, and the starter's message, and returns
/// the exit code.
#[derive(Clone, Copy)]
pub struct Entry {
    /// The name a child looks the entry up by.
    pub name: &'static str,
    /// The child's main function: the descriptors it was handed, the message; returns the exit code.
    pub main: fn(Vec<OwnedFd>, &[u8]) -> i32,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Entry({})", self.name)
    }
}
// ANCHOR_END: entry

/// Decodes `args` as the argument tuple of `function`, calls it, encodes its result. What
/// [`task!`](crate::task) wraps each function in.
pub fn call_with<F, Args, R>(function: &F, args: &[u8]) -> Result<Vec<u8>, StartError>
where
    F: Function<Args, Output = R>,
    Args: DeserializeOwned,
    R: Serialize,
{
    let args: Args = postcard::from_bytes(args)?;
    Ok(postcard::to_stdvec(&function.call_with_tuple(args))?)
}

/// Decodes `chunk` as a list of argument tuples of `function`, calls it on each in order, and encodes
/// the list of its results.
pub fn call_each_with<F, Args, R>(function: &F, chunk: &[u8]) -> Result<Vec<u8>, StartError>
where
    F: Function<Args, Output = R>,
    Args: DeserializeOwned,
    R: Serialize,
{
    let chunk: Vec<Args> = postcard::from_bytes(chunk)?;
    let results: Vec<R> = chunk.into_iter().map(|args| function.call_with_tuple(args)).collect();
    Ok(postcard::to_extend(&results, with_room_for(&results))?)
}

/// An empty buffer with room for the encoding of `items`, guessed from their size in memory: encoding
/// into a buffer that must grow again and again copies what it holds each time.
pub fn with_room_for<T>(items: &[T]) -> Vec<u8> {
    Vec::with_capacity(16 + items.len() * (std::mem::size_of::<T>() + 2))
}

/// The type of `function` itself, which is the task's key: every function item has a type of its
/// own, so two functions never share one, whatever their bodies.
pub fn key_of<F: 'static>(_: &F) -> TypeId {
    TypeId::of::<F>()
}

// ANCHOR: task_macro
/// A [`Task`] for a function of one to six arguments whose arguments and result are serde types,
/// named after it: `task!(square)`.
#[macro_export]
macro_rules! task {
    ($function:path) => {
        $crate::registry::Task {
            name: stringify!($function),
            key: || $crate::registry::key_of(&$function),
            call: |args| $crate::registry::call_with(&$function, args),
            call_each: |chunk| $crate::registry::call_each_with(&$function, chunk),
        }
    };
}
// ANCHOR_END: task_macro

// ANCHOR: registry
/// The tasks and entries this program can run in a child, by name.
#[derive(Debug, Clone, Copy)]
pub struct Registry {
    /// The one-shot tasks.
    pub tasks: &'static [Task],
    /// The main functions of long-lived children.
    pub entries: &'static [Entry],
}

impl Registry {
    /// The task called `name`.
    pub fn find(&self, name: &str) -> Result<Task, StartError> {
        self.tasks
            .iter()
            .copied()
            .find(|task| task.name == name)
            .ok_or_else(|| StartError::UnknownTask(name.into()))
    }

    /// The task that wraps `function`: the one whose key is the type of `function` itself. Pass the
    /// function (`&square`), not a pointer to it: a pointer's type is shared by every function of its
    /// signature, so no task has it as its key.
    pub fn task_of<F: 'static>(&self, function: &F) -> Result<Task, StartError> {
        let key = key_of(function);
        self.tasks
            .iter()
            .copied()
            .find(|task| (task.key)() == key)
            .ok_or_else(|| StartError::Unregistered(std::any::type_name::<F>().into()))
    }

    /// The entry called `name`.
    pub fn entry(&self, name: &str) -> Result<Entry, StartError> {
        self.entries
            .iter()
            .copied()
            .find(|entry| entry.name == name)
            .ok_or_else(|| StartError::UnknownEntry(name.into()))
    }
}
// ANCHOR_END: registry

// ANCHOR: current
/// The registry [`init`](crate::init) recorded.
static CURRENT: OnceLock<&'static Registry> = OnceLock::new();

/// Records `registry` as this program's: the first call wins. [`init`](crate::init) calls it.
pub(crate) fn remember(registry: &'static Registry) {
    let _ = CURRENT.set(registry);
}

/// The registry this program passed to [`init`](crate::init), if it has called it.
pub fn current() -> Option<&'static Registry> {
    CURRENT.get().copied()
}
// ANCHOR_END: current
