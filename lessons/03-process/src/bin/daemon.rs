//! Listing 3-6: a daemon child is terminated when its parent ends, and may not start children.
//!
//! `Process-1` starts a daemon, `Process-1:1`, then ends at once with `_exit`, without joining it or
//! dropping its handle, as a crashed parent would. The kernel sends the daemon SIGTERM
//! (`PR_SET_PDEATHSIG`). This program is a child subreaper, so the orphaned daemon comes to it to be
//! reaped, and it can report how the daemon ended.

use std::io::{Read, Write};

use lesson_01_fork::{Pid, exit_now};
use lesson_02_wait::wait_for;
use lesson_03_process::{Process, current_process_name};

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    // SAFETY: PR_SET_CHILD_SUBREAPER takes an integer flag and touches no memory of ours.
    unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    let (read_end, write_end) = nix::unistd::pipe()?;
    let (mut from_parent, to_main) = (std::fs::File::from(read_end), std::fs::File::from(write_end));

    let mut parent = Process::new(move || -> i32 {
        let (ready, daemon_ready) = nix::unistd::pipe().expect("pipe");
        let (mut ready, daemon_ready) = (std::fs::File::from(ready), std::fs::File::from(daemon_ready));
        let mut daemon = Process::new(move || -> i32 {
            let mut grandchild = Process::new(|| ());
            println!("daemon: start() -> {}", grandchild.start().unwrap_err());
            (&daemon_ready).write_all(b"!").expect("tell the parent");
            loop {
                nix::unistd::pause();
            }
        });
        daemon.set_daemon(true).expect("before start");
        daemon.start().expect("start the daemon");
        ready.read_exact(&mut [0u8; 1]).expect("wait for the daemon");
        let pid = daemon.pid().expect("started").as_raw();
        (&to_main).write_all(&pid.to_le_bytes()).expect("tell main");
        let me = current_process_name();
        println!("{me}: started daemon {} ({pid}); ending without joining it", daemon.name());
        exit_now(0)
    });
    parent.start()?;
    parent.join()?;
    let mut pid = [0u8; 4];
    from_parent.read_exact(&mut pid)?;
    let daemon = Pid::from_raw(i32::from_le_bytes(pid));
    println!("main: the orphaned daemon {daemon} {}", wait_for(daemon)?);
    Ok(())
}
// ANCHOR_END: main
