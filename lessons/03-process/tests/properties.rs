//! Property tests of chapter 3's claims about `Process`. Each runs its processes inside a sandbox
//! runner (testkit::sandbox): a fresh child of the single-threaded test process, so that names count
//! from Process-1, a mistake is reported instead of hanging, and no process can be left behind.
//! No sleep orders anything: each child waits at a gate the test opens.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use lesson_01_fork::{Gate, Opener, Pid, exit_now, getpid};
use lesson_02_wait::{ExitStatus, wait_for};
use lesson_03_process::{Call, Process, ProcessError};
use nix::sys::signal::Signal;
use proptest::prelude::*;
use testkit::sandbox;

/// Runs `check` in a sandbox runner and fails the test with every violation it reported.
fn in_runner(check: impl FnOnce(&mut Vec<String>)) {
    sandbox::check_in_runner(check);
}

/// Records a violation unless `holds`.
fn expect(violations: &mut Vec<String>, holds: bool, what: impl FnOnce() -> String) {
    if !holds {
        violations.push(what());
    }
}

/// Whether a process with this pid exists, zombie or not.
fn exists(pid: Pid) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

/// A process that waits at a gate, then ends with `code`; and the gate's opener.
fn gated(code: i32) -> (Process, Opener) {
    let (opener, waiter) = Gate::new().expect("gate").split();
    let process = Process::new(move || {
        waiter.wait();
        code
    });
    (process, opener)
}

// ANCHOR: join_ordering
/// Joins `children` in `join_order`, checking each join returns its own child's code after it ended.
fn join_all(children: &mut [Process], codes: &[i32], join_order: &[usize], v: &mut Vec<String>) {
    for &j in join_order {
        let pid = children[j].pid().expect("started");
        let joined = children[j].join();
        expect(v, joined == Ok(codes[j]), || format!("join of child {j} gave {joined:?}, not {}", codes[j]));
        expect(v, !exists(pid), || format!("child {j} still exists after its join returned"));
        expect(v, children[j].is_alive() == Ok(false), || format!("child {j} is alive after its join"));
        let code = children[j].exitcode();
        expect(v, code == Ok(Some(codes[j])), || format!("exitcode of child {j} is {code:?}"));
    }
}

fn join_order_case(codes: Vec<i32>, release: Vec<usize>, join_order: Vec<usize>, split: usize) {
    in_runner(|v| {
        let n = codes.len();
        let (mut children, mut openers): (Vec<Process>, Vec<Option<Opener>>) =
            codes.iter().map(|&code| gated(code)).map(|(p, o)| (p, Some(o))).unzip();
        for (i, child) in children.iter_mut().enumerate() {
            let name = child.name().to_string();
            expect(v, name == format!("Process-{}", i + 1), || format!("child {i} is named {name}"));
            child.start().expect("start");
        }
        for (i, child) in children.iter().enumerate() {
            expect(v, child.is_alive() == Ok(true), || {
                format!("child {i} is not alive before its gate opened")
            });
        }
        // Open the first `split` gates in release order, then join just those, in join order.
        let (first, rest) = release.split_at(split.min(n));
        for &i in first {
            openers[i].take().expect("one opener each").open();
        }
        let released: HashSet<usize> = first.iter().copied().collect();
        for (i, child) in children.iter_mut().enumerate().filter(|(i, _)| !released.contains(i)) {
            let alive = child.is_alive();
            expect(v, alive == Ok(true), || {
                format!("child {i}, still at its gate, has is_alive() {alive:?}")
            });
            let early = child.join_timeout(Duration::ZERO);
            expect(v, early == Ok(None), || {
                format!("join_timeout(0) of child {i} at its gate gave {early:?}")
            });
        }
        let first_joins: Vec<usize> = join_order.iter().copied().filter(|j| released.contains(j)).collect();
        join_all(&mut children, &codes, &first_joins, v);
        // Then the others.
        for &i in rest {
            openers[i].take().expect("one opener each").open();
        }
        let other_joins: Vec<usize> = join_order.iter().copied().filter(|j| !released.contains(j)).collect();
        join_all(&mut children, &codes, &other_joins, v);
    });
}

