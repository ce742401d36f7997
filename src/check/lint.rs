//! Writing conventions checked in the text of a document: TODO markers left from
//! `lantern new`, and the sections a case study is expected to have.
//!
//! In: a document and its headings. Out: warnings. No I/O.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::markdown;
use crate::markdown::Heading;
use crate::model::Doc;
use crate::model::diagnostic::{Diagnostic, LineIndex};

const CASE_STUDY_SECTIONS: &[&str] = &[
    "Background",
    "What we did",
    "Impact",
    "Key learning",
    "Contact",
];

/// Warns about every TODO marker left in the front matter or in the body's text (code is
/// left alone: a page may well show the word as an example).
pub fn todo_markers(doc: &Doc, diagnostics: &mut Vec<Diagnostic>) {
    // Most documents have none: spare them a parse.
    if !doc.text.contains("TODO") {
        return;
    }
    let places: Vec<usize> = prose(doc)
        .into_iter()
        .filter_map(|(offset, text)| Some(offset + find_word_outside_code(text, "TODO")?))
        .collect();
    if places.is_empty() {
        return;
    }
    let index = LineIndex::new(&doc.text);
    let mut last_line = 0;
    for offset in places {
        let pos = index.pos(&doc.text, offset, 4);
        if pos.line == last_line {
            continue;
        }
        last_line = pos.line;
        diagnostics.push(
            Diagnostic::warning(&doc.path, pos, "todo", "TODO marker left in the document")
                .hint("replace it with the real text before publishing"),
        );
    }
}

/// What a document says in words, each piece with its byte offset in the file: every
/// front-matter value (after its `key:`, or the whole line for list items and
/// continuations) and every run of body text outside code.
pub fn prose(doc: &Doc) -> Vec<(usize, &str)> {
    let mut pieces = Vec::new();
    let header = &doc.text[..doc.body_offset];
    let mut line_start = 0;
    for line in header.split_inclusive('\n') {
        let value_at = match line.trim_start().split_once(':') {
            Some((key, _)) if !key.contains(' ') && !key.starts_with('-') => {
                line.find(':').map_or(0, |i| i + 1)
            }
            _ => 0,
        };
        pieces.push((line_start + value_at, &line[value_at..]));
        line_start += line.len();
    }
    let body = doc.body();
    let mut in_code = false;
    for (event, range) in Parser::new_ext(body, markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(_) if !in_code => {
                let text = body.get(range.clone()).unwrap_or_default();
                pieces.push((doc.body_offset + range.start, text));
            }
            _ => {}
        }
    }
    pieces
}

/// The byte offset of `word` as a whole word in `line`, outside backtick code spans.
fn find_word_outside_code(line: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    for (i, part) in line.split('`').enumerate() {
        if i % 2 == 0 {
            let mut search = 0;
            while let Some(p) = part[search..].find(word).map(|p| p + search) {
                let before = part[..p].chars().next_back();
                let after = part[p + word.len()..].chars().next();
                if !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
                {
                    return Some(from + p);
                }
                search = p + word.len();
            }
        }
        from += part.len() + 1;
    }
    None
}

/// Warns when a case study lacks any of its conventional sections.
pub fn case_study_sections(doc: &Doc, headings: &[Heading], diagnostics: &mut Vec<Diagnostic>) {
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
    let what = if missing.len() == 1 {
        "a section"
    } else {
        "sections"
    };
    diagnostics.push(
        Diagnostic::warning(&doc.path, pos, "missing-section", format!("case study is missing {what}: {}", missing.join(", ")))
            .hint("add them as `## ` headings: case studies use Background, What we did, Impact, Key learning and Contact"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn todo_markers_are_found_in_front_matter_and_text_but_not_code() {
        let text = "---\ntitle: TODO x\n---\n\nA TODO here.\n\n```\nTODO in code\n```\n\n    TODO indented\n\nUse ``TODO`` in spans.\n";
        let doc = crate::load::fields::read(
            crate::model::Kind::Page,
            "p",
            "p.md",
            text.to_string(),
            &crate::model::Config::default(),
            &mut Vec::new(),
        );
        let mut found = Vec::new();
        todo_markers(&doc, &mut found);
        let lines: Vec<(usize, usize)> = found.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(lines, [(2, 8), (5, 3)]);
    }

    #[test]
    fn todo_is_found_as_a_word_outside_code_only() {
        assert_eq!(find_word_outside_code("a TODO b", "TODO"), Some(2));
        assert_eq!(find_word_outside_code("use `TODO` here", "TODO"), None);
        assert_eq!(find_word_outside_code("TODOS and MASTODON", "TODO"), None);
        assert_eq!(find_word_outside_code("`x` then TODO:", "TODO"), Some(9));
    }
}
