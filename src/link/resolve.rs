//! Link destinations written in documents, resolved to page URLs.
//!
//! In: a destination as written (`../evaluations/x.md#results`, `../media/a.png`,
//! `https://...`) and everything links can point at. Out: the relative URL to write in the
//! page, or a [`Problem`] saying why the link is broken or unsafe. No I/O.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use crate::markdown::{Heading, Links, Problem};
use crate::model::diagnostic::Severity;
use crate::model::suggest::suggest;
use crate::model::url::Dest;
use crate::model::{Doc, url};

/// What links can point at.
pub struct Targets<'a> {
    pub docs: &'a [Doc],
    pub by_path: HashMap<&'a str, usize>,
    pub included: &'a [bool],
    pub media: HashSet<&'a str>,
    pub data: HashSet<&'a str>,
}

/// Resolves the links of one document.
pub struct Resolver<'a> {
    pub targets: &'a Targets<'a>,
    pub doc: &'a Doc,
    pub anchors: Anchors<'a>,
    /// Data files this document links to: they are published.
    pub linked_data: Mutex<Vec<String>>,
    /// How many "did you mean" searches this document's broken links have made.
    pub suggested: AtomicUsize,
}

/// The "did you mean" searches one document's broken links may make. Each compares the
/// link with every document or many headings, so past these a document of thousands of
/// broken links gets plain hints, at the cost of each link alone.
const SUGGESTIONS: usize = 20;

impl Resolver<'_> {
    /// Whether this broken link may look for a likely typo.
    fn may_suggest(&self) -> bool {
        self.suggested.fetch_add(1, Ordering::Relaxed) < SUGGESTIONS
    }
}

/// How links to a heading (`#id`, `x.md#id`) are checked.
pub enum Anchors<'a> {
    /// Against the headings of every document, `own` being this one's index.
    Known {
        outlines: &'a Outlines<'a>,
        own: usize,
    },
    /// Later, once every body is rendered and so every heading known: each link is noted
    /// and taken as sound. A body with a broken one is rendered again with [`Anchors::Known`],
    /// which reports it and changes its HTML.
    Noted(Mutex<Vec<Anchor>>),
}

/// A link to a heading: the document it points into (`None` for its own) and the id.
pub type Anchor = (Option<usize>, String);

/// The headings of every document, by index. A document's headings are sorted by id the
/// first time a link asks for one of them, so that many links into a document of many
/// headings cost their number, not its product.
pub struct Outlines<'a> {
    headings: Vec<&'a [Heading]>,
    /// For each document, the indexes of its headings in order of id.
    sorted: Vec<OnceLock<Vec<usize>>>,
}

impl<'a> Outlines<'a> {
    pub fn new(headings: Vec<&'a [Heading]>) -> Self {
        let sorted = headings.iter().map(|_| OnceLock::new()).collect();
        Outlines { headings, sorted }
    }

    /// Whether document `doc` has a heading with this id.
    pub fn holds(&self, doc: usize, id: &str) -> bool {
        let (Some(headings), Some(sorted)) = (self.headings.get(doc), self.sorted.get(doc)) else {
            return false;
        };
        let sorted = sorted.get_or_init(|| {
            let mut order: Vec<usize> = (0..headings.len()).collect();
            order.sort_unstable_by(|&a, &b| headings[a].id.cmp(&headings[b].id));
            order
        });
        sorted
            .binary_search_by(|&i| headings[i].id.as_str().cmp(id))
            .is_ok()
    }
}

impl Anchors<'_> {
    pub fn noted() -> Self {
        Anchors::Noted(Mutex::new(Vec::new()))
    }

    /// The links noted (none when checked as they came).
    pub fn into_noted(self) -> Vec<Anchor> {
        match self {
            Anchors::Noted(list) => list.into_inner().unwrap_or_default(),
            Anchors::Known { .. } => Vec::new(),
        }
    }
}

impl Resolver<'_> {
    /// Checks a link to heading `anchor` of document `doc` (`None` for this one), called
    /// `what` in messages.
    fn check_anchor(&self, anchor: &str, doc: Option<usize>, what: &str) -> Result<(), Problem> {
        match &self.anchors {
            Anchors::Known { outlines, own } => {
                let doc = doc.unwrap_or(*own);
                if outlines.holds(doc, anchor) {
                    return Ok(());
                }
                let headings = outlines.headings.get(doc).copied().unwrap_or_default();
                Err(broken_anchor(anchor, headings, what, self.may_suggest()))
            }
            Anchors::Noted(list) => {
                if let Ok(mut list) = list.lock() {
                    list.push((doc, anchor.to_string()));
                }
                Ok(())
            }
        }
    }
}

fn problem(rule: &'static str, message: String, hint: &str) -> Problem {
    Problem {
        severity: Severity::Error,
        rule,
        message,
        hint: hint.to_string(),
        unlink: false,
    }
}

