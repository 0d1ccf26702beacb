//! The function the chapter maps over its items, on a pool and on the engine alike.

// ANCHOR: square
/// The item's square: cheap, so that what a run costs is the engine's, not the work's.
pub fn square(x: u64) -> u64 {
    x * x
}
// ANCHOR_END: square
