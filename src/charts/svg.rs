//! Drawing charts as inline SVG: an XmR chart from a computed series, a bar chart from an
//! equity table, and the variation and assurance icons. In: computed figures and labels;
//! out: SVG markup with a title and a description for assistive technology. Every text
//! that comes from content is escaped.

use std::fmt::Write;

use crate::markdown::highlight::escape;

use super::spc::{Assurance, PointType, Spc, Variation};

// Sized so that 14-unit text stays legible when the chart is scaled to a phone's width.
const WIDTH: f64 = 560.0;
const HEIGHT: f64 = 320.0;
const LEFT: f64 = 60.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 40.0;
const INK: &str = "#212b32";
const MUTED: &str = "#4c6272";
const GRID: &str = "#d8dde0";
const LINE: &str = "#425563";

/// Making Data Count colours: fill and a darker outline that keeps the shape visible.
pub fn colours(t: PointType) -> (&'static str, &'static str) {
    match t {
        PointType::CommonCause => ("#a5a5a5", "#5d6466"),
        PointType::Improvement => ("#41b6e6", "#005eb8"),
        PointType::Concern => ("#ffb81c", "#8a5300"),
        PointType::NeutralHigh | PointType::NeutralLow => ("#7c4dab", "#330072"),
    }
}

/// A number written with at most `decimals` places and no trailing zeros.
pub fn number(v: f64, decimals: usize) -> String {
    let mut s = Places(v, decimals).to_string();
    if s.contains('.') {
        let kept = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(kept);
    }
    if s == "-0" { "0".to_string() } else { s }
}

/// `v` with exactly `decimals` places, written as `{:.decimals$}` writes it. Charts write
/// thousands of coordinates, and the exact decimal expansion that the standard formatting
/// works out is slow: a value whose scaled form is not close to halfway between two
/// integers rounds the same either way, and is written from that integer.
#[derive(Clone, Copy)]
pub struct Places(pub f64, pub usize);

impl std::fmt::Display for Places {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Places(v, decimals) = *self;
        let scaled = v * 10f64.powi(decimals as i32);
        let fraction = scaled - scaled.floor();
        // Below 1e9 the scaled value is within 1e-7 of the exact product, so a fraction
        // this far from a half cannot round the other way.
        if decimals > 9
            || !scaled.is_finite()
            || scaled.abs() >= 1e9
            || (fraction - 0.5).abs() < 1e-6
        {
            return write!(f, "{v:.decimals$}");
        }
        let mut units = scaled.round().abs() as u64;
        // Digits from the last, at least one before the point.
        let mut digits = [b'0'; 24];
        let mut n = 0;
        while units > 0 || n <= decimals {
            digits[n] = b'0' + (units % 10) as u8;
            units /= 10;
            n += 1;
        }
        let mut out = [0u8; 26];
        let mut len = 0;
        if v.is_sign_negative() {
            out[0] = b'-';
            len = 1;
        }
        for i in (0..n).rev() {
            out[len] = digits[i];
            len += 1;
            if i == decimals && decimals > 0 {
                out[len] = b'.';
                len += 1;
            }
        }
        f.write_str(std::str::from_utf8(&out[..len]).map_err(|_| std::fmt::Error)?)
    }
}

/// A coordinate, to one place.
fn p1(v: f64) -> Places {
    Places(v, 1)
}

/// Tick values for an axis from `lo` to `hi`: about five round steps, and the decimals
/// they need.
fn ticks(lo: f64, hi: f64) -> (Vec<f64>, usize) {
    let span = (hi - lo).max(1e-9);
    let raw = span / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as usize + usize::from((step / magnitude).fract() > 0.0)
    };
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    ((first..=last).map(|k| k as f64 * step).collect(), decimals)
}

/// What an XmR chart shows, besides the computed series.
pub struct ChartText<'a> {
    /// Unique on the page, for the title and description ids.
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub labels: &'a [String],
    pub unit: Option<&'a str>,
    pub target: Option<f64>,
}

