//! Listing 1-6: the buffered-output trap, and how to avoid it.
//!
//! This listing shows a MISTAKE on purpose. Text written to a buffer before fork is in both
//! processes' memory after it, and each flushes its own copy: the text appears twice.

use std::io::{BufWriter, Write};

use lesson_01_fork::{Fork, exit_now, fork, wait_for};

// ANCHOR: trap
/// Writes a line into a buffer, forks, and lets each process flush its buffer.
fn fork_with_text_in_the_buffer(flush_first: bool) -> Result<(), Box<dyn std::error::Error>> {
    let mut out = BufWriter::new(std::io::stdout());
    writeln!(out, "written once, before fork")?;
    if flush_first {
        out.flush()?; // the fix: an empty buffer has nothing to copy
    }
    match fork()? {
        Fork::Child => {
            writeln!(out, "child: done")?;
            out.flush()?;
            exit_now(0);
        }
        Fork::Parent { child } => {
            wait_for(child)?;
            writeln!(out, "parent: done")?;
            out.flush()?;
        }
    }
    Ok(())
}
// ANCHOR_END: trap

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("-- the trap: text still in a buffer when fork copies the process");
    fork_with_text_in_the_buffer(false)?;
    println!("-- the fix: flush before fork");
    fork_with_text_in_the_buffer(true)?;
    Ok(())
}
