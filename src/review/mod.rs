//! The review gates that `lantern check` adds to what a build must hold: patient-identifiable
//! data, inclusive language and review dates.
//!
//! In: the loaded documents, the texts of the data files, the library's settings and
//! today's date. Out: diagnostics — errors for an NHS number, a full postcode or a date of
//! birth anywhere in a document or data file; warnings for an NHS number in the test range,
//! an email address or phone number outside `contact`, a term from `style.avoid` outside
//! code, and a `review_due` date that has passed. A finding that identifies someone is
//! masked in its message and marked sensitive, so that no output shows it. No I/O.

pub mod language;
pub mod pii;
pub mod pull_request;

use rayon::prelude::*;

use crate::date::Date;
use crate::diagnostic::{Diagnostic, LineIndex};
use crate::model::{Config, Doc, Status};

use language::Avoid;
use pii::Kind;

/// Runs every review gate over the documents and the CSV data files (by `data/x.csv`).
pub fn check(
    docs: &[Doc],
    data: &std::collections::BTreeMap<String, std::sync::Arc<str>>,
    config: &Config,
    today: Date,
) -> Vec<Diagnostic> {
    let avoid = Avoid::new(&config.avoid);
    let mut out: Vec<Diagnostic> = docs
        .par_iter()
        .flat_map_iter(|doc| {
            let mut found = Vec::new();
            identifying(&doc.path, &doc.text, contact_lines(doc), &mut found);
            inclusive_language(doc, &avoid, &mut found);
            overdue(doc, today, &mut found);
            found
        })
        .collect();
    for (name, text) in data {
        identifying(&format!("content/{name}"), text, 0..0, &mut out);
    }
    out
}

/// The lines (0-based) of a document's `contact` field, where contact details belong.
fn contact_lines(doc: &Doc) -> std::ops::Range<usize> {
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

/// Patient-identifiable data anywhere in `text`; email addresses and phone numbers are
/// allowed on the lines `allowed`.
fn identifying(path: &str, text: &str, allowed: std::ops::Range<usize>, out: &mut Vec<Diagnostic>) {
    let found = pii::find(text);
    if found.is_empty() {
        return;
    }
    let index = LineIndex::new(text);
    for f in found {
        let pos = index.pos(text, f.range.start, f.range.len());
        let m = &f.masked;
        let d = match f.kind {
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
        out.push(d.sensitive());
    }
}

/// Terms from `style.avoid` in the front matter's values and in the body's text, leaving
/// code alone.
fn inclusive_language(doc: &Doc, avoid: &Avoid, out: &mut Vec<Diagnostic>) {
    // Most documents use none of the terms: spare them a Markdown parse.
    if !avoid.is_in(&doc.text) {
        return;
    }
    let places: Vec<(usize, usize, &str, &str)> = crate::lint::prose(doc)
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
        .unwrap_or(crate::diagnostic::Pos::start());
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
