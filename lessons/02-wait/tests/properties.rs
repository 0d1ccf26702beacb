//! Tests of chapter 2's claims. Every test forks; the harness runs them one at a time on the main
//! thread of a single-threaded process that is a child subreaper (see `testkit::harness`).
//! No sleep orders anything: children wait at gates the test opens, and the test learns that a child
//! has ended without reaping it with `waitid(WNOWAIT)`.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::process::ExitCode;

use lesson_01_fork::{Fork, Gate, Pid, exit_now, fork, fork_and_run, getpid, getppid};
use lesson_02_wait::{
    ExitStatus, WaitError, become_subreaper, disable_core_dumps, is_subreaper, parse_stat, proc_stat,
    proc_state, try_wait, wait_any, wait_for, wait_for_change, wait_without_reaping, waitpid_raw,
};
use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, SigmaskHow, Signal, kill, sigaction};
use nix::sys::wait::WaitPidFlag;
use proptest::prelude::*;

/// The signals whose default action ends the process: the ones listed as `Term` or `Core` in
/// signal(7), as nix names them on Linux.
const FATAL: [Signal; 23] = [
    Signal::SIGHUP,
    Signal::SIGINT,
    Signal::SIGQUIT,
    Signal::SIGILL,
    Signal::SIGTRAP,
    Signal::SIGABRT,
    Signal::SIGBUS,
    Signal::SIGFPE,
    Signal::SIGKILL,
    Signal::SIGUSR1,
    Signal::SIGSEGV,
    Signal::SIGUSR2,
    Signal::SIGPIPE,
    Signal::SIGALRM,
    Signal::SIGTERM,
    Signal::SIGSTKFLT,
    Signal::SIGXCPU,
    Signal::SIGXFSZ,
    Signal::SIGVTALRM,
    Signal::SIGPROF,
    Signal::SIGIO,
    Signal::SIGPWR,
    Signal::SIGSYS,
];

/// The fatal signals whose default action also writes a core dump (`Core` in signal(7)).
const DUMPS_CORE: [Signal; 10] = [
    Signal::SIGQUIT,
    Signal::SIGILL,
    Signal::SIGTRAP,
    Signal::SIGABRT,
    Signal::SIGBUS,
    Signal::SIGFPE,
    Signal::SIGSEGV,
    Signal::SIGXCPU,
    Signal::SIGXFSZ,
    Signal::SIGSYS,
];

/// Forks a child that waits at a gate, then ends with `code`. Returns its pid and the gate.
fn child_at_gate(code: i32) -> (Pid, Gate) {
    let may_end = Gate::new().expect("gate");
    match fork().expect("fork") {
        Fork::Child => {
            may_end.wait();
            exit_now(code);
        }
        Fork::Parent { child } => (child, may_end),
    }
}

/// Forks a child that lets `signal` do its default action, turns core dumps off, says it is ready,
/// and waits for signals. Returns once the child is ready. The test process may ignore or block
/// signals (Rust ignores SIGPIPE), and a child inherits that, so the child undoes it first.
fn child_ready_for(signal: Signal) -> Pid {
    let ready = Gate::new().expect("gate");
    match fork().expect("fork") {
        Fork::Child => {
            let default = SigAction::new(SigHandler::SigDfl, SaFlags::empty(), SigSet::empty());
            // SAFETY: SIG_DFL installs no handler, so no code of ours can run in signal context.
            // SIGKILL's action cannot be changed; that error is expected and harmless.
            let _ = unsafe { sigaction(signal, &default) };
            let _ = nix::sys::signal::sigprocmask(SigmaskHow::SIG_UNBLOCK, Some(&SigSet::from(signal)), None);
            let _ = disable_core_dumps();
            ready.open();
            loop {
                nix::unistd::pause();
            }
        }
        Fork::Parent { child } => {
            ready.wait();
            child
        }
    }
}

/// A pipe for reports: (read end, write end).
fn report_pipe() -> (std::fs::File, std::fs::File) {
    let (read_end, write_end) = nix::unistd::pipe().expect("pipe");
    (read_end.into(), write_end.into())
}

/// Reads pids, 4 bytes each, until every copy of the pipe's write end is closed.
fn read_pids(mut pipe: std::fs::File) -> Vec<Pid> {
    let mut bytes = Vec::new();
    pipe.read_to_end(&mut bytes).expect("read the pipe");
    bytes.chunks(4).map(|b| Pid::from_raw(i32::from_le_bytes(b.try_into().expect("4 bytes")))).collect()
}

