//! Property tests of chapter 9's claims. The harness runs every test on the main thread of a
//! single-threaded process, so forking is safe (see `testkit::harness`); each case runs its processes
//! inside a sandbox runner (`testkit::sandbox`), so a hang is a failure within a time limit and no
//! process is left behind. No sleep orders anything: gates and report pipes do.

use std::io::{PipeReader, Read, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use lesson_01_fork::{Gate, Opener, Pid, fork_and_run};
use lesson_02_wait::{ExitStatus, wait_for};
use lesson_04_pipes::readable_within;
use lesson_09_shared_state::{
    Acquired, Array, Event, Lock, MemoryUse, Semaphore, Value, own_memory_use, own_memory_use_at,
};
use nix::sys::resource::{UsageWho, getrusage};
use nix::sys::signal::{Signal, kill};
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

/// `cases` cases a run; a failing case is shrunk a few steps only, since each step forks processes.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, max_shrink_iters: 8, failure_persistence: None, ..ProptestConfig::default() }
}

/// Reaps every child and records a violation for each that did not exit with 0.
fn reap_all(v: &mut Vec<String>, children: Vec<Pid>) {
    for child in children {
        let status = wait_for(child);
        expect(v, matches!(status, Ok(ExitStatus::Exited(0))), || format!("a child ended with {status:?}"));
    }
}

// ANCHOR: counting
/// How the children of [`count`] add 1.
#[derive(Debug, Clone, Copy)]
enum Increment {
    /// `get` then `set`, under the value's lock.
    UnderTheLock,
    /// One `fetch_add`, no lock.
    FetchAdd,
}

/// `processes` children each add 1 to a shared value `increments` times, all at once (an [`Event`]
/// lets them start together); returns the final value.
fn count(v: &mut Vec<String>, processes: usize, increments: u64, how: Increment) -> u64 {
    let value = Value::<u64>::new(0).expect("value");
    let start = Event::new().expect("event");
    let mut children = Vec::new();
    for _ in 0..processes {
        let (value, start) = (&value, &start);
        children.push(
            fork_and_run(move || {
                start.wait();
                for _ in 0..increments {
                    match how {
                        Increment::UnderTheLock => match value.lock() {
                            // No holder dies here: a dead holder would be a failure.
                            Ok(Acquired::Free(_held)) => value.set(value.get() + 1),
                            _ => return 1,
                        },
                        Increment::FetchAdd => {
                            value.fetch_add(1);
                        }
                    }
                }
                0
            })
            .expect("fork"),
        );
    }
    start.set();
    reap_all(v, children);
    value.get()
}

proptest! {
    #![proptest_config(config(32))]

    /// P processes each adding 1 M times, each addition a `get` and a `set` under the value's lock,
    /// leave exactly P × M.
    fn p_processes_adding_m_times_under_the_lock_give_p_times_m(
        processes in 1usize..=6,
        increments in 1u64..=2000,
    ) {
        in_runner(|v| {
            let total = count(v, processes, increments, Increment::UnderTheLock);
            let want = processes as u64 * increments;
            expect(v, total == want, || format!("{processes} x {increments} under the lock gave {total}"));
        });
    }

    /// P processes each adding 1 M times with `fetch_add`, and no lock, leave exactly P × M.
    fn p_processes_adding_m_times_with_fetch_add_give_p_times_m(
        processes in 1usize..=6,
        increments in 1u64..=2000,
    ) {
        in_runner(|v| {
            let total = count(v, processes, increments, Increment::FetchAdd);
            let want = processes as u64 * increments;
            expect(v, total == want, || format!("{processes} x {increments} with fetch_add gave {total}"));
        });
    }
}
// ANCHOR_END: counting

// ANCHOR: dead_holder
/// How a taker of the lock got it, as one byte on the report pipe.
const FREE: u8 = b'F';
const HOLDER_DIED: u8 = b'D';

/// Starts a child that takes `lock`, reports how it got it while it holds it, and releases it.
fn taker(lock: &Lock, reports: &std::io::PipeWriter) -> Pid {
    fork_and_run(|| {
        let Ok(acquired) = lock.acquire() else { return 1 };
        let report = if acquired.holder_died() { HOLDER_DIED } else { FREE };
        let failed = (&*reports).write_all(&[report]).is_err();
        drop(acquired);
        i32::from(failed)
    })
    .expect("fork")
}

