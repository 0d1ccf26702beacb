//! Listing 8-6: Ctrl-C, typed at a terminal. The program makes a pseudo-terminal and starts a
//! session on it: a leader, which takes the terminal as its controlling terminal, and two children,
//! all three in the terminal's foreground group. Writing the Ctrl-C byte (0x03) to the terminal's
//! master side is typing Ctrl-C: the terminal sends SIGINT to every process of that group.

use std::io::{Read, Write};
use std::os::fd::AsFd;

use nix::pty::openpty;
use nix::unistd::pause;

use lesson_01_fork::fork_and_run;
use lesson_02_wait::{WaitError, become_subreaper, wait_any};
use lesson_08_signals::group::{foreground_group, lead_new_session, members};
use lesson_08_signals::handler::reset;
use lesson_08_signals::terminal::take_as_controlling;
use nix::sys::signal::Signal;

/// Waits for signals for ever; the processes of the session do nothing else.
fn wait_for_ever() -> i32 {
    loop {
        pause();
    }
}

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    become_subreaper()?; // the leader's children come back here when it dies
    let pty = openpty(None, None)?;
    let (mut ready, ready_end) = std::io::pipe()?;
    let terminal = pty.slave;
    let leader = fork_and_run(move || {
        let _ = reset(Signal::SIGINT); // started in the background, this program may ignore SIGINT
        let _ = lead_new_session();
        let _ = take_as_controlling(terminal.as_fd());
        for _ in 0..2 {
            let ready_end = ready_end.try_clone().expect("dup");
            let _ = fork_and_run(move || {
                let _ = (&ready_end).write_all(b"c");
                wait_for_ever()
            });
        }
        let _ = (&ready_end).write_all(b"l");
        wait_for_ever()
    })?;
    ready.read_exact(&mut [0u8; 3])?; // all three exist
    let group = foreground_group(&pty.master)?;
    println!("the terminal's foreground group: {group}, with {} processes", members(group).len());
    (&std::fs::File::from(pty.master.try_clone()?)).write_all(&[0x03])?;
    println!("typed Ctrl-C");
    let mut reaped = Vec::new();
    loop {
        match wait_any() {
            Ok(ended) => reaped.push(ended),
            Err(WaitError::NoChildren) => break,
            Err(error) => return Err(error.into()),
        }
    }
    reaped.sort_by_key(|&(pid, _)| (pid != leader, pid)); // the leader first, then its children
    for (pid, status) in reaped {
        println!("{pid} was {status}");
    }
    Ok(())
}
// ANCHOR_END: main