/// Checks that this process has no child left, running or zombie.
fn assert_no_children() {
    assert_eq!(wait_any(), Err(WaitError::NoChildren), "a child was left behind");
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() }
}

// ANCHOR: every_exit_code_from_0_to_255_round_trips_through_exit_and_waitpid
/// Every exit code a process can have, 0 to 255, is the code its parent's wait reports, exactly.
fn every_exit_code_from_0_to_255_round_trips_through_exit_and_waitpid() {
    for code in 0..=255 {
        let child = fork_and_run(move || code).expect("fork");
        let status = wait_for(child).expect("wait");
        assert_eq!(status, ExitStatus::Exited(code), "a child that exited with {code}");
        assert_eq!(status.exitcode(), Some(code));
    }
    assert_no_children();
}
// ANCHOR_END: every_exit_code_from_0_to_255_round_trips_through_exit_and_waitpid

proptest! {
    #![proptest_config(config())]

    // ANCHOR: only_the_low_eight_bits_of_an_exit_code_survive
    /// `_exit(n)` for any `int` n is reported as n & 0xff: 256 as 0, -1 as 255.
    fn only_the_low_eight_bits_of_an_exit_code_survive(code in any::<i32>()) {
        let child = fork_and_run(move || code).expect("fork");
        let status = wait_for(child).expect("wait");
        prop_assert_eq!(status, ExitStatus::Exited(code & 0xff));
    }
    // ANCHOR_END: only_the_low_eight_bits_of_an_exit_code_survive

    // ANCHOR: wait_any_reports_each_child_once_with_its_own_code
    /// n children that all end at once are each reported by `wait_any` exactly once, with their own
    /// pid and code, and then there is nothing left to wait for.
    fn wait_any_reports_each_child_once_with_its_own_code(codes in prop::collection::vec(any::<u8>(), 1..=12)) {
        let mut expected = BTreeMap::new();
        for &code in &codes {
            let child = fork_and_run(move || i32::from(code)).expect("fork");
            expected.insert(child, ExitStatus::Exited(i32::from(code)));
        }
        let mut reported = BTreeMap::new();
        for _ in 0..codes.len() {
            let (pid, status) = wait_any().expect("a child is left to wait for");
            prop_assert!(reported.insert(pid, status).is_none(), "{} was reported twice", pid);
        }
        prop_assert_eq!(reported, expected);
        prop_assert_eq!(wait_any(), Err(WaitError::NoChildren));
    }
    // ANCHOR_END: wait_any_reports_each_child_once_with_its_own_code

    // ANCHOR: a_zombie_is_visible_before_the_wait_and_gone_after_it
    /// A child that has ended but is not reaped is a zombie: `/proc` shows it in state `Z`, with its
    /// parent, and even SIGKILL leaves it there and its status unchanged. Waiting for it reaps it
    /// and `/proc/PID` is gone.
    fn a_zombie_is_visible_before_the_wait_and_gone_after_it(codes in prop::collection::vec(any::<u8>(), 1..=8)) {
        let me = getpid();
        let mut children = Vec::new();
        for &code in &codes {
            children.push((fork_and_run(move || i32::from(code)).expect("fork"), i32::from(code)));
        }
        for &(child, code) in &children {
            prop_assert_eq!(wait_without_reaping(child), Ok(ExitStatus::Exited(code)));
            let stat = proc_stat(child);
            prop_assert_eq!(stat.map(|s| s.state), Some('Z'), "an ended, unreaped child is a zombie");
            prop_assert_eq!(stat.map(|s| s.parent), Some(me), "and still has its parent");
            kill(child, Signal::SIGKILL).expect("a zombie can be sent a signal");
            prop_assert_eq!(proc_state(child), Some('Z'), "SIGKILL does not remove a zombie");
        }
        for &(child, code) in &children {
            prop_assert_eq!(wait_for(child), Ok(ExitStatus::Exited(code)), "SIGKILL did not change the status");
            prop_assert_eq!(proc_state(child), None, "a reaped child is gone from /proc");
        }
    }
    // ANCHOR_END: a_zombie_is_visible_before_the_wait_and_gone_after_it
}

// ANCHOR: every_fatal_signal_is_reported_as_that_signal
/// A child killed by any signal whose default action ends a process is reported as killed by that
/// very signal, and its Python-style exit code is minus the signal's number.
fn every_fatal_signal_is_reported_as_that_signal() {
    for signal in FATAL {
        let child = child_ready_for(signal);
        kill(child, signal).expect("kill");
        let status = wait_for(child).expect("wait");
        let ExitStatus::Signaled { signal: reported, .. } = status else {
            panic!("a child sent {signal} ended with {status:?}")
        };
        assert_eq!(reported, signal);
        assert_eq!(status.exitcode(), Some(-(signal as i32)));
    }
    assert_no_children();
}
// ANCHOR_END: every_fatal_signal_is_reported_as_that_signal

