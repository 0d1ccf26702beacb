//! Chapter 6 of *From fork to Pool*: a [`Pool`] like Python's `multiprocessing.Pool`.
//!
//! Built from the book's own pieces: workers are forked with chapter 1's `fork`, reaped with chapter 2's
//! waits, watched through chapter 3's pidfds, and fed through chapter 4's frames. The pool's three roles,
//! which CPython gives a thread each, are three files here, run by one event loop in the parent:
//!
//! - [`dispatch`]: hand queued tasks to idle workers, one task per worker at a time;
//! - [`collect`]: read finished results and complete their [`AsyncResult`]s;
//! - [`watch`]: notice a worker that died, fail the task it held, reap it and start another.
//!
//! The parent has no threads, so replacing a worker is a plain, safe `fork`. The loop runs whenever
//! the caller waits on the pool: `get`, `wait`, `map`, `join` and the rest.

pub mod async_result;
pub mod collect;
pub mod dispatch;
pub mod error;
pub mod gather;
pub mod imap;
pub mod job;
pub mod pool;
pub mod server;
pub mod task;
pub mod timeline;
pub mod watch;
pub mod worker;

pub use async_result::{AsyncResult, MapResult};
pub use error::PoolError;
pub use pool::{Pool, PoolOptions};
pub use worker::{StartMethod, init};
