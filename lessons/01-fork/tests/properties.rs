//! Property tests of chapter 1's claims. Every test forks; the harness runs them one at a time on
//! the main thread of a single-threaded process, so forking is safe (see `testkit::harness`).
//! No sleep orders anything: children wait at gates the test opens.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::process::ExitCode;

use lesson_01_fork::{Fork, Gate, Pid, exit_now, fork, fork_and_run, getpid, getppid, wait_for};
use proptest::prelude::*;

/// A child's report: what fork returned to it, its own pid and its parent's pid, 4 bytes each.
/// Twelve bytes is far below PIPE_BUF, so each report reaches the pipe in one piece.
const REPORT: usize = 12;

/// A pipe for reports: (read end, write end).
fn report_pipe() -> (std::fs::File, std::fs::File) {
    let (read_end, write_end) = nix::unistd::pipe().expect("pipe");
    (read_end.into(), write_end.into())
}

/// Reads a pipe until every copy of its write end is closed.
fn read_all(mut pipe: std::fs::File) -> Vec<u8> {
    let mut bytes = Vec::new();
    pipe.read_to_end(&mut bytes).expect("read the pipe");
    bytes
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    // ANCHOR: fork_returns_zero_in_the_child_and_its_pid_in_the_parent
    /// For n children of one parent: the parent gets n distinct positive pids, none its own; each
    /// child saw fork return 0, has the pid the parent was given, and has the parent as its parent.
    fn fork_returns_zero_in_the_child_and_its_pid_in_the_parent(n in 1usize..=16) {
        let parent = getpid();
        let (reports, report_end) = report_pipe();
        // Every child waits at this gate until all n exist, so all n are alive at once.
        let all_forked = Gate::new().expect("gate");
        let mut pids = Vec::new();
        for _ in 0..n {
            // `returned` is fork's value as the C call gives it: 0 in the child.
            let forked = fork().expect("fork");
            match forked {
                Fork::Child => {
                    let mut record = Vec::with_capacity(REPORT);
                    record.extend_from_slice(&forked.returned().to_le_bytes());
                    record.extend_from_slice(&getpid().as_raw().to_le_bytes());
                    record.extend_from_slice(&getppid().as_raw().to_le_bytes());
                    all_forked.wait();
                    let sent = (&report_end).write_all(&record).is_ok();
                    exit_now(if sent { 0 } else { 1 });
                }
                Fork::Parent { child } => pids.push(child),
            }
        }
        drop(report_end);
        all_forked.open();
        let bytes = read_all(reports);
        let codes: Vec<i32> = pids.iter().map(|&p| wait_for(p).expect("wait")).collect();

        prop_assert!(codes.iter().all(|&c| c == 0), "a child failed to report: {:?}", codes);
        let distinct: HashSet<Pid> = pids.iter().copied().collect();
        prop_assert_eq!(distinct.len(), n, "the parent got {} distinct pids for {} children", distinct.len(), n);
        prop_assert!(pids.iter().all(|p| p.as_raw() > 0 && *p != parent));
        prop_assert_eq!(bytes.len(), n * REPORT);
        let mut reported = HashSet::new();
        for record in bytes.chunks(REPORT) {
            let field = |i: usize| i32::from_le_bytes(record[i * 4..i * 4 + 4].try_into().unwrap());
            prop_assert_eq!(field(0), 0, "fork returned {} in a child", field(0));
            prop_assert_eq!(field(2), parent.as_raw(), "a child's getppid() is not the parent");
            reported.insert(Pid::from_raw(field(1)));
        }
        prop_assert_eq!(reported, distinct, "the children's own pids are the pids the parent got");
    }
    // ANCHOR_END: fork_returns_zero_in_the_child_and_its_pid_in_the_parent

    // ANCHOR: k_forks_in_a_loop_make_two_to_the_k_processes
    /// k forks in a loop, where every process goes on with the loop, make exactly 2^k processes:
    /// each reports its pid once, and the sizes of the trees add up to 2^k.
    fn k_forks_in_a_loop_make_two_to_the_k_processes(k in 0u32..=5) {
        let root = getpid();
        let (reports, report_end) = report_pipe();
        // Nobody reports until the root has forked all it will fork: no pid is reused meanwhile.
        let go = Gate::new().expect("gate");
        let mut in_my_tree = 1;
        let mut children = Vec::new();
        for _ in 0..k {
            match fork().expect("fork") {
                Fork::Parent { child } => children.push(child),
                Fork::Child => {
                    in_my_tree = 1;
                    children.clear();
                }
            }
        }
        if getpid() != root {
            go.wait();
            let sent = (&report_end).write_all(&getpid().as_raw().to_le_bytes()).is_ok();
            for child in children {
                in_my_tree += wait_for(child).unwrap_or(1000);
            }
            exit_now(if sent { in_my_tree } else { 255 });
        }
        drop(report_end);
        go.open();
        let bytes = read_all(reports);
        for child in children {
            in_my_tree += wait_for(child).expect("wait");
        }
        let reporters: HashSet<&[u8]> = bytes.chunks(4).collect();
        prop_assert_eq!(in_my_tree, 1 << k);
        prop_assert_eq!(bytes.len(), 4 * ((1usize << k) - 1), "every process but the root reports once");
        prop_assert_eq!(reporters.len(), (1usize << k) - 1, "and each from a different pid");
    }
    // ANCHOR_END: k_forks_in_a_loop_make_two_to_the_k_processes
}

// ANCHOR: a_panicking_child_ends_with_code_one_and_never_returns
/// A child that panics ends with exit code 1 and never returns into the code that forked it.
fn a_panicking_child_ends_with_code_one_and_never_returns() {
    let me = getpid();
    let (mut returned, returned_end) = report_pipe();
    // The child's panic message is expected: keep it off the test's output.
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let child = fork_and_run(|| panic!("this child panics on purpose")).expect("fork");
    std::panic::set_hook(report);
    // Only the parent reaches this line; a child that returned would write here too.
    (&returned_end).write_all(&getpid().as_raw().to_le_bytes()).expect("write");
    drop(returned_end);
    assert_eq!(wait_for(child).expect("wait"), 1);
    let mut bytes = Vec::new();
    returned.read_to_end(&mut bytes).expect("read");
    assert_eq!(bytes, me.as_raw().to_le_bytes(), "only the parent went on after fork_and_run");
}
// ANCHOR_END: a_panicking_child_ends_with_code_one_and_never_returns

// ANCHOR: fork_refuses_while_another_thread_runs
/// `fork()` refuses to copy a process that has another thread, and works again once it is gone.
fn fork_refuses_while_another_thread_runs() {
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    let helper = std::thread::spawn(move || stopped.recv());
    let refused = fork();
    stop.send(()).expect("send");
    helper.join().expect("join").expect("recv");
    // `join` returns a moment before the kernel has removed the thread.
    assert!(lesson_01_fork::wait_until_single_threaded(std::time::Duration::from_secs(5)));
    assert!(matches!(refused, Err(lesson_01_fork::ForkError::Threaded { threads: 2 })), "{refused:?}");
    let child = fork_and_run(|| 7).expect("fork once the helper thread has ended");
    assert_eq!(wait_for(child).expect("wait"), 7);
}
// ANCHOR_END: fork_refuses_while_another_thread_runs

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        fork_returns_zero_in_the_child_and_its_pid_in_the_parent,
        k_forks_in_a_loop_make_two_to_the_k_processes,
        a_panicking_child_ends_with_code_one_and_never_returns,
        fork_refuses_while_another_thread_runs,
    ])
}
