//! Peak memory, measured in a fresh process.
//!
//! The kernel keeps, for each process, the most resident memory it has ever had: `VmHWM`, the "high
//! water mark", in `/proc/self/status`. It never goes down, so the benchmark itself, which has mapped
//! a million squares by the time it reaches `imap`, cannot use its own. Each `imap` figure therefore
//! runs in a new process, a fresh start of this program (`measure --imap-child COUNT CHUNK`) or of
//! the Python script, which reports its own mark when the work is done. A fork would not do: a forked
//! child starts with a copy of its parent's page tables, and is charged for the pages it shares.

use std::process::Command;
use std::time::Instant;

use lesson_06_pool::Pool;
use serde::{Deserialize, Serialize};

use crate::floors::Error;
use crate::tasks::square;

/// This process's peak resident memory so far, in bytes: `VmHWM` in `/proc/self/status`.
pub fn peak_resident_bytes() -> Result<f64, Error> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let kib = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .ok_or("no VmHWM line in /proc/self/status")?;
    Ok(kib * 1024.0)
}

/// What one `imap` run in a fresh process measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImapRun {
    /// The time of the `imap` loop, in seconds (the pool's start excluded).
    pub seconds: f64,
    /// The process's peak resident memory once it was done, in bytes.
    pub peak_bytes: f64,
}

// ANCHOR: imap_child
/// The child's side of an `imap` figure: a pool of 2, `count` squares streamed in chunks of `chunk`
/// and summed as they come, then the peak memory. Runs in `measure --imap-child`, which prints the
/// result as JSON.
pub fn imap_in_this_process(count: u64, chunk: usize) -> Result<ImapRun, Error> {
    let pool = Pool::new(Some(2))?;
    let began = Instant::now();
    let mut total = 0u64;
    for square in pool.imap_chunked(square, 0..count, chunk)? {
        total = total.wrapping_add(square?);
    }
    let seconds = began.elapsed().as_secs_f64();
    let expected = (0..count).map(square).fold(0u64, u64::wrapping_add);
    if total != expected {
        return Err(format!("imap summed to {total}, not {expected}").into());
    }
    pool.close();
    pool.join()?;
    Ok(ImapRun { seconds, peak_bytes: peak_resident_bytes()? })
}
// ANCHOR_END: imap_child

/// The parent's side: starts this program afresh with `--imap-child` and reads what it printed.
pub fn imap_in_a_fresh_process(count: u64, chunk: usize) -> Result<ImapRun, Error> {
    let out = Command::new(std::env::current_exe()?)
        .args(["--imap-child", &count.to_string(), &chunk.to_string()])
        .output()?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stderr);
        return Err(format!("measure --imap-child failed ({}): {said}", out.status).into());
    }
    Ok(serde_json::from_slice(&out.stdout)?)
}
