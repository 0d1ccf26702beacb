//! Listing 4-1: end-of-file comes only when every write end is closed, the child's own copy included.
//!
//! This listing shows a MISTAKE on purpose in its first half: the child reads until end-of-file while
//! it still holds the copy of the write end it inherited, so end-of-file can never come. The child
//! waits 0.2 s with `poll` and reports that nothing came, where a plain `read` would wait forever.

use std::io::{PipeReader, PipeWriter, Write};
use std::time::Duration;

use lesson_01_fork::{Fork, Gate, exit_now, fork, getpid};
use lesson_02_wait::wait_for;
use lesson_04_pipes::read_within;

// ANCHOR: main
/// The parent sends three lines through a pipe and closes its write end; the child reads until
/// end-of-file, giving up after 0.2 s without news.
fn send_three_lines(child_closes_its_copy: bool) -> Result<(), Box<dyn std::error::Error>> {
    let (reader, mut writer) = std::io::pipe()?;
    // The child reads only once the parent has written and closed its write end.
    let parent_is_done = Gate::new()?;
    match fork()? {
        Fork::Child => {
            let kept = if child_closes_its_copy {
                drop(writer);
                None
            } else {
                Some(writer) // the mistake: the copy fork gave the child stays open
            };
            parent_is_done.wait();
            read_until_eof(reader, kept)
        }
        Fork::Parent { child } => {
            drop(reader);
            println!("parent {}: sends 3 lines, then closes its write end", getpid());
            for n in 1..=3 {
                writeln!(writer, "line {n}")?;
            }
            drop(writer);
            parent_is_done.open();
            wait_for(child)?;
        }
    }
    Ok(())
}

/// The child's side: reads and prints lines until end-of-file, or until 0.2 s pass without news.
fn read_until_eof(mut reader: PipeReader, _kept: Option<PipeWriter>) -> ! {
    let mut text = Vec::new();
    let mut chunk = [0u8; 64];
    loop {
        match read_within(&mut reader, &mut chunk, Duration::from_millis(200)) {
            Ok(Some(0)) => {
                println!("child {}: end-of-file", getpid());
                break;
            }
            Ok(Some(n)) => text.extend_from_slice(&chunk[..n]),
            Ok(None) => {
                println!("child {}: no end-of-file within 0.2 s: read would block forever", getpid());
                break;
            }
            Err(e) => {
                println!("child: {e}");
                break;
            }
        }
        // Print each whole line as it completes.
        while let Some(end) = text.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = text.drain(..=end).collect();
            print!("child {}: got {}", getpid(), String::from_utf8_lossy(&line));
        }
    }
    let _ = std::io::stdout().flush();
    exit_now(0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("-- the mistake: the child keeps the write end it inherited");
    send_three_lines(false)?;
    println!("-- the fix: the child closes its copy first");
    send_three_lines(true)?;
    Ok(())
}
// ANCHOR_END: main
