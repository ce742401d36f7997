//! The pull-request page (`pull-request/index.html`, written by `lantern build --since`):
//! what a reviewer opens in a preview of the site.
//!
//! In: the [`Changes`] since the ref, the linked library, every diagnostic and the paths of
//! all documents read (drafts included). Out: the page's values — each document added,
//! changed or removed with its new page, its version before and after, a word-level diff of
//! its rendered text and its findings; each data file changed with the evaluations that use
//! it; and any other file changed. Patient data in an earlier text and in a file's name is
//! masked. No I/O.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::git::since::Changes;
use crate::link::Linked;
use crate::model::diagnostic::Diagnostic;
use crate::model::url::page_file;
use crate::model::{Config, Extra, Kind};
use crate::render::past;
use crate::scan::patient;

pub use crate::model::reserved::PULL_REQUEST as URL;

/// The page's values.
pub fn page(
    changes: &Changes,
    linked: &Linked,
    config: &Config,
    diagnostics: &[Diagnostic],
    read: &HashSet<String>,
) -> Value {
    let findings = |path: &str| -> Vec<Value> {
        diagnostics
            .iter()
            .filter(|d| d.path == path)
            .map(|d| {
                json!({"severity": d.severity.to_string(), "rule": d.rule, "line": d.line,
                       "column": d.column, "message": d.message, "hint": d.hint})
            })
            .collect()
    };
    let mut documents = Vec::new();
    let mut data = Vec::new();
    let mut others = Vec::new();
    for path in &changes.paths {
        let before = changes.before.get(path);
        if path.starts_with("content/data/") {
            let name = path.trim_start_matches("content/");
            let used_by: Vec<Value> = linked
                .docs
                .iter()
                .filter(|d| uses(d, name.trim_start_matches("data/")))
                .map(|d| json!({"title": d.title, "href": page_file(&d.url())}))
                .collect();
            let status = if linked.data.iter().any(|d| d == name) {
                "added or changed"
            } else {
                "removed"
            };
            let shown = patient::mask_name(path);
            data.push(json!({"path": shown, "status": status, "used_by": used_by, "findings": findings(path)}));
            continue;
        }
        if !path.ends_with(".md") || path == crate::load::config::PATH {
            others.push(json!({"path": patient::mask_name(path), "findings": findings(path)}));
            continue;
        }
        let current = linked.docs.iter().find(|d| &d.path == path);
        let entry = match (current, before) {
            (Some(doc), _) => {
                let page = doc.url();
                let old_text = before.map_or("", String::as_str);
                let (words, fields, _) = past::compare(doc, (old_text, &doc.text), config, &page);
                let publication = doc.kind.is_publication();
                let was = before
                    .and_then(|t| crate::git::history::front_matter_version(t))
                    .filter(|_| publication);
                json!({
                    "status": if before.is_some() { "changed" } else { "added" },
                    "title": doc.title,
                    "kind": doc.kind.label(),
                    "path": path,
                    "href": page_file(&page),
                    "version_before": was,
                    "version_after": publication.then_some(doc.meta.version),
                    "words": words,
                    "fields": fields,
                })
            }
            (None, Some(old_text)) if !read.contains(path) => {
                json!({
                    "status": "removed",
                    "title": title_of(path, old_text, config),
                    "path": patient::mask_name(path),
                    "version_before": crate::git::history::front_matter_version(old_text),
                })
            }
            // A document that is read but not published (a draft, or one with errors).
            (None, _) => {
                let shown = patient::mask_name(path);
                json!({"status": "not published", "title": shown, "path": shown})
            }
        };
        let mut entry = entry;
        entry["findings"] = json!(findings(path));
        documents.push(entry);
    }
    json!({
        "reference": changes.reference,
        "base": changes.base.chars().take(12).collect::<String>(),
        "documents": documents,
        "data": data,
        "others": others,
        "errors": diagnostics.iter().filter(|d| d.is_error()).count(),
        "warnings": diagnostics.iter().filter(|d| !d.is_error()).count(),
    })
}

/// Whether `doc` charts or tabulates the data file `name`.
fn uses(doc: &crate::model::Doc, name: &str) -> bool {
    match &doc.extra {
        Extra::Evaluation(e) => {
            e.charts.iter().any(|c| c.data.id == name) || e.equity.iter().any(|q| q.data.id == name)
        }
        _ => false,
    }
}

/// The title of a document that is gone, read from its last text.
fn title_of(path: &str, text: &str, config: &Config) -> String {
    let mut parts = path.trim_start_matches("content/").split('/');
    let kind = parts
        .next()
        .and_then(Kind::from_folder)
        .unwrap_or(Kind::Page);
    let slug = parts.next().unwrap_or_default().trim_end_matches(".md");
    let mut ignored = Vec::new();
    let text = patient::hide(text);
    let doc = crate::load::fields::read(kind, slug, path, text, config, &mut ignored);
    if doc.title.is_empty() {
        patient::mask_name(path)
    } else {
        patient::shown(&doc.title)
    }
}
