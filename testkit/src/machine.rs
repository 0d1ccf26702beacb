//! Where and when a benchmark ran, for the header of a recorded run: the kernel, the CPU model and
//! the date, as the machine's own tools tell them.

use std::process::Command;

/// What `program args` printed, trimmed, or `unknown` if it could not run.
pub fn output_of(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

/// The kernel's name and release: `uname -sr`.
pub fn kernel() -> String {
    output_of("uname", &["-sr"])
}

/// The first `model name` of `/proc/cpuinfo`, or `unknown CPU`.
pub fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("model name"))
                .and_then(|rest| rest.split_once(':'))
                .map(|(_, model)| model.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".to_string())
}

/// The date and time now, in UTC: `date -u`.
pub fn utc_now() -> String {
    output_of("date", &["-u", "+%Y-%m-%d %H:%M UTC"])
}