/// n children, their exit codes, an order to release them in, another to join them in, and after how
/// many releases the first joins happen.
fn join_order_inputs() -> impl Strategy<Value = (Vec<i32>, Vec<usize>, Vec<usize>, usize)> {
    (1usize..=12).prop_flat_map(|n| {
        let order = Just((0..n).collect::<Vec<usize>>());
        (proptest::collection::vec(0i32..=255, n), order.clone().prop_shuffle(), order.prop_shuffle(), 0..=n)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, ..ProptestConfig::default() })]

    /// For 1..=12 children, each released by its gate in a random order and joined in another: every
    /// join returns only after its own child has ended, with the code that child chose; is_alive() is
    /// true exactly until the child ends; the names are Process-1..n in creation order.
    fn joins_return_each_childs_own_code_after_it_ended(
        (codes, release, join_order, split) in join_order_inputs()
    ) {
        join_order_case(codes, release, join_order, split);
    }
}
// ANCHOR_END: join_ordering

// ANCHOR: every_exit_code
/// Every exit code from 0 to 255 comes back from join unchanged.
fn every_exit_code_comes_back_from_join() {
    in_runner(|v| {
        for code in 0..=255 {
            let mut p = Process::new(move || code);
            p.start().expect("start");
            let joined = p.join();
            expect(v, joined == Ok(code), || {
                format!("a child exiting with {code} was joined with {joined:?}")
            });
        }
    });
}
// ANCHOR_END: every_exit_code

// ANCHOR: signals
/// terminate() leaves exit code -15 (SIGTERM), kill() -9 (SIGKILL); exitcode is None before.
fn terminate_gives_minus_15_and_kill_minus_9() {
    in_runner(|v| {
        for (signal, expected) in [("terminate", -15), ("kill", -9)] {
            let (mut p, _never_opened) = gated(0);
            p.start().expect("start");
            expect(v, p.exitcode() == Ok(None), || "exitcode is not None while the child runs".into());
            let sent = if signal == "terminate" { p.terminate() } else { p.kill() };
            expect(v, sent.is_ok(), || format!("{signal}() failed: {sent:?}"));
            let joined = p.join();
            expect(v, joined == Ok(expected), || format!("after {signal}(), join gave {joined:?}"));
            expect(v, p.exitcode() == Ok(Some(expected)), || format!("after {signal}(), exitcode differs"));
        }
    });
}
// ANCHOR_END: signals

// ANCHOR: join_timeout
/// join_timeout(0) never blocks; join_timeout(d) returns after d with the child still alive.
fn join_timeout_returns_on_time_with_the_child_alive() {
    in_runner(|v| {
        let (mut p, opener) = gated(4);
        p.start().expect("start");
        let zero = p.join_timeout(Duration::ZERO);
        expect(v, zero == Ok(None), || format!("join_timeout(0) gave {zero:?}"));
        let limit = Duration::from_millis(100);
        let began = Instant::now();
        let timed = p.join_timeout(limit);
        let waited = began.elapsed();
        expect(v, timed == Ok(None), || format!("join_timeout({limit:?}) gave {timed:?}"));
        expect(v, waited >= limit, || format!("join_timeout({limit:?}) returned after only {waited:?}"));
        expect(v, p.is_alive() == Ok(true), || "the child is not alive after the timeout".into());
        opener.open();
        let joined = p.join_timeout(Duration::from_secs(60));
        expect(v, joined == Ok(Some(4)), || format!("join_timeout after the gate opened gave {joined:?}"));
    });
}
// ANCHOR_END: join_timeout

// ANCHOR: panic
/// A target that panics ends its child with exit code 1; the parent goes on.
fn a_panicking_target_gives_exit_code_one() {
    in_runner(|v| {
        let mut p = Process::new(|| -> i32 { panic!("on purpose") });
        p.start().expect("start");
        let joined = p.join();
        expect(v, joined == Ok(1), || format!("a panicking target was joined with {joined:?}"));
    });
}
// ANCHOR_END: panic

