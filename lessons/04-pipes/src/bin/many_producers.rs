//! Listing 4-7: a `Queue` with three producers and one consumer. Each producer puts three messages, two
//! of them longer than `PIPE_BUF`; the consumer gets all nine, each whole, each producer's in order.

use std::collections::BTreeMap;
use std::time::Duration;

use lesson_03_process::{Process, current_process_name};
use lesson_04_pipes::{PIPE_BUF, Queue};
use serde::{Deserialize, Serialize};

// ANCHOR: main
/// What the producers put: who sent it, its place among the sender's messages, and a body.
#[derive(Debug, Serialize, Deserialize)]
struct Message {
    producer: String,
    seq: usize,
    body: Vec<u8>,
}

/// The sizes of each producer's messages, in the order it puts them.
const SIZES: [usize; 3] = [10, 5 * 1024, 40 * 1024];

/// Every byte of a producer's bodies: the last character of its name.
fn fill_byte(producer: &str) -> u8 {
    producer.bytes().last().unwrap_or(b'?')
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!(
        "PIPE_BUF is {} KiB; each producer puts messages of 10 bytes, 5 KiB and 40 KiB",
        PIPE_BUF / 1024
    );
    let queue = Queue::<Message>::new()?;
    let mut producers = Vec::new();
    for _ in 0..3 {
        let queue = queue.clone();
        let mut producer = Process::new(move || -> i32 {
            let name = current_process_name();
            for (seq, &size) in SIZES.iter().enumerate() {
                let body = vec![fill_byte(&name); size];
                if queue.put(&Message { producer: name.clone(), seq, body }).is_err() {
                    return 1;
                }
            }
            0
        });
        producer.start()?;
        producers.push(producer);
    }
    // Get everything before joining the producers: a producer whose message does not fit in the pipe
    // cannot end before someone reads.
    let mut received: BTreeMap<String, Vec<Message>> = BTreeMap::new();
    for _ in 0..producers.len() * SIZES.len() {
        let message = queue.get()?;
        received.entry(message.producer.clone()).or_default().push(message);
    }
    for (producer, messages) in &received {
        let sizes: Vec<String> = messages.iter().map(|m| size(m.body.len())).collect();
        let in_order = messages.iter().enumerate().all(|(i, m)| m.seq == i);
        let whole = messages
            .iter()
            .all(|m| m.body.len() == SIZES[m.seq] && m.body.iter().all(|&b| b == fill_byte(producer)));
        println!(
            "{producer}: {}; in the order put: {}; each whole: {}",
            sizes.join(", "),
            yes(in_order),
            yes(whole)
        );
    }
    for producer in &mut producers {
        producer.join()?;
    }
    println!("then the queue is empty: {}", yes(queue.get_timeout(Duration::ZERO)?.is_none()));
    Ok(())
}
// ANCHOR_END: main

fn yes(answer: bool) -> &'static str {
    if answer { "yes" } else { "no" }
}

/// "10 bytes", "5 KiB".
fn size(bytes: usize) -> String {
    if bytes < 1024 { format!("{bytes} bytes") } else { format!("{} KiB", bytes / 1024) }
}
