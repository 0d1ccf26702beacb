//! Process groups and sessions. Every process belongs to a group and every group to a session; a
//! terminal sends the signals of its keys (Ctrl-C: SIGINT, Ctrl-\: SIGQUIT, Ctrl-Z: SIGTSTP) to
//! its foreground group, every process of it. Thin wrappers over nix, named for what they do.

use std::os::fd::AsFd;

use nix::errno::Errno;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::{Pid, getpgid, getsid, setpgid, setsid, tcgetpgrp};

// ANCHOR: wrappers
/// Makes the calling process the leader of a new group, whose id is its pid: `setpgid(0, 0)`.
/// Its children, forked from now on, are born in it.
pub fn lead_new_group() -> Result<Pid, Errno> {
    setpgid(Pid::from_raw(0), Pid::from_raw(0))?;
    getpgid(None)
}

/// The group of process `pid` (`None`: the caller's).
pub fn group_of(pid: Option<Pid>) -> Result<Pid, Errno> {
    getpgid(pid)
}

/// The session of process `pid` (`None`: the caller's).
pub fn session_of(pid: Option<Pid>) -> Result<Pid, Errno> {
    getsid(pid)
}

/// Sends `signal` to every process of group `group`: `killpg`, which is `kill(-group, signal)`.
pub fn signal_group(group: Pid, signal: Signal) -> Result<(), Errno> {
    killpg(group, signal)
}

/// Starts a new session, led by the caller, with no controlling terminal, in a new group of its
/// own: `setsid`. Fails for a process that already leads a group.
pub fn lead_new_session() -> Result<Pid, Errno> {
    setsid()
}

/// The foreground group of the terminal open on `terminal`: the group its keys signal.
pub fn foreground_group(terminal: impl AsFd) -> Result<Pid, Errno> {
    tcgetpgrp(terminal)
}
// ANCHOR_END: wrappers

// ANCHOR: members
/// The processes now in group `group`, found by reading the group of every process in `/proc`.
pub fn members(group: Pid) -> Vec<Pid> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    let mut pids: Vec<Pid> = entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|&pid| group_in_stat(pid) == Some(group.as_raw()))
        .map(Pid::from_raw)
        .collect();
    pids.sort();
    pids
}

/// The group of `pid` from `/proc/PID/stat`: the fifth field, the third after the name in brackets.
/// A zombie still counts: it is in its group until it is reaped.
fn group_in_stat(pid: i32) -> Option<i32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(2)?.parse().ok()
}
// ANCHOR_END: members
