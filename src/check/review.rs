//! The review gates that `lantern check` adds to what a build must hold: patient-identifiable
//! data, inclusive language and review dates.
//!
//! In: the loaded documents, the texts of the data files and of `library.yaml`, the names of
//! the files, the documents' histories, the library's settings and today's date. Out:
//! diagnostics — errors for an NHS number, a full postcode or a date of birth anywhere in a
//! document (as written or as published), a data file, `library.yaml` or a file's name;
//! warnings for an NHS number in the test range, an email address or phone number outside
//! `contact`, a term from `style.avoid` outside code, a `review_due` date that has passed,
//! and a version whose page shows patient data masked. A finding that identifies someone is
//! masked in its message and marked sensitive, so that no output shows it, and so is a path
//! that holds one. No I/O.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use crate::git::versions::Histories;
use crate::model::date::Date;
use crate::model::diagnostic::{Diagnostic, LineIndex, Pos};
use crate::model::{Config, Doc, Library, Status};

use crate::scan::language::Avoid;
use crate::scan::pii::Kind;

/// Runs every review gate over the documents and the data files that are text (by
/// `data/x.csv`).
pub fn check(
    docs: &[Doc],
    data: &BTreeMap<String, Arc<str>>,
    config: &Config,
    today: Date,
) -> Vec<Diagnostic> {
    let avoid = Avoid::new(&config.avoid);
    let mut out: Vec<Diagnostic> = docs
        .par_iter()
        .flat_map_iter(|doc| {
            let mut found = Vec::new();
            let spotted = crate::scan::patient::in_document(&doc.text);
            report(
                &doc.path,
                &doc.text,
                spotted,
                contact_lines(doc),
                &mut found,
            );
            inclusive_language(doc, &avoid, &mut found);
            overdue(doc, today, &mut found);
            found
        })
        .collect();
    for (name, text) in data {
        let spotted = crate::scan::patient::in_data(text);
        report(&format!("content/{name}"), text, spotted, 0..0, &mut out);
    }
    out
}

/// Patient data in `library.yaml` (`text`), whose values every page shows, and in the
/// names of documents, media and data files, which the site's addresses show. The
/// library's own contact details belong in `library.yaml`, so they are not reported there.
pub fn library_files(library: &Library, config_text: Option<&str>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(text) = config_text {
        let spotted = crate::scan::patient::in_yaml(text)
            .into_iter()
            .filter(|s| !matches!(s.kind, Kind::Email | Kind::Phone))
            .collect();
        report(crate::load::config::PATH, text, spotted, 0..0, &mut out);
    }
    let files = library.media.iter().chain(&library.data);
    let paths = library
        .docs
        .iter()
        .map(|d| d.path.clone())
        .chain(files.map(|name| format!("content/{name}")));
    for path in paths {
        for f in crate::scan::patient::in_name(&path) {
            let m = &f.masked;
            let what = f.kind.describe(m);
            let (message, identifies) = match f.kind {
                Kind::NhsNumber | Kind::DateOfBirth => (
                    format!("the file's name holds {what}, which identifies a patient"),
                    true,
                ),
                Kind::Postcode => (
                    format!("the file's name holds {what}, which can identify a household"),
                    true,
                ),
                _ => (format!("the file's name holds {what}"), false),
            };
            let masked = crate::scan::patient::mask_name(&path);
            let hint = "rename the file: its name is published in the site's addresses";
            let d = match identifies {
                true => Diagnostic::error(&masked, Pos::start(), f.kind.rule(), message),
                false => Diagnostic::warning(&masked, Pos::start(), f.kind.rule(), message),
            };
            out.push(d.hint(hint).sensitive());
        }
    }
    out
}

/// Each version whose page shows patient data that its text held when it was committed,
/// masked there: a warning, since the text cannot be changed now (the document as it is,
/// its newest revision, is checked as the current text).
pub fn history(docs: &[Doc], histories: &Histories) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in docs.iter().filter(|d| d.kind.is_publication()) {
        let Some(h) = histories.get(&doc.path) else {
            continue;
        };
        for &(n, k) in &h.versions {
            let Some(r) = h
                .revisions
                .get(k)
                .filter(|r| k > 0 && !r.patient_data.is_empty())
            else {
                continue;
            };
            let pos = doc.field_pos("version").unwrap_or(Pos::start());
            out.push(
                Diagnostic::warning(
                    &doc.path,
                    pos,
                    "patient-data-in-history",
                    format!(
                        "version {n}, as committed in {}, holds {}: its page shows it masked",
                        r.short(),
                        r.patient_data.join(" and ")
                    ),
                )
                .hint("the value stays in the repository's history, which lantern cannot change: tell your information governance lead, who may have the history rewritten"),
            );
        }
    }
    out
}

