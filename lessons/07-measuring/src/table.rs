//! The printed table: a header naming the machine and the command, a line per figure, notes that
//! divide medians of the same run, and the goals with this run's verdict on each.
//! `recorded/run.txt` is exactly this text.

use std::fmt::Write;

use crate::figures::Unit;
use crate::goals;
use crate::results::{Figure, Run};

/// The table's columns, with their widths; the first is left-aligned.
const COLUMNS: [(&str, usize); 7] = [
    ("figure", 28),
    ("ours", 9),
    ("CPython", 9),
    ("CPython/ours", 12),
    ("std threads", 11),
    ("rayon", 8),
    ("ours/floor", 17),
];

/// The whole text: header, table, notes.
pub fn render(run: &Run) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "measured on {}", run.machine.line());
    let _ = writeln!(out, "command: {}", run.command);
    let _ = writeln!(
        out,
        "each figure: the median of all samples of {}, ours, CPython's and threads' in turn",
        rounds(run.rounds, run.cpu_rounds)
    );
    let _ =
        writeln!(out, "pools have 2 workers unless a row says otherwise; the primes are counted in ranges");
    let _ = writeln!(out, "ratios divide two medians of this run");
    out.push('\n');
    let header: Vec<String> = COLUMNS.iter().map(|&(name, _)| name.to_string()).collect();
    out.push_str(&line(&header));
    let width = COLUMNS.iter().map(|&(_, width)| width + 2).sum::<usize>() - 2;
    let _ = writeln!(out, "{}", "-".repeat(width));
    for figure in &run.figures {
        out.push_str(&line(&cells(figure)));
    }
    let notes = notes(run);
    if !notes.is_empty() {
        let _ = writeln!(out, "\nnotes, each a ratio of two medians above:");
        for note in notes {
            let _ = writeln!(out, "  {note}");
        }
    }
    let verdicts = goals::verdicts(run);
    if !verdicts.is_empty() {
        let _ = writeln!(out, "\ngoals, each a ratio of two medians above:");
        for verdict in verdicts {
            let _ = writeln!(out, "  {verdict}");
        }
    }
    out
}

/// `5 rounds (3 for the primes)`, or `1 round`.
fn rounds(rounds: usize, cpu_rounds: usize) -> String {
    let count = |n: usize| if n == 1 { "1 round".to_string() } else { format!("{n} rounds") };
    if rounds == cpu_rounds {
        count(rounds)
    } else {
        format!("{} ({} for the primes)", count(rounds), cpu_rounds)
    }
}

/// One table line from its cells.
fn line(cells: &[String]) -> String {
    let mut out = String::new();
    for (i, (cell, &(_, width))) in cells.iter().zip(&COLUMNS).enumerate() {
        if i == 0 {
            let _ = write!(out, "{cell:<width$}");
        } else {
            let _ = write!(out, "  {cell:>width$}");
        }
    }
    out.truncate(out.trim_end().len());
    out + "\n"
}

/// A figure's cells; an empty cell where nothing was measured.
fn cells(figure: &Figure) -> Vec<String> {
    let value = |stat: &Option<crate::stats::Stat>| {
        stat.as_ref().map_or(String::new(), |stat| quantity(stat.median, figure.unit))
    };
    let floor = match (&figure.floor, figure.ours_over_floor()) {
        (Some(floor), Some(ratio)) => format!("{} {}", ratio_text(ratio), floor.name),
        _ => String::new(),
    };
    vec![
        figure.label.clone(),
        value(&figure.ours),
        value(&figure.cpython),
        figure.cpython_over_ours().map_or(String::new(), ratio_text),
        value(&figure.threads),
        value(&figure.rayon),
        floor,
    ]
}

