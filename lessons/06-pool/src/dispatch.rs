//! Role 1: put tasks into the shared queue, as it has room, in order of submission.

use crate::error::PoolError;
use crate::protocol::{Order, Packet};
use lesson_04_pipes::PacketQueue;

use crate::state::{Pending, Queue};

// ANCHOR: dispatch
/// Moves what waits in the backlog into the shared queue, oldest first, until the queue is full.
/// Each packet gets the next number; the pool remembers it until a worker reports taking it.
/// Returns whether the backlog still holds something. Once a send finds the queue full, nothing
/// is sent until the event loop has seen room in it.
pub fn feed(packets: &PacketQueue, queue: &mut Queue) -> Result<bool, PoolError> {
    if queue.full {
        return Ok(!queue.backlog.is_empty());
    }
    while let Some(pending) = queue.backlog.pop_front() {
        let (order, job) = match pending {
            Pending::Run(job, task) => (Order::Run { job, task }, Some(job)),
            Pending::Stop => (Order::Stop, None),
        };
        let packet = Packet { seq: queue.next_seq, order };
        // Room for the whole packet at once: a chunk's arguments are copied in once, not again at
        // every doubling of a growing buffer.
        let room = match &packet.order {
            Order::Run { task, .. } => 32 + task.name.len() + task.args.len(),
            Order::Stop => 16,
        };
        let bytes = postcard::to_extend(&packet, Vec::with_capacity(room))?;
        if !packets.try_send(&bytes).map_err(|e| PoolError::os("sending a task", e))? {
            // No room: it waits, first in line, until the queue has room.
            queue.backlog.push_front(match packet.order {
                Order::Run { job, task } => Pending::Run(job, task),
                Order::Stop => Pending::Stop,
            });
            queue.full = true;
            return Ok(true);
        }
        queue.sent.insert(packet.seq, job);
        queue.next_seq += 1;
    }
    Ok(false)
}
// ANCHOR_END: dispatch
