//! Running a listing as a real program, for its snapshot.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use nix::sys::signal::{Signal, kill, killpg};
use nix::sys::wait::WaitStatus;
use nix::unistd::Pid;

use crate::contained::Streams;

/// How long a listing may run before it is killed and its test fails.
pub const LISTING_LIMIT: Duration = Duration::from_secs(20);

/// What one run of a listing did.
#[derive(Debug)]
pub struct Run {
    /// Standard output and standard error, interleaved as written, with pids normalised.
    pub output: String,
    /// Standard error, pids normalised, when it was kept apart ([`run_interrupted`]); else empty.
    pub errors: String,
    /// How the listing's main process ended (an exit code, or a signal).
    pub status: WaitStatus,
    /// Processes the listing left behind (killed and reaped after it ended). Should be 0.
    pub left_behind: usize,
}

impl Run {
    /// Checks that the listing exited with status 0 and left no process behind.
    #[track_caller]
    pub fn assert_clean_exit(&self) -> &Self {
        assert!(
            matches!(self.status, WaitStatus::Exited(_, 0)),
            "the listing ended with {:?}; it printed:\n{}",
            self.status,
            self.output
        );
        assert_eq!(self.left_behind, 0, "the listing left processes behind");
        self
    }
}

/// Runs `program` with `args` in its own process group and returns what it printed, pids normalised.
///
/// Panics if it is still running after [`LISTING_LIMIT`] (after killing its whole group).
pub fn run(program: impl AsRef<Path>, args: &[&str]) -> Run {
    run_contained(program.as_ref(), args, Streams::Merged, |_, _| {})
}

/// Where [`run_interrupted`] sends its signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Every process of the program's group, as a terminal's Ctrl-C does.
    Group,
    /// The program's own process only, as `kill PID` does.
    Leader,
}

/// Runs `program` as [`run`] does, with standard error kept apart in [`Run::errors`], and sends
/// `signal` to `target` once its standard output holds `ready` `count` times — the gate by which
/// the program says it is ready to be interrupted.
pub fn run_interrupted(
    program: impl AsRef<Path>,
    args: &[&str],
    (ready, count): (&str, usize),
    signal: Signal,
    target: Target,
) -> Run {
    run_contained(
        program.as_ref(),
        args,
        Streams::Separate,
        signal_when_ready((ready, count), signal, target),
    )
}

/// For [`crate::contained::run_with`]: sends `signal` to `target` once the output holds `ready`
/// `count` times, and only once.
pub fn signal_when_ready(
    (ready, count): (&str, usize),
    signal: Signal,
    target: Target,
) -> impl FnMut(&str, Pid) + '_ {
    let mut sent = false;
    move |output, pid| {
        if !sent && output.matches(ready).count() >= count {
            sent = true;
            let _ = match target {
                Target::Group => killpg(pid, signal),
                Target::Leader => kill(pid, signal),
            };
        }
    }
}

fn run_contained(program: &Path, args: &[&str], streams: Streams, on_output: impl FnMut(&str, Pid)) -> Run {
    let mut command = Command::new(program);
    // How Python was started must not change what a twin prints: unbuffered, `print` writes a line's
    // text and its newline in two calls, and two processes' lines can interleave between them.
    command.args(args).env("RUST_BACKTRACE", "0").env_remove("PYTHONUNBUFFERED");
    let done = crate::contained::run_with(command, LISTING_LIMIT, streams, on_output);
    let output = crate::pids::normalise(&done.output);
    let Some(status) = done.status else {
        panic!("{} was still running after {LISTING_LIMIT:?}; it printed:\n{output}", program.display());
    };
    let errors = crate::pids::normalise(&done.errors);
    Run { output, errors, status, left_behind: done.left_behind }
}

/// A chapter's lesson crate, whose listings are snapshotted and compared with their Python twins.
#[derive(Debug, Clone, Copy)]
pub struct Lesson {
    /// The package name, as in `cargo run -p PACKAGE`.
    pub package: &'static str,
    /// The crate's directory (`env!("CARGO_MANIFEST_DIR")`); snapshots go to `tests/snapshots/`.
    pub dir: &'static str,
}

impl Lesson {
    /// The crate's directory relative to the workspace root, e.g. `lessons/03-process`.
    pub fn relative_dir(&self) -> String {
        let dir = Path::new(self.dir);
        let parent = dir.parent().and_then(Path::file_name).map(|p| p.to_string_lossy().into_owned());
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        parent.map_or(name.clone(), |parent| format!("{parent}/{name}"))
    }

