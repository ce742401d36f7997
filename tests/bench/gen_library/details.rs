//! Type-specific details that the front matter and the body share: an intervention's aim,
//! driver diagram, measures and PDSA cycles; an evaluation's period, charts and equity
//! tables; a case study's related documents.

use std::fmt::Write as _;

use super::areas::{AREAS, Area, TOPICS};
use super::data::{DataUse, chart_file_index, chart_file_name, chart_shift, equity_file_name};
use super::date::Date;
use super::document::Ctx;
use super::front_matter::q;
use super::plan::{Doc, PERIOD_STARTS, period_of};
use super::rng::Rng;
use super::text::{lower_first, upper_first};
use super::vocab::{ETHNIC_GROUPS, REFERENCE_GROUP, SITES};
use super::words::{ACTORS, DESIGNS, QI_METHODS, SETTINGS, SPREAD, STAFF_FEEDBACK};

pub struct Cycle {
    pub title: String,
    pub start: Date,
    pub end: Date,
    pub act: &'static str,
}

pub struct InterventionDetails {
    pub stage: &'static str,
    pub aim: String,
    pub qi_method: Option<&'static str>,
    pub change_ideas: Vec<&'static str>,
    pub cycles: Vec<Cycle>,
}

pub fn intervention_details(rng: &mut Rng, doc: &Doc) -> InterventionDetails {
    let topic = &TOPICS[doc.topic];
    let area = &AREAS[topic.area];
    let stage = rng.pick(&[
        "planning",
        "testing",
        "testing",
        "implementing",
        "implementing",
        "sustaining",
        "spreading",
        "stopped",
    ]);
    let by = doc
        .dates
        .published
        .unwrap_or(Date::ymd(2025, 6, 1))
        .add_months_first(12 + rng.range(0, 12));
    let (from, to) = (area.outcome.base, area.outcome.improved);
    let aim = format!(
        "By {}, reduce {} from {from:.1} to {to:.1} {} at {}, and halve the gap between ethnic groups.",
        by.month_year(),
        lower_first(area.outcome.name),
        area.outcome.per_label,
        SITES[doc.sites[0]].short
    );
    let ideas: Vec<&str> = rng
        .some(area.change_ideas.len(), 3, 5)
        .into_iter()
        .map(|i| area.change_ideas[i])
        .collect();
    let cycles = if stage == "planning" {
        Vec::new()
    } else {
        pdsa_cycles(rng, doc, &ideas)
    };
    InterventionDetails {
        stage,
        aim,
        qi_method: rng.chance(0.8).then(|| rng.pick(QI_METHODS)),
        change_ideas: ideas,
        cycles,
    }
}

fn pdsa_cycles(rng: &mut Rng, doc: &Doc, ideas: &[&str]) -> Vec<Cycle> {
    let n = 1 + rng.below(5);
    let end_by = doc
        .dates
        .published
        .unwrap_or(Date::ymd(2025, 6, 1))
        .add_days(-14);
    let mut start = end_by.add_days(-(n as i64) * 63 - rng.range(0, 60));
    (0..n)
        .map(|i| {
            let end = start.add_days(rng.range(21, 56));
            let act = match rng.below(10) {
                0 => "abandon",
                1..=4 => "adapt",
                _ => "adopt",
            };
            let cycle = Cycle {
                title: format!("{} {}", ideas[i % ideas.len()], rng.pick(SETTINGS)),
                start,
                end,
                act,
            };
            start = end.add_days(rng.range(1, 7));
            cycle
        })
        .collect()
}

pub fn intervention_front_matter(
    out: &mut String,
    rng: &mut Rng,
    doc: &Doc,
    d: &InterventionDetails,
) {
    let area = &AREAS[TOPICS[doc.topic].area];
    w!(out, "stage: {}\naim: {}\n", d.stage, q(&d.aim));
    if let Some(method) = d.qi_method {
        w!(out, "qi_method: {}\n", q(method));
    }
    if rng.chance(0.75) {
        write_driver_diagram(out, rng, area, d);
    }
    if rng.chance(0.8) {
        write_measures(out, doc, area);
    }
    if !d.cycles.is_empty() {
        out.push_str("pdsa_cycles:\n");
        for (i, c) in d.cycles.iter().enumerate() {
            w!(out, "  - cycle: {}\n    title: {}\n", i + 1, q(&c.title));
            w!(out, "    start: {}\n    end: {}\n", c.start, c.end);
            w!(
                out,
                "    plan: {}\n",
                q(&format!(
                    "Test the change with one team for {} weeks and count every eligible woman.",
                    (c.end.0 - c.start.0) / 7
                ))
            );
            w!(
                out,
                "    do: {}\n",
                q(&format!(
                    "{} ran the test {}.",
                    upper_first(rng.pick(ACTORS)),
                    rng.pick(SETTINGS)
                ))
            );
            w!(
                out,
                "    study: {}\n",
                q(&format!("Staff said that {}.", rng.pick(STAFF_FEEDBACK)))
            );
            w!(out, "    act: {}\n", c.act);
        }
    }
}

fn write_driver_diagram(out: &mut String, rng: &mut Rng, area: &Area, d: &InterventionDetails) {
    w!(out, "driver_diagram:\n  aim: {}\n  primary:\n", q(&d.aim));
    for p in rng.some(area.drivers.len(), 2, 3) {
        w!(
            out,
            "    - driver: {}\n      secondary:\n",
            q(area.drivers[p])
        );
        for _ in 0..1 + rng.below(2) {
            w!(
                out,
                "        - driver: {}\n          change_ideas:\n",
                q(&upper_first(rng.pick(area.objects)))
            );
            for i in rng.some(d.change_ideas.len(), 1, 3) {
                w!(out, "            - {}\n", q(d.change_ideas[i]));
            }
        }
    }
}

