//! The slow way of reading YAML, which is the authority: serde_yaml reads the values and
//! reports every syntax error with its message, and saphyr-parser's events, read into a
//! tree ([`super::places`]), place them.

use saphyr_parser::{Event, Parser};

use super::events;
use super::node::{Node, SyntaxError, within};
use super::places::Places;
use crate::model::diagnostic::Pos;

/// The slow way of [`super::parse`]: the values from serde_yaml, their positions from
/// saphyr-parser's events.
pub(super) fn parse_with_serde(yaml: &str, first_line: usize) -> Result<Node, SyntaxError> {
    let value: serde_yaml::Value = match serde_yaml::from_str(yaml) {
        Ok(v) => v,
        Err(err) => return Err(syntax_error(&err, yaml, first_line)),
    };
    let places = Places::index(yaml, first_line);
    Ok(places.convert(value, Pos::new(first_line, 1, 1)))
}

pub(super) fn syntax_error(err: &serde_yaml::Error, yaml: &str, first_line: usize) -> SyntaxError {
    let mut message = err.to_string();
    // serde_yaml names a repeated key (when it is text or a number) and points at the
    // mapping; find the repeat itself, written or reached through an alias.
    if message.contains("duplicate entry ") {
        let place = err.location().map(|l| within(yaml, l.line(), l.column()));
        let (line, column) = place.unwrap_or((1, 1));
        let index = Places::index(yaml, first_line);
        if let Some(repeat) = index.repeated_key(first_line + line - 1, column) {
            let key = &repeat.key;
            let hint = match &repeat.alias {
                Some(alias) => format!(
                    "`{alias}` stands for `{key}`, which this mapping already has: keep one and remove the other"
                ),
                None => format!("keep one `{key}:` line and remove the other"),
            };
            return SyntaxError {
                pos: repeat.pos,
                message: format!("`{key}` is given twice"),
                hint: Some(hint),
            };
        }
    }
    // serde_yaml stops an alias bomb ("billion laughs") and deep nesting before they use up
    // memory or stack, without saying where.
    if message.starts_with("repetition limit exceeded") {
        let pos = first_alias(yaml, first_line).unwrap_or(Pos::new(first_line, 1, 1));
        return SyntaxError {
            pos,
            message: "aliases (`*name`) repeat too much to expand".to_string(),
            hint: Some(
                "write the values out in full: front matter and library.yaml need no anchors or aliases"
                    .to_string(),
            ),
        };
    }
    if message.starts_with("recursion limit exceeded") {
        return SyntaxError {
            pos: Pos::new(first_line, 1, 1),
            message: "lists and mappings nest too deep".to_string(),
            hint: Some("flatten the structure: no field needs more than a few levels".to_string()),
        };
    }
    let (line, column) = err
        .location()
        .map_or((1, 1), |l| (l.line().max(1), l.column().max(1)));
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    let (line, column) = within(yaml, line, column);
    SyntaxError {
        pos: Pos::new(first_line + line - 1, column, 1),
        message,
        hint: None,
    }
}

/// Where the first alias (`*name`) is written.
fn first_alias(yaml: &str, first_line: usize) -> Option<Pos> {
    Parser::new_from_str(yaml)
        .map_while(Result::ok)
        .find(|(event, _)| matches!(event, Event::Alias(_)))
        .map(|(_, span)| Pos::new(first_line + span.start.line() - 1, span.start.col() + 1, 1))
}

/// Reads `yaml` both ways and panics, showing both, where the fast path answers otherwise
/// than serde_yaml; tells whether the fast path answered. For tests and fuzzing.
pub(crate) fn assert_agrees_with_serde(yaml: &str) -> bool {
    let Some(fast) = events::parse(yaml, 2) else {
        return false;
    };
    let slow = parse_with_serde(yaml, 2);
    // Compared as printed, so that a NaN equals itself and -0.0 differs from 0.0.
    let same = slow
        .as_ref()
        .is_ok_and(|slow| format!("{fast:?}") == format!("{slow:?}"));
    assert!(same, "{yaml:?}\nfast: {fast:?}\nslow: {slow:?}");
    true
}
