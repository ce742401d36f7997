//! The output stage, the only one that writes: puts a built site in place atomically.
//!
//! In: the [`OutputFile`]s of a build, all at once or as they are rendered ([`Sink`]), and
//! the output folder. Out: the folder holding exactly those files. The site is written to
//! a sibling folder and swapped in with renames, so a failed or interrupted build leaves
//! the previous site as it was, and a build that fails removes what it wrote. A folder
//! that lantern did not build is never replaced. Nothing found on disk is trusted: a
//! symbolic link in or beside the output folder is never followed, written through or
//! published, and pages of the previous build are kept only as [`Previous`] checks them.
//! `place.rs` refuses an output folder where the build reads, `found.rs` looks at what is
//! on disk, and `previous.rs` reads and writes the list of pages a later build may keep.

mod found;
mod place;
mod previous;
#[cfg(test)]
mod tests;

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use found::{Digest, digest};
use found::{MARKER, is_ours};
pub use place::check as check_place;
pub use previous::{Previous, manifest};

use crate::model::error::{Error, Result};
use crate::model::site::{Contents, OutputFile, Sink};

/// Keeps the output folder in git while ignoring what is built into it.
const GITIGNORE: &str = "# Built by lantern: everything here is generated.\n*\n!.gitignore\n";

/// A site being written into a sibling folder of `out`, swapped in by [`Staging::finish`].
/// Dropped unfinished, `out` stays as it was; the folder stays aside for the next build
/// to reuse, unless writing failed or the build was [discarded](Staging::discard), when
/// it is removed.
pub struct Staging {
    out: PathBuf,
    staging: PathBuf,
    old: PathBuf,
    /// The folders of the site made or checked so far.
    dirs: HashSet<String>,
    paths: HashSet<String>,
    /// Set when the build failed: the folder goes when this is dropped.
    failed: bool,
    /// What was found beside the output folder and removed.
    notes: Vec<String>,
}

impl Staging {
    /// Prepares to replace `out`, refusing a folder that lantern did not build and a
    /// symbolic link. Anything but a real folder at the names lantern keeps beside it (a
    /// link, wherever it points) is removed, never followed.
    pub fn begin(out: &Path) -> Result<Staging> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| {
                Error::Other(format!(
                    "{} cannot be an output folder: name a folder",
                    out.display()
                ))
            })?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|e| Error::io("create", &parent, e))?;
        if fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Error::Other(format!(
                "refusing to write the site to {}: it is a symbolic link, and lantern replaces the output folder whole; give --out the folder it points to",
                out.display()
            )));
        }
        let staging = parent.join(format!(".{name}.lantern-new"));
        let old = parent.join(format!(".{name}.lantern-old"));
        let mut notes = Vec::new();
        for dir in [&staging, &old] {
            notes.extend(found::unlink_unless_dir(dir)?);
        }
        recover(out, &old)?;
        check_replaceable(out)?;
        // The site before last (set aside by the last build), or what an interrupted build
        // left, is brought up to date rather than written from nothing: its unchanged
        // pages of the past need no new file, and no old folder needs deleting.
        if found::exists(&staging) {
            remove(&old)?;
        } else if is_ours(&old) {
            fs::rename(&old, &staging).map_err(|e| Error::io("reuse", &old, e))?;
        } else {
            remove(&old)?;
        }
        let mut begun = Staging {
            out: out.to_path_buf(),
            staging,
            old,
            dirs: HashSet::new(),
            paths: HashSet::new(),
            failed: false,
            notes,
        };
        // Until it is swapped in, git ignores the whole folder, even if the build stops.
        fs::create_dir_all(&begun.staging)
            .map_err(|e| Error::io("create", &begun.staging, e))
            .and_then(|()| set_aside(&begun.staging))
            .map_err(|e| begun.fail(e))?;
        Ok(begun)
    }

    /// How many files have been written.
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// What was found beside the output folder and removed, for the build to say.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Gives up the build after a failure: what it wrote goes.
    pub fn discard(mut self) {
        self.failed = true;
    }

    /// Removes what the folder holds that this build did not write, then puts the site in
    /// place of `out`; the site it replaces is set aside for the next build.
    pub fn finish(mut self) -> Result<()> {
        self.complete().map_err(|e| self.fail(e))
    }

    fn complete(&self) -> Result<()> {
        prune(&self.staging, &self.paths)?;
        for (name, text) in [
            (".gitignore", GITIGNORE),
            (
                MARKER,
                "This folder is built by lantern and replaced by each build.\n",
            ),
        ] {
            let path = self.staging.join(name);
            clear(&path)?;
            write_file(&path, text.as_bytes())?;
        }
        swap(&self.out, &self.staging, &self.old)
    }

    /// Marks the build failed, and names the output folder the user chose in place of the
    /// folder beside it where the failure happened, which is about to go.
    fn fail(&mut self, err: Error) -> Error {
        self.failed = true;
        match err {
            Error::Io { path, source, .. } if path.starts_with(&self.staging) => {
                Error::io("write the site to", &self.out, source)
            }
            err => err,
        }
    }

    /// Makes folder `dir` of the site and those above it, each looked at once, from the
    /// top: a real folder is used as it is, and anything else there (a file, or a link
    /// wherever it points) makes way, so no write ever goes through a link.
    fn make_dirs(&mut self, dir: &str) -> Result<()> {
        if self.dirs.contains(dir) {
            return Ok(());
        }
        if let Some((parent, _)) = dir.rsplit_once('/') {
            self.make_dirs(parent)?;
        }
        let path = self.staging.join(dir);
        match fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => {}
            found => {
                if found.is_ok() {
                    fs::remove_file(&path).map_err(|e| Error::io("remove", &path, e))?;
                }
                fs::create_dir(&path).map_err(|e| Error::io("create", &path, e))?;
            }
        }
        self.dirs.insert(dir.to_string());
        Ok(())
    }

    fn write_files(&mut self, files: Vec<OutputFile>) -> Result<()> {
        for f in &files {
            check_path(&f.path)?;
            self.paths.insert(f.path.clone());
            if let Some((dir, _)) = f.path.rsplit_once('/') {
                self.make_dirs(dir)?;
            }
        }
        let staging = &self.staging;
        files.par_iter().try_for_each(|f| {
            let path = staging.join(&f.path);
            // A reused file may share its inode with the live site's (a kept page): it is
            // replaced by a new file, never written into.
            match &f.contents {
                // The folder already holds it: the last build kept it from this folder.
                Contents::Keep(from) if same_file(from, &path) => Ok(()),
                Contents::Keep(from) => {
                    clear(&path)?;
                    // Linked, or copied where the file system cannot link.
                    match fs::hard_link(from, &path) {
                        Ok(()) => Ok(()),
                        Err(_) => copy(from, &path),
                    }
                }
                Contents::Bytes(bytes) => write_over(&path, bytes),
                Contents::Copy(from) => {
                    clear(&path)?;
                    copy(from, &path)
                }
            }
        })
    }
}

