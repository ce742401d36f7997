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

/// A site being written into a sibling folder of `out`, swapped in by [`Staging::finish`].
/// Dropped unfinished, `out` stays as it was, and the folder stays aside for the next
/// build to reuse.
pub struct Staging {
    out: PathBuf,
    staging: PathBuf,
    old: PathBuf,
    dirs: HashSet<String>,
    paths: HashSet<String>,
    /// When the folder is the site before last, set aside untouched: the files it holds,
    /// from its list. Unchanged pages it already holds then need nothing done.
    before: Option<HashSet<String>>,
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
        let mut before = None;
        if staging.exists() {
            if old.exists() {
                remove(&old)?;
            }
        } else if old.join(MARKER).exists() {
            fs::rename(&old, &staging).map_err(|e| Error::io("reuse", &old, e))?;
            before = fs::read_to_string(staging.join(MANIFEST))
                .ok()
                .and_then(|text| Listing::parse(&text))
                .map(|list| list.files);
        } else if old.exists() {
            remove(&old)?;
        }
        fs::create_dir_all(&staging).map_err(|e| Error::io("create", &staging, e))?;
        // Until it is swapped in, git ignores the whole folder, even if the build stops.
        set_aside(&staging)?;
        Ok(Staging {
            out: out.to_path_buf(),
            staging,
            old,
            dirs: HashSet::new(),
            paths: HashSet::new(),
            before,
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
        match &self.before {
            Some(before) => remove_stale(&self.staging, before, &self.paths)?,
            None => prune(&self.staging, &self.paths)?,
        }
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
        let untouched = self.before.is_some();
        for f in &files {
            check_path(&f.path)?;
            self.paths.insert(f.path.clone());
            if untouched && matches!(f.contents, Contents::Kept(_)) {
                continue;
            }
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
                // The folder already holds it, as the last build kept it from this folder.
                Contents::Kept(_) if untouched => Ok(()),
                Contents::Keep(from) | Contents::Kept(from) if same_file(from, &path) => Ok(()),
                Contents::Keep(from) | Contents::Kept(from) => {
                    clear(&path)?;
                    // Linked, or copied where the file system cannot link.
                    fs::hard_link(from, &path)
                        .or_else(|_| fs::copy(from, &path).map(|_| ()))
                        .map_err(|e| Error::io("copy", from, e))
                }
                Contents::Bytes(bytes) => write_over(&path, bytes),
                Contents::Copy(from) => {
                    clear(&path)?;
                    copy_regular(from, &path).map_err(|e| Error::io("copy", from, e))
                }
            }
        })
    }
}