/// An XmR chart: points coloured by type, each phase's mean and limits, rebases marked,
/// the target when there is one.
pub fn spc_chart(values: &[f64], spc: &Spc, text: &ChartText<'_>) -> String {
    let n = values.len().max(1);
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    let extremes = spc.limits.iter().flat_map(|l| [l.lower, l.upper]);
    for v in values.iter().copied().chain(extremes).chain(text.target) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() || !hi.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.06).max(hi.abs().max(1.0) * 1e-3);
    let (lo, hi) = (lo - pad, hi + pad);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let step = plot_w / n as f64;
    let x = |i: usize| LEFT + step * (i as f64 + 0.5);
    let y = |v: f64| TOP + plot_h * (hi - v) / (hi - lo);
    let mut s = open(text.id, text.title, text.description, HEIGHT);
    let (tick_values, decimals) = ticks(lo, hi);
    for t in tick_values {
        let ty = p1(y(t));
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" x2="{}" y1="{ty}" y2="{ty}" stroke="{GRID}"/><text x="{}" y="{}" text-anchor="end" font-size="14" fill="{MUTED}">{}</text>"##,
            WIDTH - RIGHT,
            LEFT - 8.0,
            p1(ty.0 + 4.0),
            number(t, decimals)
        );
    }
    if let Some(unit) = text.unit {
        let _ = write!(
            s,
            r##"<text x="12" y="{:.1}" font-size="14" fill="{MUTED}" transform="rotate(-90 12 {:.1})" text-anchor="middle">{}</text>"##,
            TOP + plot_h / 2.0,
            TOP + plot_h / 2.0,
            escape(unit)
        );
    }
    // Period labels: at most five, evenly spaced.
    let every = n.div_ceil(5).max(1);
    for (i, label) in text.labels.iter().enumerate().step_by(every) {
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" font-size="14" fill="{MUTED}" text-anchor="middle">{}</text>"##,
            p1(x(i)),
            HEIGHT - BOTTOM + 18.0,
            escape(label)
        );
    }
    for (k, (phase, l)) in spc.phases.iter().zip(&spc.limits).enumerate() {
        let (x1, x2) = (
            LEFT + step * phase.start as f64,
            LEFT + step * phase.end as f64,
        );
        let _ = write!(
            s,
            r##"<line x1="{x1:.1}" x2="{x2:.1}" y1="{m:.1}" y2="{m:.1}" stroke="{INK}" stroke-width="1.5"/>"##,
            m = y(l.mean)
        );
        for limit in [l.lower, l.upper] {
            let _ = write!(
                s,
                r##"<line x1="{x1:.1}" x2="{x2:.1}" y1="{v:.1}" y2="{v:.1}" stroke="{LINE}" stroke-dasharray="6 4"/>"##,
                v = y(limit)
            );
        }
        if k > 0 {
            let _ = write!(
                s,
                r##"<line x1="{x1:.1}" x2="{x1:.1}" y1="{TOP}" y2="{}" stroke="{INK}" stroke-dasharray="2 3"/><text x="{:.1}" y="{}" font-size="14" fill="{INK}">Rebased</text>"##,
                HEIGHT - BOTTOM,
                x1 + 4.0,
                TOP - 8.0
            );
        }
    }
    if let Some(t) = text.target {
        let ty = y(t);
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" x2="{}" y1="{ty:.1}" y2="{ty:.1}" stroke="#d5281b" stroke-width="1.5" stroke-dasharray="10 4"/>"##,
            WIDTH - RIGHT,
        );
    }
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, &v)| format!("{},{}", p1(x(i)), p1(y(v))))
        .collect();
    let _ = write!(
        s,
        r##"<polyline points="{}" fill="none" stroke="{LINE}" stroke-width="1.5"/>"##,
        points.join(" ")
    );
    for (i, &v) in values.iter().enumerate() {
        let (fill, stroke) = colours(spc.types[i]);
        let _ = write!(
            s,
            r##"<circle cx="{}" cy="{}" r="5" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>"##,
            p1(x(i)),
            p1(y(v))
        );
    }
    s.push_str("</svg>");
    s
}

