//! Content diagnostics: what every stage reports about the library.
//!
//! In: positions found by the loader and validator (a byte offset or a line and column in a
//! file). Out: [`Diagnostic`] values, sorted by path and line, and their human rendering in
//! compiler style (the source line under the message, the hint below). Tool failures are not
//! diagnostics; they are [`crate::Error`].

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use serde::Serialize;

/// How serious a finding is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem in the library, located in a file.
///
/// `line` and `column` are 1-based and count from the top of the file (not from the top of
/// the front matter); `column` counts characters. `len` is how many characters to underline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub path: String,
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub len: usize,
    pub severity: Severity,
    pub rule: &'static str,
    pub message: String,
    pub hint: String,
    /// The text it points at identifies someone: it is hidden wherever the source line
    /// would be shown ([`mask_sources`]).
    #[serde(skip)]
    pub sensitive: bool,
    /// How many characters from `line`:`column` that text takes in the file, across line
    /// breaks (`len` stops at the end of the line): all of them are hidden.
    #[serde(skip)]
    pub extent: usize,
}

impl Diagnostic {
    /// An error at a position; `len` is the width of the offending text in characters.
    pub fn error(path: &str, pos: Pos, rule: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_string(),
            line: pos.line,
            column: pos.column,
            len: pos.len.max(1),
            severity: Severity::Error,
            rule,
            message: one_line(message.into()),
            hint: String::new(),
            sensitive: false,
            extent: 0,
        }
    }

    /// A warning at a position.
    pub fn warning(path: &str, pos: Pos, rule: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, pos, rule, message)
        }
    }

    /// Adds the hint that says how to fix the problem.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = one_line(hint.into());
        self
    }

    /// Marks the text it points at as identifying someone.
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    /// Marks the `chars` characters from its place as identifying someone, however many
    /// lines they run over.
    pub fn sensitive_over(mut self, chars: usize) -> Self {
        self.extent = chars;
        self.sensitive()
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `text` with its control characters escaped as Rust writes them (`\n`, `\u{1b}`): a
/// message quotes what a document holds (a link decoded from `&#10;`, a key), and a line
/// break or a terminal escape in it would break the human format, or worse.
fn one_line(text: String) -> String {
    if !text.contains(char::is_control) {
        return text;
    }
    text.chars()
        .map(|c| match c.is_control() {
            true => c.escape_default().to_string(),
            false => c.to_string(),
        })
        .collect()
}

impl fmt::Display for Diagnostic {
    /// The one-line form: `path:line:col: error[rule]: message (hint: ...)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}[{}]: {}",
            self.path, self.line, self.column, self.severity, self.rule, self.message
        )?;
        if !self.hint.is_empty() {
            write!(f, " (hint: {})", self.hint)?;
        }
        Ok(())
    }
}

/// A place in a file: 1-based line and character column, and a width to underline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    pub len: usize,
}

impl Pos {
    pub const fn new(line: usize, column: usize, len: usize) -> Self {
        Pos { line, column, len }
    }

    /// The first character of a file.
    pub const fn start() -> Self {
        Pos::new(1, 1, 1)
    }
}

/// Maps byte offsets of a text to line and character column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The byte offset where 1-based `line` starts, or the end of the text past its last.
    pub fn line_start(&self, line: usize, text: &str) -> usize {
        self.starts
            .get(line.max(1) - 1)
            .copied()
            .unwrap_or(text.len())
    }

    /// The position of byte `offset` in `text` (the text this index was made from), with a
    /// width of `len_bytes` bytes converted to characters on that line.
    pub fn pos(&self, text: &str, offset: usize, len_bytes: usize) -> Pos {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = text[start..offset].chars().count() + 1;
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let end = floor_char_boundary(text, (offset + len_bytes).min(line_end));
        let len = text[offset..end].trim_end_matches('\r').chars().count();
        Pos::new(line, column, len.max(1))
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Replaces the letters and digits that sensitive diagnostics point at with `*` in the
/// source texts, so that showing a source line never shows an NHS number or a postcode.
pub fn mask_sources(diagnostics: &[Diagnostic], sources: &mut BTreeMap<String, Arc<str>>) {
    let mut by_path: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| d.sensitive) {
        by_path.entry(&d.path).or_default().push(d);
    }
    for (path, found) in by_path {
        let Some(text) = sources.get(path) else {
            continue;
        };
        let index = LineIndex::new(text);
        let mut ranges: Vec<_> = found
            .iter()
            .map(|d| {
                let mut range = byte_range(text, &index, d.line, d.column, d.len);
                // A value that runs on over a line break: every character it spans.
                if d.extent > d.len {
                    let rest = &text[range.start..];
                    range.end = range.start
                        + rest
                            .char_indices()
                            .nth(d.extent)
                            .map_or(rest.len(), |(i, _)| i);
                }
                range
            })
            .collect();
        ranges.sort_by_key(|r| r.start);
        let mut masked = String::with_capacity(text.len());
        let mut done = 0;
        for range in ranges {
            let from = range.start.max(done);
            let to = range.end.max(from);
            masked.push_str(&text[done..from]);
            let stars = text[from..to].chars();
            masked.extend(stars.map(|c| if c.is_alphanumeric() { '*' } else { c }));
            done = to;
        }
        masked.push_str(&text[done..]);
        sources.insert(path.to_string(), Arc::from(masked));
    }
}

/// Sorts diagnostics by path, line and column, errors before warnings at one place, and drops
/// exact repeats.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.severity, a.rule, &a.message)
            .cmp(&(&b.path, b.line, b.column, b.severity, b.rule, &b.message))
    });
    diagnostics.dedup();
}

