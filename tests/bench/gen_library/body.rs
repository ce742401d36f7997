//! The bodies of the three document kinds: their sections in order and how the word
//! budget is shared between them. Every body has a `## Background` heading.

use super::details::InterventionDetails;
use super::plan::period_of;
use super::prose::{Flavor, Prose};
use super::text::{lower_first, upper_first};
use super::words::{DESIGNS, LESSONS, ROLES};

fn intro(p: &mut Prose, budget: usize) {
    let para = 2 + p.rng.below(3);
    p.para(Flavor::General, para);
    if budget > 900 {
        p.para(Flavor::General, 3);
    }
}

pub fn intervention_body(p: &mut Prose, d: &InterventionDetails, words: usize) {
    let share = |w: usize| words * w / 20;
    intro(p, words);
    p.heading(2, "Background");
    p.paras(Flavor::General, share(4));
    if p.rng.chance(0.5) {
        p.heading(3, "Why this matters for equity");
        p.paras(Flavor::Equity, share(2));
    }
    p.heading(2, "What we changed");
    let ideas: Vec<String> = d.change_ideas.iter().map(|s| s.to_string()).collect();
    p.list(false, &ideas);
    p.paras(Flavor::General, share(2));
    if !d.cycles.is_empty() {
        p.heading(2, "How we tested it");
        let titles: Vec<String> = d
            .cycles
            .iter()
            .map(|c| {
                format!(
                    "{} ({} to {})",
                    c.title,
                    c.start.month_year(),
                    c.end.month_year()
                )
            })
            .collect();
        p.list(true, &titles);
        for (i, c) in d.cycles.iter().enumerate().take(3) {
            p.heading(3, &format!("Cycle {}: {}", i + 1, c.title));
            p.paras(Flavor::General, share(1));
        }
    }
    p.heading(2, "Results");
    p.paras(Flavor::Results, share(3));
    if p.rng.chance(0.35) {
        p.results_table();
    }
    if p.rng.chance(0.1) {
        p.code_block();
    }
    p.heading(2, "Equity");
    p.paras(Flavor::Equity, share(2));
    p.heading(2, "What we learned");
    p.paras(Flavor::Learning, share(2));
    p.heading(2, "Next steps");
    p.paras(Flavor::General, share(1));
    p.flush_links();
}

pub fn evaluation_body(p: &mut Prose, words: usize) {
    let share = |w: usize| words * w / 20;
    let (from, to) = period_of(p.ctx.doc.slot);
    intro(p, words);
    p.heading(2, "Background");
    p.paras(Flavor::General, share(3));
    p.heading(2, "Methods");
    let design = DESIGNS[p.ctx.design].1;
    let text = format!(
        "We used {design}, with monthly data from {} to {}.\n\n",
        from.month_year(),
        to.month_year()
    );
    p.push(&text);
    let sources: Vec<String> = [
        "Maternity Services Data Set extracts",
        "the local maternity information system",
        "interviews with women and staff",
        "monthly case note audit",
    ]
    .iter()
    .map(|s| upper_first(s))
    .collect();
    p.list(false, &sources);
    if p.rng.chance(0.12) {
        p.code_block();
    }
    p.paras(Flavor::General, share(2));
    p.heading(2, "Results");
    p.paras(Flavor::Results, share(4));
    if p.rng.chance(0.5) {
        p.results_table();
    }
    if p.rng.chance(0.6) {
        p.heading(2, "Equity analysis");
        p.paras(Flavor::Equity, share(3));
        if p.rng.chance(0.4) {
            p.group_table();
        }
    }
    p.heading(2, "Discussion");
    p.paras(Flavor::General, share(3));
    p.heading(2, "Limitations");
    let limits: Vec<String> = [
        "Small monthly numbers make single months hard to read.",
        "Ethnicity was not recorded for every woman.",
        "Other changes happened at the same time.",
        "We could not follow women after they moved away.",
    ]
    .iter()
    .take(2 + p.rng.below(3))
    .map(|s| s.to_string())
    .collect();
    p.list(false, &limits);
    p.heading(2, "Recommendation");
    p.paras(Flavor::Learning, share(2));
    p.flush_links();
}

pub fn case_study_body(p: &mut Prose, words: usize) {
    let share = |w: usize| words * w / 20;
    intro(p, words);
    p.heading(2, "Background");
    p.paras(Flavor::General, share(4));
    p.heading(2, "What we did");
    let steps: Vec<String> = (0..3 + p.rng.below(3))
        .map(|_| {
            let s = p.action_sentence();
            s.trim_end_matches('.').to_string()
        })
        .collect();
    p.list(true, &steps);
    p.paras(Flavor::General, share(4));
    if p.rng.chance(0.4) {
        p.heading(3, "Working with local communities");
        p.paras(Flavor::Equity, share(2));
    }
    p.heading(2, "Impact");
    p.paras(Flavor::Results, share(3));
    if p.rng.chance(0.3) {
        p.group_table();
    }
    if p.rng.chance(0.08) {
        p.code_block();
    }
    p.heading(2, "Key learning");
    let lessons: Vec<String> = p
        .rng
        .distinct(LESSONS.len(), 3)
        .into_iter()
        .map(|i| LESSONS[i].to_string())
        .collect();
    p.list(false, &lessons);
    p.paras(Flavor::Learning, share(2));
    p.heading(2, "Contact");
    let about = if p.rng.chance(0.2) {
        " More about the network is on the [about page](../pages/about.md)."
    } else {
        ""
    };
    let text = format!(
        "Contact the {} at {} through the network office.{about}\n\n",
        lower_first(p.rng.pick(ROLES)),
        p.site.short
    );
    p.push(&text);
    p.flush_links();
}
