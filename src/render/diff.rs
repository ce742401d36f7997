//! What changed between two versions of a document, for people: a word-level diff of the
//! rendered text and a table of the front-matter fields that changed.
//!
//! In: the plain text of two renderings, or two front matters. Out: HTML with `<ins>` and
//! `<del>` marks and long unchanged stretches shortened, with counts of the words added and
//! removed; rows of field, before and after. No I/O.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use crate::markdown::highlight::escape;

/// Unchanged words kept on each side of a change; longer unchanged runs are shortened.
const CONTEXT: usize = 25;
/// Unchanged runs of at most this many words between two changes join them.
const JOIN: usize = 3;

/// A word diff ready to show.
#[derive(Debug, Serialize)]
pub struct WordDiff {
    pub html: String,
    pub added: usize,
    pub removed: usize,
}

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// The words of `new` against `old`, with unchanged stretches of more than twice
/// `CONTEXT` words shortened to their ends.
pub fn words_between(old: &str, new: &str) -> WordDiff {
    let diff = TextDiff::from_words(old, new);
    // Runs of the same tag, in order.
    let mut runs: Vec<(ChangeTag, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        let tag = change.tag();
        match runs.last_mut() {
            Some((t, text)) if *t == tag => text.push_str(change.value()),
            _ => runs.push((tag, change.value().to_string())),
        }
    }
    let (mut html, mut added, mut removed) = (String::new(), 0, 0);
    // A change is shown as one removed stretch then one added stretch; unchanged words of a
    // few words between two changes join both, so that a rewritten sentence reads as the old
    // sentence and the new one rather than alternating words.
    let (mut del, mut ins) = (String::new(), String::new());
    let flush = |html: &mut String, del: &mut String, ins: &mut String| {
        if !del.is_empty() {
            html.push_str(&format!("<del>{}</del>", escape(del)));
        }
        if !ins.is_empty() {
            html.push_str(&format!("<ins>{}</ins>", escape(ins)));
        }
        del.clear();
        ins.clear();
    };
    let last = runs.len().saturating_sub(1);
    for (k, (tag, text)) in runs.iter().enumerate() {
        match tag {
            ChangeTag::Insert => {
                added += words(text);
                ins.push_str(text);
            }
            ChangeTag::Delete => {
                removed += words(text);
                del.push_str(text);
            }
            ChangeTag::Equal
                if k > 0
                    && k < last
                    && words(text) <= JOIN
                    && !(del.is_empty() && ins.is_empty()) =>
            {
                del.push_str(text);
                ins.push_str(text);
            }
            ChangeTag::Equal => {
                flush(&mut html, &mut del, &mut ins);
                html.push_str(&shorten(text, k > 0, k < last));
            }
        }
    }
    flush(&mut html, &mut del, &mut ins);
    WordDiff {
        html,
        added,
        removed,
    }
}

/// Unchanged text, keeping [`CONTEXT`] words next to a change before (`after_change`) and
/// after it (`before_change`).
fn shorten(text: &str, after_change: bool, before_change: bool) -> String {
    let list: Vec<&str> = text.split_inclusive(char::is_whitespace).collect();
    let keep_head = if after_change { CONTEXT } else { 0 };
    let keep_tail = if before_change { CONTEXT } else { 0 };
    let counted = words(text);
    if counted <= keep_head + keep_tail + 5 {
        return escape(text);
    }
    let head: String = list.iter().take(keep_head).copied().collect();
    let tail: String = list[list.len().saturating_sub(keep_tail)..].concat();
    let skipped = counted - words(&head) - words(&tail);
    format!(
        "{}<span class=\"diff-skip\"> … {skipped} unchanged words … </span>{}",
        escape(&head),
        escape(tail.trim_start())
    )
}

/// One front-matter field that differs.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// The top-level front-matter fields whose values differ, in the order of the newer
/// front matter, then fields that were removed. Unreadable YAML counts as empty.
pub fn fields_between(old_yaml: &str, new_yaml: &str) -> Vec<FieldChange> {
    let read = |yaml: &str| -> Vec<(String, serde_yaml::Value)> {
        match serde_yaml::from_str::<serde_yaml::Value>(yaml) {
            Ok(serde_yaml::Value::Mapping(map)) => {
                map.into_iter().map(|(k, v)| (show(&k), v)).collect()
            }
            _ => Vec::new(),
        }
    };
    let (old, new) = (read(old_yaml), read(new_yaml));
    let find = |list: &[(String, serde_yaml::Value)], key: &str| {
        list.iter().find(|(k, _)| k == key).map(|(_, v)| show(v))
    };
    let mut out = Vec::new();
    for (key, value) in &new {
        let before = find(&old, key).unwrap_or_default();
        let after = show(value);
        if before != after {
            out.push(FieldChange {
                field: key.clone(),
                before,
                after,
            });
        }
    }
    for (key, value) in &old {
        if find(&new, key).is_none() {
            out.push(FieldChange {
                field: key.clone(),
                before: show(value),
                after: String::new(),
            });
        }
    }
    out
}

/// A YAML value as a reader would write it: plain text, or compact lists and maps.
fn show(value: &serde_yaml::Value) -> String {
    use serde_yaml::Value;
    match value {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Sequence(list) => list.iter().map(show).collect::<Vec<_>>().join("; "),
        Value::Mapping(map) => map
            .iter()
            .map(|(k, v)| format!("{}: {}", show(k), show(v)))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Tagged(t) => show(&t.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_added_and_removed_words() {
        let d = words_between(
            "Offer iron to women at booking. Then wait for the results of the blood test.",
            "Offer IV iron to all women at booking. Then wait for the results of the blood test.",
        );
        assert_eq!((d.added, d.removed), (2, 0));
        // Two additions two words apart read as one change.
        assert!(
            d.html
                .contains("<del>iron to </del><ins>IV iron to all </ins>"),
            "{}",
            d.html
        );
        assert!(d.html.ends_with("the blood test."), "{}", d.html);
        let d = words_between("a <b> c", "a c");
        assert_eq!(d.removed, 1);
        assert!(d.html.contains("<del>&lt;b&gt; </del>"), "{}", d.html);
    }

    #[test]
    fn long_unchanged_runs_are_shortened() {
        let same: String = (0..200).map(|i| format!("w{i} ")).collect();
        let d = words_between(&format!("{same}old"), &format!("{same}new"));
        assert!(d.html.contains("unchanged words"), "{}", d.html);
        assert!(!d.html.contains("w10 "), "the start is cut");
        assert!(d.html.contains("w199 "), "context before the change stays");
    }

    #[test]
    fn lists_changed_added_and_removed_fields() {
        let rows = fields_between(
            "title: A\nversion: 1\ntags: [x]\nold: y\n",
            "title: A\nversion: 2\ntags: [x, z]\nnew: q\n",
        );
        let fields: Vec<&str> = rows.iter().map(|r| r.field.as_str()).collect();
        assert_eq!(fields, ["version", "tags", "new", "old"]);
        assert_eq!(
            (rows[1].before.as_str(), rows[1].after.as_str()),
            ("x", "x; z")
        );
        assert_eq!(rows[3].after, "");
    }
}