impl Sink for Staging {
    fn put(&mut self, files: Vec<OutputFile>) -> Result<()> {
        self.write_files(files).map_err(|e| self.fail(e))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.failed {
            let _ = remove(&self.staging);
        }
    }
}

/// Whether two paths are the same plain file (one inode), neither reached by a link at its
/// last step.
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::symlink_metadata(a), fs::symlink_metadata(b)) {
        (Ok(a), Ok(b)) => b.is_file() && a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Makes way for a new file at `path`: removes a file, link or folder there.
fn clear(path: &Path) -> Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => remove(path),
        Ok(_) => fs::remove_file(path).map_err(|e| Error::io("remove", path, e)),
        Err(_) => Ok(()),
    }
}

/// Removes from `root` everything not in `keep` (paths of files relative to it): files,
/// links (never followed) and anything else, and the folders left holding nothing.
fn prune(root: &Path, keep: &HashSet<String>) -> Result<()> {
    let mut stale = Vec::new();
    let mut empty = Vec::new();
    // The folders holding something kept; walkdir gives a folder's contents before it.
    let mut holding: HashSet<PathBuf> = HashSet::new();
    for entry in walkdir::WalkDir::new(root)
        .follow_root_links(false)
        .min_depth(1)
        .contents_first(true)
    {
        let entry = entry.map_err(|e| walk_error(root, e))?;
        let path = entry.path();
        let kept = match entry.file_type().is_dir() {
            true => holding.contains(path),
            false => path
                .strip_prefix(root)
                .is_ok_and(|rel| keep.contains(rel.to_string_lossy().as_ref())),
        };
        if kept {
            if let Some(parent) = path.parent()
                && !holding.contains(parent)
            {
                holding.insert(parent.to_path_buf());
            }
        } else if entry.file_type().is_dir() {
            empty.push(entry.into_path());
        } else {
            stale.push(entry.into_path());
        }
    }
    stale
        .par_iter()
        .try_for_each(|f| fs::remove_file(f).map_err(|e| Error::io("remove", f, e)))?;
    // Deepest first, as walked: each is empty once what it held is gone.
    for dir in empty {
        let _ = fs::remove_dir(&dir);
    }
    Ok(())
}

fn walk_error(root: &Path, e: walkdir::Error) -> Error {
    let path = e.path().unwrap_or(root).to_path_buf();
    Error::io("read", &path, e.into())
}

/// Writes `files` as the new contents of `out`.
pub fn write(out: &Path, files: &[OutputFile]) -> Result<()> {
    let mut staging = Staging::begin(out)?;
    staging.put(files.to_vec())?;
    staging.finish()
}

