//! The plots, drawn as SVG with plotters from a run's results (`recorded/run.json`): CPython's median
//! over ours for every figure, and how the CPU-bound job scales with 1 and 2 workers.

use std::path::Path;

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::figures::Unit;
use crate::floors::Error;
use crate::results::{Figure, Run};
use crate::table::{quantity, ratio_text};

/// The file names of the plots, in `book/src/`.
pub const RATIOS: &str = "measure-ratios.svg";
/// See [`RATIOS`].
pub const SCALING: &str = "measure-scaling.svg";

/// Draws both plots into `directory`.
pub fn draw(run: &Run, directory: &Path) -> Result<(), Error> {
    ratios(run, &directory.join(RATIOS))?;
    scaling(run, &directory.join(SCALING))?;
    Ok(())
}

/// Where segment `i` of `n` ends on a segmented axis built on `0..n - 1` (which has `n` segments,
/// the last one ending at `Last`).
fn segment_end(i: usize, n: usize) -> SegmentValue<usize> {
    if i + 1 < n { SegmentValue::Exact(i + 1) } else { SegmentValue::Last }
}

// ANCHOR: ratios
/// A bar for each figure both sides measured: CPython's median over ours, on a log scale, the first
/// figure at the top.
pub fn ratios(run: &Run, path: &Path) -> Result<(), Error> {
    let bars: Vec<(&str, f64, Unit)> = run
        .figures
        .iter()
        .filter_map(|figure| Some((figure.label.as_str(), figure.cpython_over_ours()?, figure.unit)))
        .collect();
    if bars.is_empty() {
        return Err("no figure has both ours and CPython's: nothing to plot".into());
    }
    let n = bars.len();
    let smallest = bars.iter().map(|&(_, ratio, _)| ratio).fold(1.0, f64::min);
    let largest = bars.iter().map(|&(_, ratio, _)| ratio).fold(1.0, f64::max);
    let root = SVGBackend::new(path, (760, 110 + 28 * n as u32)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption("CPython's median over ours, measured in the same run", ("sans-serif", 18))
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(205)
        .build_cartesian_2d((smallest / 2.0..largest * 4.0).log_scale(), (0..n - 1).into_segmented())?;
    // Row i of the table is segment n - 1 - i, so that the table's first row is at the top.
    let row = |y: &SegmentValue<usize>| match y {
        SegmentValue::CenterOf(y) | SegmentValue::Exact(y) => bars.get(n - 1 - y).map(|&(label, _, _)| label),
        SegmentValue::Last => None,
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(n)
        .y_label_formatter(&|y| row(y).unwrap_or_default().to_string())
        .x_desc("CPython / ours, log scale: at 10, CPython takes ten times as long")
        .label_style(("sans-serif", 13))
        .draw()?;
    for (unit, name, color) in [
        (Unit::Seconds, "time", RGBColor(70, 110, 170)),
        (Unit::Bytes, "peak memory", RGBColor(90, 160, 110)),
    ] {
        let these = bars.iter().enumerate().filter(|(_, bar)| bar.2 == unit);
        chart
            .draw_series(these.map(|(i, &(_, ratio, _))| {
                let y = n - 1 - i;
                let mut bar = Rectangle::new(
                    [(1.0, SegmentValue::Exact(y)), (ratio, segment_end(y, n))],
                    color.filled(),
                );
                bar.set_margin(5, 5, 0, 0);
                bar
            }))?
            .label(name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], color.filled()));
    }
    let beside = ("sans-serif", 13).into_font().color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center));
    chart.draw_series(bars.iter().enumerate().map(|(i, &(_, ratio, _))| {
        Text::new(
            ratio_text(ratio),
            (ratio.max(1.0) * 1.08, SegmentValue::CenterOf(n - 1 - i)),
            beside.clone(),
        )
    }))?;
    chart.draw_series(LineSeries::new(
        [(1.0, SegmentValue::Exact(0)), (1.0, SegmentValue::Last)],
        BLACK.stroke_width(1),
    ))?;
    chart
        .configure_series_labels()
        // The prime counts, at the bottom, have the longest bars; the top right stays free.
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", 13))
        .draw()?;
    root.present()?;
    Ok(())
}
// ANCHOR_END: ratios

