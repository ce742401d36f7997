//! Where each character of a decoded text is written in its source: a YAML scalar (quoted,
//! escaped, folded, or a block), or Markdown that pulldown-cmark gives decoded (a code span,
//! text whose container markers it leaves out). For [`super::published`], so that a value
//! found in the published text is located, and hidden, where the file has it.
//!
//! In: the decoded text, the source and where the text starts in it. Out: the characters
//! added to a [`Published`] text, each with its source bytes. No I/O.

use super::mapped::Published;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    DoubleQuoted,
    SingleQuoted,
}

/// Adds `value`, the decoded YAML scalar written from byte `at` of `src` (which ends where
/// the YAML does).
pub fn align(out: &mut Published, value: &str, src: &str, at: usize) {
    let mut j = at.min(src.len());
    // A tag or an anchor before the value: `!!str "…"`, `&name …`.
    while src[j..].starts_with(['!', '&']) {
        j += token(&src[j..], |c| !c.is_whitespace());
        j += token(&src[j..], |c| c == ' ' || c == '\t');
    }
    let style = match src[j..].chars().next() {
        Some('"') => {
            j += 1;
            Style::DoubleQuoted
        }
        Some('\'') => {
            j += 1;
            Style::SingleQuoted
        }
        // A block scalar's text starts on the line after its header (`|`, `>-`, `|2`).
        Some('|' | '>') => {
            j = src[j..].find('\n').map_or(src.len(), |n| j + n + 1);
            Style::Plain
        }
        _ => Style::Plain,
    };
    follow(out, value, src, j, style);
}

/// Adds `decoded`, which pulldown-cmark read from `src` from byte `at`: its characters are
/// there in order, between markup and line breaks that it leaves out.
pub fn walk(out: &mut Published, decoded: &str, src: &str, at: usize) {
    follow(out, decoded, src, at.min(src.len()), Style::Plain);
}

/// How many bytes of `text` from its start are characters that `keep` accepts.
fn token(text: &str, keep: impl Fn(char) -> bool) -> usize {
    text.find(|c: char| !keep(c)).unwrap_or(text.len())
}

/// Walks `decoded` and `src` from byte `j` together: a character is where the source has
/// it, an escape stands for the character it makes, and a run of whitespace (a line break
/// with the next line's indentation) for the space that folding makes of it.
fn follow(out: &mut Published, decoded: &str, src: &str, mut j: usize, style: Style) {
    for c in decoded.chars() {
        let before = j;
        let mut skipped = 0;
        loop {
            let Some(s) = src[j..].chars().next() else {
                // The source ran out: read from the character where the walk stood.
                j = before;
                out.push(c, one_char(src, before));
                break;
            };
            let width = s.len_utf8();
            if style == Style::DoubleQuoted && s == '\\' {
                let len = escape(&src[j..]);
                if continues_line(&src[j..]) {
                    j += len;
                    continue;
                }
                out.push(c, j..j + len);
                j += len;
                break;
            }
            if style == Style::SingleQuoted && s == '\'' && c == '\'' {
                let len = if src[j + 1..].starts_with('\'') { 2 } else { 1 };
                out.push(c, j..j + len);
                j += len;
                break;
            }
            if s == c {
                out.push(c, j..j + width);
                j += width;
                break;
            }
            if s.is_whitespace() {
                let run = j;
                j += token(&src[j..], char::is_whitespace);
                if c.is_whitespace() {
                    out.push(c, run..j);
                    break;
                }
                continue;
            }
            if c.is_whitespace() {
                out.push(c, j..j);
                break;
            }
            // Markup the decoded text leaves out (a backtick, a quote marker); but not for
            // long: past that the source is not where the walk thinks.
            skipped += 1;
            if skipped > 8 {
                j = before;
                out.push(c, one_char(src, before));
                break;
            }
            j += width;
        }
    }
}

/// The bytes of the character at `at` (nothing at the end).
fn one_char(src: &str, at: usize) -> std::ops::Range<usize> {
    at..at + src[at..].chars().next().map_or(0, char::len_utf8)
}

/// Whether the escape that `text` starts with joins the line to the next one (`\` at the
/// end of a line of a double-quoted string).
fn continues_line(text: &str) -> bool {
    matches!(text[1..].chars().next(), Some('\n' | '\r'))
}

/// The length in bytes of the escape that `text` (starting with `\`) starts with: `\x39`,
/// `\u0039`, `\U00000039`, `\n`, or a line break with the next line's indentation.
fn escape(text: &str) -> usize {
    let rest = &text[1..];
    let chars = match rest.chars().next() {
        Some('\r' | '\n') => {
            let lf = if rest.starts_with("\r\n") { 2 } else { 1 };
            return 1 + lf + token(&rest[lf..], |c| c == ' ' || c == '\t');
        }
        Some('x') => 3,
        Some('u') => 5,
        Some('U') => 9,
        Some(_) => 1,
        None => 0,
    };
    1 + rest
        .char_indices()
        .nth(chars)
        .map_or(rest.len(), |(i, _)| i)
}