/// Copies a file of the library, if it is still a regular file: never through a link
/// and never waiting on a pipe put in its place since it was checked.
fn copy_regular(from: &Path, to: &Path) -> std::io::Result<()> {
    let (mut file, _) = crate::files::open_regular(from)?;
    std::io::copy(&mut file, &mut fs::File::create(to)?).map(|_| ())
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

/// Makes folder `dir` inside `root` and any parents it lacks, replacing a file of the
/// reused folder in its way. In a reused folder most folders exist: one look each.
fn make_dir(root: &Path, dir: &str) -> Result<()> {
    let path = root.join(dir);
    match fs::symlink_metadata(&path) {
        Ok(m) if m.is_dir() => return Ok(()),
        Ok(_) => fs::remove_file(&path).map_err(|e| Error::io("remove", &path, e))?,
        Err(_) => {}
    }
    if let Some((parent, _)) = dir.rsplit_once('/') {
        make_dir(root, parent)?;
    }
    fs::create_dir(&path).map_err(|e| Error::io("create", &path, e))
}

/// Removes from `root` the files of its list (`before`) that this build did not write, and
/// the folders they leave empty; and lantern's history file when this build has none.
fn remove_stale(root: &Path, before: &HashSet<String>, written: &HashSet<String>) -> Result<()> {
    let mut stale: Vec<&String> = before.iter().filter(|p| !written.contains(*p)).collect();
    let cache = crate::history::CACHE.to_string();
    if !written.contains(&cache) {
        stale.push(&cache);
    }
    stale.par_iter().try_for_each(|p| {
        let path = root.join(p);
        match fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(Error::io("remove", &path, e))
            }
            _ => Ok(()),
        }
    })?;
    // Their folders, deepest first, where now empty.
    let mut dirs: Vec<&str> = stale
        .iter()
        .flat_map(|p| {
            let mut list = Vec::new();
            let mut rest = p.as_str();
            while let Some((dir, _)) = rest.rsplit_once('/') {
                list.push(dir);
                rest = dir;
            }
            list
        })
        .collect();
    dirs.sort_by(|a, b| {
        b.matches('/')
            .count()
            .cmp(&a.matches('/').count())
            .then(a.cmp(b))
    });
    dirs.dedup();
    for dir in dirs {
        let _ = fs::remove_dir(root.join(dir));
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
/// The first line of that list, naming its form.
const HEADER: &str = "lantern pages 1";

/// The pages of the previous build that a build may keep instead of rendering them again:
/// each with the key of everything it was made from.
#[derive(Debug, Default)]
pub struct Previous {
    dir: PathBuf,
    keys: HashMap<String, u64>,
    /// Pages that the previous build itself kept from the one before.
    kept: HashSet<String>,
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
        let Some(list) = Listing::parse(&text) else {
            return Previous::default();
        };
        Previous {
            dir: out.to_path_buf(),
            keys: list.keys,
            kept: list.kept,
            history: fs::read_to_string(out.join(crate::history::CACHE)).ok(),
        }
    }

    /// Whether the previous build kept `path` from the build before it.
    pub fn was_kept(&self, path: &str) -> bool {
        self.kept.contains(path)
    }

    /// The previous build's file for `path`, when it was made from the same `key`.
    pub fn keep(&self, path: &str, key: u64) -> Option<PathBuf> {
        let file = self.dir.join(path);
        (self.keys.get(path) == Some(&key) && file.is_file()).then_some(file)
    }
}

/// What a build wrote, as its list says: each page of the past with its key and whether
/// it was kept from the build before, and every file's path.
#[derive(Default)]
struct Listing {
    keys: HashMap<String, u64>,
    kept: HashSet<String>,
    files: HashSet<String>,
}

impl Listing {
    /// After the `HEADER` line, lines `KEY FLAG PATH`: a page's key in hex, or `-` for
    /// other files; `K` for a page kept, `R` for one rendered, `-` for other files. `None`
    /// for a list in another form.
    fn parse(text: &str) -> Option<Listing> {
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return None;
        }
        let mut list = Listing::default();
        for line in lines {
            let mut parts = line.splitn(3, ' ');
            let (Some(key), Some(flag), Some(path)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            if let Ok(key) = u64::from_str_radix(key, 16) {
                list.keys.insert(path.to_string(), key);
            }
            if flag == "K" {
                list.kept.insert(path.to_string());
            }
            list.files.insert(path.to_string());
        }
        Some(list)
    }
}

/// The list of what this build wrote, for the next: `pages` of the past (path, key, kept),
/// then every other file.
pub fn manifest(mut pages: Vec<(String, u64, bool)>, mut others: Vec<String>) -> OutputFile {
    pages.sort();
    others.sort();
    let mut text = format!("{HEADER}\n");
    for (path, key, kept) in pages {
        let flag = if kept { 'K' } else { 'R' };
        text.push_str(&format!("{key:016x} {flag} {path}\n"));
    }
    for path in others {
        text.push_str(&format!("- - {path}\n"));
    }
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

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = fs::File::create(path).map_err(|e| Error::io("create", path, e))?;
    file.write_all(bytes)
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
    fn a_file_written_over_holds_exactly_the_new_bytes() {
        let dir = std::env::temp_dir().join(format!("lantern-over-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("page.html");
        for text in [
            "a longer first text",
            "short",
            "",
            "longer again than short",
        ] {
            write_over(&path, text.as_bytes()).expect("write");
            assert_eq!(fs::read_to_string(&path).expect("read"), text);
        }
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
