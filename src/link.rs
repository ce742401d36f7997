//! The link stage: checks what documents say about each other and renders their bodies.
//!
//! In: the loaded [`Library`] and whether drafts are wanted. Out: a [`Linked`] library — the
//! documents that will be published, each with its rendered body, its related documents in
//! both directions, and the data files that pages link to — plus diagnostics for relations to
//! missing documents, broken links and anchors, clashing aliases, missing data files, case
//! studies without their sections and TODO markers. No I/O.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, LineIndex, Pos, Severity};
use crate::markdown::{self, Heading, Links, Problem, Rendered, Source};
use crate::model::{Doc, Extra, Kind, Library, Ref, Status};
use crate::schema::suggest;
use crate::url;

/// Related documents of one document, as indexes into [`Linked::docs`].
#[derive(Debug, Clone, Default)]
pub struct Related {
    pub sites: Vec<usize>,
    pub interventions: Vec<usize>,
    pub evaluations: Vec<usize>,
    pub case_studies: Vec<usize>,
    /// For a site: every publication from it.
    pub documents: Vec<usize>,
}

/// The published documents with their bodies and relations.
pub struct Linked {
    pub docs: Vec<Doc>,
    pub bodies: Vec<Rendered>,
    pub related: Vec<Related>,
    /// Data files (`data/x.csv`) that a page links to or charts from: published as files.
    pub data_files: BTreeSet<String>,
    /// Every file under `content/media/` (`media/x.png`): published as files.
    pub media: Vec<String>,
}

const CASE_STUDY_SECTIONS: &[&str] = &[
    "Background",
    "What we did",
    "Impact",
    "Key learning",
    "Contact",
];

/// Checks relations and links, and renders every included document.
pub fn link(library: Library, drafts: bool, diagnostics: &mut Vec<Diagnostic>) -> Linked {
    let Library {
        config: _,
        docs,
        media,
        data,
    } = library;
    let by_path: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.path.as_str(), i))
        .collect();
    let included: Vec<bool> = docs
        .iter()
        .map(|d| drafts || d.meta.status != Status::Draft)
        .collect();
    check_relations(&docs, &included, diagnostics);
    check_aliases(&docs, &included, diagnostics);
    let data_set: HashSet<&str> = data.iter().map(String::as_str).collect();
    let mut data_files = BTreeSet::new();
    for doc in &docs {
        if let Extra::Evaluation(e) = &doc.extra {
            let refs = e
                .charts
                .iter()
                .map(|c| &c.data)
                .chain(e.equity.iter().map(|q| &q.data));
            for r in refs.filter(|r| !r.id.is_empty()) {
                let file = format!("data/{}", r.id);
                if data_set.contains(file.as_str()) {
                    data_files.insert(file);
                } else {
                    let hint =
                        match suggest(&r.id, data.iter().map(|d| d.trim_start_matches("data/"))) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => {
                                "put the CSV file in content/data/ and name it here".to_string()
                            }
                        };
                    diagnostics.push(
                        Diagnostic::error(
                            &doc.path,
                            r.pos,
                            "missing-data",
                            format!("no data file content/{file}"),
                        )
                        .hint(hint),
                    );
                }
            }
        }
    }
    let outlines: Vec<Vec<Heading>> = docs
        .par_iter()
        .map(|d| markdown::outline(d.body()))
        .collect();
    let targets = Targets {
        docs: &docs,
        by_path: &by_path,
        included: &included,
        outlines: &outlines,
        media: media.iter().map(String::as_str).collect(),
        data: data_set,
    };
    let results: Vec<(Option<Rendered>, Vec<Diagnostic>, Vec<String>)> = docs
        .par_iter()
        .enumerate()
        .map(|(i, doc)| {
            let mut diags = Vec::new();
            lint_text(doc, &mut diags);
            if doc.kind == Kind::CaseStudy {
                check_sections(doc, &outlines[i], &mut diags);
            }
            let resolver = Resolver {
                targets: &targets,
                doc,
                own: &outlines[i],
                linked_data: RefCell::new(Vec::new()),
            };
            let source = Source {
                path: &doc.path,
                text: &doc.text,
                body_offset: doc.body_offset,
            };
            let rendered = markdown::render(&source, &resolver, &mut diags);
            (
                included[i].then_some(rendered),
                diags,
                resolver.linked_data.into_inner(),
            )
        })
        .collect();
    let mut keep = Vec::new();
    let mut bodies = Vec::new();
    for (i, (rendered, diags, linked)) in results.into_iter().enumerate() {
        diagnostics.extend(diags);
        data_files.extend(linked);
        if let Some(r) = rendered {
            keep.push(i);
            bodies.push(r);
        }
    }
    let mut docs: Vec<Option<Doc>> = docs.into_iter().map(Some).collect();
    let docs: Vec<Doc> = keep.iter().filter_map(|&i| docs[i].take()).collect();
    let related = relate(&docs);
    Linked {
        docs,
        bodies,
        related,
        data_files,
        media,
    }
}

