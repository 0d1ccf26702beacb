//! Graded tests for chapter 2, compiled against `exercises` (yours) and `solutions`.
//!
//! Each call of your code runs in a sandbox (`testkit::sandbox`): a child process with a time limit,
//! so a panic, an endless loop, a wait that never returns or a child left unreaped is reported as a
//! failure with advice, and never hangs or breaks the test run. The tests make the children your code
//! works on; they never sleep: a child ends when the test opens its gate, and the test knows a child
//! has ended, without reaping it, through `waitid` with `WNOWAIT` (`wait_without_reaping`).

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Duration;

use lesson_01_fork::{Gate, Opener, Pid, fork_and_run};
use lesson_02_wait::{disable_core_dumps, proc_state, wait_any, wait_for, wait_without_reaping, waitpid_raw};
use nix::sys::signal::{
    SaFlags, SigAction, SigHandler, SigSet, SigmaskHow, Signal, kill, sigaction, sigprocmask,
};
use nix::sys::wait::WaitPidFlag;
use testkit::sandbox::{self, Failure, call};
use workbook::ch02_wait::*;

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

/// Forks a child that exits with `code` at once, and returns when it has ended, still unreaped.
fn zombie_child(code: i32) -> Pid {
    let child = fork_and_run(move || code).expect("fork");
    wait_without_reaping(child).expect("the child ends");
    child
}

/// Reaps `child` if it is still ours and was not reaped yet, so a test fails only on what it checks.
/// Call it only for a child that has ended or whose gate is open: it blocks until the child ends.
fn reap(child: Pid) {
    let _ = wait_for(child);
}

/// Forks a child that lets `signal` do its default action (the test process may have inherited it
/// ignored or blocked), then waits for signals; returns once the child is ready, without killing it.
fn ready_to_die_by(signal: Signal) -> Pid {
    let (ready, is_ready) = Gate::new().expect("gate").split();
    let child = fork_and_run(move || {
        let default = SigAction::new(SigHandler::SigDfl, SaFlags::empty(), SigSet::empty());
        // SAFETY: SIG_DFL installs no handler, so no code of ours runs in signal context. SIGKILL's
        // action cannot be changed; that error is expected and harmless.
        let _ = unsafe { sigaction(signal, &default) };
        let _ = sigprocmask(SigmaskHow::SIG_UNBLOCK, Some(&SigSet::from(signal)), None);
        ready.open();
        loop {
            nix::unistd::pause();
        }
    })
    .expect("fork");
    is_ready.wait();
    child
}

/// Kills a child with `signal` and returns its raw wait status, reaping it.
fn killed_by(signal: Signal) -> i32 {
    let child = ready_to_die_by(signal);
    kill(child, signal).expect("kill");
    raw_end(child)
}

/// The raw wait status of `child` once it has ended, reaping it.
fn raw_end(child: Pid) -> i32 {
    waitpid_raw(child, WaitPidFlag::empty()).expect("wait").expect("a status")
}

mod waitstatus_to_exitcode {
    use super::*;

    pub fn gives_the_code_of_a_normal_exit() {
        for code in [0, 1, 42, 255] {
            let (status, got) = sandbox::expect(move || {
                let status = raw_end(fork_and_run(move || code).expect("fork"));
                (status, call(|| waitstatus_to_exitcode(status)))
            });
            assert_eq!(
                got,
                Some(code),
                "a child that exited with {code} has status {status:#06x}; you returned {got:?}"
            );
        }
    }

    pub fn gives_minus_the_signal_for_a_killed_child() {
        for signal in [Signal::SIGTERM, Signal::SIGKILL, Signal::SIGINT, Signal::SIGUSR1] {
            let (status, got) = sandbox::expect(move || {
                let status = killed_by(signal);
                (status, call(|| waitstatus_to_exitcode(status)))
            });
            let expected = -(signal as i32);
            assert_eq!(
                got,
                Some(expected),
                "a child killed by {signal} has status {status:#06x}: its exit code is {expected}, \
                 you returned {got:?}"
            );
        }
    }

    pub fn ignores_the_core_dump_flag() {
        let (aborted, aborted_got, dumped_got) = sandbox::expect(|| {
            let child = fork_and_run(|| {
                let _ = disable_core_dumps();
                std::process::abort()
            })
            .expect("fork");
            let aborted = raw_end(child);
            // The status a child killed by SIGABRT has when the kernel also wrote a core dump.
            let dumped = libc::SIGABRT | 0x80;
            (aborted, call(|| waitstatus_to_exitcode(aborted)), call(|| waitstatus_to_exitcode(dumped)))
        });
        let expected = Some(-libc::SIGABRT);
        assert_eq!(
            aborted_got, expected,
            "an aborted child has status {aborted:#06x}; you returned {aborted_got:?}"
        );
        assert_eq!(
            dumped_got, expected,
            "status 0x0086 is SIGABRT (6) with the core-dump bit (0x80) set: the code is -6, \
             you returned {dumped_got:?}; take the signal from the low 7 bits only"
        );
    }

