//! What `/proc/PID/stat` says about a process: its state letter and its parent.
//!
//! See [proc_pid_stat(5)](https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html). Linux only.

use nix::unistd::Pid;

/// The two fields of `/proc/PID/stat` this chapter needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcStat {
    /// The state letter: `R` running, `S` sleeping, `T` stopped, `Z` zombie, among others.
    pub state: char,
    /// The pid of the process's parent.
    pub parent: Pid,
}

// ANCHOR: parse_stat
/// Reads the state and the parent from the text of a `/proc/PID/stat` file.
///
/// The second field, the command name, is in parentheses and may itself hold spaces and
/// parentheses (a program may name itself `a) Z (b`), so the fields are read after the *last* `)`.
pub fn parse_stat(text: &str) -> Option<ProcStat> {
    let after_name = &text[text.rfind(')')? + 1..];
    let mut fields = after_name.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let parent = Pid::from_raw(fields.next()?.parse().ok()?);
    Some(ProcStat { state, parent })
}
// ANCHOR_END: parse_stat

/// The state and parent of process `pid`, or `None` when `/proc/PID` does not exist: the process
/// was never there, or it has been reaped.
pub fn proc_stat(pid: Pid) -> Option<ProcStat> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    parse_stat(&text)
}

// ANCHOR: proc_state
/// The state letter of process `pid` (`Z` for a zombie), or `None` once it is gone.
pub fn proc_state(pid: Pid) -> Option<char> {
    proc_stat(pid).map(|stat| stat.state)
}
// ANCHOR_END: proc_state
