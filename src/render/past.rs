//! The pages of a document's past: its history, each citable version, and what changed
//! from one version to the next.
//!
//! In: the linked library, each document's [`DocHistory`] and the text of its versions.
//! Out: the template values of `<doc>/history/`, `<doc>/v<N>/` and `<doc>/v<N>/changes/`.
//! An old version is rendered from its own text, as it stood; its links point at the
//! library as it is now, and those whose target is gone keep only their text. Old
//! versions are not checked, as they cannot be changed, but the patient data in their text
//! (however it is spelled) is masked on every page that shows them. No I/O, but for
//! [`needed`] asking the previous build which pages it keeps, which reads them.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::git::versions::{DocHistory, Histories};
use crate::link::{Linked, Related};
use crate::load::fields;
use crate::markdown::{Links, Problem, Rendered, Source};
use crate::model::date::Date;
use crate::model::diagnostic::Severity;
use crate::model::url::{Dest, page_file};
use crate::model::{Config, Doc, Kind, url};
use crate::render::diff;
use crate::scan::patient;
use crate::{frontmatter, markdown};

/// Each document's history and the texts of its versions.
pub struct Past<'a> {
    pub histories: &'a Histories,
    pub texts: &'a HashMap<String, Arc<str>>,
}

impl Past<'_> {
    pub fn of(&self, doc: &Doc) -> Option<&DocHistory> {
        self.histories.get(&doc.path)
    }
}

/// The library as it is, which pages of the past link to.
#[derive(Clone, Copy)]
pub struct Present<'a> {
    pub linked: &'a Linked,
    pub cards: &'a [tera::Value],
    pub config: &'a Config,
    pub now: &'a Now,
}

/// What pages of the past show of the library as it is: its sites.
pub struct Now {
    /// Site slug → index.
    sites: HashMap<String, usize>,
}

impl Now {
    pub fn new(linked: &Linked) -> Now {
        Now {
            sites: linked
                .docs
                .iter()
                .enumerate()
                .filter(|(_, d)| d.kind == Kind::Site)
                .map(|(i, d)| (d.slug.clone(), i))
                .collect(),
        }
    }
}

/// Resolves the links of an old version shown at `page` from their text alone: a
/// document's link goes to the address its file gives it (which a moved document keeps
/// through its `aliases`), a media or data file's to its copy. So a version's page depends
/// on its own text only, and can be kept from one build to the next.
struct Archived<'a> {
    path: &'a str,
    page: &'a str,
}

impl Links for Archived<'_> {
    fn resolve(&self, dest: &str, _image: bool) -> Result<Option<String>, Problem> {
        let gone = || Problem {
            severity: Severity::Error,
            rule: "unresolved",
            message: String::new(),
            hint: String::new(),
            unlink: true,
        };
        match url::classify(dest) {
            Dest::Empty | Dest::External | Dest::Fragment(_) => Ok(None),
            Dest::Relative { path, fragment } => {
                let dir = self.path.rsplit_once('/').map_or("", |(d, _)| d);
                let target = url::join(dir, &path).ok_or_else(gone)?;
                let in_content = target.strip_prefix("content/").ok_or_else(gone)?;
                let to = if in_content.starts_with("media/") || in_content.starts_with("data/") {
                    url::encode_path(in_content)
                } else {
                    crate::git::versions::page_of(&target).ok_or_else(gone)?
                };
                Ok(Some(
                    url::relative(self.page, &to) + &url::fragment_suffix(fragment),
                ))
            }
            _ => Err(gone()),
        }
    }
}

/// An old version, parsed and rendered for the page at `page`.
pub struct Old {
    pub doc: Doc,
    pub body: Rendered,
}

fn old(base: &Doc, text: &str, config: &Config, page: &str) -> Old {
    let mut ignored = Vec::new();
    // Earlier text was never checked as the current text is: an NHS number, postcode or
    // date of birth removed since must not come back on a page of the past, however it was
    // spelled. Its letters are hidden so that the text still reads as it did; what is
    // rendered from it shows them as `*` (see `shown`).
    let text = patient::hide(text);
    let doc = fields::read(
        base.kind,
        &base.slug,
        &base.path,
        text,
        config,
        &mut ignored,
    );
    let links = Archived {
        path: &base.path,
        page,
    };
    let source = Source {
        path: &doc.path,
        text: &doc.text,
        body_offset: doc.body_offset,
    };
    let body = markdown::render(&source, &links, &mut ignored);
    Old { doc, body }
}

