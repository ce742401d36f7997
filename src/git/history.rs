//! The history stage: what git knows about each content file, read once per build.
//!
//! In: the library folder. Out: a [`History`] — every content file's revisions, newest
//! first (commit, date, author, subject, the document's `version` at that commit and the
//! patient data its text held, masked; a subject's is masked too), the text of the
//! revisions that version pages show, and a notice when history is missing or incomplete. It runs `git log` once over the first-parent history of the checked-out
//! branch (so a merged pull request is one revision) and `git cat-file --batch` once for
//! the old file contents; it never runs git per file, and it writes nothing.
//!
//! A build leaves what it learned in its output folder ([`History::to_cache`]); given that,
//! the next build reads only the commits made since, and the texts of old versions are
//! read only for the pages that must be rendered again ([`texts`]).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::model::date::Date;

/// Where a build leaves its history for the next, in its output folder.
pub const CACHE: &str = ".lantern-history";

/// One commit that touched a content file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Revision {
    pub commit: String,
    /// Commit time, seconds since 1970 (UTC).
    pub time: i64,
    pub author: String,
    /// The commit's subject, with any patient data in it masked.
    pub subject: String,
    /// The file's contents after the commit (a git blob id), `None` when it was deleted.
    pub blob: Option<String>,
    /// The `version` in its front matter then, when it had one.
    pub version: Option<u32>,
    /// The file's size then, when it was over `limits.document_bytes` and so not read: its
    /// version is not known and it has no version page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oversize: Option<u64>,
    /// The patient data its text held (an NHS number, a full postcode, a date of birth),
    /// each described with its value masked: a page showing it must hide it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patient_data: Vec<String>,
}

impl Revision {
    pub fn date(&self) -> Date {
        Date::from_unix(self.time)
    }

    pub fn short(&self) -> &str {
        &self.commit[..self.commit.len().min(7)]
    }
}

/// The form of [`History`] that a build leaves for the next: one left in another form is
/// read again from git, so that what each revision holds is known of every one.
const FORM: u32 = 2;

/// The library's history.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct History {
    /// The form of the cache (`FORM`) when read by this version of lantern.
    #[serde(default)]
    pub form: u32,
    /// The commit this history goes up to (`HEAD` when it was read).
    pub head: String,
    /// By content path (`content/interventions/x.md`), newest first.
    pub files: HashMap<String, Vec<Revision>>,
    /// Said once by the build: why history is missing or incomplete.
    #[serde(skip)]
    pub notice: Option<String>,
}

impl History {
    /// A file's revisions, newest first (empty when git does not know it).
    pub fn of(&self, path: &str) -> &[Revision] {
        self.files.get(path).map_or(&[], Vec::as_slice)
    }
}

/// Reads the history of `root/content`, continuing from `cached` (what an earlier build
/// learned) when that is still part of the branch's history. A cache in another form, one
/// that is damaged, or one that holds anything but what git could have said, is not used:
/// git is read again. Old revisions over `limit` bytes (`limits.document_bytes`) are never
/// read: they are marked `oversize`.
pub fn read(root: &Path, cached: Option<&str>, limit: u64) -> History {
    let cached: Option<History> = cached
        .and_then(|text| serde_json::from_str::<History>(text).ok())
        .filter(|c| c.form == FORM)
        .filter(History::is_sound);
    // A revision left unread under a lower limit is read again under this one.
    let cached = cached.filter(|c| {
        !c.files
            .values()
            .flatten()
            .any(|r| r.oversize.is_some_and(|size| size <= limit))
    });
    match read_git(root, cached, limit) {
        Ok(history) => history,
        Err(why) => History {
            notice: Some(why),
            ..History::default()
        },
    }
}

