//! Graded tests for chapter 4, compiled against `exercises` (yours) and `solutions`.
//!
//! Each call of your code runs in a sandbox (`testkit::sandbox`): a child process with a time limit,
//! so a panic, an endless loop, a read that waits for an end-of-file that never comes, or a child left
//! unreaped is reported as a failure with advice, and never hangs or breaks the test run.

use std::io::Read;
use std::process::ExitCode;

use lesson_01_fork::{getpid, getppid};
use lesson_04_pipes::{FrameError, FramePart, MAX_FRAME, encode_frame};
use testkit::sandbox::{self, Failure, call};
use workbook::ch04_pipes::*;

/// Runs `code` in the sandbox, like `sandbox::expect`; on a time-out, fails with `advice` instead of
/// the generic message.
macro_rules! run_with_advice {
    ($advice:expr, $code:expr) => {{
        let outcome = sandbox::run(sandbox::DEFAULT_LIMIT, $code);
        if let Err(Failure::TimedOut(limit)) = &outcome.result {
            panic!("did not finish within {}s: {}", limit.as_secs_f32(), $advice);
        }
        outcome.value_with_children_reaped()
    }};
}

mod read_message {
    use super::*;

    /// A reader that hands out at most `step` bytes a call and, if `interrupt`, fails with
    /// `Interrupted` before every other read, as a signal would make a real `read` fail.
    struct Trickle {
        bytes: Vec<u8>,
        at: usize,
        step: usize,
        interrupt: bool,
        interrupted_last: bool,
    }

    impl Trickle {
        fn new(bytes: Vec<u8>, step: usize, interrupt: bool) -> Trickle {
            Trickle { bytes, at: 0, step, interrupt, interrupted_last: false }
        }
    }

