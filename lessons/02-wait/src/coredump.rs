//! Turning core dumps off in a child that is about to be killed by SIGABRT, SIGSEGV or SIGQUIT.

use nix::errno::Errno;
use nix::sys::resource::{Resource, getrlimit, setrlimit};

// ANCHOR: disable_core_dumps
/// Makes sure the kernel writes no core dump of this process if a signal kills it.
///
/// Two settings, because one is not enough everywhere: `RLIMIT_CORE` 0 stops a core *file*, but
/// when `/proc/sys/kernel/core_pattern` pipes cores to a handler (`|/usr/lib/systemd/...`), the
/// kernel ignores that limit; a process that is not *dumpable* (`PR_SET_DUMPABLE` 0) is never
/// dumped at all. Then `waitpid` reports `core_dumped: false`, whatever the machine's settings.
///
/// See [core(5)](https://man7.org/linux/man-pages/man5/core.5.html) and
/// [setrlimit(2)](https://man7.org/linux/man-pages/man2/setrlimit.2.html).
pub fn disable_core_dumps() -> Result<(), Errno> {
    let (_, hard) = getrlimit(Resource::RLIMIT_CORE)?;
    setrlimit(Resource::RLIMIT_CORE, 0, hard)?;
    nix::sys::prctl::set_dumpable(false)
}
// ANCHOR_END: disable_core_dumps
