//! The exercises, solved. Each module mirrors the one in `exercises/` line for line except the
//! bodies, so a diff of the two files is the answer and nothing else.

pub mod ch01_fork;
pub mod ch02_wait;
pub mod ch03_process;
pub mod ch04_pipes;
pub mod ch05_start_methods;
pub mod ch06_pool;
pub mod ch08_signals;
pub mod ch09_shared_state;
pub mod ch10_beyond;
