//! The link stage: checks what documents say about each other and renders their bodies.
//!
//! In: the loaded [`Library`] and whether drafts are wanted. Out: a [`Linked`] library — the
//! documents that will be published, each with its rendered body, its related documents in
//! both directions, and the data and media files pages use — plus every diagnostic of
//! relations ([`relations`]), links ([`crate::link::resolve`]) and writing conventions ([`lint`]).
//! No I/O.

pub mod resolve;

use std::collections::BTreeSet;
use std::sync::Mutex;

use rayon::prelude::*;

pub use crate::check::relations::Related;
use crate::check::{lint, relations};
use crate::link::resolve::{Anchor, Anchors, Outlines, Resolver, Targets};
use crate::markdown;
use crate::markdown::{Heading, Rendered, Source};
use crate::model::diagnostic::Diagnostic;
use crate::model::{Doc, Kind, Library, Status};

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
}

/// Renders the body of `doc`, standing in for the published document `i` of `linked`
/// whose headings are `outlines` (one per document), with the diagnostics of its links
/// and writing and the data files it links to: for `serve`, when only that document's text
/// changed. Drafts are not in `linked`, so a link to one is reported as broken here.
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
        media: linked.media.iter().map(String::as_str).collect(),
        data: linked.data.iter().map(String::as_str).collect(),
    };
    let outlines = Outlines::new(outlines.iter().map(Vec::as_slice).collect());
    let anchors = Anchors::Known {
        outlines: &outlines,
        own: i,
    };
    let body = render_doc(&targets, doc, anchors);
    (body.rendered, body.diagnostics, body.data)
}

/// A document's rendered body, the diagnostics of its links and writing, the data files it
/// links to, and the links to headings it took as sound ([`Anchors::Noted`]).
struct Body {
    rendered: Rendered,
    diagnostics: Vec<Diagnostic>,
    data: Vec<String>,
    anchors: Vec<Anchor>,
}

fn render_doc(targets: &Targets<'_>, doc: &Doc, anchors: Anchors<'_>) -> Body {
    let resolver = Resolver {
        targets,
        doc,
        anchors,
        linked_data: Mutex::new(Vec::new()),
        suggested: Default::default(),
    };
    let source = Source {
        path: &doc.path,
        text: &doc.text,
        body_offset: doc.body_offset,
    };
    let mut diagnostics = Vec::new();
    let rendered = markdown::render(&source, &resolver, &mut diagnostics);
    lint::todo_markers(doc, &mut diagnostics);
    if doc.kind == Kind::CaseStudy {
        lint::case_study_sections(doc, &rendered.headings, &mut diagnostics);
    }
    Body {
        rendered,
        diagnostics,
        data: resolver.linked_data.into_inner().unwrap_or_default(),
        anchors: resolver.anchors.into_noted(),
    }
}

/// Renders every document's body. Links to headings are checked once every heading is
/// known, so each body is parsed once; the few with a broken one are rendered again, to
/// report it and drop the link.
fn render_all(targets: &Targets<'_>, docs: &[Doc]) -> Vec<Body> {
    let mut bodies: Vec<Body> = docs
        .par_iter()
        .map(|doc| render_doc(targets, doc, Anchors::noted()))
        .collect();
    let outlines = Outlines::new(
        bodies
            .iter()
            .map(|b| b.rendered.headings.as_slice())
            .collect(),
    );
    let holds = |(doc, id): &Anchor, own: usize| outlines.holds(doc.unwrap_or(own), id);
    let again: Vec<usize> = (0..bodies.len())
        .filter(|&i| !bodies[i].anchors.iter().all(|a| holds(a, i)))
        .collect();
    if again.is_empty() {
        return bodies;
    }
    let redone: Vec<Body> = again
        .par_iter()
        .map(|&i| {
            let anchors = Anchors::Known {
                outlines: &outlines,
                own: i,
            };
            render_doc(targets, &docs[i], anchors)
        })
        .collect();
    for (i, body) in again.into_iter().zip(redone) {
        bodies[i] = body;
    }
    bodies
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
    let targets = Targets {
        docs: &docs,
        by_path: docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.path.as_str(), i))
            .collect(),
        included: &included,
        media: media.iter().map(String::as_str).collect(),
        data: data.iter().map(String::as_str).collect(),
    };
    let results = render_all(&targets, &docs);
    let mut keep = Vec::new();
    let mut bodies = Vec::new();
    for (i, body) in results.into_iter().enumerate() {
        diagnostics.extend(body.diagnostics);
        if included[i] {
            data_files.extend(body.data);
            keep.push(i);
            bodies.push(body.rendered);
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
    }
}