impl History {
    /// What a later build may continue from.
    pub fn to_cache(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// A note on the old revisions not read for their size, if any: `(path, short commit,
    /// size)` of the first few and how many there are.
    pub fn oversize_note(&self, limit: u64) -> Option<String> {
        let mut found: Vec<(&str, &str, u64)> = self
            .files
            .iter()
            .flat_map(|(path, rs)| {
                rs.iter()
                    .filter_map(move |r| Some((path.as_str(), r.short(), r.oversize?)))
            })
            .collect();
        if found.is_empty() {
            return None;
        }
        found.sort();
        let shown: Vec<String> = found
            .iter()
            .take(5)
            .map(|(path, commit, size)| format!("{path} at {commit} ({size} bytes)"))
            .collect();
        let more = match found.len() {
            n if n > 5 => format!(" and {} more", n - 5),
            _ => String::new(),
        };
        Some(format!(
            "{} earlier revision{} larger than `limits.document_bytes` ({limit} bytes) {} not read, so {} no version page: {}{more}",
            found.len(),
            if found.len() == 1 { "" } else { "s" },
            if found.len() == 1 { "was" } else { "were" },
            if found.len() == 1 {
                "it has"
            } else {
                "they have"
            },
            shown.join(", ")
        ))
    }

    /// Whether a history read back from a cache has the shape git gives: commit and blob
    /// ids in hex (the only parts that reach git), and paths of files inside `content/`.
    fn is_sound(&self) -> bool {
        is_commit_id(&self.head)
            && self.files.iter().all(|(path, revisions)| {
                is_content_path(path)
                    && revisions.iter().all(|r| {
                        is_commit_id(&r.commit) && r.blob.as_deref().is_none_or(is_commit_id)
                    })
            })
    }
}

/// A path of a file inside `content/`, as git names it: no empty, `.` or `..` part.
fn is_content_path(path: &str) -> bool {
    path.strip_prefix("content/").is_some_and(|rest| {
        rest.split('/')
            .all(|p| !p.is_empty() && p != "." && p != ".." && !p.contains(['\\', '\0']))
    })
}

/// Reads the texts of `blobs` (ids, or `commit:path` names), by name; missing ones, and
/// those over `limit` bytes, are left out.
pub fn texts(root: &Path, blobs: &[&str], limit: u64) -> HashMap<String, Arc<str>> {
    let mut texts = HashMap::new();
    if blobs.is_empty() {
        return texts;
    }
    let _ = cat_blobs(root, blobs, limit, |n, blob| {
        if let Blob::Text(text) = blob {
            texts.insert(blobs[n].to_string(), Arc::from(text));
        }
    });
    texts
}

fn git(root: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(root).env("GIT_OPTIONAL_LOCKS", "0");
    cmd.stdin(Stdio::null()).stderr(Stdio::piped());
    cmd
}

fn read_git(root: &Path, cached: Option<History>, limit: u64) -> Result<History, String> {
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
    let head = git(root)
        .args(["rev-parse", "-q", "--verify", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let Some(head) = head else {
        // A repository without commits yet.
        return Ok(History::default());
    };
    // Continue from the cached history when its commit is still an ancestor of HEAD.
    let cached = cached.filter(|c| {
        is_commit_id(&c.head)
            && git(root)
                .args(["merge-base", "--is-ancestor", &c.head, &head])
                .status()
                .is_ok_and(|s| s.success())
    });
    let range = match &cached {
        Some(c) => format!("{}..{head}", c.head),
        None => head.clone(),
    };
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
            &range,
            "--",
            "content",
        ])
        .output()
        .map_err(|e| format!("git log failed ({e}): documents have no history pages"))?;
    if !log.status.success() {
        return Err(format!(
            "git log failed ({}): documents have no history pages",
            String::from_utf8_lossy(&log.stderr).trim()
        ));
    }
    let mut new = parse_log(&log.stdout, &prefix);
    read_versions(root, &mut new, limit)?;
    let mut files = cached.map(|c| c.files).unwrap_or_default();
    for (path, mut revisions) in new {
        let older = files.remove(&path).unwrap_or_default();
        revisions.extend(older);
        files.insert(path, revisions);
    }
    let mut history = History {
        form: FORM,
        head,
        files,
        notice: None,
    };
    if shallow {
        history.notice = Some(
            "this is a shallow clone, so history is incomplete: fetch all of it (git fetch --unshallow) for correct dates and versions".to_string(),
        );
    }
    Ok(history)
}

/// A full object id (of a commit or a blob), in hex.
fn is_commit_id(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit())
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
                // A commit message may name the patient data the commit took out: history
                // pages show it, and the cache keeps it, masked.
                subject: crate::scan::pii::mask_text(&next()),
                blob: None,
                version: None,
                oversize: None,
                patient_data: Vec::new(),
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

/// Reads each new revision's file once to learn its `version` and the patient data it
/// holds, marking those over `limit` bytes, which are not read.
fn read_versions(
    root: &Path,
    files: &mut HashMap<String, Vec<Revision>>,
    limit: u64,
) -> Result<(), String> {
    let mut wanted: Vec<(String, usize, String)> = Vec::new();
    let mut paths: Vec<&String> = files.keys().filter(|p| p.ends_with(".md")).collect();
    // By path, so that each file's revisions (often deltas of each other) come together.
    paths.sort();
    for path in paths {
        for (k, r) in files[path].iter().enumerate() {
            if let Some(blob) = &r.blob {
                wanted.push((path.clone(), k, blob.clone()));
            }
        }
    }
    let blobs: Vec<&str> = wanted.iter().map(|w| w.2.as_str()).collect();
    // Two git processes, each reading half, as git inflating old revisions is the cost.
    type Read = (Result<Option<u32>, u64>, Vec<String>);
    let read = |part: &[&str]| -> Result<Vec<Read>, String> {
        let mut versions: Vec<Read> = vec![(Ok(None), Vec::new()); part.len()];
        if !part.is_empty() {
            cat_blobs(root, part, limit, |n, blob| {
                versions[n] = match blob {
                    Blob::Text(text) => (Ok(front_matter_version(&text)), patient_data(&text)),
                    Blob::TooLarge(size) => (Err(size), Vec::new()),
                }
            })?;
        }
        Ok(versions)
    };
    let (first, second) = blobs.split_at(blobs.len() / 2);
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| read(first));
        let b = read(second);
        (a.join(), b)
    });
    let mut versions = a.map_err(|_| "reading old versions failed".to_string())??;
    versions.extend(b?);
    for ((path, k, _), (version, patient_data)) in wanted.iter().zip(versions) {
        if let Some(r) = files.get_mut(path).and_then(|list| list.get_mut(*k)) {
            match version {
                Ok(version) => r.version = version,
                Err(size) => r.oversize = Some(size),
            }
            r.patient_data = patient_data;
        }
    }
    Ok(())
}

