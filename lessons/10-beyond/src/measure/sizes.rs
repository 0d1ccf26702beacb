//! How much work each figure does: [`Sizes::FULL`] is the benchmark, [`Sizes::SMOKE`] runs every
//! figure once with tiny inputs, to prove the code works, not to time it.

/// The sizes of one run.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    /// Rounds of every figure: each figure's samples of a round are taken in turn with the others'.
    pub rounds: usize,
    /// Maps per engine in a round.
    pub maps: usize,
    /// The items each map squares.
    pub items: u64,
    /// The partitions Dask's map splits the items into, one task each.
    pub partitions: u64,
    /// One-byte round trips per round, on a pipe and over TCP.
    pub round_trips: usize,
    /// Pool starts per round.
    pub pool_starts: usize,
}

impl Sizes {
    /// The benchmark: about a minute on a two-core machine, Dask's side included.
    pub const FULL: Sizes =
        Sizes { rounds: 5, maps: 3, items: 1_000_000, partitions: 100, round_trips: 2_000, pool_starts: 10 };

    /// Every figure once, tiny: what `cargo test` runs.
    pub const SMOKE: Sizes =
        Sizes { rounds: 1, maps: 1, items: 1_000, partitions: 10, round_trips: 2, pool_starts: 1 };
}