/// Every relation names an existing document of the right type.
fn check_relations(docs: &[Doc], included: &[bool], diagnostics: &mut Vec<Diagnostic>) {
    let index: HashMap<(Kind, &str), usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| ((d.kind, d.slug.as_str()), i))
        .collect();
    for doc in docs {
        for (field, kind, refs) in relations(doc) {
            for r in refs {
                match index.get(&(kind, r.id.as_str())) {
                    Some(&t) if !included[t] && doc.meta.status != Status::Draft => diagnostics
                        .push(
                            Diagnostic::warning(
                                &doc.path,
                                r.pos,
                                "draft-relation",
                                format!("`{}` in `{field}` is a draft and is not shown", r.id),
                            )
                            .hint(format!(
                                "publish content/{}/{}.md, or build with --drafts",
                                kind.folder(),
                                r.id
                            )),
                        ),
                    Some(_) => {}
                    None => {
                        let candidates = docs
                            .iter()
                            .filter(|d| d.kind == kind)
                            .map(|d| d.slug.as_str());
                        let hint = match suggest(&r.id, candidates) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!(
                                "create content/{}/{}.md or remove the entry",
                                kind.folder(),
                                r.id
                            ),
                        };
                        diagnostics.push(
                            Diagnostic::error(
                                &doc.path,
                                r.pos,
                                "missing-relation",
                                format!(
                                    "`{field}` names `{}`, but there is no content/{}/{}.md",
                                    r.id,
                                    kind.folder(),
                                    r.id
                                ),
                            )
                            .hint(hint),
                        );
                    }
                }
            }
        }
    }
}

/// The relations a document declares: field name, target type, ids.
fn relations(doc: &Doc) -> Vec<(&'static str, Kind, &[Ref])> {
    let mut out = vec![("sites", Kind::Site, doc.meta.sites.as_slice())];
    match &doc.extra {
        Extra::Evaluation(e) => out.push(("evaluates", Kind::Intervention, &e.evaluates)),
        Extra::CaseStudy(c) => {
            out.push(("interventions", Kind::Intervention, &c.interventions));
            out.push(("evaluations", Kind::Evaluation, &c.evaluations));
        }
        _ => {}
    }
    out
}

/// Reverse and forward relations among the published documents.
fn relate(docs: &[Doc]) -> Vec<Related> {
    let index: HashMap<(Kind, &str), usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| ((d.kind, d.slug.as_str()), i))
        .collect();
    let mut related = vec![Related::default(); docs.len()];
    for (i, doc) in docs.iter().enumerate() {
        for (_, kind, refs) in relations(doc) {
            for r in refs {
                let Some(&t) = index.get(&(kind, r.id.as_str())) else {
                    continue;
                };
                let (fwd, back) = (&mut related[i], doc.kind);
                match kind {
                    Kind::Site => fwd.sites.push(t),
                    Kind::Intervention => fwd.interventions.push(t),
                    Kind::Evaluation => fwd.evaluations.push(t),
                    _ => {}
                }
                let rev = &mut related[t];
                match back {
                    _ if kind == Kind::Site => rev.documents.push(i),
                    Kind::Evaluation => rev.evaluations.push(i),
                    Kind::CaseStudy => rev.case_studies.push(i),
                    _ => {}
                }
            }
        }
    }
    for r in &mut related {
        for list in [
            &mut r.sites,
            &mut r.interventions,
            &mut r.evaluations,
            &mut r.case_studies,
            &mut r.documents,
        ] {
            list.sort_unstable();
            list.dedup();
        }
    }
    related
}

