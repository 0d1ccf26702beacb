//! The printed table: a header naming the machine, the date and the command, a line per figure with
//! its median and its ratio to the row it is compared with, and notes that divide other medians of
//! the same run. `recorded/run.txt` is exactly this text.

use std::fmt::Write;

use lesson_07_measuring::figures::{Unit, thousands};
use lesson_07_measuring::machine::Machine;
use lesson_07_measuring::table::{quantity, ratio_text};

use super::figures::Row;
use super::sizes::Sizes;

/// A measured run: where, how, and every row.
#[derive(Debug, Clone)]
pub struct Run {
    /// The machine, the Python and Dask versions, and the date.
    pub machine: Machine,
    /// The command that made the run.
    pub command: String,
    /// How much work each figure did.
    pub sizes: Sizes,
    /// The figures, in the table's order.
    pub rows: Vec<Row>,
}

impl Run {
    /// The median of row `id`, if it was measured.
    pub fn median(&self, id: &str) -> Option<f64> {
        Some(self.rows.iter().find(|row| row.id == id)?.stat()?.median)
    }

    /// The median of row `top` over the median of row `bottom`.
    pub fn ratio(&self, top: &str, bottom: &str) -> Option<f64> {
        Some(self.median(top)? / self.median(bottom)?)
    }
}

/// The width of the figure column.
const FIGURE: usize = 40;
/// The width of the median column.
const MEDIAN: usize = 9;

/// The whole text: header, table, notes.
pub fn render(run: &Run) -> String {
    let sizes = run.sizes;
    let rounds = if sizes.rounds == 1 { "1 round".to_string() } else { format!("{} rounds", sizes.rounds) };
    let maps = if sizes.maps == 1 { "1 map".to_string() } else { format!("{} maps", sizes.maps) };
    let mut out = String::new();
    let _ = writeln!(out, "measured on {}", run.machine.line());
    let _ = writeln!(out, "command: {}", run.command);
    let _ =
        writeln!(out, "each figure: the median of all samples of {rounds} ({maps} of each engine a round)");
    let _ = writeln!(
        out,
        "every map squares {} items; its result is checked against the sequential map's",
        thousands(sizes.items)
    );
    let _ = writeln!(out, "2 workers unless a row says otherwise, 1 thread each; every address is 127.0.0.1");
    let _ = writeln!(out, "ratios divide two medians of this run");
    out.push('\n');
    let _ = writeln!(out, "{:<FIGURE$}  {:>MEDIAN$}  ratio", "figure", "median");
    let _ = writeln!(out, "{}", "-".repeat(FIGURE + MEDIAN + 4 + 24));
    for row in &run.rows {
        let median = row.stat().map_or(String::new(), |stat| quantity(stat.median, Unit::Seconds));
        let ratio = row
            .versus
            .and_then(|versus| Some(format!("{} {}", ratio_text(run.ratio(row.id, versus.id)?), versus.name)))
            .unwrap_or_default();
        let line = format!("{:<FIGURE$}  {median:>MEDIAN$}  {ratio}", row.label);
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let notes = notes(run);
    if !notes.is_empty() {
        let _ = writeln!(out, "\nnotes, each a ratio of two medians above:");
        for note in notes {
            let _ = writeln!(out, "  {note}");
        }
    }
    out
}

/// The notes under the table, for the comparisons the chapter discusses. A note, or a part of one,
/// is left out when a figure it needs was not measured.
pub fn notes(run: &Run) -> Vec<String> {
    let mut notes = Vec::new();
    let mut note = |what: &str, parts: &[(&str, Option<f64>)]| {
        let said: Vec<String> = parts
            .iter()
            .filter_map(|&(part, ratio)| Some(format!("{part} {}", ratio_text(ratio?))))
            .collect();
        if !said.is_empty() {
            notes.push(format!("{what}: {}", said.join(", ")));
        }
    };
    note(
        "what processes and TCP add to timely's map",
        &[("2 processes / 2 threads", run.ratio("timely_processes", "timely_threads"))],
    );
    note(
        "what a second worker thread does to timely's map",
        &[("2 threads / 1 thread", run.ratio("timely_threads", "timely_one"))],
    );
    note(
        "each engine's map over chapter 6's pool",
        &[
            ("timely on 2 threads", run.ratio("timely_threads", "pool")),
            ("on 2 processes", run.ratio("timely_processes", "pool")),
            ("Dask", run.ratio("dask", "pool")),
        ],
    );
    note(
        "what the network hop costs, TCP / pipe",
        &[("one core", run.ratio("tcp_one", "pipe_one")), ("two cores", run.ratio("tcp_two", "pipe_two"))],
    );
    note(
        "a start-up in maps of its own engine, start / map",
        &[
            ("Pool(2)", run.ratio("pool_start", "pool")),
            ("timely", run.ratio("timely_start", "timely_processes")),
            ("Dask", run.ratio("dask_start", "dask")),
        ],
    );
    notes
}