/// An earlier build stopped between its two renames: put the previous site back.
fn recover(out: &Path, old: &Path) -> Result<()> {
    if !found::exists(out) && found::is_real_dir(old) && is_ours(old) {
        fs::rename(old, out).map_err(|e| Error::io("restore", out, e))?;
    }
    Ok(())
}

/// Refuses to replace a folder with anything in it that lantern did not build.
fn check_replaceable(out: &Path) -> Result<()> {
    if !found::exists(out) {
        return Ok(());
    }
    if !found::is_real_dir(out) {
        return Err(Error::Other(format!(
            "{} exists and is not a folder: choose another --out",
            out.display()
        )));
    }
    if is_ours(out) {
        return Ok(());
    }
    let entries = fs::read_dir(out).map_err(|e| Error::io("read", out, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("read", out, e))?;
        if entry.file_name() != ".gitignore" {
            return Err(Error::Other(format!(
                "refusing to replace {}: it holds files lantern did not build; choose another --out or empty it",
                out.display()
            )));
        }
    }
    Ok(())
}

/// Writes `bytes` at `path` in the reused folder. A file there that is this folder's own
/// (one link: not a page shared with the live site) is written over in place, which spares
/// the file system freeing its blocks and allocating them again; anything else makes way
/// for a new file.
fn write_over(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.nlink() == 1 => {
            let mut file = fs::OpenOptions::new()
                .write(true)
                .custom_flags(libc::O_NOFOLLOW)
                .open(path)
                .map_err(|e| Error::io("open", path, e))?;
            // Cut off what is left of a longer old file; a shorter one the write outgrows.
            let longer = m.len() > bytes.len() as u64;
            file.write_all(bytes)
                .and_then(|_| match longer {
                    true => file.set_len(bytes.len() as u64),
                    false => Ok(()),
                })
                .map_err(|e| Error::io("write", path, e))
        }
        Ok(_) => {
            clear(path)?;
            write_file(path, bytes)
        }
        Err(_) => write_file(path, bytes),
    }
}

/// A new file at `path`, where nothing is: never through a link found there.
fn create(path: &Path) -> Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io("create", path, e))
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    create(path)?
        .write_all(bytes)
        .map_err(|e| Error::io("write", path, e))
}

/// Copies the file `from` to a new file `to`.
fn copy(from: &Path, to: &Path) -> Result<()> {
    // A file of the library, if it is still a regular file: never read through a link,
    // and never waiting on a pipe put in its place since it was checked.
    let (mut source, _) =
        crate::sys::files::open_regular(from).map_err(|e| Error::io("read", from, e))?;
    std::io::copy(&mut source, &mut create(to)?)
        .map(|_| ())
        .map_err(|e| Error::io("write", to, e))
}

/// Removes a folder lantern keeps, its files on every core: a site has thousands of them,
/// and unlinking is most of the cost of replacing it. A link is removed, never followed.
fn remove(dir: &Path) -> Result<()> {
    match fs::symlink_metadata(dir) {
        Err(_) => return Ok(()),
        Ok(m) if !m.is_dir() => {
            return fs::remove_file(dir).map_err(|e| Error::io("remove", dir, e));
        }
        Ok(_) => {}
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_root_links(false) {
        let entry = entry.map_err(|e| walk_error(dir, e))?;
        if !entry.file_type().is_dir() {
            files.push(entry.into_path());
        }
    }
    files
        .par_iter()
        .try_for_each(|f| fs::remove_file(f).map_err(|e| Error::io("remove", f, e)))?;
    fs::remove_dir_all(dir).map_err(|e| Error::io("remove", dir, e))
}

/// Output paths are relative and stay inside the output folder.
fn check_path(path: &str) -> Result<()> {
    if !found::is_inside(path) {
        return Err(Error::Other(format!(
            "refusing to write `{path}`: it is not a path inside the output folder"
        )));
    }
    Ok(())
}

fn swap(out: &Path, staging: &Path, old: &Path) -> Result<()> {
    let had_old = found::exists(out);
    if had_old {
        fs::rename(out, old).map_err(|e| Error::io("move aside", out, e))?;
    }
    if let Err(e) = fs::rename(staging, out) {
        if had_old {
            let _ = fs::rename(old, out);
        }
        return Err(Error::io("move into place", out, e));
    }
    if had_old {
        set_aside(old)?;
    }
    Ok(())
}

/// Marks a folder beside the site (the next build's, or the last one set aside for reuse)
/// as ignored by git, all of it.
fn set_aside(dir: &Path) -> Result<()> {
    let ignore = dir.join(".gitignore");
    clear(&ignore)?;
    write_file(&ignore, b"# Lantern's build folder beside the site.\n*\n")
}
