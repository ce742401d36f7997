//! Document front matter: reads one Markdown file's header into a typed [`Doc`].
//!
//! In: the file's text, its type (from its folder) and the library config (for
//! vocabularies). Out: a [`Doc`] — always, so that other documents' relations to a broken one
//! do not cascade into more errors — plus diagnostics for every field that breaks a rule of
//! the content model (DESIGN section 3).

use std::sync::Arc;

use crate::frontmatter;
use crate::frontmatter::{Node, SplitError};
use crate::load::kinds;
use crate::load::schema::{Fields, Report};
use crate::model::diagnostic::{Diagnostic, Pos};
use crate::model::*;

/// Reads a document. `text` must already be valid UTF-8 without a byte-order mark.
pub fn read(
    kind: Kind,
    slug: &str,
    path: &str,
    text: String,
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
) -> Doc {
    let mut doc = Doc {
        kind,
        slug: slug.to_string(),
        path: path.to_string(),
        text: Arc::from(""),
        body_offset: 0,
        title: slug.to_string(),
        summary: String::new(),
        meta: Meta {
            version: 1,
            ..Meta::default()
        },
        extra: empty_extra(kind),
    };
    let mut report = Report { path, diagnostics };
    if text.trim().is_empty() {
        report.error(
            Pos::start(),
            "empty-file",
            "the file is empty".to_string(),
            format!(
                "start from `lantern new {} {slug}`, or delete the file",
                kind.name()
            ),
        );
        doc.text = Arc::from(text);
        return doc;
    }
    let split = match frontmatter::split(&text) {
        Ok(split) => split,
        Err(SplitError::Missing) => {
            report.error(
                Pos::start(),
                "missing-front-matter",
                "the file does not start with front matter".to_string(),
                "put the fields between two `---` lines at the very top of the file".to_string(),
            );
            doc.text = Arc::from(text);
            return doc;
        }
        Err(SplitError::Unclosed) => {
            report.error(
                Pos::new(1, 1, 3),
                "missing-front-matter",
                "the front matter is never closed".to_string(),
                "end the fields with a line holding only `---`".to_string(),
            );
            doc.text = Arc::from(text);
            return doc;
        }
    };
    doc.body_offset = split.body_offset;
    match frontmatter::parse(split.yaml, split.yaml_line) {
        Ok(root) => read_fields(&mut doc, &root, config, &mut report),
        Err(err) => report.error(
            err.pos,
            "yaml-syntax",
            format!("invalid YAML in front matter: {}", err.message),
            err.hint.unwrap_or_else(|| "check this line and the one above: brackets and quotes must close, and text with `: ` or ` #` needs quotes".to_string()),
        ),
    }
    doc.text = Arc::from(text);
    doc
}

fn empty_extra(kind: Kind) -> Extra {
    match kind {
        Kind::Site => Extra::Site(SiteFields::default()),
        Kind::Intervention => Extra::Intervention(Box::default()),
        Kind::Evaluation => Extra::Evaluation(Box::default()),
        Kind::CaseStudy => Extra::CaseStudy(CaseStudyFields::default()),
        Kind::Page => Extra::Page(PageFields::default()),
    }
}

fn read_fields(doc: &mut Doc, root: &Node, config: &Config, report: &mut Report<'_>) {
    let Some(mut f) = Fields::of(root, "", report) else {
        return;
    };
    f.pos = Pos::new(1, 1, 3);
    match doc.kind {
        Kind::Site => {
            let name = f
                .string("name", true, Some(120), report)
                .unwrap_or_default();
            let kinds = ["trust", "ics", "lmns", "partnership"];
            let kind = f.choice("kind", &kinds, true, report).unwrap_or_default();
            let region = f.one_id("region", ("regions", &config.regions), report);
            let ics = f.string("ics", true, Some(200), report).unwrap_or_default();
            let website = f.string("website", false, None, report);
            if let Some(w) = &website {
                if !w.starts_with("https://") && !w.starts_with("http://") {
                    report.error(
                        f.pos_of("website"),
                        "invalid-value",
                        format!("`website` must be a web address, found `{w}`"),
                        "write the full address starting with https://".to_string(),
                    );
                }
            }
            doc.title = name.clone();
            doc.summary = ics.clone();
            doc.extra = Extra::Site(SiteFields {
                name,
                kind,
                region,
                ics,
                website,
            });
        }
        Kind::Page => {
            doc.title = f
                .string("title", true, Some(120), report)
                .unwrap_or_default();
            doc.summary = f
                .string("summary", false, Some(300), report)
                .unwrap_or_default();
            doc.meta.aliases = f.ids("aliases", None, 0, report);
            doc.extra = Extra::Page(PageFields {
                menu: f.int("menu", false, 0, report),
            });
        }
        _ => {
            read_common(doc, &mut f, config, report);
            doc.extra = match doc.kind {
                Kind::Intervention => {
                    Extra::Intervention(Box::new(kinds::intervention(&mut f, report)))
                }
                Kind::Evaluation => {
                    Extra::Evaluation(Box::new(kinds::evaluation(&mut f, config, report)))
                }
                _ => Extra::CaseStudy(CaseStudyFields {
                    interventions: f.ids("interventions", None, 0, report),
                    evaluations: f.ids("evaluations", None, 0, report),
                }),
            };
        }
    }
    f.finish(report);
}

fn read_common(doc: &mut Doc, f: &mut Fields<'_>, config: &Config, report: &mut Report<'_>) {
    doc.title = f
        .string("title", true, Some(120), report)
        .unwrap_or_default();
    doc.summary = f
        .string("summary", true, Some(300), report)
        .unwrap_or_default();
    let m = &mut doc.meta;
    m.sites = f.ids("sites", None, 1, report);
    m.priority_areas = f.ids(
        "priority_areas",
        Some(("priority areas", &config.priority_areas)),
        1,
        report,
    );
    m.outcomes = f.ids("outcomes", Some(("outcomes", &config.outcomes)), 0, report);
    m.ethnic_groups = f.ids(
        "ethnic_groups",
        Some(("ethnic groups", &config.ethnic_groups)),
        0,
        report,
    );
    m.status = match f
        .choice("status", &["draft", "published", "archived"], true, report)
        .as_deref()
    {
        Some("draft") => Status::Draft,
        Some("archived") => Status::Archived,
        _ => Status::Published,
    };
    m.published = f.date("published", m.status != Status::Draft, report);
    m.updated = f.date("updated", false, report);
    m.last_reviewed = f.date("last_reviewed", false, report);
    f.check_order(("published", m.published), ("updated", m.updated), report);
    m.review_due = f.date("review_due", false, report).or_else(|| {
        m.published
            .map(|p| p.add_months(config.review_interval_months))
    });
    m.version = f
        .int("version", true, 1, report)
        .unwrap_or(1)
        .min(u32::MAX as i64) as u32;
    m.change_note = f.string("change_note", false, Some(500), report);
    m.contact = f.string("contact", false, Some(120), report);
    m.tags = f.strings("tags", report);
    m.aliases = f.ids("aliases", None, 0, report);
    m.example = f.boolean("example", report).unwrap_or(false);
    for node in f.list("authors", report) {
        if let Some(mut a) = Fields::of(node, "authors[]", report) {
            let name = a
                .string("name", true, Some(120), report)
                .unwrap_or_default();
            let role = a
                .string("role", true, Some(120), report)
                .unwrap_or_default();
            a.finish(report);
            m.authors.push(Author { name, role });
        }
    }
}
