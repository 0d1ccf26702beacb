//! Chapter 8 of *From fork to Pool*: signals, process groups and sessions, and Ctrl-C through a pool.
//!
//! One concept a file:
//!
//! - [`action`]: what each signal does to a process that has not asked for anything else;
//! - [`handler`]: `sigaction` handlers, and the one thing ours do — note that the signal came;
//! - [`mask`]: blocking signals, and the signals pending while they are blocked;
//! - [`self_pipe`]: a handler that writes to a pipe, so that a loop waiting in `poll` wakes;
//! - [`signalfd`]: blocked signals read from a descriptor, with no handler at all;
//! - [`status`]: a process's signal state as the kernel shows it in `/proc/PID/status`;
//! - [`group`]: process groups and sessions, and a signal sent to a whole group;
//! - [`terminal`]: a pseudo-terminal of our own, to type Ctrl-C on;
//! - [`interrupt`]: Ctrl-C and SIGTERM turned into an error that chapter 6's pool returns.

pub mod action;
pub mod group;
pub mod handler;
pub mod interrupt;
pub mod mask;
pub mod self_pipe;
pub mod signalfd;
pub mod status;
pub mod terminal;

pub use action::{DefaultAction, default_action};
pub use interrupt::Interrupts;
pub use status::SignalState;
