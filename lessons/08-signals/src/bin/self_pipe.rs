//! Listing 8-3: the self-pipe trick. The program's loop waits in `poll` on the read end of a pipe;
//! the handler of SIGUSR1 and SIGUSR2 writes the signal's number into the write end. A child sends
//! SIGUSR1 to its parent, and SIGUSR2 once the loop has read the first (a gate the loop opens: two
//! signals pending at once may run their handlers in either order).

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::signal::{Signal, kill};
use std::os::fd::AsFd;

use lesson_01_fork::{Gate, fork_and_run, getpid};
use lesson_02_wait::wait_for;
use lesson_08_signals::self_pipe::SelfPipe;

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pipe = SelfPipe::install(&[Signal::SIGUSR1, Signal::SIGUSR2])?;
    println!("the loop waits in poll, on its self-pipe");
    let parent = getpid();
    let (first_read, after_first) = Gate::new()?.split();
    let child = fork_and_run(move || {
        let first = kill(parent, Signal::SIGUSR1);
        after_first.wait();
        let second = kill(parent, Signal::SIGUSR2);
        i32::from(first.is_err() || second.is_err())
    })?;
    let mut first_read = Some(first_read);
    let mut seen = 0;
    while seen < 2 {
        let mut fds = [PollFd::new(pipe.as_fd(), PollFlags::POLLIN)];
        match poll(&mut fds, PollTimeout::NONE) {
            Ok(_) => {}
            Err(nix::errno::Errno::EINTR) => continue, // a handler ran during poll
            Err(error) => return Err(error.into()),
        }
        for signal in pipe.drain() {
            println!("the loop read {signal} from the pipe");
            seen += 1;
            if let Some(gate) = first_read.take() {
                gate.open(); // now the child may send the second
            }
        }
    }
    println!("the child that sent them {}", wait_for(child)?);
    Ok(())
}
// ANCHOR_END: main
