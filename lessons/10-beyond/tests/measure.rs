//! The benchmark runs: `measure_beyond --smoke` measures every figure once with tiny inputs, checks
//! every engine's result against the sequential map's, and prints the table. Nothing is timed
//! against a limit; the test proves that the code works and leaves no process behind.

use std::process::ExitCode;

/// The rows every run prints, without their sizes (the run's output has every number of three
/// digits or more normalised, as a pid would be); Dask's rows have a median only where Dask is
/// installed.
const ROWS: [&str; 18] = [
    "map 1,000: sequential",
    "map: Pool(2), pool.map",
    "map: timely, 1 thread",
    "map: timely, 2 threads, 1 process",
    "map: timely, 2 processes, TCP",
    "map: Dask, 2 workers, 10 tasks",
    ", array back",
    ", list back",
    "round trip: pipe, one core",
    "round trip: loopback TCP, one core",
    "round trip: pipe, two cores",
    "round trip: loopback TCP, two cores",
    "start: Pool(2), start, close, join",
    "start: timely, 2 processes, connected",
    "start: Dask LocalCluster(2), ready",
    "start: Dask LocalCluster(2), and close",
    "ratios divide two medians of this run",
    "notes, each a ratio of two medians above:",
];

/// `measure_beyond --smoke` exits with 0, leaves nothing behind, and prints every figure's row, each
/// map's after its result was found equal to the sequential map's.
fn the_benchmark_runs_every_figure_and_each_gives_the_sequential_result() {
    let run = testkit::listing::run(env!("CARGO_BIN_EXE_measure_beyond"), &["--smoke"]);
    run.assert_clean_exit();
    assert!(run.output.contains("measured on "), "no machine header in:\n{}", run.output);
    let two_cores = std::thread::available_parallelism().map_or(1, usize::from) >= 2;
    for row in ROWS {
        if row.contains("two cores") && !two_cores {
            continue;
        }
        assert!(run.output.contains(row), "no row {row:?} in:\n{}", run.output);
    }
    let timely = run.output.lines().find(|l| l.starts_with("map: timely, 2 processes")).unwrap_or_default();
    assert!(timely.contains("× sequential"), "timely's map over TCP has no time: {timely:?}");
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        the_benchmark_runs_every_figure_and_each_gives_the_sequential_result
    ])
}
