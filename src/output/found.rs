//! What the output stage finds on disk, looked at without trusting it.
//!
//! In: paths in or beside the output folder, which a poisoned cache or a pull request may
//! have filled with anything. Out: answers that never follow a symbolic link: whether a
//! path is a real folder or file, the bytes of a file (at most a limit, never waiting on
//! a pipe or a device), a content hash, and whether a path from a list stays inside the
//! folder it names a file of.

use std::fs;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use crate::model::error::{Error, Result};

/// Marks a folder as lantern's output, so a later build may replace it.
pub(super) const MARKER: &str = ".lantern-build";
/// The list of pages that a later build may keep (see [`super::Previous`]).
pub(super) const MANIFEST: &str = ".lantern-pages";

/// Whether `dir` holds lantern's marker, a plain file.
pub(super) fn is_ours(dir: &Path) -> bool {
    is_real_file(&dir.join(MARKER))
}

/// A content hash of a page (BLAKE3).
pub type Digest = [u8; 32];

/// The hash of `bytes`.
pub fn digest(bytes: &[u8]) -> Digest {
    *blake3::hash(bytes).as_bytes()
}

/// Whether `path` is a folder itself, not a link to one.
pub fn is_real_dir(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// Whether `path` is a plain file itself, not a link to one.
pub fn is_real_file(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

/// Whether anything is at `path`, a dangling link included.
pub fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// Opens a plain file for reading: never through a link at its last step, never waiting
/// on a pipe or a device. `None` for anything else.
pub fn open(path: &Path) -> Option<fs::File> {
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .ok()?;
    file.metadata().ok()?.is_file().then_some(file)
}

/// The contents of the plain file at `path` when it holds at most `limit` bytes.
pub fn read(path: &Path, limit: u64) -> Option<Vec<u8>> {
    let file = open(path)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= limit).then_some(bytes)
}

/// The hash of the plain file at `path`, reached from `root` through real folders only.
pub fn digest_inside(root: &Path, path: &str) -> Option<Digest> {
    let mut at = root.to_path_buf();
    let mut parts = path.split('/').peekable();
    while let Some(part) = parts.next() {
        at.push(part);
        if parts.peek().is_some() && !is_real_dir(&at) {
            return None;
        }
    }
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(open(&at)?).ok()?;
    Some(*hasher.finalize().as_bytes())
}

/// Whether `path` names a file inside a folder: relative, with `/` between names, and no
/// name empty, `.` or `..`.
pub fn is_inside(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains(['\\', '\0'])
        && path
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != "..")
}

/// Removes a link, or a file that is not a folder, found at a name that lantern keeps for
/// a folder of its own; what a link points to is never touched. Says what it removed.
pub fn unlink_unless_dir(path: &Path) -> Result<Option<String>> {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return Ok(None);
    };
    if meta.is_dir() {
        return Ok(None);
    }
    fs::remove_file(path).map_err(|e| Error::io("remove", path, e))?;
    let what = match meta.file_type().is_symlink() {
        true => "a symbolic link: removed the link, not what it points to",
        false => "not a folder: removed it",
    };
    Ok(Some(format!("{} was {what}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_inside_a_folder_only() {
        for good in ["a", "a/b/index.html", ".lantern-history", "a/..b/c"] {
            assert!(is_inside(good), "{good}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "./a",
            "a/.",
            "a\\b",
            "a\0b",
        ] {
            assert!(!is_inside(bad), "{bad:?}");
        }
    }

    #[test]
    fn reads_plain_files_only_and_never_past_the_limit() {
        let dir = std::env::temp_dir().join(format!("lantern-found-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("sub")).expect("dir");
        fs::write(dir.join("sub/file"), "twelve bytes").expect("write");
        std::os::unix::fs::symlink(dir.join("sub/file"), dir.join("link")).expect("link");
        std::os::unix::fs::symlink(dir.join("sub"), dir.join("linked")).expect("link");
        assert_eq!(
            read(&dir.join("sub/file"), 12).as_deref(),
            Some(&b"twelve bytes"[..])
        );
        assert_eq!(read(&dir.join("sub/file"), 11), None);
        assert_eq!(read(&dir.join("link"), 100), None);
        assert_eq!(read(&dir.join("sub"), 100), None);
        assert_eq!(
            digest_inside(&dir, "sub/file"),
            Some(digest(b"twelve bytes"))
        );
        assert_eq!(digest_inside(&dir, "linked/file"), None);
        assert_eq!(digest_inside(&dir, "link"), None);
        let _ = fs::remove_dir_all(&dir);
    }
}
