//! How deep YAML nests, found before serde_yaml reads it. At every token, libyaml (under
//! serde_yaml) and saphyr-parser look through each flow collection (`[`, `{`) still open,
//! so half a million `[` take them minutes; serde_yaml's own depth limit comes too late,
//! as libyaml reads the whole document first. Read here, the events stop at the first
//! collection past [`MAX_DEPTH`].
//!
//! In: YAML text. Out: a [`Depth`]: within the limit, too deep (a [`SyntaxError`] placed
//! where the nesting starts), or unknown past a syntax error that saphyr-parser finds,
//! with that error. Line breaks that libyaml knows and saphyr-parser does not (U+0085,
//! U+2028, U+2029) are read as line breaks here, so that no `[` hides from this reading
//! behind one (in a comment, say) that libyaml would count.

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScanError};

use super::node::SyntaxError;
use crate::model::diagnostic::Pos;

/// The deepest lists and mappings may nest, as in a document's body: nothing written by
/// hand comes near it, and both parsers stay linear below it.
pub(super) const MAX_DEPTH: usize = 100;

/// What reading the events found.
pub(super) enum Depth {
    /// Lists and mappings nest no deeper than [`MAX_DEPTH`].
    Within,
    /// They nest deeper: the error to report.
    TooDeep(SyntaxError),
    /// saphyr-parser stopped at a syntax error of its own, `error`, on the line that ends at
    /// byte `line_end`; how deep the text after it nests is not known.
    Unread { line_end: usize, error: SyntaxError },
}

/// The message saphyr-parser gives when flow collections nest past its own limit (255).
const SAPHYR_TOO_DEEP: &str = "recursion limit exceeded";

/// How deep `yaml`, which starts on file line `first_line`, nests.
pub(super) fn check(yaml: &str, first_line: usize) -> Depth {
    let text = with_libyaml_line_breaks(yaml);
    // Each open collection: the character index where it starts, and whether it is
    // written in brackets or braces, or inside such a collection.
    let mut open: Vec<(usize, bool)> = Vec::new();
    let mut read_up_to = 0;
    for item in Parser::new_from_str(&text) {
        let (event, span) = match item {
            Ok(item) => item,
            Err(err) if err.info() == SAPHYR_TOO_DEEP => {
                let at = match open.iter().find(|o| o.1) {
                    Some(o) => o.0,
                    None => first_bracket(&text, read_up_to, &err),
                };
                return Depth::TooDeep(too_deep(yaml, at, first_line));
            }
            Err(err) => return unread(yaml, &err, first_line),
        };
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                let flow =
                    open.last().is_some_and(|o| o.1) || span.end.index() > span.start.index();
                open.push((span.start.index(), flow));
                if open.len() > MAX_DEPTH {
                    return Depth::TooDeep(too_deep(yaml, start(&open), first_line));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                open.pop();
            }
            _ => {}
        }
        read_up_to = span.end.index();
    }
    Depth::Within
}

/// `yaml` with the line breaks of YAML 1.1 that YAML 1.2 dropped made `\n`: one character
/// for one, so that character indexes stay the same.
fn with_libyaml_line_breaks(yaml: &str) -> Cow<'_, str> {
    const BREAKS: [char; 3] = ['\u{85}', '\u{2028}', '\u{2029}'];
    if yaml.contains(BREAKS) {
        Cow::Owned(yaml.replace(BREAKS, "\n"))
    } else {
        Cow::Borrowed(yaml)
    }
}

/// Where the nesting of the collections `open` starts, as a character index: at the
/// outermost one in brackets or braces, or else at the outermost one below the top (the
/// value of a top-level field).
fn start(open: &[(usize, bool)]) -> usize {
    open.iter()
        .find(|o| o.1)
        .or_else(|| open.get(1))
        .or_else(|| open.first())
        .map_or(0, |o| o.0)
}

/// Where the nesting starts when saphyr-parser stopped at its own limit before any
/// bracket's event: the first `[` or `{` after the last event read, or the place of the
/// error without one.
fn first_bracket(text: &str, from: usize, err: &ScanError) -> usize {
    let to = err.marker().index();
    text.chars()
        .enumerate()
        .skip(from)
        .take(to.saturating_sub(from))
        .find(|(_, c)| matches!(c, '[' | '{'))
        .map_or(to, |(i, _)| i)
}

fn too_deep(yaml: &str, at: usize, first_line: usize) -> SyntaxError {
    SyntaxError {
        pos: place(yaml, at, first_line),
        message: format!("lists and mappings nest more than {MAX_DEPTH} deep here"),
        hint: Some("flatten the structure: no field needs more than a few levels".to_string()),
    }
}

fn unread(yaml: &str, err: &ScanError, first_line: usize) -> Depth {
    let at = byte_offset(yaml, err.marker().index());
    let line_end = yaml[at..].find('\n').map_or(yaml.len(), |i| at + i + 1);
    let error = SyntaxError {
        pos: place(yaml, err.marker().index(), first_line),
        message: err.info().to_string(),
        hint: None,
    };
    Depth::Unread { line_end, error }
}

/// The byte offset of character `index` of `text`, or its end.
fn byte_offset(text: &str, index: usize) -> usize {
    text.char_indices()
        .nth(index)
        .map_or(text.len(), |(i, _)| i)
}

/// The file position of character `index` of `yaml`, counting lines by `\n` as every
/// diagnostic does.
fn place(yaml: &str, index: usize, first_line: usize) -> Pos {
    let before = &yaml[..byte_offset(yaml, index)];
    let line = before.matches('\n').count();
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Pos::new(first_line + line, column, 1)
}
