//! Who adopts orphans: the namespace's init, or the nearest *child subreaper*.

use nix::errno::Errno;

// ANCHOR: become_subreaper
/// Makes this process a child subreaper, as `prctl(PR_SET_CHILD_SUBREAPER, 1)`: from now on a
/// descendant whose parent ends is re-parented to this process (the nearest living subreaper among
/// its ancestors) instead of to the init of its PID namespace, and this process must reap it.
///
/// See [prctl(2)](https://man7.org/linux/man-pages/man2/prctl.2.html). Linux only; it lasts for
/// the life of the process and is not inherited by children.
pub fn become_subreaper() -> Result<(), Errno> {
    nix::sys::prctl::set_child_subreaper(true)
}
// ANCHOR_END: become_subreaper

/// Whether this process is a child subreaper (`PR_GET_CHILD_SUBREAPER`).
pub fn is_subreaper() -> Result<bool, Errno> {
    nix::sys::prctl::get_child_subreaper()
}
