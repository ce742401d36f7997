//! The diagnostics of files that are not read: one over its size limit, and anything that
//! is not a regular file.

use crate::load::config;
use crate::model::diagnostic::{Diagnostic, Pos};

/// A file of `size` bytes over the limit of `max`: the setting `limits.<setting>`, or
/// library.yaml's fixed limit when `setting` is `None`.
pub fn too_large(rel: &str, size: u64, max: u64, setting: Option<&str>) -> Diagnostic {
    let (size, max) = sizes(size, max);
    let (which, hint) = match setting {
        Some(setting) => (
            format!("`limits.{setting}`"),
            format!(
                "make it smaller, or raise `limits: {{{setting}: ...}}` in {} (in bytes)",
                config::PATH
            ),
        ),
        None => (
            "fixed for library.yaml".to_string(),
            "make it smaller: library.yaml holds settings and vocabularies, and no setting raises its limit (`limits` in it are for documents and data files)".to_string(),
        ),
    };
    Diagnostic::error(
        rel,
        Pos::start(),
        "too-large",
        format!("the file is {size}, larger than the limit of {max} ({which})"),
    )
    .hint(hint)
}

/// A file's size and the limit it passes, for messages: in megabytes, or in bytes where
/// the megabytes would read the same ("2 MB, larger than the limit of 2 MB").
fn sizes(size: u64, max: u64) -> (String, String) {
    let (a, b) = (megabytes(size), megabytes(max));
    if a == b {
        (format!("{size} bytes"), format!("{max} bytes"))
    } else {
        (a, b)
    }
}

/// A named pipe, socket or device where a file should be: never opened for reading, as
/// reading a pipe waits for a writer that may never come.
pub fn not_a_file(rel: &str, what: &str) -> Diagnostic {
    Diagnostic::error(
        rel,
        Pos::start(),
        "not-a-file",
        format!("this is {what}, not a regular file, and is not read"),
    )
    .hint("replace it with a regular file, or remove it")
}

/// A size for messages, in decimal megabytes (or bytes when small).
fn megabytes(bytes: u64) -> String {
    match bytes {
        0..1_000_000 => format!("{bytes} bytes"),
        _ => format!("{:.1} MB", bytes as f64 / 1e6).replace(".0 MB", " MB"),
    }
}
