//! The output stage, the only one that writes: puts a built site in place atomically.
//!
//! In: the [`OutputFile`]s of a build, all at once or as they are rendered ([`Sink`]), and
//! the output folder. Out: the folder holding exactly those files. The site is written to
//! a sibling temporary folder and swapped in with renames, so a failed or interrupted build
//! leaves the previous site as it was. A folder that lantern did not build is never
//! replaced. The previous build's list of pages ([`Previous`]) lets a build keep pages
//! that would come out the same, linking them instead of rendering them.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::render::{Contents, OutputFile};

/// Marks a folder as lantern's output, so a later build may replace it.
const MARKER: &str = ".lantern-build";
/// Keeps the output folder in git while ignoring what is built into it.
const GITIGNORE: &str = "# Built by lantern: everything here is generated.\n*\n!.gitignore\n";

/// Where rendered files go: kept in memory, or written as they come so that a large site
/// never exists in memory all at once.
pub trait Sink {
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

/// A site being written into a sibling folder of `out`, swapped in by [`Staging::finish`].
/// Dropped unfinished, `out` stays as it was, and the folder stays aside for the next
/// build to reuse.
pub struct Staging {
    out: PathBuf,
    staging: PathBuf,
    old: PathBuf,
    dirs: HashSet<String>,
    paths: HashSet<String>,
}

impl Staging {
    /// Prepares to replace `out`, refusing a folder that lantern did not build.
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
        let staging = parent.join(format!(".{name}.lantern-new"));
        let old = parent.join(format!(".{name}.lantern-old"));
        recover(out, &old)?;
        check_replaceable(out)?;
        // The site before last (set aside by the last build), or what an interrupted build
        // left, is brought up to date rather than written from nothing: its unchanged pages
        // of the past need no new file, and no old folder needs deleting.
        if staging.exists() {
            if old.exists() {
                remove(&old)?;
            }
        } else if old.join(MARKER).exists() {
            fs::rename(&old, &staging).map_err(|e| Error::io("reuse", &old, e))?;
        } else if old.exists() {
            remove(&old)?;
        }
        fs::create_dir_all(&staging).map_err(|e| Error::io("create", &staging, e))?;
        Ok(Staging {
            out: out.to_path_buf(),
            staging,
            old,
            dirs: HashSet::new(),
            paths: HashSet::new(),
        })
    }

    /// How many files have been written.
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// Removes what the reused folder holds that this build did not write, then puts the
    /// site in place of `out`; the site it replaces is set aside for the next build.
    pub fn finish(self) -> Result<()> {
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
}

impl Sink for Staging {
    fn put(&mut self, files: Vec<OutputFile>) -> Result<()> {
        for f in &files {
            check_path(&f.path)?;
            self.paths.insert(f.path.clone());
            if let Some((dir, _)) = f.path.rsplit_once('/')
                && !self.dirs.contains(dir)
            {
                make_dir(&self.staging, dir)?;
                self.dirs.insert(dir.to_string());
            }
        }
        let staging = &self.staging;
        files.par_iter().try_for_each(|f| {
            let path = staging.join(&f.path);
            // A reused file may share its inode with the live site's (a kept page): it is
            // replaced by a new file, never written into.
            match &f.contents {
                Contents::Keep(from) if same_file(from, &path) => Ok(()),
                Contents::Keep(from) => {
                    clear(&path)?;
                    // Linked, or copied where the file system cannot link.
                    fs::hard_link(from, &path)
                        .or_else(|_| fs::copy(from, &path).map(|_| ()))
                        .map_err(|e| Error::io("copy", from, e))
                }
                Contents::Bytes(bytes) => {
                    clear(&path)?;
                    write_file(&path, bytes)
                }
                Contents::Copy(from) => {
                    clear(&path)?;
                    fs::copy(from, &path)
                        .map(|_| ())
                        .map_err(|e| Error::io("copy", from, e))
                }
            }
        })
    }
}

/// Whether two paths are the same file (one inode).
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

/// Makes folder `dir` inside `root`, replacing any file of the reused folder in its way.
fn make_dir(root: &Path, dir: &str) -> Result<()> {
    let mut path = root.to_path_buf();
    for part in dir.split('/') {
        path.push(part);
        match fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => continue,
            Ok(_) => fs::remove_file(&path).map_err(|e| Error::io("remove", &path, e))?,
            Err(_) => {}
        }
        fs::create_dir(&path).map_err(|e| Error::io("create", &path, e))?;
    }
    Ok(())
}

