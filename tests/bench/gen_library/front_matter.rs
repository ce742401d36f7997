//! YAML front matter shared by all three document kinds: quoting, the common fields in
//! their preferred order, authors, tags and the summary.

use std::fmt::Write as _;

use super::areas::{AREAS, TOPICS};
use super::plan::{Doc, Kind, Status};
use super::rng::Rng;
use super::text::{fit, lower_first, upper_first};
use super::vocab::{ETHNIC_GROUPS, OUTCOMES, SITES};
use super::words::{FIRST_NAMES, PURPOSES, ROLES, SURNAMES, TAGS, VERBS};

/// A YAML double-quoted scalar (all generated text is ASCII).
pub fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

fn id_list<'a>(out: &mut String, key: &str, ids: impl Iterator<Item = &'a str>) {
    let ids: Vec<&str> = ids.collect();
    if !ids.is_empty() {
        w!(out, "{key}: [{}]\n", ids.join(", "));
    }
}

/// Fields common to interventions, evaluations and case studies, in the preferred order.
pub fn common_front_matter(out: &mut String, rng: &mut Rng, doc: &Doc, summary: &str) {
    w!(out, "title: {}\nsummary: {}\n", q(&doc.title), q(summary));
    id_list(out, "sites", doc.sites.iter().map(|&s| SITES[s].id));
    id_list(
        out,
        "priority_areas",
        doc.areas.iter().map(|&a| AREAS[a].id),
    );
    id_list(out, "outcomes", doc.outcomes.iter().map(|&o| OUTCOMES[o].0));
    id_list(
        out,
        "ethnic_groups",
        doc.groups.iter().map(|&g| ETHNIC_GROUPS[g].0),
    );
    let status = match doc.status {
        Status::Draft => "draft",
        Status::Published => "published",
        Status::Archived => "archived",
    };
    w!(out, "status: {status}\n");
    let d = &doc.dates;
    for (key, date) in [
        ("published", d.published),
        ("updated", d.updated),
        ("last_reviewed", d.last_reviewed),
        ("review_due", d.review_due),
    ] {
        if let Some(date) = date {
            w!(out, "{key}: {date}\n");
        }
    }
    w!(out, "version: {}\n", doc.version);
    if doc.version > 1 {
        w!(out, "change_note: {}\n", q(&change_note(rng, doc)));
    }
    write_authors(out, rng);
    let site = &SITES[doc.sites[0]];
    w!(
        out,
        "contact: {}\n",
        q(&format!("{}, {}", rng.pick(ROLES), site.short))
    );
    write_tags(out, rng, doc);
    if doc.live() && rng.chance(0.04) {
        w!(
            out,
            "aliases: [{}]\n",
            q(&format!("/library/2022/{}/", doc.slug))
        );
    }
    out.push_str("example: true\n");
}

fn change_note(rng: &mut Rng, doc: &Doc) -> String {
    if doc.status == Status::Archived {
        return "Archived: the work has ended and the learning is kept for reference.".into();
    }
    let what = rng.pick(&[
        "Added the results of the latest PDSA cycle",
        "Updated the data to the end of the period",
        "Added the equity analysis by ethnic group",
        "Rewrote the summary in plain language after feedback from the voices partnership",
        "Corrected the definition of the outcome measure",
        "Added contact details for the new project lead role",
    ]);
    format!("{what}.")
}

fn write_authors(out: &mut String, rng: &mut Rng) {
    let n = rng.below(4);
    if n == 0 {
        return;
    }
    out.push_str("authors:\n");
    for _ in 0..n {
        let name = format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(SURNAMES));
        w!(
            out,
            "  - name: {}\n    role: {}\n",
            q(&name),
            q(rng.pick(ROLES))
        );
    }
}

fn write_tags(out: &mut String, rng: &mut Rng, doc: &Doc) {
    let area = &AREAS[TOPICS[doc.topic].area];
    let mut tags: Vec<&str> = Vec::new();
    for _ in 0..rng.below(5) {
        let tag = if rng.chance(0.5) {
            rng.pick(area.tags)
        } else {
            rng.pick(TAGS)
        };
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if !tags.is_empty() {
        let quoted: Vec<String> = tags.iter().map(|t| q(t)).collect();
        w!(out, "tags: [{}]\n", quoted.join(", "));
    }
}

pub fn summary(rng: &mut Rng, doc: &Doc) -> String {
    let topic = &TOPICS[doc.topic];
    let area = &AREAS[topic.area];
    let site = SITES[doc.sites[0]].short;
    let name = lower_first(topic.name);
    let first = match doc.kind {
        Kind::Intervention => format!(
            "{} {} {name} to {}.",
            upper_first(site),
            rng.pick(VERBS),
            area.goal
        ),
        Kind::Evaluation => format!(
            "An evaluation of {name} at {site}, using {}.",
            rng.pick(&[
                "monthly SPC charts",
                "routine maternity data",
                "interviews with women and staff",
                "an equity analysis by ethnic group"
            ])
        ),
        Kind::CaseStudy => {
            format!("The story of how {site} worked with women and staff on {name}.")
        }
    };
    let second = match doc.groups.first() {
        Some(&g) => format!(
            " The work focused on {} women and families, who {}.",
            ETHNIC_GROUPS[g].2,
            rng.pick(&[
                "had the worst outcomes locally",
                "told us care did not meet their needs",
                "were under-represented in the service"
            ])
        ),
        None => format!(" It was designed {}.", rng.pick(PURPOSES)),
    };
    fit(first + &second, 300)
}