proptest! {
    #![proptest_config(config(32))]

    /// A child takes the lock and is killed with SIGKILL while it holds it. Of 1 to 4 takers, some
    /// started before the kill (they may already be asleep in `acquire`) and the rest after, every one
    /// gets the lock, within the sandbox's 5 s, and exactly one, the first, is told the holder died.
    fn a_lock_whose_holder_is_killed_goes_to_the_next_taker_who_is_told(
        takers in 1usize..=4,
        started_before_the_kill in 0usize..=4,
    ) {
        let before = started_before_the_kill.min(takers);
        in_runner(|v| {
            let lock = Lock::new().expect("lock");
            let (holding_open, holding_wait) = Gate::new().expect("gate").split();
            let (_never, forever) = Gate::new().expect("gate").split();
            let holder = fork_and_run(|| {
                let Ok(_held) = lock.acquire() else { return 1 };
                holding_open.open();
                forever.wait();
                0
            })
            .expect("fork");
            holding_wait.wait();
            let (mut reports, report_end) = std::io::pipe().expect("pipe");
            let mut children: Vec<Pid> = (0..before).map(|_| taker(&lock, &report_end)).collect();
            let held = lock.try_acquire().expect("trylock").is_none();
            expect(v, held, || "the parent took the lock while the holder lived".into());
            kill(holder, Signal::SIGKILL).expect("SIGKILL");
            let status = wait_for(holder);
            let killed = matches!(status, Ok(ExitStatus::Signaled { signal: Signal::SIGKILL, .. }));
            expect(v, killed, || format!("the holder ended with {status:?}"));
            children.extend((before..takers).map(|_| taker(&lock, &report_end)));
            drop(report_end);
            let mut got = Vec::new();
            reports.read_to_end(&mut got).expect("read the reports");
            reap_all(v, children);
            let told = got.iter().filter(|&&r| r == HOLDER_DIED).count();
            expect(v, got.len() == takers, || format!("{} of {takers} takers got the lock", got.len()));
            expect(v, told == 1, || format!("{told} takers were told the holder died: {got:?}"));
            expect(v, got.first() == Some(&HOLDER_DIED), || format!("the first taker was not told: {got:?}"));
        });
    }
}
// ANCHOR_END: dead_holder

// ANCHOR: event
/// Whether anything is waiting in `reports` now (a byte, or end-of-file).
fn anything_in(reports: &PipeReader) -> bool {
    readable_within(reports, Duration::ZERO).expect("poll")
}

proptest! {
    #![proptest_config(config(32))]

    /// 1 to 8 children each say they are about to wait, then wait for the event; none returns before
    /// `set`, and `set` lets every one return.
    fn set_releases_every_waiter(waiters in 1usize..=8) {
        in_runner(|v| {
            let event = Event::new().expect("event");
            let (mut reports, report_end) = std::io::pipe().expect("pipe");
            let mut children = Vec::new();
            for _ in 0..waiters {
                let (ready_open, ready_wait) = Gate::new().expect("gate").split();
                let (event, report_end) = (&event, &report_end);
                children.push(
                    fork_and_run(move || {
                        ready_open.open();
                        event.wait();
                        i32::from((&*report_end).write_all(b"w").is_err())
                    })
                    .expect("fork"),
                );
                ready_wait.wait();
            }
            expect(v, !anything_in(&reports), || "a waiter returned before set()".into());
            expect(v, !event.is_set(), || "is_set() before set()".into());
            event.set();
            drop(report_end);
            let mut got = Vec::new();
            reports.read_to_end(&mut got).expect("read the reports");
            reap_all(v, children);
            expect(v, got.len() == waiters, || format!("{} of {waiters} waiters returned", got.len()));
            expect(v, event.is_set(), || "is_set() is false after set()".into());
        });
    }
}

/// The processor time this process has used so far, in user and system mode together.
fn cpu_time() -> Duration {
    let usage = getrusage(UsageWho::RUSAGE_SELF).expect("getrusage");
    let (user, system) = (usage.user_time(), usage.system_time());
    let micros = |t: nix::sys::time::TimeVal| t.tv_sec() as u64 * 1_000_000 + t.tv_usec() as u64;
    Duration::from_micros(micros(user) + micros(system))
}

