//! Reading evaluation data files: CSV text in, a series or a list of groups out, with a
//! diagnostic at `path:line:col` for every row that cannot be used. No I/O.

use std::collections::HashMap;

use crate::date::Date;
use crate::diagnostic::{Diagnostic, Pos};

use super::equity::Group;

/// A point's period as written (`2024-03` or `2024-03-15`) and the day it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    pub text: String,
    pub start: Date,
    /// Written as a month rather than a day.
    pub month: bool,
}

impl Period {
    pub fn parse(text: &str) -> Option<Period> {
        let (day, month) = if text.len() == 7 {
            (format!("{text}-01"), true)
        } else {
            (text.to_string(), false)
        };
        let start = Date::parse(&day).ok()?;
        Some(Period {
            text: text.to_string(),
            start,
            month,
        })
    }

    /// The reader's form: `Mar 2024` or `15 Mar 2024`.
    pub fn short(&self) -> String {
        let month = &crate::date::Date::long(self.start)
            .split(' ')
            .nth(1)
            .unwrap_or_default()
            .chars()
            .take(3)
            .collect::<String>();
        if self.month {
            format!("{month} {}", self.start.year)
        } else {
            format!("{} {month} {}", self.start.day, self.start.year)
        }
    }
}

/// A time series in period order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    pub periods: Vec<Period>,
    pub values: Vec<f64>,
    /// For `numerator,denominator` files: each period's numerator, where it is a whole
    /// number, with its place.
    pub counts: Vec<(u64, Pos)>,
}

/// One CSV file being read: its path for diagnostics and the diagnostics so far.
struct Reader<'a> {
    path: &'a str,
    text: &'a str,
    diagnostics: Vec<Diagnostic>,
}

/// A parsed row: its line and fields with their places.
struct Record {
    line: usize,
    fields: Vec<Field>,
}

/// A field's value, and the line and column where it starts and ends in the file.
struct Field {
    text: String,
    start: (usize, usize),
    end: (usize, usize),
}

impl Field {
    fn pos(&self) -> Pos {
        Pos::new(self.start.0, self.start.1, self.text.chars().count().max(1))
    }
}

impl Reader<'_> {
    /// An error; values quoted from the file are masked where they identify someone.
    fn error(&mut self, pos: Pos, message: String, hint: &str) {
        let message = crate::review::pii::mask_text(&message);
        self.diagnostics
            .push(Diagnostic::error(self.path, pos, "invalid-data", message).hint(hint));
    }

    /// The header's column for each of `wanted` (alternatives separated by `|` in one
    /// entry are tried in turn) and the data rows; `None` after a diagnostic.
    fn records(&mut self, wanted: &[&[&str]], hint: &str) -> Option<(Vec<usize>, Vec<Record>)> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(self.text.as_bytes());
        let mut rows = Vec::new();
        for result in csv.records() {
            match result {
                Ok(record) => {
                    let (line, start) = place(self.text, &record);
                    rows.push(Record {
                        line,
                        fields: columns(self.text.get(start..).unwrap_or_default(), line, &record),
                    });
                }
                Err(err) => {
                    let line = err.position().map_or(1, |p| p.line() as usize);
                    self.error(
                        Pos::new(line, 1, 1),
                        format!("this line cannot be read as CSV: {err}"),
                        "save the file as comma-separated UTF-8 text",
                    );
                    return None;
                }
            }
        }
        let mut rows = rows.into_iter();
        let Some(header) = rows.next() else {
            self.error(Pos::start(), "the data file is empty".to_string(), hint);
            return None;
        };
        let names: Vec<String> = header
            .fields
            .iter()
            .map(|f| f.text.trim_start_matches('\u{feff}').to_ascii_lowercase())
            .collect();
        let found = wanted
            .iter()
            .map(|options| {
                options
                    .iter()
                    .find_map(|o| names.iter().position(|n| n == o))
            })
            .collect::<Option<Vec<usize>>>();
        let Some(found) = found else {
            let missing: Vec<String> = wanted
                .iter()
                .filter(|options| !options.iter().any(|o| names.iter().any(|n| n == o)))
                .map(|options| format!("`{}`", options.join("` or `")))
                .collect();
            self.error(
                Pos::new(header.line, 1, 1),
                format!("missing column {}", missing.join(" and ")),
                hint,
            );
            return None;
        };
        let rows: Vec<Record> = rows
            .filter(|r| r.fields.iter().any(|f| !f.text.is_empty()))
            .collect();
        if rows.is_empty() {
            // Where the rows would start: the line after the header, or the end of the
            // header when the file ends there without a line break.
            let header_text = self.text.split('\n').nth(header.line.saturating_sub(1));
            let pos = match self.text.split('\n').nth(header.line) {
                Some(_) => Pos::new(header.line + 1, 1, 1),
                None => Pos::new(
                    header.line,
                    header_text.map_or(0, |t| t.chars().count()) + 1,
                    1,
                ),
            };
            self.error(
                pos,
                "the data file has a header but no rows".to_string(),
                hint,
            );
            return None;
        }
        Some((found, rows))
    }

    /// Field `index` of `row`, or a diagnostic at the end of the line when it is missing.
    fn field<'r>(&mut self, row: &'r Record, index: usize, name: &str) -> Option<(&'r str, Pos)> {
        match row.fields.get(index) {
            Some(field) if !field.text.is_empty() => Some((field.text.as_str(), field.pos())),
            _ => {
                let (line, col) = row.fields.last().map_or((row.line, 1), |f| f.end);
                self.error(
                    Pos::new(line, col, 1),
                    format!("missing value for `{name}`"),
                    "fill in every column of every row",
                );
                None
            }
        }
    }

    fn number(&mut self, row: &Record, index: usize, name: &str) -> Option<f64> {
        let (text, pos) = self.field(row, index, name)?;
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                self.error(
                    pos,
                    format!("`{name}` is `{text}`, not a number"),
                    "write plain numbers such as 42 or 3.5, without units or thousands separators",
                );
                None
            }
        }
    }

    fn count(&mut self, row: &Record, index: usize, name: &str) -> Option<u64> {
        let (text, pos) = self.field(row, index, name)?;
        match text.parse::<u64>() {
            Ok(v) => Some(v),
            Err(_) => {
                self.error(
                    pos,
                    format!("`{name}` is `{text}`, not a whole number"),
                    "counts are whole numbers of 0 or more, without thousands separators",
                );
                None
            }
        }
    }
}