pub fn history_url(doc: &Doc) -> String {
    format!("{}history/", doc.url())
}

pub fn version_url(doc: &Doc, n: u32) -> String {
    format!("{}v{n}/", doc.url())
}

pub fn changes_url(doc: &Doc, n: u32) -> String {
    format!("{}v{n}/changes/", doc.url())
}

/// What every page of a document's past says about the document.
fn head(linked: &Linked, i: usize, h: &DocHistory) -> Value {
    let doc = &linked.docs[i];
    let current = h.versions.last().map(|&(n, _)| n);
    json!({
        "title": doc.title,
        "kind": doc.kind,
        "kind_label": doc.kind.label(),
        "href": page_file(&doc.url()),
        "listing": {"label": doc.kind.plural(), "href": page_file(&format!("{}/", doc.kind.folder()))},
        "version": doc.meta.version,
        "history_href": page_file(&history_url(doc)),
        "current_version": current,
    })
}

fn revision(doc: &Doc, h: &DocHistory, k: usize) -> Value {
    let r = &h.revisions[k];
    let date = r.date();
    // A version links to its page from the revision that the page shows.
    let shown = h.versions.iter().find(|&&(_, at)| at == k).map(|&(n, _)| n);
    json!({
        "date": {"iso": date.to_string(), "long": date.long()},
        "author": r.author,
        "subject": r.subject,
        "version": r.version,
        "version_href": shown.map(|n| page_file(&version_url(doc, n))),
        "commit": r.commit,
        "short": r.short(),
    })
}

/// `<doc>/history/`: every revision, newest first.
pub fn history_page(linked: &Linked, i: usize, h: &DocHistory) -> Value {
    let doc = &linked.docs[i];
    let revisions: Vec<Value> = (0..h.revisions.len())
        .map(|k| revision(doc, h, k))
        .collect();
    let versions: Vec<Value> = h
        .versions
        .iter()
        .rev()
        .map(|&(n, k)| {
            let date = h.revisions[k].date();
            json!({
                "n": n,
                "href": page_file(&version_url(doc, n)),
                "changes_href": (h.versions[0].0 != n).then(|| page_file(&changes_url(doc, n))),
                "date": {"iso": date.to_string(), "long": date.long()},
            })
        })
        .collect();
    json!({"doc": head(linked, i, h), "revisions": revisions, "versions": versions})
}

/// The "cite this version" line.
fn citation(
    linked: &Linked,
    config: &Config,
    i: usize,
    sites: &[usize],
    n: u32,
    date: &str,
) -> String {
    let doc = &linked.docs[i];
    let sites: Vec<&str> = sites
        .iter()
        .map(|&s| linked.docs[s].title.as_str())
        .collect();
    let mut line = format!("{}. ", doc.title.trim_end_matches('.'));
    if !sites.is_empty() {
        line.push_str(&format!("{}. ", sites.join("; ")));
    }
    line.push_str(&format!(
        "{}, version {n}, {date}. {}{}",
        config.title,
        config.base_url,
        version_url(doc, n)
    ));
    line
}

/// `<doc>/v<N>/`: the document as it stood at the newest revision with version `n`.
pub fn version_page(
    present: &Present,
    i: usize,
    h: &DocHistory,
    n: u32,
    text: &str,
) -> tera::Value {
    let Present {
        linked,
        cards,
        config,
        now,
    } = *present;
    let base = &linked.docs[i];
    let page = version_url(base, n);
    let date = Date::from_unix(h.at(n).map_or(0, |r| r.time));
    let mut old = old(base, text, config, &page);
    // As with the current version, a version's last change is its last revision's day.
    let meta = &mut old.doc.meta;
    if meta.updated.is_none() && meta.published.is_none_or(|p| date > p) {
        meta.updated = Some(date);
    }
    let related = Related {
        sites: old
            .doc
            .meta
            .sites
            .iter()
            .filter_map(|r| now.sites.get(&r.id).copied())
            .collect(),
        ..Related::default()
    };
    let mut doc = crate::render::view::document_of(&old.doc, &old.body, &related, cards, config);
    let previous = h
        .versions
        .iter()
        .rev()
        .find(|(v, _)| *v < n)
        .map(|&(v, _)| v);
    doc.set(
        "cite",
        citation(linked, config, i, &related.sites, n, &date.long()).into(),
    );
    doc.set("history_href", page_file(&history_url(base)).into());
    let past = json!({
        "n": n,
        "date": {"iso": date.to_string(), "long": date.long()},
        "current": h.versions.last().is_some_and(|&(c, _)| c == n),
        "changes_href": previous.map(|_| page_file(&changes_url(base, n))),
        "head": head(linked, i, h),
    });
    doc.set("past", crate::render::view::value(&past));
    shown(doc.page())
}

