//! Front matter in one pass: builds the [`Node`] tree straight from saphyr-parser's events,
//! with each value's position from its event's span and plain scalars resolved by the rules
//! serde_yaml 0.9 follows (its `visit_untagged_scalar`).
//!
//! In: YAML text. Out: `Some(node)` only where serde_yaml would read the same values and
//! the slow reading would place them the same; `None` for everything else, which the
//! caller hands on: parse errors, anchors, aliases and tags, complex or repeated keys,
//! keys it is not sure the slow reading names as written, more than one document,
//! nesting past the limit (which `depth` reports), and characters that libyaml and
//! saphyr-parser read differently. It never reports an error itself.

use std::borrow::Cow;
use std::num::ParseIntError;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use super::depth::MAX_DEPTH;
use super::node::{Entry, Node, Value, span_pos, widths};
use crate::model::diagnostic::Pos;

/// Both parsers give up on an implicit key longer than 1024 characters, counted slightly
/// differently; keys anywhere near that go to serde_yaml.
const MAX_KEY_CHARS: usize = 1000;

/// Characters that YAML 1.1 (libyaml) does not let start a plain scalar where YAML 1.2
/// (saphyr-parser) sometimes does; `-` is left out, as both let it start one before a
/// non-blank.
const INDICATORS: &[char] = &[
    '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`',
];

/// A collection whose end event has not come yet.
struct Open {
    pos: Pos,
    /// Written in brackets or braces, or inside such a collection.
    flow: bool,
    items: Items,
}

enum Items {
    Seq(Vec<Node>),
    /// A mapping's entries so far, and the key (with its position) awaiting its value.
    Map(Vec<Entry>, Option<(String, Pos)>),
}

/// The tree of `yaml` (which starts on file line `first_line`), or `None` where only
/// serde_yaml can say.
pub(crate) fn parse(yaml: &str, first_line: usize) -> Option<Node> {
    if !read_alike(yaml) {
        return None;
    }
    let widths = widths(yaml);
    let mut stack: Vec<Open> = Vec::new();
    let mut root = None;
    let mut documents = 0;
    for item in Parser::new_from_str(yaml) {
        let (event, span) = item.ok()?;
        let pos = span_pos(&span, &widths, first_line);
        let node = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return None;
                }
                continue;
            }
            Event::Scalar(text, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return None;
                }
                if let Some(Items::Map(_, awaiting @ None)) = stack.last_mut().map(|o| &mut o.items)
                {
                    *awaiting = Some((key(text, style, &span)?, pos));
                    continue;
                }
                let block = matches!(style, ScalarStyle::Literal | ScalarStyle::Folded);
                if block && (stack.is_empty() || !yaml.ends_with('\n')) {
                    return None;
                }
                Node {
                    pos,
                    value: scalar(text, style)?,
                }
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                let parent = stack.last();
                let awaits_key = matches!(
                    parent,
                    Some(Open {
                        items: Items::Map(_, None),
                        ..
                    })
                );
                if anchor != 0 || tag.is_some() || awaits_key || stack.len() >= MAX_DEPTH {
                    return None;
                }
                // A flow collection's start event spans its bracket; a block one's is empty.
                let flow = parent.is_some_and(|p| p.flow) || span.end.index() > span.start.index();
                let items = match event {
                    Event::SequenceStart(..) => Items::Seq(Vec::new()),
                    _ => Items::Map(Vec::new(), None),
                };
                stack.push(Open { pos, flow, items });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let open = stack.pop()?;
                let value = match open.items {
                    Items::Seq(items) => Value::Seq(items),
                    Items::Map(entries, None) if !repeats_a_key(&entries) => Value::Map(entries),
                    Items::Map(..) => return None,
                };
                Node {
                    pos: open.pos,
                    value,
                }
            }
            Event::Alias(_) => return None,
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {
                continue;
            }
        };
        let Some(parent) = stack.last_mut() else {
            if root.is_some() {
                return None;
            }
            root = Some(node);
            continue;
        };
        match &mut parent.items {
            Items::Seq(items) => items.push(node),
            Items::Map(entries, awaiting) => {
                let (key, key_pos) = awaiting.take()?;
                // libyaml wants a flow mapping's `:` on its key's line; saphyr-parser does
                // not always, and where the `:` is is not in the events.
                if parent.flow && node.pos.line != key_pos.line {
                    return None;
                }
                entries.push(Entry {
                    key,
                    key_pos,
                    value: node,
                });
            }
        }
    }
    if !stack.is_empty() {
        return None;
    }
    // No document at all: serde_yaml reads nothing, placed at the start.
    Some(root.unwrap_or(Node {
        pos: Pos::new(first_line, 1, 1),
        value: Value::Null,
    }))
}

