//! Role 1: put tasks into the shared queue, as it has room, in order of submission.

use crate::error::PoolError;
use crate::protocol::{Order, Packet};
use lesson_04_pipes::PacketQueue;

use crate::state::{Pending, Queue};

// ANCHOR: dispatch
/// Moves what waits in the backlog into the shared queue, oldest first, until the queue is full.
/// Each packet gets the next number; the pool remembers it until a worker reports taking it.
/// Returns whether the backlog still holds something.
pub fn feed(packets: &PacketQueue, queue: &mut Queue) -> Result<bool, PoolError> {
    while let Some(pending) = queue.backlog.pop_front() {
        let (order, job) = match pending {
            Pending::Run(job, task) => (Order::Run { job, task }, Some(job)),
            Pending::Stop => (Order::Stop, None),
        };
        let packet = Packet { seq: queue.next_seq, order };
        let bytes = postcard::to_stdvec(&packet)?;
        if !packets.try_send(&bytes).map_err(|e| PoolError::os("sending a task", e))? {
            // No room: it waits, first in line, for the next turn.
            queue.backlog.push_front(match packet.order {
                Order::Run { job, task } => Pending::Run(job, task),
                Order::Stop => Pending::Stop,
            });
            return Ok(true);
        }
        queue.sent.insert(packet.seq, job);
        queue.next_seq += 1;
    }
    Ok(false)
}
// ANCHOR_END: dispatch
