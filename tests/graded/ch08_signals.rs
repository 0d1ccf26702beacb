//! Graded tests for chapter 8, compiled against `exercises` (yours) and `solutions`.
//!
//! Each call of your code runs in a sandbox (`testkit::sandbox`): a child process with a time limit,
//! in a process group of its own, so a hang, a panic or a child left behind is reported as a failure
//! with advice. Children say they are ready through gates; no sleep orders anything.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use lesson_01_fork::{Gate, Pid, fork_and_run, getpid};
use lesson_08_signals::SignalState;
use lesson_08_signals::handler::{catch, ignore, take_count};
use lesson_08_signals::mask::Blocked;
use nix::sys::signal::{Signal, kill, raise};
use nix::sys::time::TimeValLike;
use nix::unistd::{pause, setpgid};
use testkit::sandbox::{self, call};
use workbook::ch08_signals::*;

/// The signals this process blocks now, from the kernel's own record.
fn blocked_now() -> Vec<Signal> {
    SignalState::of_self().expect("/proc/self/status").blocked
}

mod signals_in_mask {
    use super::*;

    pub fn reads_single_bits_as_their_signals() {
        let found: Vec<_> = sandbox::expect(|| {
            ["0000000000000001", "0000000000000100", "0000000000002000", "0000000040000000"]
                .iter()
                .map(|mask| {
                    call(|| signals_in_mask(mask)).iter().map(|s| s.as_str().to_string()).collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        });
        let wanted = [vec!["SIGHUP"], vec!["SIGKILL"], vec!["SIGALRM"], vec!["SIGSYS"]];
        assert_eq!(found, wanted, "bit n-1 stands for signal n: 0x1 is SIGHUP (1), 0x100 is SIGKILL (9)");
    }

    pub fn lists_several_signals_lowest_first() {
        let found: Vec<String> = sandbox::expect(|| {
            call(|| signals_in_mask("0000000000012a03")).iter().map(|s| s.as_str().to_string()).collect()
        });
        let wanted = ["SIGHUP", "SIGINT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGCHLD"];
        assert_eq!(found, wanted, "0x12a03 has bits 0, 1, 9, 11, 13 and 16 set");
    }

    pub fn leaves_out_real_time_signals_and_bad_text() {
        let found: Vec<Vec<String>> = sandbox::expect(|| {
            ["fffffffe00000000", "0000000000000000", "not hex", ""]
                .iter()
                .map(|mask| call(|| signals_in_mask(mask)).iter().map(|s| s.as_str().to_string()).collect())
                .collect()
        });
        assert!(
            found.iter().all(Vec::is_empty),
            "real-time bits, a zero mask and text that is not hexadecimal give no signals: {found:?}"
        );
    }

    pub fn agrees_with_the_kernel_about_this_process() {
        let (found, wanted): (Vec<String>, Vec<String>) = sandbox::expect(|| {
            ignore(Signal::SIGUSR2).expect("ignore");
            ignore(Signal::SIGHUP).expect("ignore");
            let status = std::fs::read_to_string("/proc/self/status").expect("status");
            let line =
                status.lines().find_map(|l| l.strip_prefix("SigIgn:")).expect("SigIgn").trim().to_string();
            let names = |signals: Vec<Signal>| signals.iter().map(|s| s.as_str().to_string()).collect();
            (names(call(|| signals_in_mask(&line))), names(SignalState::of_self().expect("state").ignored))
        });
        assert_eq!(found, wanted, "the signals this process ignores, read from its SigIgn line");
    }
}

mod wait_for_signal {
    use super::*;

    /// Whether process `pid` blocks `signal` and is asleep (state S), as `/proc` shows it.
    fn blocks_and_sleeps(pid: Pid, signal: Signal) -> bool {
        let blocks = SignalState::of(pid).is_ok_and(|state| state.blocked.contains(&signal));
        blocks && lesson_02_wait::proc_state(pid) == Some('S')
    }

    /// What a sandboxed call of `wait_for_signal` saw, in a form that crosses the sandbox.
    type Seen = (Result<Option<String>, String>, u128, Vec<String>, Vec<String>, u32);

    /// Calls `wait_for_signal(signals, limit)` after `before` (which may send signals, and fork a
    /// child, reaped after the call); gives the result, the milliseconds it took, the mask before and
    /// after, and how many times the signals' own handlers ran.
    fn seen(signals: &'static [Signal], limit: Duration, before: impl FnOnce() -> Option<Pid>) -> Seen {
        sandbox::expect(move || {
            for &signal in signals {
                catch(signal).expect("catch");
            }
            let names =
                |signals: Vec<Signal>| signals.iter().map(|s| s.as_str().to_string()).collect::<Vec<_>>();
            let child = before();
            let mask_before = names(blocked_now());
            let start = Instant::now();
            let result = call(|| wait_for_signal(signals, limit));
            let took = start.elapsed().as_millis();
            if let Some(child) = child {
                lesson_02_wait::wait_for(child).expect("reap the test's child");
            }
            let mask_after = names(blocked_now());
            let handled = signals.iter().map(|&s| take_count(s)).sum();
            (
                result.map(|s| s.map(|s| s.as_str().to_string())).map_err(|e| e.to_string()),
                took,
                mask_before,
                mask_after,
                handled,
            )
        })
    }

    pub fn takes_a_signal_that_was_already_pending() {
        let signals = &[Signal::SIGUSR1, Signal::SIGUSR2];
        let (result, _, before, after, handled) = seen(signals, Duration::from_secs(2), || {
            std::mem::forget(Blocked::new(&[Signal::SIGUSR2]).expect("block")); // keep it blocked
            raise(Signal::SIGUSR2).expect("raise");
            None
        });
        assert_eq!(result, Ok(Some("SIGUSR2".into())), "SIGUSR2 was pending before the call");
        let why = "the signal mask after the call must be the one before it (SIGUSR2 blocked)";
        assert_eq!(after, before, "{why}");
        assert_eq!(handled, 0, "the signal's handler ran: you must take the signal, not let it be delivered");
    }

    pub fn returns_the_signal_a_child_sends() {
        let (result, _, before, after, handled) = seen(&[Signal::SIGUSR1], Duration::from_secs(4), || {
            let parent = getpid();
            // The child sends once it sees, in /proc, that you block SIGUSR1 and sleep.
            let child = fork_and_run(move || {
                while !blocks_and_sleeps(parent, Signal::SIGUSR1) {
                    std::thread::yield_now();
                }
                i32::from(kill(parent, Signal::SIGUSR1).is_err())
            })
            .expect("fork");
            Some(child)
        });
        assert_eq!(result, Ok(Some("SIGUSR1".into())), "a child sent SIGUSR1 while you waited");
        assert_eq!(handled, 0, "the signal's handler ran: you must take the signal, not let it be delivered");
        assert_eq!(after, before, "the signal mask after the call must be the one before it");
    }

    pub fn returns_none_at_the_limit() {
        let (result, took, before, after, _) = seen(&[Signal::SIGUSR1], Duration::from_millis(300), || None);
        assert_eq!(result, Ok(None), "no signal came within the limit");
        assert!((300..2000).contains(&took), "a limit of 300 ms took {took} ms");
        assert_eq!(after, before, "the signal mask after the call must be the one before it");
    }

    pub fn sleeps_instead_of_busy_waiting() {
        let cpu: f64 = sandbox::expect(|| {
            let usage = || {
                nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_SELF).expect("getrusage")
            };
            let cpu = |u: nix::sys::resource::Usage| {
                u.user_time().num_microseconds() + u.system_time().num_microseconds()
            };
            let before = cpu(usage());
            let _ = call(|| wait_for_signal(&[Signal::SIGUSR1], Duration::from_millis(500)));
            (cpu(usage()) - before) as f64 / 1000.0
        });
        assert!(
            cpu < 100.0,
            "waiting 500 ms used {cpu:.0} ms of CPU time: sleep in poll (or a wait), do not ask again and again"
        );
    }
}

mod stop_group {
    use super::*;

