//! Medians: what each figure reports.
//!
//! A few slow runs — another process took the CPU for a moment, a page had to be found — pull a mean
//! up; they do not move the median, the middle value once the samples are sorted.

use serde::{Deserialize, Serialize};

/// The median of `samples`: the middle one, or the mean of the two middle ones. `NaN` for none.
pub fn median(samples: &[f64]) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    if sorted.len() % 2 == 1 { sorted[middle] } else { (sorted[middle - 1] + sorted[middle]) / 2.0 }
}

/// What one side of a figure measured, summed up: its median over every sample of every round, the
/// extremes, and each round's own median, which shows whether the machine drifted during the run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stat {
    /// The median of all samples.
    pub median: f64,
    /// The smallest sample.
    pub min: f64,
    /// The largest sample.
    pub max: f64,
    /// How many samples.
    pub samples: usize,
    /// The median of each round's samples, in round order.
    pub round_medians: Vec<f64>,
}

impl Stat {
    /// Sums up the samples of each round; `None` if there are none at all.
    pub fn of(rounds: &[Vec<f64>]) -> Option<Stat> {
        let all: Vec<f64> = rounds.iter().flatten().copied().collect();
        if all.is_empty() {
            return None;
        }
        Some(Stat {
            median: median(&all),
            min: all.iter().copied().fold(f64::INFINITY, f64::min),
            max: all.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            samples: all.len(),
            round_medians: rounds.iter().filter(|r| !r.is_empty()).map(|r| median(r)).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_the_middle_value() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn a_stat_keeps_each_rounds_median() {
        let stat = Stat::of(&[vec![1.0, 2.0, 3.0], vec![10.0]]).expect("samples");
        assert_eq!(stat.median, 2.5);
        assert_eq!(stat.round_medians, vec![2.0, 10.0]);
        assert_eq!((stat.min, stat.max, stat.samples), (1.0, 10.0, 4));
    }
}
