//! The benchmark runs: `measure --smoke` measures every figure once with tiny inputs, prints the
//! table, reads its results back from JSON and draws the plots into a temporary directory. Nothing is
//! timed against a limit; the test proves that the code works, and `cargo test` builds it.

use std::process::Command;

#[test]
fn every_figure_runs_once_with_tiny_inputs() {
    let out =
        Command::new(env!("CARGO_BIN_EXE_measure")).arg("--smoke").output().expect("run measure --smoke");
    let printed = String::from_utf8_lossy(&out.stdout);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "measure --smoke failed ({}):\n{said}\n{printed}", out.status);
    for row in ["fork floor", "pipe floor, one core", "Process: start, join", "Pool(2): start, close, join"] {
        assert!(printed.contains(row), "no row {row:?} in:\n{printed}");
    }
    for row in
        ["apply, pool of 1, one core", "apply_async × 20", "map 1,000, chunk 10", "imap 1,000: peak memory"]
    {
        assert!(printed.contains(row), "no row {row:?} in:\n{printed}");
    }
    assert!(printed.contains("primes < 10,000, k = 2"), "no prime-count row in:\n{printed}");
    assert!(printed.starts_with("measured on "), "no machine header in:\n{printed}");
}

#[test]
fn an_unknown_option_is_refused_with_the_usage() {
    let out = Command::new(env!("CARGO_BIN_EXE_measure")).arg("--fast").output().expect("run measure --fast");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: measure"));
}
