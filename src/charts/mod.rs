//! The charts stage: evaluation data files in, figures out.
//!
//! In: the linked library (which evaluations chart which files in `content/data/`, and
//! which data files pages link to), the content folder and the library's disclosure
//! threshold. Out: for every document a [`Plan`] of its figures, drawn into [`Figures`] as
//! its page renders — each chart's inline SVG, data table and CSV download ([`chart`];
//! [`spc`] computes, [`svg`] draws), without the periods whose rate would reveal a small
//! count, and each equity table with small counts suppressed ([`equity`]), both by the
//! one rule of [`disclosure`] — plus a diagnostic at `path:line:col` for every data file
//! that cannot be read ([`read`]), and for one published as it is that would reveal a small
//! count or run a spreadsheet formula ([`published`]).
//!
//! No I/O: the load stage has read the data files.

pub mod chart;
pub mod disclosure;
pub mod download;
pub mod equity;
pub mod published;
pub mod read;
pub mod spc;
pub mod svg;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::link::Linked;
use crate::model::diagnostic::Diagnostic;
use crate::model::{Chart, Config, Doc, Equity, Extra};

use chart::ChartData;
pub use chart::{ChartFigure, ChartRow, Icon, KeyEntry};
use equity::Cell;
use read::Series;
use svg::number;

/// The charts and equity tables of one document.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Figures {
    pub charts: Vec<ChartFigure>,
    pub equity: Vec<EquityFigure>,
}

impl Figures {
    /// The CSV downloads: site path and contents.
    pub fn downloads(&self) -> impl Iterator<Item = (&str, &str)> {
        let charts = self
            .charts
            .iter()
            .map(|c| (c.href.as_str(), c.csv.as_str()));
        let tables = self
            .equity
            .iter()
            .map(|e| (e.href.as_str(), e.csv.as_str()));
        charts.chain(tables)
    }
}

/// An equity table as a page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct EquityFigure {
    pub id: String,
    pub title: String,
    pub svg: String,
    pub href: String,
    #[serde(skip)]
    pub csv: String,
    pub per: String,
    pub reference: String,
    pub rows: Vec<EquityRow>,
    pub total: EquityRow,
    pub suppressed: bool,
    pub min_count: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct EquityRow {
    pub group: String,
    pub events: String,
    pub population: String,
    pub rate: String,
    pub ratio: String,
    pub difference: String,
    pub reference: bool,
}

/// What one document's figures are drawn from: each chart's series (with its rebase
/// points) and each equity table's groups, read and checked, with the download paths. The
/// drawing waits until the page is rendered, so that all of them never exist at once.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The chart's place in `charts:`, its data and its download path.
    charts: Vec<(usize, ChartData, String)>,
    /// The table's place in `equity:`, its groups and its download path.
    tables: Vec<(usize, Vec<equity::Group>, String)>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.charts.is_empty() && self.tables.is_empty()
    }

    /// Title and download path of each chart and of each equity table of `doc`, the
    /// document planned.
    pub fn links<'a>(&'a self, doc: &'a Doc) -> [Vec<(&'a str, &'a str)>; 2] {
        let Extra::Evaluation(e) = &doc.extra else {
            return Default::default();
        };
        let charts = self.charts.iter();
        let tables = self.tables.iter();
        [
            charts
                .map(|(k, _, h)| (e.charts[*k].title.as_str(), h.as_str()))
                .collect(),
            tables
                .map(|(k, _, h)| (e.equity[*k].title.as_str(), h.as_str()))
                .collect(),
        ]
    }

    /// The figures of `doc`, the document planned.
    pub fn draw(&self, doc: &Doc, config: &Config) -> Figures {
        let Extra::Evaluation(e) = &doc.extra else {
            return Figures::default();
        };
        Figures {
            charts: self
                .charts
                .iter()
                .map(|(k, data, href)| {
                    let id = format!("chart-{}", k + 1);
                    let min_count = config.disclosure_min_count;
                    chart::draw(&id, &e.charts[*k], data, href.clone(), min_count)
                })
                .collect(),
            equity: self
                .tables
                .iter()
                .map(|(k, groups, href)| {
                    let id = format!("equity-{}", k + 1);
                    equity_table(&id, &e.equity[*k], groups, href.clone(), config)
                })
                .collect(),
        }
    }
}

