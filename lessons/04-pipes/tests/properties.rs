//! Property tests of chapter 4's claims. The harness runs every test on the main thread of a
//! single-threaded process, so forking is safe (see `testkit::harness`); each test that forks runs its
//! processes inside a sandbox runner (`testkit::sandbox`), so a hang is a failure within a time limit
//! and no process is left behind. No sleep orders anything: gates do, and SIGSTOP where a writer must
//! be caught in the middle of a write.

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hasher};
use std::io::{PipeWriter, Read, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use lesson_01_fork::{Gate, Opener, fork_and_run};
use lesson_02_wait::wait_for;
use lesson_03_process::Process;
use lesson_04_pipes::{
    ChildError, FrameError, FramePart, HEADER, INLINE_MAX, PIPE_BUF, PacketQueue, PipeError, Queue,
    RecordLock, ResultProcess, TokenLock, capacity, decode, encode, encode_as_frame, encode_frame,
    message_pipe, read_frame, readable_within, set_capacity, split_frame, wait_for_bytes, write_all,
};
use nix::sys::signal::{
    SaFlags, SigAction, SigHandler, SigSet, SigmaskHow, Signal, kill, raise, sigaction, sigprocmask,
};
use nix::sys::wait::{WaitPidFlag, waitpid};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use testkit::sandbox;

/// Runs `check` in a sandbox runner with a time limit and fails the test with every violation found.
fn in_runner(limit: Duration, check: impl FnOnce(&mut Vec<String>)) {
    let violations = sandbox::run(limit, || {
        let mut violations = Vec::new();
        check(&mut violations);
        violations
    })
    .value_with_children_reaped();
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

/// Records a violation unless `holds`.
fn expect(violations: &mut Vec<String>, holds: bool, what: impl FnOnce() -> String) {
    if !holds {
        violations.push(what());
    }
}

/// `cases` cases a run; a failing case is shrunk a few steps only, since each step forks processes
/// and a broken build may make each one wait for its time limit.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, max_shrink_iters: 8, failure_persistence: None, ..ProptestConfig::default() }
}

// ANCHOR: eof
/// n children inherit the write end of a pipe and end one by one, in a random order. The read end
/// reports end-of-file only after the last copy is closed: the last child's, and the parent's own when
/// it keeps one. Until then a read would block (poll says "not readable").
fn eof_case(order: Vec<usize>, parent_keeps_its_copy: bool) {
    in_runner(sandbox::DEFAULT_LIMIT, |v| {
        let (mut reader, writer) = std::io::pipe().expect("pipe");
        let gates: Vec<(Opener, _)> = order.iter().map(|_| Gate::new().expect("gate").split()).collect();
        let mut openers = Vec::new();
        let mut children = Vec::new();
        for (opener, waiter) in gates {
            // Each child holds a copy of the write end, inherited from the fork, until it ends.
            children.push(
                fork_and_run(move || {
                    waiter.wait();
                    0
                })
                .expect("fork"),
            );
            openers.push(Some(opener));
        }
        let mut writer = Some(writer);
        if !parent_keeps_its_copy {
            writer = None;
        }
        for (released, &i) in order.iter().enumerate() {
            openers[i].take().expect("one opener each").open();
            let _ = wait_for(children[i]);
            let ended = released + 1;
            let eof_due = ended == order.len() && !parent_keeps_its_copy;
            let readable = readable_within(&reader, Duration::ZERO).expect("poll");
            let n = order.len();
            let keeps = parent_keeps_its_copy;
            expect(v, readable == eof_due, || {
                format!(
                    "{ended} of {n} children ended; the parent keeps a copy: {keeps}; readable: {readable}"
                )
            });
        }
        drop(writer);
        let read = reader.read(&mut [0u8; 8]);
        expect(v, matches!(read, Ok(0)), || format!("with every write end closed, read gave {read:?}"));
    });
}

/// 1 to 8 children, in a random order of release.
fn release_order() -> impl Strategy<Value = Vec<usize>> {
    (1usize..=8).prop_flat_map(|n| Just((0..n).collect::<Vec<usize>>()).prop_shuffle())
}

proptest! {
    #![proptest_config(config(24))]

    /// End-of-file comes only when every write end is closed, each child's inherited copy included.
    fn end_of_file_comes_only_when_every_write_end_is_closed(
        order in release_order(),
        parent_keeps_its_copy in any::<bool>(),
    ) {
        eof_case(order, parent_keeps_its_copy);
    }
}
// ANCHOR_END: eof

// ANCHOR: rich
/// A rich type: nested structs and enums, strings, vectors, maps, options, tuples, floats, and a blob
/// that is sometimes larger than the pipe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Rich {
    id: u64,
    signed: i32,
    name: String,
    tags: Vec<String>,
    scores: BTreeMap<String, i64>,
    note: Option<String>,
    shapes: Vec<Shape>,
    grid: Vec<Vec<u16>>,
    pair: (bool, char),
    ratio: f64,
    inner: Option<Box<Inner>>,
    blob: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Shape {
    Point,
    Circle { radius: u32 },
    Polygon(Vec<(i16, i16)>),
    Label(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Inner {
    lookup: HashMap<u8, Option<Shape>>,
    unit: (),
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        Just(Shape::Point),
        any::<u32>().prop_map(|radius| Shape::Circle { radius }),
        proptest::collection::vec(any::<(i16, i16)>(), 0..8).prop_map(Shape::Polygon),
        ".{0,12}".prop_map(Shape::Label),
    ]
}

fn blob() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => proptest::collection::vec(any::<u8>(), 0..64),
        // Larger than the pipe's 64 KiB: the child can write it only while the parent reads.
        1 => (70_000usize..150_000, any::<u8>()).prop_map(|(n, byte)| vec![byte; n]),
    ]
}

