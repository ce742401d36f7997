//! The output stage, the only one that writes: puts a built site in place atomically.
//!
//! In: the [`OutputFile`]s of a build and the output folder. Out: the folder holding exactly
//! those files. The site is written to a sibling temporary folder and swapped in with
//! renames, so a failed or interrupted build leaves the previous site as it was. A folder
//! that lantern did not build is never replaced.

use std::collections::BTreeSet;
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

/// Writes `files` as the new contents of `out`.
pub fn write(out: &Path, files: &[OutputFile]) -> Result<()> {
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
    if staging.exists() {
        remove(&staging)?;
    }
    let result = fill(&staging, files);
    if let Err(e) = result {
        let _ = remove(&staging);
        return Err(e);
    }
    swap(out, &staging, &old)
}

/// An earlier build stopped between its two renames: put the previous site back.
fn recover(out: &Path, old: &Path) -> Result<()> {
    if !out.exists() && old.exists() {
        fs::rename(old, out).map_err(|e| Error::io("restore", out, e))?;
    } else if old.exists() {
        remove(old)?;
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

fn fill(staging: &Path, files: &[OutputFile]) -> Result<()> {
    fs::create_dir_all(staging).map_err(|e| Error::io("create", staging, e))?;
    let mut dirs = BTreeSet::new();
    for f in files {
        check_path(&f.path)?;
        if let Some((dir, _)) = f.path.rsplit_once('/') {
            dirs.insert(dir);
        }
    }
    for dir in dirs {
        let path = staging.join(dir);
        fs::create_dir_all(&path).map_err(|e| Error::io("create", &path, e))?;
    }
    files.par_iter().try_for_each(|f| {
        let path = staging.join(&f.path);
        match &f.contents {
            Contents::Bytes(bytes) => write_file(&path, bytes),
            Contents::Copy(from) => fs::copy(from, &path)
                .map(|_| ())
                .map_err(|e| Error::io("copy", from, e)),
        }
    })?;
    write_file(&staging.join(".gitignore"), GITIGNORE.as_bytes())?;
    write_file(
        &staging.join(MARKER),
        b"This folder is built by lantern and replaced by each build.\n",
    )
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
        remove(old)?;
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
}