    /// How the children of a stopped group should end.
    #[derive(Clone, Copy)]
    enum Child {
        /// Default action for SIGTERM: killed by it.
        Plain,
        /// Ignores SIGTERM: only SIGKILL ends it.
        Stubborn,
        /// Catches SIGTERM and exits with 0.
        Tidy,
    }

    /// Forks `kinds.len()` children into one new group, each ready to be signalled; gives the group.
    fn job(kinds: &[Child]) -> Pid {
        let mut group = None;
        for &kind in kinds {
            let (ready, is_ready) = Gate::new().expect("gate").split();
            let leader = group;
            let child = fork_and_run(move || {
                // Out of the sandbox's group, so the sandbox cannot end it: if the test's process
                // ends first (your code panicked, say), the kernel kills it.
                let _ = nix::sys::prctl::set_pdeathsig(Signal::SIGKILL);
                let _ = setpgid(Pid::from_raw(0), leader.unwrap_or(Pid::from_raw(0)));
                match kind {
                    Child::Plain => {}
                    Child::Stubborn => ignore(Signal::SIGTERM).expect("ignore"),
                    Child::Tidy => catch(Signal::SIGTERM).expect("catch"),
                }
                ready.open();
                loop {
                    pause();
                    if take_count(Signal::SIGTERM) > 0 {
                        return 0;
                    }
                }
            })
            .expect("fork");
            // Set it from here too, so the group exists whichever of the two runs first.
            let _ = setpgid(child, group.unwrap_or(child));
            is_ready.wait();
            group.get_or_insert(child);
        }
        group.expect("at least one child")
    }