/// Removes from `root` every file not in `keep` (paths relative to it), and the folders
/// left empty.
fn prune(root: &Path, keep: &HashSet<String>) -> Result<()> {
    let mut stale = Vec::new();
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(root)
        .min_depth(1)
        .contents_first(true)
    {
        let entry = entry.map_err(|e| Error::io("read", root, e.into()))?;
        let rel = entry
            .path()
            .strip_prefix(root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        if entry.file_type().is_dir() {
            dirs.push(entry.into_path());
        } else if !keep.contains(&rel) {
            stale.push(entry.into_path());
        }
    }
    stale
        .par_iter()
        .try_for_each(|f| fs::remove_file(f).map_err(|e| Error::io("remove", f, e)))?;
    // Deepest first (walkdir gives contents first): a folder is removed once it is empty.
    for dir in dirs {
        let _ = fs::remove_dir(&dir);
    }
    Ok(())
}

/// The list of pages that a later build may keep, with their keys.
const MANIFEST: &str = ".lantern-pages";

/// The pages of the previous build that a build may keep instead of rendering them again:
/// each with the key of everything it was made from.
#[derive(Debug, Default)]
pub struct Previous {
    dir: PathBuf,
    keys: HashMap<String, u64>,
    /// The history the previous build read, to continue from (see [`crate::history`]).
    pub history: Option<String>,
}

impl Previous {
    /// Reads the list that the build in `out` left (nothing when there is none).
    pub fn read(out: &Path) -> Previous {
        let Ok(text) = fs::read_to_string(out.join(MANIFEST)) else {
            return Previous::default();
        };
        if !out.join(MARKER).exists() {
            return Previous::default();
        }
        let keys = text
            .lines()
            .filter_map(|line| {
                let (key, path) = line.split_once(' ')?;
                Some((path.to_string(), u64::from_str_radix(key, 16).ok()?))
            })
            .collect();
        Previous {
            dir: out.to_path_buf(),
            keys,
            history: fs::read_to_string(out.join(crate::history::CACHE)).ok(),
        }
    }

    /// The previous build's file for `path`, when it was made from the same `key`.
    pub fn keep(&self, path: &str, key: u64) -> Option<PathBuf> {
        let file = self.dir.join(path);
        (self.keys.get(path) == Some(&key) && file.is_file()).then_some(file)
    }
}

/// The list of kept-able pages of this build, for the next.
pub fn manifest(mut entries: Vec<(String, u64)>) -> OutputFile {
    entries.sort();
    let text: String = entries
        .iter()
        .map(|(path, key)| format!("{key:016x} {path}\n"))
        .collect();
    OutputFile {
        path: MANIFEST.to_string(),
        contents: Contents::Bytes(text.into_bytes()),
    }
}

/// Writes `files` as the new contents of `out`.
pub fn write(out: &Path, files: &[OutputFile]) -> Result<()> {
    let mut staging = Staging::begin(out)?;
    staging.put(files.to_vec())?;
    staging.finish()
}

/// An earlier build stopped between its two renames: put the previous site back.
fn recover(out: &Path, old: &Path) -> Result<()> {
    if !out.exists() && old.exists() {
        fs::rename(old, out).map_err(|e| Error::io("restore", out, e))?;
    }
    Ok(())
}

/// Refuses to replace a folder with anything in it that lantern did not build.
fn check_replaceable(out: &Path) -> Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        return Err(Error::Other(format!(
            "{} exists and is not a folder: choose another --out",
            out.display()
        )));
    }
    if out.join(MARKER).exists() {
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

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let file = fs::File::create(path).map_err(|e| Error::io("create", path, e))?;
    let mut w = std::io::BufWriter::new(file);
    w.write_all(bytes)
        .and_then(|_| w.flush())
        .map_err(|e| Error::io("write", path, e))
}