fn rich() -> impl Strategy<Value = Rich> {
    use proptest::collection::{btree_map, hash_map, vec};
    let inner = hash_map(any::<u8>(), proptest::option::of(shape()), 0..6)
        .prop_map(|lookup| Inner { lookup, unit: () });
    (
        (any::<u64>(), any::<i32>(), ".{0,24}", vec(".{0,8}", 0..6), btree_map(".{0,8}", any::<i64>(), 0..6)),
        (proptest::option::of(".{0,16}"), vec(shape(), 0..6), vec(vec(any::<u16>(), 0..6), 0..4)),
        (
            any::<(bool, char)>(),
            proptest::num::f64::NORMAL | proptest::num::f64::ZERO,
            proptest::option::of(inner),
            blob(),
        ),
    )
        .prop_map(
            |((id, signed, name, tags, scores), (note, shapes, grid), (pair, ratio, inner, blob))| Rich {
                id,
                signed,
                name,
                tags,
                scores,
                note,
                shapes,
                grid,
                pair,
                ratio,
                inner: inner.map(Box::new),
                blob,
            },
        )
}

proptest! {
    #![proptest_config(config(24))]

    /// Any value of the rich type goes to a child through a pipe and comes back through another,
    /// unchanged. The child does not capture the value: it can only have it from the pipe.
    fn any_value_round_trips_through_a_child_unchanged(value in rich()) {
        round_trip_case(value);
    }
}

fn round_trip_case(value: Rich) {
    in_runner(sandbox::DEFAULT_LIMIT, |v| {
        let (receiver, sender) = message_pipe::<Rich>().expect("pipe");
        let mut child =
            ResultProcess::new(move || receiver.recv().expect("a value from the parent")).expect("pipe");
        child.start().expect("start");
        sender.send(&value).expect("send");
        match child.join() {
            Ok(back) => expect(v, back == value, || "the value came back changed".into()),
            Err(e) => v.push(format!("the child did not hand the value back: {e}")),
        }
    });
}
// ANCHOR_END: rich

// ANCHOR: truncation
proptest! {
    #![proptest_config(config(32))]

    /// Every cut of a frame short of its end is an error saying where the stream ended: in the header
    /// or in the body, after how many of how many bytes. A cut at 0 is a clean end. Checked on a
    /// byte slice, and through a real pipe whose writer ends after writing the cut frame.
    fn any_truncation_of_a_frame_is_an_error(
        body in frame_body(),
        sample_cuts in proptest::collection::vec(any::<prop::sample::Index>(), 16),
        pipe_cut in any::<prop::sample::Index>(),
    ) {
        truncation_case(body, sample_cuts, pipe_cut);
    }
}

proptest! {
    #![proptest_config(config(32))]

    /// Frames written one after another and received in pieces of any sizes: `split_frame`, called
    /// after each piece arrives, takes out exactly the bodies written, whole and in order, and never
    /// one that has not fully arrived.
    fn split_frame_takes_out_whole_frames_whatever_pieces_they_arrive_in(
        bodies in proptest::collection::vec(frame_body(), 0..8),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..12),
    ) {
        let stream: Vec<u8> = bodies.iter().flat_map(|body| encode_frame(body).expect("a frame")).collect();
        let mut cuts: Vec<usize> = cuts.iter().map(|cut| cut.index(stream.len() + 1)).collect();
        cuts.push(stream.len());
        cuts.sort();
        let (mut buffer, mut taken, mut from) = (Vec::new(), Vec::new(), 0);
        for cut in cuts {
            buffer.extend_from_slice(&stream[from..cut]);
            from = cut;
            while let Some(body) = split_frame(&mut buffer).expect("no corrupt header") {
                taken.push(body);
            }
            // Every body taken so far lies wholly within the bytes that have arrived.
            let whole: usize = taken.iter().map(|body| HEADER + body.len()).sum();
            prop_assert!(whole <= cut);
        }
        prop_assert_eq!(taken, bodies);
        prop_assert!(buffer.is_empty());
    }
}

proptest! {
    #![proptest_config(config(32))]

    /// `encode_as_frame` gives exactly the frame of `encode`'s bytes, built without a copy.
    fn encode_as_frame_is_the_frame_of_the_encoding(value in rich()) {
        let framed = encode_as_frame(&value).expect("encodes");
        prop_assert_eq!(framed, encode_frame(&encode(&value).expect("encodes")).expect("a frame"));
    }
}

/// A body: mostly short, sometimes longer than `PIPE_BUF`.
fn frame_body() -> impl Strategy<Value = Vec<u8>> {
    use proptest::collection::vec;
    prop_oneof![3 => vec(any::<u8>(), 0..40), 1 => vec(any::<u8>(), PIPE_BUF..3 * PIPE_BUF)]
}

fn truncation_case(body: Vec<u8>, sample_cuts: Vec<prop::sample::Index>, pipe_cut: prop::sample::Index) {
    let frame = encode_frame(&body).expect("frame");
    // Every cut of a short frame; of a long one, every cut in and just after the header, the last
    // few, and a sample of the rest.
    let cuts: Vec<usize> = if frame.len() <= 64 {
        (0..frame.len()).collect()
    } else {
        let sampled = sample_cuts.iter().map(|i| i.index(frame.len()));
        (0..=HEADER + 1).chain(frame.len() - 3..frame.len()).chain(sampled).collect()
    };
    for cut in cuts {
        let outcome = describe(read_frame(&frame[..cut]));
        assert_eq!(outcome, expected_at(cut, body.len()), "cut at {cut} of {}", frame.len());
    }
    let mut whole = &frame[..];
    assert_eq!(describe(read_frame(&mut whole)), format!("body of {}", body.len()));
    assert_eq!(describe(read_frame(&mut whole)), "clean end");

    let cut = pipe_cut.index(frame.len());
    let through_a_pipe = sandbox::expect(|| {
        let (reader, writer) = std::io::pipe().expect("pipe");
        let child = fork_and_run(|| i32::from(write_all(&writer, &frame[..cut]).is_err())).expect("fork");
        drop(writer);
        let outcome = describe(read_frame(&reader));
        let _ = wait_for(child);
        outcome
    });
    assert_eq!(through_a_pipe, expected_at(cut, body.len()), "through a pipe, cut at {cut}");
}

