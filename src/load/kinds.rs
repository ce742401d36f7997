//! Front matter of interventions and evaluations: the aim, driver diagram, measures and PDSA
//! cycles of an intervention; the period, design, charts and equity tables of an evaluation.
//!
//! In: the document's front-matter mapping. Out: the typed fields, and diagnostics for every
//! rule they break. Called by [`crate::load::fields`].

use crate::frontmatter;
use crate::frontmatter::Node;
use crate::load::schema::{Fields, Report};
use crate::model::*;

const STAGES: &[&str] = &[
    "planning",
    "testing",
    "implementing",
    "sustaining",
    "spreading",
    "stopped",
];
const DESIGNS: &[&str] = &[
    "spc-time-series",
    "pre-post",
    "interrupted-time-series",
    "mixed-methods",
    "qualitative",
    "controlled-before-after",
];
const SPREAD: &[&str] = &["yes", "with-adaptation", "no", "insufficient-evidence"];
const DIRECTIONS: &[&str] = &["increase", "decrease", "neutral"];

pub fn intervention(f: &mut Fields<'_>, report: &mut Report<'_>) -> InterventionFields {
    let mut out = InterventionFields {
        stage: f.choice("stage", STAGES, true, report).unwrap_or_default(),
        aim: f
            .string("aim", true, Some(1000), report)
            .unwrap_or_default(),
        qi_method: f.string("qi_method", false, Some(200), report),
        ..InterventionFields::default()
    };
    if let Some(node) = f.get("driver_diagram") {
        out.driver_diagram = read_driver_diagram(node, report);
    }
    for (i, node) in f.list("measures", report).iter().enumerate() {
        let Some(mut m) = Fields::of(node, &format!("measures[{i}]"), report) else {
            continue;
        };
        out.measures.push(Measure {
            name: m
                .string("name", true, Some(200), report)
                .unwrap_or_default(),
            kind: m
                .choice("kind", &["outcome", "process", "balancing"], true, report)
                .unwrap_or_default(),
            definition: m
                .string("definition", false, None, report)
                .unwrap_or_default(),
            unit: m
                .string("unit", false, Some(60), report)
                .unwrap_or_default(),
            direction: m
                .choice("direction", DIRECTIONS, false, report)
                .unwrap_or_default(),
        });
        m.finish(report);
    }
    for (i, node) in f.list("pdsa_cycles", report).iter().enumerate() {
        let Some(mut c) = Fields::of(node, &format!("pdsa_cycles[{i}]"), report) else {
            continue;
        };
        let (start, end) = (c.date("start", false, report), c.date("end", false, report));
        c.check_order(("start", start), ("end", end), report);
        out.pdsa_cycles.push(PdsaCycle {
            cycle: c.int("cycle", true, 1, report).unwrap_or(i as i64 + 1),
            title: c
                .string("title", true, Some(200), report)
                .unwrap_or_default(),
            start,
            end,
            plan: c.string("plan", false, None, report).unwrap_or_default(),
            do_: c.string("do", false, None, report).unwrap_or_default(),
            study: c.string("study", false, None, report).unwrap_or_default(),
            act: c
                .choice("act", &["adopt", "adapt", "abandon"], false, report)
                .unwrap_or_default(),
        });
        c.finish(report);
    }
    out
}

fn read_driver_diagram(node: &Node, report: &mut Report<'_>) -> Option<DriverDiagram> {
    let mut d = Fields::of(node, "driver_diagram", report)?;
    let aim = d.string("aim", true, None, report).unwrap_or_default();
    let mut primary = Vec::new();
    for (i, node) in d.list("primary", report).iter().enumerate() {
        let Some(mut p) = Fields::of(node, &format!("driver_diagram.primary[{i}]"), report) else {
            continue;
        };
        let driver = p.string("driver", true, None, report).unwrap_or_default();
        let mut secondary = Vec::new();
        for (j, node) in p.list("secondary", report).iter().enumerate() {
            let prefix = format!("driver_diagram.primary[{i}].secondary[{j}]");
            let Some(mut s) = Fields::of(node, &prefix, report) else {
                continue;
            };
            secondary.push(SecondaryDriver {
                driver: s.string("driver", true, None, report).unwrap_or_default(),
                change_ideas: s.strings("change_ideas", report),
            });
            s.finish(report);
        }
        p.finish(report);
        primary.push(PrimaryDriver { driver, secondary });
    }
    d.finish(report);
    Some(DriverDiagram { aim, primary })
}