/// `value` with each character that [`patient::hide`] hid shown as `*`.
fn shown(value: tera::Value) -> tera::Value {
    if let Some(text) = value.as_str() {
        if !text.contains(patient::HIDDEN) {
            return value;
        }
        let shown = tera::Value::from(patient::shown(text));
        return if value.is_safe() {
            shown.mark_safe()
        } else {
            shown
        };
    }
    if let Some(items) = value.as_array() {
        return tera::Value::from(items.iter().cloned().map(shown).collect::<Vec<_>>());
    }
    if value.as_map().is_none() {
        return value;
    }
    let map = value.into_map().unwrap_or_default();
    tera::Value::from(
        map.into_iter()
            .map(|(k, v)| (k, shown(v)))
            .collect::<tera::Map>(),
    )
}

/// What the page of a document as it is says of its past: a link to its history and,
/// when its current version has a page, how to cite it.
pub fn current(linked: &Linked, config: &Config, i: usize, h: &DocHistory) -> Value {
    let doc = &linked.docs[i];
    let n = doc.meta.version;
    let cite = h.versions.iter().find(|(v, _)| *v == n).map(|&(_, k)| {
        let date = h.revisions[k].date().long();
        citation(linked, config, i, &linked.related[i].sites, n, &date)
    });
    json!({"history_href": page_file(&history_url(doc)), "cite": cite})
}

/// The text a reader sees of a version: title, summary, then each section, with hidden
/// characters shown as `*`.
fn plain(old: &Old) -> String {
    let mut out = format!("{}\n\n{}\n\n", old.doc.title, old.doc.summary);
    for s in &old.body.sections() {
        if !s.heading.is_empty() {
            out.push_str(&s.heading);
            out.push_str("\n\n");
        }
        out.push_str(&s.text);
        out.push_str("\n\n");
    }
    patient::shown(&out)
}

/// What differs between two texts of the document `base`: the words of their renderings,
/// the front-matter fields, and the later text as read. Links are made for the page `page`.
pub fn compare(
    base: &Doc,
    (before, after): (&str, &str),
    config: &Config,
    page: &str,
) -> (diff::WordDiff, Vec<diff::FieldChange>, Old) {
    let (a, b) = (
        old(base, before, config, page),
        old(base, after, config, page),
    );
    let yaml = |t: &str| {
        let t = patient::hide(t);
        frontmatter::split(&t)
            .map(|s| s.yaml.to_string())
            .unwrap_or_default()
    };
    let words = diff::words_between(&plain(&a), &plain(&b));
    let mut fields = diff::fields_between(&yaml(before), &yaml(after));
    for f in &mut fields {
        f.before = patient::shown(&f.before);
        f.after = patient::shown(&f.after);
    }
    (words, fields, b)
}

/// `<doc>/v<N>/changes/`: what changed from the version before `n` to `n`.
pub fn changes_page(
    present: &Present,
    i: usize,
    h: &DocHistory,
    (before, n): (u32, u32),
    (old_text, new_text): (&str, &str),
) -> Value {
    let Present { linked, config, .. } = *present;
    let base = &linked.docs[i];
    let page = changes_url(base, n);
    let (words, fields, b) = compare(base, (old_text, new_text), config, &page);
    let date = Date::from_unix(h.at(n).map_or(0, |r| r.time));
    json!({
        "doc": head(linked, i, h),
        "from": {"n": before, "href": page_file(&version_url(base, before))},
        "to": {"n": n, "href": page_file(&version_url(base, n)), "date": {"iso": date.to_string(), "long": date.long()}},
        "change_note": b.doc.meta.change_note.as_deref().map(patient::shown),
        "words": words,
        "fields": fields,
    })
}

