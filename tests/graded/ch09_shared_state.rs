//! Graded tests for chapter 9, compiled against `exercises` (yours) and `solutions`.
//!
//! Each call of your code runs in a sandbox (`testkit::sandbox`): a child process with a time limit,
//! so a hang, a panic or a child left unreaped is reported as a failure with advice. Children move
//! when the test opens their gates; no sleep orders anything.

use std::io::{Read, Write};
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use lesson_01_fork::{Gate, Pid, fork_and_run, getpid};
use lesson_02_wait::{proc_state, wait_for};
use lesson_04_pipes::panic_message;
use lesson_09_shared_state::{Array, Event, Value};
use nix::sys::signal::{Signal, kill};
use testkit::sandbox::{self, call};
use workbook::ch09_shared_state::*;

mod sum_in_children {
    use super::*;

    /// Where each part records the pid of the process that computed it (made before the call).
    static PIDS: OnceLock<Array<i64>> = OnceLock::new();

    /// Part `i`: records who computed it, and gives 2 to the power `i`.
    fn recorded(i: usize) -> u64 {
        if let Some(pids) = PIDS.get() {
            pids.set(i, i64::from(getpid().as_raw()));
        }
        1 << i
    }

    /// The parts of [`all_at_once`] wait here until every one of them has started.
    static STARTED: OnceLock<(Value<u32>, Event)> = OnceLock::new();

    /// Part `i`: gives `i`, but only once the parts of all four children have started.
    fn all_at_once(i: usize) -> u64 {
        if let Some((started, everyone)) = STARTED.get() {
            if started.fetch_add(1) + 1 == 4 {
                everyone.set();
            }
            everyone.wait();
        }
        i as u64
    }

    pub fn adds_every_part_each_computed_in_a_child_of_its_own() {
        for processes in [1usize, 3, 6] {
            let (sum, pids, caller): (u64, Vec<i64>, i64) = sandbox::expect(move || {
                let _ = PIDS.set(Array::new(&vec![0; processes]).expect("shared array"));
                let sum = call(|| sum_in_children(processes, recorded));
                (sum, PIDS.get().expect("set").to_vec(), i64::from(getpid().as_raw()))
            });
            assert_eq!(sum, (1 << processes) - 1, "the sum of parts 2^0 .. 2^{} ", processes - 1);
            let mut distinct = pids.clone();
            distinct.sort_unstable();
            distinct.dedup();
            let apart = distinct.len() == processes && !pids.contains(&0) && !pids.contains(&caller);
            assert!(
                apart,
                "each part must be computed in a child of its own, not in your process: the parts ran in {pids:?}, you are {caller}"
            );
        }
    }

    pub fn runs_the_children_at_once() {
        let sum: u64 = sandbox::expect(|| {
            let _ = STARTED.set((Value::new(0).expect("value"), Event::new().expect("event")));
            call(|| sum_in_children(4, all_at_once))
        });
        assert_eq!(sum, 6, "the parts 0 + 1 + 2 + 3");
    }
}

mod repair_after_crash {
    use super::*;

    /// What a child does to the accounts `[60, 0]` under their lock, before it is killed or ends.
    #[derive(Clone, Copy)]
    enum Crash {
        /// Moves 20 out of account 0 and is killed before it puts them into account 1.
        HalfWay,
        /// Moves 20 from account 0 to account 1, then is killed still holding the lock.
        AfterTheTransfer,
        /// Moves 20 from account 0 to account 1, releases the lock and ends.
        None,
    }

    /// Runs the child's transfer, calls `repair_after_crash`, and gives what it returned, the
    /// accounts after it, and whether the lock was free afterwards.
    fn repaired(crash: Crash) -> (Result<bool, String>, Vec<i64>, bool) {
        sandbox::expect(move || {
            let accounts = Array::<i64>::new(&[60, 0]).expect("accounts");
            let (holding, is_holding) = Gate::new().expect("gate").split();
            let (_never, forever) = Gate::new().expect("gate").split();
            let child = fork_and_run(|| {
                let Ok(held) = accounts.lock() else { return 1 };
                accounts.set(0, accounts.get(0) - 20);
                if !matches!(crash, Crash::HalfWay) {
                    accounts.set(1, accounts.get(1) + 20);
                }
                if matches!(crash, Crash::None) {
                    drop(held);
                    holding.open();
                    return 0;
                }
                holding.open();
                forever.wait();
                0
            })
            .expect("fork");
            is_holding.wait();
            if !matches!(crash, Crash::None) {
                kill(child, Signal::SIGKILL).expect("kill");
            }
            wait_for(child).expect("reap");
            let result = call(|| repair_after_crash(&accounts, 60)).map_err(|e| e.to_string());
            let free = lock_is_free(&accounts);
            (result, accounts.to_vec(), free)
        })
    }

    /// Whether another process can take the lock of `accounts` now (it gives it back at once). A
    /// child tries, since this process holding the lock could not take it again; the child is
    /// killed if it has not got the lock within two seconds.
    fn lock_is_free(accounts: &Array<i64>) -> bool {
        let (Ok(got_it), Ok(answered)) = (Value::<u32>::new(0), Event::new()) else { return false };
        let Ok(child) = fork_and_run(|| {
            if accounts.lock().is_ok() {
                got_it.set(1);
            }
            answered.set();
            0
        }) else {
            return false;
        };
        if !answered.wait_timeout(Duration::from_secs(2)) {
            let _ = kill(child, Signal::SIGKILL);
        }
        let _ = wait_for(child);
        got_it.get() == 1
    }

    pub fn puts_back_what_a_dead_holder_left_half_moved() {
        let (result, accounts, free) = repaired(Crash::HalfWay);
        assert_eq!(result, Ok(true), "the last holder died holding the lock");
        assert_eq!(accounts, [60, 0], "20 left account 0 and never arrived: put them back into account 0");
        assert!(free, "the lock is still held after your function returned: release it");
    }

