//! Listing 8-5: one signal for a whole job. A leader starts a new process group and forks three
//! children, each of which forks a grandchild: seven processes, all in the leader's group, because a
//! child is born in its parent's group. One `killpg` ends all seven. The program is a subreaper
//! (chapter 2), so the grandchildren, orphaned as their parents die, come back to it to be reaped.

use std::io::{Read, Write};

use nix::sys::signal::Signal;
use nix::unistd::pause;

use lesson_01_fork::fork_and_run;
use lesson_02_wait::{ExitStatus, WaitError, become_subreaper, wait_any};
use lesson_08_signals::group::{lead_new_group, members, signal_group};

/// Waits for signals for ever; a process of the job does nothing else.
fn wait_for_ever() -> i32 {
    loop {
        pause();
    }
}

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    become_subreaper()?;
    let (mut ready, ready_end) = std::io::pipe()?;
    // Every process of the job writes one byte to `ready_end` once it has forked what it forks.
    let leader = fork_and_run(move || {
        let _ = lead_new_group();
        for _ in 0..3 {
            let ready_end = ready_end.try_clone().expect("dup");
            let _ = fork_and_run(move || {
                let grandchild = ready_end.try_clone().expect("dup");
                let _ = fork_and_run(move || {
                    let _ = (&grandchild).write_all(b"g");
                    wait_for_ever()
                });
                let _ = (&ready_end).write_all(b"c");
                wait_for_ever()
            });
        }
        let _ = (&ready_end).write_all(b"l");
        wait_for_ever()
    })?;
    let group = leader; // the leader's group id is its pid
    ready.read_exact(&mut [0u8; 7])?; // all seven exist
    println!("the job: a leader, three children and three grandchildren, in group {group}");
    println!("group {group} has {} processes", members(group).len());
    signal_group(group, Signal::SIGTERM)?;
    println!("one killpg({group}, SIGTERM)");
    let mut reaped = Vec::new();
    loop {
        match wait_any() {
            Ok((_, status)) => reaped.push(status),
            Err(WaitError::NoChildren) => break,
            Err(error) => return Err(error.into()),
        }
    }
    let by_sigterm = ExitStatus::Signaled { signal: Signal::SIGTERM, core_dumped: false };
    let all = reaped.iter().all(|&status| status == by_sigterm);
    println!("reaped {} processes; all killed by SIGTERM: {all}", reaped.len());
    println!("group {group} has {} processes", members(group).len());
    Ok(())
}
// ANCHOR_END: main
