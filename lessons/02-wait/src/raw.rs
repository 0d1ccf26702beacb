//! The wait status as the C call returns it: one `int`, undecoded.

use nix::errno::Errno;
use nix::sys::wait::WaitPidFlag;
use nix::unistd::Pid;

use crate::wait::WaitError;

// ANCHOR: waitpid_raw
/// Calls [waitpid(2)](https://man7.org/linux/man-pages/man2/waitpid.2.html) for `child` and
/// returns the status integer undecoded, as C and Python's `os.waitpid` give it; `Ok(None)` when
/// `WNOHANG` is among `flags` and the child has nothing to report yet.
pub fn waitpid_raw(child: Pid, flags: WaitPidFlag) -> Result<Option<i32>, WaitError> {
    let mut status: libc::c_int = 0;
    loop {
        // SAFETY: `status` is a live, writable c_int for the whole call, the only memory waitpid
        // writes to.
        let returned = unsafe { libc::waitpid(child.as_raw(), &mut status, flags.bits()) };
        match returned {
            0 => return Ok(None),
            -1 => match Errno::last() {
                Errno::EINTR => continue,
                Errno::ECHILD => return Err(WaitError::NotAChild(child)),
                errno => return Err(WaitError::Sys(errno)),
            },
            _ => return Ok(Some(status)),
        }
    }
}
// ANCHOR_END: waitpid_raw