    pub fn a_dead_holder_that_finished_needs_no_money_back() {
        let (result, accounts, free) = repaired(Crash::AfterTheTransfer);
        assert_eq!(result, Ok(true), "the last holder died holding the lock");
        assert_eq!(accounts, [40, 20], "the transfer was complete: the sum is right, change nothing");
        assert!(free, "the lock is still held after your function returned: release it");
    }

    pub fn changes_nothing_when_the_holder_released_the_lock() {
        let (result, accounts, free) = repaired(Crash::None);
        assert_eq!(result, Ok(false), "the last holder released the lock and ended normally");
        assert_eq!(accounts, [40, 20], "nothing to repair");
        assert!(free, "the lock is still held after your function returned: release it");
    }
}

mod barrier_wait {
    use super::*;

    /// How long the test waits for a process to fall asleep at the barrier before it calls the
    /// barrier a busy wait.
    const PATIENCE: Duration = Duration::from_secs(2);

    /// Whether one of `children` has ended (and is a zombie, not yet reaped).
    fn any_ended(children: &[Pid]) -> bool {
        children.iter().any(|&child| proc_state(child) == Some('Z'))
    }

    /// Whether each of `children` has either passed (its `passed` slot is 1) or sleeps (state S),
    /// waiting at most [`PATIENCE`]; gives the ones that did neither (a process that ended inside
    /// `barrier_wait`, by a panic say, is one of them).
    fn settled(children: &[Pid], passed: &Array<u32>) -> Vec<usize> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let busy: Vec<usize> = (0..children.len())
                .filter(|&i| passed.get(i) == 0 && proc_state(children[i]) != Some('S'))
                .collect();
            if busy.is_empty() || Instant::now() >= deadline || any_ended(children) {
                return busy;
            }
            std::thread::yield_now();
        }
    }

    /// Starts `parties` children, lets all but the last arrive at the barrier, checks who passed,
    /// lets the last arrive, and gives: who had passed early, who was still busy, and who passed in
    /// the end.
    fn run(parties: u32) -> (Vec<usize>, Vec<usize>, Vec<u32>) {
        let (early, busy, passed, panics): (_, _, _, String) = sandbox::expect(move || {
            let (arrived, all_here) = (Value::<u32>::new(0).expect("value"), Event::new().expect("event"));
            let passed = Array::<u32>::new(&vec![0; parties as usize]).expect("array");
            // Each child writes the message of a panic in `barrier_wait` here.
            let (mut panics, panicking) = std::io::pipe().expect("pipe");
            let mut openers = Vec::new();
            let mut children = Vec::new();
            for i in 0..parties as usize {
                let (opener, waiter) = Gate::new().expect("gate").split();
                let (arrived, all_here, passed, panicking) = (&arrived, &all_here, &passed, &panicking);
                children.push(
                    fork_and_run(move || {
                        waiter.wait();
                        // Not through `call`: these children are the test's, not the sandbox's.
                        let waited = panic::catch_unwind(AssertUnwindSafe(|| {
                            barrier_wait(arrived, all_here, parties)
                        }));
                        match waited {
                            Ok(()) => passed.set(i, 1),
                            Err(payload) => {
                                let _ = writeln!(&*panicking, "{}", panic_message(payload.as_ref()));
                            }
                        }
                        0
                    })
                    .expect("fork"),
                );
                openers.push(opener);
            }
            let last = openers.pop().expect("one party at least");
            for opener in openers {
                opener.open();
            }
            let early_ones = &children[..children.len() - 1];
            let arrived_deadline = Instant::now() + PATIENCE;
            while arrived.get() < parties - 1 && Instant::now() < arrived_deadline && !any_ended(early_ones) {
                std::thread::yield_now();
            }
            let busy = settled(early_ones, &passed);
            let early: Vec<usize> = (0..early_ones.len()).filter(|&i| passed.get(i) == 1).collect();
            last.open();
            for child in children {
                let _ = wait_for(child);
            }
            drop(panicking); // every child has ended: the reader sees end-of-file after the last message
            let mut messages = String::new();
            let _ = panics.read_to_string(&mut messages);
            (early, busy, passed.to_vec(), messages)
        });
        if let Some(message) = panics.lines().next() {
            panic!("barrier_wait panicked in one of the processes: {message}");
        }
        (early, busy, passed)
    }

    pub fn no_one_passes_before_all_have_arrived() {
        let (early, busy, _) = run(4);
        assert_eq!(
            busy,
            Vec::<usize>::new(),
            "these processes neither passed nor slept within {PATIENCE:?}: wait on the event, do not read `arrived` again and again (or they ended inside barrier_wait: a panic?)"
        );
        assert_eq!(
            early,
            Vec::<usize>::new(),
            "these processes passed the barrier before the fourth had arrived"
        );
    }

    pub fn everyone_passes_once_all_have_arrived() {
        for parties in [1, 2, 5] {
            let (_, _, passed) = run(parties);
            assert_eq!(
                passed,
                vec![1; parties as usize],
                "with {parties} parties, every one must pass once all have arrived"
            );
        }
    }
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        sum_in_children::adds_every_part_each_computed_in_a_child_of_its_own,
        sum_in_children::runs_the_children_at_once,
        repair_after_crash::puts_back_what_a_dead_holder_left_half_moved,
        repair_after_crash::a_dead_holder_that_finished_needs_no_money_back,
        repair_after_crash::changes_nothing_when_the_holder_released_the_lock,
        barrier_wait::no_one_passes_before_all_have_arrived,
        barrier_wait::everyone_passes_once_all_have_arrived,
    ])
}
