//! Patient data located in a file: found in the text as written and in the text as
//! published ([`published`]), each value once, at the place where the file has it.
//!
//! In: a document's text, a YAML file's, or a file name. Out: [`Spotted`] values (what was
//! found, masked, and where), the text of an old version with the values found hidden so
//! that its page can show it ([`hide`], [`shown`]), and masked file names. No I/O.

use std::ops::Range;

use super::mapped::Published;
use super::pii::{self, Found, Kind};
use super::published;

/// A value found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spotted {
    pub kind: Kind,
    /// The value with its characters hidden, keeping only its shape.
    pub masked: String,
    /// Where the file has it, from its first character to its last (a value read across
    /// a line break spans both lines).
    pub range: Range<usize>,
    /// The bytes of the file that make each of its letters and digits.
    pub letters: Vec<Range<usize>>,
}

/// Every value in a document (front matter and Markdown body), in order.
pub fn in_document(text: &str) -> Vec<Spotted> {
    spotted(text, |text| {
        // Only the parts where something may be hidden are read as published: decoding
        // front matter costs more than the rest of the check.
        let body_at = crate::frontmatter::split(text).map_or(0, |s| s.body_offset);
        let (mut front, mut body) = (false, false);
        for at in pii::hidden_at(text) {
            match at < body_at {
                true => front = true,
                false => body = true,
            }
        }
        published::document(text, front, body)
    })
}

/// Every value in a data file, which is published as it is: as written, in order.
pub fn in_data(text: &str) -> Vec<Spotted> {
    pii::find(text)
        .into_iter()
        .map(|f| as_written(text, f))
        .collect()
}

/// A value found in `text` as written.
fn as_written(text: &str, f: Found) -> Spotted {
    Spotted {
        letters: letters_of(text, f.range.clone()),
        kind: f.kind,
        masked: f.masked,
        range: f.range,
    }
}

/// Every value in a YAML file such as `library.yaml`, in order.
pub fn in_yaml(text: &str) -> Vec<Spotted> {
    spotted(text, published::yaml)
}

fn spotted(text: &str, publish: impl Fn(&str) -> Published) -> Vec<Spotted> {
    let scan = pii::scan(text);
    let mut out: Vec<Spotted> = scan
        .found
        .into_iter()
        .map(|f| as_written(text, f))
        .collect();
    if !scan.hidden {
        return out;
    }
    let published = publish(text);
    for Found {
        kind,
        range,
        masked,
    } in pii::find(&published.text)
    {
        let source = published.source(range.clone());
        // Written plainly, it was found as written already.
        let seen = out
            .iter()
            .any(|s| s.kind == kind && s.range.start < source.end && source.start < s.range.end);
        if !seen {
            out.push(Spotted {
                kind,
                masked,
                letters: published.letters(range),
                range: source,
            });
        }
    }
    out.sort_by_key(|s| s.range.start);
    out
}

/// Each letter and digit of `range` of `text`.
fn letters_of(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    text.get(range.clone())
        .unwrap_or_default()
        .char_indices()
        .filter(|(_, c)| c.is_alphanumeric())
        .map(|(i, c)| range.start + i..range.start + i + c.len_utf8())
        .collect()
}

/// What stands for a hidden character in the text of an old version: a character of
/// Unicode's private use area, which neither YAML nor Markdown reads as anything but
/// text, so the version renders as it was written; [`shown`] makes each a `*` in what is
/// rendered. A `*` written into the text would be Markdown's emphasis, or a rule.
pub const HIDDEN: char = '\u{e000}';

/// The text of a document with each letter and digit of the patient data in it (an NHS
/// number, a full postcode, a date of birth), as written or as published, replaced by
/// [`HIDDEN`]: for pages of a document's past, whose text was never checked as the
/// current text is, and cannot be changed.
pub fn hide(text: &str) -> String {
    let mut spans: Vec<Range<usize>> = in_document(text)
        .into_iter()
        .filter(|s| s.kind.identifies())
        .flat_map(|s| s.letters)
        .collect();
    if spans.is_empty() {
        return text.to_string();
    }
    spans.sort_by_key(|r| (r.start, r.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in spans {
        if span.start < at {
            continue;
        }
        out.push_str(&text[at..span.start]);
        out.push(HIDDEN);
        at = span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// `text` rendered from a text that [`hide`] made, each hidden character shown as `*`.
pub fn shown(text: &str) -> String {
    text.replace(HIDDEN, "*")
}

/// The patient data in a file name (a path under `content/`), which the site publishes in
/// its addresses: as written, and with hyphens and underscores read as spaces
/// (`jane-smith-943-476-5919.jpg`).
pub fn in_name(path: &str) -> Vec<Found> {
    let spaced = path.replace(['-', '_'], " ");
    let mut found = pii::find(path);
    for f in pii::find(&spaced) {
        let seen = found
            .iter()
            .any(|g| g.range.start < f.range.end && f.range.start < g.range.end);
        if !seen {
            // The same bytes, shown with the name's own separators.
            let masked = mask_letters(&path[f.range.clone()]);
            found.push(Found { masked, ..f });
        }
    }
    found
}

/// `path` with the letters and digits of the patient data in its name hidden: how
/// diagnostics and pages name such a file.
pub fn mask_name(path: &str) -> String {
    let found = in_name(path);
    if found.is_empty() {
        return path.to_string();
    }
    let mut hidden = vec![false; path.len()];
    for f in found {
        hidden[f.range].fill(true);
    }
    path.char_indices()
        .map(|(i, c)| {
            if hidden[i] && c.is_alphanumeric() {
                '*'
            } else {
                c
            }
        })
        .collect()
}

fn mask_letters(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_alphanumeric() { '*' } else { c })
        .collect()
}

#[cfg(test)]
mod tests;