    /// Stops a job of `kinds` with `grace`; gives how each ended in fork order, the milliseconds the
    /// call took, and whether any child of the sandbox was left unreaped.
    fn stopped(kinds: &'static [Child], grace: Duration) -> (Vec<String>, u128, bool) {
        sandbox::expect(move || {
            let group = job(kinds);
            let children = lesson_08_signals::group::members(group);
            let start = Instant::now();
            let mut ended = call(|| stop_group(group, grace));
            let took = start.elapsed().as_millis();
            ended.sort_by_key(|&(pid, _)| children.iter().position(|&c| c == pid));
            let left = nix::sys::wait::waitpid(None, Some(nix::sys::wait::WaitPidFlag::WNOHANG)).is_ok();
            (ended.iter().map(|(_, status)| status.to_string()).collect(), took, left)
        })
    }

    pub fn ends_every_process_of_the_group_with_sigterm() {
        let (ended, took, left) =
            stopped(&[Child::Plain, Child::Plain, Child::Plain], Duration::from_secs(30));
        assert_eq!(ended, ["killed by SIGTERM"; 3], "three plain children, stopped together");
        assert!(
            took < 3000,
            "every child ended at once, yet the call took {took} ms: return as soon as all have ended"
        );
        assert!(!left, "a child was left unreaped");
    }

    pub fn a_child_that_catches_sigterm_may_exit_cleanly() {
        let (ended, _, left) = stopped(&[Child::Tidy, Child::Plain], Duration::from_secs(30));
        assert_eq!(
            ended,
            ["exited with code 0", "killed by SIGTERM"],
            "the first child catches SIGTERM and exits with 0"
        );
        assert!(!left, "a child was left unreaped");
    }

    pub fn kills_after_the_grace_those_that_ignore_sigterm() {
        let (ended, took, left) = stopped(&[Child::Plain, Child::Stubborn], Duration::from_millis(300));
        assert_eq!(ended, ["killed by SIGTERM", "killed by SIGKILL"], "the second child ignores SIGTERM");
        assert!(took >= 300, "the stubborn child was killed after {took} ms, before its grace of 300 ms");
        assert!(!left, "a child was left unreaped");
    }
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        signals_in_mask::reads_single_bits_as_their_signals,
        signals_in_mask::lists_several_signals_lowest_first,
        signals_in_mask::leaves_out_real_time_signals_and_bad_text,
        signals_in_mask::agrees_with_the_kernel_about_this_process,
        wait_for_signal::takes_a_signal_that_was_already_pending,
        wait_for_signal::returns_the_signal_a_child_sends,
        wait_for_signal::returns_none_at_the_limit,
        wait_for_signal::sleeps_instead_of_busy_waiting,
        stop_group::ends_every_process_of_the_group_with_sigterm,
        stop_group::a_child_that_catches_sigterm_may_exit_cleanly,
        stop_group::kills_after_the_grace_those_that_ignore_sigterm,
    ])
}