// ANCHOR: a_child_that_cannot_dump_core_is_reported_without_a_core_dump
/// A child that turned core dumps off (`disable_core_dumps`) and is killed by a signal that dumps
/// core by default is reported with `core_dumped: false`, whatever the machine's core_pattern.
fn a_child_that_cannot_dump_core_is_reported_without_a_core_dump() {
    for signal in DUMPS_CORE {
        let child = child_ready_for(signal);
        kill(child, signal).expect("kill");
        assert_eq!(wait_for(child), Ok(ExitStatus::Signaled { signal, core_dumped: false }));
    }
    assert_no_children();
}
// ANCHOR_END: a_child_that_cannot_dump_core_is_reported_without_a_core_dump

// ANCHOR: the_raw_wait_status_has_the_documented_layout
/// The `int` waitpid fills in: an exit code in bits 8–15 with 0 below; a signal in bits 0–6
/// (bit 7 is the core-dump flag); a stop as 0x7f with the signal in bits 8–15; a continue as 0xffff.
fn the_raw_wait_status_has_the_documented_layout() {
    for code in [0, 1, 42, 255] {
        let child = fork_and_run(move || code).expect("fork");
        assert_eq!(waitpid_raw(child, WaitPidFlag::empty()), Ok(Some(code << 8)), "exit code {code}");
    }
    for signal in [Signal::SIGTERM, Signal::SIGKILL, Signal::SIGABRT] {
        let child = child_ready_for(signal);
        kill(child, signal).expect("kill");
        assert_eq!(waitpid_raw(child, WaitPidFlag::empty()), Ok(Some(signal as i32)), "{signal}");
    }
    let (child, may_end) = child_at_gate(0);
    kill(child, Signal::SIGSTOP).expect("stop");
    let stopped = waitpid_raw(child, WaitPidFlag::WUNTRACED).expect("wait");
    assert_eq!(stopped, Some(((Signal::SIGSTOP as i32) << 8) | 0x7f));
    kill(child, Signal::SIGCONT).expect("continue");
    assert_eq!(waitpid_raw(child, WaitPidFlag::WCONTINUED), Ok(Some(0xffff)));
    may_end.open();
    assert_eq!(waitpid_raw(child, WaitPidFlag::empty()), Ok(Some(0)));
}
// ANCHOR_END: the_raw_wait_status_has_the_documented_layout

// ANCHOR: running_and_sleeping
/// A process that reads its own state is running: `R`. A child blocked in a read, at its gate, is
/// sleeping: `S`, once it has reached the read (until then it may still be `R`).
fn a_running_process_is_r_and_a_blocked_one_is_s() {
    assert_eq!(proc_state(getpid()), Some('R'), "this process, reading its own state, is running");
    let (child, may_end) = child_at_gate(0);
    let mut state = proc_state(child);
    while state == Some('R') {
        std::thread::yield_now();
        state = proc_state(child);
    }
    assert_eq!(state, Some('S'), "a child blocked at its gate is sleeping");
    may_end.open();
    assert_eq!(wait_for(child), Ok(ExitStatus::Exited(0)));
    assert_no_children();
}
// ANCHOR_END: running_and_sleeping

// ANCHOR: a_stopped_child_is_reported_stopped_then_continued_then_ended
/// SIGSTOP stops a child (`T` in /proc) without ending it; SIGCONT continues it; both are reported
/// by `wait_for_change`, and neither counts as an end for `try_wait`.
fn a_stopped_child_is_reported_stopped_then_continued_then_ended() {
    let (child, may_end) = child_at_gate(9);
    kill(child, Signal::SIGSTOP).expect("stop");
    assert_eq!(wait_for_change(child), Ok(ExitStatus::Stopped(Signal::SIGSTOP)));
    assert_eq!(proc_state(child), Some('T'));
    assert_eq!(try_wait(child), Ok(None), "a stopped child has not ended");
    kill(child, Signal::SIGCONT).expect("continue");
    assert_eq!(wait_for_change(child), Ok(ExitStatus::Continued));
    assert_eq!(try_wait(child), Ok(None), "a continued child has not ended");
    may_end.open();
    assert_eq!(wait_for_change(child), Ok(ExitStatus::Exited(9)));
    assert_no_children();
}
// ANCHOR_END: a_stopped_child_is_reported_stopped_then_continued_then_ended