pub fn evaluation(
    f: &mut Fields<'_>,
    config: &Config,
    report: &mut Report<'_>,
) -> EvaluationFields {
    let mut out = EvaluationFields {
        evaluates: f.ids("evaluates", None, 1, report),
        design: f
            .choice("design", DESIGNS, true, report)
            .unwrap_or_default(),
        spread_recommendation: f.choice("spread_recommendation", SPREAD, false, report),
        ..EvaluationFields::default()
    };
    match f.get("period") {
        Some(node) => {
            if let Some(mut p) = Fields::of(node, "period", report) {
                out.period_from = p.date("from", true, report);
                out.period_to = p.date("to", true, report);
                if let (Some(from), Some(to)) = (out.period_from, out.period_to) {
                    if from > to {
                        report.error(
                            node.pos,
                            "invalid-value",
                            format!("`period` ends ({to}) before it starts ({from})"),
                            "swap `from` and `to`".to_string(),
                        );
                    }
                }
                p.finish(report);
            }
        }
        None => report.error(
            f.pos,
            "missing-field",
            "missing required field `period`".to_string(),
            "add `period: {from: 2024-01-01, to: 2024-12-31}`".to_string(),
        ),
    }
    for (i, node) in f.list("charts", report).iter().enumerate() {
        let Some(mut c) = Fields::of(node, &format!("charts[{i}]"), report) else {
            continue;
        };
        let title = c
            .string("title", true, Some(200), report)
            .unwrap_or_default();
        let data = data_ref(&mut c, report);
        let direction = c
            .choice("direction", DIRECTIONS, true, report)
            .unwrap_or_default();
        let target = c.number("target", false, false, report);
        let unit = c.string("unit", false, Some(60), report);
        let per = c.number("per", false, true, report);
        let rebase_name = c.name("rebase");
        let rebase = c
            .ids("rebase", None, 0, report)
            .iter()
            .filter_map(|r| {
                let node = Node {
                    pos: r.pos,
                    value: frontmatter::Value::Str(r.id.clone()),
                };
                crate::load::schema::read_date(&rebase_name, &node, report).map(|d| (d, r.pos))
            })
            .collect();
        let screen_outliers = c.boolean("screen_outliers", report).unwrap_or(true);
        c.finish(report);
        out.charts.push(Chart {
            title,
            data,
            direction,
            target,
            unit,
            per,
            rebase,
            screen_outliers,
        });
    }
    for (i, node) in f.list("equity", report).iter().enumerate() {
        let Some(mut e) = Fields::of(node, &format!("equity[{i}]"), report) else {
            continue;
        };
        let title = e
            .string("title", true, Some(200), report)
            .unwrap_or_default();
        let data = data_ref(&mut e, report);
        let reference_group = e.one_id(
            "reference_group",
            ("ethnic groups", &config.ethnic_groups),
            report,
        );
        let per = e.number("per", true, true, report).unwrap_or(1000.0);
        e.finish(report);
        out.equity.push(Equity {
            title,
            data,
            reference_group,
            per,
        });
    }
    out
}

fn data_ref(f: &mut Fields<'_>, report: &mut Report<'_>) -> Ref {
    let pos = f.get("data").map_or(f.pos, |n| n.pos);
    let id = f.string("data", true, None, report).unwrap_or_default();
    Ref { id, pos }
}
