//! Property tests of chapter 5's claims. This test binary is itself the program a spawned child
//! starts afresh, so `main` calls `init` first, as every program using the spawn method must.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

use lesson_01_fork::{Gate, Pid, wait_until_single_threaded};
use lesson_05_start_methods::registry::current;
use lesson_05_start_methods::{
    Entry, Forkserver, Registry, StartError, StartMethod, init, reap_child, run, start_child, task,
};
use nix::fcntl::OFlag;
use nix::sys::signal::{Signal, kill};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

/// A rich argument: every task must get it, and give its answer, the same under every method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Order {
    customer: String,
    items: Vec<(String, u32)>,
    note: Option<String>,
}

/// The task: totals per item, and the customer's name reversed.
fn summarise(order: Order) -> (String, BTreeMap<String, u32>) {
    let mut totals = BTreeMap::new();
    for (item, count) in order.items {
        *totals.entry(item).or_insert(0) += count;
    }
    (order.customer.chars().rev().collect(), totals)
}

/// A task that panics.
fn fail(message: String) -> u8 {
    panic!("{message}")
}

/// A lock the tasks take.
static LOCK: Mutex<u32> = Mutex::new(0);

/// A task that takes the lock.
fn take_the_lock((): ()) -> u32 {
    let mut count = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    *count += 1;
    *count
}

/// Two functions with the same body and the same signature: two tasks all the same.
fn add_one(n: u64) -> u64 {
    n + 1
}

/// The twin of [`add_one`].
fn add_one_too(n: u64) -> u64 {
    n + 1
}

/// A function nobody registered.
fn unregistered(n: u64) -> u64 {
    n + 1
}

/// A task of two arguments.
fn add(a: u64, b: u64) -> u64 {
    a + b
}

/// A task of three arguments.
fn repeat(word: String, times: usize, separator: char) -> String {
    vec![word; times].join(&separator.to_string())
}

/// A task of six arguments, of six types.
fn sum_six(a: u8, b: u16, c: u32, d: u64, e: i8, f: i16) -> i64 {
    i64::from(a) + i64::from(b) + i64::from(c) + d as i64 + i64::from(e) + i64::from(f)
}

// ANCHOR: echo
/// A long-lived child's main: reads lines from the first descriptor it was handed and answers each
/// on the second, after the part of its message before the colon; at end-of-file it ends with the
/// exit code after the colon.
fn echo(fds: Vec<OwnedFd>, message: &[u8]) -> i32 {
    let message = String::from_utf8_lossy(message);
    let (prefix, code) = message.rsplit_once(':').unwrap_or((&message, "0"));
    let [requests, replies] = <[OwnedFd; 2]>::try_from(fds).expect("echo is handed two descriptors");
    let mut replies = File::from(replies);
    for line in BufReader::new(File::from(requests)).lines() {
        writeln!(replies, "{prefix} {}", line.expect("read a request")).expect("write a reply");
    }
    code.parse().expect("the message ends with an exit code")
}

static REGISTRY: Registry = Registry {
    tasks: &[
        task!(summarise),
        task!(fail),
        task!(take_the_lock),
        task!(add_one),
        task!(add_one_too),
        task!(add),
        task!(repeat),
        task!(sum_six),
    ],
    entries: &[Entry { name: "echo", main: echo }],
};
// ANCHOR_END: echo

fn order() -> impl Strategy<Value = Order> {
    (".{0,12}", proptest::collection::vec(("[a-z]{1,6}", 0u32..1000), 0..12), proptest::option::of(".{0,20}"))
        .prop_map(|(customer, items, note)| Order { customer, items, note })
}

// ANCHOR: same_result
proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    /// The same task and arguments give the same result under fork, spawn and forkserver, and the
    /// result a direct call gives.
    fn every_method_gives_the_same_result(order in order()) {
        let server = Forkserver::start(&REGISTRY).expect("start the fork server");
        let expected = summarise(order.clone());
        for method in [StartMethod::Fork, StartMethod::Spawn, StartMethod::Forkserver(&server)] {
            let got: (String, BTreeMap<String, u32>) = run(&method, &REGISTRY, "summarise", &order).expect("run");
            prop_assert_eq!(&got, &expected, "under {}", method.name());
        }
    }
}
// ANCHOR_END: same_result