/// What reading a frame of a `len`-byte body cut after `cut` bytes must give.
fn expected_at(cut: usize, len: usize) -> String {
    match cut {
        0 => "clean end".to_string(),
        cut if cut < HEADER => format!("truncated in the header after {cut} of {HEADER}"),
        cut => format!("truncated in the body after {} of {len}", cut - HEADER),
    }
}

/// A frame read's outcome, in words that can be compared.
fn describe(outcome: Result<Option<Vec<u8>>, FrameError>) -> String {
    match outcome {
        Ok(None) => "clean end".to_string(),
        Ok(Some(body)) => format!("body of {}", body.len()),
        Err(FrameError::Truncated { part: FramePart::Header, expected, got }) => {
            format!("truncated in the header after {got} of {expected}")
        }
        Err(FrameError::Truncated { part: FramePart::Body, expected, got }) => {
            format!("truncated in the body after {got} of {expected}")
        }
        Err(e) => format!("another error: {e}"),
    }
}
// ANCHOR_END: truncation

proptest! {
    #![proptest_config(config(64))]

    /// Arbitrary bytes, read as frames and decoded as the rich type, give values or errors: never a
    /// panic, never a hang (a byte slice ends, as a pipe whose writers are gone does).
    fn corrupt_bytes_give_an_error_never_a_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..512),
        plausible_header in any::<bool>(),
    ) {
        corrupt_case(bytes, plausible_header);
    }
}

fn corrupt_case(mut stream: Vec<u8>, plausible_header: bool) {
    // Half the cases start with a header that fits the bytes, so that bodies reach the decoder too.
    if plausible_header && stream.len() >= HEADER {
        let len = (stream.len() - HEADER) as u32;
        stream[..HEADER].copy_from_slice(&len.to_le_bytes());
    }
    let mut rest = &stream[..];
    while let Ok(Some(body)) = read_frame(&mut rest) {
        let decoded: Result<Rich, PipeError> = decode(&body);
        if let Ok(value) = decoded {
            assert!(encode(&value).is_ok(), "a decoded value could not be encoded again");
        }
    }
}

// ANCHOR: queue
/// What producers put in the queue in these tests: who, which of its messages, and a body whose bytes
/// follow from both. (A `String` body, which serde copies whole, keeps the tests quick.)
#[derive(Debug, Serialize, Deserialize)]
struct Numbered {
    producer: u8,
    seq: u32,
    body: String,
}

fn body_of(producer: u8, seq: u32, len: usize) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let start = producer as usize * 31 + seq as usize * 7;
    let pattern: Vec<u8> = (0..64).map(|k| ALPHABET[(start + k) % 64]).collect();
    let mut body = pattern.repeat(len / 64 + 1);
    body.truncate(len);
    String::from_utf8(body).expect("ASCII")
}

/// A message size: mostly small, one in eight larger than `PIPE_BUF`.
fn message_size() -> impl Strategy<Value = usize> {
    prop_oneof![7 => 0usize..64, 1 => PIPE_BUF + 1..=2 * PIPE_BUF]
}

/// Starts one producer per list of sizes; producer p puts one message of each size, in order.
fn start_producers<T: Serialize + serde::de::DeserializeOwned + 'static>(
    queue: &Queue<T>,
    sizes: &[Vec<usize>],
    wrap: fn(Numbered) -> T,
) -> Vec<Process> {
    let mut producers = Vec::new();
    for (p, sizes) in sizes.iter().enumerate() {
        let (queue, sizes) = (queue.clone(), sizes.clone());
        let mut producer = Process::new(move || -> i32 {
            for (seq, &len) in sizes.iter().enumerate() {
                let message =
                    Numbered { producer: p as u8, seq: seq as u32, body: body_of(p as u8, seq as u32, len) };
                if queue.put(&wrap(message)).is_err() {
                    return 1;
                }
            }
            0
        });
        producer.start().expect("start a producer");
        producers.push(producer);
    }
    producers
}

/// Checks that `got` holds each producer's messages whole, each exactly once, in the order put.
fn check_all_arrived(got: &[Numbered], sizes: &[Vec<usize>], v: &mut Vec<String>) {
    for (p, sizes) in sizes.iter().enumerate() {
        let seqs: Vec<u32> = got.iter().filter(|m| m.producer as usize == p).map(|m| m.seq).collect();
        let expected: Vec<u32> = (0..sizes.len() as u32).collect();
        expect(v, seqs == expected, || {
            format!("producer {p} put {} messages; the consumer got seqs {seqs:?}", sizes.len())
        });
    }
    for m in got {
        let len = sizes.get(m.producer as usize).and_then(|s| s.get(m.seq as usize));
        let whole = len.is_some_and(|&len| m.body == body_of(m.producer, m.seq, len));
        expect(v, whole, || format!("message {} of producer {} arrived damaged", m.seq, m.producer));
    }
}

proptest! {
    #![proptest_config(config(24))]

    /// For 1 to 6 producers putting 0 to 200 messages each, of random sizes, some larger than
    /// PIPE_BUF: the consumer gets every message exactly once, whole, each producer's in the order put,
    /// and then the queue is empty.
    fn every_message_arrives_exactly_once_and_in_each_producers_order(sizes in producers(6, 200)) {
        one_consumer_case(sizes);
    }
}

/// 1 to `most` producers, each with the sizes of the 0 to `messages` messages it will put.
fn producers(most: usize, messages: usize) -> impl Strategy<Value = Vec<Vec<usize>>> {
    proptest::collection::vec(proptest::collection::vec(message_size(), 0..=messages), 1..=most)
}

