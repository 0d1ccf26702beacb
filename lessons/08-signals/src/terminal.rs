//! A terminal of our own: a pseudo-terminal (pty) whose "keyboard" is its master side. A session
//! leader that opens the other side takes it as its controlling terminal, and its group becomes the
//! terminal's foreground group — the group a typed Ctrl-C signals.

use std::os::fd::{AsRawFd, BorrowedFd};

use nix::errno::Errno;

// ANCHOR: take_as_controlling
/// Makes the terminal open on `terminal` the controlling terminal of the calling process, which
/// must lead a session that has none (`lead_new_session`): `ioctl(TIOCSCTTY)`.
pub fn take_as_controlling(terminal: BorrowedFd<'_>) -> Result<(), Errno> {
    // SAFETY: TIOCSCTTY takes an integer argument (0: do not steal a terminal from another
    // session) and reads or writes no memory of ours.
    let rc = unsafe { libc::ioctl(terminal.as_raw_fd(), libc::TIOCSCTTY, 0) };
    Errno::result(rc).map(drop)
}
// ANCHOR_END: take_as_controlling
