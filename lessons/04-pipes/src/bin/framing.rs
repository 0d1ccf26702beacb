//! Listing 4-2: messages in frames over a pipe. A child writes frames; the parent reads them until the
//! end of the stream. Then two children break the format: one dies in the middle of a frame, one
//! writes a line of text where a frame should be. Each is a clear error, not a hang or a panic.

use std::io::{PipeWriter, Write};

use lesson_01_fork::fork_and_run;
use lesson_02_wait::wait_for;
use lesson_04_pipes::{read_frame, write_frame};

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("-- three frames, then the end of the stream");
    receive_frames(|pipe| {
        write_frame(&mut *pipe, b"hi")?;
        write_frame(&mut *pipe, &[b'x'; 10 * 1024])?;
        write_frame(&mut *pipe, b"")?;
        Ok(())
    })?;
    println!("-- a child that dies in the middle of a frame");
    receive_frames(|pipe| {
        pipe.write_all(&8u32.to_le_bytes())?; // a header announcing 8 bytes...
        pipe.write_all(b"abc")?; // ...and only 3 of them
        Ok(())
    })?;
    println!("-- a child that writes a line of text instead of a frame");
    receive_frames(|pipe| Ok(pipe.write_all(b"hello\n")?))?;
    Ok(())
}

/// Forks a child that runs `send` on the write end of a pipe, and reads frames until the stream ends.
fn receive_frames(
    send: impl FnOnce(&mut PipeWriter) -> Result<(), Box<dyn std::error::Error>>,
) -> Result<(), Box<dyn std::error::Error>> {
    let (mut reader, mut writer) = std::io::pipe()?;
    // The closure owns the write end. In the parent, fork_and_run drops the closure as soon as the
    // child exists, and with it the parent's copy of the write end.
    let child = fork_and_run(move || i32::from(send(&mut writer).is_err()))?;
    loop {
        match read_frame(&mut reader) {
            Ok(Some(body)) => println!("received {}", describe(&body)),
            Ok(None) => {
                println!("end of the stream: every write end is closed");
                break;
            }
            Err(e) => {
                println!("error: {e}");
                break;
            }
        }
    }
    wait_for(child)?;
    Ok(())
}
// ANCHOR_END: main

/// "2 bytes: \"hi\"", or "10 KiB, all 'x'" for a long run of one byte.
fn describe(body: &[u8]) -> String {
    match body {
        [first, ..] if body.len() >= 1024 && body.iter().all(|b| b == first) => {
            format!("{} KiB, all '{}'", body.len() / 1024, *first as char)
        }
        _ => format!("{} bytes: \"{}\"", body.len(), String::from_utf8_lossy(body)),
    }
}
