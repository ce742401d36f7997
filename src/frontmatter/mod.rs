//! Front matter: splits a Markdown file into its YAML header and body, and parses YAML into a
//! [`Node`] tree where every value knows its place in the file.
//!
//! In: the text of a file. Out: [`Split`] (where the YAML and the body start) and [`Node`]s
//! with 1-based line and column counted from the top of the file.
//!
//! YAML is read one of two ways. The fast way (`events`) builds the tree in one pass over
//! saphyr-parser's events, resolving scalars by serde_yaml's rules, and answers only for
//! YAML it is sure to read as serde_yaml does. Everything else goes the slow way, which is
//! the authority: serde_yaml reads the values and reports every syntax error with its
//! message, and saphyr-parser's events, read into a tree (`places`), place them, each
//! mapping entry by its order in its mapping. Before it, `depth` refuses lists and mappings
//! nested more than 100 deep, which would take both parsers time with the square of the
//! depth. This is the only module that knows serde_yaml or saphyr-parser, so either can be
//! swapped without touching the rest.

use depth::Depth;
pub use node::{Entry, Node, SyntaxError, Value};
use slow::{parse_with_serde, syntax_error};

mod depth;
mod events;
mod node;
mod places;
mod slow;

pub(crate) use slow::assert_agrees_with_serde;

/// Where a file's front matter and body are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// The file line on which the YAML starts (the line after the opening `---`).
    pub yaml_line: usize,
    /// The Markdown after the closing `---` line.
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Why a file has no usable front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    Missing,
    /// The opening `---` has no closing `---` line.
    Unclosed,
}

/// Splits `text` (without a byte-order mark) into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let mut lines = line_spans(text);
    let Some((_, first)) = lines.next() else {
        return Err(SplitError::Missing);
    };
    if !is_fence(first) {
        return Err(SplitError::Missing);
    }
    let yaml_start = first.len();
    for (start, line) in lines {
        if is_fence(line) {
            let body_offset = start + line.len();
            return Ok(Split {
                yaml: &text[yaml_start..start],
                yaml_line: 2,
                body: &text[body_offset..],
                body_offset,
            });
        }
    }
    Err(SplitError::Unclosed)
}

/// Lines with their byte offsets, each including its line ending.
fn line_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |line| {
        let start = offset;
        offset += line.len();
        (start, line)
    })
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Parses YAML that starts on file line `first_line`. A document with nothing in it (or only
/// comments) is [`Value::Null`]. Lists and mappings may nest 100 deep (`depth::MAX_DEPTH`).
pub fn parse(yaml: &str, first_line: usize) -> Result<Node, SyntaxError> {
    if let Some(node) = events::parse(yaml, first_line) {
        return Ok(node);
    }
    match depth::check(yaml, first_line) {
        Depth::Within => parse_with_serde(yaml, first_line),
        Depth::TooDeep(err) => Err(err),
        // libyaml's time grows with the number of flow collections open at once, which no
        // text with few brackets can make large; with many, it reads only as far as the
        // line where saphyr-parser found an error, which is seldom far from its own.
        Depth::Unread { line_end, error } => {
            let brackets = yaml.bytes().filter(|b| matches!(b, b'[' | b'{')).count();
            if brackets <= FEW_BRACKETS || line_end >= yaml.len() {
                return parse_with_serde(yaml, first_line);
            }
            let read = &yaml[..line_end];
            match serde_yaml::from_str::<serde_yaml::Value>(read) {
                Err(err) => Err(syntax_error(&err, read, first_line)),
                Ok(_) => Err(error),
            }
        }
    }
}

/// As many flow collections as libyaml may find open at once in a text that saphyr-parser
/// could not read to the end, for serde_yaml to read all of it.
const FEW_BRACKETS: usize = 128;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diagnostic::Pos;

    #[test]
    fn splits_front_matter_and_body() {
        let text = "---\ntitle: A\n---\nBody\n";
        let split = split(text).expect("front matter");
        assert_eq!(split.yaml, "title: A\n");
        assert_eq!(split.yaml_line, 2);
        assert_eq!(split.body, "Body\n");
        assert_eq!(&text[split.body_offset..], "Body\n");
    }

    #[test]
    fn splits_crlf_and_reports_missing_or_unclosed() {
        let text = "---\r\ntitle: A\r\n---\r\nBody";
        let split = split(text).expect("front matter");
        assert_eq!(split.yaml, "title: A\r\n");
        assert_eq!(split.body, "Body");
        assert_eq!(super::split("Body only\n"), Err(SplitError::Missing));
        assert_eq!(super::split(""), Err(SplitError::Missing));
        assert_eq!(super::split("---\ntitle: A\n"), Err(SplitError::Unclosed));
    }

    #[test]
    fn positions_count_from_the_top_of_the_file() {
        let yaml = "title: A\nsites:\n  - leeds\n  - york\nmeta: {a: [1, 2]}\n";
        let node = parse(yaml, 2).expect("valid yaml");
        let Value::Map(entries) = &node.value else {
            panic!("not a map")
        };
        assert_eq!(entries[0].key_pos, Pos::new(2, 1, 5));
        assert_eq!(entries[0].value.pos, Pos::new(2, 8, 1));
        let Value::Seq(sites) = &entries[1].value.value else {
            panic!("not a list")
        };
        assert_eq!(sites[1].pos, Pos::new(5, 5, 4));
        let Value::Map(meta) = &entries[2].value.value else {
            panic!("not a map")
        };
        let Value::Seq(items) = &meta[0].value.value else {
            panic!("not a list")
        };
        assert_eq!(items[1].pos.line, 6);
        assert_eq!(items[1].pos.column, 15);
    }

    #[test]
    fn a_repeated_key_is_located_at_the_repeat_only_when_it_is_the_error() {
        let err = parse("title: a\nx: 1\ntitle: b\n", 2).expect_err("repeated key");
        assert_eq!(
            (err.pos.line, err.message.as_str()),
            (4, "`title` is given twice")
        );
        let err = parse("a:\n  b: 1\na.b: 2\nsites: [a, b\n", 2).expect_err("unclosed list");
        assert!(err.message.contains("did not find expected"), "{err:?}");
    }

    /// Found by fuzzing: an error at the end of YAML without a final line break was
    /// reported on a line after the end of the file, and so was the value of a file that
    /// is only `---`.
    #[test]
    fn an_error_at_the_end_without_a_line_break_is_on_the_last_line() {
        let err = parse("title: A\nsummary", 1).expect_err("no colon");
        assert_eq!((err.pos.line, err.pos.column), (2, 8), "{err:?}");
        let node = parse("---", 1).expect("an empty document");
        assert_eq!((node.pos.line, node.pos.column), (1, 4), "{node:?}");
    }

    #[test]
    fn syntax_errors_are_located_in_the_file() {
        let err = parse("title: A\nsites: [a, b\n", 2).expect_err("invalid yaml");
        assert!(err.pos.line >= 3, "{err:?}");
        assert!(!err.message.contains(" at line "), "{err:?}");
    }
}
