//! Writing conventions checked in the text of a document: TODO markers left from
//! `lantern new`, and the sections a case study is expected to have.
//!
//! In: a document and its headings. Out: warnings. No I/O.

use crate::diagnostic::{Diagnostic, LineIndex, Pos};
use crate::markdown::Heading;
use crate::model::Doc;

const CASE_STUDY_SECTIONS: &[&str] = &[
    "Background",
    "What we did",
    "Impact",
    "Key learning",
    "Contact",
];

/// Warns about every TODO marker outside code.
pub fn todo_markers(doc: &Doc, diagnostics: &mut Vec<Diagnostic>) {
    let mut fence: Option<(char, usize)> = None;
    for (n, line) in doc.text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some((c, len)) = fence_of(trimmed) {
            match fence {
                None => fence = Some((c, len)),
                Some((open, open_len))
                    if open == c
                        && len >= open_len
                        && trimmed.trim_end().chars().all(|x| x == c) =>
                {
                    fence = None
                }
                Some(_) => {}
            }
            continue;
        }
        if fence.is_some() {
            continue;
        }
        if let Some(col) = find_word_outside_code(line, "TODO") {
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

/// The character and length of a code fence line (```` ``` ```` or `~~~`).
fn fence_of(line: &str) -> Option<(char, usize)> {
    let c = line.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = line.chars().take_while(|x| *x == c).count();
    (len >= 3).then_some((c, len))
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
    fn todo_is_found_as_a_word_outside_code_only() {
        assert_eq!(find_word_outside_code("a TODO b", "TODO"), Some(2));
        assert_eq!(find_word_outside_code("use `TODO` here", "TODO"), None);
        assert_eq!(find_word_outside_code("TODOS and MASTODON", "TODO"), None);
        assert_eq!(find_word_outside_code("`x` then TODO:", "TODO"), Some(9));
    }
}