/// Whether `yaml` avoids what libyaml and saphyr-parser read differently: tabs (whose rules
/// differ), control characters and line breaks other than `\n` and `\r\n` (YAML 1.1 also
/// breaks lines at U+0085, U+2028 and U+2029), a byte-order mark, directives (`%YAML`) and
/// document markers (`---`, `...`) at the start of a line, and `:` right before `,[]{}?`,
/// which libyaml refuses in a flow collection.
fn read_alike(yaml: &str) -> bool {
    let bytes = yaml.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let next = bytes.get(i + 1).copied();
        let alike = match b {
            b'\n' => {
                !matches!(bytes.get(i + 1..i + 4), Some(b"---" | b"...")) && next != Some(b'%')
            }
            b'\r' => next == Some(b'\n'),
            b':' => !matches!(next, Some(b',' | b'[' | b']' | b'{' | b'}' | b'?')),
            _ => b >= 0x20 && b != 0x7f,
        };
        if !alike {
            return false;
        }
    }
    let starts_oddly = yaml.starts_with("---") || yaml.starts_with("...") || yaml.starts_with('%');
    !starts_oddly
        && (yaml.is_ascii()
            || !yaml.chars().any(|c| {
                matches!(
                    c,
                    '\u{80}'
                        ..='\u{9f}'
                            | '\u{2028}'
                            | '\u{2029}'
                            | '\u{feff}'
                            | '\u{fffe}'
                            | '\u{ffff}'
                )
            }))
}

/// A mapping key as the slow reading names it, or `None` where it leaves the key to that
/// reading: keys other than a plain or quoted scalar on one line, plain keys that
/// serde_yaml shows otherwise than written (`0x1A` as `26`, `True` as `true`), and keys
/// that are empty or hold `.` or `[` (once ambiguous to the slow reading, and none a field).
fn key(text: Cow<'_, str>, style: ScalarStyle, span: &Span) -> Option<String> {
    let one_line = span.start.line() == span.end.line();
    if !one_line || span.end.index().saturating_sub(span.start.index()) > MAX_KEY_CHARS {
        return None;
    }
    let key = match style {
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => text.into_owned(),
        ScalarStyle::Plain => {
            let shown = match resolve(&text)? {
                Plain::Str => return checked_key(text.into_owned()),
                Plain::Null => "~".to_string(),
                Plain::Bool(b) => b.to_string(),
                Plain::U64(u) => serde_yaml::Number::from(u).to_string(),
                Plain::I64(i) => serde_yaml::Number::from(i).to_string(),
                Plain::F64(f) => serde_yaml::Number::from(f).to_string(),
            };
            if shown != text {
                return None;
            }
            shown
        }
        _ => return None,
    };
    checked_key(key)
}

fn checked_key(key: String) -> Option<String> {
    (!key.is_empty() && !key.contains(['.', '['])).then_some(key)
}

/// Whether two entries have the same key: serde_yaml refuses a mapping that repeats a key.
/// Keys equal as text are not always equal to serde_yaml (`1` and `"1"`), but serde_yaml
/// tells those apart and the slow reading has the last word on them.
fn repeats_a_key(entries: &[Entry]) -> bool {
    if entries.len() <= 16 {
        return entries
            .iter()
            .enumerate()
            .any(|(i, a)| entries[..i].iter().any(|b| a.key == b.key));
    }
    let mut keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
    keys.sort_unstable();
    keys.windows(2).any(|pair| pair[0] == pair[1])
}

