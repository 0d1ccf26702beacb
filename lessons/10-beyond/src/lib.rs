//! Chapter 10 of *From fork to Pool*: the pool's ideas on a distributed engine. Work is started as
//! several processes of one program that find each other over TCP — here all on this machine, over
//! loopback — as timely dataflow does it.
//!
//! - [`work`]: the function the book maps, the same on every engine;
//! - [`hosts`]: a host file of free loopback addresses, one line a process, for timely's `-h`;
//! - [`cluster`]: starting the processes of one run, and collecting what each printed;
//! - [`measure`]: the chapter's benchmark, what a distributed engine costs on one machine.

pub mod cluster;
pub mod hosts;
pub mod measure;
pub mod work;
