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