/// Records a violation unless `got` is an error whose message is `message`.
fn check(v: &mut Vec<String>, what: &str, got: Result<(), ProcessError>, message: &str) {
    let text = got.as_ref().map_err(ToString::to_string).err();
    expect(v, text.as_deref() == Some(message), || format!("{what}: {got:?}, expected {message:?}"));
}

// ANCHOR: misuse
/// Each misuse is an error with CPython's words.
fn misuse_gives_cpythons_errors() {
    in_runner(|v| {
        let mut never = Process::new(|| ());
        check(v, "join before start", never.join().map(drop), "can only join a started process");
        let timed = never.join_timeout(Duration::ZERO).map(drop);
        check(v, "join_timeout before start", timed, "can only join a started process");
        check(v, "terminate before start", never.terminate(), "can only signal a started process");

        let (mut p, opener) = gated(0);
        p.start().expect("start");
        check(v, "start twice", p.start(), "cannot start a process twice");
        check(v, "set_daemon after start", p.set_daemon(true), "process has already started");
        let close = p.close();
        let running =
            "Cannot close a process while it is still running. You should first call join() or terminate().";
        check(v, "close while running", close, running);
        // The handle's copy in another process does not make that process the child's parent.
        // (Once `other` has started, this process drops its copy of `other`'s target, and with it
        // `p`, whose Drop joins `p`: so `p`'s gate opens first.)
        opener.open();
        let mut other = Process::new(move || {
            let join = p.join() == Err(ProcessError::NotOurChild(Call::Join));
            let test = p.is_alive() == Err(ProcessError::NotOurChild(Call::Test));
            let signal = p.terminate() == Err(ProcessError::NotOurChild(Call::Signal));
            i32::from(join) + 2 * i32::from(test) + 4 * i32::from(signal)
        });
        other.start().expect("start");
        let answered = other.join();
        expect(v, answered == Ok(7), || {
            format!(
                "from another process, join, is_alive and terminate answered {answered:?} (7: all refused)"
            )
        });
        let join = Err(ProcessError::NotOurChild(Call::Join));
        check(v, "join from another process", join, "can only join a child process");
        let test = Err(ProcessError::NotOurChild(Call::Test));
        check(v, "is_alive from another process", test, "can only test a child process");
        let signal = Err(ProcessError::NotOurChild(Call::Signal));
        check(v, "terminate from another process", signal, "can only signal a child process");

        let mut daemon = Process::new(|| {
            let refused = Process::new(|| ()).start();
            i32::from(
                refused.map_err(|e| e.to_string())
                    == Err("daemonic processes are not allowed to have children".into()),
            )
        });
        daemon.set_daemon(true).expect("before start");
        daemon.start().expect("start");
        expect(v, daemon.join() == Ok(1), || "a daemon was allowed to start a child".into());

        let mut done = Process::new(|| ());
        done.start().expect("start");
        done.join().expect("join");
        expect(v, done.close().is_ok(), || "close() of an ended process failed".into());
        expect(v, done.close().is_ok(), || "a second close() failed; CPython allows it".into());
        check(v, "is_alive after close", done.is_alive().map(drop), "process object is closed");
        check(v, "start after close", done.start(), "process object is closed");
    });
}
// ANCHOR_END: misuse

// ANCHOR: drop
/// Dropping the handle of a running non-daemon joins it: the child finishes its work, is reaped.
fn dropping_a_running_process_joins_it() {
    in_runner(|v| {
        let (read_end, write_end) = nix::unistd::pipe().expect("pipe");
        let (mut report, report_end) = (std::fs::File::from(read_end), std::fs::File::from(write_end));
        let (opener, waiter) = Gate::new().expect("gate").split();
        let mut p = Process::new(move || {
            waiter.wait();
            i32::from((&report_end).write_all(b"finished").is_err())
        });
        p.start().expect("start");
        let pid = p.pid().expect("started");
        opener.open();
        drop(p);
        expect(v, !exists(pid), || "the child of a dropped handle was not reaped".into());
        let mut text = [0u8; 8];
        let read = report.read_exact(&mut text);
        expect(v, read.is_ok() && &text == b"finished", || {
            "the dropped child did not finish its work".into()
        });
    });
}

