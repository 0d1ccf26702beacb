//! Chapter 6 of *From fork to Pool*: a [`Pool`] like Python's `multiprocessing.Pool`.
//!
//! Built from the book's own pieces: workers are started by chapter 5's start methods and find their
//! tasks by name in chapter 5's registry; they take tasks from chapter 4's `PacketQueue` under its
//! `RecordLock` and report on chapter 4's frames; the pool watches them through chapter 3's pidfds
//! and reaps them with chapter 2's waits. The files are in layers, each using only those below it:
//!
//! 1. state: [`error`], [`job`], `task`, `protocol`, `state`, and the worker's own loop,
//!    [`worker`], which sleeps on the queue through `wake_one`;
//! 2. starting a worker: `start`;
//! 3. the roles, which CPython gives a thread each: `dispatch` (put tasks into the shared queue),
//!    `collect` (read reports, complete jobs), `watch` (bury dead workers, name the task a dead
//!    worker held, start new ones), and `shutdown`;
//! 4. the event loop: `engine`;
//! 5. the public types: [`Pool`] ([`pool`], with its calls in [`apply`], [`map`], [`imap`]),
//!    [`AsyncResult`] and [`MapResult`] ([`async_result`], over `handle`), and `gather`.
//!
//! Workers run on their own: they take tasks from the shared queue while the caller does other
//! things. The parent has no threads, so it can always fork a replacement safely.

pub mod apply;
pub mod async_result;
mod collect;
mod dispatch;
mod engine;
pub mod error;
mod gather;
mod handle;
pub mod imap;
pub mod job;
pub mod map;
pub mod pool;
mod protocol;
mod shutdown;
mod start;
mod state;
mod task;
pub mod timeline;
mod wake_one;
mod watch;
pub mod worker;

pub use async_result::{AsyncResult, MapResult};
pub use error::PoolError;
pub use imap::IMap;
pub use pool::{Pool, PoolOptions};
pub use worker::{Initializer, WORKER};