    impl Read for Trickle {
        fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
            if self.interrupt && !self.interrupted_last {
                self.interrupted_last = true;
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            self.interrupted_last = false;
            let n = buffer.len().min(self.step).min(self.bytes.len() - self.at);
            buffer[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    /// What `read_message` gave, in words a test can compare.
    fn seen(outcome: Result<Option<Vec<u8>>, FrameError>) -> String {
        match outcome {
            Ok(None) => "the end".to_string(),
            Ok(Some(body)) => format!("a body of {} bytes: {:?}", body.len(), String::from_utf8_lossy(&body)),
            Err(FrameError::Truncated { part: FramePart::Header, expected, got }) => {
                format!("Truncated {{ part: Header, expected: {expected}, got: {got} }}")
            }
            Err(FrameError::Truncated { part: FramePart::Body, expected, got }) => {
                format!("Truncated {{ part: Body, expected: {expected}, got: {got} }}")
            }
            Err(FrameError::BadHeader { declared }) => format!("BadHeader {{ declared: {declared} }}"),
            Err(e) => format!("another error: {e}"),
        }
    }

    /// Frames of these bodies, one after another.
    fn frames(bodies: &[&[u8]]) -> Vec<u8> {
        bodies.iter().flat_map(|body| encode_frame(body).expect("frame")).collect()
    }

    /// Reads messages until the end or an error, and says what each read gave.
    fn read_all(reader: &mut impl Read) -> Vec<String> {
        let mut seen_so_far = Vec::new();
        loop {
            let outcome = seen(read_message(reader));
            let last = !outcome.starts_with("a body");
            seen_so_far.push(outcome);
            if last || seen_so_far.len() > 10 {
                return seen_so_far;
            }
        }
    }

    pub fn reads_a_whole_frame() {
        let got = sandbox::expect(|| call(|| seen(read_message(&mut &frames(&[b"hello"])[..]))));
        assert_eq!(got, "a body of 5 bytes: \"hello\"", "the stream held one frame of \"hello\"");
    }

    pub fn reads_frames_one_after_another_then_a_clean_end() {
        let got = sandbox::expect(|| {
            let stream = frames(&[b"one", b"", b"three"]);
            call(|| read_all(&mut &stream[..]))
        });
        let expected = [
            "a body of 3 bytes: \"one\"",
            "a body of 0 bytes: \"\"",
            "a body of 5 bytes: \"three\"",
            "the end",
        ];
        assert_eq!(got, expected, "three frames (one of them empty), then the end of the stream");
    }

    pub fn survives_short_reads_and_interruptions() {
        let long = vec![b'x'; 300];
        let got = sandbox::expect(move || {
            let stream = frames(&[b"hi", &long, b"bye"]);
            call(|| read_all(&mut Trickle::new(stream, 1, true)))
        });
        let expected = [
            "a body of 2 bytes: \"hi\"".to_string(),
            format!("a body of 300 bytes: {:?}", "x".repeat(300)),
            "a body of 3 bytes: \"bye\"".to_string(),
            "the end".to_string(),
        ];
        assert_eq!(
            got, expected,
            "a reader that gives one byte a call and fails with Interrupted before every other call: \
             call read again until you have the whole header, then the whole body"
        );
    }

    pub fn a_stream_that_ends_in_the_header_is_truncated() {
        let got = sandbox::expect(|| call(|| seen(read_message(&mut &[5u8, 0][..]))));
        assert_eq!(
            got, "Truncated { part: Header, expected: 4, got: 2 }",
            "the stream ended after 2 of the 4 header bytes"
        );
    }

    pub fn a_stream_that_ends_in_the_body_is_truncated() {
        let got = sandbox::expect(|| {
            let mut stream = 8u32.to_le_bytes().to_vec();
            stream.extend_from_slice(b"abc");
            call(|| seen(read_message(&mut Trickle::new(stream, 2, false))))
        });
        assert_eq!(
            got, "Truncated { part: Body, expected: 8, got: 3 }",
            "the header announced 8 bytes and the stream ended after 3"
        );
    }

    pub fn a_header_over_the_limit_is_a_bad_header() {
        let declared = MAX_FRAME + 1;
        let got = sandbox::expect(move || {
            let stream = (declared as u32).to_le_bytes().to_vec();
            call(|| seen(read_message(&mut &stream[..])))
        });
        assert_eq!(
            got,
            format!("BadHeader {{ declared: {declared} }}"),
            "the header declared MAX_FRAME + 1 bytes: return BadHeader before you read the body"
        );
    }

    pub fn reads_nothing_past_the_end_of_the_frame() {
        let left = sandbox::expect(|| {
            let mut stream = frames(&[b"mine"]);
            stream.extend_from_slice(b"NEXT");
            let mut reader = &stream[..];
            call(|| read_message(&mut reader)).map(|_| reader.to_vec()).unwrap_or_default()
        });
        assert_eq!(
            String::from_utf8_lossy(&left),
            "NEXT",
            "the bytes after the frame belong to the next message: \
             read exactly the header, then exactly the body"
        );
    }
}

mod value_from_child {
    use super::*;

    const NO_EOF: &str = "if the task dies without sending, recv() waits for an end-of-file that \
                          comes only once every copy of the write end is closed: drop the parent's \
                          own sender (a `move` closure given to fork_and_run does it) before you read";

    pub fn returns_the_value_the_task_returned() {
        let got = sandbox::expect(|| call(|| value_from_child(|| vec![3, 1, 4, 1, 5])));
        assert_eq!(got, Some(vec![3, 1, 4, 1, 5]), "the task returned [3, 1, 4, 1, 5]");
    }

    pub fn runs_the_task_in_a_child_of_the_caller() {
        let (caller, got) = sandbox::expect(|| {
            let task = || vec![getpid().as_raw() as u32, getppid().as_raw() as u32];
            (getpid().as_raw() as u32, call(|| value_from_child(task)))
        });
        let got = got.expect("the task returned a value, yet got None");
        assert_ne!(got[0], caller, "the task ran in the caller: run it in a child");
        assert_eq!(got[1], caller, "the task ran in a process that is not a child of the caller");
    }

    pub fn a_value_larger_than_the_pipe_comes_back() {
        let advice = "a child cannot finish writing a value larger than the pipe while nobody reads: \
                      recv() before you wait_for the child";
        let got = run_with_advice!(advice, || call(|| value_from_child(|| (0..100_000).collect())));
        let expected: Vec<u32> = (0..100_000).collect();
        assert!(
            got == Some(expected),
            "the task returned the 100000 numbers 0, 1, 2, …; they did not all come back"
        );
    }

    pub fn a_task_that_panics_gives_none() {
        let got = run_with_advice!(NO_EOF, || call(|| value_from_child(|| panic!("the task failed"))));
        assert_eq!(got, None, "the task panicked and sent nothing, yet got {got:?}");
    }

    pub fn a_child_killed_by_a_signal_gives_none() {
        let task = || {
            let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGKILL);
            vec![1]
        };
        let got = run_with_advice!(NO_EOF, || call(|| value_from_child(task)));
        assert_eq!(got, None, "SIGKILL ended the child before it sent anything, yet got {got:?}");
    }
}

mod fan_out {
    use super::*;