/// A horizontal bar per group: its rate, or the word "suppressed" where there is none to
/// show, and a dashed line at the reference group's rate. The scale comes from shown rates
/// only, so a hidden rate cannot be read off the axis.
pub fn bars(
    id: &str,
    title: &str,
    description: &str,
    rows: &[(String, Option<f64>, bool)],
) -> String {
    // Each group's name sits above its bar, so long names need no margin.
    let row_h = 48.0;
    let (left, right) = (8.0, 56.0);
    let height = TOP + row_h * rows.len() as f64 + BOTTOM;
    let max = rows
        .iter()
        .filter_map(|r| r.1)
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let (tick_values, decimals) = ticks(0.0, max);
    let top = tick_values.last().copied().unwrap_or(max).max(max);
    let plot_w = WIDTH - left - right;
    let x = |v: f64| left + plot_w * v / top;
    let mut s = open(id, title, description, height);
    for t in &tick_values {
        let _ = write!(
            s,
            r##"<line x1="{tx:.1}" x2="{tx:.1}" y1="{TOP}" y2="{}" stroke="{GRID}"/><text x="{tx:.1}" y="{}" font-size="14" fill="{MUTED}" text-anchor="middle">{}</text>"##,
            height - BOTTOM,
            height - BOTTOM + 18.0,
            number(*t, decimals),
            tx = x(*t)
        );
    }
    for (k, (label, rate, reference)) in rows.iter().enumerate() {
        let top_y = TOP + row_h * k as f64;
        let _ = write!(
            s,
            r##"<text x="{left}" y="{:.1}" font-size="14" fill="{INK}"{}>{}{}</text>"##,
            top_y + 16.0,
            if *reference {
                r#" font-weight="bold""#
            } else {
                ""
            },
            escape(label),
            if *reference { " (reference)" } else { "" }
        );
        let bar_y = top_y + 23.0;
        match rate {
            Some(r) => {
                let _ = write!(
                    s,
                    r##"<rect x="{left}" y="{bar_y:.1}" width="{:.1}" height="16" fill="{}"/><text x="{:.1}" y="{:.1}" font-size="14" fill="{INK}">{r:.1}</text>"##,
                    (x(*r) - left).max(0.5),
                    if *reference { LINE } else { "#005eb8" },
                    x(*r) + 5.0,
                    bar_y + 13.0,
                );
            }
            None => {
                let _ = write!(
                    s,
                    r##"<text x="{}" y="{:.1}" font-size="14" fill="{MUTED}" font-style="italic">suppressed</text>"##,
                    left + 4.0,
                    bar_y + 13.0
                );
            }
        }
    }
    if let Some(r) = rows.iter().find(|r| r.2).and_then(|r| r.1) {
        let _ = write!(
            s,
            r##"<line x1="{rx:.1}" x2="{rx:.1}" y1="{}" y2="{}" stroke="{INK}" stroke-width="1.5" stroke-dasharray="4 3"/>"##,
            TOP + 20.0,
            height - BOTTOM,
            rx = x(r)
        );
    }
    let _ = write!(
        s,
        r##"<line x1="{left}" x2="{left}" y1="{TOP}" y2="{}" stroke="{INK}"/></svg>"##,
        height - BOTTOM
    );
    s
}

fn open(id: &str, title: &str, description: &str, height: f64) -> String {
    format!(
        r##"<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{id}-title" aria-describedby="{id}-desc" xmlns="http://www.w3.org/2000/svg" font-family="Arial, sans-serif"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc><rect width="{WIDTH}" height="{height}" fill="#fff"/>"##,
        escape(title),
        escape(description)
    )
}

