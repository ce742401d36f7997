//! The history stage: what git knows about each content file, read once per build.
//!
//! In: the library folder. Out: a [`History`] — every content file's revisions, newest
//! first (commit, date, author, subject, and the document's `version` at that commit), the
//! text of the revisions that version pages show, and a notice when history is missing or
//! incomplete. It runs `git log` once over the first-parent history of the checked-out
//! branch (so a merged pull request is one revision) and `git cat-file --batch` once for
//! the old file contents; it never runs git per file, and it writes nothing.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use crate::date::Date;

/// One commit that touched a content file.
#[derive(Debug, Clone)]
pub struct Revision {
    pub commit: String,
    /// Commit time, seconds since 1970 (UTC).
    pub time: i64,
    pub author: String,
    pub subject: String,
    /// The file's contents after the commit (a git blob id), `None` when it was deleted.
    pub blob: Option<String>,
    /// The `version` in its front matter then, when it had one.
    pub version: Option<u32>,
}

impl Revision {
    pub fn date(&self) -> Date {
        Date::from_unix(self.time)
    }

    pub fn short(&self) -> &str {
        &self.commit[..self.commit.len().min(7)]
    }
}

/// The library's history.
#[derive(Debug, Default)]
pub struct History {
    /// By content path (`content/interventions/x.md`), newest first.
    pub files: HashMap<String, Vec<Revision>>,
    /// The text of each blob that a version page needs: for each file and version, the
    /// newest revision with that version.
    pub texts: HashMap<String, Arc<str>>,
    /// Said once by the build: why history is missing or incomplete.
    pub notice: Option<String>,
}

impl History {
    /// A file's revisions, newest first (empty when git does not know it).
    pub fn of(&self, path: &str) -> &[Revision] {
        self.files.get(path).map_or(&[], Vec::as_slice)
    }
}

/// Reads the history of `root/content`.
pub fn read(root: &Path) -> History {
    match read_git(root) {
        Ok(history) => history,
        Err(why) => History {
            notice: Some(why),
            ..History::default()
        },
    }
}

fn git(root: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(root).env("GIT_OPTIONAL_LOCKS", "0");
    cmd.stdin(Stdio::null()).stderr(Stdio::piped());
    cmd
}

fn read_git(root: &Path) -> Result<History, String> {
    const NO_GIT: &str = "the library is not in a git repository: dates come from front matter and documents have no history pages";
    let out = git(root)
        .args(["rev-parse", "--show-prefix", "--is-shallow-repository"])
        .output()
        .map_err(|_| NO_GIT.to_string())?;
    if !out.status.success() {
        return Err(NO_GIT.to_string());
    }
    let info = String::from_utf8_lossy(&out.stdout);
    let mut lines = info.lines();
    let prefix = lines.next().unwrap_or_default().to_string();
    let shallow = lines.next() == Some("true");
    let log = git(root)
        .args([
            "log",
            "--first-parent",
            "--diff-merges=first-parent",
            "--raw",
            "--no-abbrev",
            "--no-renames",
            "-z",
            "--format=%x01%H%x1f%ct%x1f%an%x1f%s",
            "--",
            "content",
        ])
        .output()
        .map_err(|e| format!("git log failed ({e}): documents have no history pages"))?;
    if !log.status.success() {
        // A repository without commits yet.
        return Ok(History::default());
    }
    let mut history = History {
        files: parse_log(&log.stdout, &prefix),
        ..History::default()
    };
    read_versions(root, &mut history)?;
    if shallow {
        history.notice = Some(
            "this is a shallow clone, so history is incomplete: fetch all of it (git fetch --unshallow) for correct dates and versions".to_string(),
        );
    }
    Ok(history)
}

/// Parses `git log -z --raw` output into revisions per content file (newest first).
fn parse_log(out: &[u8], prefix: &str) -> HashMap<String, Vec<Revision>> {
    let mut files: HashMap<String, Vec<Revision>> = HashMap::new();
    let mut commit: Option<Revision> = None;
    let mut tokens = out.split(|&b| b == 0);
    while let Some(token) = tokens.next() {
        let token = String::from_utf8_lossy(token);
        let token = token.trim_start_matches('\n');
        if let Some(header) = token.strip_prefix('\u{1}') {
            let mut parts = header.splitn(4, '\u{1f}');
            let mut next = || parts.next().unwrap_or_default().to_string();
            commit = Some(Revision {
                commit: next(),
                time: next().parse().unwrap_or(0),
                author: next(),
                subject: next(),
                blob: None,
                version: None,
            });
        } else if let Some(raw) = token.strip_prefix(':') {
            // `:old-mode new-mode old-blob new-blob status`, then the path.
            let fields: Vec<&str> = raw.split(' ').collect();
            let Some(path) = tokens.next() else { break };
            let path = String::from_utf8_lossy(path);
            let (Some(c), [_, _, _, new, status, ..]) = (&commit, fields.as_slice()) else {
                continue;
            };
            let Some(path) = path.strip_prefix(prefix) else {
                continue;
            };
            let mut revision = c.clone();
            if !status.starts_with('D') {
                revision.blob = Some(new.to_string());
            }
            files.entry(path.to_string()).or_default().push(revision);
        }
    }
    files
}

