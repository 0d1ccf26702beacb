//! Property tests of chapter 8's claims. Each runs its processes inside a sandbox runner
//! (testkit::sandbox): a fresh child of the single-threaded test process, in a process group of its
//! own, so that a mistake is reported instead of hanging and no process can be left behind. No sleep
//! orders anything: children say they are ready through gates.

use std::io::{Read, Write};
use std::process::{Command, ExitCode, Stdio};

use lesson_01_fork::{Gate, exit_now, fork_and_run, getpid};
use lesson_02_wait::{ExitStatus, disable_core_dumps, wait_for, wait_for_change};
use lesson_05_start_methods::{Registry, init, task};
use lesson_06_pool::{Pool, PoolError, PoolOptions};
use lesson_08_signals::handler::{catch, ignore, reset};
use lesson_08_signals::mask::Blocked;
use lesson_08_signals::{DefaultAction, Interrupts, SignalState, default_action};
use nix::sys::signal::{SigSet, SigmaskHow, Signal, kill, pthread_sigmask, raise};
use nix::unistd::{Pid, pause};
use proptest::prelude::*;
use testkit::sandbox;

/// Records a violation unless `holds`.
fn expect(violations: &mut Vec<String>, holds: bool, what: impl FnOnce() -> String) {
    if !holds {
        violations.push(what());
    }
}

/// A child that has asked for nothing, waiting in `pause()`; returns once it is there. What it
/// inherits is not nothing: Rust's runtime catches SIGSEGV and SIGBUS (to report a stack overflow)
/// and ignores SIGPIPE, and whoever started the tests may have left signals ignored (a shell's
/// background job ignores SIGINT and SIGQUIT) or blocked. So the child puts back every default and
/// unblocks every signal first.
fn waiting_child() -> Pid {
    let (ready, is_ready) = Gate::new().expect("gate").split();
    let child = fork_and_run(move || {
        for signal in Signal::iterator().filter(|&s| s != Signal::SIGKILL && s != Signal::SIGSTOP) {
            reset(signal).expect("reset");
        }
        pthread_sigmask(SigmaskHow::SIG_SETMASK, Some(&SigSet::empty()), None).expect("unblock");
        disable_core_dumps().ok();
        ready.open();
        loop {
            pause();
        }
    })
    .expect("fork");
    is_ready.wait();
    child
}

// ANCHOR: every_default_action
/// Every standard signal, sent to a child that has asked for nothing, does what `default_action`
/// says: the child is killed by it, or stopped by it, or the signal is dropped and the child goes on
/// waiting (and SIGKILL then ends it).
fn every_signal_does_its_default_action() {
    sandbox::check_in_runner(|v| {
        for signal in Signal::iterator().filter(|&s| (s as i32) < 32) {
            let child = waiting_child();
            kill(child, signal).expect("kill");
            let action = default_action(signal);
            let seen = match action {
                DefaultAction::Terminate | DefaultAction::CoreDump => wait_for(child),
                DefaultAction::Stop => {
                    let stopped = wait_for_change(child);
                    kill(child, Signal::SIGKILL).expect("kill");
                    wait_for(child).expect("reap");
                    stopped
                }
                DefaultAction::Ignore | DefaultAction::Continue => {
                    // The kernel drops a signal whose action is to do nothing as it is sent: it
                    // is not even pending.
                    let pending = SignalState::of(child).map(|state| state.pending);
                    kill(child, Signal::SIGKILL).expect("kill");
                    let ended = wait_for(child);
                    let dropped = pending.as_ref().is_ok_and(|pending| !pending.contains(&signal));
                    expect(v, dropped, || format!("{signal}: pending in the child: {pending:?}"));
                    ended
                }
            };
            let wanted = match action {
                DefaultAction::Terminate | DefaultAction::CoreDump => {
                    |s, status| matches!(status, ExitStatus::Signaled { signal, .. } if signal == s)
                }
                DefaultAction::Stop => |s, status| status == ExitStatus::Stopped(s),
                DefaultAction::Ignore | DefaultAction::Continue => {
                    |_, status| status == ExitStatus::Signaled { signal: Signal::SIGKILL, core_dumped: false }
                }
            };
            expect(v, seen.is_ok_and(|status| wanted(signal, status)), || {
                format!("{signal} ({action:?}): the child was {seen:?}")
            });
        }
    });
}
// ANCHOR_END: every_default_action

/// A Rust program starts with SIGPIPE ignored and handlers for SIGSEGV and SIGBUS: Rust's runtime
/// sets them up before `main`. This test program is one.
fn a_rust_program_starts_with_sigpipe_ignored_and_segv_bus_caught() {
    let state = SignalState::of_self().expect("/proc/self/status");
    assert!(state.ignored.contains(&Signal::SIGPIPE), "SIGPIPE is not ignored: {state:?}");
    for signal in [Signal::SIGSEGV, Signal::SIGBUS] {
        assert!(state.caught.contains(&signal), "{signal} is not caught: {state:?}");
    }
}

