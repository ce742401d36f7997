//! Strict reading of YAML mappings into typed fields, collecting every problem.
//!
//! In: a [`Node`] mapping and the rules for each field (required, type, vocabulary, length).
//! Out: typed values, plus diagnostics for missing fields, wrong types, values outside a
//! vocabulary and unknown fields, each with a "did you mean" hint where one fits.

use crate::frontmatter::{Entry, Node, Value};
use crate::model::date::{Date, DateError};
use crate::model::diagnostic::{Diagnostic, Pos};
use crate::model::suggest::{choice_hint, suggest};
use crate::model::{Ref, Vocab};

/// Diagnostics for one file.
pub struct Report<'a> {
    pub path: &'a str,
    pub diagnostics: &'a mut Vec<Diagnostic>,
}

impl Report<'_> {
    pub fn error(&mut self, pos: Pos, rule: &'static str, message: String, hint: String) {
        self.diagnostics
            .push(Diagnostic::error(self.path, pos, rule, message).hint(hint));
    }

    pub fn warning(&mut self, pos: Pos, rule: &'static str, message: String, hint: String) {
        self.diagnostics
            .push(Diagnostic::warning(self.path, pos, rule, message).hint(hint));
    }

    fn wrong_type(&mut self, name: &str, node: &Node, expected: &str, example: &str) {
        self.error(
            node.pos,
            "wrong-type",
            format!("`{name}` must be {expected}, found {}", node.value.kind()),
            format!("write it like `{name}: {example}`"),
        );
    }
}

/// The fields of one mapping, read one by one; [`Fields::finish`] reports the keys no reader
/// asked for.
pub struct Fields<'n> {
    /// Dotted name of this mapping for messages (`driver_diagram.primary[0]`), empty at the top.
    prefix: String,
    entries: &'n [Entry],
    used: Vec<bool>,
    /// Where to point when a required field is missing.
    pub pos: Pos,
    allowed: Vec<&'static str>,
}