/// Reads and checks the data of every evaluation's figures, one [`Plan`] per document;
/// checks data files published as they are for small counts.
pub fn evaluate(linked: &Linked, config: &Config, diagnostics: &mut Vec<Diagnostic>) -> Vec<Plan> {
    let mut files = Files {
        tables: &linked.tables,
        series: Default::default(),
        groups: Default::default(),
        min_count: config.disclosure_min_count,
        max_rows: config.limits.data_rows,
        reported: Default::default(),
        diagnostics,
    };
    for name in &linked.data_files {
        if name.to_ascii_lowercase().ends_with(".csv") {
            let text = name.strip_prefix("data/").and_then(|n| files.text(n));
            if let Some(text) = text {
                let path = format!("content/{name}");
                let min = config.disclosure_min_count;
                files
                    .diagnostics
                    .extend(published::check(&path, &text, min));
            }
        } else {
            // A text file is read for patient data with the others (see `review`).
            let message = match linked.tables.contains_key(name) {
                true => {
                    "a page links to this file, which is published as it is and cannot be checked for small counts"
                }
                false => {
                    "a page links to this file, which is published as it is and cannot be checked for small counts or patient data"
                }
            };
            files.diagnostics.push(
                Diagnostic::warning(&format!("content/{name}"), crate::model::diagnostic::Pos::start(), "unchecked-data", message)
                    .hint("publish data as CSV, which lantern checks, or make sure this file holds no count below the disclosure threshold"),
            );
        }
    }
    linked
        .docs
        .iter()
        .map(|doc| {
            let Extra::Evaluation(e) = &doc.extra else {
                return Plan::default();
            };
            let base = doc.url();
            let mut names = Names::default();
            let charts = e
                .charts
                .iter()
                .enumerate()
                .filter_map(|(k, c)| {
                    let series = files.series(&doc.path, c)?;
                    Some((k, series, format!("{base}{}", names.csv(&c.data.id))))
                })
                .collect();
            let tables = e
                .equity
                .iter()
                .enumerate()
                .filter_map(|(k, q)| {
                    let groups = files.groups(q)?;
                    Some((k, groups, format!("{base}{}", names.csv(&q.data.id))))
                })
                .collect();
            Plan { charts, tables }
        })
        .collect()
}

/// Download names for one page: the data file's name, numbered when it is taken.
#[derive(Default)]
struct Names(std::collections::HashSet<String>);

impl Names {
    fn csv(&mut self, data: &str) -> String {
        let stem = data.rsplit('/').next().unwrap_or(data);
        let stem = stem.strip_suffix(".csv").unwrap_or(stem);
        let stem = crate::model::slug::suggest(stem.strip_suffix(".CSV").unwrap_or(stem));
        let name = (1..)
            .map(|n| match n {
                1 => format!("{stem}.csv"),
                n => format!("{stem}-{n}.csv"),
            })
            .find(|name| !self.0.contains(name))
            .unwrap_or_default();
        self.0.insert(name.clone());
        name
    }
}

