//! CSV fields for the downloads the build writes.
//!
//! In: a field's text. Out: the field as written in a CSV file, quoted when it holds a
//! comma, a quote or a line break. No I/O.

/// A field, quoted when it holds a comma, a quote or a line break.
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
