//! The versions stage: each document's revisions and citable versions, from the history.
//!
//! In: the loaded documents and the [`History`]. Out: for each document with history, its
//! revisions newest first — its own file's and those of old files whose addresses it lists
//! in `aliases` — and its versions (for each `version` number, the newest revision that
//! had it); `updated` filled in from the last revision where front matter leaves it out;
//! and a warning for each document git tracked that is gone with no alias to follow it.
//! No I/O.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::git::history::{History, Revision};
use crate::model::diagnostic::{Diagnostic, Pos};
use crate::model::url::page_file;
use crate::model::{Doc, Kind, url};

/// A document's past.
#[derive(Debug, Default)]
pub struct DocHistory {
    /// Newest first.
    pub revisions: Vec<Revision>,
    /// Oldest first: each version number with the index of the newest revision that had it.
    pub versions: Vec<(u32, usize)>,
}

impl DocHistory {
    /// The revision that version `n` shows.
    pub fn at(&self, n: u32) -> Option<&Revision> {
        let &(_, r) = self.versions.iter().find(|(v, _)| *v == n)?;
        self.revisions.get(r)
    }

    /// The blob of version `n`.
    pub fn blob(&self, n: u32) -> Option<&str> {
        self.at(n)?.blob.as_deref()
    }
}

/// The histories of documents, by path.
pub type Histories = HashMap<String, DocHistory>;

/// The page file of the document that a content path held (`content/interventions/x.md`
/// → `interventions/x/index.html`), if it is a document path.
pub fn page_of(path: &str) -> Option<String> {
    let rest = path.strip_prefix("content/")?;
    let (folder, file) = rest.split_once('/')?;
    let slug = file.strip_suffix(".md")?;
    if slug.contains('/') {
        return None;
    }
    Some(page_file(&Kind::from_folder(folder)?.url(slug)))
}

/// Works out every document's history, fills in `updated`, and warns about tracked
/// documents that disappeared without an alias.
pub fn apply(docs: &mut [Doc], history: &History, diagnostics: &mut Vec<Diagnostic>) -> Histories {
    let current: HashSet<&str> = docs.iter().map(|d| d.path.as_str()).collect();
    // Old files, by the page they had, that no current document holds.
    let mut gone: BTreeMap<String, &str> = BTreeMap::new();
    for (path, revisions) in &history.files {
        if current.contains(path.as_str()) || revisions.is_empty() {
            continue;
        }
        if let Some(page) = page_of(path) {
            gone.insert(page, path);
        }
    }
    let mut followed: HashSet<String> = HashSet::new();
    let mut out = Histories::new();
    for doc in docs.iter_mut() {
        let mut revisions: Vec<Revision> = history.of(&doc.path).to_vec();
        for alias in &doc.meta.aliases {
            let Ok(page) = url::alias_path(&alias.id) else {
                continue;
            };
            if let Some(old) = gone.get(&page) {
                followed.insert(page.clone());
                let known: HashSet<String> = revisions.iter().map(|r| r.commit.clone()).collect();
                revisions.extend(
                    history
                        .of(old)
                        .iter()
                        .filter(|r| r.blob.is_some() && !known.contains(&r.commit))
                        .cloned(),
                );
            }
        }
        if revisions.is_empty() {
            continue;
        }
        revisions.sort_by_key(|r| std::cmp::Reverse(r.time));
        if doc.meta.updated.is_none() {
            let last = revisions[0].date();
            if doc.meta.published.is_none_or(|p| last > p) {
                doc.meta.updated = Some(last);
            }
        }
        let mut versions: Vec<(u32, usize)> = Vec::new();
        for (k, r) in revisions.iter().enumerate() {
            if let Some(v) = r.version
                && r.blob.is_some()
                && versions.iter().all(|(n, _)| *n != v)
            {
                versions.push((v, k));
            }
        }
        versions.sort();
        out.insert(
            doc.path.clone(),
            DocHistory {
                revisions,
                versions,
            },
        );
    }
    for (page, path) in gone {
        if followed.contains(&page) {
            continue;
        }
        let address = page.strip_suffix("index.html").unwrap_or(&page);
        diagnostics.push(
            Diagnostic::warning(
                path,
                Pos::start(),
                "missing-alias",
                format!("this document was removed, so `{address}` and its versions no longer exist"),
            )
            .hint(format!(
                "if it moved, add `{address}` to the `aliases` of its new file; if it is withdrawn, keep it with `status: archived`"
            )),
        );
    }
    out
}