/// Hides the patient data in the paths of `diagnostics` (a file named after a patient),
/// and in the paths that name them elsewhere: the texts shown under them (`sources`) and
/// the files a pull request changed (`changed`), which diagnostics are matched against.
pub fn mask_paths(
    diagnostics: &mut [Diagnostic],
    sources: &mut BTreeMap<String, Arc<str>>,
    changed: Option<&mut BTreeSet<String>>,
) {
    let mut masked: HashMap<String, String> = HashMap::new();
    for d in diagnostics.iter_mut() {
        let shown = masked
            .entry(d.path.clone())
            .or_insert_with(|| crate::scan::patient::mask_name(&d.path));
        if *shown != d.path {
            d.path = shown.clone();
        }
    }
    for (path, shown) in masked.into_iter().filter(|(p, s)| p != s) {
        if let Some(text) = sources.remove(&path) {
            sources.insert(shown, text);
        }
    }
    if let Some(changed) = changed {
        *changed = changed
            .iter()
            .map(|p| crate::scan::patient::mask_name(p))
            .collect();
    }
}

/// The lines (0-based) of a document's `contact` field, where contact details belong.
fn contact_lines(doc: &Doc) -> Range<usize> {
    let header = &doc.text[..doc.body_offset];
    let lines: Vec<&str> = header.lines().collect();
    let Some(start) = lines.iter().position(|l| l.starts_with("contact:")) else {
        return 0..0;
    };
    let len = lines[start + 1..]
        .iter()
        .take_while(|l| l.starts_with([' ', '\t']) || l.is_empty())
        .count();
    start..start + 1 + len
}

/// Reports the patient data `spotted` in `text`, the file at `path`; email addresses and
/// phone numbers are allowed on the lines `allowed` (0-based).
fn report(
    path: &str,
    text: &str,
    spotted: Vec<crate::scan::patient::Spotted>,
    allowed: Range<usize>,
    out: &mut Vec<Diagnostic>,
) {
    if spotted.is_empty() {
        return;
    }
    let index = LineIndex::new(text);
    for s in spotted {
        let pos = index.pos(text, s.range.start, s.range.len());
        let extent = text.get(s.range.clone()).map_or(0, |t| t.chars().count());
        let m = &s.masked;
        let d = match s.kind {
            Kind::NhsNumber => Diagnostic::error(path, pos, "nhs-number", format!("an NHS number ({m}) identifies a patient"))
                .hint("remove it: the library holds no data about individual women or babies"),
            Kind::TestNhsNumber => Diagnostic::warning(path, pos, "nhs-number", format!("a number in the NHS test range ({m})"))
                .hint("numbers starting 999 are for testing; remove it unless it is shown as an example"),
            Kind::Postcode => Diagnostic::error(path, pos, "postcode", format!("a full postcode ({m}) can identify a household"))
                .hint("give the outward code alone (such as M13) or name the area"),
            Kind::DateOfBirth => Diagnostic::error(path, pos, "date-of-birth", format!("a date of birth ({m}) identifies a patient"))
                .hint("remove it; give an age band (such as 25 to 29) if age matters"),
            Kind::Email | Kind::Phone if allowed.contains(&(pos.line - 1)) => continue,
            Kind::Email => Diagnostic::warning(path, pos, "email-address", format!("an email address ({m}) outside `contact`"))
                .hint("put a team mailbox in the `contact` field rather than a person's address in the text"),
            Kind::Phone => Diagnostic::warning(path, pos, "phone-number", format!("a phone number ({m}) outside `contact`"))
                .hint("put a team's number in the `contact` field rather than a person's number in the text"),
        };
        out.push(d.sensitive_over(extent));
    }
}

/// Terms from `style.avoid` in the front matter's values and in the body's text, leaving
/// code alone.
fn inclusive_language(doc: &Doc, avoid: &Avoid, out: &mut Vec<Diagnostic>) {
    // Most documents use none of the terms: spare them a Markdown parse.
    if !avoid.is_in(&doc.text) {
        return;
    }
    let places: Vec<(usize, usize, &str, &str)> = crate::check::lint::prose(doc)
        .into_iter()
        .flat_map(|(offset, text)| {
            avoid
                .find(text)
                .map(move |(r, term, hint)| (offset + r.start, r.len(), term, hint))
        })
        .collect();
    if places.is_empty() {
        return;
    }
    let index = LineIndex::new(&doc.text);
    for (offset, len, term, hint) in places {
        let pos = index.pos(&doc.text, offset, len);
        let written = doc.text.get(offset..offset + len).unwrap_or(term);
        out.push(
            Diagnostic::warning(
                &doc.path,
                pos,
                "inclusive-language",
                format!("“{written}” is on the library's list of terms to avoid"),
            )
            .hint(hint),
        );
    }
}

/// A published document whose review date has passed.
fn overdue(doc: &Doc, today: Date, out: &mut Vec<Diagnostic>) {
    let Some(due) = doc.meta.review_due else {
        return;
    };
    if due >= today || doc.meta.status != Status::Published || !doc.kind.is_publication() {
        return;
    }
    let pos = doc
        .field_pos("review_due")
        .or_else(|| doc.field_pos("published"))
        .unwrap_or(crate::model::diagnostic::Pos::start());
    out.push(
        Diagnostic::warning(
            &doc.path,
            pos,
            "review-overdue",
            format!("this document was due for review on {}", due.long()),
        )
        .hint("review it with its site, then set `last_reviewed` to today and `review_due` to the next date"),
    );
}