/// `wait_timeout` on a clear event gives up, with false, no sooner than its limit, and sleeps
/// meanwhile (it uses less than a quarter of the time in processor time); on a set event it returns
/// true; after `clear` it gives up again.
fn wait_timeout_gives_up_on_time_and_returns_at_once_once_set() {
    let limit = Duration::from_millis(200);
    let event = Event::new().expect("event");
    let (began, cpu) = (Instant::now(), cpu_time());
    assert!(!event.wait_timeout(limit), "wait_timeout on a clear event returned true");
    let (waited, used) = (began.elapsed(), cpu_time() - cpu);
    assert!(waited >= limit, "wait_timeout gave up after {waited:?}");
    assert!(used < limit / 4, "waiting {waited:?} used {used:?} of processor time");
    event.set();
    assert!(event.wait_timeout(Duration::from_secs(60)), "wait_timeout on a set event returned false");
    event.wait();
    event.clear();
    assert!(!event.is_set(), "is_set() after clear()");
    assert!(!event.wait_timeout(Duration::from_millis(10)), "wait_timeout after clear() returned true");
}
// ANCHOR_END: event

// ANCHOR: semaphore
proptest! {
    #![proptest_config(config(32))]

    /// 1 to 6 processes take a semaphore of k permits (1 to 4) 1 to 50 times each, count themselves in
    /// a shared counter while they hold it and yield the processor; the counter never exceeds k, and
    /// every permit is back at the end.
    fn a_semaphore_of_k_never_has_more_than_k_holders(
        permits in 1u32..=4,
        processes in 1usize..=6,
        rounds in 1usize..=50,
    ) {
        in_runner(|v| {
            let semaphore = Semaphore::new(permits).expect("semaphore");
            // [holders now, times a holder found more than k holders, most holders seen]
            let counters = Array::<i64>::new(&[0, 0, 0]).expect("array");
            let mut children = Vec::new();
            for _ in 0..processes {
                let (semaphore, counters) = (&semaphore, &counters);
                children.push(
                    fork_and_run(move || {
                        for _ in 0..rounds {
                            let _permit = semaphore.acquire();
                            let holders = counters.fetch_add(0, 1) + 1;
                            if holders > i64::from(permits) {
                                counters.fetch_add(1, 1);
                            }
                            std::thread::yield_now();
                            counters.fetch_add(0, -1);
                        }
                        0
                    })
                    .expect("fork"),
                );
            }
            reap_all(v, children);
            let [now, over, _] = counters.to_vec()[..] else { unreachable!() };
            expect(v, over == 0, || format!("{over} times more than {permits} processes held a permit"));
            expect(v, now == 0, || format!("{now} holders counted at the end"));
            let free = semaphore.value();
            expect(v, free == permits, || format!("{free} of {permits} permits free at the end"));
        });
    }
}

/// k children hold the k permits: `try_acquire` finds none, `acquire_timeout` gives up no sooner than
/// its limit, sleeping meanwhile (less than a quarter of it in processor time); once one child
/// releases, `acquire_timeout` gets a permit.
fn a_semaphore_with_every_permit_held_makes_the_next_wait() {
    in_runner(|v| {
        let permits = 3;
        let semaphore = Semaphore::new(permits).expect("semaphore");
        let mut children = Vec::new();
        let mut releases: Vec<Opener> = Vec::new();
        for _ in 0..permits {
            let (holding_open, holding_wait) = Gate::new().expect("gate").split();
            let (release_open, release_wait) = Gate::new().expect("gate").split();
            let semaphore = &semaphore;
            children.push(
                fork_and_run(move || {
                    let _permit = semaphore.acquire();
                    holding_open.open();
                    release_wait.wait();
                    0
                })
                .expect("fork"),
            );
            holding_wait.wait();
            releases.push(release_open);
        }
        expect(v, semaphore.try_acquire().is_none(), || "try_acquire got one of the held permits".into());
        let limit = Duration::from_millis(200);
        let (began, cpu) = (Instant::now(), cpu_time());
        let got = semaphore.acquire_timeout(limit).is_some();
        let (waited, used) = (began.elapsed(), cpu_time() - cpu);
        expect(v, !got, || "acquire_timeout got one of the held permits".into());
        expect(v, waited >= limit, || format!("acquire_timeout gave up after {waited:?}"));
        expect(v, used < limit / 4, || format!("waiting {waited:?} used {used:?} of processor time"));
        releases.remove(0).open();
        let got = semaphore.acquire_timeout(Duration::from_secs(60)).is_some();
        expect(v, got, || "acquire_timeout got nothing after a holder released".into());
        for release in releases {
            release.open();
        }
        reap_all(v, children);
    });
}
// ANCHOR_END: semaphore

