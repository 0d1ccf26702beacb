//! A cap on how many processes contained code may have at once, so a fork bomb cannot starve the
//! machine.
//!
//! Two mechanisms, each where it works: a pids cgroup (its limit binds root too), where the process
//! may create one; and `RLIMIT_NPROC` for ordinary users (the kernel does not apply it to root).

use std::fs::File;
use std::path::{Path, PathBuf};

/// The most processes one piece of contained code may have at once.
pub const MAX_PROCESSES: u64 = 256;

/// A pids cgroup of this process's own, removed when dropped.
#[derive(Debug)]
pub struct PidsCgroup {
    dir: PathBuf,
    /// `cgroup.procs`, open for writing: write a pid to move that process in.
    pub procs: File,
}

impl PidsCgroup {
    /// Creates a pids cgroup named `name-PID` allowing `max` processes, under cgroup v1's pids
    /// hierarchy or cgroup v2's root where its pids controller is enabled; `None` where neither can
    /// be written. Empty cgroups of the same name left by processes that died are removed first.
    pub fn create(name: &str, max: u64) -> Option<PidsCgroup> {
        let v2_has_pids = std::fs::read_to_string("/sys/fs/cgroup/cgroup.subtree_control")
            .is_ok_and(|controllers| controllers.split_whitespace().any(|c| c == "pids"));
        let parents = ["/sys/fs/cgroup/pids"].into_iter().chain(v2_has_pids.then_some("/sys/fs/cgroup"));
        for parent in parents {
            remove_stale(Path::new(parent), name);
            let dir = Path::new(parent).join(format!("{name}-{}", std::process::id()));
            if std::fs::create_dir(&dir).is_err() {
                continue;
            }
            let limited = std::fs::write(dir.join("pids.max"), max.to_string()).is_ok();
            let procs = File::options().write(true).open(dir.join("cgroup.procs"));
            match (limited, procs) {
                (true, Ok(procs)) => return Some(PidsCgroup { dir, procs }),
                _ => {
                    let _ = std::fs::remove_dir(&dir);
                }
            }
        }
        None
    }

    /// Moves the calling process into the cgroup. Call it in a child right after fork.
    pub fn enter(&self) -> std::io::Result<()> {
        use std::io::Write;
        (&self.procs).write_all(std::process::id().to_string().as_bytes())
    }
}

impl Drop for PidsCgroup {
    fn drop(&mut self) {
        // Only an empty cgroup can be removed; callers drop it once every process in it is reaped.
        let _ = std::fs::remove_dir(&self.dir);
    }
}

/// Removes `parent/name-PID` directories whose process no longer exists (empty cgroups only).
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file_name.strip_prefix(name).and_then(|rest| rest.strip_prefix('-')) else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir(entry.path());
        }
    }
}

/// The `RLIMIT_NPROC` that leaves room for [`MAX_PROCESSES`] more processes of this user, or `None`
/// for root, whom the kernel does not limit.
pub fn nproc_limit() -> Option<u64> {
    // SAFETY: geteuid cannot fail and touches no memory.
    if unsafe { libc::geteuid() } == 0 {
        return None;
    }
    Some(processes_of_this_user() + MAX_PROCESSES)
}

/// Sets `RLIMIT_NPROC` to `limit`. Async-signal-safe: it may run between fork and exec.
pub fn set_nproc_limit(limit: u64) {
    let rlimit = libc::rlimit { rlim_cur: limit, rlim_max: limit };
    // SAFETY: setrlimit reads the struct we pass and nothing else.
    unsafe { libc::setrlimit(libc::RLIMIT_NPROC, &rlimit) };
}

/// How many processes this process's real user has now.
fn processes_of_this_user() -> u64 {
    // SAFETY: getuid cannot fail and touches no memory.
    let uid = unsafe { libc::getuid() }.to_string();
    let Ok(entries) = std::fs::read_dir("/proc") else { return 0 };
    entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().chars().all(|c| c.is_ascii_digit()))
        .filter_map(|entry| std::fs::read_to_string(entry.path().join("status")).ok())
        .filter(|status| {
            status.lines().find_map(|l| l.strip_prefix("Uid:")).and_then(|l| l.split_whitespace().next())
                == Some(uid.as_str())
        })
        .count() as u64
}
