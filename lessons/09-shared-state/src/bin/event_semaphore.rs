//! Listing 9-6: an `Event` that three children wait for, and a `Semaphore` of two permits shared by
//! three children. Only the parent prints, in an order that gates and a report pipe fix.

use std::io::{Read, Write};

use lesson_01_fork::{Gate, fork_and_run, wait_for};
use lesson_09_shared_state::{Event, Semaphore};

// ANCHOR: event
fn event() -> Result<(), Box<dyn std::error::Error>> {
    let event = Event::new()?;
    let mut waiters = Vec::new();
    for _ in 0..3 {
        let (ready_open, ready_wait) = Gate::new()?.split();
        waiters.push(fork_and_run(|| {
            ready_open.open();
            event.wait();
            0
        })?);
        ready_wait.wait();
    }
    let state = if event.is_set() { "set" } else { "not set" };
    println!("event: 3 children wait, or are about to; the event is {state}");
    event.set();
    for waiter in waiters {
        wait_for(waiter)?;
    }
    println!("event: set() let all 3 return from wait()");
    Ok(())
}
// ANCHOR_END: event

// ANCHOR: semaphore
fn semaphore() -> Result<(), Box<dyn std::error::Error>> {
    let semaphore = Semaphore::new(2)?;
    // Each child writes its number here once it holds a permit.
    let (mut reports, report_end) = std::io::pipe()?;
    let mut holder = [0u8; 1];
    let mut children = Vec::new();
    let mut releases = Vec::new();
    for number in 1..=3u8 {
        let (release_open, release_wait) = Gate::new()?.split();
        let (semaphore, report_end) = (&semaphore, &report_end);
        children.push(fork_and_run(move || {
            let _permit = semaphore.acquire();
            let _ = (&*report_end).write_all(&[number]);
            release_wait.wait();
            0
        })?);
        releases.push(release_open);
        if number < 3 {
            // Children 1 and 2 find a permit free; the parent waits for each to say it has one.
            reports.read_exact(&mut holder)?;
        }
    }
    println!("semaphore(2): children 1 and 2 hold a permit; child 3 has started");
    let found = if semaphore.try_acquire().is_some() { "takes one" } else { "finds none free" };
    println!("semaphore(2): try_acquire() in the parent {found}");
    releases.remove(0).open();
    reports.read_exact(&mut holder)?;
    println!("semaphore(2): child 1 released its permit; child {} holds one now", holder[0]);
    for release in releases {
        release.open();
    }
    for child in children {
        wait_for(child)?;
    }
    println!("semaphore(2): all released, {} permits free", semaphore.value());
    Ok(())
}
// ANCHOR_END: semaphore

fn main() -> Result<(), Box<dyn std::error::Error>> {
    event()?;
    semaphore()
}
