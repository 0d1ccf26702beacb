//! The network's floor: a one-byte round trip between two processes over loopback TCP, measured by
//! the same code as chapter 7's pipe floor ([`lesson_07_measuring::floors::round_trips`]), so that
//! the two divide: what the network hop costs over a pipe, with nothing of an engine around it.
//!
//! Both ends are made before the fork: a connect to a listening socket on loopback completes
//! without waiting for `accept`. `TCP_NODELAY` is set on both, as timely sets it on its own
//! connections, so that a lone byte goes at once instead of waiting for more to fill a segment.

use std::net::{TcpListener, TcpStream};

use lesson_07_measuring::floors::round_trips;
use lesson_07_measuring::pin::Placement;

use super::Error;

// ANCHOR: tcp_round_trip
/// `count` round trips of one byte over loopback TCP between this process, pinned to CPU 0, and a
/// forked child, pinned as `placement` says: the time of each, in seconds.
pub fn tcp_round_trips(placement: Placement, count: usize) -> Result<Vec<f64>, Error> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let far = TcpStream::connect(listener.local_addr()?)?;
    let (near, _) = listener.accept()?;
    near.set_nodelay(true)?;
    far.set_nodelay(true)?;
    round_trips(placement, count, near, far)
}
// ANCHOR_END: tcp_round_trip
