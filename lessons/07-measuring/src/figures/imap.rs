//! `imap`: a stream of squares in chunks, its time and the peak memory of the process that streams
//! it, each run in a fresh process (see [`crate::memory`]).

use super::{Bench, Row, Unit, thousands};
use crate::floors::Error;
use crate::memory::imap_in_a_fresh_process;

/// The two sizes of `imap`, a time row and a memory row each.
pub fn measure(bench: &Bench) -> Result<Vec<Row>, Error> {
    let sizes = bench.sizes;
    let chunk = sizes.imap_chunk;
    let mut times = Vec::new();
    let mut memory = Vec::new();
    for (i, &count) in sizes.imap_counts.iter().enumerate() {
        let what = format!("imap {}", thousands(count));
        let (time_id, memory_id) =
            [("imap_small", "imap_small_memory"), ("imap_large", "imap_large_memory")][i];
        times.push(Row::new(time_id, format!("{what}, chunk {}", thousands(chunk as u64))));
        let mut peak = Row::new(memory_id, format!("{what}: peak memory"));
        peak.unit = Unit::Bytes;
        memory.push(peak);
    }
    for _ in 0..sizes.rounds {
        for (i, &count) in sizes.imap_counts.iter().enumerate() {
            let ours = imap_in_a_fresh_process(count, chunk)?;
            times[i].ours.push(vec![ours.seconds]);
            memory[i].ours.push(vec![ours.peak_bytes]);
            if let Some(cpython) = bench.cpython("imap", 1, &[count.to_string(), chunk.to_string()])? {
                times[i].cpython.push(cpython.times);
                let peak = cpython.peak_bytes.ok_or("measure.py imap printed no peak_bytes")?;
                memory[i].cpython.push(vec![peak]);
            }
        }
    }
    times.extend(memory);
    Ok(times)
}
