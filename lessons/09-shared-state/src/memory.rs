//! How much memory a process uses, and how much of it is its own: the counters the kernel keeps in
//! `/proc/PID/smaps_rollup` ([proc_pid_smaps_rollup(5)](https://man7.org/linux/man-pages/man5/proc_pid_smaps_rollup.5.html)).
//!
//! After a fork, parent and child map the same physical pages until one of them writes to a page:
//! then the kernel copies that page for the writer (copy-on-write). The counters tell the two kinds of
//! page apart. A page mapped by this process alone is *private*; one mapped by several processes is
//! *shared*. A page that was written to since it was loaded from its file, or that has no file (the
//! heap, the stack), is *dirty*.

use std::io;

use nix::unistd::Pid;

// ANCHOR: memory_use
/// The memory counters of one process, in bytes, summed over all its mappings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemoryUse {
    /// Resident set size: every page of the process that is in memory, shared or not.
    pub rss: u64,
    /// Proportional set size: each resident page divided by the number of processes that map it.
    pub pss: u64,
    /// Pages mapped by other processes too, unchanged since they were read from their file.
    pub shared_clean: u64,
    /// Pages mapped by other processes too, and dirty: after a fork, the pages not yet copied.
    pub shared_dirty: u64,
    /// Pages this process alone maps, unchanged since they were read from their file.
    pub private_clean: u64,
    /// Pages this process alone maps, and dirty: after a fork, the copies made for this process.
    pub private_dirty: u64,
}

/// The counters of process `pid`, read from `/proc/PID/smaps_rollup`.
pub fn memory_use(pid: Pid) -> io::Result<MemoryUse> {
    MemoryUse::parse(&std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))?)
}

/// The counters of the calling process, read from `/proc/self/smaps_rollup`.
pub fn own_memory_use() -> io::Result<MemoryUse> {
    MemoryUse::parse(&std::fs::read_to_string("/proc/self/smaps_rollup")?)
}

/// The counters of the one mapping of the calling process that holds `address`, read from
/// `/proc/self/smaps`, which lists them mapping by mapping. For a large `Vec`, the allocator gives
/// the buffer a mapping of its own, so these are the buffer's pages (the kernel may merge a mapping
/// with a neighbour of the same kind, whose pages then count too).
pub fn own_memory_use_at(address: *const u8) -> io::Result<MemoryUse> {
    let smaps = std::fs::read_to_string("/proc/self/smaps")?;
    let address = address as usize;
    let mut lines = smaps.lines();
    while let Some(line) = lines.next() {
        let Some((start, end)) = mapping_range(line) else { continue };
        if (start..end).contains(&address) {
            // The counters follow the mapping's own line, up to the next mapping's.
            let counters: Vec<&str> = lines.take_while(|line| mapping_range(line).is_none()).collect();
            return MemoryUse::parse(&counters.join("\n"));
        }
    }
    Err(io::Error::other(format!("no mapping holds the address {address:#x}")))
}
// ANCHOR_END: memory_use

/// The addresses of a mapping's line of `smaps` (`7f12a000-7f12c000 rw-p …`); `None` for a counter's.
fn mapping_range(line: &str) -> Option<(usize, usize)> {
    let range = line.split_whitespace().next()?;
    let (start, end) = range.split_once('-')?;
    Some((usize::from_str_radix(start, 16).ok()?, usize::from_str_radix(end, 16).ok()?))
}

impl MemoryUse {
    /// Reads the counters from the text of an `smaps_rollup` file: lines such as `Rss: 1632 kB`.
    /// A counter missing from the text is an error, as is a line with a number that does not parse.
    pub fn parse(text: &str) -> io::Result<MemoryUse> {
        let field = |name: &str| -> io::Result<u64> {
            let line = text
                .lines()
                .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
                .ok_or_else(|| io::Error::other(format!("smaps_rollup has no {name} line")))?;
            let kib = line.trim().trim_end_matches("kB").trim();
            let kib: u64 = kib.parse().map_err(|_| io::Error::other(format!("{name}: {line:?}")))?;
            Ok(kib * 1024)
        };
        Ok(MemoryUse {
            rss: field("Rss")?,
            pss: field("Pss")?,
            shared_clean: field("Shared_Clean")?,
            shared_dirty: field("Shared_Dirty")?,
            private_clean: field("Private_Clean")?,
            private_dirty: field("Private_Dirty")?,
        })
    }
}

/// `bytes` in MiB, rounded to the nearest whole MiB: what a listing prints, so that the few hundred
/// KiB a process's own stack and heap add do not change its output from run to run.
pub fn about_mib(bytes: u64) -> u64 {
    (bytes + (1 << 19)) >> 20
}
