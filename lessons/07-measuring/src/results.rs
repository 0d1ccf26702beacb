//! The results of a run: each figure's medians and ratios, and the machine they were measured on,
//! as written to `recorded/run.json` and read back to draw the plots.

use serde::{Deserialize, Serialize};

use crate::figures::{Row, Unit};
use crate::floors::Error;
use crate::machine::Machine;
use crate::stats::Stat;

/// One figure, summed up.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Figure {
    /// The stable name the notes and plots find it by.
    pub id: String,
    /// What the table calls it.
    pub label: String,
    /// Seconds or bytes.
    pub unit: Unit,
    /// Our code.
    pub ours: Option<Stat>,
    /// CPython doing the same.
    pub cpython: Option<Stat>,
    /// `std::thread` doing the same, where that makes sense.
    pub threads: Option<Stat>,
    /// Rayon doing the same, where that makes sense.
    pub rayon: Option<Stat>,
    /// The floor ours is compared with, if any.
    pub floor: Option<Floor>,
}

/// A figure's floor, resolved: its name and its median (already multiplied by how many it counts).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Floor {
    /// How the table names it: "fork floor", "two forks", "pipe floor", "one core".
    pub name: String,
    /// The floor's median of ours, times how many of it the figure's work holds.
    pub median: f64,
}

impl Figure {
    /// Ours' median, if measured.
    pub fn ours(&self) -> Option<f64> {
        self.ours.as_ref().map(|stat| stat.median)
    }

    /// CPython's median, if measured.
    pub fn cpython(&self) -> Option<f64> {
        self.cpython.as_ref().map(|stat| stat.median)
    }

    /// CPython's median over ours.
    pub fn cpython_over_ours(&self) -> Option<f64> {
        Some(self.cpython()? / self.ours()?)
    }

    /// Ours' median over the floor's.
    pub fn ours_over_floor(&self) -> Option<f64> {
        Some(self.ours()? / self.floor.as_ref()?.median)
    }
}

/// A whole run: where, how, and every figure in the table's order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Run {
    /// The machine, the interpreter and the date.
    pub machine: Machine,
    /// The command that made the run.
    pub command: String,
    /// Rounds of each figure but the CPU-bound one.
    pub rounds: usize,
    /// Rounds of the CPU-bound figure.
    pub cpu_rounds: usize,
    /// The figures, in the table's order.
    pub figures: Vec<Figure>,
}

impl Run {
    /// Sums up measured rows, resolving each row's floor to the median of the row it names.
    pub fn new(machine: Machine, command: String, rounds: usize, cpu_rounds: usize, rows: &[Row]) -> Run {
        let ours_median = |id: &str| rows.iter().find(|row| row.id == id).and_then(|row| Stat::of(&row.ours));
        let figures = rows
            .iter()
            .map(|row| Figure {
                id: row.id.to_string(),
                label: row.label.clone(),
                unit: row.unit,
                ours: Stat::of(&row.ours),
                cpython: Stat::of(&row.cpython),
                threads: Stat::of(&row.threads),
                rayon: Stat::of(&row.rayon),
                floor: row.floor.as_ref().and_then(|floor| {
                    let median = ours_median(&floor.id)?.median * floor.times;
                    Some(Floor { name: floor.name.clone(), median })
                }),
            })
            .collect();
        Run { machine, command, rounds, cpu_rounds, figures }
    }

    /// The figure called `id`.
    pub fn figure(&self, id: &str) -> Option<&Figure> {
        self.figures.iter().find(|figure| figure.id == id)
    }

    /// The run as pretty JSON.
    pub fn to_json(&self) -> Result<String, Error> {
        Ok(serde_json::to_string_pretty(self)? + "\n")
    }

    /// A run read back from its JSON.
    pub fn from_json(text: &str) -> Result<Run, Error> {
        Ok(serde_json::from_str(text)?)
    }
}