// ANCHOR: try_wait_never_blocks_and_reaps_only_an_ended_child
/// `try_wait` returns at once: `None` while the child runs, its status once it has ended (reaping
/// it), and then an error, since a reaped child is no longer ours.
fn try_wait_never_blocks_and_reaps_only_an_ended_child() {
    let (child, may_end) = child_at_gate(4);
    for _ in 0..3 {
        assert_eq!(try_wait(child), Ok(None), "the child is still waiting at its gate");
    }
    may_end.open();
    assert_eq!(wait_without_reaping(child), Ok(ExitStatus::Exited(4)));
    assert_eq!(try_wait(child), Ok(Some(ExitStatus::Exited(4))));
    assert_eq!(try_wait(child), Err(WaitError::NotAChild(child)));
}
// ANCHOR_END: try_wait_never_blocks_and_reaps_only_an_ended_child

// ANCHOR: waiting_for_a_pid_that_is_not_a_child_is_a_clear_error
/// Waiting for a process that is not our child — our parent, ourselves, a grandchild, a child
/// already reaped — fails at once with `NotAChild(pid)`; waiting for any child when there is none
/// fails with `NoChildren`. Neither blocks.
fn waiting_for_a_pid_that_is_not_a_child_is_a_clear_error() {
    assert_eq!(wait_for(getppid()), Err(WaitError::NotAChild(getppid())), "our parent");
    assert_eq!(wait_for(getpid()), Err(WaitError::NotAChild(getpid())), "ourselves");
    assert_eq!(try_wait(getppid()), Err(WaitError::NotAChild(getppid())));

    // A grandchild: alive, but its parent is our child, not us.
    let (pids, pid_end) = report_pipe();
    let (child, may_end) = {
        let may_end = Gate::new().expect("gate");
        match fork().expect("fork") {
            Fork::Child => {
                let (grandchild, grandchild_may_end) = child_at_gate(0);
                let sent = (&pid_end).write_all(&grandchild.as_raw().to_le_bytes()).is_ok();
                may_end.wait();
                grandchild_may_end.open();
                let reaped = wait_for(grandchild) == Ok(ExitStatus::Exited(0));
                exit_now(if sent && reaped { 0 } else { 1 });
            }
            Fork::Parent { child } => (child, may_end),
        }
    };
    drop(pid_end);
    // Read the one pid, not to the end: the child and the grandchild still hold the write end.
    let mut bytes = [0u8; 4];
    (&pids).read_exact(&mut bytes).expect("the child reports its child's pid");
    let grandchild = Pid::from_raw(i32::from_le_bytes(bytes));
    assert_eq!(wait_for(grandchild), Err(WaitError::NotAChild(grandchild)), "a grandchild");
    let message = WaitError::NotAChild(grandchild).to_string();
    assert_eq!(
        message,
        format!("process {grandchild} is not a child of this process, or was already reaped")
    );
    may_end.open();
    assert_eq!(wait_for(child), Ok(ExitStatus::Exited(0)));
    assert_eq!(wait_for(child), Err(WaitError::NotAChild(child)), "a child already reaped");

    assert_eq!(wait_any(), Err(WaitError::NoChildren));
    assert_eq!(WaitError::NoChildren.to_string(), "this process has no children to wait for");
}
// ANCHOR_END: waiting_for_a_pid_that_is_not_a_child_is_a_clear_error

// ANCHOR: the_state_is_read_after_the_last_parenthesis
/// `/proc/PID/stat` puts the command name in parentheses, and a process may put `)` in its name:
/// a zombie that named itself `) R (x` is still read as `Z`.
fn the_state_is_read_after_the_last_parenthesis() {
    let child = fork_and_run(|| {
        let renamed = nix::sys::prctl::set_name(c") R (x").is_ok();
        if renamed { 0 } else { 1 }
    })
    .expect("fork");
    assert_eq!(wait_without_reaping(child), Ok(ExitStatus::Exited(0)), "the child renamed itself");
    let text = std::fs::read_to_string(format!("/proc/{child}/stat")).expect("read the zombie's stat");
    assert!(text.starts_with(&format!("{child} () R (x) Z ")), "{text}");
    assert_eq!(proc_state(child), Some('Z'));
    assert_eq!(wait_for(child), Ok(ExitStatus::Exited(0)));

    let parsed = parse_stat("42 (a) b) S 7 42 42 0 -1").expect("parse");
    assert_eq!((parsed.state, parsed.parent), ('S', Pid::from_raw(7)));
    assert_eq!(parse_stat("42 no parentheses S 7"), None);
}
// ANCHOR_END: the_state_is_read_after_the_last_parenthesis

