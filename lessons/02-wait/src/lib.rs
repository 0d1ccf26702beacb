//! Chapter 2 of *From fork to Pool*: wait, exit statuses, zombies and orphans.
//!
//! - [`ExitStatus`](status::ExitStatus): what `waitpid` says about a child — exited with a code,
//!   killed by a signal (with or without a core dump), stopped, continued — and its Python-style
//!   exit code;
//! - [`wait_for`](wait::wait_for), [`try_wait`](wait::try_wait), [`wait_any`](wait::wait_any):
//!   waiting for one child, polling without blocking (`WNOHANG`), waiting for whichever ends first;
//!   [`wait_for_change`](wait::wait_for_change) also reports stops and continues;
//! - [`wait_without_reaping`](wait::wait_without_reaping): knowing a child has ended while leaving it
//!   a zombie (`waitid` with `WNOWAIT`);
//! - [`waitpid_raw`](raw::waitpid_raw): the status integer as C and Python see it, undecoded;
//! - [`proc_state`](proc::proc_state) and [`proc_stat`](proc::proc_stat): a process's state letter
//!   (`Z` for a zombie) and parent, from `/proc/PID/stat`;
//! - [`become_subreaper`](reaper::become_subreaper): adopt orphaned descendants instead of init;
//! - [`disable_core_dumps`](coredump::disable_core_dumps): no core file from a child about to be killed.

pub mod coredump;
pub mod proc;
pub mod raw;
pub mod reaper;
pub mod status;
pub mod wait;

pub use coredump::disable_core_dumps;
pub use proc::{ProcStat, parse_stat, proc_stat, proc_state};
pub use raw::waitpid_raw;
pub use reaper::{become_subreaper, is_subreaper};
pub use status::ExitStatus;
pub use wait::{WaitError, try_wait, wait_any, wait_for, wait_for_change, wait_without_reaping};