    pub fn gives_none_for_a_stopped_or_continued_child() {
        let (stopped, stopped_got, continued, continued_got) = sandbox::expect(|| {
            let (child, may_end) = gated_child(0);
            kill(child, Signal::SIGSTOP).expect("stop");
            let stopped = waitpid_raw(child, WaitPidFlag::WUNTRACED).expect("wait").expect("a status");
            kill(child, Signal::SIGCONT).expect("continue");
            let continued = waitpid_raw(child, WaitPidFlag::WCONTINUED).expect("wait").expect("a status");
            may_end.open();
            raw_end(child);
            let stopped_got = call(|| waitstatus_to_exitcode(stopped));
            (stopped, stopped_got, continued, call(|| waitstatus_to_exitcode(continued)))
        });
        assert_eq!(stopped_got, None, "status {stopped:#06x} is a stop by SIGSTOP, not an end");
        assert_eq!(continued_got, None, "status {continued:#06x} is a continue, not an end");
    }
}

mod active_children {
    use super::*;

    pub fn returns_the_children_still_running() {
        let (running, got) = sandbox::expect(|| {
            let ended = [zombie_child(1), zombie_child(2), zombie_child(3)];
            let (first, open_first) = gated_child(0);
            let (second, open_second) = gated_child(0);
            let children = [ended[0], first, ended[1], second, ended[2]];
            let got = call(|| active_children(&children));
            open_first.open();
            open_second.open();
            children.into_iter().for_each(reap);
            (vec![first.as_raw(), second.as_raw()], got.iter().map(|p| p.as_raw()).collect::<Vec<_>>())
        });
        assert_eq!(got, running, "of five children, the second and the fourth were still running");
    }

    pub fn reaps_the_children_that_ended() {
        let still_zombies = sandbox::expect(|| {
            let ended = [zombie_child(1), zombie_child(2)];
            let (running, may_end) = gated_child(0);
            call(|| active_children(&[ended[0], running, ended[1]]));
            let still_zombies = ended.iter().filter(|&&pid| proc_state(pid).is_some()).count();
            may_end.open();
            ended.into_iter().chain([running]).for_each(reap);
            still_zombies
        });
        assert_eq!(still_zombies, 0, "{still_zombies} children that had ended were left unreaped: reap them");
    }

    pub fn does_not_block_on_a_running_child() {
        let outcome = sandbox::run(Duration::from_secs(2), || {
            let (running, may_end) = gated_child(0);
            let got = call(|| active_children(&[running]));
            may_end.open();
            reap(running);
            got.len()
        });
        match outcome.result {
            Err(Failure::TimedOut(_)) => panic!(
                "active_children blocked on a child that was still running: poll each child without \
                 blocking (try_wait, WNOHANG) instead of waiting for it"
            ),
            Err(failure) => panic!("{failure}"),
            Ok(running) => {
                assert_eq!(running, 1, "the one child was still running; you returned {running} pids")
            }
        }
    }

    pub fn leaves_children_not_in_the_list_alone() {
        let (still_zombie, running) = sandbox::expect(|| {
            let not_listed = zombie_child(5);
            let (child, may_end) = gated_child(0);
            let got = call(|| active_children(&[child]));
            let still_zombie = proc_state(not_listed) == Some('Z');
            may_end.open();
            reap(child);
            reap(not_listed);
            (still_zombie, got.len())
        });
        assert_eq!(running, 1, "the one child in the list was still running");
        assert!(
            still_zombie,
            "a child that was not in the list was reaped: poll only the pids you are given"
        );
    }
}

mod reap_all {
    use super::*;

    pub fn reports_every_child_in_the_order_they_ended() {
        // The children end in this order, one at a time: each only once the one before is reported.
        const ORDER: [usize; 5] = [3, 1, 4, 0, 2];
        let outcome = sandbox::run(sandbox::DEFAULT_LIMIT, || {
            let children: Vec<(Pid, Opener)> = (0..5).map(|i| gated_child(20 + i)).collect();
            let pids: Vec<Pid> = children.iter().map(|(pid, _)| *pid).collect();
            let mut openers: Vec<Option<Opener>> =
                children.into_iter().map(|(_, opener)| Some(opener)).collect();
            let mut ends = ORDER.iter().map(|&i| openers[i].take().expect("opened once"));
            ends.next().expect("a first child").open();
            let mut reported = Vec::new();
            call(|| {
                reap_all(|pid, code| {
                    reported.push((pid.as_raw(), code));
                    if let Some(next) = ends.next() {
                        next.open();
                    }
                })
            });
            let expected: Vec<(i32, i32)> =
                ORDER.iter().map(|&i| (pids[i].as_raw(), 20 + i as i32)).collect();
            (reported, expected)
        });
        let left = outcome.left_behind;
        let (reported, expected) = match outcome.result {
            Err(Failure::TimedOut(_)) => panic!(
                "reap_all waited for one child while another had ended and was waiting to be reported: \
                 wait for whichever child ends first (wait_any), not for each pid in turn, and call \
                 on_end as soon as each child is reaped"
            ),
            Err(failure) => panic!("{failure}"),
            Ok(value) => value,
        };
        assert_eq!(reported, expected, "(pid, exit code) in the order the children ended");
        assert_eq!(left, 0, "{left} children were left unreaped");
    }

