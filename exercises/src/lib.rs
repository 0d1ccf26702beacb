//! Your exercises. Each chapter is a module; each exercise is a function whose body is `todo!()`.
//! Replace the `todo!()` with your code, then run `cargo run` at the workspace root: the grader runs
//! the graded tests (`tests/graded/`) and shows what is done and what comes next.

pub mod ch01_fork;
pub mod ch02_wait;
pub mod ch03_process;
pub mod ch04_pipes;
pub mod ch05_start_methods;
pub mod ch06_pool;
pub mod ch08_signals;
pub mod ch09_shared_state;
pub mod ch10_beyond;
