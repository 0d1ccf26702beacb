//! The machine a run was made on, for the header of the recorded table: the kernel (`uname -sr`), the
//! CPU model (`/proc/cpuinfo`), the number of CPUs this process may use, the Python version and the
//! date (`date -u`).

use serde::{Deserialize, Serialize};
use testkit::machine;

use crate::python::Python;

/// Where and when a run was made.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Machine {
    /// `uname -sr`: the kernel's name and release.
    pub kernel: String,
    /// The first `model name` of `/proc/cpuinfo`.
    pub cpu: String,
    /// How many CPUs this process may run on.
    pub cores: usize,
    /// `python3 --version`, or a note that there was none.
    pub python: String,
    /// The date and time the run began, in UTC.
    pub date: String,
}

impl Machine {
    /// Describes this machine now.
    pub fn describe(python: Option<&Python>) -> Machine {
        Machine {
            kernel: machine::kernel(),
            cpu: machine::cpu_model(),
            cores: crate::pin::usable_cpus(),
            python: python.map_or_else(|| "no python3".to_string(), |python| python.version.clone()),
            date: machine::utc_now(),
        }
    }

    /// One line: `Linux 6.1.0, AMD EPYC, 2 cores, Python 3.11.7, 2026-01-01 12:00 UTC`.
    pub fn line(&self) -> String {
        let cores = if self.cores == 1 { "1 core".to_string() } else { format!("{} cores", self.cores) };
        format!("{}, {}, {cores}, {}, {}", self.kernel, self.cpu, self.python, self.date)
    }
}
