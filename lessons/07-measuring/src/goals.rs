//! The goals the book's code is held to, and how a run stands against each: every goal is a ratio of
//! two medians of the same run, with a bound, so the run itself says whether it is met.

use crate::results::{Figure, Run};
use crate::table::ratio_text;

/// What a goal bounds.
#[derive(Debug, Clone, Copy)]
pub enum Bound {
    /// Our median over the figure's floor (as the table's last column): at most this.
    FloorAtMost(f64),
    /// CPython's median over ours: at least this.
    CPythonAtLeast(f64),
    /// Our median over our median of another figure, named by its id: at most this.
    OverAtMost(&'static str, f64),
}

/// A goal: the figure it is about, by id, and its bound.
#[derive(Debug, Clone, Copy)]
pub struct Goal {
    /// The figure's id.
    pub id: &'static str,
    /// The bound its ratio must keep.
    pub bound: Bound,
}

// ANCHOR: goals
/// The goals, in the table's order.
pub const GOALS: &[Goal] = &[
    Goal { id: "process", bound: Bound::FloorAtMost(1.2) },
    Goal { id: "pool_start", bound: Bound::FloorAtMost(1.3) },
    Goal { id: "apply_one", bound: Bound::FloorAtMost(1.2) },
    Goal { id: "apply_two", bound: Bound::FloorAtMost(1.2) },
    Goal { id: "apply_async", bound: Bound::CPythonAtLeast(10.0) },
    Goal { id: "map_chunk", bound: Bound::CPythonAtLeast(10.0) },
    Goal { id: "map_default", bound: Bound::CPythonAtLeast(10.0) },
    Goal { id: "map_small", bound: Bound::CPythonAtLeast(10.0) },
    Goal { id: "imap_large_memory", bound: Bound::OverAtMost("imap_small_memory", 1.1) },
];
// ANCHOR_END: goals

impl Goal {
    /// This goal's ratio in `run`, if the figures it needs were measured.
    pub fn ratio(&self, run: &Run) -> Option<f64> {
        let figure = run.figure(self.id)?;
        match self.bound {
            Bound::FloorAtMost(_) => figure.ours_over_floor(),
            Bound::CPythonAtLeast(_) => figure.cpython_over_ours(),
            Bound::OverAtMost(other, _) => Some(figure.ours()? / run.figure(other)?.ours()?),
        }
    }

    /// Whether `ratio` keeps the bound.
    pub fn met_by(&self, ratio: f64) -> bool {
        match self.bound {
            Bound::FloorAtMost(most) | Bound::OverAtMost(_, most) => ratio <= most,
            Bound::CPythonAtLeast(least) => ratio >= least,
        }
    }

    /// The goal in words, for `figure`: "ours/floor at most 1.2× (fork floor)".
    fn words(&self, figure: &Figure, run: &Run) -> String {
        match self.bound {
            Bound::FloorAtMost(most) => {
                let floor = figure.floor.as_ref().map_or("floor", |floor| floor.name.as_str());
                format!("ours/{floor} at most {}", ratio_text(most))
            }
            Bound::CPythonAtLeast(least) => format!("CPython/ours at least {}", ratio_text(least)),
            Bound::OverAtMost(other, most) => {
                let other = run.figure(other).map_or(other, |figure| figure.label.as_str());
                format!("over \"{other}\" at most {}", ratio_text(most))
            }
        }
    }
}

/// One line per goal whose figures `run` measured: the figure, the goal, this run's ratio, and
/// whether it is met.
pub fn verdicts(run: &Run) -> Vec<String> {
    GOALS
        .iter()
        .filter_map(|goal| {
            let figure = run.figure(goal.id)?;
            let ratio = goal.ratio(run)?;
            let verdict = if goal.met_by(ratio) { "met" } else { "not met" };
            Some(format!(
                "{}: {}; this run {}, {verdict}",
                figure.label,
                goal.words(figure, run),
                ratio_text(ratio)
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{Bound, Goal};

    #[test]
    fn a_goal_is_met_on_the_right_side_of_its_bound() {
        let floor = Goal { id: "process", bound: Bound::FloorAtMost(1.2) };
        assert!(floor.met_by(1.2) && floor.met_by(1.1) && !floor.met_by(1.21));
        let cpython = Goal { id: "map_small", bound: Bound::CPythonAtLeast(10.0) };
        assert!(cpython.met_by(10.0) && cpython.met_by(12.0) && !cpython.met_by(9.9));
    }
}
