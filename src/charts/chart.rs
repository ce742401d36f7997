//! One XmR chart, from checked data to what a page shows.
//!
//! In: a chart's series (read by [`super::read`]), which of its periods the disclosure rule
//! hides, where its rebased phases start, its front matter and the disclosure threshold.
//! Out: a [`ChartFigure`] — the inline SVG ([`super::svg`]), the data table's rows, the CSV
//! download, the icons, a summary for assistive technology and a note naming the periods
//! not shown. No I/O.
//!
//! A hidden period is left out of the calculation altogether: the mean, the moving ranges
//! and the special-cause rules see only the periods shown, as they would if its row were
//! missing from the file. A mean or moving range that took it in would give it back (the
//! mean times the number of points, less the points shown). Its row in the data table
//! and the download says it is suppressed, with the limits of the phase it falls in.

use serde::Serialize;

use crate::model::Chart;
use crate::model::date::Date;

use super::read::{Period, Series};
use super::spc;
use super::svg::{self, number};

/// A chart's data, read and checked.
#[derive(Debug, Clone)]
pub struct ChartData {
    /// Every period of the file, in order.
    pub series: Series,
    /// For each period, whether the disclosure rule hides it.
    pub hidden: Vec<bool>,
    /// Each rebase kept: its date, and the index among the periods shown where its phase
    /// starts.
    pub rebase: Vec<(Date, usize)>,
}

impl ChartData {
    /// The values of the periods shown.
    pub fn shown(&self) -> impl Iterator<Item = (&Period, f64)> {
        let points = self.series.periods.iter().zip(&self.series.values);
        points
            .zip(&self.hidden)
            .filter(|(_, hidden)| !**hidden)
            .map(|((p, v), _)| (p, *v))
    }
}