    pub fn reports_minus_the_signal_for_a_killed_child() {
        let (reported, expected) = sandbox::expect(|| {
            let exits = fork_and_run(|| 0).expect("fork");
            let terminated = ready_to_die_by(Signal::SIGTERM);
            let killed = ready_to_die_by(Signal::SIGKILL);
            kill(terminated, Signal::SIGTERM).expect("kill");
            kill(killed, Signal::SIGKILL).expect("kill");
            let mut reported = BTreeMap::new();
            call(|| {
                reap_all(|pid, code| {
                    reported.insert(pid.as_raw(), code);
                })
            });
            let expected: BTreeMap<i32, i32> =
                [(exits.as_raw(), 0), (terminated.as_raw(), -15), (killed.as_raw(), -9)].into();
            (reported, expected)
        });
        assert_eq!(
            reported, expected,
            "pid → exit code: 0 for an exit with 0, -15 for SIGTERM, -9 for SIGKILL"
        );
    }

    pub fn returns_once_no_child_is_left() {
        let (none_reported, three_reported, left) = sandbox::expect(|| {
            let mut none = 0;
            call(|| reap_all(|_, _| none += 1));
            for code in [1, 2, 3] {
                fork_and_run(move || code).expect("fork");
            }
            let mut three = 0;
            call(|| reap_all(|_, _| three += 1));
            let left = (0..3).filter(|_| wait_any().is_ok()).count();
            (none, three, left)
        });
        assert_eq!(none_reported, 0, "with no children, reap_all must return at once and report nothing");
        assert_eq!(three_reported, 3, "three children ended; reap_all reported {three_reported}");
        assert_eq!(left, 0, "reap_all returned while {left} children were still there to reap");
    }
}

mod find_zombies {
    use super::*;

    pub fn finds_every_child_that_ended_unreaped() {
        let (zombies, found) = sandbox::expect(|| {
            let zombies = [zombie_child(0), zombie_child(1), zombie_child(2)];
            let found = call(find_zombies);
            zombies.into_iter().for_each(reap);
            let mut found: Vec<i32> = found.iter().map(|p| p.as_raw()).collect();
            found.sort();
            (zombies.map(|p| p.as_raw()).to_vec(), found)
        });
        assert_eq!(found, zombies, "three children had ended and were not reaped");
    }

    pub fn leaves_out_running_children_and_other_processes_zombies() {
        let found = sandbox::expect(|| {
            let (running, may_end) = gated_child(0);
            // A child that has a zombie of its own: the zombie's parent is that child, not us.
            let (zombie_ready, ready) = Gate::new().expect("gate").split();
            let (go_on, may_go_on) = Gate::new().expect("gate").split();
            let middle = fork_and_run(move || {
                let grandchild = zombie_child(0);
                zombie_ready.open();
                may_go_on.wait();
                i32::from(wait_for(grandchild).is_err())
            })
            .expect("fork");
            ready.wait();
            let found = call(find_zombies);
            may_end.open();
            go_on.open();
            reap(running);
            reap(middle); // which reaps its own zombie first
            found.iter().map(|p| p.as_raw()).collect::<Vec<_>>()
        });
        assert_eq!(
            found,
            Vec::<i32>::new(),
            "this process had a running child and a grandchild zombie, but no zombie of its own"
        );
    }

    pub fn leaves_the_zombies_unreaped() {
        let (still_zombies, total) = sandbox::expect(|| {
            let zombies = [zombie_child(0), zombie_child(1)];
            call(find_zombies);
            let still = zombies.iter().filter(|&&pid| proc_state(pid) == Some('Z')).count();
            zombies.into_iter().for_each(reap);
            (still, zombies.len())
        });
        assert_eq!(still_zombies, total, "find_zombies reaped a zombie: only look, in /proc, never wait");
    }
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        waitstatus_to_exitcode::gives_the_code_of_a_normal_exit,
        waitstatus_to_exitcode::gives_minus_the_signal_for_a_killed_child,
        waitstatus_to_exitcode::ignores_the_core_dump_flag,
        waitstatus_to_exitcode::gives_none_for_a_stopped_or_continued_child,
        active_children::returns_the_children_still_running,
        active_children::reaps_the_children_that_ended,
        active_children::does_not_block_on_a_running_child,
        active_children::leaves_children_not_in_the_list_alone,
        reap_all::reports_every_child_in_the_order_they_ended,
        reap_all::reports_minus_the_signal_for_a_killed_child,
        reap_all::returns_once_no_child_is_left,
        find_zombies::finds_every_child_that_ended_unreaped,
        find_zombies::leaves_out_running_children_and_other_processes_zombies,
        find_zombies::leaves_the_zombies_unreaped,
    ])
}