fn one_consumer_case(sizes: Vec<Vec<usize>>) {
    in_runner(Duration::from_secs(30), |v| {
        let queue = Queue::<Numbered>::new().expect("queue");
        let mut producers = start_producers(&queue, &sizes, |m| m);
        let total: usize = sizes.iter().map(Vec::len).sum();
        let mut got = Vec::new();
        while got.len() < total {
            match queue.get_timeout(Duration::from_secs(10)) {
                Ok(Some(message)) => got.push(message),
                Ok(None) => {
                    v.push(format!("only {} of {total} messages arrived", got.len()));
                    break;
                }
                Err(e) => {
                    v.push(format!("get failed after {} of {total} messages: {e}", got.len()));
                    break;
                }
            }
        }
        for producer in &mut producers {
            let code = producer.join();
            expect(v, code == Ok(0), || format!("a producer ended with {code:?}"));
        }
        let extra = queue.get_timeout(Duration::ZERO);
        expect(v, matches!(extra, Ok(None)), || {
            format!("after all {total} messages, the queue gave {extra:?}")
        });
        check_all_arrived(&got, &sizes, v);
    });
}

proptest! {
    #![proptest_config(config(16))]

    /// With 1 to 3 consumers, each a child that gets until it finds a `None` and hands back what it
    /// got: every message reaches exactly one consumer, and each consumer sees a producer's messages in
    /// the order put.
    fn several_consumers_share_the_messages_exactly_once(
        sizes in producers(4, 100),
        consumers in 1usize..=3,
    ) {
        consumers_case(sizes, consumers);
    }
}

fn consumers_case(sizes: Vec<Vec<usize>>, consumers: usize) {
    in_runner(Duration::from_secs(30), |v| {
        let queue = Queue::<Option<Numbered>>::new().expect("queue");
        let mut handles = Vec::new();
        for _ in 0..consumers {
            let queue = queue.clone();
            let mut consumer = ResultProcess::new(move || {
                let mut got = Vec::new();
                while let Some(message) = queue.get().expect("get") {
                    got.push(message);
                }
                got
            })
            .expect("pipe");
            consumer.start().expect("start a consumer");
            handles.push(consumer);
        }
        let mut producers = start_producers(&queue, &sizes, Some);
        for producer in &mut producers {
            let code = producer.join();
            expect(v, code == Ok(0), || format!("a producer ended with {code:?}"));
        }
        for _ in 0..consumers {
            queue.put(&None).expect("put the end marker");
        }
        let mut all = Vec::new();
        for (c, consumer) in handles.into_iter().enumerate() {
            match consumer.join() {
                Ok(got) => {
                    for p in 0..sizes.len() as u8 {
                        let seqs: Vec<u32> = got.iter().filter(|m| m.producer == p).map(|m| m.seq).collect();
                        expect(v, seqs.is_sorted(), || {
                            format!("consumer {c} got producer {p}'s out of order: {seqs:?}")
                        });
                    }
                    all.extend(got);
                }
                Err(e) => v.push(format!("consumer {c} failed: {e}")),
            }
        }
        all.sort_by_key(|m| (m.producer, m.seq));
        check_all_arrived(&all, &sizes, v);
    });
}
// ANCHOR_END: queue

/// Six producers put forty messages each, every one larger than `PIPE_BUF`: all arrive whole.
fn messages_larger_than_pipe_buf_from_six_producers_arrive_whole() {
    in_runner(Duration::from_secs(30), |v| {
        let sizes: Vec<Vec<usize>> = (0..6)
            .map(|p| (0..40).map(|k| PIPE_BUF + 1 + (p * 40 + k) * 97 % (4 * PIPE_BUF)).collect())
            .collect();
        let queue = Queue::<Numbered>::new().expect("queue");
        let mut producers = start_producers(&queue, &sizes, |m| m);
        let got: Vec<Numbered> = (0..6 * 40).map_while(|_| queue.get().ok()).collect();
        for producer in &mut producers {
            let _ = producer.join();
        }
        check_all_arrived(&got, &sizes, v);
    });
}

// ANCHOR: atomic
proptest! {
    #![proptest_config(config(16))]

    /// Frames of at most PIPE_BUF bytes, each written with one `write`, need no lock: from 2 to 6
    /// writers at once, every frame arrives whole. (No counterexample is what POSIX promises.)
    fn frames_of_at_most_pipe_buf_arrive_whole_without_a_lock(sizes in writers()) {
        atomic_case(sizes);
    }
}

/// 2 to 6 writers, each with the sizes of up to 100 messages: a quarter of them just under `PIPE_BUF`.
fn writers() -> impl Strategy<Value = Vec<Vec<usize>>> {
    let size = prop_oneof![3 => 0usize..64, 1 => PIPE_BUF - 200..=PIPE_BUF - HEADER - 16];
    proptest::collection::vec(proptest::collection::vec(size, 0..=100), 2..=6)
}

fn atomic_case(sizes: Vec<Vec<usize>>) {
    in_runner(Duration::from_secs(30), |v| {
        let (reader, writer) = std::io::pipe().expect("pipe");
        let mut writers = Vec::new();
        for (p, sizes) in sizes.iter().enumerate() {
            let writer = &writer;
            let child = fork_and_run(move || {
                for (seq, &len) in sizes.iter().enumerate() {
                    let (producer, seq) = (p as u8, seq as u32);
                    let message = Numbered { producer, seq, body: body_of(producer, seq, len) };
                    let frame = encode_frame(&encode(&message).expect("encode")).expect("frame");
                    // One frame, one call: a write of at most PIPE_BUF bytes is all or nothing.
                    let written = (&*writer).write(&frame);
                    if frame.len() > PIPE_BUF || !matches!(written, Ok(n) if n == frame.len()) {
                        return 1;
                    }
                }
                0
            });
            writers.push(child.expect("fork"));
        }
        drop(writer);
        let mut got = Vec::new();
        loop {
            match read_frame(&reader) {
                Ok(Some(body)) => match decode::<Numbered>(&body) {
                    Ok(message) => got.push(message),
                    Err(e) => {
                        v.push(format!("a frame did not decode: {e}"));
                        break;
                    }
                },
                Ok(None) => break,
                Err(e) => {
                    v.push(format!("the stream broke: {e}"));
                    break;
                }
            }
        }
        for child in writers {
            let status = wait_for(child).map(|s| s.exitcode());
            expect(v, status == Ok(Some(0)), || format!("a writer ended with {status:?}"));
        }
        check_all_arrived(&got, &sizes, v);
    });
}
// ANCHOR_END: atomic