/// The start column (1-based characters) of each field of `record`, found in `line`.
/// The line and byte offset where `record` starts in `text`. The csv crate places a record
/// at the start of the blank lines before it, if any: they are skipped here.
fn place(text: &str, record: &csv::StringRecord) -> (usize, usize) {
    let (mut line, mut start) = record
        .position()
        .map_or((1, 0), |p| (p.line() as usize, p.byte() as usize));
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(start) {
        match b {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
        start += 1;
    }
    (line, start)
}

fn columns(text: &str, line: usize, record: &csv::StringRecord) -> Vec<Field> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut at = (line, 1);
    for value in record {
        // Fields are written in order; find each after the previous one, on its line (or
        // lines, for a quoted value that holds line breaks).
        let lines = value.matches('\n').count() + 1;
        let span = rest
            .match_indices('\n')
            .nth(lines - 1)
            .map_or(rest.len(), |(i, _)| i);
        let found = match value.is_empty() {
            true => None,
            false => rest[..span].find(value),
        };
        let start = match found {
            Some(i) => {
                at = advance(at, &rest[..i]);
                let start = at;
                at = advance(at, value);
                rest = &rest[i + value.len()..];
                start
            }
            None => at,
        };
        out.push(Field {
            text: value.to_string(),
            start,
            end: at,
        });
        let line_end = rest.find('\n').unwrap_or(rest.len());
        if let Some(comma) = rest[..line_end].find(',') {
            at = advance(at, &rest[..=comma]);
            rest = &rest[comma + 1..];
        }
    }
    out
}

/// The line and column after `text`, written from `at`.
fn advance((line, col): (usize, usize), text: &str) -> (usize, usize) {
    match text.rfind('\n') {
        Some(nl) => (
            line + text.matches('\n').count(),
            text[nl + 1..].chars().count() + 1,
        ),
        None => (line, col + text.chars().count()),
    }
}

const SERIES_HINT: &str =
    "a chart's data file has columns `period,value`, or `period,numerator,denominator`";
const GROUPS_HINT: &str = "an equity table's data file has columns `group,events,population`";

