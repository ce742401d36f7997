//! The slow way's places: where each value that serde_yaml reads is written.
//!
//! In: YAML text, read once into a tree of [`Places`] from saphyr-parser's events, and
//! serde_yaml's value of the same text. Out: the [`Node`] tree, each value at its place and
//! each mapping entry matched to the entry written in the same position of its mapping
//! (serde_yaml keeps them in order), so that the cost stays linear however deep the
//! nesting; keys that are not plain text (`[a, b]`, `{a: 1}`, tagged) named as written. For
//! a mapping that serde_yaml finds repeats a key, where the repeat is written, aliases
//! (`*name`) followed to what they stand for.

use std::cell::OnceCell;

use rustc_hash::FxHashMap as HashMap;
use saphyr_parser::{Event, Parser, ScalarStyle};

use super::events::{Plain, resolve};
use super::node::{Entry, Node, Value, span_pos, widths};
use crate::model::diagnostic::Pos;

/// Keys shown in messages are cut to this many characters.
const KEY_CHARS: usize = 80;

/// Every value and key of a YAML text, by number in the order written; the first is the
/// top of the (first) document.
pub(super) struct Places<'a> {
    yaml: &'a str,
    places: Vec<Place>,
    /// The place that each anchor (`&name`, by saphyr-parser's number) names.
    anchors: HashMap<usize, usize>,
    /// Byte offsets of each character, made when a text with other than ASCII first needs one.
    bytes: OnceCell<Vec<usize>>,
}

struct Place {
    pos: Pos,
    /// The characters it is written with (from, to), tag and anchor included.
    span: (usize, usize),
    what: What,
}

enum What {
    /// A scalar, with its text when it is a key or anchored (else `None`, to save memory).
    Scalar(Option<(String, ScalarStyle, bool)>),
    Alias(usize),
    Seq(Vec<usize>),
    /// Entries: the place of the key and of its value (`None` until it comes).
    Map(Vec<(usize, Option<usize>)>),
}

impl<'a> Places<'a> {
    /// Reads `yaml`, which starts on file line `first_line`, as far as saphyr-parser can.
    pub(super) fn index(yaml: &'a str, first_line: usize) -> Places<'a> {
        let widths = widths(yaml);
        let mut places = Vec::new();
        let mut anchors = HashMap::default();
        let mut open: Vec<usize> = Vec::new();
        for item in Parser::new_from_str(yaml) {
            let Ok((event, span)) = item else { break };
            let what = match event {
                Event::Scalar(text, style, anchor, tag) => {
                    let keep = anchor != 0 || awaits_key(&places, &open);
                    if anchor != 0 {
                        anchors.insert(anchor, places.len());
                    }
                    What::Scalar(keep.then(|| (text.into_owned(), style, tag.is_some())))
                }
                Event::Alias(id) => What::Alias(id),
                Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                    if anchor != 0 {
                        anchors.insert(anchor, places.len());
                    }
                    match event {
                        Event::SequenceStart(..) => What::Seq(Vec::new()),
                        _ => What::Map(Vec::new()),
                    }
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    if let Some(done) = open.pop() {
                        places[done].span.1 = span.end.index();
                    }
                    continue;
                }
                _ => continue,
            };
            let id = places.len();
            let starts = matches!(what, What::Seq(_) | What::Map(_));
            places.push(Place {
                pos: span_pos(&span, &widths, first_line),
                span: (span.start.index(), span.end.index()),
                what,
            });
            if let Some(&parent) = open.last() {
                match &mut places[parent].what {
                    What::Seq(items) => items.push(id),
                    What::Map(entries) => match entries.last_mut() {
                        Some((_, value @ None)) => *value = Some(id),
                        _ => entries.push((id, None)),
                    },
                    _ => {}
                }
            }
            if starts {
                open.push(id);
            }
        }
        Places {
            yaml,
            places,
            anchors,
            bytes: OnceCell::new(),
        }
    }

    /// serde_yaml's `value` as a [`Node`] tree with the places read; `root` stands for
    /// places not found (the text holds none, or serde_yaml reads more than it shows).
    pub(super) fn convert(&self, value: serde_yaml::Value, root: Pos) -> Node {
        let top = (!self.places.is_empty()).then_some(0);
        self.node(value, top, root)
    }

    fn node(&self, value: serde_yaml::Value, at: Option<usize>, fallback: Pos) -> Node {
        use serde_yaml::Value as Y;
        let place = at.and_then(|i| self.places.get(i));
        let pos = place.map_or(fallback, |p| p.pos);
        let value = match value {
            Y::Null => Value::Null,
            Y::Bool(b) => Value::Bool(b),
            Y::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Y::String(s) => Value::Str(s),
            Y::Sequence(items) => {
                let written = match place.map(|p| &p.what) {
                    Some(What::Seq(items)) => items.as_slice(),
                    _ => &[],
                };
                let nodes = items.into_iter().enumerate();
                Value::Seq(
                    nodes
                        .map(|(i, item)| self.node(item, written.get(i).copied(), pos))
                        .collect(),
                )
            }
            Y::Mapping(map) => {
                let written = match place.map(|p| &p.what) {
                    Some(What::Map(entries)) => entries.as_slice(),
                    _ => &[],
                };
                let entries = map.into_iter().enumerate().map(|(i, (k, v))| {
                    let (key_at, value_at) = written.get(i).copied().unzip();
                    let key_pos = key_at
                        .and_then(|k| self.places.get(k))
                        .map_or(pos, |p| p.pos);
                    let key = match k {
                        Y::String(s) => s,
                        Y::Bool(b) => b.to_string(),
                        Y::Number(n) => n.to_string(),
                        Y::Null => "~".to_string(),
                        other => key_at.map_or_else(|| format!("{other:?}"), |k| self.shown(k)),
                    };
                    Entry {
                        key,
                        key_pos,
                        value: self.node(v, value_at.flatten(), key_pos),
                    }
                });
                Value::Map(entries.collect())
            }
            Y::Tagged(tagged) => return self.node(tagged.value, at, fallback),
        };
        Node { pos, value }
    }