/// Signals a test may catch, ignore and block without changing how the test itself runs
/// (not SIGCHLD: ignoring it would make the kernel reap children by itself).
const PLAYTHINGS: [Signal; 7] = [
    Signal::SIGHUP,
    Signal::SIGINT,
    Signal::SIGQUIT,
    Signal::SIGUSR1,
    Signal::SIGUSR2,
    Signal::SIGALRM,
    Signal::SIGTERM,
];

/// Which of the [`PLAYTHINGS`] each of the state's lists holds: (caught, ignored, blocked).
fn watched(state: &SignalState) -> [Vec<Signal>; 3] {
    let only = |list: &[Signal]| list.iter().copied().filter(|s| PLAYTHINGS.contains(s)).collect();
    [only(&state.caught), only(&state.ignored), only(&state.blocked)]
}

// ANCHOR: inheritance
/// For any choice of signals to catch, to ignore and to block, made before fork: the forked child
/// catches, ignores and blocks exactly those; once it has exec'd a program (`cat`), the handlers
/// are gone, and the ignored and the blocked signals are as before.
fn inheritance_case(dispositions: Vec<u8>, blocked: Vec<bool>) {
    sandbox::check_in_runner(|v| {
        // From the defaults, whatever the test process inherited (`nohup` ignores SIGHUP, say).
        for signal in PLAYTHINGS {
            reset(signal).expect("reset");
        }
        pthread_sigmask(SigmaskHow::SIG_UNBLOCK, Some(&PLAYTHINGS.into_iter().collect()), None)
            .expect("unblock");
        let mut wanted: [Vec<Signal>; 3] = Default::default();
        for (&signal, &disposition) in PLAYTHINGS.iter().zip(&dispositions) {
            match disposition {
                1 => catch(signal).map(|()| wanted[0].push(signal)).expect("catch"),
                2 => ignore(signal).map(|()| wanted[1].push(signal)).expect("ignore"),
                _ => {}
            }
        }
        wanted[2] = PLAYTHINGS.iter().zip(&blocked).filter(|(_, b)| **b).map(|(s, _)| *s).collect();
        let _blocked = Blocked::new(&wanted[2]).expect("block");

        let (ready, is_ready) = Gate::new().expect("gate").split();
        let (go, wait_to_go) = Gate::new().expect("gate").split();
        let child = fork_and_run(move || {
            ready.open();
            wait_to_go.wait();
            0
        })
        .expect("fork");
        is_ready.wait();
        let after_fork = SignalState::of(child).ok().map(|state| watched(&state));
        go.open();
        wait_for(child).expect("reap");
        expect(v, after_fork.as_ref() == Some(&wanted), || {
            format!("after fork: {after_fork:?}, not {wanted:?}")
        });

        // `cat` installs no handler. Once it has echoed a line, it runs: the exec is done.
        let mut cat = Command::new("cat").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("cat");
        let (mut input, mut output) = (cat.stdin.take().expect("stdin"), cat.stdout.take().expect("stdout"));
        input.write_all(b"!").expect("write");
        output.read_exact(&mut [0u8; 1]).expect("read");
        let after_exec = SignalState::of(Pid::from_raw(cat.id() as i32)).ok().map(|state| watched(&state));
        drop(input);
        cat.wait().expect("reap cat");
        let wanted_after_exec = [Vec::new(), wanted[1].clone(), wanted[2].clone()];
        expect(v, after_exec.as_ref() == Some(&wanted_after_exec), || {
            format!("after exec: {after_exec:?}, not {wanted_after_exec:?}")
        });
    });
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// Handlers, ignored signals and the mask set before fork are in the child; exec resets the
    /// handlers to the default and keeps the rest.
    fn a_handler_set_before_fork_is_in_the_child_and_reset_by_exec(
        dispositions in proptest::collection::vec(0u8..3, PLAYTHINGS.len()),
        blocked in proptest::collection::vec(any::<bool>(), PLAYTHINGS.len()),
    ) {
        inheritance_case(dispositions, blocked);
    }
}
// ANCHOR_END: inheritance

/// A task that waits until the gate whose read end is `gate` opens, then returns `value`.
fn gated((gate, value): (i32, u32)) -> u32 {
    let mut byte = [0u8; 1];
    // SAFETY: the test made the pipe before the pool forked this worker and keeps both ends open.
    let _ = nix::unistd::read(unsafe { std::os::fd::BorrowedFd::borrow_raw(gate) }, &mut byte);
    value
}

/// The functions the pools of these tests run, by name (chapter 5).
static REGISTRY: Registry = Registry { tasks: &[task!(gated)], entries: &[] };