/// The variation icon's words.
pub fn variation_label(v: Variation) -> &'static str {
    match (v.kind, v.high) {
        (PointType::CommonCause, _) => "Common cause variation: no significant change",
        (PointType::Improvement, true) => "Special cause variation: improvement (higher values)",
        (PointType::Improvement, false) => "Special cause variation: improvement (lower values)",
        (PointType::Concern, true) => "Special cause variation: concern (higher values)",
        (PointType::Concern, false) => "Special cause variation: concern (lower values)",
        (_, true) => "Special cause variation: higher values, neither better nor worse",
        (_, false) => "Special cause variation: lower values, neither better nor worse",
    }
}

/// The assurance icon's words.
pub fn assurance_label(a: Assurance) -> &'static str {
    match a {
        Assurance::Meets => "The process will consistently meet the target",
        Assurance::Fails => "The process will consistently fail to meet the target",
        Assurance::HitAndMiss => "The process will sometimes meet and sometimes miss the target",
    }
}

/// The variation icon: a circle in the latest point's colour with H or L for a special
/// cause, or a plain grey circle. Decorative: its words sit beside it.
pub fn variation_icon(v: Variation) -> String {
    let (fill, stroke) = colours(v.kind);
    let letter = match (v.kind, v.high) {
        (PointType::CommonCause, _) => "",
        (_, true) => "H",
        (_, false) => "L",
    };
    icon(fill, stroke, letter)
}

/// The assurance icon: P (meets), F (fails) or ? (hit and miss).
pub fn assurance_icon(a: Assurance) -> String {
    match a {
        Assurance::Meets => icon("#41b6e6", "#005eb8", "P"),
        Assurance::Fails => icon("#ffb81c", "#8a5300", "F"),
        Assurance::HitAndMiss => icon("#a5a5a5", "#5d6466", "?"),
    }
}

fn icon(fill: &str, stroke: &str, letter: &str) -> String {
    format!(
        r##"<svg class="spc-icon" viewBox="0 0 40 40" width="40" height="40" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg"><circle cx="20" cy="20" r="17" fill="#fff" stroke="{stroke}" stroke-width="4"/><circle cx="20" cy="20" r="11" fill="{fill}"/><text x="20" y="25" text-anchor="middle" font-size="15" font-weight="bold" font-family="Arial, sans-serif" fill="{INK}">{letter}</text></svg>"##
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_drop_trailing_zeros() {
        assert_eq!(number(3.0, 2), "3");
        assert_eq!(number(2.50, 2), "2.5");
        assert_eq!(number(-0.0001, 2), "0");
        assert_eq!(number(0.141_623_8, 6), "0.141624");
    }

    #[test]
    fn fixed_places_are_written_as_format_writes_them() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut cases = vec![
            0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 1e-7, -1e-7, 123.456,
        ];
        for _ in 0..200_000 {
            let r = next();
            let magnitude = 10f64.powi((r % 12) as i32 - 4);
            let v = (next() as f64 / u64::MAX as f64 - 0.3) * magnitude;
            cases.push(v);
            // Values on and about the halfway points that rounding must settle.
            cases.push((r % 100_000) as f64 / 1000.0 + 0.0005);
        }
        for v in cases {
            for d in 0..=6 {
                assert_eq!(
                    Places(v, d).to_string(),
                    format!("{v:.d$}"),
                    "{v:e} to {d} places"
                );
            }
        }
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(ticks(0.0, 10.0), (vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0], 0));
        let (t, d) = ticks(0.3, 1.2);
        assert_eq!(d, 1);
        assert_eq!(t.first().map(|v| number(*v, d)), Some("0.4".to_string()));
        assert_eq!(ticks(0.0, 1.1).1, 2);
    }

    #[test]
    fn content_text_is_escaped() {
        let svg = bars(
            "e1",
            "<script>",
            "a & b",
            &[("<b>".to_string(), None, false)],
        );
        assert!(!svg.contains("<script>") && !svg.contains("<b>"));
        assert!(svg.contains("&lt;script&gt;") && svg.contains("a &amp; b"));
    }
}
