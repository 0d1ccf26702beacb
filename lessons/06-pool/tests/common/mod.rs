//! What chapter 6's test programs share: the tasks their pools run, the registry that names them,
//! and gates. Each test program includes this module and lists only the tests it needs, so some
//! items go unused in each.
#![allow(dead_code)]

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{BorrowedFd, FromRawFd, IntoRawFd};

use lesson_05_start_methods::{Registry, task};

/// Every function the tests' pools run, by name, and the pool's worker for spawned or served pools.
pub static REGISTRY: Registry = Registry {
    tasks: &[
        task!(square),
        task!(add),
        task!(add3),
        task!(gated),
        task!(wait_for_gate),
        task!(panics_on_three),
        task!(dies),
        task!(worker_pid),
        task!(returns_unencodable),
        task!(takes_unencodable),
        task!(pid_after_gate),
        task!(big),
        task!(fails_to_encode_at),
    ],
    entries: &[lesson_06_pool::WORKER],
};

/// A pipe as raw descriptors (read, write), kept open for the whole test and inherited by workers.
pub fn raw_pipe() -> (i32, i32) {
    let (read, write) = nix::unistd::pipe().expect("pipe");
    (read.into_raw_fd(), write.into_raw_fd())
}

/// Writes one byte to the write end `fd` of a test's pipe: opens a gate.
pub fn open_gate(fd: i32) {
    // SAFETY: the test's own pipe, open for the whole test.
    let _ = nix::unistd::write(unsafe { BorrowedFd::borrow_raw(fd) }, b"!");
}

/// Borrows the raw descriptor `fd` as a File that is not closed when dropped.
fn borrowed(fd: i32) -> std::mem::ManuallyDrop<File> {
    // SAFETY: the test made this pipe before the pool forked its workers; ManuallyDrop leaves it open
    // for the next task.
    std::mem::ManuallyDrop::new(unsafe { File::from_raw_fd(fd) })
}

/// Reads one start report from the report pipe's read end `fd`: (task index, worker pid).
pub fn next_start(fd: i32) -> (u32, i32) {
    let mut line = [0u8; 8];
    borrowed(fd).read_exact(&mut line).expect("a start report");
    let field = |at: usize| <[u8; 4]>::try_from(&line[at..at + 4]).expect("4 bytes");
    (u32::from_le_bytes(field(0)), i32::from_le_bytes(field(4)))
}

pub fn square(n: u64) -> u64 {
    n * n
}

pub fn add(a: u64, b: u64) -> u64 {
    a + b
}

pub fn add3(a: u64, b: u64, c: String) -> String {
    format!("{}{c}", a + b)
}

/// The gated task: reports (index, its worker's pid) on `report`, waits for a byte on `gate`,
/// returns `index`.
pub fn gated((report, gate, index): (i32, i32, u32)) -> u32 {
    let mut line = [0u8; 8];
    line[..4].copy_from_slice(&index.to_le_bytes());
    line[4..].copy_from_slice(&nix::unistd::getpid().as_raw().to_le_bytes());
    let _ = borrowed(report).write_all(&line);
    let _ = borrowed(gate).read_exact(&mut [0u8; 1]);
    index
}

/// Waits for a byte on `gate`, returns 1.
pub fn wait_for_gate(gate: i32) -> u8 {
    let _ = borrowed(gate).read_exact(&mut [0u8; 1]);
    1
}

/// Waits for a byte on `gate`, returns its worker's pid.
pub fn pid_after_gate(gate: i32) -> i32 {
    let _ = borrowed(gate).read_exact(&mut [0u8; 1]);
    nix::unistd::getpid().as_raw()
}

pub fn panics_on_three(n: u64) -> u64 {
    assert_ne!(n, 3, "three is not allowed");
    n
}

/// Kills its own worker.
pub fn dies(_: u8) -> u8 {
    // SAFETY: raise only sends a signal to this process.
    unsafe { libc::raise(libc::SIGKILL) };
    0
}

pub fn worker_pid(_: u8) -> i32 {
    nix::unistd::getpid().as_raw()
}

/// A value whose encoding always fails.
#[derive(Debug, serde::Deserialize)]
pub struct Unencodable;

impl serde::Serialize for Unencodable {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("this value refuses to be encoded"))
    }
}

pub fn returns_unencodable(_: u8) -> Unencodable {
    Unencodable
}

pub fn takes_unencodable(_: Unencodable) -> u8 {
    0
}

/// A 64 MiB vector.
pub fn big(_: u8) -> Vec<u8> {
    vec![7; 64 << 20]
}

/// Returns `n`; used with inputs whose items fail to encode at some point.
pub fn fails_to_encode_at(n: Item) -> u64 {
    match n {
        Item::Fine(n) => n,
        Item::Broken => unreachable!("a broken item is never sent"),
    }
}

/// An input item: a number, or one that refuses to be encoded.
#[derive(Debug, serde::Deserialize)]
pub enum Item {
    /// A number.
    Fine(u64),
    /// An item whose encoding fails.
    Broken,
}

impl serde::Serialize for Item {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Item::Fine(n) => serializer.serialize_newtype_variant("Item", 0, "Fine", n),
            Item::Broken => Err(serde::ser::Error::custom("this item refuses to be encoded")),
        }
    }
}
