//! The network's floor: a one-byte round trip between two processes over loopback TCP, measured as
//! chapter 7 measures the pipe floor ([`lesson_07_measuring::floors::pipe_round_trips`]), so that
//! the two divide: what the network hop costs over a pipe, with nothing of an engine around it.
//!
//! Both ends are made before the fork: a connect to a listening socket on loopback completes
//! without waiting for `accept`. `TCP_NODELAY` is set on both, as timely sets it on its own
//! connections, so that a lone byte goes at once instead of waiting for more to fill a segment.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Instant;

use lesson_07_measuring::floors::check_single_threaded;
use lesson_07_measuring::pin::{Placement, Restore, pin_to};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork};

use super::Error;

/// Untimed round trips before the timed ones, as for the pipe floor.
const WARM_UP: usize = 50;

// ANCHOR: tcp_round_trip
/// `count` round trips of one byte over loopback TCP between this process, pinned to CPU 0, and a
/// forked child, pinned as `placement` says: the time of each, in seconds.
pub fn tcp_round_trips(placement: Placement, count: usize) -> Result<Vec<f64>, Error> {
    check_single_threaded()?;
    let _restore = Restore::save()?;
    pin_to(0)?;
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let far = TcpStream::connect(listener.local_addr()?)?;
    let (near, _) = listener.accept()?;
    drop(listener);
    near.set_nodelay(true)?;
    far.set_nodelay(true)?;
    // SAFETY: single-threaded (checked above); the child makes only system calls (sched_setaffinity,
    // read, write) on sockets it already has, and ends with `_exit`.
    match unsafe { fork() }? {
        ForkResult::Child => {
            drop(near);
            let code = match echo(placement, far) {
                Ok(()) => 0,
                Err(_) => 1,
            };
            // SAFETY: `_exit` ends the child at once, running nothing of the parent's.
            unsafe { libc::_exit(code) }
        }
        ForkResult::Parent { child } => {
            drop(far);
            let times = time_trips(&near, count);
            drop(near); // end of file tells the child to end; reap it whatever happened
            let status = waitpid(child, None)?;
            let times = times?;
            if status != WaitStatus::Exited(child, 0) {
                return Err(format!("the echoing child ended with {status:?}").into());
            }
            Ok(times)
        }
    }
}

/// The child's side: pin, then send back every byte that comes, until end of file.
fn echo(placement: Placement, mut stream: TcpStream) -> io::Result<()> {
    pin_to(placement.child_cpu())?;
    let mut byte = [0u8; 1];
    while stream.read(&mut byte)? == 1 {
        stream.write_all(&byte)?;
    }
    Ok(())
}

/// The parent's side: a byte there and back, timed one trip at a time.
fn time_trips(mut stream: &TcpStream, count: usize) -> Result<Vec<f64>, Error> {
    let mut byte = [7u8; 1];
    let mut trip = || -> Result<(), Error> {
        stream.write_all(&byte)?;
        stream.read_exact(&mut byte)?;
        Ok(())
    };
    for _ in 0..WARM_UP {
        trip()?;
    }
    let mut times = Vec::with_capacity(count);
    for _ in 0..count {
        let began = Instant::now();
        trip()?;
        times.push(began.elapsed().as_secs_f64());
    }
    Ok(times)
}
// ANCHOR_END: tcp_round_trip
