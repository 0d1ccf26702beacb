//! Listing 9-4: the lost update, forced. Two children, A and B, each add 1 to a shared `Value`, and
//! gates make them interleave the worst way: A loads, B loads and stores, A stores. A plain load
//! then store loses B's increment; `fetch_add` cannot be split, so it loses nothing; under the lock,
//! B cannot load until A has stored, whatever the gates allow.

use lesson_01_fork::{Gate, fork_and_run, wait_for};
use lesson_09_shared_state::Value;

// ANCHOR: plain
/// A loads, then waits; B loads and stores; then A stores what it loaded, plus 1.
fn load_then_store() -> Result<i64, Box<dyn std::error::Error>> {
    let value = Value::<i64>::new(0)?;
    let (a_loaded, b_go, a_store) = (Gate::new()?, Gate::new()?, Gate::new()?);
    let (a_loaded_open, a_loaded_wait) = a_loaded.split();
    let (b_go_open, b_go_wait) = b_go.split();
    let (a_store_open, a_store_wait) = a_store.split();
    let a = fork_and_run(|| {
        let loaded = value.get();
        println!("A loaded {loaded}");
        a_loaded_open.open();
        a_store_wait.wait();
        value.set(loaded + 1);
        println!("A stored {}", loaded + 1);
        0
    })?;
    let b = fork_and_run(|| {
        b_go_wait.wait();
        let loaded = value.get();
        println!("B loaded {loaded}");
        value.set(loaded + 1);
        println!("B stored {}", loaded + 1);
        0
    })?;
    a_loaded_wait.wait();
    b_go_open.open();
    wait_for(b)?;
    a_store_open.open();
    wait_for(a)?;
    Ok(value.get())
}
// ANCHOR_END: plain

// ANCHOR: fetch_add
/// The same schedule, each increment one `fetch_add`: there is no gap between load and store.
fn fetch_add() -> Result<i64, Box<dyn std::error::Error>> {
    let value = Value::<i64>::new(0)?;
    let (a_added, b_go) = (Gate::new()?, Gate::new()?);
    let (a_added_open, a_added_wait) = a_added.split();
    let (b_go_open, b_go_wait) = b_go.split();
    let a = fork_and_run(|| {
        println!("A added 1 to {}", value.fetch_add(1));
        a_added_open.open();
        0
    })?;
    let b = fork_and_run(|| {
        b_go_wait.wait();
        println!("B added 1 to {}", value.fetch_add(1));
        0
    })?;
    a_added_wait.wait();
    b_go_open.open();
    wait_for(b)?;
    wait_for(a)?;
    Ok(value.get())
}
// ANCHOR_END: fetch_add

// ANCHOR: locked
/// The first schedule, each load and store under the value's lock: B is let go while A holds the
/// lock between its load and its store, and waits in `lock()` until A has stored and released it.
fn under_the_lock() -> Result<i64, Box<dyn std::error::Error>> {
    let value = Value::<i64>::new(0)?;
    let (a_loaded, b_go, a_store) = (Gate::new()?, Gate::new()?, Gate::new()?);
    let (a_loaded_open, a_loaded_wait) = a_loaded.split();
    let (b_go_open, b_go_wait) = b_go.split();
    let (a_store_open, a_store_wait) = a_store.split();
    let a = fork_and_run(|| {
        let Ok(_held) = value.lock() else { return 1 };
        let loaded = value.get();
        println!("A locked, loaded {loaded}");
        a_loaded_open.open();
        a_store_wait.wait();
        value.set(loaded + 1);
        println!("A stored {}", loaded + 1);
        0
    })?;
    let b = fork_and_run(|| {
        b_go_wait.wait();
        let Ok(_held) = value.lock() else { return 1 };
        let loaded = value.get();
        println!("B locked, loaded {loaded}");
        value.set(loaded + 1);
        println!("B stored {}", loaded + 1);
        0
    })?;
    a_loaded_wait.wait();
    b_go_open.open();
    // Not waiting for B here: it cannot finish before A has released the lock.
    a_store_open.open();
    wait_for(a)?;
    wait_for(b)?;
    Ok(value.get())
}
// ANCHOR_END: locked

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("load then store: two increments, the value is {}", load_then_store()?);
    println!("fetch_add: two increments, the value is {}", fetch_add()?);
    println!("under the lock: two increments, the value is {}", under_the_lock()?);
    Ok(())
}
// ANCHOR_END: main