/// Removes a built folder, its files on every core: a site has thousands of them, and
/// unlinking is most of the cost of replacing it.
fn remove(dir: &Path) -> Result<()> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(|e| Error::io("read", dir, e.into()))?;
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
    let bad = path.is_empty()
        || path.starts_with('/')
        || path.contains('\\')
        || path
            .split('/')
            .any(|p| p.is_empty() || p == "." || p == "..");
    if bad {
        return Err(Error::Other(format!(
            "refusing to write `{path}`: it is not a path inside the output folder"
        )));
    }
    Ok(())
}

fn swap(out: &Path, staging: &Path, old: &Path) -> Result<()> {
    let had_old = out.exists();
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
        // Set aside for the next build to reuse; git ignores all of it.
        let ignore = old.join(".gitignore");
        clear(&ignore)?;
        write_file(
            &ignore,
            b"# Lantern's previous build, reused by the next one.\n*\n",
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.to_string(),
            contents: Contents::Bytes(text.as_bytes().to_vec()),
        }
    }

    #[test]
    fn replaces_its_own_output_and_refuses_other_folders() {
        let dir = std::env::temp_dir().join(format!("lantern-output-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let out = dir.join("public");
        write(&out, &[file("a/index.html", "one")]).expect("first build");
        write(&out, &[file("b/index.html", "two")]).expect("second build");
        assert!(!out.join("a/index.html").exists());
        assert_eq!(
            fs::read_to_string(out.join("b/index.html")).ok().as_deref(),
            Some("two")
        );
        let other = dir.join("notes");
        fs::create_dir_all(&other).expect("mkdir");
        fs::write(other.join("keep.txt"), "mine").expect("write");
        assert!(write(&other, &[file("x.html", "x")]).is_err());
        assert!(other.join("keep.txt").exists());
        assert!(write(&out, &[file("../escape.html", "x")]).is_err());
        assert!(out.join("b/index.html").exists());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_reused_folder_never_changes_the_live_site_and_ends_exact() {
        let dir = std::env::temp_dir().join(format!("lantern-reuse-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let out = dir.join("public");
        let read = |p: &str| fs::read_to_string(out.join(p)).unwrap_or_default();
        write(
            &out,
            &[
                file("p/index.html", "one"),
                file("gone.html", "x"),
                file("f", "a file"),
            ],
        )
        .expect("first build");
        // The second build keeps `p` from the first: both folders share its file.
        let mut second = Staging::begin(&out).expect("second");
        let keep = OutputFile {
            path: "p/index.html".to_string(),
            contents: Contents::Keep(out.join("p/index.html")),
        };
        second
            .put(vec![keep, file("f", "still a file")])
            .expect("put");
        second.finish().expect("finish");
        let aside = dir.join(".public.lantern-old");
        assert!(
            fs::read_to_string(aside.join(".gitignore"))
                .expect("ignore")
                .contains("\n*\n")
        );
        // The third build reuses the first's folder, which shares `p` with the live site.
        let mut third = Staging::begin(&out).expect("third");
        third
            .put(vec![
                file("p/index.html", "two"),
                file("f/index.html", "now a folder"),
            ])
            .expect("put");
        assert_eq!(
            read("p/index.html"),
            "one",
            "the live site is untouched until the swap"
        );
        third.finish().expect("finish");
        assert_eq!(read("p/index.html"), "two");
        assert_eq!(read("f/index.html"), "now a folder");
        assert!(
            !out.join("gone.html").exists(),
            "files not written this time are gone"
        );
        let mut names: Vec<String> = walkdir::WalkDir::new(&out)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&out)
                    .expect("inside")
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                ".gitignore",
                ".lantern-build",
                "f/index.html",
                "p/index.html"
            ]
        );
        let _ = fs::remove_dir_all(&dir);
    }
}