// ANCHOR: torn
/// The pipe's capacity in these tests, set explicitly: 64 KiB, Linux's default.
const PIPE_SIZE: usize = 64 * 1024;

/// A writes `room + extra` bytes into a pipe with `room` bytes free; while it waits for room, it is
/// stopped, the reader empties the pipe, and B writes 8 bytes. Returns what the reader got after the
/// filler, as runs of (byte, count).
fn two_writers(room: usize, extra: usize, lock: Option<&TokenLock>) -> Vec<(u8, usize)> {
    let (mut reader, writer) = std::io::pipe().expect("pipe");
    set_capacity(&writer, PIPE_SIZE).expect("F_SETPIPE_SZ");
    write_all(&writer, &vec![b'.'; PIPE_SIZE - room]).expect("filler");
    let write_under_lock = |message: Vec<u8>, writer: &PipeWriter| {
        let _held = lock.map(TokenLock::acquire);
        i32::from(write_all(writer, &message).is_err())
    };
    let a = fork_and_run(|| write_under_lock(vec![b'A'; room + extra], &writer)).expect("fork A");
    assert!(
        wait_for_bytes(&reader, PIPE_SIZE, Duration::from_secs(10)).expect("FIONREAD"),
        "A did not fill the pipe"
    );
    kill(a, Signal::SIGSTOP).expect("SIGSTOP");
    waitpid(a, Some(WaitPidFlag::WUNTRACED)).expect("A stopped");
    let mut got = vec![0u8; PIPE_SIZE];
    reader.read_exact(&mut got).expect("empty the pipe");
    let b = fork_and_run(|| write_under_lock(vec![b'B'; 8], &writer)).expect("fork B");
    if lock.is_none() {
        wait_for(b).expect("B");
    }
    kill(a, Signal::SIGCONT).expect("SIGCONT");
    wait_for(a).expect("A");
    if lock.is_some() {
        wait_for(b).expect("B");
    }
    drop(writer);
    reader.read_to_end(&mut got).expect("read the rest");
    let mut runs: Vec<(u8, usize)> = Vec::new();
    for &byte in &got[PIPE_SIZE - room..] {
        match runs.last_mut() {
            Some((last, n)) if *last == byte => *n += 1,
            _ => runs.push((byte, 1)),
        }
    }
    runs
}

proptest! {
    #![proptest_config(config(12))]

    /// A write longer than the room in the pipe goes in parts: without a lock, another writer's
    /// message lands between them, exactly where the room ran out; with the lock, it cannot.
    fn a_long_write_is_torn_without_the_lock_and_whole_with_it(pages in 1usize..=15, extra in 1usize..=64) {
        torn_case(pages * PIPE_BUF, extra);
    }
}

fn torn_case(room: usize, extra: usize) {
    let (torn, whole) = sandbox::expect(move || {
        let lock = TokenLock::new().expect("lock");
        (two_writers(room, extra, None), two_writers(room, extra, Some(&lock)))
    });
    assert_eq!(torn, [(b'A', room), (b'B', 8), (b'A', extra)], "without the lock");
    assert_eq!(whole, [(b'A', room + extra), (b'B', 8)], "with the lock");
}
// ANCHOR_END: torn

// ANCHOR: child_errors
/// How a task ends without returning.
#[derive(Debug, Clone)]
enum Ending {
    Panic(String),
    Exit(i32),
    Signal(Signal),
}

fn ending() -> impl Strategy<Value = Ending> {
    let signals =
        [Signal::SIGKILL, Signal::SIGTERM, Signal::SIGINT, Signal::SIGHUP, Signal::SIGUSR1, Signal::SIGALRM];
    prop_oneof![
        ".{0,30}".prop_map(Ending::Panic),
        (0i32..=255).prop_map(Ending::Exit),
        proptest::sample::select(signals.to_vec()).prop_map(Ending::Signal),
    ]
}

proptest! {
    #![proptest_config(config(32))]

    /// A task that panics, exits, or is killed hands back no value; `join` says which, with the
    /// panic's message, the exit code, or the signal.
    fn join_says_how_a_child_without_a_result_ended(ending in ending()) {
        ending_case(ending);
    }
}

fn ending_case(ending: Ending) {
    let wanted = match &ending {
        Ending::Panic(message) => format!("panicked: {message}"),
        Ending::Exit(code) => format!("exited: {code}"),
        Ending::Signal(signal) => format!("killed: {}", *signal as i32),
    };
    let said = sandbox::expect(move || {
        let mut child = ResultProcess::new(move || -> u8 {
            match ending {
                Ending::Panic(message) => panic!("{message}"),
                Ending::Exit(code) => lesson_01_fork::exit_now(code),
                Ending::Signal(signal) => {
                    // The test may run with the signal ignored or blocked (a shell ignores SIGINT in
                    // the commands it starts in the background): give it its default action first.
                    let default = SigAction::new(SigHandler::SigDfl, SaFlags::empty(), SigSet::empty());
                    // SAFETY: SIG_DFL installs no handler, so no code of ours can run in signal
                    // context. SIGKILL's action cannot be changed; that error is expected and harmless.
                    let _ = unsafe { sigaction(signal, &default) };
                    let _ = sigprocmask(SigmaskHow::SIG_UNBLOCK, Some(&SigSet::from(signal)), None);
                    let _ = raise(signal);
                    lesson_01_fork::exit_now(99)
                }
            }
        })
        .expect("pipe");
        child.start().expect("start");
        let name = child.name().to_string();
        match child.join() {
            Ok(value) => format!("returned {value}"),
            Err(ChildError::Panicked { name: n, message }) if n == name => format!("panicked: {message}"),
            Err(ChildError::Exited { name: n, code }) if n == name => format!("exited: {code}"),
            Err(ChildError::Killed { name: n, signal }) if n == name => format!("killed: {signal}"),
            Err(e) => format!("another error: {e}"),
        }
    });
    assert_eq!(said, wanted);
}
// ANCHOR_END: child_errors