// ANCHOR: interrupted_waits
/// While a SIGINT or SIGTERM is pending, every wait of a pool made with `Interrupts` stops with
/// `PoolError::Interrupted` — `get`, `get_timeout`, `map`, `imap` and `join` — and the tasks go on;
/// once the signal is taken, the waits work again. The workers, forked after the block, are not
/// killed by a SIGINT sent to them.
fn a_pending_signal_interrupts_every_wait_of_the_pool() {
    sandbox::check_in_runner(|v| {
        init(&REGISTRY);
        let interrupts = Interrupts::new().expect("interrupts");
        let options =
            PoolOptions { processes: Some(2), interrupt: Some(interrupts.fd()), ..Default::default() };
        let pool = Pool::with_options(options).expect("pool");
        let (gate, opener) = nix::unistd::pipe().expect("pipe");
        let gate_fd = std::os::fd::AsRawFd::as_raw_fd(&gate);
        let waiting = pool.apply_async(gated, (gate_fd, 7)).expect("submit");
        for (signal, sender) in [(Signal::SIGINT, "the group"), (Signal::SIGTERM, "itself")] {
            match sender {
                "the group" => nix::sys::signal::killpg(getpid(), signal).expect("killpg"),
                _ => raise(signal).expect("raise"),
            }
            let got = waiting.get();
            expect(v, got == Err(PoolError::Interrupted), || format!("get after {signal} gave {got:?}"));
            let timed = waiting.get_timeout(std::time::Duration::from_secs(60));
            expect(v, timed == Err(PoolError::Interrupted), || format!("get_timeout gave {timed:?}"));
            let mapped = pool.map(gated, [(gate_fd, 1)]);
            expect(v, mapped == Err(PoolError::Interrupted), || format!("map gave {mapped:?}"));
            let first = pool.imap(gated, [(gate_fd, 2)]).expect("imap").next();
            expect(v, first == Some(Err(PoolError::Interrupted)), || format!("imap gave {first:?}"));
            let taken = interrupts.take();
            expect(v, taken == Some(signal), || format!("the signalfd gave {taken:?}, not {signal}"));
            expect(v, pool.pids().len() == 2, || format!("{} workers after {signal}", pool.pids().len()));
        }
        nix::unistd::write(&opener, &[1; 3]).expect("open the gates");
        let got = waiting.get();
        expect(v, got == Ok(7), || format!("get once the signal was taken gave {got:?}"));
        pool.close();
        raise(Signal::SIGTERM).expect("raise");
        let joined = pool.join();
        expect(v, joined == Err(PoolError::Interrupted), || format!("join gave {joined:?}"));
        let _ = interrupts.take();
        let joined = pool.join();
        expect(v, joined == Ok(()), || format!("join once the signal was taken gave {joined:?}"));
        drop((gate, opener));
    });
}
// ANCHOR_END: interrupted_waits

/// `exit_by` ends the process as the signal does: a parent sees "killed by SIGINT".
fn exit_by_ends_the_process_as_the_signal_would() {
    sandbox::check_in_runner(|v| {
        for signal in Interrupts::SIGNALS {
            let child = fork_and_run(move || match Interrupts::new() {
                Ok(interrupts) => interrupts.exit_by(signal),
                Err(_) => exit_now(3),
            })
            .expect("fork");
            let status = wait_for(child);
            let wanted = ExitStatus::Signaled { signal, core_dumped: false };
            expect(v, status == Ok(wanted), || format!("exit_by({signal}) gave {status:?}"));
        }
    });
}

// ANCHOR: contained_tree
/// What the test runner does for every listing: a command run in a group of its own leaves nothing
/// behind. Here a shell starts fifty processes that outlive it, orphaned (so they come back to the
/// runner, a subreaper) and still in the shell's group; when the shell has ended, the runner kills
/// the group and reaps all fifty, and counts them as left behind.
fn a_contained_command_leaves_no_process_of_its_group_behind() {
    let mut command = Command::new("sh");
    command.args(["-c", "for i in $(seq 50); do (sleep 600 >/dev/null 2>&1 &); done; echo started"]);
    let done = testkit::contained::run(command, std::time::Duration::from_secs(20));
    assert_eq!(done.output, "started\n", "the shell did not finish its loop");
    assert_eq!(done.left_behind, 50, "the fifty orphans in the shell's group, killed and reaped");
}
// ANCHOR_END: contained_tree

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        every_signal_does_its_default_action,
        a_rust_program_starts_with_sigpipe_ignored_and_segv_bus_caught,
        a_handler_set_before_fork_is_in_the_child_and_reset_by_exec,
        a_pending_signal_interrupts_every_wait_of_the_pool,
        exit_by_ends_the_process_as_the_signal_would,
        a_contained_command_leaves_no_process_of_its_group_behind
    ])
}
