//! The link stage: checks what documents say about each other and renders their bodies.
//!
//! In: the loaded [`Library`] and whether drafts are wanted. Out: a [`Linked`] library — the
//! documents that will be published, each with its rendered body, its related documents in
//! both directions, and the data and media files pages use — plus every diagnostic of
//! relations ([`relations`]), links ([`crate::resolve`]) and writing conventions ([`lint`]).
//! No I/O.

use std::collections::BTreeSet;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::markdown::{self, Heading, Rendered, Source};
use crate::model::{Doc, Kind, Library, Status};
pub use crate::relations::Related;
use crate::resolve::{Resolver, Targets};
use crate::{lint, relations};

/// The published documents with their bodies and relations.
#[derive(Clone)]
pub struct Linked {
    pub docs: Vec<Doc>,
    pub bodies: Vec<Rendered>,
    pub related: Vec<Related>,
    /// Data files (`data/x.csv`) that a page links to: published as they are. (Charts and
    /// equity tables publish what [`crate::charts`] computes from theirs instead.)
    pub data_files: BTreeSet<String>,
    /// Every file under `content/media/` (`media/x.png`): published as files.
    pub media: Vec<String>,
    /// Every file under `content/data/` (`data/x.csv`), published or not.
    pub data: Vec<String>,
    /// The text of every CSV file under `content/data/`, by the same paths.
    pub tables: std::collections::BTreeMap<String, std::sync::Arc<str>>,
    /// Accepted aliases: the redirect file to write and the index of its document.
    pub redirects: Vec<(String, usize)>,
    /// What each document's charts and equity tables are drawn from, once
    /// [`crate::charts::evaluate`] has run (empty before, and for documents without any).
    pub figures: Vec<crate::charts::Plan>,
}

/// Renders the body of `doc`, standing in for the published document `i` of `linked`
/// whose headings are `outlines` (one per document), with the diagnostics of its links
/// and writing and the data files it links to: for `serve`, when only that document's text changed. Drafts are not in
/// `linked`, so a link to one is reported as broken here.
pub fn render_one(
    linked: &Linked,
    outlines: &[Vec<Heading>],
    i: usize,
    doc: &Doc,
) -> (Rendered, Vec<Diagnostic>, Vec<String>) {
    let included = vec![true; linked.docs.len()];
    let targets = Targets {
        docs: &linked.docs,
        by_path: linked
            .docs
            .iter()
            .enumerate()
            .map(|(k, d)| (d.path.as_str(), k))
            .collect(),
        included: &included,
        outlines,
        media: linked.media.iter().map(String::as_str).collect(),
        data: linked.data.iter().map(String::as_str).collect(),
    };
    render_doc(&targets, doc, &outlines[i])
}

/// One document's body, the diagnostics of its links and writing, and the data files it
/// links to.
fn render_doc(
    targets: &Targets<'_>,
    doc: &Doc,
    own: &[Heading],
) -> (Rendered, Vec<Diagnostic>, Vec<String>) {
    let mut diags = Vec::new();
    lint::todo_markers(doc, &mut diags);
    if doc.kind == Kind::CaseStudy {
        lint::case_study_sections(doc, own, &mut diags);
    }
    let resolver = Resolver {
        targets,
        doc,
        own,
        linked_data: Mutex::new(Vec::new()),
    };
    let source = Source {
        path: &doc.path,
        text: &doc.text,
        body_offset: doc.body_offset,
    };
    let rendered = markdown::render(&source, &resolver, &mut diags);
    let linked = resolver.linked_data.into_inner().unwrap_or_default();
    (rendered, diags, linked)
}

/// Checks relations and links, and renders every included document.
pub fn link(library: Library, drafts: bool, diagnostics: &mut Vec<Diagnostic>) -> Linked {
    let Library {
        config,
        docs,
        media,
        data,
        tables,
    } = library;
    let included: Vec<bool> = docs
        .iter()
        .map(|d| drafts || d.meta.status != Status::Draft)
        .collect();
    relations::check(&docs, &included, diagnostics);
    let aliases = relations::check_aliases(&docs, &included, &config, diagnostics);
    relations::check_data(&docs, &data, &included, diagnostics);
    let mut data_files = BTreeSet::new();
    let outlines: Vec<Vec<Heading>> = docs
        .par_iter()
        .map(|d| markdown::outline(d.body()))
        .collect();
    let targets = Targets {
        docs: &docs,
        by_path: docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.path.as_str(), i))
            .collect(),
        included: &included,
        outlines: &outlines,
        media: media.iter().map(String::as_str).collect(),
        data: data.iter().map(String::as_str).collect(),
    };
    let results: Vec<(Option<Rendered>, Vec<Diagnostic>, Vec<String>)> = docs
        .par_iter()
        .enumerate()
        .map(|(i, doc)| {
            let (rendered, diags, linked) = render_doc(&targets, doc, &outlines[i]);
            (included[i].then_some(rendered), diags, linked)
        })
        .collect();
    let mut keep = Vec::new();
    let mut bodies = Vec::new();
    for (i, (rendered, diags, linked)) in results.into_iter().enumerate() {
        diagnostics.extend(diags);
        if let Some(r) = rendered {
            data_files.extend(linked);
            keep.push(i);
            bodies.push(r);
        }
    }
    let mut docs: Vec<Option<Doc>> = docs.into_iter().map(Some).collect();
    let docs: Vec<Doc> = keep.iter().filter_map(|&i| docs[i].take()).collect();
    let related = relations::relate(&docs);
    let by_path: std::collections::HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.path.as_str(), i))
        .collect();
    let redirects = aliases
        .into_iter()
        .filter_map(|(path, doc)| Some((path, *by_path.get(doc.as_str())?)))
        .collect();
    Linked {
        docs,
        bodies,
        related,
        data_files,
        media,
        data,
        tables,
        redirects,
        figures: Vec::new(),
    }
}