// ANCHOR: copy_on_write
/// After a fork, the child's pages of a 16 MiB buffer its parent filled are shared, not private; they
/// stay so while the child reads every page; once it writes to every page, at least 16 MiB of the
/// buffer's mapping, and of the whole process, is private. The raw numbers behind Listing 9-1.
fn writing_inherited_pages_copies_them_and_reading_does_not() {
    in_runner(|v| {
        const BUFFER: usize = 16 << 20;
        const PAGE: usize = 4096;
        let mut buffer = vec![1u8; BUFFER];
        let (mut reports, report_end) = std::io::pipe().expect("pipe");
        let child = fork_and_run(|| {
            let at = |buffer: &[u8]| own_memory_use_at(buffer.as_ptr()).expect("smaps");
            let whole_before = own_memory_use().expect("smaps_rollup");
            let forked = at(&buffer);
            let sum: usize = buffer.iter().step_by(PAGE).map(|&byte| usize::from(byte)).sum();
            let read = at(&buffer);
            for page in buffer.chunks_mut(PAGE) {
                page[0] = 2;
            }
            let written = at(&buffer);
            let whole_after = own_memory_use().expect("smaps_rollup");
            let numbers = [
                forked.private_dirty,
                forked.shared_dirty,
                read.private_dirty,
                written.private_dirty,
                written.shared_dirty,
                whole_after.private_dirty.saturating_sub(whole_before.private_dirty),
                sum as u64,
            ];
            let bytes: Vec<u8> = numbers.iter().flat_map(|n| n.to_le_bytes()).collect();
            i32::from((&report_end).write_all(&bytes).is_err())
        })
        .expect("fork");
        drop(report_end);
        let mut bytes = Vec::new();
        reports.read_to_end(&mut bytes).expect("read the report");
        reap_all(v, vec![child]);
        let n: Vec<u64> =
            bytes.chunks(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes"))).collect();
        let [forked_private, forked_shared, read_private, written_private, written_shared, grew, sum] = n[..]
        else {
            return v.push(format!("the child sent {} bytes", bytes.len()));
        };
        let size = BUFFER as u64;
        expect(v, sum == size / PAGE as u64, || "the child did not read every page".into());
        expect(v, forked_private < size / 16, || format!("{forked_private} bytes private after the fork"));
        expect(v, forked_shared >= size, || format!("{forked_shared} bytes shared after the fork"));
        expect(v, read_private < size / 16, || format!("{read_private} bytes private after reading"));
        expect(v, written_private >= size, || format!("{written_private} bytes private after writing"));
        expect(v, written_shared < size / 16, || format!("{written_shared} bytes shared after writing"));
        expect(v, grew >= size, || format!("the process's private dirty memory grew by {grew} bytes"));
    });
}
// ANCHOR_END: copy_on_write

/// The counters are read from `smaps_rollup`'s `Key: N kB` lines, in bytes; a missing one is an error.
fn memory_counters_are_read_in_bytes() {
    let text = "Rss: 1632 kB\nPss: 585 kB\nShared_Clean: 1416 kB\nShared_Dirty: 0 kB\n\
                Private_Clean: 104 kB\nPrivate_Dirty: 112 kB\n";
    let counters = MemoryUse::parse(text).expect("parses");
    assert_eq!(
        counters,
        MemoryUse {
            rss: 1632 * 1024,
            pss: 585 * 1024,
            shared_clean: 1416 * 1024,
            shared_dirty: 0,
            private_clean: 104 * 1024,
            private_dirty: 112 * 1024
        }
    );
    assert!(MemoryUse::parse("Rss: 1 kB\n").is_err(), "a text without Pss parsed");
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        p_processes_adding_m_times_under_the_lock_give_p_times_m,
        p_processes_adding_m_times_with_fetch_add_give_p_times_m,
        a_lock_whose_holder_is_killed_goes_to_the_next_taker_who_is_told,
        set_releases_every_waiter,
        wait_timeout_gives_up_on_time_and_returns_at_once_once_set,
        a_semaphore_of_k_never_has_more_than_k_holders,
        a_semaphore_with_every_permit_held_makes_the_next_wait,
        writing_inherited_pages_copies_them_and_reading_does_not,
        memory_counters_are_read_in_bytes,
    ])
}