impl Links for Resolver<'_> {
    fn resolve(&self, dest: &str, image: bool) -> Result<Option<String>, Problem> {
        match url::classify(dest) {
            Dest::Empty => Ok(None),
            Dest::External if image => Err(Problem {
                severity: Severity::Warning,
                rule: "external-image",
                message: format!("image `{dest}` is loaded from another website"),
                hint: "save the image in content/media/ so that pages make no outside requests"
                    .to_string(),
                unlink: false,
            }),
            Dest::External => Ok(None),
            Dest::Unsafe(scheme) => Err(problem(
                "unsafe-link",
                format!("`{scheme}:` links are not allowed"),
                "link to a web page (https://...) or another document",
            )),
            Dest::ProtocolRelative => Err(problem(
                "absolute-link",
                format!("`{dest}` has no scheme, so it breaks when the site is opened from disk"),
                "write the full address, starting with https://",
            )),
            Dest::Absolute => Err(problem(
                "absolute-link",
                format!(
                    "`{dest}` is an absolute path, which breaks when the site is opened from disk"
                ),
                "link relative to this file, e.g. `../interventions/some-slug.md`",
            )),
            Dest::Fragment(anchor) => self
                .check_anchor(anchor, None, "this document")
                .map(|()| None),
            Dest::Relative { path, fragment } => self.relative(dest, &path, fragment, image),
        }
    }
}

impl Resolver<'_> {
    fn relative(
        &self,
        dest: &str,
        path: &str,
        fragment: Option<&str>,
        image: bool,
    ) -> Result<Option<String>, Problem> {
        let here = self.doc.url();
        let from_dir = self.doc.path.rsplit_once('/').map_or("", |(d, _)| d);
        let Some(target) = url::join(from_dir, path) else {
            return Err(problem(
                "link-outside-library",
                format!("`{dest}` points outside the library"),
                "link only to files inside content/",
            ));
        };
        let in_content = target.strip_prefix("content/").unwrap_or(&target);
        if in_content.starts_with("media/") {
            return if self.targets.media.contains(in_content) {
                Ok(Some(
                    url::relative(&here, &url::encode_path(in_content))
                        + &url::fragment_suffix(fragment),
                ))
            } else {
                Err(problem(
                    "broken-link",
                    format!("no file {target}"),
                    "check the file name in content/media/",
                ))
            };
        }
        if in_content.starts_with("data/") {
            return if self.targets.data.contains(in_content) {
                if let Ok(mut linked) = self.linked_data.lock() {
                    linked.push(in_content.to_string());
                }
                Ok(Some(url::relative(&here, &url::encode_path(in_content))))
            } else {
                Err(problem(
                    "broken-link",
                    format!("no file {target}"),
                    "check the file name in content/data/",
                ))
            };
        }
        if image {
            return Err(problem(
                "broken-link",
                format!("image `{dest}` is not in content/media/"),
                "put images in content/media/ and link them as ../media/name.png",
            ));
        }
        let Some(&t) = self.targets.by_path.get(target.as_str()) else {
            let paths = self.targets.docs.iter().map(|d| d.path.as_str());
            let hint = match self.may_suggest().then(|| suggest(&target, paths)).flatten() {
                Some(s) => format!("did you mean `{}`?", url::relative_file(&self.doc.path, s)),
                None if target.ends_with(".md") => "check the path: it is relative to this file's folder".to_string(),
                None => "link to a document's .md file, an image in content/media/ or a file in content/data/".to_string(),
            };
            return Err(problem(
                "broken-link",
                format!("`{dest}` links to {target}, which does not exist"),
                &hint,
            ));
        };
        let doc = &self.targets.docs[t];
        if let Some(anchor) = fragment {
            self.check_anchor(anchor, Some(t), &doc.path)?;
        }
        if !self.targets.included[t] {
            return Err(Problem {
                severity: Severity::Warning,
                rule: "draft-link",
                message: format!(
                    "{} is a draft, so this link is shown as plain text",
                    doc.path
                ),
                hint: "publish the linked document, or build with --drafts".to_string(),
                unlink: true,
            });
        }
        Ok(Some(
            url::relative(&here, &url::page_file(&doc.url())) + &url::fragment_suffix(fragment),
        ))
    }
}

/// The headings a broken anchor's hint names at most.
const HINT_HEADINGS: usize = 10;

/// The headings a "did you mean" for a broken anchor looks through at most: a document
/// written by hand has far fewer.
const SUGGEST_HEADINGS: usize = 500;

fn broken_anchor(anchor: &str, headings: &[Heading], what: &str, may_suggest: bool) -> Problem {
    let nearest = may_suggest
        .then(|| {
            let ids = headings
                .iter()
                .take(SUGGEST_HEADINGS)
                .map(|h| h.id.as_str());
            suggest(anchor, ids)
        })
        .flatten();
    let hint = match nearest {
        Some(s) => format!("did you mean `#{s}`?"),
        None if headings.is_empty() => format!("{what} has no headings to link to"),
        None => {
            let shown = &headings[..headings.len().min(HINT_HEADINGS)];
            let list: Vec<String> = shown.iter().map(|h| format!("#{}", h.id)).collect();
            let more = match headings.len() - shown.len() {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            format!("headings there: {}{more}", list.join(", "))
        }
    };
    problem(
        "broken-anchor",
        format!("no heading `#{anchor}` in {what}"),
        &hint,
    )
}