// ANCHOR: errors
/// A panic in the task, and a task name nobody registered, come back as errors under every method.
fn panics_and_unknown_tasks_are_errors_under_every_method() {
    let server = Forkserver::start(&REGISTRY).expect("start the fork server");
    for method in [StartMethod::Fork, StartMethod::Spawn, StartMethod::Forkserver(&server)] {
        let panicked = run::<String, u8>(&method, &REGISTRY, "fail", &"on purpose".to_string());
        assert_eq!(panicked, Err(StartError::Panicked("on purpose".into())), "under {}", method.name());
        let unknown = run::<(), u8>(&method, &REGISTRY, "no_such_task", &());
        assert_eq!(unknown, Err(StartError::UnknownTask("no_such_task".into())), "under {}", method.name());
    }
}
// ANCHOR_END: errors

// ANCHOR: threads
/// In a process where another thread holds a lock: our fork refuses; spawn and a fork server started
/// before the thread run a task that takes the lock.
fn spawn_and_forkserver_work_where_fork_would_deadlock() {
    let server = Forkserver::start(&REGISTRY).expect("start the fork server");
    let (locked, is_locked) = Gate::new().expect("gate").split();
    let (release, released) = Gate::new().expect("gate").split();
    let holder = std::thread::spawn(move || {
        let _guard = LOCK.lock();
        locked.open();
        released.wait();
    });
    is_locked.wait();
    let forked = run::<(), u32>(&StartMethod::Fork, &REGISTRY, "take_the_lock", &());
    let spawned = run::<(), u32>(&StartMethod::Spawn, &REGISTRY, "take_the_lock", &());
    let served = run::<(), u32>(&StartMethod::Forkserver(&server), &REGISTRY, "take_the_lock", &());
    release.open();
    holder.join().expect("join");
    assert!(wait_until_single_threaded(Duration::from_secs(5)));
    assert!(
        matches!(forked, Err(StartError::Os(ref why)) if why.starts_with("refusing to fork")),
        "{forked:?}"
    );
    assert_eq!(spawned, Ok(1), "a spawned child starts with the lock free and the count at 0");
    assert_eq!(served, Ok(1), "the fork server was copied before the lock was taken");
}
// ANCHOR_END: threads

// ANCHOR: long_lived
/// Under fork, spawn and forkserver, a long-lived child runs its entry on the descriptors it was
/// handed: it answers request after request, ends at end-of-file with the exit code its message
/// chose, and `reap_child` says so; a child killed with SIGKILL is reported killed by it.
fn long_lived_children_start_by_every_method() {
    let server = Forkserver::start(&REGISTRY).expect("start the fork server");
    for (code, method) in
        [(7, StartMethod::Fork), (8, StartMethod::Spawn), (9, StartMethod::Forkserver(&server))]
    {
        let name = method.name();
        let (child, mut requests, mut replies) = start_echo(&method, &format!("{name}:{code}"));
        for n in 0..3 {
            writeln!(requests, "request {n}").expect("write a request");
            assert_eq!(read_line(&mut replies), format!("{name} request {n}"), "under {name}");
        }
        drop(requests); // the only write end left: the child reads end-of-file
        assert_eq!(reap_child(&method, child), Ok(format!("exited with code {code}")), "under {name}");

        let (child, mut requests, mut replies) = start_echo(&method, "doomed:0");
        writeln!(requests, "are you there?").expect("write a request");
        assert_eq!(read_line(&mut replies), "doomed are you there?", "under {name}");
        kill(child, Signal::SIGKILL).expect("kill");
        assert_eq!(reap_child(&method, child), Ok("killed by SIGKILL".into()), "under {name}");
    }
}
// ANCHOR_END: long_lived

