//! Who am I, and who is my parent?

use nix::unistd::Pid;

/// This process's id, as [getpid(2)](https://man7.org/linux/man-pages/man2/getpid.2.html).
pub fn getpid() -> Pid {
    nix::unistd::getpid()
}

/// The id of this process's parent, as [getppid(2)](https://man7.org/linux/man-pages/man2/getppid.2.html).
///
/// If the parent has ended, this is the process that adopted the orphan (chapter 2).
pub fn getppid() -> Pid {
    nix::unistd::getppid()
}