impl<'n> Fields<'n> {
    /// Reads `node` as a mapping; `None` (after a diagnostic) if it is something else.
    pub fn of(node: &'n Node, prefix: &str, report: &mut Report<'_>) -> Option<Fields<'n>> {
        match &node.value {
            Value::Map(entries) => Some(Fields {
                prefix: prefix.to_string(),
                entries,
                used: vec![false; entries.len()],
                pos: node.pos,
                allowed: Vec::new(),
            }),
            _ => {
                let name = if prefix.is_empty() {
                    "front matter"
                } else {
                    prefix
                };
                report.error(
                    node.pos,
                    "wrong-type",
                    format!(
                        "{name} must be a mapping of `field: value` lines, found {}",
                        node.value.kind()
                    ),
                    "write one `field: value` per line".to_string(),
                );
                None
            }
        }
    }

    /// The full name of a field for messages.
    pub fn name(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.prefix)
        }
    }

    /// Where the value of `key` is written, or where the mapping starts when it is absent.
    pub fn pos_of(&self, key: &str) -> Pos {
        self.entries
            .iter()
            .find(|e| e.key == key)
            .map_or(self.pos, |e| e.value.pos)
    }

    /// Reports `later` when it is before `earlier` (both dates of this mapping).
    pub fn check_order(
        &self,
        earlier: (&str, Option<Date>),
        later: (&str, Option<Date>),
        report: &mut Report<'_>,
    ) {
        if let ((a, Some(first)), (b, Some(second))) = (earlier, later) {
            if second < first {
                report.error(
                    self.pos_of(b),
                    "invalid-value",
                    format!(
                        "`{}` ({second}) is before `{}` ({first})",
                        self.name(b),
                        self.name(a)
                    ),
                    format!("check both dates: `{b}` cannot come before `{a}`"),
                );
            }
        }
    }

    /// The value of `key`, marking it as known. Null values count as absent.
    pub fn get(&mut self, key: &'static str) -> Option<&'n Node> {
        self.allowed.push(key);
        let i = self.entries.iter().position(|e| e.key == key)?;
        self.used[i] = true;
        let node = &self.entries[i].value;
        (node.value != Value::Null).then_some(node)
    }

    fn missing(&self, key: &str, report: &mut Report<'_>, example: &str) {
        report.error(
            self.pos,
            "missing-field",
            format!("missing required field `{}`", self.name(key)),
            format!("add `{key}: {example}`"),
        );
    }

    /// A string field; `max` limits its length in characters.
    pub fn string(
        &mut self,
        key: &'static str,
        required: bool,
        max: Option<usize>,
        report: &mut Report<'_>,
    ) -> Option<String> {
        let Some(node) = self.get(key) else {
            if required {
                self.missing(key, report, "...");
            }
            return None;
        };
        let text = match &node.value {
            Value::Str(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            _ => {
                report.wrong_type(&self.name(key), node, "text", "some text");
                return None;
            }
        };
        if required && text.trim().is_empty() {
            self.missing(key, report, "...");
            return None;
        }
        if let Some(max) = max {
            let count = text.chars().count();
            if count > max {
                report.error(
                    node.pos,
                    "too-long",
                    format!(
                        "`{}` is {count} characters long, more than {max}",
                        self.name(key)
                    ),
                    format!("shorten it to {max} characters or fewer"),
                );
            }
        }
        Some(text)
    }

    /// A `YYYY-MM-DD` date.
    pub fn date(
        &mut self,
        key: &'static str,
        required: bool,
        report: &mut Report<'_>,
    ) -> Option<Date> {
        let Some(node) = self.get(key) else {
            if required {
                self.missing(key, report, "2025-01-31");
            }
            return None;
        };
        let name = self.name(key);
        read_date(&name, node, report)
    }

    /// A whole number of at least `min`.
    pub fn int(
        &mut self,
        key: &'static str,
        required: bool,
        min: i64,
        report: &mut Report<'_>,
    ) -> Option<i64> {
        self.int_in(key, required, min..=i64::from(u32::MAX), report)
    }

    /// A whole number within `range`.
    pub fn int_in(
        &mut self,
        key: &'static str,
        required: bool,
        range: std::ops::RangeInclusive<i64>,
        report: &mut Report<'_>,
    ) -> Option<i64> {
        let (min, max) = (*range.start(), *range.end());
        let Some(node) = self.get(key) else {
            if required {
                self.missing(key, report, &min.max(1).to_string());
            }
            return None;
        };
        match node.value {
            Value::Int(i) if range.contains(&i) => Some(i),
            Value::Int(i) => {
                let (message, hint) = if i < min {
                    (
                        format!("must be at least {min}"),
                        format!("use a whole number from {min} up"),
                    )
                } else {
                    (
                        format!("must be at most {max}"),
                        format!("use a whole number from {min} to {max}"),
                    )
                };
                report.error(
                    node.pos,
                    "invalid-value",
                    format!("`{}` {message}, found {i}", self.name(key)),
                    hint,
                );
                None
            }
            _ => {
                report.wrong_type(
                    &self.name(key),
                    node,
                    "a whole number",
                    &min.max(1).to_string(),
                );
                None
            }
        }
    }

    /// A finite number of at most [`crate::model::LARGEST_NUMBER`] in size (these are the
    /// numbers charts and tables compute with); `positive` also rules out zero and below.
    pub fn number(
        &mut self,
        key: &'static str,
        required: bool,
        positive: bool,
        report: &mut Report<'_>,
    ) -> Option<f64> {
        let Some(node) = self.get(key) else {
            if required {
                self.missing(key, report, "100");
            }
            return None;
        };
        let value = match node.value {
            Value::Int(i) => i as f64,
            Value::Float(f) if f.is_finite() => f,
            _ => {
                report.wrong_type(&self.name(key), node, "a number", "100");
                return None;
            }
        };
        if value.abs() > crate::model::LARGEST_NUMBER {
            report.error(
                node.pos,
                "invalid-value",
                format!(
                    "`{}` is {value:e}, larger than a chart can draw",
                    self.name(key)
                ),
                "use a number of at most 1000000000000 (10¹²) in size".to_string(),
            );
            return None;
        }
        if positive && value <= 0.0 {
            report.error(
                node.pos,
                "invalid-value",
                format!("`{}` must be more than 0, found {value}", self.name(key)),
                "use a positive number, e.g. 100 for a percentage".to_string(),
            );
            return None;
        }
        Some(value)
    }

    pub fn boolean(&mut self, key: &'static str, report: &mut Report<'_>) -> Option<bool> {
        let node = self.get(key)?;
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                report.wrong_type(&self.name(key), node, "true or false", "true");
                None
            }
        }
    }

    /// An id from `vocab` (its name in messages, and the vocabulary), with its place.
    pub fn one_id(
        &mut self,
        key: &'static str,
        vocab: (&str, &Vocab),
        report: &mut Report<'_>,
    ) -> Ref {
        let pos = self.get(key).map_or(self.pos, |n| n.pos);
        let id = self
            .choice(key, &vocab.1.ids().collect::<Vec<_>>(), true, report)
            .unwrap_or_default();
        Ref { id, pos }
    }

    /// A string that must be one of `choices`.
    pub fn choice(
        &mut self,
        key: &'static str,
        choices: &[&str],
        required: bool,
        report: &mut Report<'_>,
    ) -> Option<String> {
        let example = choices.first().copied().unwrap_or("...");
        let Some(node) = self.get(key) else {
            if required {
                self.missing(key, report, example);
            }
            return None;
        };
        let name = self.name(key);
        let Value::Str(text) = &node.value else {
            report.wrong_type(&name, node, "one of the allowed words", example);
            return None;
        };
        if choices.is_empty() {
            // The vocabulary failed to load; library.yaml has its own diagnostic.
            return Some(text.clone());
        }
        if choices.contains(&text.as_str()) {
            return Some(text.clone());
        }
        report.error(
            node.pos,
            "unknown-value",
            format!("`{name}` cannot be `{text}`"),
            choice_hint(text, choices.iter().copied()),
        );
        None
    }

    /// A list of ids; each must be in `vocab` when one is given. `min` is the fewest allowed.
    pub fn ids(
        &mut self,
        key: &'static str,
        vocab: Option<(&str, &Vocab)>,
        min: usize,
        report: &mut Report<'_>,
    ) -> Vec<Ref> {
        let Some(node) = self.get(key) else {
            if min > 0 {
                let example = vocab.and_then(|(_, v)| v.ids().next()).unwrap_or("an-id");
                self.missing(key, report, &format!("[{example}]"));
            }
            return Vec::new();
        };
        let name = self.name(key);
        let refs = read_id_list(&name, node, report);
        if refs.len() < min && matches!(node.value, Value::Seq(_)) {
            report.error(
                node.pos,
                "invalid-value",
                format!("`{name}` needs at least {min} entry"),
                "add at least one id to the list".to_string(),
            );
        }
        if let Some((vocab_name, vocab)) = vocab {
            for r in &refs {
                check_vocab(&name, vocab_name, vocab, r, report);
            }
        }
        refs
    }

    /// A list of plain strings.
    pub fn strings(&mut self, key: &'static str, report: &mut Report<'_>) -> Vec<String> {
        let Some(node) = self.get(key) else {
            return Vec::new();
        };
        let name = self.name(key);
        read_id_list(&name, node, report)
            .into_iter()
            .map(|r| r.id)
            .collect()
    }

    /// A list of nodes (mappings, usually), or empty after a diagnostic.
    pub fn list(&mut self, key: &'static str, report: &mut Report<'_>) -> &'n [Node] {
        let Some(node) = self.get(key) else {
            return &[];
        };
        match &node.value {
            Value::Seq(items) => items,
            _ => {
                report.wrong_type(&self.name(key), node, "a list", "[...]");
                &[]
            }
        }
    }

    /// Reports every key that no reader asked for, suggesting the nearest known name.
    pub fn finish(self, report: &mut Report<'_>) {
        for (entry, used) in self.entries.iter().zip(&self.used) {
            if *used || self.allowed.contains(&entry.key.as_str()) {
                continue;
            }
            let hint = match suggest(&entry.key, self.allowed.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("remove it; known fields here: {}", self.allowed.join(", ")),
            };
            let mut pos = entry.key_pos;
            pos.len = entry.key.chars().count().max(1);
            report.error(
                pos,
                "unknown-field",
                format!("unknown field `{}`", self.name(&entry.key)),
                hint,
            );
        }
    }
}

