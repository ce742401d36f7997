//! Data files published as they are: a CSV file that a page links to is copied to the site
//! byte for byte, so nothing in it may be unsafe to publish.
//!
//! In: the file's path and text, and the disclosure threshold. Out: a diagnostic at each
//! cell that would reveal a small count ([`super::disclosure`]) — a count, or the number
//! without the event on a row with `numerator,denominator` or `events,population` — and at
//! each cell that a spreadsheet would run as a formula ([`super::download::is_formula`]).
//! Rewriting the file would change what its author published, so these are errors to fix
//! in the file. No I/O.

use crate::model::diagnostic::{Diagnostic, Pos};

use super::{disclosure, download, read};

/// Columns that hold counts.
const COUNT_COLUMNS: &[&str] = &[
    "events",
    "population",
    "numerator",
    "denominator",
    "count",
    "n",
];

/// Columns whose difference, on one row, counts those without the event.
const PAIRS: [(&str, &str); 2] = [("numerator", "denominator"), ("events", "population")];

const SMALL_HINT: &str = "chart or tabulate the data (`charts` or `equity`), which hide small counts, instead of linking to the file";

/// The problems of `text`, the CSV file at `path`.
pub fn check(path: &str, text: &str, min_count: u32) -> Vec<Diagnostic> {
    let min = u64::from(min_count);
    let rows = read::cells(text);
    let mut out = Vec::new();
    for (text, pos) in rows.iter().flatten() {
        if download::is_formula(text) {
            let first = match text.chars().next() {
                Some('\t') => "a tab".to_string(),
                Some('\r') => "a carriage return".to_string(),
                Some(c) => format!("`{c}`"),
                None => String::new(),
            };
            out.push(
                Diagnostic::error(path, *pos, "csv-formula", format!("a page links to this file, which is published as it is, and this cell begins with {first}: a spreadsheet would run it as a formula"))
                    .hint("write the value rather than a formula; text that must begin with `=`, `+`, `-` or `@` can start with an apostrophe ('), which spreadsheets read as text"),
            );
        }
    }
    let Some((header, rows)) = rows.split_first() else {
        return out;
    };
    let column = |name: &str| {
        header.iter().position(|(h, _)| {
            h.trim()
                .trim_start_matches('\u{feff}')
                .eq_ignore_ascii_case(name)
        })
    };
    let counts: Vec<usize> = COUNT_COLUMNS.iter().filter_map(|c| column(c)).collect();
    let pairs: Vec<(usize, usize)> = PAIRS
        .iter()
        .filter_map(|(part, whole)| Some((column(part)?, column(whole)?)))
        .collect();
    for row in rows {
        let count = |c: usize| -> Option<(u64, Pos)> {
            let (text, pos) = row.get(c)?;
            Some((text.trim().parse::<u64>().ok()?, *pos))
        };
        for (n, pos) in counts.iter().filter_map(|&c| count(c)) {
            if disclosure::small(n, min) {
                out.push(
                    Diagnostic::error(path, pos, "small-count", format!("a page links to this file, which would publish a count of {n}, below the disclosure threshold of {min_count}"))
                        .hint(SMALL_HINT),
                );
            }
        }
        for &(part, whole) in &pairs {
            let (Some((n, _)), Some((d, pos))) = (count(part), count(whole)) else {
                continue;
            };
            let without = d.saturating_sub(n);
            if disclosure::small(without, min)
                && !disclosure::small(n, min)
                && !disclosure::small(d, min)
            {
                out.push(
                    Diagnostic::error(path, pos, "small-count", format!("a page links to this file, which would publish {n} of {d}: {without} without the event, below the disclosure threshold of {min_count}"))
                        .hint(SMALL_HINT),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        check("d.csv", text, 8)
            .iter()
            .map(|d| format!("{}:{}: {} {}", d.line, d.column, d.rule, d.message))
            .collect()
    }

    #[test]
    fn small_counts_and_small_complements_are_found() {
        let text = "period,numerator,denominator\n2024-01,3,40\n2024-02,45,47\n2024-03,0,40\n2024-04,40,40\n";
        assert_eq!(
            found(text),
            [
                "2:9: small-count a page links to this file, which would publish a count of 3, below the disclosure threshold of 8",
                "3:12: small-count a page links to this file, which would publish 45 of 47: 2 without the event, below the disclosure threshold of 8",
            ]
        );
    }

    #[test]
    fn formula_cells_are_found_and_numbers_are_not() {
        let text = "group,note,change\nwhite-british,=HYPERLINK(\"http://x\"),-0.5\nasian-indian,@SUM(A1),+2\n";
        let found = found(text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("2:15: csv-formula"), "{found:?}");
        assert!(found[0].contains("begins with `=`"), "{found:?}");
        assert!(found[1].starts_with("3:14: csv-formula"), "{found:?}");
    }
}
