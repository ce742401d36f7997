//! The YAML tree that front matter and library.yaml are read into, each value with its
//! place in the file, and the arithmetic of places: the parsers count lines and columns in
//! the YAML, and the file's lines start above it.

use saphyr_parser::Span;

use crate::model::diagnostic::Pos;

/// A parsed YAML value with the position of its first character.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// A key of a mapping, where the key is written, and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_pos: Pos,
    pub value: Node,
}

impl Value {
    /// The YAML type name used in messages ("a string", "a list", ...).
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "true/false",
            Value::Int(_) => "a whole number",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// A YAML syntax error at a file position, with a hint when the cause is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
    pub hint: Option<String>,
}

/// A place the parsers name (1-based line and column in `yaml`), moved into the text: at
/// the end of text without a final line break they may name the line after it, which is
/// not in the file, so the end of the last line stands for it.
pub(super) fn within(yaml: &str, line: usize, column: usize) -> (usize, usize) {
    within_lines(&widths(yaml), line, column)
}

/// How many characters each line of `yaml` has, counted once: a parse names many places,
/// and one line may be the whole front matter.
pub(super) fn widths(yaml: &str) -> Vec<usize> {
    yaml.split('\n').map(|l| l.chars().count()).collect()
}

/// [`within`] for YAML whose line [`widths`] are known.
pub(super) fn within_lines(widths: &[usize], line: usize, column: usize) -> (usize, usize) {
    match widths.get(line.max(1) - 1) {
        Some(width) => (line.max(1), column.clamp(1, width + 1)),
        None => (widths.len(), widths.last().map_or(0, |w| *w) + 1),
    }
}

/// Where an event's text is in the file: its first character, and its width when it is on
/// one line.
pub(super) fn span_pos(span: &Span, widths: &[usize], first_line: usize) -> Pos {
    let (line, column) = within_lines(widths, span.start.line(), span.start.col() + 1);
    let len = if span.end.line() == span.start.line() {
        span.end.col().saturating_sub(span.start.col()).max(1)
    } else {
        1
    };
    Pos::new(first_line + line - 1, column, len)
}