/// The data files and where their problems go.
struct Files<'a> {
    tables: &'a BTreeMap<String, Arc<str>>,
    /// Each data file as read for charts (by name and `per`) and for equity tables.
    series: std::collections::HashMap<(String, u64), Option<Series>>,
    groups: std::collections::HashMap<String, Option<Vec<equity::Group>>>,
    min_count: u32,
    /// `limits.data_rows`.
    max_rows: usize,
    /// Files whose problems were reported already, by name and how they were read.
    reported: std::collections::HashSet<(String, &'static str)>,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Files<'_> {
    /// The text of `content/data/{name}`; `None` when there is no such CSV file (which the
    /// link stage reports) or it could not be read (which the load stage reports).
    fn text(&self, name: &str) -> Option<Arc<str>> {
        self.tables.get(&format!("data/{name}")).cloned()
    }

    /// The text of `content/data/{name}` for a chart or table to read, as [`Files::text`],
    /// or `None` after a diagnostic when it has more rows than `limits.data_rows`.
    fn rows(&mut self, name: &str) -> Option<Arc<str>> {
        let text = self.text(name)?;
        // The header and `max_rows` rows; a line past them is where the file is too long.
        let Some((at, _)) = text.match_indices('\n').nth(self.max_rows) else {
            return Some(text);
        };
        if text[at..].trim().is_empty() {
            return Some(text);
        }
        let line = self.max_rows + 2;
        let too_long = Diagnostic::error(
            &format!("content/data/{name}"),
            crate::model::diagnostic::Pos::new(line, 1, 1),
            "too-large",
            format!("the data file has more than {} rows, the limit (`limits.data_rows`)", self.max_rows),
        )
        .hint(format!("chart longer periods (weeks or months rather than days), or raise `limits: {{data_rows: ...}}` in {}", crate::load::config::PATH));
        self.report(name, "rows", vec![too_long]);
        None
    }

    /// Reports `diagnostics` unless this file was already reported when read as `kind`.
    fn report(&mut self, name: &str, kind: &'static str, diagnostics: Vec<Diagnostic>) {
        if self.reported.insert((name.to_string(), kind)) {
            self.diagnostics.extend(diagnostics);
        }
    }

    fn series(&mut self, doc: &str, chart: &Chart) -> Option<ChartData> {
        let name = chart.data.id.as_str();
        let path = format!("content/data/{name}");
        let per = chart.per.unwrap_or(100.0);
        // Many evaluations may chart one file: it is read once.
        let key = (name.to_string(), per.to_bits());
        let series = match self.series.get(&key) {
            Some(parsed) => parsed.clone()?,
            None => {
                let text = self.rows(name)?;
                let parsed = match read::series(&path, &text, per) {
                    Ok(s) => Some(s),
                    Err(d) => {
                        self.report(name, "series", d);
                        None
                    }
                };
                self.series.insert(key, parsed.clone());
                parsed?
            }
        };
        // The disclosure rule: a rate that would give away a small count is not shown.
        let min = u64::from(self.min_count);
        let mut hidden = vec![false; series.values.len()];
        let mut first = None;
        for (i, c) in series.counts.iter().enumerate() {
            let ((n, at), (d, _)) = (c.numerator, c.denominator);
            if disclosure::reveals(n, d, min) {
                hidden[i] = true;
                // At the numerator whichever count is small: the place says which period,
                // as the note under the chart does, but not which count.
                first = first.or(Some(at));
            }
        }
        let count = hidden.iter().filter(|h| **h).count();
        if let Some(pos) = first {
            let warning = Diagnostic::warning(&path, pos, "small-count-rate", format!("{count} of {} periods count fewer than {min} events, or fewer than {min} without the event, so their rates are not shown", series.values.len()))
                .hint("chart longer periods (quarters rather than months) so that each counts enough to be shown");
            self.report(name, "small", vec![warning]);
        }
        let shown: Vec<&read::Period> = series
            .periods
            .iter()
            .zip(&hidden)
            .filter(|(_, h)| !**h)
            .map(|(p, _)| p)
            .collect();
        let mut problems = Vec::new();
        if shown.len() < 2 {
            let n = shown.len();
            let (message, hint) = match count {
                0 => (
                    format!("{path} has {n} point; a chart needs at least 2"),
                    "add more periods; limits are provisional below 12 points",
                ),
                _ => (
                    format!(
                        "{path} has {n} point{} to show once {count} with small counts are hidden; a chart needs at least 2",
                        if n == 1 { "" } else { "s" }
                    ),
                    "chart longer periods (quarters rather than months) so that each counts enough to be shown",
                ),
            };
            problems
                .push(Diagnostic::error(doc, chart.data.pos, "invalid-data", message).hint(hint));
        }
        // Each phase needs 2 points shown: from the start or the rebase before, to the next.
        let mut rebase: Vec<(crate::model::date::Date, usize)> = Vec::new();
        let mut starts: Vec<(
            usize,
            &crate::model::date::Date,
            crate::model::diagnostic::Pos,
        )> = chart
            .rebase
            .iter()
            .map(|(date, pos)| {
                let at = shown.iter().position(|p| p.start >= *date);
                (at.unwrap_or(shown.len()), date, *pos)
            })
            .collect();
        starts.sort_by_key(|s| s.0);
        for (k, &(i, date, pos)) in starts.iter().enumerate() {
            let previous = rebase.last().map_or(0, |r| r.1);
            let next = starts.get(k + 1).map_or(shown.len(), |s| s.0);
            if i >= previous + 2 && next >= i + 2 {
                rebase.push((*date, i));
            } else {
                problems.push(
                    Diagnostic::error(doc, pos, "invalid-rebase", format!("a rebase on {date} leaves fewer than 2 points on one side of it"))
                        .hint("rebase where a change began, with at least 2 periods of data before and after"),
                );
            }
        }
        if problems.is_empty() {
            Some(ChartData {
                series,
                hidden,
                rebase,
            })
        } else {
            self.diagnostics.extend(problems);
            None
        }
    }

    fn groups(&mut self, table: &Equity) -> Option<Vec<equity::Group>> {
        let name = table.data.id.as_str();
        if let Some(parsed) = self.groups.get(name) {
            return parsed.clone();
        }
        let text = self.rows(name)?;
        let parsed = match read::groups(&format!("content/data/{name}"), &text) {
            Ok(g) => Some(g.into_iter().map(|(g, _)| g).collect()),
            Err(d) => {
                self.report(name, "groups", d);
                None
            }
        };
        self.groups.insert(name.to_string(), parsed.clone());
        parsed
    }
}

fn equity_table(
    id: &str,
    q: &Equity,
    groups: &[equity::Group],
    href: String,
    config: &Config,
) -> EquityFigure {
    let min = config.disclosure_min_count;
    let t = equity::table(groups, &q.reference_group.id, q.per, u64::from(min));
    let label = |id: &str| config.ethnic_groups.label(id).unwrap_or(id).to_string();
    let per = format!("per {}", number(q.per, 2));
    let cell_text = |c: Cell<String>| match c {
        Cell::Value(s) => s,
        Cell::Suppressed => "suppressed".to_string(),
        Cell::NotApplicable => "n/a".to_string(),
    };
    let csv_cell = |c: Cell<String>| match c {
        Cell::Value(s) => s,
        Cell::Suppressed => "[c]".to_string(),
        Cell::NotApplicable => "[z]".to_string(),
    };
    let count = |c: Cell<u64>| c.map(|n| n.to_string());
    let mut csv = String::from(
        "group,label,events,population,rate,rate_ratio,ci_lower,ci_upper,difference\n",
    );
    let mut view_rows = Vec::new();
    let mut bars = Vec::new();
    for row in t.rows.iter().chain(std::iter::once(&t.total)) {
        let (group_id, group) = match &row.id {
            Some(id) => (id.clone(), label(id)),
            None => ("all".to_string(), "All groups".to_string()),
        };
        let ratio = |f: fn(&equity::Ratio) -> f64| row.ratio.map(|r| number(f(&r), 4));
        csv.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\n",
            download::text(&group_id),
            download::text(&group),
            csv_cell(count(row.events)),
            csv_cell(count(row.population)),
            csv_cell(row.rate.map(|v| number(v, 4))),
            csv_cell(ratio(|r| r.ratio)),
            csv_cell(ratio(|r| r.lower)),
            csv_cell(ratio(|r| r.upper)),
            csv_cell(row.difference.map(|v| number(v, 4))),
        ));
        let ratio_text = match row.ratio {
            Cell::Value(r) => format!("{:.2} ({:.2} to {:.2})", r.ratio, r.lower, r.upper),
            Cell::Suppressed => "suppressed".to_string(),
            Cell::NotApplicable if row.reference => "reference".to_string(),
            Cell::NotApplicable => "n/a".to_string(),
        };
        view_rows.push(EquityRow {
            group: group.clone(),
            events: cell_text(count(row.events)),
            population: cell_text(count(row.population)),
            rate: cell_text(row.rate.map(|v| format!("{v:.1}"))),
            ratio: ratio_text,
            difference: cell_text(row.difference.map(|v| format!("{v:+.1}"))),
            reference: row.reference,
        });
        if row.id.is_some() {
            bars.push((group, row.rate.value(), row.reference));
        }
    }
    let total = view_rows.pop().unwrap_or_else(|| EquityRow {
        group: "All groups".to_string(),
        events: String::new(),
        population: String::new(),
        rate: String::new(),
        ratio: String::new(),
        difference: String::new(),
        reference: false,
    });
    let reference = label(&q.reference_group.id);
    let description = format!(
        "Rate {per} for each group, with {reference} as the reference (dashed line).{}",
        if t.suppressed {
            format!(" Groups marked suppressed have a count below {min}, or would reveal one.")
        } else {
            String::new()
        }
    );
    EquityFigure {
        id: id.to_string(),
        title: q.title.clone(),
        svg: svg::bars(id, &q.title, &description, &bars),
        href,
        csv,
        per,
        reference,
        rows: view_rows,
        total,
        suppressed: t.suppressed,
        min_count: min,
    }
}
