//! The text a document publishes, as its readers get it, with where each character of it
//! is written in the file: the patient-data check reads it, so that a value is found
//! however the file spells it.
//!
//! In: a document's text, or a YAML file's. Out: a [`Published`] text and, for each of its
//! characters, the bytes of the file it was read from. The text holds the front matter's
//! string values as YAML decodes them (escapes resolved, folded and quoted lines joined),
//! one to a line, then the body's text as pulldown-cmark yields it — backslash escapes and
//! entities resolved, a line break inside a paragraph read as a space, markup left out,
//! and raw HTML's text and attribute values with their entities resolved — one block to a
//! line. Zero-width characters and soft hyphens are left out and every other space is a
//! space. No I/O.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::mapped::Published;
use crate::frontmatter;
use crate::frontmatter::{Node, Value};

/// The published text of a document: its front matter's values when `front`, and its
/// body's text when `markdown` (a file without front matter is all body).
pub fn document(text: &str, front: bool, markdown: bool) -> Published {
    let mut out = Published::default();
    let Ok(split) = frontmatter::split(text) else {
        if markdown {
            body(&mut out, text, 0);
        }
        return out;
    };
    if front {
        // The YAML starts after the first line, `---`.
        let yaml_at = text.find('\n').map_or(text.len(), |i| i + 1);
        values(&mut out, text, split.yaml, yaml_at, split.yaml_line);
    }
    if markdown {
        body(&mut out, text, split.body_offset);
    }
    out
}

/// The published text of a YAML file such as `library.yaml`: its string values.
pub fn yaml(text: &str) -> Published {
    let mut out = Published::default();
    values(&mut out, text, text, 0, 1);
    out
}

/// The string values of `yaml`, which is `text` from byte `at` and from line `line`.
fn values(out: &mut Published, text: &str, yaml: &str, at: usize, line: usize) {
    let Ok(root) = frontmatter::parse(yaml, line) else {
        return;
    };
    let starts: Vec<usize> = std::iter::once(at)
        .chain(yaml.match_indices('\n').map(|(i, _)| at + i + 1))
        .collect();
    let end = at + yaml.len();
    let mut nodes = vec![&root];
    while let Some(node) = nodes.pop() {
        match &node.value {
            Value::Str(s) => {
                let from = offset(text, &starts, node, line);
                super::scalar::align(out, s, &text[..end], from);
                out.end_line(from);
            }
            Value::Seq(items) => nodes.extend(items.iter().rev()),
            Value::Map(entries) => nodes.extend(entries.iter().rev().map(|e| &e.value)),
            _ => {}
        }
    }
}

/// The byte offset in `text` of a node of YAML whose lines start at `starts` and whose
/// first line is file line `line`.
fn offset(text: &str, starts: &[usize], node: &Node, line: usize) -> usize {
    let Some(&start) = starts.get(node.pos.line.saturating_sub(line)) else {
        return text.len();
    };
    let rest = &text[start..];
    rest.char_indices()
        .nth(node.pos.column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| start + i)
}

/// The text of the Markdown in `text` from byte `at`.
fn body(out: &mut Published, text: &str, at: usize) {
    let body = &text[at..];
    let mut code = false;
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        let range = at + range.start..at + range.end;
        let written = text.get(range.clone()).unwrap_or_default();
        match event {
            Event::Start(Tag::CodeBlock(_)) => code = true,
            Event::End(TagEnd::CodeBlock) => code = false,
            _ => {}
        }
        match event {
            Event::Text(t) if *t == *written => out.push_as_written(&t, range.start, code),
            // An entity or an escaped character: read from all of it.
            Event::Text(t) if t.chars().count() <= 2 => out.push_from(&t, range),
            Event::Text(t) | Event::Code(t) => {
                super::scalar::walk(out, &t, &text[..range.end], range.start)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' ', range),
            Event::Html(t) | Event::InlineHtml(t) if *t == *written => html(out, &t, range.start),
            Event::Html(t) | Event::InlineHtml(t) => out.push_from(&t, range),
            Event::Start(tag) if !inline(&tag) => out.end_line(range.start),
            Event::End(tag) if !inline_end(tag) => out.end_line(range.end),
            _ => {}
        }
    }
}

/// Tags whose text runs on with the text around them.
fn inline(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }
    )
}

fn inline_end(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link
    )
}

/// HTML elements whose text runs on with the text around them.
const INLINE_ELEMENTS: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
];

/// Raw HTML written from byte `at`: its text, and each attribute value on a line of its
/// own, entities resolved; comments left out.
fn html(out: &mut Published, html: &str, at: usize) {
    let mut i = 0;
    while i < html.len() {
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            i += rest.find("-->").map_or(rest.len(), |e| e + 3);
        } else if rest.starts_with('<')
            && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')
        {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            let tag = &rest[..end];
            let name: String = tag
                .trim_start_matches(['<', '/'])
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            match name.as_str() {
                "br" => out.push(' ', at + i..at + i + end),
                n if INLINE_ELEMENTS.contains(&n) => {}
                _ => out.end_line(at + i),
            }
            attributes(out, tag, at + i);
            i += end;
        } else {
            i += text_char(out, rest, at + i);
        }
    }
}

/// The quoted attribute values of a tag written from byte `at`, each on a line of its own.
fn attributes(out: &mut Published, tag: &str, at: usize) {
    let mut rest = tag;
    let mut offset = 0;
    while let Some(q) = rest.find(['"', '\'']) {
        let quote = &rest[q..q + 1];
        let value_at = q + 1;
        let Some(len) = rest[value_at..].find(quote) else {
            break;
        };
        let line = out.text.len();
        out.end_line(at + offset + q);
        let value = &rest[value_at..value_at + len];
        let mut j = 0;
        while j < value.len() {
            j += text_char(out, &value[j..], at + offset + value_at + j);
        }
        if out.text.len() > line {
            out.end_line(at + offset + value_at + len);
        }
        offset += value_at + len + 1;
        rest = &tag[offset..];
    }
}

/// Reads the character (or entity) that `text`, written from byte `at`, starts with;
/// returns its length in bytes.
fn text_char(out: &mut Published, text: &str, at: usize) -> usize {
    if let Some((decoded, len)) = entity(text) {
        out.push_from(&decoded, at..at + len);
        return len;
    }
    let c = text.chars().next().unwrap_or(' ');
    out.push(c, at..at + c.len_utf8());
    c.len_utf8()
}

/// The HTML entity that `text` starts with (`&#57;`, `&#x39;`, `&nbsp;`) and its length.
fn entity(text: &str) -> Option<(String, usize)> {
    let rest = text.strip_prefix('&')?;
    let end = rest.bytes().take(33).position(|b| b == b';')?;
    let name = &rest[..end];
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'#') {
        return None;
    }
    let decoded = if let Some(number) = name.strip_prefix('#') {
        let n = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        char::from_u32(n)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{fffd}')
            .to_string()
    } else {
        let &(a, b) = markup5ever::data::NAMED_ENTITIES.get(&rest[..=end])?;
        [a, b]
            .into_iter()
            .filter(|&c| c != 0)
            .filter_map(char::from_u32)
            .collect()
    };
    Some((decoded, end + 2))
}

#[cfg(test)]
mod tests;
