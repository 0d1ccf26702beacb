//! Running one graded test so that whatever the learner's code does stays inside.
//!
//! Layers, each used where the system allows it:
//!
//! 1. **A process group** of its own, killed until empty when the test ends or its time runs out
//!    (always; see `testkit::contained`). The grader is a child subreaper, so descendants that lose
//!    their parent come back to it and are killed and reaped too.
//! 2. **A PID namespace** (`unshare --pid --fork --kill-child --mount-proc`, which needs root or user
//!    namespaces): the test process is its init, and when it ends the kernel kills every process left
//!    in the namespace, whatever process group it moved to.
//! 3. **A cap on the number of processes**, so a fork bomb cannot starve the machine: a pids cgroup
//!    where one can be created (this holds for root too), and `RLIMIT_NPROC` for ordinary users
//!    (the kernel does not apply it to root).

use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};

use testkit::limits::{MAX_PROCESSES, PidsCgroup, nproc_limit, set_nproc_limit};

use crate::words::{fill, tr};

/// How the grader contains each test on this machine.
#[derive(Debug)]
pub struct Containment {
    pid_namespace: bool,
    cgroup: Option<PidsCgroup>,
    nproc_limit: Option<u64>,
}

impl Containment {
    /// Finds out which layers this machine allows.
    pub fn detect() -> Containment {
        let pid_namespace = Command::new("unshare")
            .args(["--pid", "--fork", "--kill-child", "--mount-proc", "true"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        let cgroup = PidsCgroup::create("fork-to-pool-grader", MAX_PROCESSES);
        Containment { pid_namespace, cgroup, nproc_limit: nproc_limit() }
    }

    /// A line saying which layers are in force.
    pub fn describe(&self) -> String {
        let mut layers = vec![tr("its own process group")];
        if self.pid_namespace {
            layers.push(tr("a PID namespace"));
        }
        if self.cgroup.is_some() {
            layers.push(fill(tr("a pids cgroup (at most {count} processes)"), &[("count", &MAX_PROCESSES)]));
        }
        if let Some(limit) = self.nproc_limit {
            layers.push(format!("RLIMIT_NPROC {limit}"));
        }
        layers.join(&tr(", "))
    }

    /// The command that runs the test `name` of the test binary `binary`, contained.
    pub fn command(&self, binary: &Path, name: &str) -> Command {
        let mut command = if self.pid_namespace {
            let mut command = Command::new("unshare");
            command.args(["--pid", "--fork", "--kill-child", "--mount-proc"]).arg(binary);
            command
        } else {
            Command::new(binary)
        };
        command.args(["--exact", name]).env("RUST_BACKTRACE", "0").env("NO_COLOR", "1");
        let procs = self.cgroup.as_ref().map(|cgroup| cgroup.procs.as_raw_fd());
        let nproc = self.nproc_limit;
        // SAFETY: the closure runs in the forked child before exec and only makes async-signal-safe
        // calls (getpid, write, setrlimit) on values prepared in the parent; it allocates nothing.
        unsafe {
            command.pre_exec(move || {
                if let Some(fd) = procs {
                    let mut digits = [0u8; 12];
                    let text = decimal(libc::getpid() as u64, &mut digits);
                    libc::write(fd, text.as_ptr().cast(), text.len());
                }
                if let Some(limit) = nproc {
                    set_nproc_limit(limit);
                }
                Ok(())
            });
        }
        command
    }
}

/// Writes `n` in decimal into `buffer` and returns the digits, without allocating.
fn decimal(mut n: u64, buffer: &mut [u8; 12]) -> &[u8] {
    let mut start = buffer.len();
    loop {
        start -= 1;
        buffer[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buffer[start..];
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimal_writes_digits() {
        let mut buffer = [0u8; 12];
        assert_eq!(super::decimal(0, &mut buffer), b"0");
        assert_eq!(super::decimal(4194304, &mut buffer), b"4194304");
    }
}