// ANCHOR: large_result
/// A result of 1 MiB, sixteen times what the pipe holds, comes back: `join` reads before it waits.
fn a_result_larger_than_the_pipe_comes_back() {
    let len = sandbox::expect(|| {
        let mut child = ResultProcess::new(|| vec![7u8; 1 << 20]).expect("pipe");
        child.start().expect("start");
        child.join().map(|value| value.iter().filter(|&&b| b == 7).count()).unwrap_or(0)
    });
    assert_eq!(len, 1 << 20, "the 1 MiB result did not come back whole");
}

/// Dropping a handle without `join`, while its child is still writing a large result, does not hang:
/// the read end closes first, the child's write fails, and the child is reaped.
fn dropping_an_unjoined_result_process_does_not_hang() {
    let reaped = sandbox::expect(|| {
        let mut child = ResultProcess::new(|| vec![7u8; 1 << 20]).expect("pipe");
        child.start().expect("start");
        let pid = child.pid().expect("started");
        drop(child);
        !std::path::Path::new(&format!("/proc/{pid}")).exists()
    });
    assert!(reaped, "the child of a dropped ResultProcess was not reaped");
}
// ANCHOR_END: large_result

// ANCHOR: lock
proptest! {
    #![proptest_config(config(16))]

    /// From 2 to 6 processes take the lock in turns; each reports entering and leaving, and yields the
    /// CPU in between to give another process every chance to get in. The reports never overlap.
    fn the_token_lock_admits_one_holder_at_a_time(holders in 2usize..=6, rounds in 1usize..=20) {
        lock_case(holders, rounds);
    }
}

fn lock_case(holders: usize, rounds: usize) {
    in_runner(Duration::from_secs(30), |v| {
        let lock = TokenLock::new().expect("lock");
        let (mut reports, report_end) = std::io::pipe().expect("pipe");
        let mut children = Vec::new();
        for id in 0..holders as u8 {
            let (lock, report_end) = (&lock, &report_end);
            let child = fork_and_run(move || {
                for _ in 0..rounds {
                    let Ok(_held) = lock.acquire() else { return 1 };
                    let _ = (&*report_end).write_all(&[id, b'+']);
                    for _ in 0..3 {
                        std::thread::yield_now();
                    }
                    let _ = (&*report_end).write_all(&[id, b'-']);
                }
                0
            });
            children.push(child.expect("fork"));
        }
        drop(report_end);
        let mut bytes = Vec::new();
        reports.read_to_end(&mut bytes).expect("read the reports");
        for child in children {
            let _ = wait_for(child);
        }
        let n = bytes.len();
        expect(v, n == holders * rounds * 4, || format!("{n} report bytes for {holders} x {rounds} turns"));
        for turn in bytes.chunks(4) {
            let nested = turn.len() == 4 && turn[1] == b'+' && turn[3] == b'-' && turn[0] == turn[2];
            expect(v, nested, || format!("two holders at once: {turn:?}"));
        }
    });
}

/// `acquire_timeout` gives up on time while another process holds the lock, and succeeds once it is
/// released; `Queue::get_timeout` gives up on time on an empty queue.
fn timeouts_give_up_on_time() {
    in_runner(sandbox::DEFAULT_LIMIT, |v| {
        let lock = TokenLock::new().expect("lock");
        let (holding, wait_for_holder) = Gate::new().expect("gate").split();
        let (release, wait_for_release) = Gate::new().expect("gate").split();
        let child = fork_and_run(|| {
            let Ok(_held) = lock.acquire() else { return 1 };
            holding.open();
            wait_for_release.wait();
            0
        })
        .expect("fork");
        wait_for_holder.wait();
        let limit = Duration::from_millis(100);
        let began = Instant::now();
        let got = lock.acquire_timeout(limit).expect("acquire").is_some();
        let waited = began.elapsed();
        expect(v, !got, || "the lock was taken while another process held it".into());
        expect(v, waited >= limit, || format!("acquire_timeout gave up after {waited:?}, before {limit:?}"));
        release.open();
        let _ = wait_for(child);
        let got = lock.acquire_timeout(Duration::from_secs(5)).expect("acquire").is_some();
        expect(v, got, || "the lock was not free after its holder released it".into());

        let queue = Queue::<u8>::new().expect("queue");
        let began = Instant::now();
        let got = queue.get_timeout(limit);
        let waited = began.elapsed();
        expect(v, matches!(got, Ok(None)), || format!("get_timeout on an empty queue gave {got:?}"));
        expect(v, waited >= limit, || format!("get_timeout gave up after {waited:?}, before {limit:?}"));
    });
}
// ANCHOR_END: lock

