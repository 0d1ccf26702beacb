//! A picture of a pool's run: one row per worker, one bar per task, drawn as SVG from the pool's events.
//!
//! The horizontal axis is the order of events, not the clock: step 1 is the first thing that happened,
//! step 2 the second. A run ordered by gates then draws the same picture every time, so a test can
//! redraw it and compare it with the one the book shows.

use crate::job::Event;

const STEP: usize = 60;
const ROW: usize = 44;
const LEFT: usize = 120;
const TOP: usize = 30;

/// The SVG picture of `events`, with `label(job)` written on each task's bar.
pub fn svg(events: &[Event], label: impl Fn(u64) -> String) -> String {
    let mut workers: Vec<i32> = Vec::new();
    for event in events {
        if !workers.contains(&event.worker) && event.started {
            workers.push(event.worker);
        }
    }
    let steps = events.len() + 1;
    let width = LEFT + steps * STEP + 20;
    let height = TOP + workers.len() * ROW + 40;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"13\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    );
    for (row, _) in workers.iter().enumerate() {
        let y = TOP + row * ROW;
        out += &format!("<text x=\"10\" y=\"{}\">worker {}</text>\n", y + 24, row + 1);
        out += &format!(
            "<line x1=\"{LEFT}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#ccc\"/>\n",
            y + ROW - 4,
            width - 20,
            y + ROW - 4
        );
    }
    for (step, event) in events.iter().enumerate().filter(|(_, e)| e.started) {
        let end = events.iter().skip(step + 1).position(|e| !e.started && e.job == event.job);
        let end = end.map_or(steps, |after| step + 1 + after);
        let row = workers.iter().position(|&w| w == event.worker).unwrap_or(0);
        let (x, y) = (LEFT + (step + 1) * STEP - STEP / 2, TOP + row * ROW + 6);
        let w = (end - step) * STEP;
        out += &format!(
            "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{}\" rx=\"5\" fill=\"#8fb8de\" stroke=\"#2c5d8a\"/>\n",
            ROW - 16
        );
        out += &format!("<text x=\"{}\" y=\"{}\">{}</text>\n", x + 8, y + 19, label(event.job));
    }
    let axis = TOP + workers.len() * ROW + 20;
    out += &format!("<text x=\"{LEFT}\" y=\"{axis}\">events, in the order they happened →</text>\n");
    out += "</svg>\n";
    out
}
