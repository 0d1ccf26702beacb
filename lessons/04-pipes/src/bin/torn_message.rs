//! Listing 4-6: a message longer than `PIPE_BUF` is torn by another writer's message, unless the
//! writers take a lock. This listing shows a MISTAKE on purpose in its first half.
//!
//! On a busy machine the tear happens by chance: a writer waits for room in the middle of a long write,
//! and another writer gets in first. To make it happen on every run, the listing stops writer A with
//! SIGSTOP while it waits, and lets writer B go meanwhile.

use std::io::Read;
use std::time::Duration;

use lesson_01_fork::fork_and_run;
use lesson_02_wait::wait_for;
use lesson_04_pipes::{PIPE_BUF, TokenLock, bytes_waiting, set_capacity, wait_for_bytes, write_all};
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, waitpid};

/// The pipe's capacity, set explicitly: 64 KiB, Linux's default.
const PIPE_SIZE: usize = 64 * 1024;

// ANCHOR: main
/// A writes a message of `PIPE_BUF` + 8 bytes into a pipe with room for `PIPE_BUF`, and B one of 8
/// bytes while A waits for room. With `lock`, each writer holds it while it writes.
fn two_writers(lock: Option<&TokenLock>) -> Result<(), Box<dyn std::error::Error>> {
    let (mut reader, writer) = std::io::pipe()?;
    set_capacity(&writer, PIPE_SIZE)?;
    write_all(&writer, &vec![b'.'; PIPE_SIZE - PIPE_BUF])?;
    let waiting = bytes_waiting(&reader)?;
    println!("the pipe holds {} KiB, of which {} KiB wait to be read", PIPE_SIZE / 1024, waiting / 1024);

    let a = fork_and_run(|| {
        let _held = lock.map(TokenLock::acquire);
        i32::from(write_all(&writer, &[b'A'; PIPE_BUF + 8]).is_err())
    })?;
    // When the pipe is full, A has written what fit and waits for room: stop it there.
    if !wait_for_bytes(&reader, PIPE_SIZE, Duration::from_secs(10))? {
        let _ = kill(a, Signal::SIGKILL);
        wait_for(a)?;
        return Err("A did not fill the pipe".into());
    }
    kill(a, Signal::SIGSTOP)?;
    waitpid(a, Some(WaitPidFlag::WUNTRACED))?;
    println!("A is stopped in one write of {}: {} went in", size(PIPE_BUF + 8), size(PIPE_SIZE - waiting));

    let mut received = vec![0u8; PIPE_SIZE];
    reader.read_exact(&mut received)?;
    println!("the reader empties the pipe; B starts writing 8 bytes; A goes on");
    let b = fork_and_run(|| {
        let _held = lock.map(TokenLock::acquire);
        i32::from(write_all(&writer, b"BBBBBBBB").is_err())
    })?;
    if lock.is_none() {
        wait_for(b)?; // nothing holds B back: it has written once it has ended
    }
    kill(a, Signal::SIGCONT)?;
    wait_for(a)?;
    if lock.is_some() {
        wait_for(b)?; // B could take the lock only once A had written all and let it go
    }
    drop(writer);
    reader.read_to_end(&mut received)?;
    println!("the reader got: {}", runs(&received));
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("-- without a lock");
    two_writers(None)?;
    println!("-- with a lock");
    two_writers(Some(&TokenLock::new()?))?;
    Ok(())
}
// ANCHOR_END: main

/// "4 KiB", "8 bytes", "4 KiB + 8 bytes".
fn size(bytes: usize) -> String {
    match (bytes / 1024, bytes % 1024) {
        (0, rest) => format!("{rest} bytes"),
        (kib, 0) => format!("{kib} KiB"),
        (kib, rest) => format!("{kib} KiB + {rest} bytes"),
    }
}

/// The bytes as runs of one byte each: "60 KiB of '.', 8 bytes of 'B'".
fn runs(bytes: &[u8]) -> String {
    let mut runs: Vec<(u8, usize)> = Vec::new();
    for &byte in bytes {
        match runs.last_mut() {
            Some((last, count)) if *last == byte => *count += 1,
            _ => runs.push((byte, 1)),
        }
    }
    let runs: Vec<String> =
        runs.iter().map(|&(byte, n)| format!("{} of '{}'", size(n), byte as char)).collect();
    runs.join(", ")
}