/// Reads a time series: `period,value`, or `period,numerator,denominator` with values
/// `numerator / denominator × per`. Periods may come in any order; they are sorted.
pub fn series(path: &str, text: &str, per: f64) -> Result<Series, Vec<Diagnostic>> {
    let mut r = Reader {
        path,
        text,
        diagnostics: Vec::new(),
    };
    let header_has = |name: &str| {
        text.lines()
            .next()
            .is_some_and(|h| h.to_ascii_lowercase().split(',').any(|c| c.trim() == name))
    };
    let ratio = !header_has("value") && header_has("numerator");
    let wanted: &[&[&str]] = if ratio {
        &[&["period"], &["numerator"], &["denominator"]]
    } else {
        &[&["period"], &["value"]]
    };
    let Some((cols, rows)) = r.records(wanted, SERIES_HINT) else {
        return Err(r.diagnostics);
    };
    let mut points: Vec<(Period, f64)> = Vec::new();
    let mut counts = Vec::new();
    let mut seen: HashMap<Date, usize> = HashMap::new();
    for row in &rows {
        let Some((text, pos)) = r.field(row, cols[0], "period") else {
            continue;
        };
        let Some(period) = Period::parse(text) else {
            r.error(
                pos,
                format!("`{text}` is not a period"),
                "write a month as 2024-03 or a day as 2024-03-15",
            );
            continue;
        };
        if let Some(first) = seen.insert(period.start, row.line) {
            r.error(
                pos,
                format!("period {text} appears twice (first on line {first})"),
                "give each period one row",
            );
            continue;
        }
        let value = if ratio {
            let numerator = r.number(row, cols[1], "numerator");
            let Some(denominator) = r.number(row, cols[2], "denominator") else {
                continue;
            };
            if denominator == 0.0 {
                let pos = r.field(row, cols[2], "denominator").map(|f| f.1);
                r.error(
                    pos.unwrap_or(Pos::new(row.line, 1, 1)),
                    format!("the denominator for {text} is zero"),
                    "leave out periods with nothing to count, or check the figure",
                );
                continue;
            }
            if let (Some(n), Some((_, pos))) = (numerator, r.field(row, cols[1], "numerator")) {
                if n >= 0.0 && n.fract() == 0.0 {
                    counts.push((n as u64, pos));
                }
            }
            numerator
                .map(|n| n / denominator * per)
                .filter(|v| v.is_finite())
        } else {
            r.number(row, cols[1], "value")
        };
        if let Some(v) = value {
            points.push((period, v));
        }
    }
    if !r.diagnostics.is_empty() {
        return Err(r.diagnostics);
    }
    points.sort_by_key(|p| p.0.start);
    let (periods, values) = points.into_iter().unzip();
    Ok(Series {
        periods,
        values,
        counts,
    })
}

/// Reads an equity table's groups: `group,events,population`, with their lines.
pub fn groups(path: &str, text: &str) -> Result<Vec<(Group, usize)>, Vec<Diagnostic>> {
    let mut r = Reader {
        path,
        text,
        diagnostics: Vec::new(),
    };
    let wanted: &[&[&str]] = &[&["group"], &["events"], &["population"]];
    let Some((cols, rows)) = r.records(wanted, GROUPS_HINT) else {
        return Err(r.diagnostics);
    };
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in &rows {
        let Some((id, pos)) = r.field(row, cols[0], "group") else {
            continue;
        };
        if let Some(first) = seen.insert(id.to_string(), row.line) {
            r.error(
                pos,
                format!("group `{id}` appears twice (first on line {first})"),
                "give each group one row",
            );
            continue;
        }
        let events = r.count(row, cols[1], "events");
        let population = r.count(row, cols[2], "population");
        if let (Some(events), Some(population)) = (events, population) {
            if population == 0 {
                let pos = r.field(row, cols[2], "population").map(|f| f.1);
                r.error(
                    pos.unwrap_or(Pos::new(row.line, 1, 1)),
                    format!("the population of `{id}` is zero"),
                    "leave out groups with no one in them",
                );
                continue;
            }
            let group = Group {
                id: id.to_string(),
                events,
                population,
            };
            out.push((group, row.line));
        }
    }
    if r.diagnostics.is_empty() {
        Ok(out)
    } else {
        Err(r.diagnostics)
    }
}

