//! How many threads this process has.

use std::os::unix::fs::MetadataExt;

/// The number of threads in this process.
///
/// Linux keeps one entry per thread in the directory `/proc/self/task`, and reports the directory's
/// link count as the number of threads plus two (for `.` and `..`), so one `stat` call answers:
/// about 4 µs, where reading the `Threads:` line of `/proc/self/status` takes ten times as long (the
/// kernel writes the whole file for each read). That line is the fallback, should the count ever be
/// implausible. Returns `usize::MAX` when neither can be read, so callers that need a
/// single-threaded process refuse rather than guess.
pub fn thread_count() -> usize {
    match std::fs::metadata("/proc/self/task") {
        Ok(task) if task.nlink() >= 3 => (task.nlink() - 2) as usize,
        _ => threads_from_status(),
    }
}

/// The `Threads:` line of `/proc/self/status`.
fn threads_from_status() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| line.strip_prefix("Threads:")).and_then(|n| n.trim().parse().ok())
        })
        .unwrap_or(usize::MAX)
}

/// Waits until this process has a single thread again, for at most `limit`; returns whether it has.
///
/// Joining a thread returns as soon as the thread has finished its work, a moment before the kernel
/// has removed it from the process, so right after `join` the count may still include it.
pub fn wait_until_single_threaded(limit: std::time::Duration) -> bool {
    let deadline = std::time::Instant::now() + limit;
    while thread_count() > 1 {
        if std::time::Instant::now() >= deadline {
            return false;
        }
        std::thread::yield_now();
    }
    true
}