    /// The text written for place `i`, on one line and cut short when long: a key as the
    /// writer sees it in the file.
    fn shown(&self, i: usize) -> String {
        let text = self.text(i);
        let words: Vec<&str> = text.split_whitespace().collect();
        let one_line = words.join(" ");
        match one_line.char_indices().nth(KEY_CHARS) {
            Some((cut, _)) => format!("{}…", &one_line[..cut]),
            None => one_line,
        }
    }

    /// The text written for place `i`.
    fn text(&self, i: usize) -> &'a str {
        let Some(place) = self.places.get(i) else {
            return "";
        };
        let (from, to) = place.span;
        if self.yaml.is_ascii() {
            return self.yaml.get(from..to).unwrap_or("");
        }
        let bytes = self.bytes.get_or_init(|| {
            let mut at: Vec<usize> = self.yaml.char_indices().map(|(b, _)| b).collect();
            at.push(self.yaml.len());
            at
        });
        match (bytes.get(from), bytes.get(to)) {
            (Some(&a), Some(&b)) => self.yaml.get(a..b).unwrap_or(""),
            _ => "",
        }
    }

    /// Where a key is repeated, for serde_yaml's "duplicate entry" error about the mapping
    /// at `line` and `column` of the file: that mapping's first key equal to one before it
    /// (or, when no mapping is found there, the first such key in any mapping), shown as
    /// written, with the alias it was reached through if any.
    pub(super) fn repeated_key(&self, line: usize, column: usize) -> Option<Repeat> {
        let maps = self
            .places
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p.what, What::Map(_)));
        let here = maps
            .clone()
            .find(|(_, p)| (p.pos.line, p.pos.column) == (line, column));
        here.into_iter()
            .chain(maps)
            .find_map(|(_, place)| self.repeat_in(place))
    }

    fn repeat_in(&self, map: &Place) -> Option<Repeat> {
        use serde_yaml::Value as Y;
        let What::Map(entries) = &map.what else {
            return None;
        };
        // Each key's value, and the place where it is written first.
        let mut seen: std::collections::HashMap<Y, usize> = std::collections::HashMap::new();
        entries.iter().find_map(|&(key, _)| {
            let target = self.through_alias(key)?;
            let value = self.key_value(target)?;
            let first = match seen.entry(value) {
                std::collections::hash_map::Entry::Occupied(first) => *first.get(),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(target);
                    return None;
                }
            };
            let shown = match self.key_value(first)? {
                Y::String(s) => s,
                Y::Bool(b) => b.to_string(),
                Y::Number(n) => n.to_string(),
                Y::Null => "~".to_string(),
                _ => self.shown(first),
            };
            let alias = (target != key).then(|| self.text(key).to_string());
            Some(Repeat {
                key: shown,
                alias,
                pos: self.places[key].pos,
            })
        })
    }

    /// The place that place `i` stands for: the anchored value when it is an alias.
    fn through_alias(&self, i: usize) -> Option<usize> {
        match self.places.get(i)?.what {
            What::Alias(id) => self.anchors.get(&id).copied(),
            _ => Some(i),
        }
    }

    /// What serde_yaml makes of the key written at place `i`.
    fn key_value(&self, i: usize) -> Option<serde_yaml::Value> {
        use serde_yaml::Value as Y;
        if let What::Scalar(Some((text, style, false))) = &self.places.get(i)?.what {
            if *style != ScalarStyle::Plain {
                return Some(Y::String(text.clone()));
            }
            match resolve(text) {
                Some(Plain::Null) => return Some(Y::Null),
                Some(Plain::Bool(b)) => return Some(Y::Bool(b)),
                Some(Plain::U64(u)) => return Some(Y::Number(u.into())),
                Some(Plain::I64(n)) => return Some(Y::Number(n.into())),
                Some(Plain::F64(f)) => return Some(Y::Number(f.into())),
                Some(Plain::Str) => return Some(Y::String(text.clone())),
                None => {}
            }
        }
        serde_yaml::from_str(self.text(i)).ok()
    }
}

/// A key written a second time in one mapping.
pub(super) struct Repeat {
    /// The key, as written where it is first given.
    pub key: String,
    /// The alias (`*name`) written in its place the second time, if it was one.
    pub alias: Option<String>,
    pub pos: Pos,
}

/// Whether the innermost open collection is a mapping waiting for a key.
fn awaits_key(places: &[Place], open: &[usize]) -> bool {
    match open.last().map(|&i| &places[i].what) {
        Some(What::Map(entries)) => !matches!(entries.last(), Some((_, None))),
        _ => false,
    }
}
