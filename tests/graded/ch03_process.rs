//! Graded tests for chapter 3, compiled against `exercises` (yours) and `solutions`.
//!
//! Each call of your code runs in a sandbox (`testkit::sandbox`): a child process with a time limit,
//! so a panic, an endless loop, a child that returns into its caller or a child left unreaped is
//! reported as a failure with advice, and never hangs or breaks the test run.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use std::os::fd::IntoRawFd;
use std::sync::atomic::{AtomicI32, Ordering};

use lesson_01_fork::{Gate, Opener, Pid, fork_and_run, wait_for};
use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, kill, sigaction};
use nix::unistd::getpid;
use testkit::sandbox::{self, call};
use workbook::ch03_process::*;

/// Forks a child that waits at a gate and then ends with `code`; returns it with the gate's opener.
fn gated_child(code: i32) -> (Pid, Opener) {
    let (opener, waiter) = Gate::new().expect("gate").split();
    let child = fork_and_run(move || {
        waiter.wait();
        code
    })
    .expect("fork");
    (child, opener)
}

/// The write end of the pipe that the SIGUSR1 handler writes a byte to.
static GATE: AtomicI32 = AtomicI32::new(-1);

/// The SIGUSR1 handler: lets the child of [`child_released_by_a_signal`] go.
extern "C" fn open_gate(_: libc::c_int) {
    // SAFETY: write(2) is async-signal-safe, and GATE holds a pipe's write end that stays open until
    // this process ends.
    unsafe { libc::write(GATE.load(Ordering::Relaxed), [1u8].as_ptr().cast(), 1) };
}

/// Forks a child that waits for a byte on a pipe and then ends with `code`, and a helper that sends
/// this process SIGUSR1 as soon as it sleeps: in the caller's wait for the child. The signal's handler
/// writes the byte. So a signal cuts the wait short while the child still runs, and the child ends
/// just after. Returns the child and the helper, which the caller reaps.
fn child_released_by_a_signal(code: i32) -> (Pid, Pid) {
    let (gate, gate_opener) = nix::unistd::pipe().expect("pipe");
    let child = fork_and_run(move || {
        let _ = nix::unistd::read(&gate, &mut [0u8]);
        code
    })
    .expect("fork");
    GATE.store(gate_opener.into_raw_fd(), Ordering::Relaxed);
    let handler = SigAction::new(SigHandler::Handler(open_gate), SaFlags::empty(), SigSet::empty());
    // SAFETY: the handler only loads an atomic and calls write(2), both async-signal-safe.
    unsafe { sigaction(Signal::SIGUSR1, &handler) }.expect("sigaction");
    let waiter = getpid();
    let helper = fork_and_run(move || {
        while !asleep(waiter) {
            std::hint::spin_loop();
        }
        i32::from(kill(waiter, Signal::SIGUSR1).is_err())
    })
    .expect("fork");
    (child, helper)
}

/// Whether `pid` is asleep: state S in `/proc/PID/stat`.
fn asleep(pid: Pid) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit_once(") ").is_some_and(|(_, rest)| rest.starts_with('S'))
}

/// CPU time this process has used so far (user + system).
fn cpu_time() -> Duration {
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_SELF).expect("getrusage");
    let micros = |t: nix::sys::time::TimeVal| t.tv_sec() as u64 * 1_000_000 + t.tv_usec() as u64;
    Duration::from_micros(micros(usage.user_time()) + micros(usage.system_time()))
}

mod join_with_timeout {
    use super::*;

    pub fn returns_the_code_of_a_child_that_ends() {
        let code = sandbox::expect(|| {
            let (child, opener) = gated_child(6);
            opener.open();
            call(|| join_with_timeout(child, Duration::from_secs(30)))
        });
        assert_eq!(code, Some(6), "the child ended with 6; join_with_timeout returned {code:?}");
    }

    pub fn returns_none_on_time_and_leaves_the_child_running() {
        let (got, waited_enough, still_there) = sandbox::expect(|| {
            let (child, opener) = gated_child(0);
            let began = Instant::now();
            let got = call(|| join_with_timeout(child, Duration::from_millis(200)));
            let waited = began.elapsed();
            let still_there = std::path::Path::new(&format!("/proc/{child}")).exists();
            opener.open();
            let _ = wait_for(child);
            (got, waited >= Duration::from_millis(200), still_there)
        });
        assert_eq!(got, None, "the child was still at its gate, yet join_with_timeout returned {got:?}");
        assert!(waited_enough, "join_with_timeout returned before its limit of 200 ms");
        assert!(still_there, "the child was reaped or killed although it had not ended");
    }

    pub fn a_zero_limit_never_blocks() {
        let got = sandbox::expect(|| {
            let (child, opener) = gated_child(0);
            let got = call(|| join_with_timeout(child, Duration::ZERO));
            opener.open();
            let _ = wait_for(child);
            got
        });
        assert_eq!(got, None, "join_with_timeout(child, 0) returned {got:?} for a running child");
    }