/// Reads a date node.
pub fn read_date(name: &str, node: &Node, report: &mut Report<'_>) -> Option<Date> {
    let Value::Str(text) = &node.value else {
        report.wrong_type(name, node, "a date", "2025-01-31");
        return None;
    };
    match Date::parse(text) {
        Ok(d) => Some(d),
        Err(DateError::Format) => {
            report.error(
                node.pos,
                "invalid-date",
                format!("`{name}` is not a date: `{text}`"),
                "write dates as YYYY-MM-DD, e.g. 2025-01-31".to_string(),
            );
            None
        }
        Err(DateError::Impossible) => {
            report.error(
                node.pos,
                "invalid-date",
                format!("`{name}` is not a real date: `{text}`"),
                "check the month (01-12) and the day of the month".to_string(),
            );
            None
        }
    }
}

/// Reads a list of ids (strings), reporting non-strings.
fn read_id_list(name: &str, node: &Node, report: &mut Report<'_>) -> Vec<Ref> {
    let Value::Seq(items) = &node.value else {
        let example = match &node.value {
            Value::Str(s) => format!("[{s}]"),
            _ => "[an-id]".to_string(),
        };
        report.wrong_type(name, node, "a list", &example);
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match &item.value {
            Value::Str(s) => Some(Ref {
                id: s.clone(),
                pos: item.pos,
            }),
            _ => {
                report.error(
                    item.pos,
                    "wrong-type",
                    format!(
                        "entries of `{name}` must be text, found {}",
                        item.value.kind()
                    ),
                    "put the entry in quotes, e.g. \"2024\"".to_string(),
                );
                None
            }
        })
        .collect()
}

/// Reports an id that is not in a vocabulary.
pub fn check_vocab(name: &str, vocab_name: &str, vocab: &Vocab, r: &Ref, report: &mut Report<'_>) {
    // An empty vocabulary failed to load: library.yaml has its own diagnostic.
    if vocab.contains(&r.id) || vocab.0.is_empty() {
        return;
    }
    report.error(
        r.pos,
        "unknown-value",
        format!(
            "`{}` in `{name}` is not in the {vocab_name} vocabulary",
            r.id
        ),
        format!(
            "{} (vocabularies are defined in content/library.yaml)",
            choice_hint(&r.id, vocab.ids())
        ),
    );
}
