//! Why running a task in a new process failed.

/// What went wrong when starting a process or getting its result.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StartError {
    /// No task of this name is registered.
    UnknownTask(String),
    /// No entry of this name is registered.
    UnknownEntry(String),
    /// A function, named by its type, that no task of the registry wraps.
    Unregistered(String),
    /// The arguments or the result could not be encoded or decoded (wrong types for the task?).
    Encoding(String),
    /// The task panicked in the child; its message.
    Panicked(String),
    /// The child ended without sending a result: how it ended.
    NoResult(String),
    /// A system call or the child's start failed.
    Os(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::UnknownTask(name) => write!(f, "no task named {name:?} is registered"),
            StartError::UnknownEntry(name) => write!(f, "no entry named {name:?} is registered"),
            StartError::Unregistered(name) => write!(
                f,
                "{name} is not in the registry: add task!({}) to the Registry passed to init()",
                short_name(name)
            ),
            StartError::Encoding(why) => write!(f, "cannot encode or decode the task's data: {why}"),
            StartError::Panicked(message) => write!(f, "the task panicked: {message}"),
            StartError::NoResult(how) => write!(f, "the child {how} without sending a result"),
            StartError::Os(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for StartError {}

/// The last segment of a function's path, `square` for `my_program::maths::square`, for the advice in
/// [`StartError::Unregistered`]'s message.
fn short_name(path: &str) -> &str {
    let without_generics = path.split('<').next().unwrap_or(path);
    without_generics.rsplit("::").next().unwrap_or(without_generics)
}

impl From<nix::errno::Errno> for StartError {
    fn from(errno: nix::errno::Errno) -> Self {
        StartError::Os(errno.to_string())
    }
}

impl From<std::io::Error> for StartError {
    fn from(error: std::io::Error) -> Self {
        StartError::Os(error.to_string())
    }
}

impl From<postcard::Error> for StartError {
    fn from(error: postcard::Error) -> Self {
        StartError::Encoding(error.to_string())
    }
}