/// One old file's contents, or its size when that is over the limit.
enum Blob {
    Text(String),
    TooLarge(u64),
}

/// The patient data in a document's text, each value described with its mask, once.
fn patient_data(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in crate::scan::patient::in_document(text) {
        let said = s.kind.describe(&s.masked);
        if s.kind.identifies() && !out.contains(&said) {
            out.push(said);
        }
    }
    out
}

/// Streams the contents of `blobs` (ids or `commit:path` names), in order, from one
/// `git cat-file --batch` to `each`, with their positions; missing ones are skipped. A
/// blob over `limit` bytes, by the size git gives before it, is passed over unread.
fn cat_blobs(
    root: &Path,
    blobs: &[&str],
    limit: u64,
    mut each: impl FnMut(usize, Blob),
) -> Result<(), String> {
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
    let mut header = String::new();
    for n in 0..blobs.len() {
        header.clear();
        reader.read_line(&mut header).map_err(|e| failed(&e))?;
        // `<id> blob <size>`, or `<name> missing` for a name that does not exist there.
        if header.trim_end().ends_with(" missing") {
            continue;
        }
        let size: u64 = header
            .trim_end()
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| failed(&format!("unexpected `{}`", header.trim_end())))?;
        if size > limit {
            // Through to the next header, a buffer at a time.
            let skipped = std::io::copy(&mut (&mut reader).take(size + 1), &mut std::io::sink())
                .map_err(|e| failed(&e))?;
            if skipped != size + 1 {
                return Err(failed(&"the output ended early"));
            }
            each(n, Blob::TooLarge(size));
            continue;
        }
        let size = usize::try_from(size).map_err(|e| failed(&e))?;
        let mut bytes = vec![0; size + 1];
        reader.read_exact(&mut bytes).map_err(|e| failed(&e))?;
        bytes.pop();
        if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
            bytes.drain(..3);
        }
        each(n, Blob::Text(String::from_utf8_lossy(&bytes).into_owned()));
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(())
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
    fn a_cache_is_used_only_in_the_shape_git_gives() {
        let id = "0123456789abcdef0123456789abcdef01234567";
        let cache = |path: &str, commit: &str, blob: &str| {
            format!(
                r#"{{"head":"{id}","files":{{"{path}":[{{"commit":"{commit}","time":0,"author":"A","subject":"S","blob":"{blob}","version":1}}]}}}}"#
            )
        };
        let sound = |text: &str| {
            serde_json::from_str::<History>(text)
                .ok()
                .is_some_and(|h| h.is_sound())
        };
        assert!(sound(&cache("content/a/x.md", id, id)));
        for (path, commit, blob) in [
            ("content/a/x.md", "ééééééé", id),
            ("content/a/x.md", "abc", id),
            ("content/a/x.md", id, "HEAD:content/library.yaml"),
            ("content/a/x.md", id, &format!("{id}\\n{id}")),
            ("content/../../x.md", id, id),
            ("/etc/passwd", id, id),
        ] {
            assert!(!sound(&cache(path, commit, blob)), "{path} {commit} {blob}");
        }
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