fn write_measures(out: &mut String, doc: &Doc, area: &Area) {
    let topic = &TOPICS[doc.topic];
    let process = format!("Women who {}", topic.process);
    let process_def = format!(
        "Eligible women who {}, as a percentage of all eligible women",
        topic.process
    );
    let (b_name, b_def, b_unit) = area.balancing;
    let rows = [
        (
            area.outcome.name,
            "outcome",
            area.outcome.definition,
            area.outcome.per_label,
            area.outcome.direction,
        ),
        (
            process.as_str(),
            "process",
            process_def.as_str(),
            "%",
            "increase",
        ),
        (b_name, "balancing", b_def, b_unit, "neutral"),
    ];
    out.push_str("measures:\n");
    for (name, kind, definition, unit, direction) in rows {
        w!(
            out,
            "  - name: {}\n    kind: {kind}\n    definition: {}\n",
            q(name),
            q(definition)
        );
        w!(out, "    unit: {}\n    direction: {direction}\n", q(unit));
    }
}

/// An evaluation's charts: (file index, measure) pairs.
pub fn evaluation_charts(rng: &mut Rng, doc: &Doc, docs: &[Doc]) -> Vec<(usize, usize)> {
    let mut charts = vec![(chart_file_index(doc.topic, 0, doc.slot), 0)];
    if rng.chance(0.6) {
        charts.push((chart_file_index(doc.topic, 1, doc.slot), 1));
    }
    if let Some(&other) = doc.interventions.get(1) {
        let topic = docs[other].topic;
        if topic != doc.topic {
            charts.push((chart_file_index(topic, 1, doc.slot), 1));
        }
    }
    charts
}

fn chart_title(index: usize) -> String {
    let measure = (index / PERIOD_STARTS.len()) % 2;
    let topic = &TOPICS[index / PERIOD_STARTS.len() / 2];
    if measure == 0 {
        AREAS[topic.area].outcome.name.to_string()
    } else {
        format!("Women who {}", topic.process)
    }
}

pub fn evaluation_front_matter(out: &mut String, rng: &mut Rng, ctx: &Ctx, use_: &mut DataUse) {
    let doc = ctx.doc;
    let ids: Vec<&str> = doc
        .interventions
        .iter()
        .map(|&i| ctx.docs[i].slug.as_str())
        .collect();
    w!(out, "evaluates: [{}]\n", ids.join(", "));
    let (from, to) = period_of(doc.slot);
    w!(
        out,
        "period:\n  from: {from}\n  to: {to}\ndesign: {}\n",
        DESIGNS[ctx.design].0
    );
    if rng.chance(0.85) {
        w!(out, "spread_recommendation: {}\n", q(rng.pick(&SPREAD)));
    }
    out.push_str("charts:\n");
    for &(file, measure) in &ctx.charts {
        use_.charts[file] = true;
        write_chart(out, rng, ctx, file, measure);
    }
    if !rng.chance(0.5) {
        return;
    }
    let file = doc.topic * 2 + rng.below(2);
    use_.equity[file] = true;
    let name = AREAS[TOPICS[doc.topic].area].outcome.name;
    w!(
        out,
        "equity:\n  - title: {}\n    data: {}\n",
        q(&format!("{name} by ethnic group")),
        equity_file_name(file)
    );
    w!(
        out,
        "    reference_group: {}\n    per: 1000\n",
        ETHNIC_GROUPS[REFERENCE_GROUP].0
    );
}

fn write_chart(out: &mut String, rng: &mut Rng, ctx: &Ctx, file: usize, measure: usize) {
    let area = &AREAS[TOPICS[file / PERIOD_STARTS.len() / 2].area];
    let direction = if measure == 0 {
        area.outcome.direction
    } else {
        "increase"
    };
    w!(
        out,
        "  - title: {}\n    data: {}\n    direction: {direction}\n",
        q(&chart_title(file)),
        chart_file_name(file)
    );
    if rng.chance(0.3) {
        let target = if measure == 0 {
            area.outcome.improved
        } else {
            85.0
        };
        w!(out, "    target: {target:.1}\n");
    }
    if rng.chance(0.5) {
        out.push_str("    unit: \"%\"\n");
    }
    if rng.chance(0.3) {
        out.push_str("    per: 100\n");
    }
    if rng.chance(0.15) {
        let rebase = period_of(ctx.doc.slot)
            .0
            .add_months_first(chart_shift(ctx.seed, file));
        w!(out, "    rebase: [{rebase}]\n");
    }
    if rng.chance(0.1) {
        w!(out, "    screen_outliers: {}\n", rng.chance(0.5));
    }
}

pub fn case_study_front_matter(out: &mut String, doc: &Doc, docs: &[Doc]) {
    let slugs = |ids: &[usize]| {
        ids.iter()
            .map(|&i| docs[i].slug.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !doc.interventions.is_empty() {
        w!(out, "interventions: [{}]\n", slugs(&doc.interventions));
    }
    if !doc.evaluations.is_empty() {
        w!(out, "evaluations: [{}]\n", slugs(&doc.evaluations));
    }
}