/// Aliases are safe relative paths, unique, and not the URL of a real page.
fn check_aliases(docs: &[Doc], included: &[bool], diagnostics: &mut Vec<Diagnostic>) {
    let pages: HashSet<String> = docs.iter().map(|d| url::page_file(&d.url())).collect();
    let mut seen: HashMap<String, &str> = HashMap::new();
    for (doc, _) in docs.iter().zip(included).filter(|(_, inc)| **inc) {
        for alias in &doc.meta.aliases {
            match url::alias_path(&alias.id) {
                Err(why) => diagnostics.push(
                    Diagnostic::error(&doc.path, alias.pos, "invalid-alias", format!("alias `{}` {why}", alias.id))
                        .hint("write the old address as a path inside the site, like `old-section/old-name/`"),
                ),
                Ok(path) if pages.contains(&path) => diagnostics.push(
                    Diagnostic::error(&doc.path, alias.pos, "duplicate-alias", format!("alias `{}` is the address of an existing page", alias.id))
                        .hint("remove the alias: the page is already there"),
                ),
                Ok(path) => {
                    if let Some(other) = seen.insert(path, &doc.path) {
                        diagnostics.push(
                            Diagnostic::error(&doc.path, alias.pos, "duplicate-alias", format!("alias `{}` is also claimed by {other}", alias.id))
                                .hint("an old address can redirect to one page only; remove one of them"),
                        );
                    }
                }
            }
        }
    }
}

/// TODO markers left from `lantern new`, outside code.
fn lint_text(doc: &Doc, diagnostics: &mut Vec<Diagnostic>) {
    let mut fence: Option<&str> = None;
    for (n, line) in doc.text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            continue;
        }
        if let Some(col) = find_outside_code_spans(line, "TODO") {
            let column = line[..col].chars().count() + 1;
            diagnostics.push(
                Diagnostic::warning(
                    &doc.path,
                    Pos::new(n + 1, column, 4),
                    "todo",
                    "TODO marker left in the document",
                )
                .hint("replace it with the real text before publishing"),
            );
        }
    }
}

/// The byte offset of `word` in `line` outside backtick code spans.
fn find_outside_code_spans(line: &str, word: &str) -> Option<usize> {
    let mut in_code = false;
    let mut from = 0;
    for (i, part) in line.split('`').enumerate() {
        if !in_code {
            if let Some(p) = part.find(word) {
                return Some(from + p);
            }
        }
        from += part.len() + 1;
        in_code = i % 2 == 0;
    }
    None
}

/// Case studies have the five conventional sections.
fn check_sections(doc: &Doc, headings: &[Heading], diagnostics: &mut Vec<Diagnostic>) {
    let missing: Vec<&str> = CASE_STUDY_SECTIONS
        .iter()
        .filter(|s| {
            !headings
                .iter()
                .any(|h| h.level == 2 && h.text.trim().eq_ignore_ascii_case(s))
        })
        .copied()
        .collect();
    if missing.is_empty() {
        return;
    }
    let pos = LineIndex::new(&doc.text).pos(&doc.text, doc.body_offset, 1);
    diagnostics.push(
        Diagnostic::warning(&doc.path, pos, "missing-section", format!("case study is missing {}: {}", if missing.len() == 1 { "a section" } else { "sections" }, missing.join(", ")))
            .hint("add them as `## ` headings: case studies use Background, What we did, Impact, Key learning and Contact"),
    );
}

/// What links can point at.
struct Targets<'a> {
    docs: &'a [Doc],
    by_path: &'a HashMap<&'a str, usize>,
    included: &'a [bool],
    outlines: &'a [Vec<Heading>],
    media: HashSet<&'a str>,
    data: HashSet<&'a str>,
}

struct Resolver<'a> {
    targets: &'a Targets<'a>,
    doc: &'a Doc,
    own: &'a [Heading],
    linked_data: RefCell<Vec<String>>,
}