// ANCHOR: record_lock
/// A child takes the record lock and says so through a gate. While it holds the lock, the parent
/// cannot take it and `holder` names the child. The parent kills the child with SIGKILL and reaps it:
/// then the lock is free, released by the kernel (a token lock's token would have died with the child).
fn a_record_lock_is_released_when_its_holder_dies() {
    in_runner(sandbox::DEFAULT_LIMIT, |v| {
        let lock = RecordLock::new().expect("lock");
        let (holding, wait_for_holder) = Gate::new().expect("gate").split();
        // Never opened: the child waits at it, holding the lock, until it is killed.
        let (_never, forever) = Gate::new().expect("gate").split();
        let child = fork_and_run(|| {
            let Ok(_held) = lock.acquire() else { return 1 };
            holding.open();
            forever.wait();
            0
        })
        .expect("fork");
        wait_for_holder.wait();
        let taken = lock.try_acquire().expect("F_SETLK").is_some();
        expect(v, !taken, || "the parent took the lock while the child held it".into());
        let holder = lock.holder().expect("F_GETLK");
        expect(v, holder == Some(child), || format!("holder() said {holder:?}; the child is {child}"));
        kill(child, Signal::SIGKILL).expect("SIGKILL");
        let status = wait_for(child).map(|s| s.exitcode());
        expect(v, status == Ok(Some(-9)), || format!("the child ended with {status:?}, not by SIGKILL"));
        let holder = lock.holder().expect("F_GETLK");
        expect(v, holder.is_none(), || format!("after the holder died, holder() said {holder:?}"));
        let taken = lock.try_acquire().expect("F_SETLK").is_some();
        expect(v, taken, || "the lock was not free after its holder was killed".into());
    });
}

/// The parent holds the record lock and forks: the child does not hold it (a record lock belongs to a
/// process, and is not inherited), cannot take it, and `holder` names the parent. The parent, asking
/// again while it holds the lock, gets it at once: the lock excludes processes, not a second request
/// of the holder's own.
fn a_forked_child_does_not_hold_its_parents_record_lock() {
    in_runner(sandbox::DEFAULT_LIMIT, |v| {
        let lock = RecordLock::new().expect("lock");
        let _held = lock.acquire().expect("F_SETLKW");
        let parent = lesson_01_fork::getpid();
        let child = fork_and_run(|| match (lock.try_acquire(), lock.holder()) {
            (Ok(Some(_)), _) => 1,
            (Ok(None), Ok(Some(holder))) if holder == parent => 0,
            _ => 2,
        })
        .expect("fork");
        let status = wait_for(child).map(|s| s.exitcode());
        expect(v, status != Ok(Some(1)), || "the child took the lock its parent held".into());
        expect(v, status == Ok(Some(0)), || format!("the child ended with {status:?}"));
        let again = lock.try_acquire().expect("F_SETLK").is_some();
        expect(v, again, || "the parent, holding the lock, could not take it again".into());
    });
}
// ANCHOR_END: record_lock

// ANCHOR: packets
/// What a packet reader sends when it has had its last message: every test message's bytes are 128 or
/// more, so none is this.
const STOP: &[u8] = b"stop";

/// Message `index` of `len` bytes: bytes that follow from both, every one 128 or more.
fn packet_body(index: usize, len: usize) -> Vec<u8> {
    (0..len).map(|k| 0x80 | ((k * 7 + k / 128 + index * 13) % 128) as u8).collect()
}

/// A message's length and a hash of its bytes: 16 bytes that tell a whole message from a damaged one.
fn fingerprint(message: &[u8]) -> [u8; 16] {
    let mut hasher = DefaultHasher::new();
    hasher.write(message);
    let mut print = [0u8; 16];
    print[..8].copy_from_slice(&(message.len() as u64).to_le_bytes());
    print[8..].copy_from_slice(&hasher.finish().to_le_bytes());
    print
}

/// A size: some small, some up to `INLINE_MAX`, some just around it, and many beyond, up to 200 KiB,
/// whose bodies travel in a file.
fn packet_size() -> impl Strategy<Value = usize> {
    prop_oneof![
        2 => 0usize..=64,
        2 => 65..=INLINE_MAX,
        1 => INLINE_MAX - 1..=INLINE_MAX + 1,
        3 => INLINE_MAX + 1..=200 * 1024,
    ]
}

proptest! {
    #![proptest_config(config(12))]

    /// The parent sends 1 to 16 messages of 0 to 200 KiB; three readers, each a child, take them and
    /// report each one (the reader's number, the message's length and hash) through a pipe. Every
    /// message is received exactly once and whole, each reader gets its messages in the order sent, and
    /// `peek(n)` at the first message gives its first n bytes, for n of 0 to 100, 65 and 1000.
    fn packets_arrive_whole_and_in_order_whatever_their_size(
        sizes in proptest::collection::vec(packet_size(), 1..=16),
        peek_len in 0usize..=100,
    ) {
        packets_case(sizes, peek_len);
    }
}

/// Takes messages and reports each, until a [`STOP`]; 0 if all went well.
fn take_and_report(queue: &PacketQueue, reports: &PipeWriter, reader: u8) -> i32 {
    loop {
        match queue.recv() {
            Ok(message) if message == STOP => return 0,
            Ok(message) => {
                let mut report = vec![reader];
                report.extend(fingerprint(&message));
                // 17 bytes, one write: reports from the three readers never mix.
                if (&*reports).write_all(&report).is_err() {
                    return 2;
                }
            }
            Err(_) => return 1,
        }
    }
}

