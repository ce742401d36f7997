//! Reading evaluation data files: CSV text in, a series or a list of groups out, with a
//! diagnostic at `path:line:col` for every row that cannot be used. No I/O.

use std::collections::HashMap;

use crate::model::LARGEST_NUMBER;
use crate::model::date::Date;
use crate::model::diagnostic::{Diagnostic, Pos};

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
        let month = &crate::model::date::Date::long(self.start)
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
    /// For `numerator,denominator` files, each period's counts (one per period, in the
    /// same order); empty for `value` files.
    pub counts: Vec<Counts>,
}

/// A period's numerator and denominator, each with its place in the file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Counts {
    pub numerator: (u64, Pos),
    pub denominator: (u64, Pos),
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
        let message = crate::scan::pii::mask_text(&message);
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

    /// A value: a finite number no larger than [`LARGEST_NUMBER`] in size. Below zero is
    /// allowed, as a value may be a change or a difference.
    fn number(&mut self, row: &Record, index: usize, name: &str) -> Option<f64> {
        let (text, pos) = self.field(row, index, name)?;
        match text.parse::<f64>() {
            Ok(v) if v.abs() <= LARGEST_NUMBER => Some(v),
            // `1e400` is a number too large to hold; `inf` and `NaN` are not numbers.
            Ok(v) if !v.is_nan() && text.contains(|c: char| c.is_ascii_digit()) => {
                self.error(
                    pos,
                    format!("`{name}` is `{text}`, larger than a chart can draw"),
                    "write values of at most 1000000000000 (10¹²) in size: check the figure and its units",
                );
                None
            }
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

    /// A count: a whole number from 0 to [`LARGEST_NUMBER`], with its place.
    fn count(&mut self, row: &Record, index: usize, name: &str) -> Option<(u64, Pos)> {
        let (text, pos) = self.field(row, index, name)?;
        let (message, hint) = match text.parse::<u64>() {
            Ok(v) if v as f64 <= LARGEST_NUMBER => return Some((v, pos)),
            Ok(_) => (
                "larger than any count lantern takes",
                "counts are at most 1000000000000 (10¹²): check the figure",
            ),
            Err(_) if text.parse::<f64>().is_ok_and(|v| v < 0.0) => (
                "below zero",
                "a count is a whole number of 0 or more: check the figure",
            ),
            Err(_) => (
                "not a whole number",
                "counts are whole numbers of 0 or more, without thousands separators",
            ),
        };
        self.error(pos, format!("`{name}` is `{text}`, {message}"), hint);
        None
    }

    /// Whether `part` is at most `whole`; otherwise an error at the part's place.
    fn at_most(&mut self, (part, at): (u64, Pos), whole: u64, message: String, hint: &str) -> bool {
        if part > whole {
            self.error(at, message, hint);
        }
        part <= whole
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
    let mut points: Vec<(Period, f64, Option<Counts>)> = Vec::new();
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
        if !ratio {
            if let Some(v) = r.number(row, cols[1], "value") {
                points.push((period, v, None));
            }
            continue;
        }
        let numerator = r.count(row, cols[1], "numerator");
        let Some(denominator) = r.count(row, cols[2], "denominator") else {
            continue;
        };
        if denominator.0 == 0 {
            r.error(
                denominator.1,
                format!("the denominator for {text} is zero"),
                "leave out periods with nothing to count, or check the figure",
            );
            continue;
        }
        let Some(numerator) = numerator else {
            continue;
        };
        let hint = "the numerator counts those of the denominator with the event, so it is at most as large: check the figures and the order of the columns";
        let message = format!("the numerator for {text} is more than its denominator");
        if r.at_most(numerator, denominator.0, message, hint) {
            // Both at most `LARGEST_NUMBER`, and the numerator at most the denominator:
            // the value is at most `per`, which is as bounded.
            let value = numerator.0 as f64 / denominator.0 as f64 * per;
            let counts = Counts {
                numerator,
                denominator,
            };
            points.push((period, value, Some(counts)));
        }
    }
    if !r.diagnostics.is_empty() {
        return Err(r.diagnostics);
    }
    points.sort_by_key(|p| p.0.start);
    let mut series = Series::default();
    for (period, value, counts) in points {
        series.periods.push(period);
        series.values.push(value);
        series.counts.extend(counts);
    }
    Ok(series)
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
        if let (Some(events), Some((population, at))) = (events, population) {
            if population == 0 {
                r.error(
                    at,
                    format!("the population of `{id}` is zero"),
                    "leave out groups with no one in them",
                );
                continue;
            }
            let hint = "the events are counted among the population, so they are at most as many: check the figures and the order of the columns";
            let message = format!("the events of `{id}` are more than its population");
            if r.at_most(events, population, message, hint) {
                let group = Group {
                    id: id.to_string(),
                    events: events.0,
                    population,
                };
                out.push((group, row.line));
            }
        }
    }
    if r.diagnostics.is_empty() {
        Ok(out)
    } else {
        Err(r.diagnostics)
    }
}

/// Every field of a CSV file as written (not trimmed), with its place, row by row from
/// the header: for checking a file published as it is. Reading stops at the first row
/// that is not CSV (which a chart or table reading the file reports).
pub fn cells(text: &str) -> Vec<Vec<(String, Pos)>> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for record in csv.records() {
        let Ok(record) = record else {
            break;
        };
        let (line, start) = place(text, &record);
        let fields = columns(text.get(start..).unwrap_or_default(), line, &record);
        out.push(
            fields
                .into_iter()
                .map(|f| {
                    let pos = f.pos();
                    (f.text, pos)
                })
                .collect(),
        );
    }
    out
}

#[cfg(test)]
mod tests;
