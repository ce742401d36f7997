//! CSV fields for the downloads the build writes, and the test for spreadsheet formulas.
//!
//! In: a field's text. Out: the field as written in a CSV file — quoted when it holds a
//! comma, a quote or a line break, and, for text, neutralised when a spreadsheet would
//! read it as a formula. No I/O.
//!
//! A spreadsheet opening a CSV file runs a cell that begins with `=`, `+`, `-` or `@` as a
//! formula (and some first drop a leading tab or carriage return), which can fetch a web
//! address with the sheet's data in it. As OWASP advises and well-kept exporters do, such
//! a text field is written with a single quote (`'`) before it, which spreadsheets read as
//! "this is text". Numbers, `-0.5` among them, are numbers and stay as they are.

/// The characters a spreadsheet may take as the start of a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a spreadsheet could run `text`, a field's whole text, as a formula: it begins
/// with one of `=`, `+`, `-`, `@`, a tab or a carriage return, and is not a number.
pub fn is_formula(text: &str) -> bool {
    text.starts_with(FORMULA_START) && !text.trim().parse::<f64>().is_ok_and(f64::is_finite)
}

/// A field, quoted when it holds a comma, a quote or a line break.
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A text field, with a single quote before it when a spreadsheet would run it as a
/// formula.
pub fn text(s: &str) -> String {
    if is_formula(s) {
        field(&format!("'{s}"))
    } else {
        field(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        assert_eq!(
            text("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(text("+44 20 7946 0000"), "'+44 20 7946 0000");
        assert_eq!(text("+44"), "+44", "a number");
        assert_eq!(text("-2+3"), "'-2+3");
        assert_eq!(text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text("\t=1"), "'\t=1");
        assert_eq!(text("\r=1"), "\"'\r=1\"");
        assert_eq!(text("-0.5"), "-0.5");
        assert_eq!(text("-inf"), "'-inf");
        assert_eq!(text("White - British"), "White - British");
        assert_eq!(text("a,b"), "\"a,b\"");
    }
}
