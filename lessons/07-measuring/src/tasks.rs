//! The work the figures run, the same in every contestant, and the registry that lets a pool's worker
//! find it by name (chapter 5). `python/measure.py` defines the same functions in Python.

use lesson_05_start_methods::{Registry, task};

// ANCHOR: tasks
/// The tiny task: the cost measured is the trip, not the work.
pub fn square(n: u64) -> u64 {
    n * n
}

/// Whether `n` is prime, by trial division by 2 and the odd numbers up to its square root: plain
/// arithmetic, written the same way in `measure.py`.
pub fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    if n.is_multiple_of(2) {
        return n == 2;
    }
    let mut divisor = 3;
    while divisor * divisor <= n {
        if n.is_multiple_of(divisor) {
            return false;
        }
        divisor += 2;
    }
    true
}

/// The CPU-bound task: how many primes lie in `low..high`.
pub fn count_primes((low, high): (u64, u64)) -> u64 {
    (low..high).filter(|&n| is_prime(n)).count() as u64
}

/// `0..below` cut into `chunks` ranges of equal width, the CPU-bound figure's tasks.
pub fn prime_ranges(below: u64, chunks: u64) -> Vec<(u64, u64)> {
    (0..chunks).map(|i| (below * i / chunks, below * (i + 1) / chunks)).collect()
}
// ANCHOR_END: tasks

/// Every function the benchmark's pools run. `main` passes it to `init` first thing, as every program
/// with a pool does.
pub static REGISTRY: Registry = Registry { tasks: &[task!(square), task!(count_primes)], entries: &[] };

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_primes_below_one_hundred() {
        let ranges = prime_ranges(100, 7);
        assert_eq!(ranges.first().map(|r| r.0), Some(0));
        assert_eq!(ranges.last().map(|r| r.1), Some(100));
        assert_eq!(ranges.into_iter().map(count_primes).sum::<u64>(), 25);
    }
}