/// The CPU-bound job's time against the number of workers, on a log scale: our pool, CPython's pool,
/// scoped threads and rayon, with our plain loop on one core as a line across. The Rust series are
/// drawn a little apart along the axis, so that where their times coincide every one stays visible.
pub fn scaling(run: &Run, path: &Path) -> Result<(), Error> {
    let rows: Vec<&Figure> = ["primes_1", "primes_2"].iter().filter_map(|id| run.figure(id)).collect();
    if rows.len() != 2 {
        return Err("the run has no CPU-bound rows: nothing to plot".into());
    }
    let one_core = run.figure("primes_one_core").and_then(Figure::ours);
    type Side = fn(&Figure) -> Option<f64>;
    let series: [(&str, Side, RGBColor, f64); 4] = [
        ("ours: Pool of processes", |f| f.ours(), RGBColor(70, 110, 170), -0.05),
        ("CPython: Pool of processes", |f| f.cpython(), RGBColor(200, 120, 30), 0.0),
        ("Rust: std::thread::scope", |f| f.threads.as_ref().map(|s| s.median), RGBColor(60, 150, 80), 0.0),
        ("Rust: rayon", |f| f.rayon.as_ref().map(|s| s.median), RGBColor(150, 70, 150), 0.05),
    ];
    let values: Vec<f64> = rows
        .iter()
        .flat_map(|row| series.iter().filter_map(|(_, side, _, _)| side(row)))
        .chain(one_core)
        .collect();
    let low = values.iter().copied().fold(f64::INFINITY, f64::min) / 2.0;
    let high = values.iter().copied().fold(0.0, f64::max) * 2.0;

    let root = SVGBackend::new(path, (760, 480)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(format!("{}: time against workers", label_stem(rows[0])), ("sans-serif", 18))
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(80)
        .build_cartesian_2d(0.5f64..2.5, (low..high).log_scale())?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(5)
        .x_label_formatter(&|&x| match x {
            1.0 => "1 worker".to_string(),
            2.0 => "2 workers".to_string(),
            _ => String::new(),
        })
        .y_label_formatter(&|seconds| quantity(*seconds, Unit::Seconds))
        .y_desc("median time, log scale")
        .label_style(("sans-serif", 13))
        .draw()?;
    for (name, side, color, offset) in series {
        let points: Vec<(f64, f64)> =
            rows.iter().zip([1.0, 2.0]).filter_map(|(row, k)| Some((k + offset, side(row)?))).collect();
        if points.is_empty() {
            continue;
        }
        chart
            .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?
            .label(name)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], color.stroke_width(2)));
        chart.draw_series(points.into_iter().map(|point| Circle::new(point, 4, color.filled())))?;
    }
    if let Some(one_core) = one_core {
        chart
            .draw_series(DashedLineSeries::new(
                [(0.5, one_core), (2.5, one_core)],
                6,
                4,
                BLACK.stroke_width(1),
            ))?
            .label("Rust: plain loop, one core")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BLACK.stroke_width(1)));
    }
    chart
        .configure_series_labels()
        // CPython's times lie at the top, Rust's at the bottom; the middle stays free.
        .position(SeriesLabelPosition::MiddleRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", 13))
        .draw()?;
    root.present()?;
    Ok(())
}

/// A row label up to its last comma: `primes < 2,500,000, k = 1` gives `primes < 2,500,000`.
fn label_stem(figure: &Figure) -> &str {
    figure.label.rsplit_once(", ").map_or(figure.label.as_str(), |(stem, _)| stem)
}