/// A scalar value as serde_yaml reads it: quoted and block scalars are strings, plain ones
/// are resolved; `None` where serde_yaml would fail.
fn scalar(text: Cow<'_, str>, style: ScalarStyle) -> Option<Value> {
    if style != ScalarStyle::Plain {
        return Some(Value::Str(text.into_owned()));
    }
    Some(match resolve(&text)? {
        Plain::Null => Value::Null,
        Plain::Bool(b) => Value::Bool(b),
        Plain::U64(u) => i64::try_from(u).map_or(Value::Float(u as f64), Value::Int),
        Plain::I64(i) => Value::Int(i),
        Plain::F64(f) => Value::Float(f),
        Plain::Str => Value::Str(text.into_owned()),
    })
}

/// What serde_yaml makes of an untagged plain scalar.
#[derive(Debug, Clone, Copy)]
pub(super) enum Plain {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str,
}

/// serde_yaml's `visit_untagged_scalar`, step for step; `None` for whole numbers that only
/// fit 128 bits, which serde_yaml's `Value` refuses with an error, and for scalars that
/// start with an indicator, which libyaml may not read as one scalar.
pub(super) fn resolve(v: &str) -> Option<Plain> {
    if v.starts_with(INDICATORS) {
        return None;
    }
    // Only these can start a null, a boolean or a number; most plain scalars are words.
    let maybe_not_text = |c: char| {
        c.is_ascii_digit() || matches!(c, '~' | 'n' | 'N' | 't' | 'T' | 'f' | 'F' | '+' | '-' | '.')
    };
    if v.is_empty() || matches!(v, "~" | "null" | "Null" | "NULL") {
        return Some(Plain::Null);
    }
    if !v.starts_with(maybe_not_text) {
        return Some(Plain::Str);
    }
    match v {
        "true" | "True" | "TRUE" => return Some(Plain::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Plain::Bool(false)),
        _ => {}
    }
    if let Some(u) = unsigned(v, u64::from_str_radix) {
        return Some(Plain::U64(u));
    }
    if let Some(i) = negative(v, i64::from_str_radix) {
        return Some(Plain::I64(i));
    }
    if unsigned(v, u128::from_str_radix).is_some() || negative(v, i128::from_str_radix).is_some() {
        return None;
    }
    if !digits_but_not_number(v) {
        if let Some(f) = float(v) {
            return Some(Plain::F64(f));
        }
    }
    Some(Plain::Str)
}

/// serde_yaml's `parse_unsigned_int`.
fn unsigned<T>(
    scalar: &str,
    from_str_radix: fn(&str, u32) -> Result<T, ParseIntError>,
) -> Option<T> {
    let unpositive = scalar.strip_prefix('+').unwrap_or(scalar);
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = unpositive.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(int) = from_str_radix(rest, radix) {
                return Some(int);
            }
        }
    }
    if unpositive.starts_with(['+', '-']) || digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(unpositive, 10).ok()
}

/// serde_yaml's `parse_negative_int`.
fn negative<T>(
    scalar: &str,
    from_str_radix: fn(&str, u32) -> Result<T, ParseIntError>,
) -> Option<T> {
    for (prefix, radix) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
        if let Some(rest) = scalar.strip_prefix(prefix) {
            if let Ok(int) = from_str_radix(&format!("-{rest}"), radix) {
                return Some(int);
            }
        }
    }
    if digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(scalar, 10).ok()
}

/// serde_yaml's `parse_f64`.
fn float(scalar: &str) -> Option<f64> {
    let unpositive = match scalar.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => scalar,
    };
    if let ".inf" | ".Inf" | ".INF" = unpositive {
        return Some(f64::INFINITY);
    }
    if let "-.inf" | "-.Inf" | "-.INF" = scalar {
        return Some(f64::NEG_INFINITY);
    }
    if let ".nan" | ".NaN" | ".NAN" = scalar {
        return Some(f64::NAN.copysign(1.0));
    }
    unpositive.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// serde_yaml's `digits_but_not_number`: a leading zero before more digits is text in YAML
/// 1.2 (`017`).
fn digits_but_not_number(scalar: &str) -> bool {
    let scalar = scalar.strip_prefix(['-', '+']).unwrap_or(scalar);
    scalar.len() > 1 && scalar.starts_with('0') && scalar[1..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests;