/// Reads every revision's blob once to learn its `version`, keeping the text of the
/// newest revision of each version of each file.
fn read_versions(root: &Path, history: &mut History) -> Result<(), String> {
    let mut order: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    let mut paths: Vec<&String> = history.files.keys().collect();
    paths.sort();
    for path in &paths {
        for r in &history.files[*path] {
            if let Some(blob) = &r.blob
                && path.ends_with(".md")
                && seen.insert(blob.clone())
            {
                order.push(blob.clone());
            }
        }
    }
    if order.is_empty() {
        return Ok(());
    }
    let texts = cat_blobs(root, &order)?;
    let mut versions: HashMap<&str, Option<u32>> = HashMap::new();
    for (blob, text) in order.iter().zip(&texts) {
        versions.insert(blob, front_matter_version(text));
    }
    let mut keep: HashSet<String> = HashSet::new();
    for revisions in history.files.values_mut() {
        let mut kept: HashSet<Option<u32>> = HashSet::new();
        for r in revisions.iter_mut() {
            let Some(blob) = &r.blob else { continue };
            r.version = versions.get(blob.as_str()).copied().flatten();
            if r.version.is_some() && kept.insert(r.version) {
                keep.insert(blob.clone());
            }
        }
    }
    for (blob, text) in order.into_iter().zip(texts) {
        if keep.contains(&blob) {
            history.texts.insert(blob, Arc::from(text));
        }
    }
    Ok(())
}

/// The contents of `blobs`, in order, from one `git cat-file --batch`.
fn cat_blobs(root: &Path, blobs: &[String]) -> Result<Vec<String>, String> {
    let failed = |e: &dyn std::fmt::Display| {
        format!("git cat-file failed ({e}): documents have no version pages")
    };
    let mut child = git(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| failed(&e))?;
    let mut stdin = child.stdin.take().ok_or_else(|| failed(&"no input"))?;
    let input: String = blobs.iter().map(|b| format!("{b}\n")).collect();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let stdout = child.stdout.take().ok_or_else(|| failed(&"no output"))?;
    let mut reader = BufReader::with_capacity(1 << 16, stdout);
    let mut texts = Vec::with_capacity(blobs.len());
    let mut header = String::new();
    for _ in blobs {
        header.clear();
        reader.read_line(&mut header).map_err(|e| failed(&e))?;
        // `<id> blob <size>`, or `<id> missing`.
        let size: usize = header
            .trim_end()
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| failed(&format!("unexpected `{}`", header.trim_end())))?;
        let mut bytes = vec![0; size + 1];
        reader.read_exact(&mut bytes).map_err(|e| failed(&e))?;
        bytes.pop();
        if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
            bytes.drain(..3);
        }
        texts.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(texts)
}

/// The `version: N` line of a document's front matter, without parsing the rest.
pub fn front_matter_version(text: &str) -> Option<u32> {
    let mut lines = text.lines();
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    for line in lines {
        let line = line.trim_end();
        if line == "---" || line == "..." {
            return None;
        }
        if let Some(value) = line.strip_prefix("version:") {
            let value = value.split('#').next().unwrap_or_default().trim();
            return value.trim_matches(['"', '\'']).parse().ok();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_version_line_of_front_matter_only() {
        assert_eq!(
            front_matter_version("---\ntitle: A\nversion: 3\n---\nversion: 9\n"),
            Some(3)
        );
        assert_eq!(
            front_matter_version("---\nversion: \"2\" # bumped\n---\n"),
            Some(2)
        );
        assert_eq!(
            front_matter_version("---\ntitle: A\n---\nversion: 9\n"),
            None
        );
        assert_eq!(front_matter_version("version: 1\n"), None);
    }

    #[test]
    fn parses_raw_log_records_with_odd_paths() {
        let out = b"\x01abc123\x1f1700000000\x1fAda\x1fEdit: two files\x00\n:100644 100644 1111 2222 M\x00lib/content/a/x.md\x00:100644 000000 3333 0000 D\x00lib/content/a/y z.md\x00\x01def456\x1f1600000000\x1fBo\x1fFirst\x00\n:000000 100644 0000 1111 A\x00lib/content/a/x.md\x00";
        let files = parse_log(out, "lib/");
        let x = &files["content/a/x.md"];
        assert_eq!(x.len(), 2);
        assert_eq!(
            (x[0].commit.as_str(), x[0].blob.as_deref()),
            ("abc123", Some("2222"))
        );
        assert_eq!((x[1].author.as_str(), x[1].time), ("Bo", 1600000000));
        let y = &files["content/a/y z.md"];
        assert_eq!(
            (y[0].subject.as_str(), y[0].blob.as_deref()),
            ("Edit: two files", None)
        );
    }
}