// ANCHOR: an_orphan_is_re_parented_to_the_nearest_subreaper
/// When the middle child exits, its own child — an orphan now — gets this process, a child
/// subreaper, as its parent, and this process can reap it.
fn an_orphan_is_re_parented_to_the_nearest_subreaper() {
    become_subreaper().expect("prctl");
    assert_eq!(is_subreaper(), Ok(true));
    let me = getpid();
    let (reports, report_end) = report_pipe();
    // The grandchild looks at its parent a second time only once the middle child is reaped.
    let middle_reaped = Gate::new().expect("gate");
    let middle = match fork().expect("fork") {
        Fork::Child => {
            let looked = Gate::new().expect("gate");
            match fork() {
                Ok(Fork::Child) => {
                    let first_parent = getppid();
                    looked.open();
                    middle_reaped.wait();
                    let report =
                        [getpid(), first_parent, getppid()].map(|p| p.as_raw().to_le_bytes()).concat();
                    let sent = (&report_end).write_all(&report).is_ok();
                    exit_now(if sent { 0 } else { 1 });
                }
                Ok(Fork::Parent { .. }) => {
                    looked.wait();
                    exit_now(0); // without waiting for the grandchild
                }
                Err(_) => exit_now(1),
            }
        }
        Fork::Parent { child } => child,
    };
    drop(report_end);
    assert_eq!(wait_for(middle), Ok(ExitStatus::Exited(0)));
    middle_reaped.open();
    let [grandchild, first_parent, now] = read_pids(reports)[..] else { panic!("no report") };
    assert_eq!(first_parent, middle, "the grandchild's first parent is the middle child");
    assert_eq!(now, me, "the orphan's parent is now the subreaper");
    assert_eq!(proc_stat(grandchild).map(|s| s.parent), Some(me));
    assert_eq!(wait_for(grandchild), Ok(ExitStatus::Exited(0)), "the subreaper reaps the orphan");
    assert_no_children();
}
// ANCHOR_END: an_orphan_is_re_parented_to_the_nearest_subreaper

// ANCHOR: with_sigchld_ignored_the_kernel_reaps_children_itself
/// A process that sets SIGCHLD to SIG_IGN leaves no zombies: the kernel reaps its children as they
/// end, so a wait for one blocks until it has ended, then fails with ECHILD.
fn with_sigchld_ignored_the_kernel_reaps_children_itself() {
    let parent = fork_and_run(|| {
        let ignore = SigAction::new(SigHandler::SigIgn, SaFlags::empty(), SigSet::empty());
        // SAFETY: SIG_IGN installs no handler, so no code of ours can run in signal context.
        if unsafe { sigaction(Signal::SIGCHLD, &ignore) }.is_err() {
            return 1;
        }
        let Ok(child) = fork_and_run(|| 0) else { return 2 };
        if wait_for(child) != Err(WaitError::NotAChild(child)) {
            return 3;
        }
        // No zombie is left. The kernel may still be releasing the child for a moment after the
        // wait has returned (`/proc` then shows it as `X`, dead), but never as a zombie, `Z`.
        if proc_state(child) == Some('Z') {
            return 4;
        }
        0
    })
    .expect("fork");
    assert_eq!(wait_for(parent), Ok(ExitStatus::Exited(0)), "1: sigaction, 2: fork, 3: wait, 4: zombie");
}
// ANCHOR_END: with_sigchld_ignored_the_kernel_reaps_children_itself

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        every_exit_code_from_0_to_255_round_trips_through_exit_and_waitpid,
        only_the_low_eight_bits_of_an_exit_code_survive,
        every_fatal_signal_is_reported_as_that_signal,
        a_child_that_cannot_dump_core_is_reported_without_a_core_dump,
        the_raw_wait_status_has_the_documented_layout,
        a_running_process_is_r_and_a_blocked_one_is_s,
        a_stopped_child_is_reported_stopped_then_continued_then_ended,
        try_wait_never_blocks_and_reaps_only_an_ended_child,
        wait_any_reports_each_child_once_with_its_own_code,
        waiting_for_a_pid_that_is_not_a_child_is_a_clear_error,
        a_zombie_is_visible_before_the_wait_and_gone_after_it,
        the_state_is_read_after_the_last_parenthesis,
        an_orphan_is_re_parented_to_the_nearest_subreaper,
        with_sigchld_ignored_the_kernel_reaps_children_itself,
    ])
}