    const ADVICE: &str = "read the answers until end-of-file, and only then wait for the children: a child \
                          cannot finish writing while the pipe is full and nobody reads; and drop the \
                          parent's own sender first, or end-of-file never comes";

    pub fn returns_every_answer_in_input_order() {
        for (n, workers) in [(1, 1), (10, 1), (10, 3), (50, 4), (5, 8)] {
            let got = run_with_advice!(ADVICE, move || {
                let inputs: Vec<u64> = (0..n).collect();
                call(|| fan_out(&inputs, workers, |x| x * x + 1))
            });
            let expected: Vec<u64> = (0..n).map(|x| x * x + 1).collect();
            assert_eq!(got, expected, "fan_out of x * x + 1 over 0..{n} with {workers} workers");
        }
    }

    pub fn returns_nothing_for_no_inputs() {
        let got = run_with_advice!(ADVICE, || call(|| fan_out(&[], 3, |x| x)));
        assert!(got.is_empty(), "no inputs, no answers; got {got:?}");
    }

    pub fn child_k_takes_the_inputs_at_k_k_plus_workers_and_so_on() {
        for (n, workers) in [(12, 3), (7, 2), (3, 5)] {
            let (caller, pids) = run_with_advice!(ADVICE, move || {
                let inputs: Vec<u64> = (0..n).collect();
                (getpid().as_raw() as u64, call(|| fan_out(&inputs, workers, |_| getpid().as_raw() as u64)))
            });
            assert_eq!(pids.len(), n as usize, "{n} inputs, {} answers", pids.len());
            assert!(!pids.contains(&caller), "some tasks ran in the caller: run them in the children");
            let mut distinct = pids.clone();
            distinct.sort();
            distinct.dedup();
            let children = workers.min(n as usize);
            assert_eq!(
                distinct.len(),
                children,
                "{n} inputs and {workers} workers should use {children} children"
            );
            for i in 0..pids.len() {
                for j in 0..pids.len() {
                    assert_eq!(
                        pids[i] == pids[j],
                        i % workers == j % workers,
                        "inputs {i} and {j}: child k takes the inputs at positions k, k + workers, …"
                    );
                }
            }
        }
    }

    pub fn gathers_more_answers_than_the_pipe_holds() {
        let got = run_with_advice!(ADVICE, || {
            let inputs: Vec<u64> = (0..20_000).collect();
            call(|| fan_out(&inputs, 4, |x| x + 1))
        });
        let expected: Vec<u64> = (1..=20_000).collect();
        assert!(
            got == expected,
            "20000 answers, far more than the pipe holds, did not all come back in order"
        );
    }
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        read_message::reads_a_whole_frame,
        read_message::reads_frames_one_after_another_then_a_clean_end,
        read_message::survives_short_reads_and_interruptions,
        read_message::a_stream_that_ends_in_the_header_is_truncated,
        read_message::a_stream_that_ends_in_the_body_is_truncated,
        read_message::a_header_over_the_limit_is_a_bad_header,
        read_message::reads_nothing_past_the_end_of_the_frame,
        value_from_child::returns_the_value_the_task_returned,
        value_from_child::runs_the_task_in_a_child_of_the_caller,
        value_from_child::a_value_larger_than_the_pipe_comes_back,
        value_from_child::a_task_that_panics_gives_none,
        value_from_child::a_child_killed_by_a_signal_gives_none,
        fan_out::returns_every_answer_in_input_order,
        fan_out::returns_nothing_for_no_inputs,
        fan_out::child_k_takes_the_inputs_at_k_k_plus_workers_and_so_on,
        fan_out::gathers_more_answers_than_the_pipe_holds,
    ])
}
