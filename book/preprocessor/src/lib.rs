//! The workbook's mdBook preprocessor.
//!
//! The book never contains hand-typed program output. Tests run the real
//! programs and record what they print as [insta] snapshot files (`*.snap`);
//! a chapter then says
//!
//! ```text
//! {{#snapshot ../../lessons/01-fork/tests/snapshots/listings__first_fork.snap}}
//! ```
//!
//! on a line of its own, and this preprocessor replaces that line with a fenced
//! code block holding the snapshot: the header's `description` as a `$ command`
//! line, then the recorded output. The path is relative to the directory of the
//! chapter's Markdown file, as for mdBook's `{{#include}}`.
//!
//! The library also lists and checks every file a chapter refers to
//! ([`references`], [`check_reference`]) so that the workspace's self-checks
//! can catch a broken link before `mdbook build` does.
//!
//! [insta]: https://insta.rs

#![warn(missing_docs)]

mod expand;
mod references;
mod snapshot;

use regex::Regex;
use std::sync::LazyLock;

pub use expand::{Workbook, expand_snapshots};
pub use references::{Reference, ReferenceKind, check_reference, references};
pub use snapshot::{Snapshot, load_snapshot, parse_snapshot, render_snapshot};

/// mdBook's own pattern for `{{#name ARGS}}` helpers, as used by its `links`
/// preprocessor: an escaped helper (`\{{#...}}`, no capture groups) or a helper
/// with its name in group 1 and its arguments in group 2.
pub(crate) static HELPER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \\\{\{\#.*\}\}          # an escaped helper, left for `links` to unescape
        |
        \{\{\s*                 # opening braces
        \#([a-zA-Z0-9_]+)       # helper name
        \s+
        ([^}]+)                 # path and properties
        \}\}                    # closing braces",
    )
    .expect("the helper pattern is a valid regex")
});
