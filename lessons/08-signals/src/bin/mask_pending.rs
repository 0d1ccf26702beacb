//! Listing 8-2: a blocked signal is pending, not lost — and pending once, however often it was
//! sent. The program counts SIGUSR1 with a handler, blocks it, sends it to itself twice, looks at
//! what is pending, and unblocks it.

use nix::sys::signal::{Signal, raise};

use lesson_08_signals::handler::{catch, take_count};
use lesson_08_signals::mask::{Blocked, pending};

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    catch(Signal::SIGUSR1)?;
    raise(Signal::SIGUSR1)?;
    println!("sent once, not blocked: the handler ran {} time(s)", take_count(Signal::SIGUSR1));
    let blocked = Blocked::new(&[Signal::SIGUSR1])?;
    raise(Signal::SIGUSR1)?;
    raise(Signal::SIGUSR1)?;
    println!("sent twice while blocked: the handler ran {} time(s)", take_count(Signal::SIGUSR1));
    println!("pending: {:?}", pending()?);
    drop(blocked); // unblocks SIGUSR1: the pending one is delivered before this returns
    println!("unblocked: the handler ran {} time(s)", take_count(Signal::SIGUSR1));
    println!("pending: {:?}", pending()?);
    Ok(())
}
// ANCHOR_END: main
