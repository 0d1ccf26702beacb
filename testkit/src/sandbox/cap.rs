//! The cap on how many processes a sandbox's runner and its descendants may have: a pids cgroup,
//! or RLIMIT_NPROC where there is none (see [`crate::limits`]).

use std::sync::Mutex;

use crate::limits::{MAX_PROCESSES, PidsCgroup, nproc_limit, set_nproc_limit};

/// The cap on the number of processes the runner and its descendants may have (see [`crate::limits`]).
struct Cap {
    cgroup: Option<PidsCgroup>,
    nproc: Option<u64>,
}

static CAP: Mutex<Option<Cap>> = Mutex::new(None);

/// Sets the cap up once per test process, before the first runner is forked.
pub(super) fn prepare_cap() {
    let mut cap = CAP.lock().unwrap_or_else(|e| e.into_inner());
    if cap.is_none() {
        *cap = Some(Cap {
            cgroup: PidsCgroup::create("fork-to-pool-sandbox", MAX_PROCESSES),
            nproc: nproc_limit(),
        });
    }
}

/// Puts the runner (the calling process) under the cap.
pub(super) fn enter_cap() {
    let cap = CAP.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(cap) = cap.as_ref() {
        if let Some(cgroup) = &cap.cgroup {
            let _ = cgroup.enter();
        }
        if let Some(limit) = cap.nproc {
            set_nproc_limit(limit);
        }
    }
}

/// Removes the cap's cgroup. The harness calls it once every test has ended.
pub fn release_cap() {
    CAP.lock().unwrap_or_else(|e| e.into_inner()).take();
}
