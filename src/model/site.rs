//! The site a build makes, as values: each file's path and contents ([`OutputFile`]), and
//! where files go as they are made ([`Sink`]): kept in memory, dropped, or written by the
//! output stage. No I/O here: a file to copy or keep is named, not read.

use std::path::PathBuf;

use crate::model::error::Result;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path inside the output folder, with `/` separators.
    pub path: String,
    pub contents: Contents,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// A file of the library copied as it is.
    Copy(PathBuf),
    /// A page of the previous build that would be rendered the same, and still holds what
    /// was written: kept as it is.
    Keep(PathBuf),
}

/// Where rendered files go: kept in memory, or written as they come so that a large site
/// never exists in memory all at once. A build's stages may put files from several
/// threads, one batch at a time.
pub trait Sink: Send {
    fn put(&mut self, files: Vec<OutputFile>) -> Result<()>;
}

impl Sink for Vec<OutputFile> {
    fn put(&mut self, files: Vec<OutputFile>) -> Result<()> {
        self.extend(files);
        Ok(())
    }
}

/// A sink that keeps nothing: for `check`, and for a library with errors.
pub struct Discard;

impl Sink for Discard {
    fn put(&mut self, _: Vec<OutputFile>) -> Result<()> {
        Ok(())
    }
}
