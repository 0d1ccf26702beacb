//! The messages between the pool and its workers.
//!
//! The pool puts numbered [`Packet`]s into one shared queue (chapter 4's `PacketQueue`), which idle
//! workers take from themselves. Each worker answers on two pipes of its own: on its *took* pipe,
//! the number of each packet it takes, 8 bytes written before it runs anything; on its *report*
//! pipe, how each task ended, as [`Report`] frames. The numbers are what let the pool name the task
//! a dead worker held (section 6.4). Only the report pipe wakes the parent: it reads the took pipe
//! when it has a report to match, or a dead worker to account for.

use serde::{Deserialize, Serialize};

use crate::error::PoolError;
use crate::job::{JobId, Outcome};
use crate::task::Task;

// ANCHOR: messages
/// What the pool asks of whichever worker takes the packet.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Order {
    /// Run this task for job `job`.
    Run {
        /// The job the task belongs to.
        job: JobId,
        /// The task.
        task: Task,
    },
    /// Leave the loop and end: `join` sends one per worker.
    Stop,
}

/// One message in the shared queue; `seq` counts packets in the order the pool sent them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Packet {
    /// The packet's number. It comes first, so that a peek at a packet's first bytes reads it.
    pub seq: u64,
    /// What to do.
    pub order: Order,
}

/// What a worker writes on its took pipe for each packet it takes, while it still holds the
/// queue's lock: the packet's number, as 8 bytes, little-endian. A write this short is never split.
pub const TOOK_BYTES: usize = 8;

/// What a worker tells the pool on its report pipe.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Report {
    /// "The oldest task I took and had not finished ended so."
    Done {
        /// Its result, or why there is none.
        #[serde(with = "outcome_as_bytes")]
        outcome: Outcome,
    },
    /// "My initializer failed; I am ending." A worker that cannot start counts as a failed start.
    InitializerFailed {
        /// Why.
        error: PoolError,
    },
}
// ANCHOR_END: messages

/// The most bytes the number at the start of an encoded packet takes (a postcard varint of a u64).
pub const SEQ_BYTES: usize = 10;

/// The number of the encoded packet that begins with `prefix`.
pub fn seq_of(prefix: &[u8]) -> Option<u64> {
    postcard::take_from_bytes::<u64>(prefix).ok().map(|(seq, _)| seq)
}

/// How an [`Outcome`] travels: an encoded result as one block of bytes (`serde_bytes`), not as a list
/// of numbers, which serde would encode and decode one byte at a time.
mod outcome_as_bytes {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::error::PoolError;
    use crate::job::Outcome;

    #[derive(Serialize)]
    enum Sent<'a> {
        Ok(#[serde(with = "serde_bytes")] &'a [u8]),
        Err(&'a PoolError),
    }

    #[derive(Deserialize)]
    enum Received {
        Ok(#[serde(with = "serde_bytes")] Vec<u8>),
        Err(PoolError),
    }

    pub fn serialize<S: Serializer>(outcome: &Outcome, serializer: S) -> Result<S::Ok, S::Error> {
        match outcome {
            Ok(result) => Sent::Ok(result),
            Err(error) => Sent::Err(error),
        }
        .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Outcome, D::Error> {
        Ok(match Received::deserialize(deserializer)? {
            Received::Ok(result) => Ok(result),
            Received::Err(error) => Err(error),
        })
    }
}
