//! A result's fingerprint: how many values, their sum, and a sum weighted by position, so that a
//! lost, doubled or misplaced value changes it. Every map's result is checked against the
//! sequential map's before its time counts: a wrong engine cannot look fast. Where a result stays
//! in another process (timely's process 0, Dask's client), that process sends back the fingerprint.

use serde::{Deserialize, Serialize};

/// The fingerprint of a list of values. Sums wrap at 2^64, in Rust and in Python alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// How many values.
    pub count: u64,
    /// Their sum.
    pub sum: u64,
    /// The sum of each value times its position.
    pub weighted: u64,
}

impl Fingerprint {
    /// The fingerprint of `values`.
    pub fn of(values: &[u64]) -> Fingerprint {
        let (sum, weighted) = values.iter().enumerate().fold((0u64, 0u64), |(sum, weighted), (i, &v)| {
            (sum.wrapping_add(v), weighted.wrapping_add((i as u64).wrapping_mul(v)))
        });
        Fingerprint { count: values.len() as u64, sum, weighted }
    }

    /// The fingerprint as one line of text: `COUNT SUM WEIGHTED`.
    pub fn to_words(self) -> String {
        format!("{} {} {}", self.count, self.sum, self.weighted)
    }

    /// Reads back what [`Fingerprint::to_words`] wrote.
    pub fn from_words(words: &[&str]) -> Option<Fingerprint> {
        match words {
            [count, sum, weighted] => Some(Fingerprint {
                count: count.parse().ok()?,
                sum: sum.parse().ok()?,
                weighted: weighted.parse().ok()?,
            }),
            _ => None,
        }
    }
}

/// Checks that `engine` gave `expected`, the sequential map's fingerprint.
pub fn same(engine: &str, got: Fingerprint, expected: Fingerprint) -> Result<(), crate::measure::Error> {
    if got == expected {
        Ok(())
    } else {
        Err(format!("{engine} gave a wrong result: {got:?}, where the sequential map gives {expected:?}")
            .into())
    }
}

/// Checks that `engine` gave `expected`, the sequential map's values, in the same order.
pub fn same_values(engine: &str, got: &[u64], expected: &[u64]) -> Result<(), crate::measure::Error> {
    same(engine, Fingerprint::of(got), Fingerprint::of(expected))?;
    if got == expected {
        Ok(())
    } else {
        Err(format!("{engine} gave other values than the sequential map").into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misplaced_value_changes_the_fingerprint() {
        let right = Fingerprint::of(&[0, 1, 4, 9]);
        assert_eq!((right.count, right.sum, right.weighted), (4, 14, 1 + 8 + 27));
        assert_ne!(Fingerprint::of(&[0, 4, 1, 9]), right);
        assert_ne!(Fingerprint::of(&[0, 1, 4, 9, 0]), right);
        assert_eq!(Fingerprint::from_words(&right.to_words().split(' ').collect::<Vec<_>>()), Some(right));
    }
}