// ANCHOR: server_cleans_up
/// A fork server that ends kills and reaps the long-lived children nobody reaped: a served child
/// whose requests pipe is still open, so that it would never end by itself, is gone once the server is
/// dropped (its reply pipe reads end-of-file), and nothing is left behind.
fn a_fork_server_ends_its_unreaped_children() {
    let server = Forkserver::start(&REGISTRY).expect("start the fork server");
    let served = StartMethod::Forkserver(&server);
    let (_child, mut requests, mut replies) = start_echo(&served, "served:0");
    writeln!(requests, "still there?").expect("write a request");
    assert_eq!(read_line(&mut replies), "served still there?");
    drop(server);
    assert_eq!(read_line(&mut replies), "", "the child's end of the reply pipe closed: it was killed");
    drop(requests);
}
// ANCHOR_END: server_cleans_up

/// Starts the `echo` entry by `method`, handed the read end of a request pipe and the write end of a
/// reply pipe; returns its pid, the requests' write end and a reader of the replies.
fn start_echo(method: &StartMethod, message: &str) -> (Pid, File, BufReader<File>) {
    let (request_read, request_write) = nix::unistd::pipe2(OFlag::O_CLOEXEC).expect("pipe");
    let (reply_read, reply_write) = nix::unistd::pipe2(OFlag::O_CLOEXEC).expect("pipe");
    let fds = [request_read.as_fd(), reply_write.as_fd()];
    let child = start_child(method, &REGISTRY, "echo", &fds, message.as_bytes()).expect("start the child");
    // Our copies of the child's ends close here, so its end-of-file depends on `request_write` alone.
    drop((request_read, reply_write));
    (child, File::from(request_write), BufReader::new(File::from(reply_read)))
}

/// The next line from `reader`, without its newline.
fn read_line(reader: &mut impl BufRead) -> String {
    let mut line = String::new();
    reader.read_line(&mut line).expect("read a line");
    line.trim_end_matches('\n').to_string()
}

/// Calls `start` with this process's standard error on a new pipe, so that a child started meanwhile
/// writes its standard error there; returns what `start` returned and the pipe's read end, which
/// reads end-of-file once every such child has ended.
fn with_stderr_on_a_pipe<T>(start: impl FnOnce() -> T) -> (T, File) {
    let (read_end, write_end) = nix::unistd::pipe2(OFlag::O_CLOEXEC).expect("pipe");
    let saved = std::io::stderr().as_fd().try_clone_to_owned().expect("copy standard error");
    nix::unistd::dup2_stderr(&write_end).expect("redirect standard error");
    let value = start();
    nix::unistd::dup2_stderr(&saved).expect("restore standard error");
    (value, File::from(read_end))
}

/// All that is left to read from `pipe`.
fn read_all(mut pipe: File) -> String {
    let mut text = String::new();
    pipe.read_to_string(&mut text).expect("read the pipe");
    text
}

// ANCHOR: unknown_names
/// An unknown task's name, and an unknown entry's, are clear errors under every method: the parent
/// gets `UnknownTask` or `UnknownEntry`, or a spawned or served child says so on standard error and
/// exits with code 2. Nothing crashes and nothing jumps anywhere.
fn unknown_names_are_clear_errors() {
    let (server, server_stderr) = with_stderr_on_a_pipe(|| Forkserver::start(&REGISTRY));
    let server = server.expect("start the fork server");
    for method in [StartMethod::Fork, StartMethod::Spawn, StartMethod::Forkserver(&server)] {
        let unknown = run::<(), u8>(&method, &REGISTRY, "no_such_task", &());
        assert_eq!(unknown, Err(StartError::UnknownTask("no_such_task".into())), "under {}", method.name());
    }
    let unknown_entry = StartError::UnknownEntry("no_such_entry".into());
    assert_eq!(REGISTRY.entry("no_such_entry").map(|entry| entry.name), Err(unknown_entry.clone()));
    let forked = start_child(&StartMethod::Fork, &REGISTRY, "no_such_entry", &[], b"");
    assert_eq!(forked, Err(unknown_entry.clone()), "fork looks the entry up before it forks");

    let said = format!("{unknown_entry}\n");
    let (spawned, spawned_stderr) =
        with_stderr_on_a_pipe(|| start_child(&StartMethod::Spawn, &REGISTRY, "no_such_entry", &[], b""));
    let status = reap_child(&StartMethod::Spawn, spawned.expect("spawn the child"));
    assert_eq!(status, Ok("exited with code 2".into()), "under spawn");
    assert_eq!(read_all(spawned_stderr), said, "under spawn");

    let served = StartMethod::Forkserver(&server);
    let child = start_child(&served, &REGISTRY, "no_such_entry", &[], b"").expect("ask the server");
    assert_eq!(reap_child(&served, child), Ok("exited with code 2".into()), "under forkserver");
    drop(server); // ends the server, which held the pipe's last write end
    assert_eq!(read_all(server_stderr), said, "under forkserver");
}
// ANCHOR_END: unknown_names