/// Renders diagnostics compiler-style, showing the offending source line when the file's
/// text is known (`sources` maps a path to its text).
pub fn render_human(diagnostics: &[Diagnostic], sources: &BTreeMap<String, Arc<str>>) -> String {
    let mut files = SimpleFiles::new();
    // Each file's id and line index, made once however many diagnostics it has.
    let mut ids = BTreeMap::new();
    let mut out = String::new();
    let config = term::Config::default();
    for d in diagnostics {
        let report = match sources.get(&d.path) {
            Some(text) => {
                let (id, index) = ids.entry(d.path.clone()).or_insert_with(|| {
                    (
                        files.add(d.path.clone(), text.clone()),
                        LineIndex::new(text),
                    )
                });
                let range = byte_range(text, index, d.line, d.column, d.len);
                let id = *id;
                report_for(d).with_labels(vec![Label::primary(id, range)])
            }
            None => {
                report_for(d).with_notes(vec![format!("at {}:{}:{}", d.path, d.line, d.column)])
            }
        };
        // `with_notes` adds to the notes a report has.
        let report = match d.hint.is_empty() {
            true => report,
            false => report.with_notes(vec![format!("hint: {}", d.hint)]),
        };
        if term::emit_to_string(&mut out, &config, &files, &report).is_err() {
            out.push_str(&format!("{d}\n"));
        }
    }
    out
}

/// Renders diagnostics as a JSON array of findings: `path`, `line`, `column`, `end_column`
/// (exclusive), `severity`, `rule`, `message`, `hint`. This shape is stable.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    #[derive(Serialize)]
    struct Finding<'a> {
        path: &'a str,
        line: usize,
        column: usize,
        end_column: usize,
        severity: Severity,
        rule: &'a str,
        message: &'a str,
        hint: &'a str,
    }
    let findings: Vec<Finding<'_>> = diagnostics
        .iter()
        .map(|d| Finding {
            path: &d.path,
            line: d.line,
            column: d.column,
            end_column: d.column + d.len,
            severity: d.severity,
            rule: d.rule,
            message: &d.message,
            hint: &d.hint,
        })
        .collect();
    serde_json::to_string_pretty(&findings).unwrap_or_else(|_| "[]".to_string())
}

/// Renders diagnostics as GitHub Actions workflow commands, one per line:
/// `::error file=PATH,line=L,col=C,endColumn=E,title=RULE::MESSAGE`, with `::warning` for
/// warnings, so that each finding annotates its line in the pull request. `prefix` is the
/// library folder's place in the repository (`library/`, or empty).
pub fn render_github(diagnostics: &[Diagnostic], prefix: &str) -> String {
    // Values are escaped as the runner expects; properties also escape `:` and `,`.
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let property = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let message = if d.hint.is_empty() {
            d.message.clone()
        } else {
            format!("{} (hint: {})", d.message, d.hint)
        };
        out.push_str(&format!(
            "::{command} file={},line={},col={},endColumn={},title={}::{}\n",
            property(&format!("{prefix}{}", d.path)),
            d.line,
            d.column,
            d.column + d.len,
            property(d.rule),
            data(&message)
        ));
    }
    out
}

fn report_for(d: &Diagnostic) -> Report<usize> {
    let report = match d.severity {
        Severity::Error => Report::error(),
        Severity::Warning => Report::warning(),
    };
    report.with_code(d.rule).with_message(&d.message)
}

/// The byte range of `len` characters from `line`:`column` in `text` (whose line index is
/// `index`), clamped to the line.
fn byte_range(
    text: &str,
    index: &LineIndex,
    line: usize,
    column: usize,
    len: usize,
) -> std::ops::Range<usize> {
    let line_start = index.line_start(line, text);
    let rest = &text[line_start..];
    let line_text = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let line_text = line_text.trim_end_matches('\r');
    let mut chars = line_text
        .char_indices()
        .map(|(i, _)| i)
        .chain([line_text.len()]);
    let start = chars
        .nth(column.saturating_sub(1))
        .unwrap_or(line_text.len());
    let end = line_text[start..]
        .char_indices()
        .nth(len)
        .map_or(line_text.len(), |(i, _)| start + i);
    line_start + start..line_start + end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_characters_and_crlf() {
        let text = "ab\r\ncé d\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.pos(text, 0, 2), Pos::new(1, 1, 2));
        let d = text.find('d').unwrap_or(0);
        assert_eq!(index.pos(text, d, 1), Pos::new(2, 4, 1));
        assert_eq!(index.pos(text, text.len(), 0), Pos::new(3, 5, 1));
    }

    #[test]
    fn human_rendering_shows_the_source_line_and_hint() {
        let mut sources = BTreeMap::new();
        sources.insert("a.md".to_string(), Arc::from("---\ntitel: x\n---\n"));
        let d = Diagnostic::error(
            "a.md",
            Pos::new(2, 1, 5),
            "unknown-field",
            "unknown field `titel`",
        )
        .hint("did you mean `title`?");
        let text = render_human(&[d], &sources);
        assert!(
            text.contains("error[unknown-field]: unknown field `titel`"),
            "{text}"
        );
        assert!(text.contains("a.md:2:1"), "{text}");
        assert!(text.contains("titel: x"), "{text}");
        assert!(text.contains("^^^^^"), "{text}");
        assert!(text.contains("hint: did you mean `title`?"), "{text}");
    }
}