fn packets_case(sizes: Vec<usize>, peek_len: usize) {
    in_runner(sandbox::DEFAULT_LIMIT, |v| {
        let queue = PacketQueue::new().expect("socketpair");
        let messages: Vec<Vec<u8>> = sizes.iter().enumerate().map(|(i, &len)| packet_body(i, len)).collect();
        // The first message is sent before any reader exists, so the parent peeks at it alone.
        queue.send(&messages[0]).expect("send");
        let head = &messages[0];
        for n in [peek_len, 65, 1000] {
            let peeked = queue.peek(n);
            let wanted = &head[..n.min(head.len())];
            expect(v, matches!(&peeked, Ok(Some(p)) if p == wanted), || {
                let peeked = peeked.map(|p| p.map(|p| p.len()));
                format!(
                    "peek({n}) at a message of {} bytes gave {peeked:?} bytes, or the wrong ones",
                    head.len()
                )
            });
        }

        let (mut reports, report_end) = std::io::pipe().expect("pipe");
        let mut readers = Vec::new();
        for reader in 0..3u8 {
            let (queue, report_end) = (&queue, &report_end);
            readers.push(fork_and_run(move || take_and_report(queue, report_end, reader)).expect("fork"));
        }
        drop(report_end);
        // The stops go last: a reader that takes one has seen the queue empty of messages.
        for message in messages[1..].iter().map(Vec::as_slice).chain([STOP; 3]) {
            queue.send(message).expect("send");
        }
        let mut bytes = Vec::new();
        reports.read_to_end(&mut bytes).expect("read the reports");
        for reader in readers {
            let status = wait_for(reader).map(|s| s.exitcode());
            expect(v, status == Ok(Some(0)), || format!("a reader ended with {status:?}"));
        }
        let left = queue.try_recv();
        expect(v, matches!(left, Ok(None)), || format!("after the stops, the queue gave {left:?}"));

        let sent: Vec<[u8; 16]> = messages.iter().map(|m| fingerprint(m)).collect();
        let mut got: Vec<[u8; 16]> = Vec::new();
        for reader in 0..3u8 {
            let taken: Vec<[u8; 16]> = bytes
                .chunks(17)
                .filter(|report| report[0] == reader)
                .map(|report| report[1..].try_into().expect("17-byte reports"))
                .collect();
            // In the order sent: the reader's messages are a subsequence of the messages sent.
            let mut rest = sent.iter();
            let in_order = taken.iter().all(|print| rest.any(|sent| sent == print));
            expect(v, in_order, || {
                format!("reader {reader}'s messages are not in the order sent (or one of them is damaged)")
            });
            got.extend(taken);
        }
        let (mut got_sorted, mut sent_sorted) = (got, sent);
        got_sorted.sort();
        sent_sorted.sort();
        expect(v, got_sorted == sent_sorted, || {
            let sent = sent_sorted.len();
            let got = got_sorted.len();
            format!("{sent} messages sent of sizes {sizes:?}; {got} received, or some damaged or twice")
        });
    });
}

/// A reader takes the first of three messages and is killed with SIGKILL; the other two come out
/// whole, in order, and then the queue is empty. Once with the first message in a file and the next
/// inline, once the other way round.
fn a_reader_that_dies_loses_only_the_message_it_took() {
    in_runner(sandbox::DEFAULT_LIMIT, |v| {
        for sizes in [[100_000, 10, 70_000], [10, 100_000, 20]] {
            let queue = PacketQueue::new().expect("socketpair");
            let messages: Vec<Vec<u8>> =
                sizes.iter().enumerate().map(|(i, &len)| packet_body(i, len)).collect();
            for message in &messages {
                queue.send(message).expect("send");
            }
            let (mut report, report_end) = std::io::pipe().expect("pipe");
            let (took, wait_for_taker) = Gate::new().expect("gate").split();
            let (_never, forever) = Gate::new().expect("gate").split();
            let child = fork_and_run(|| {
                let Ok(message) = queue.recv() else { return 1 };
                let _ = (&report_end).write_all(&fingerprint(&message));
                took.open();
                forever.wait();
                0
            })
            .expect("fork");
            wait_for_taker.wait();
            kill(child, Signal::SIGKILL).expect("SIGKILL");
            let _ = wait_for(child);
            let mut taken = [0u8; 16];
            let reported = report.read_exact(&mut taken).is_ok();
            expect(v, reported && taken == fingerprint(&messages[0]), || {
                format!("of messages of {sizes:?} bytes, the reader did not take the first whole")
            });
            for (k, message) in messages.iter().enumerate().skip(1) {
                let got = queue.try_recv();
                expect(v, matches!(&got, Ok(Some(m)) if m == message), || {
                    let got = got.map(|m| m.map(|m| m.len()));
                    format!("of {sizes:?}, message {k} came out as {got:?} (its length), not whole")
                });
            }
            let left = queue.try_recv();
            expect(v, matches!(left, Ok(None)), || format!("after the messages, the queue gave {left:?}"));
        }
    });
}
// ANCHOR_END: packets

/// The numbers the chapter quotes: PIPE_BUF is 4 KiB on Linux, and a new pipe holds 64 KiB.
fn pipe_buf_is_4_kib_and_a_new_pipe_holds_64_kib() {
    assert_eq!(PIPE_BUF, 4096);
    let (_reader, writer) = std::io::pipe().expect("pipe");
    assert_eq!(capacity(&writer).expect("F_GETPIPE_SZ"), 64 * 1024);
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        end_of_file_comes_only_when_every_write_end_is_closed,
        any_value_round_trips_through_a_child_unchanged,
        any_truncation_of_a_frame_is_an_error,
        split_frame_takes_out_whole_frames_whatever_pieces_they_arrive_in,
        encode_as_frame_is_the_frame_of_the_encoding,
        corrupt_bytes_give_an_error_never_a_panic,
        every_message_arrives_exactly_once_and_in_each_producers_order,
        several_consumers_share_the_messages_exactly_once,
        messages_larger_than_pipe_buf_from_six_producers_arrive_whole,
        frames_of_at_most_pipe_buf_arrive_whole_without_a_lock,
        a_long_write_is_torn_without_the_lock_and_whole_with_it,
        join_says_how_a_child_without_a_result_ended,
        a_result_larger_than_the_pipe_comes_back,
        dropping_an_unjoined_result_process_does_not_hang,
        the_token_lock_admits_one_holder_at_a_time,
        timeouts_give_up_on_time,
        a_record_lock_is_released_when_its_holder_dies,
        a_forked_child_does_not_hold_its_parents_record_lock,
        packets_arrive_whole_and_in_order_whatever_their_size,
        a_reader_that_dies_loses_only_the_message_it_took,
        pipe_buf_is_4_kib_and_a_new_pipe_holds_64_kib,
    ])
}
