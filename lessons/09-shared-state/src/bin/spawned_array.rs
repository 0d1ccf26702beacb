//! Listing 9-3: an `Array` in a `memfd` file, handed to a process started by the spawn method of
//! chapter 5: a fresh run of this program, not a fork, which maps the file from the descriptor it
//! received and squares every element in place.

use std::os::fd::OwnedFd;

use lesson_05_start_methods::{Entry, Registry, StartMethod, init, reap_child, start_child};
use lesson_09_shared_state::Array;

// ANCHOR: main
/// What the spawned child runs: it maps the array from the descriptor it was handed.
fn square_all(fds: Vec<OwnedFd>, _message: &[u8]) -> i32 {
    let Some(file) = fds.into_iter().next() else { return 1 };
    let Ok(array) = Array::<i64>::from_fd(file) else { return 2 };
    println!("child: a fresh program, handed {:?}", array.to_vec());
    for i in 0..array.len() {
        array.set(i, array.get(i) * array.get(i));
    }
    0
}

static REGISTRY: Registry =
    Registry { tasks: &[], entries: &[Entry { name: "square_all", main: square_all }] };

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // In a spawned child, runs its entry and ends it; in the parent, returns at once.
    init(&REGISTRY);
    let array = Array::<i64>::in_memfd(&[1, 2, 3, 4])?;
    let file = array.fd().expect("an array in a memfd has a descriptor");
    let child = start_child(&StartMethod::Spawn, &REGISTRY, "square_all", &[file], &[])?;
    let how = reap_child(&StartMethod::Spawn, child)?;
    println!("parent: the child {how}; the array holds {:?}", array.to_vec());
    Ok(())
}
// ANCHOR_END: main