/// Dropping the handle of a running daemon terminates it and reaps it: no zombie is left.
fn dropping_a_running_daemon_terminates_and_reaps_it() {
    in_runner(|v| {
        let (mut p, _never_opened) = gated(0);
        p.set_daemon(true).expect("before start");
        p.start().expect("start");
        let pid = p.pid().expect("started");
        drop(p);
        expect(v, !exists(pid), || "the daemon of a dropped handle is still there".into());
    });
}
// ANCHOR_END: drop

// ANCHOR: daemon
/// A daemon is terminated (SIGTERM) when the process that started it ends, even by `_exit` with no
/// `Drop`. The runner makes itself a child subreaper, so the orphaned daemon comes back to it.
fn a_daemon_ends_with_its_parent() {
    in_runner(|v| {
        testkit::reap::become_subreaper();
        let (read_end, write_end) = nix::unistd::pipe().expect("pipe");
        let (mut report, report_end) = (std::fs::File::from(read_end), std::fs::File::from(write_end));
        let mut parent = Process::new(move || -> i32 {
            let (mut daemon, _never_opened) = gated(0);
            daemon.set_daemon(true).expect("before start");
            daemon.start().expect("start");
            let pid = daemon.pid().expect("started").as_raw();
            let _ = (&report_end).write_all(&pid.to_le_bytes());
            exit_now(0) // no join, no Drop
        });
        parent.start().expect("start");
        expect(v, parent.join() == Ok(0), || "the daemon's parent failed".into());
        let mut pid = [0u8; 4];
        report.read_exact(&mut pid).expect("the daemon's pid");
        let daemon = Pid::from_raw(i32::from_le_bytes(pid));
        let ended = wait_for(daemon);
        let by_sigterm = Ok(ExitStatus::Signaled { signal: Signal::SIGTERM, core_dumped: false });
        expect(v, ended == by_sigterm, || format!("the orphaned daemon ended with {ended:?}"));
    });
}
// ANCHOR_END: daemon

// ANCHOR: run
/// run() runs the target in the calling process and returns its code; start() runs it in a child,
/// and the parent then lets go of the target and what it captured, as CPython does.
fn run_runs_the_target_here_and_start_in_a_child() {
    in_runner(|v| {
        let caller = getpid();
        let captured = std::rc::Rc::new(());
        let held = captured.clone();
        let mut p = Process::new(move || {
            let _ = &held;
            if getpid() == caller { 10 } else { 20 }
        });
        expect(v, p.run() == 10, || "run() did not run the target in the calling process".into());
        p.start().expect("start");
        let released = std::rc::Rc::strong_count(&captured) == 1;
        expect(v, released, || "after start(), the parent still holds what the target captured".into());
        expect(v, p.join() == Ok(20), || "start() did not run the target in a child".into());
        expect(v, p.run() == 0, || "after start(), run() still ran the target".into());
    });
}

/// CPython's twin of the last check: its `run()` after `start()` raises `AttributeError`, because
/// `start()` deleted the target; ours has nothing left to run and returns 0.
fn cpythons_run_after_start_raises_attribute_error() {
    let Some(python) = testkit::python::interpreter() else { return };
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/run_after_start.py");
    let out = std::process::Command::new(python).arg(script).output().expect("python runs");
    let printed = String::from_utf8_lossy(&out.stdout);
    let wanted = "run() after start() raised AttributeError: 'ForkProcess' object has no attribute '_target'";
    assert!(
        out.status.success() && printed.lines().any(|line| line == wanted),
        "CPython printed {printed:?}"
    );
}
// ANCHOR_END: run

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        joins_return_each_childs_own_code_after_it_ended,
        every_exit_code_comes_back_from_join,
        terminate_gives_minus_15_and_kill_minus_9,
        join_timeout_returns_on_time_with_the_child_alive,
        a_panicking_target_gives_exit_code_one,
        misuse_gives_cpythons_errors,
        dropping_a_running_process_joins_it,
        dropping_a_running_daemon_terminates_and_reaps_it,
        a_daemon_ends_with_its_parent,
        run_runs_the_target_here_and_start_in_a_child,
        cpythons_run_after_start_raises_attribute_error,
    ])
}