/// Every count in the columns of `names` of a CSV file, with its place: for finding small
/// counts in a file published as it is. Unreadable files give nothing.
pub fn counts(text: &str, names: &[&str]) -> Vec<(u64, Pos)> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut wanted: Vec<usize> = Vec::new();
    for (i, record) in csv.records().enumerate() {
        let Ok(record) = record else {
            break;
        };
        let (line, start) = place(text, &record);
        let fields = columns(text.get(start..).unwrap_or_default(), line, &record);
        if i == 0 {
            wanted = fields
                .iter()
                .enumerate()
                .filter(|(_, f)| {
                    let f = f.text.trim_start_matches('\u{feff}').to_ascii_lowercase();
                    names.contains(&f.as_str())
                })
                .map(|(i, _)| i)
                .collect();
            continue;
        }
        for &c in &wanted {
            if let Some(field) = fields.get(c) {
                if let Ok(n) = field.text.parse::<u64>() {
                    out.push((n, field.pos()));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(result: Result<Series, Vec<Diagnostic>>) -> Vec<String> {
        result
            .expect_err("diagnostics")
            .iter()
            .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
            .collect()
    }

    #[test]
    fn reads_values_and_ratios_in_period_order() {
        let s = series("d.csv", "period,value\n2024-02,3\n2024-01,1.5\n", 100.0).expect("ok");
        assert_eq!(s.values, vec![1.5, 3.0]);
        assert_eq!(s.periods[0].short(), "Jan 2024");
        let r = series(
            "d.csv",
            "\u{feff}period,numerator,denominator\r\n2024-01-15,1,4\r\n",
            100.0,
        )
        .expect("ok");
        assert_eq!(r.values, vec![25.0]);
        assert_eq!(r.periods[0].short(), "15 Jan 2024");
    }

    #[test]
    fn bad_rows_are_diagnostics_at_their_place() {
        let text = "period,value\n2024-01,1\n2024-13,2\n2024-03,x\n2024-01,4\n2024-05\n";
        assert_eq!(
            messages(series("d.csv", text, 100.0)),
            vec![
                "3:1: `2024-13` is not a period",
                "4:9: `value` is `x`, not a number",
                "5:1: period 2024-01 appears twice (first on line 2)",
                "6:8: missing value for `value`",
            ]
        );
        let zero = "period,numerator,denominator\n2024-01,1,0\n";
        assert_eq!(
            messages(series("d.csv", zero, 100.0)),
            vec!["2:11: the denominator for 2024-01 is zero"]
        );
        assert_eq!(
            messages(series("d.csv", "period,count\n2024-01,1\n", 100.0)),
            vec!["1:1: missing column `value`"]
        );
        assert_eq!(
            messages(series("d.csv", "", 100.0)),
            vec!["1:1: the data file is empty"]
        );
        assert_eq!(
            messages(series("d.csv", "period,value\n", 100.0)),
            vec!["2:1: the data file has a header but no rows"]
        );
    }

    /// Found by fuzzing: a header without a line break after it, and no rows, was
    /// reported on the line after the end of the file.
    #[test]
    fn a_header_alone_without_a_line_break_is_reported_at_its_end() {
        assert_eq!(
            messages(series("d.csv", "period,value,v-1", 100.0)),
            vec!["1:17: the data file has a header but no rows"]
        );
    }

    #[test]
    fn values_quoted_in_messages_are_masked() {
        let text = "period,value\n943 476 5919,1\n";
        assert_eq!(
            messages(series("d.csv", text, 100.0)),
            vec!["2:1: `*** *** ****` is not a period"]
        );
    }

    /// Found by fuzzing: the csv crate places a row after a blank line on the blank line,
    /// so its problems were reported a line early, at a column past that line's end; and a
    /// value was looked for in the rest of the file, not on its own line.
    #[test]
    fn a_row_after_blank_lines_is_located_on_its_own_line() {
        let text = "period,value\n2024-01,1\n\n\r\n2024-13,2\n";
        let found = messages(series("d.csv", text, 100.0));
        assert_eq!(found, ["5:1: `2024-13` is not a period"]);
        let text = "period,value\n2024-01,\"1\n2\"\n2024-02,x\n2024-03,\n";
        let found = messages(series("d.csv", text, 100.0));
        assert_eq!(
            found,
            [
                "2:10: `value` is `1\\n2`, not a number",
                "4:9: `value` is `x`, not a number",
                "5:9: missing value for `value`"
            ]
        );
    }

    #[test]
    fn groups_need_whole_counts_and_a_population() {
        let text = "group,events,population\na,3,100\nb,2.5,100\nc,1,0\na,1,1\n";
        let errors: Vec<String> = groups("g.csv", text)
            .expect_err("diagnostics")
            .iter()
            .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
            .collect();
        assert_eq!(
            errors,
            vec![
                "3:3: `events` is `2.5`, not a whole number",
                "4:5: the population of `c` is zero",
                "5:1: group `a` appears twice (first on line 2)",
            ]
        );
    }

    #[test]
    fn counts_are_found_by_column_name() {
        let found = counts(
            "period,numerator,denominator\n2024-01,5,40\n",
            &["numerator"],
        );
        assert_eq!(found, vec![(5, Pos::new(2, 9, 1))]);
    }
}