    /// Runs the listing binary `bin` (built at `path`) with `args`, checks it exited with 0 and left
    /// nothing behind, and compares its output with the snapshot `name`; then, if `twin` names a
    /// Python file under `python/`, checks the twin prints the same and snapshots that too.
    pub fn check(&self, name: &str, bin: &str, path: &str, args: &[&str], twin: Option<&str>) -> Run {
        let run = run(path, args);
        run.assert_clean_exit();
        let mut command = format!("cargo run -q -p {} --bin {bin}", self.package);
        if !args.is_empty() {
            command = format!("{command} -- {}", args.join(" "));
        }
        self.snapshot(name, &command, &run.output);
        if let Some(file) = twin {
            self.python_twin(name, file, &run);
        }
        run
    }

    /// Like [`Lesson::check`], for a listing whose lines after the first `fixed` come in whatever order
    /// the scheduler gives them: runs it `runs` times, and its Python twin, if any, as often. Every run
    /// must print the same first `fixed` lines, then the same other lines in some order. The snapshot
    /// holds the first lines, then the others sorted (the book says so beside it). Returns how many
    /// different orders the runs showed.
    pub fn check_any_order(
        &self,
        name: &str,
        bin: &str,
        path: &str,
        twin: Option<&str>,
        fixed: usize,
        runs: usize,
    ) -> usize {
        let mut expected: Option<String> = None;
        let mut orders = std::collections::BTreeSet::new();
        let mut runs_alike = |program: &str, args: &[&str], what: &str| {
            for _ in 0..runs {
                let run = run(program, args);
                run.assert_clean_exit();
                same_lines(&mut expected, &run.output, fixed, what);
                orders.insert(run.output);
            }
        };
        runs_alike(path, &[], bin);
        let twin = twin.and_then(|file| Some((file, crate::python::interpreter()?)));
        if let Some((file, python)) = &twin {
            runs_alike(python, &[&format!("{}/python/{file}", self.dir)], file);
        }
        let expected = expected.unwrap_or_default();
        self.snapshot(name, &format!("cargo run -q -p {} --bin {bin}", self.package), &expected);
        if let Some((file, _)) = twin {
            let command = format!("python3 {}/python/{file}", self.relative_dir());
            self.snapshot(&format!("{name}_python"), &command, &expected);
        }
        orders.len()
    }

    /// Runs the Python twin `file` and checks it printed what the Rust listing printed.
    fn python_twin(&self, name: &str, file: &str, rust: &Run) {
        if let Some(twin) = self.python(name, file) {
            assert_eq!(
                twin.output, rust.output,
                "the Python twin {file} printed other lines than its Rust listing"
            );
        }
    }

    /// Runs the Python twin `file`, checks it exited with 0 and left nothing behind, and snapshots
    /// its output as `NAME_python`. Call it alone for a twin that shows where Python behaves
    /// differently, whose output is not expected to equal the Rust listing's. `None` without python3.
    pub fn python(&self, name: &str, file: &str) -> Option<Run> {
        self.python_with(name, file, crate::python::interpreter()?)
    }

    /// Like [`Lesson::python`], for a twin that imports `module`, a package from PyPI listed in the
    /// crate's `python/requirements.txt`. `None` without it (see [`crate::python::interpreter_with`]).
    pub fn python_needing(&self, name: &str, file: &str, module: &str) -> Option<Run> {
        let requirements = format!("{}/python/requirements.txt", self.relative_dir());
        self.python_with(name, file, crate::python::interpreter_with(module, &requirements)?)
    }

    fn python_with(&self, name: &str, file: &str, python: String) -> Option<Run> {
        let twin = run(&python, &[&format!("{}/python/{file}", self.dir)]);
        twin.assert_clean_exit();
        let command = format!("python3 {}/python/{file}", self.relative_dir());
        self.snapshot(&format!("{name}_python"), &command, &twin.output);
        Some(twin)
    }

    /// Compares `output` with the snapshot `name`, described by the command that printed it.
    pub fn snapshot(&self, name: &str, command: &str, output: &str) {
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(Path::new(self.dir).join("tests/snapshots"));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_description(command);
        settings.bind(|| insta::assert_snapshot!(name, output));
    }
}

/// `output` with its lines after the first `fixed` sorted.
fn in_canonical_order(output: &str, fixed: usize) -> String {
    let lines: Vec<&str> = output.lines().collect();
    let (first, rest) = lines.split_at(fixed.min(lines.len()));
    let mut rest = rest.to_vec();
    rest.sort_unstable();
    first.iter().chain(&rest).map(|line| format!("{line}\n")).collect()
}

/// Checks that `output` has the lines `expected` has, in the same order for the first `fixed`;
/// the first output seen sets what is expected.
fn same_lines(expected: &mut Option<String>, output: &str, fixed: usize, what: &str) {
    let canonical = in_canonical_order(output, fixed);
    match expected {
        None => *expected = Some(canonical),
        Some(expected) => assert_eq!(
            &canonical, expected,
            "{what} printed other lines, or its first lines in another order"
        ),
    }
}