/// An XmR chart as a page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ChartFigure {
    pub id: String,
    pub title: String,
    pub svg: String,
    /// The CSV download's site path.
    pub href: String,
    #[serde(skip)]
    pub csv: String,
    pub rows: Vec<ChartRow>,
    /// Fewer than 12 points: the limits may move as data arrive.
    pub provisional: bool,
    pub variation: Option<Icon>,
    pub assurance: Option<Icon>,
    /// The types of point the chart shows, for its key.
    pub key: Vec<KeyEntry>,
    /// The target, with its unit.
    pub target: Option<String>,
    pub summary: String,
    /// The periods the disclosure rule hides, in words, when there are any.
    pub hidden: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartRow {
    pub period: String,
    pub value: String,
    pub mean: String,
    pub lower: String,
    pub upper: String,
    pub kind: &'static str,
    pub label: &'static str,
    pub rebase: bool,
    /// Hidden by the disclosure rule: no value and no point.
    pub suppressed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Icon {
    pub svg: String,
    pub label: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyEntry {
    pub kind: &'static str,
    pub label: &'static str,
}

/// Draws chart `c` from `data`, with `id` unique on the page, the download at `href` and
/// `min_count` the disclosure threshold (for the note on hidden periods).
pub fn draw(id: &str, c: &Chart, data: &ChartData, href: String, min_count: u32) -> ChartFigure {
    let (periods, values): (Vec<&Period>, Vec<f64>) = data.shown().unzip();
    let starts: Vec<usize> = data.rebase.iter().map(|r| r.1).collect();
    let direction = spc::Direction::from_name(&c.direction);
    let spc = spc::compute(&values, &starts, direction, c.target, c.screen_outliers);
    let labels: Vec<String> = periods.iter().map(|p| p.short()).collect();
    let unit = c.unit.as_deref();
    let with_unit = |v: f64| match unit {
        Some("%") => format!("{}%", number(v, 1)),
        Some(u) => format!("{} {u}", number(v, 1)),
        None => number(v, 2),
    };
    let mut csv = String::from("period,value,mean,lower_limit,upper_limit,point_type\n");
    let mut rows = Vec::new();
    let mut hidden = Vec::new();
    let mut j = 0;
    for (p, &is_hidden) in data.series.periods.iter().zip(&data.hidden) {
        // The shown point's index, or for a hidden period its phase (that of its date).
        let (limits, point) = if is_hidden {
            let phase = data.rebase.iter().filter(|(d, _)| *d <= p.start).count();
            (spc.limits.get(phase), None)
        } else {
            j += 1;
            (spc.limits_of(j - 1), Some((j - 1, values[j - 1])))
        };
        let Some(l) = limits else { continue };
        let fields = [l.mean, l.lower, l.upper].map(|v| number(v, 6));
        let row = ChartRow {
            period: p.short(),
            value: String::new(),
            mean: number(l.mean, 2),
            lower: number(l.lower, 2),
            upper: number(l.upper, 2),
            kind: "suppressed",
            label: "Not shown: a small count",
            rebase: false,
            suppressed: true,
        };
        match point {
            None => {
                hidden.push(p);
                csv.push_str(&format!("{},[c],{},[c]\n", p.text, fields.join(",")));
                rows.push(ChartRow {
                    value: "suppressed".to_string(),
                    ..row
                });
            }
            Some((i, v)) => {
                let t = spc.types[i];
                let (value, name) = (number(v, 6), t.name());
                csv.push_str(&format!("{},{value},{},{name}\n", p.text, fields.join(",")));
                rows.push(ChartRow {
                    value: number(v, 2),
                    kind: t.name(),
                    label: t.label(),
                    rebase: starts.contains(&i),
                    suppressed: false,
                    ..row
                });
            }
        }
    }
    let mut key: Vec<KeyEntry> = Vec::new();
    for t in &spc.types {
        if !key.iter().any(|k| k.kind == t.name()) {
            key.push(KeyEntry {
                kind: t.name(),
                label: t.label(),
            });
        }
    }
    let hidden = hidden_note(&hidden, min_count);
    let summary = summary(&spc, &labels, &with_unit, c.target, hidden.as_deref());
    let text = svg::ChartText {
        id,
        title: &c.title,
        description: &summary,
        labels: &labels,
        unit,
        target: c.target,
    };
    ChartFigure {
        id: id.to_string(),
        title: c.title.clone(),
        svg: svg::spc_chart(&values, &spc, &text),
        href,
        csv,
        rows,
        provisional: values.len() < 12,
        variation: spc.variation.map(|v| Icon {
            svg: svg::variation_icon(v),
            label: svg::variation_label(v),
        }),
        assurance: spc.assurance.map(|a| Icon {
            svg: svg::assurance_icon(a),
            label: svg::assurance_label(a),
        }),
        key,
        target: c.target.map(with_unit),
        summary,
        hidden,
    }
}

/// The chart in words: its points, each phase's mean and limits, how many points show
/// special cause variation, the target and the periods not shown.
fn summary(
    spc: &spc::Spc,
    labels: &[String],
    with_unit: &dyn Fn(f64) -> String,
    target: Option<f64>,
    hidden: Option<&str>,
) -> String {
    let mut summary = format!(
        "{} points from {} to {}.",
        labels.len(),
        labels.first().map_or("", String::as_str),
        labels.last().map_or("", String::as_str)
    );
    for (k, (phase, l)) in spc.phases.iter().zip(&spc.limits).enumerate() {
        let from = match labels.get(phase.start) {
            Some(label) if k > 0 => format!("From {label}, rebased: mean"),
            _ => "Mean".to_string(),
        };
        summary.push_str(&format!(
            " {from} {}, process limits {} to {}.",
            with_unit(l.mean),
            with_unit(l.lower),
            with_unit(l.upper)
        ));
    }
    let special = spc.types.iter().filter(|t| t.is_special()).count();
    summary.push_str(&match special {
        0 => " No point shows special cause variation.".to_string(),
        1 => " 1 point shows special cause variation.".to_string(),
        n => format!(" {n} points show special cause variation."),
    });
    if let Some(t) = target {
        summary.push_str(&format!(" Target {}.", with_unit(t)));
    }
    if let Some(hidden) = hidden {
        summary.push(' ');
        summary.push_str(hidden);
    }
    summary
}

/// "2 months with fewer than 8 events, or fewer than 8 without the event, are not shown
/// (Feb 2024 and Jun 2024)…", or `None` when every period is shown.
fn hidden_note(periods: &[&Period], min_count: u32) -> Option<String> {
    let n = periods.len();
    let unit = match (
        periods.iter().all(|p| p.month),
        periods.iter().any(|p| p.month),
    ) {
        _ if n == 0 => return None,
        (true, _) => "month",
        (false, false) => "day",
        (false, true) => "period",
    };
    let s = if n == 1 { "" } else { "s" };
    let verb = if n == 1 { "is" } else { "are" };
    let names: Vec<String> = periods.iter().map(|p| p.short()).collect();
    let names = match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    };
    Some(format!(
        "{n} {unit}{s} with fewer than {min_count} events, or fewer than {min_count} without the event, {verb} not shown ({names}), so that no one can be identified; the mean and limits come from the {unit}s shown."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(text: &str) -> Period {
        Period::parse(text).expect("a period")
    }

    #[test]
    fn the_note_names_the_hidden_periods() {
        let (a, b) = (period("2024-02"), period("2024-06"));
        assert_eq!(hidden_note(&[], 8), None);
        let one = hidden_note(&[&a], 8).expect("a note");
        assert!(one.starts_with("1 month with fewer than 8 events, or fewer than 8 without the event, is not shown (Feb 2024),"), "{one}");
        let two = hidden_note(&[&a, &b], 8).expect("a note");
        assert!(two.starts_with("2 months with"), "{two}");
        assert!(
            two.contains("are not shown (Feb 2024 and Jun 2024)"),
            "{two}"
        );
        let day = period("2024-03-15");
        let mixed = hidden_note(&[&a, &day], 5).expect("a note");
        assert!(
            mixed.starts_with("2 periods with fewer than 5 events"),
            "{mixed}"
        );
    }

    #[test]
    fn a_hidden_period_takes_no_part_in_the_limits() {
        let series = |values: Vec<f64>| Series {
            periods: (1..=values.len())
                .map(|m| period(&format!("2024-{m:02}")))
                .collect(),
            values,
            counts: Vec::new(),
        };
        let chart = Chart {
            title: "Rare events".to_string(),
            direction: "decrease".to_string(),
            screen_outliers: true,
            ..Chart::default()
        };
        let draw_with = |third: f64| {
            let data = ChartData {
                series: series(vec![3.0, 4.0, third, 5.0, 4.0]),
                hidden: vec![false, false, true, false, false],
                rebase: Vec::new(),
            };
            draw("chart-1", &chart, &data, "e/rare.csv".to_string(), 8)
        };
        let (a, b) = (draw_with(0.5), draw_with(90.0));
        assert_eq!(a.csv, b.csv);
        assert_eq!(a.svg, b.svg);
        assert_eq!(a.summary, b.summary);
        let row = a.csv.lines().nth(3).expect("the hidden row");
        assert_eq!(row, "2024-03,[c],4,1.34,6.66,[c]");
        assert!(a.rows[2].suppressed && a.rows[2].value == "suppressed");
        assert!(a.summary.starts_with("4 points from Jan 2024 to May 2024."));
    }
}