/// Three significant figures: `123`, `12.3`, `1.23`.
fn three_figures(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// A ratio: `1.23×`.
pub fn ratio_text(ratio: f64) -> String {
    format!("{}×", three_figures(ratio))
}

/// A time or an amount of memory, in a unit that suits its size.
pub fn quantity(value: f64, unit: Unit) -> String {
    match unit {
        Unit::Bytes => format!("{} MiB", three_figures(value / (1024.0 * 1024.0))),
        Unit::Faults => format!("{} faults", three_figures(value)),
        Unit::Seconds if value < 1e-6 => format!("{} ns", three_figures(value * 1e9)),
        Unit::Seconds if value < 1e-3 => format!("{} µs", three_figures(value * 1e6)),
        Unit::Seconds if value < 1.0 => format!("{} ms", three_figures(value * 1e3)),
        Unit::Seconds => format!("{} s", three_figures(value)),
    }
}

/// The notes under the table: medians of the same run divided by each other, for the comparisons the
/// chapter discusses. A note is left out when a figure it needs was not measured.
pub fn notes(run: &Run) -> Vec<String> {
    let mut notes = Vec::new();
    let median = |id: &str, side: Side| run.figure(id).and_then(|figure| side.median(figure));
    let mut note = |what: &str, pairs: Vec<(&str, Option<f64>)>| {
        let said: Vec<String> = pairs
            .into_iter()
            .filter_map(|(side, value)| Some(format!("{side} {}", ratio_text(value?))))
            .collect();
        if !said.is_empty() {
            notes.push(format!("{what}: {}", said.join(", ")));
        }
    };
    let over = |top: &str, bottom: &str, side: Side| Some(median(top, side)? / median(bottom, side)?);
    note(
        "apply, two cores over one core",
        vec![
            ("ours", over("apply_two", "apply_one", Side::Ours)),
            ("CPython", over("apply_two", "apply_one", Side::CPython)),
            ("std threads", over("apply_two", "apply_one", Side::Threads)),
        ],
    );
    note(
        "pipe floor, two cores over one core",
        vec![
            ("ours", over("pipe_two", "pipe_one", Side::Ours)),
            ("CPython", over("pipe_two", "pipe_one", Side::CPython)),
        ],
    );
    note(
        "map of the large input, default chunk over the explicit chunk",
        vec![
            ("ours", over("map_default", "map_chunk", Side::Ours)),
            ("CPython", over("map_default", "map_chunk", Side::CPython)),
        ],
    );
    note(
        "imap, time of the large input over the small",
        vec![
            ("ours", over("imap_large", "imap_small", Side::Ours)),
            ("CPython", over("imap_large", "imap_small", Side::CPython)),
        ],
    );
    note(
        "imap, peak memory of the large input over the small",
        vec![
            ("ours", over("imap_large_memory", "imap_small_memory", Side::Ours)),
            ("CPython", over("imap_large_memory", "imap_small_memory", Side::CPython)),
        ],
    );
    note(
        "primes, speed-up of 2 workers over 1",
        vec![
            ("ours", over("primes_1", "primes_2", Side::Ours)),
            ("CPython", over("primes_1", "primes_2", Side::CPython)),
            ("std threads", over("primes_1", "primes_2", Side::Threads)),
            ("rayon", over("primes_1", "primes_2", Side::Rayon)),
        ],
    );
    note(
        "primes, 2 workers over the plain loop on one core",
        vec![
            ("ours", over_one_core(run, Side::Ours)),
            ("std threads", over_one_core(run, Side::Threads)),
            ("rayon", over_one_core(run, Side::Rayon)),
        ],
    );
    notes
}

/// The two-worker prime count of `side` over our plain loop on one core.
fn over_one_core(run: &Run, side: Side) -> Option<f64> {
    Some(side.median(run.figure("primes_2")?)? / run.figure("primes_one_core")?.ours()?)
}

/// A column of the table.
#[derive(Clone, Copy)]
enum Side {
    Ours,
    CPython,
    Threads,
    Rayon,
}

impl Side {
    fn median(self, figure: &Figure) -> Option<f64> {
        let stat = match self {
            Side::Ours => &figure.ours,
            Side::CPython => &figure.cpython,
            Side::Threads => &figure.threads,
            Side::Rayon => &figure.rayon,
        };
        stat.as_ref().map(|stat| stat.median)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_take_a_unit_that_suits_them() {
        assert_eq!(quantity(0.000_095_34, Unit::Seconds), "95.3 µs");
        assert_eq!(quantity(1.234, Unit::Seconds), "1.23 s");
        assert_eq!(quantity(0.000_000_5, Unit::Seconds), "500 ns");
        assert_eq!(quantity(3.0 * 1024.0 * 1024.0, Unit::Bytes), "3.00 MiB");
        assert_eq!(ratio_text(61.04), "61.0×");
    }
}
