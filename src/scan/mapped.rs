//! A text read from a file with, for each of its characters, the bytes of the file it was
//! read from: what [`super::published`] makes, so that a finding in the text is placed
//! in the file.

use std::ops::Range;

/// A published text and where its characters come from.
#[derive(Debug, Default)]
pub struct Published {
    pub text: String,
    /// For each byte of `text`, the source bytes of its character.
    from: Vec<Range<u32>>,
}

impl Published {
    /// The source bytes that `range` of the text was read from, first to last.
    pub fn source(&self, range: Range<usize>) -> Range<usize> {
        let first = self.from.get(range.start);
        let last = range.end.checked_sub(1).and_then(|i| self.from.get(i));
        match (first, last) {
            (Some(a), Some(b)) => a.start as usize..(b.end.max(a.start)) as usize,
            _ => 0..0,
        }
    }

    /// The source bytes of each letter and digit in `range` of the text, in order, each
    /// once: what to hide where the value must not be shown.
    pub fn letters(&self, range: Range<usize>) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::new();
        let Some(part) = self.text.get(range.clone()) else {
            return out;
        };
        for (i, c) in part.char_indices() {
            let Some(from) = self.from.get(range.start + i) else {
                continue;
            };
            let from = from.start as usize..from.end as usize;
            if c.is_alphanumeric() && !from.is_empty() && out.last() != Some(&from) {
                out.push(from);
            }
        }
        out
    }

    /// Adds `c`, read from the source bytes `from`.
    pub(super) fn push(&mut self, c: char, from: Range<usize>) {
        let c = match c {
            // Shown as nothing, or as a hyphen only where a line wraps.
            '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => return,
            // A line break in a value or in HTML shows as a space; none starts a line.
            c if c.is_whitespace() && (self.text.is_empty() || self.text.ends_with('\n')) => {
                return;
            }
            c if c.is_whitespace() => ' ',
            c => c,
        };
        let from = from.start as u32..from.end as u32;
        for _ in 0..c.len_utf8() {
            self.from.push(from.clone());
        }
        self.text.push(c);
    }

    /// Adds `text`, written as it is from byte `at` of the source; in `code`, each line of
    /// it as a line.
    pub(super) fn push_as_written(&mut self, text: &str, at: usize, code: bool) {
        for (i, c) in text.char_indices() {
            match c {
                '\n' if code => self.end_line(at + i),
                c => self.push(c, at + i..at + i + c.len_utf8()),
            }
        }
    }

    /// Adds `text`, each character read from all of `from` (an entity, an escape).
    pub(super) fn push_from(&mut self, text: &str, from: Range<usize>) {
        for c in text.chars() {
            self.push(c, from.clone());
        }
    }

    /// Ends the line (a block, a value): nothing joins across it.
    pub(super) fn end_line(&mut self, at: usize) {
        if self.text.ends_with(' ') {
            self.text.pop();
            self.from.pop();
        }
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.from.push(at as u32..at as u32);
            self.text.push('\n');
        }
    }
}