// ANCHOR: own_type
/// `task_of` finds a function's task by the function's own type: two functions with the same body
/// and signature are two tasks, and an unregistered function is an error that names it. Functions of
/// two, three and six arguments run by name, their arguments a tuple, under every method.
fn a_function_is_found_by_its_own_type() {
    assert!(current().is_some_and(|registry| std::ptr::eq(registry, &REGISTRY)), "init records the registry");
    let name_of = |task: Result<lesson_05_start_methods::Task, StartError>| task.map(|task| task.name);
    assert_eq!(name_of(REGISTRY.task_of(&summarise)), Ok("summarise"));
    assert_eq!(name_of(REGISTRY.task_of(&add_one)), Ok("add_one"));
    assert_eq!(name_of(REGISTRY.task_of(&add_one_too)), Ok("add_one_too"));
    let missing = REGISTRY.task_of(&unregistered).map(|task| task.name).unwrap_err();
    assert!(
        matches!(&missing, StartError::Unregistered(name) if name.ends_with("::unregistered")),
        "{missing:?}"
    );
    assert!(missing.to_string().ends_with(": add task!(unregistered) to the Registry passed to init()"));

    let server = Forkserver::start(&REGISTRY).expect("start the fork server");
    let add_task = REGISTRY.task_of(&add).expect("add is registered");
    for method in [StartMethod::Fork, StartMethod::Spawn, StartMethod::Forkserver(&server)] {
        let name = method.name();
        assert_eq!(run(&method, &REGISTRY, add_task.name, &(2u64, 40u64)), Ok(42u64), "under {name}");
        let repeated = run(&method, &REGISTRY, "repeat", &("ab".to_string(), 3usize, '-'));
        assert_eq!(repeated, Ok("ab-ab-ab".to_string()), "under {name}");
        let sum = run(&method, &REGISTRY, "sum_six", &(1u8, 2u16, 3u32, 4u64, -5i8, -6i16));
        assert_eq!(sum, Ok(-1i64), "under {name}");
    }
    // One chunk of a map: every argument tuple in order, every result in the same order.
    let chunk = postcard::to_stdvec(&[(1u64, 2u64), (3, 4), (5, 6)][..]).expect("encode");
    let results =
        (add_task.call_each)(&chunk).and_then(|bytes| Ok(postcard::from_bytes::<Vec<u64>>(&bytes)?));
    assert_eq!(results, Ok(vec![3, 7, 11]));
}
// ANCHOR_END: own_type

fn main() -> ExitCode {
    init(&REGISTRY);
    testkit::harness::run(testkit::trials![
        every_method_gives_the_same_result,
        panics_and_unknown_tasks_are_errors_under_every_method,
        spawn_and_forkserver_work_where_fork_would_deadlock,
        long_lived_children_start_by_every_method,
        unknown_names_are_clear_errors,
        a_function_is_found_by_its_own_type,
        a_fork_server_ends_its_unreaped_children,
    ])
}
