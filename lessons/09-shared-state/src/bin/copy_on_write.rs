//! Listing 9-1: copy-on-write, measured. The parent fills 64 MiB and forks; the child reports how
//! many of the buffer's pages are its own (private) and how many it still shares with its parent:
//! right after the fork, after it reads every page, and after it writes to every page.

use lesson_01_fork::{fork_and_run, wait_for};
use lesson_09_shared_state::{MemoryUse, about_mib, own_memory_use_at};

// ANCHOR: main
const BUFFER: usize = 64 << 20;
const PAGE: usize = 4096;

/// One line: the dirty memory of the mapping that holds `buffer`, private and shared, in MiB
/// rounded to the nearest.
fn report(when: &str, buffer: &[u8]) {
    let MemoryUse { private_dirty, shared_dirty, .. } = own_memory_use_at(buffer.as_ptr()).expect("smaps");
    let (private, shared) = (about_mib(private_dirty), about_mib(shared_dirty));
    println!("{when}: private dirty about {private} MiB, shared dirty about {shared} MiB");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Every page written (with 1s, not 0s): 64 MiB of dirty memory, the parent's alone.
    let mut buffer = vec![1u8; BUFFER];
    report("parent, buffer filled", &buffer);
    // The child borrows the buffer, and the parent keeps it until the child has ended.
    let child = fork_and_run(|| {
        report("child, just forked", &buffer);
        let sum: usize = buffer.iter().step_by(PAGE).map(|&byte| usize::from(byte)).sum();
        assert_eq!(sum, BUFFER / PAGE);
        report("child, after reading every page", &buffer);
        for page in buffer.chunks_mut(PAGE) {
            page[0] = 2;
        }
        report("child, after writing every page", &buffer);
        0
    })?;
    wait_for(child)?;
    report("parent, child ended", &buffer);
    Ok(())
}
// ANCHOR_END: main
