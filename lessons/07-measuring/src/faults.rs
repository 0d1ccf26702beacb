//! Page faults: the kernel stepping in when a process touches a page it has not mapped yet, or
//! writes to a page it still shares with a forked child or parent.
//!
//! After a fork, parent and child share every page, each marked read-only; the first write to a page,
//! on either side, faults, and the kernel gives the writer its own copy (copy-on-write). So every page
//! that a start writes to, in the child or in the parent while the child lives, costs a fault. Counted,
//! they explain much of what a start costs above its floor: the count does not depend on how busy the
//! machine is, where a time does.

use nix::sys::resource::{UsageWho, getrusage};

use crate::floors::Error;

/// The minor page faults of this process and of every child of it that has been reaped.
pub fn minor_faults() -> Result<u64, Error> {
    let own = getrusage(UsageWho::RUSAGE_SELF)?.minor_page_faults();
    let children = getrusage(UsageWho::RUSAGE_CHILDREN)?.minor_page_faults();
    Ok(u64::try_from(own + children)?)
}

// ANCHOR: faults_of
/// The page faults that `work` causes, in this process and in the children it reaps.
pub fn faults_of(work: impl FnOnce() -> Result<f64, Error>) -> Result<f64, Error> {
    let before = minor_faults()?;
    work()?;
    Ok((minor_faults()? - before) as f64)
}
// ANCHOR_END: faults_of
