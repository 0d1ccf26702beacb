//! Waking one idle worker for each packet, not all of them.
//!
//! Every idle worker sleeps until the shared queue has a packet. Were they all sleeping in `poll`,
//! one packet would wake every one of them: each would take the lock in turn, and all but one would
//! find the queue empty and go back to sleep. With two hundred idle workers that is two hundred
//! wake-ups for every task, the *thundering herd*. Instead each worker watches the queue through an
//! epoll instance of its own, registered with `EPOLLEXCLUSIVE`: when a packet arrives, the kernel
//! wakes one of the workers that sleep on the queue, not all (Linux 4.5 and later).

use std::io;

use lesson_04_pipes::PacketQueue;
use nix::errno::Errno;
use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};

// ANCHOR: wake_one
/// A worker's way to sleep until the shared queue may hold a packet, woken alone.
#[derive(Debug)]
pub struct QueueWaiter {
    epoll: Epoll,
}

impl QueueWaiter {
    /// Watches `queue`'s receiving end, exclusively: in the worker, after it has started.
    pub fn new(queue: &PacketQueue) -> io::Result<QueueWaiter> {
        let epoll = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC)?;
        let interest = EpollFlags::EPOLLIN | EpollFlags::EPOLLEXCLUSIVE;
        epoll.add(queue.receiving(), EpollEvent::new(interest, 0))?;
        Ok(QueueWaiter { epoll })
    }

    /// Sleeps until the queue may hold a packet. Returns at once if it holds one now (the watch is
    /// level-triggered); another worker may still take the packet first.
    pub fn wait(&self) -> io::Result<()> {
        let mut events = [EpollEvent::empty()];
        loop {
            match self.epoll.wait(&mut events, EpollTimeout::NONE) {
                Ok(_) => return Ok(()),
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }
}
// ANCHOR_END: wake_one