/// What every page of the past shows that is not its own: lantern itself, the theme, the
/// configuration and the sites. Pages are kept from the previous build only while this is
/// the same.
pub fn fingerprint(linked: &Linked, config: &Config, theme: &crate::load::theme::Theme) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    // This very program: a new build of lantern renders everything again.
    std::env::current_exe()
        .and_then(std::fs::metadata)
        .ok()
        .map(|m| (m.len(), m.modified().ok()))
        .hash(&mut h);
    theme.templates.hash(&mut h);
    theme.statics.hash(&mut h);
    format!("{config:?}").hash(&mut h);
    for d in linked.docs.iter().filter(|d| d.kind == Kind::Site) {
        (&d.path, &*d.text).hash(&mut h);
    }
    h.finish()
}

fn key(parts: impl Hash) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    parts.hash(&mut h);
    h.finish()
}

/// Everything a document's past pages show of the document as it is now.
fn now_of(doc: &Doc, h: &DocHistory) -> (String, String, u32, Option<u32>) {
    (
        doc.path.clone(),
        doc.title.clone(),
        doc.meta.version,
        h.versions.last().map(|v| v.0),
    )
}

/// The key of a document's history page: its revisions and what it says of the document.
pub fn history_key(site: u64, doc: &Doc, h: &DocHistory) -> u64 {
    let revisions: Vec<_> = h
        .revisions
        .iter()
        .map(|r| (&r.commit, r.time, &r.author, &r.subject, r.version, &r.blob))
        .collect();
    key(("history", site, now_of(doc, h), revisions, &h.versions))
}

/// The key of the page of version `n`: its text and what it says of the document.
pub fn version_key(site: u64, doc: &Doc, h: &DocHistory, n: u32) -> u64 {
    let previous = h.versions.iter().any(|(v, _)| *v < n);
    let at = h.at(n).map(|r| (&r.blob, r.time));
    key(("version", site, now_of(doc, h), n, at, previous))
}

/// The key of what changed from version `from` to `to`: both texts.
pub fn changes_key(site: u64, doc: &Doc, h: &DocHistory, (from, to): (u32, u32)) -> u64 {
    let at = |n| h.at(n).map(|r| (&r.blob, r.time));
    key(("changes", site, now_of(doc, h), from, to, at(from), at(to)))
}

/// One page of a document's past.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    History,
    Version(u32),
    /// What changed from the first version to the second.
    Changes(u32, u32),
}

/// The pages of a document's past, each with its address and key (see [`fingerprint`]).
pub fn pages(doc: &Doc, h: &DocHistory, site: u64) -> Vec<(Page, String, u64)> {
    let mut out = vec![(Page::History, history_url(doc), history_key(site, doc, h))];
    let mut before = None;
    for &(n, _) in &h.versions {
        out.push((
            Page::Version(n),
            version_url(doc, n),
            version_key(site, doc, h, n),
        ));
        if let Some(from) = before {
            let key = changes_key(site, doc, h, (from, n));
            out.push((Page::Changes(from, n), changes_url(doc, n), key));
        }
        before = Some(n);
    }
    out
}

/// The texts that the pages of the past need, leaving out pages that `previous` keeps.
pub fn needed<'a>(
    linked: &Linked,
    histories: &'a Histories,
    site: u64,
    previous: &crate::output::Previous,
) -> Vec<&'a str> {
    // On every core, as asking whether a page can be kept hashes its file the first time.
    let mut blobs: Vec<&str> = linked
        .docs
        .par_iter()
        .filter(|d| d.kind.is_publication())
        .filter_map(|doc| Some((doc, histories.get(&doc.path)?)))
        .flat_map_iter(|(doc, h)| {
            let mut blobs = Vec::new();
            for (page, url, key) in pages(doc, h, site) {
                if previous.keep(&page_file(&url), key).is_some() {
                    continue;
                }
                let versions = match page {
                    Page::History => vec![],
                    Page::Version(n) => vec![n],
                    Page::Changes(from, to) => vec![from, to],
                };
                blobs.extend(versions.into_iter().filter_map(|n| h.blob(n)));
            }
            blobs
        })
        .collect();
    blobs.sort_unstable();
    blobs.dedup();
    blobs
}
