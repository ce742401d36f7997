//! What the previous build left in the output folder, for this build to reuse.
//!
//! In: the output folder. Out: [`Previous`], the pages of the past that a build may keep
//! instead of rendering them again (each with the key of what it was made from and the
//! hash of what was written), and the history the build read from git; and
//! [`manifest`], the list this build leaves for the next. Nothing found there is taken on
//! trust: a listed path that is not inside the folder is ignored, and a page is kept only
//! when it is a plain file, reached through real folders, whose contents hash to what the
//! list recorded. The history is handed on as text for [`crate::git::history`] to check.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::found::{self, Digest, MANIFEST, is_ours};
use crate::model::site::{Contents, OutputFile};

/// The first line of the list, naming its form.
const HEADER: &str = "lantern pages 2";
/// The largest list or history file read: far more than a library of 50,000 documents
/// with a long history leaves, and a bound on what a hostile one can make a build hold.
const LIMIT: u64 = 256 << 20;

/// The pages of the previous build that a build may keep instead of rendering them again.
#[derive(Debug, Default)]
pub struct Previous {
    dir: PathBuf,
    pages: HashMap<String, Page>,
    /// The history the previous build read, to continue from (see [`crate::git::history`]).
    pub history: Option<String>,
}

/// A page of the past as the list records it.
#[derive(Debug)]
struct Page {
    /// The key of everything it was made from.
    key: u64,
    /// The hash of the bytes written.
    digest: Digest,
    /// Whether the file is still what was written: checked once, when first asked for.
    intact: OnceLock<bool>,
}

impl Previous {
    /// Reads the list that the build in `out` left (nothing when there is none, or when
    /// `out` is not a real folder that lantern built).
    pub fn read(out: &Path) -> Previous {
        if !found::is_real_dir(out) || !is_ours(out) {
            return Previous::default();
        }
        let Some(pages) = found::read(&out.join(MANIFEST), LIMIT)
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|text| parse(&text))
        else {
            return Previous::default();
        };
        let history = found::read(&out.join(crate::git::history::CACHE), LIMIT)
            .and_then(|bytes| String::from_utf8(bytes).ok());
        Previous {
            dir: out.to_path_buf(),
            pages,
            history,
        }
    }

    /// The previous build's file for `path`, when it was made from the same `key` and
    /// still holds what was written. Safe to ask from many threads: each file is hashed
    /// once, by the first to ask.
    pub fn keep(&self, path: &str, key: u64) -> Option<PathBuf> {
        let page = self.pages.get(path).filter(|p| p.key == key)?;
        let intact = *page
            .intact
            .get_or_init(|| found::digest_inside(&self.dir, path) == Some(page.digest));
        intact.then(|| self.dir.join(path))
    }

    /// The hash recorded for a page that [`Previous::keep`] gives.
    pub fn digest(&self, path: &str) -> Option<Digest> {
        self.pages.get(path).map(|p| p.digest)
    }
}

/// After the `HEADER` line, a line `KEY HASH PATH` per page: its key and hash in hex.
/// `None` for a list in another form; a line that is not a page inside the folder is
/// left out.
fn parse(text: &str) -> Option<HashMap<String, Page>> {
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return None;
    }
    let mut pages = HashMap::new();
    for line in lines {
        let mut parts = line.splitn(3, ' ');
        let (Some(key), Some(hash), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let (Ok(key), Some(digest)) = (u64::from_str_radix(key, 16), from_hex(hash)) else {
            continue;
        };
        if !found::is_inside(path) {
            continue;
        }
        let intact = OnceLock::new();
        pages.insert(
            path.to_string(),
            Page {
                key,
                digest,
                intact,
            },
        );
    }
    Some(pages)
}

fn from_hex(text: &str) -> Option<Digest> {
    let mut digest = [0; 32];
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    for (byte, pair) in digest.iter_mut().zip(text.as_bytes().chunks(2)) {
        *byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(digest)
}

/// The list of what this build wrote for the next: each page of the past with its path,
/// key and hash.
pub fn manifest(mut pages: Vec<(String, u64, Digest)>) -> OutputFile {
    pages.sort();
    let mut text = format!("{HEADER}\n");
    for (path, key, digest) in pages {
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        text.push_str(&format!("{key:016x} {hex} {path}\n"));
    }
    OutputFile {
        path: MANIFEST.to_string(),
        contents: Contents::Bytes(text.into_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_keeps_pages_inside_the_folder_only() {
        let hash = "ab".repeat(32);
        let text = format!(
            "{HEADER}\n00000000000000ff {hash} a/v1/index.html\n0000000000000001 {hash} ../escape.html\n0000000000000001 {hash} /etc/passwd\n0000000000000001 {hash} a/../../b\nzz {hash} b/index.html\n0000000000000001 short c/index.html\n"
        );
        let pages = parse(&text).expect("a list");
        let paths: Vec<&String> = pages.keys().collect();
        assert_eq!(paths, ["a/v1/index.html"]);
        assert_eq!(pages["a/v1/index.html"].key, 255);
        assert_eq!(pages["a/v1/index.html"].digest, [0xab; 32]);
        assert!(parse("lantern pages 1\n").is_none());
    }

    #[test]
    fn the_list_written_reads_back() {
        let file = manifest(vec![("p/index.html".to_string(), 7, [3; 32])]);
        let Contents::Bytes(bytes) = file.contents else {
            panic!("bytes")
        };
        let pages = parse(std::str::from_utf8(&bytes).expect("utf-8")).expect("a list");
        assert_eq!(
            (pages["p/index.html"].key, pages["p/index.html"].digest),
            (7, [3; 32])
        );
    }
}
