//! How many threads this process has.

/// The number of threads in this process, from the `Threads:` line of `/proc/self/status`.
///
/// Linux only. Returns `usize::MAX` when the file cannot be read, so callers that need a
/// single-threaded process refuse rather than guess.
pub fn thread_count() -> usize {
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
