//! The CSV files in `content/data/`: chart series and equity tables, their names, and the
//! record of which ones the documents use.

use std::fmt::Write as _;

use super::areas::{AREAS, TOPICS};
use super::plan::{PERIOD_MONTHS, PERIOD_STARTS, period_of};
use super::rng::Rng;
use super::vocab::{ETHNIC_GROUPS, REFERENCE_GROUP};

/// Chart CSVs: one per topic, measure (0 outcome, 1 process) and period start.
pub fn chart_file_index(topic: usize, measure: usize, slot: usize) -> usize {
    (topic * 2 + measure) * PERIOD_STARTS.len() + slot
}

pub fn chart_file_name(index: usize) -> String {
    let slot = index % PERIOD_STARTS.len();
    let measure = (index / PERIOD_STARTS.len()) % 2;
    let topic = index / PERIOD_STARTS.len() / 2;
    let (y, m) = PERIOD_STARTS[slot];
    let kind = if measure == 0 { "outcome" } else { "process" };
    format!("{}-{kind}-{y}-{m:02}.csv", TOPICS[topic].stem)
}

/// Equity CSVs: two per topic.
pub fn equity_file_name(index: usize) -> String {
    let variant = ["a", "b"][index % 2];
    format!("{}-equity-{variant}.csv", TOPICS[index / 2].stem)
}

/// The month (0-based) in which a chart's process changes; also its rebase point.
pub fn chart_shift(seed: u64, index: usize) -> i64 {
    8 + Rng::derive(seed, 2, index as u64).below(7) as i64
}

/// Process measures start low and rise; outcome measures follow the area's measure.
fn chart_rates(rng: &mut Rng, topic: usize, measure: usize) -> (f64, f64) {
    if measure == 0 {
        let m = &AREAS[TOPICS[topic].area].outcome;
        let jitter = 0.85 + 0.3 * rng.unit();
        (m.base * jitter, m.improved * jitter)
    } else {
        (40.0 + 25.0 * rng.unit(), 78.0 + 14.0 * rng.unit())
    }
}

/// `period,numerator,denominator`, 24 months, every count >= 8 (and denominator minus
/// numerator >= 8, so no complement is small either).
pub fn chart_csv(seed: u64, index: usize) -> String {
    let mut rng = Rng::derive(seed, 3, index as u64);
    let slot = index % PERIOD_STARTS.len();
    let measure = (index / PERIOD_STARTS.len()) % 2;
    let topic = index / PERIOD_STARTS.len() / 2;
    let (before, after) = chart_rates(&mut rng, topic, measure);
    let shift = chart_shift(seed, index);
    let start = period_of(slot).0;
    let size = (250 + rng.below(400)) as f64;
    let mut out = String::from("period,numerator,denominator\n");
    for month in 0..PERIOD_MONTHS {
        let rate = if month < shift { before } else { after } / 100.0;
        let denominator = (size * (0.9 + 0.2 * rng.unit())).round();
        let sd = (denominator * rate * (1.0 - rate)).sqrt();
        let numerator = (denominator * rate + sd * rng.normal()).round();
        let numerator = numerator.clamp(8.0, denominator - 8.0);
        let period = start.add_months_first(month).period();
        w!(out, "{period},{numerator},{denominator}\n");
    }
    out
}

/// `group,events,population`: the reference group and six to ten others, counts >= 8.
pub fn equity_csv(seed: u64, index: usize) -> String {
    let mut rng = Rng::derive(seed, 4, index as u64);
    let topic = index / 2;
    let base = AREAS[TOPICS[topic].area].outcome.base / 100.0;
    let mut groups: Vec<usize> = rng.some(ETHNIC_GROUPS.len() - 1, 6, 10);
    groups.iter_mut().for_each(|g| *g += 1);
    groups.push(REFERENCE_GROUP);
    groups.sort_unstable();
    let mut out = String::from("group,events,population\n");
    for g in groups {
        let population = if g == REFERENCE_GROUP {
            6000 + rng.below(9000)
        } else {
            600 + rng.below(3400)
        } as f64;
        let ratio = if g == REFERENCE_GROUP {
            1.0
        } else {
            0.8 + 1.4 * rng.unit()
        };
        let events = (population * base * ratio * (0.85 + 0.3 * rng.unit())).round();
        let events = events.clamp(8.0, population - 8.0);
        w!(out, "{},{events},{population}\n", ETHNIC_GROUPS[g].0);
    }
    out
}

/// Which data files the documents use; only those are written.
pub struct DataUse {
    pub charts: Vec<bool>,
    pub equity: Vec<bool>,
}

impl DataUse {
    pub fn new() -> DataUse {
        DataUse {
            charts: vec![false; TOPICS.len() * 2 * PERIOD_STARTS.len()],
            equity: vec![false; TOPICS.len() * 2],
        }
    }
}