fn problem(rule: &'static str, message: String, hint: String) -> Problem {
    Problem {
        severity: Severity::Error,
        rule,
        message,
        hint,
        unlink: false,
    }
}

impl Links for Resolver<'_> {
    fn resolve(&self, dest: &str, image: bool) -> Result<Option<String>, Problem> {
        let here = self.doc.url();
        match url::classify(dest) {
            url::Dest::Empty | url::Dest::External => Ok(None),
            url::Dest::Unsafe(scheme) => Err(problem(
                "unsafe-link",
                format!("`{scheme}:` links are not allowed"),
                "link to a web page (https://...) or another document".to_string(),
            )),
            url::Dest::Absolute => Err(problem(
                "absolute-link",
                format!(
                    "`{dest}` is an absolute path, which breaks when the site is opened from disk"
                ),
                "link relative to this file, e.g. `../interventions/some-slug.md`".to_string(),
            )),
            url::Dest::Fragment(anchor) => {
                check_anchor(anchor, self.own, "this document")?;
                Ok(None)
            }
            url::Dest::Relative { path, fragment } => {
                let from_dir = self.doc.path.rsplit_once('/').map_or("", |(d, _)| d);
                let Some(target) = url::join(from_dir, &path) else {
                    return Err(problem(
                        "link-outside-library",
                        format!("`{dest}` points outside the library"),
                        "link only to files inside content/".to_string(),
                    ));
                };
                if let Some(media) = target
                    .strip_prefix("content/")
                    .filter(|t| t.starts_with("media/"))
                {
                    return if self.targets.media.contains(media) {
                        Ok(Some(
                            url::relative(&here, media) + &url::fragment_suffix(fragment),
                        ))
                    } else {
                        Err(problem(
                            "broken-link",
                            format!("no file {target}"),
                            "check the file name in content/media/".to_string(),
                        ))
                    };
                }
                if let Some(data) = target
                    .strip_prefix("content/")
                    .filter(|t| t.starts_with("data/"))
                {
                    return if self.targets.data.contains(data) {
                        self.linked_data.borrow_mut().push(data.to_string());
                        Ok(Some(url::relative(&here, data)))
                    } else {
                        Err(problem(
                            "broken-link",
                            format!("no file {target}"),
                            "check the file name in content/data/".to_string(),
                        ))
                    };
                }
                if image {
                    return Err(problem(
                        "broken-link",
                        format!("image `{dest}` is not in content/media/"),
                        "put images in content/media/ and link them as ../media/name.png"
                            .to_string(),
                    ));
                }
                let Some(&t) = self.targets.by_path.get(target.as_str()) else {
                    let hint = match suggest(&target, self.targets.docs.iter().map(|d| d.path.as_str())) {
                        Some(s) => format!("did you mean `{}`?", url::relative_file(&self.doc.path, s)),
                        None if target.ends_with(".md") => "check the path: it is relative to this file's folder".to_string(),
                        None => "link to a document's .md file, an image in content/media/ or a file in content/data/".to_string(),
                    };
                    return Err(problem(
                        "broken-link",
                        format!("`{dest}` links to {target}, which does not exist"),
                        hint,
                    ));
                };
                let doc = &self.targets.docs[t];
                if let Some(anchor) = fragment {
                    check_anchor(anchor, &self.targets.outlines[t], &doc.path)?;
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
                    url::relative(&here, &url::page_file(&doc.url()))
                        + &url::fragment_suffix(fragment),
                ))
            }
        }
    }
}

fn check_anchor(anchor: &str, headings: &[Heading], what: &str) -> Result<(), Problem> {
    if headings.iter().any(|h| h.id == anchor) {
        return Ok(());
    }
    let hint = match suggest(anchor, headings.iter().map(|h| h.id.as_str())) {
        Some(s) => format!("did you mean `#{s}`?"),
        None if headings.is_empty() => format!("{what} has no headings to link to"),
        None => format!(
            "headings there: {}",
            headings
                .iter()
                .map(|h| format!("#{}", h.id))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Err(problem(
        "broken-anchor",
        format!("no heading `#{anchor}` in {what}"),
        hint,
    ))
}