    pub fn keeps_waiting_when_a_signal_interrupts_it() {
        let code = sandbox::expect(|| {
            let (child, helper) = child_released_by_a_signal(9);
            let code = call(|| join_with_timeout(child, Duration::from_secs(3600)));
            let _ = wait_for(helper);
            if code.is_none() {
                let _ = wait_for(child);
            }
            code
        });
        assert_eq!(
            code,
            Some(9),
            "with a limit of an hour, a signal cut the wait short and the child ended with 9 just after; \
             join_with_timeout returned {code:?}: when poll fails with EINTR, wait again for what is left"
        );
    }

    pub fn waits_without_end_for_a_limit_of_duration_max() {
        let code = sandbox::expect(|| {
            let (child, opener) = gated_child(4);
            opener.open();
            call(|| join_with_timeout(child, Duration::MAX))
        });
        assert_eq!(
            code,
            Some(4),
            "the child ended with 4; join_with_timeout(child, Duration::MAX) returned {code:?} \
             (Instant::now() + Duration::MAX overflows: Instant::checked_add does not)"
        );
    }

    pub fn sleeps_instead_of_busy_waiting() {
        let cpu = sandbox::expect(|| {
            let (child, opener) = gated_child(0);
            let before = cpu_time();
            call(|| join_with_timeout(child, Duration::from_millis(500)));
            let used = cpu_time().saturating_sub(before);
            opener.open();
            let _ = wait_for(child);
            used.as_millis() as u64
        });
        assert!(cpu < 100, "waiting 500 ms used {cpu} ms of CPU: sleep in poll() instead of looping");
    }
}

mod terminate_and_reap {
    use super::*;

    pub fn a_running_child_gives_minus_15() {
        let code = sandbox::expect(|| {
            let (child, _never_opened) = gated_child(0);
            call(|| terminate_and_reap(child))
        });
        assert_eq!(code, -15, "SIGTERM ended the child; the Python-style exit code is -15, not {code}");
    }

    pub fn a_child_that_already_ended_gives_its_own_code() {
        let code = sandbox::expect(|| {
            let child = fork_and_run(|| 9).expect("fork");
            // Wait until the child has exited, without reaping it.
            let _ = nix::sys::wait::waitid(
                nix::sys::wait::Id::Pid(child),
                nix::sys::wait::WaitPidFlag::WEXITED | nix::sys::wait::WaitPidFlag::WNOWAIT,
            );
            call(|| terminate_and_reap(child))
        });
        assert_eq!(code, 9, "the child had already exited with 9; terminate_and_reap returned {code}");
    }
}

mod exit_codes_in_start_order {
    use super::*;

    pub fn returns_each_code_in_start_order() {
        for codes in [vec![], vec![0], vec![3, 1, 2], vec![255, 0, 17, 42, 8, 100]] {
            let expected = codes.clone();
            let got = sandbox::expect(move || call(|| exit_codes_in_start_order(&codes)));
            assert_eq!(got, expected, "exit_codes_in_start_order({expected:?}) returned {got:?}");
        }
    }
}

mod panic_message_of {
    use super::*;

    pub fn returns_the_message_of_a_panic() {
        let got = sandbox::expect(|| call(|| panic_message_of(|| panic!("boom"))));
        assert_eq!(got.as_deref(), Some("boom"), "the task panicked with \"boom\"; got {got:?}");
    }

    pub fn returns_a_formatted_message_too() {
        let got = sandbox::expect(|| call(|| panic_message_of(|| panic!("{} + {} is not {}", 2, 2, 5))));
        assert_eq!(
            got.as_deref(),
            Some("2 + 2 is not 5"),
            "a formatted panic message is a String; got {got:?}"
        );
    }

    pub fn returns_none_when_the_task_returns() {
        let got = sandbox::expect(|| call(|| panic_message_of(|| ())));
        assert_eq!(got, None, "the task did not panic; got {got:?}");
    }
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        join_with_timeout::returns_the_code_of_a_child_that_ends,
        join_with_timeout::returns_none_on_time_and_leaves_the_child_running,
        join_with_timeout::a_zero_limit_never_blocks,
        join_with_timeout::keeps_waiting_when_a_signal_interrupts_it,
        join_with_timeout::waits_without_end_for_a_limit_of_duration_max,
        join_with_timeout::sleeps_instead_of_busy_waiting,
        terminate_and_reap::a_running_child_gives_minus_15,
        terminate_and_reap::a_child_that_already_ended_gives_its_own_code,
        exit_codes_in_start_order::returns_each_code_in_start_order,
        panic_message_of::returns_the_message_of_a_panic,
        panic_message_of::returns_a_formatted_message_too,
        panic_message_of::returns_none_when_the_task_returns,
    ])
}
