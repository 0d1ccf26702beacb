//! Default names: `Process-1`, `Process-2`, … in the order a process creates them.
//!
//! As in CPython, a process's own children get its identity as a prefix: the first child created by
//! `Process-2` is `Process-2:1`. The counter belongs to each process and starts again at 1 in a child.

use std::sync::Mutex;

/// This process's identity (empty in the main process) and how many `Process`es it has created.
static IDENTITY: Mutex<(Vec<usize>, usize)> = Mutex::new((Vec::new(), 0));
/// This process's name, once it is the child of a `Process`.
static CURRENT: Mutex<Option<String>> = Mutex::new(None);

/// The name of the process calling it: its `Process`'s name in a child, `MainProcess` otherwise,
/// like Python's `multiprocessing.current_process().name`.
pub fn current_process_name() -> String {
    CURRENT.lock().unwrap_or_else(|e| e.into_inner()).clone().unwrap_or_else(|| "MainProcess".to_string())
}

/// The next default identity and name in this process: (`[.., n]`, `"Process-..:n"`).
pub fn next() -> (Vec<usize>, String) {
    let mut guard = IDENTITY.lock().unwrap_or_else(|e| e.into_inner());
    guard.1 += 1;
    let mut identity = guard.0.clone();
    identity.push(guard.1);
    let numbers: Vec<String> = identity.iter().map(usize::to_string).collect();
    (identity, format!("Process-{}", numbers.join(":")))
}

/// Makes `identity` and `name` this process's own, with a fresh counter. Called in a child right
/// after fork.
pub fn adopt(identity: Vec<usize>, name: String) {
    *IDENTITY.lock().unwrap_or_else(|e| e.into_inner()) = (identity, 0);
    *CURRENT.lock().unwrap_or_else(|e| e.into_inner()) = Some(name);
}
