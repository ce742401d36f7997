//! `Prose`, the Markdown writer for one document's body: headings, paragraphs, lists,
//! tables and code blocks, with a running word count. The sentences are in
//! `sentences.rs`.

use std::fmt::Write as _;

use super::areas::{AREAS, Area, TOPICS, Topic};
use super::data::{chart_file_index, chart_file_name};
use super::document::Ctx;
use super::plan::{PERIOD_MONTHS, period_of};
use super::rng::Rng;
use super::text::upper_first;
use super::vocab::{ETHNIC_GROUPS, REFERENCE_GROUP, SITES, Site};
use super::words::{ACTORS, GENERAL_OBJECTS};

/// Writes Markdown prose for one document and counts its words.
pub struct Prose<'a> {
    pub rng: Rng,
    pub out: String,
    pub words: usize,
    pub topic: &'static Topic,
    pub area: &'static Area,
    pub site: &'static Site,
    pub groups: Vec<&'static str>,
    /// Link sentences still to be placed in a paragraph.
    pub links: Vec<String>,
    pub ctx: &'a Ctx<'a>,
}

#[derive(Clone, Copy)]
pub enum Flavor {
    General,
    Results,
    Equity,
    Learning,
}

impl<'a> Prose<'a> {
    pub fn new(rng: Rng, ctx: &'a Ctx<'a>) -> Prose<'a> {
        let topic = &TOPICS[ctx.doc.topic];
        let groups = if ctx.doc.groups.is_empty() {
            vec![ETHNIC_GROUPS[12].2, ETHNIC_GROUPS[8].2]
        } else {
            ctx.doc.groups.iter().map(|&g| ETHNIC_GROUPS[g].2).collect()
        };
        Prose {
            rng,
            out: String::with_capacity(16 * 1024),
            words: 0,
            topic,
            area: &AREAS[topic.area],
            site: &SITES[ctx.doc.sites[0]],
            groups,
            links: Vec::new(),
            ctx,
        }
    }

    pub fn push(&mut self, text: &str) {
        self.words += text.split_ascii_whitespace().count();
        self.out.push_str(text);
    }

    pub fn heading(&mut self, level: usize, text: &str) {
        let line = format!("{} {text}\n\n", "#".repeat(level));
        self.push(&line);
    }

    pub fn object(&mut self) -> String {
        let object = if self.rng.chance(0.7) {
            self.rng.pick(self.area.objects)
        } else {
            self.rng.pick(GENERAL_OBJECTS)
        };
        match self.rng.below(20) {
            0 | 1 => format!("*{object}*"),
            2 => format!("**{object}**"),
            _ => object.to_string(),
        }
    }

    pub fn group(&mut self) -> &'static str {
        self.rng.pick(&self.groups)
    }

    /// Two actors that are not the same team.
    pub fn two_actors(&mut self) -> (&'static str, &'static str) {
        let pair = self.rng.distinct(ACTORS.len(), 2);
        (ACTORS[pair[0]], ACTORS[pair[1]])
    }

    pub fn percent_pair(&mut self) -> (f64, f64) {
        let a = 30.0 + 40.0 * self.rng.unit();
        (a, (a + 10.0 + 25.0 * self.rng.unit()).min(98.0))
    }

    /// A month inside the document's period of work, as "March 2024".
    pub fn month(&mut self) -> String {
        let (from, _) = period_of(self.ctx.doc.slot);
        from.add_months_first(self.rng.range(0, PERIOD_MONTHS - 1))
            .month_year()
    }

    /// One paragraph of `n` sentences, placing one pending link if there is one.
    pub fn para(&mut self, flavor: Flavor, n: usize) {
        let mut text = String::with_capacity(n * 110);
        for i in 0..n {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(&self.sentence(flavor));
        }
        if let Some(link) = self.links.pop() {
            text.push(' ');
            text.push_str(&link);
        }
        text.push_str("\n\n");
        self.push(&text);
    }

    /// Paragraphs until `budget` more words have been written (at least one).
    pub fn paras(&mut self, flavor: Flavor, budget: usize) {
        let goal = self.words + budget;
        loop {
            let n = 3 + self.rng.below(4);
            self.para(flavor, n);
            if self.words >= goal {
                break;
            }
        }
    }

    pub fn list(&mut self, numbered: bool, items: &[String]) {
        let mut text = String::new();
        for (i, item) in items.iter().enumerate() {
            if numbered {
                w!(text, "{}. {item}\n", i + 1);
            } else {
                w!(text, "- {item}\n");
            }
        }
        text.push('\n');
        self.push(&text);
    }

    /// Leftover links go into one last paragraph.
    pub fn flush_links(&mut self) {
        if !self.links.is_empty() {
            let text = self.links.join(" ") + "\n\n";
            self.links.clear();
            self.push(&text);
        }
    }

    pub fn results_table(&mut self) {
        let (from, _) = period_of(self.ctx.doc.slot);
        let m = &self.area.outcome;
        let mut text =
            String::from("| Period | Births | Events | Rate per 100 |\n|---|---:|---:|---:|\n");
        for (i, label) in ["Baseline", "Testing", "Sustaining"].iter().enumerate() {
            let births = self.rng.range(2400, 7200);
            let rate = if i == 0 {
                m.base
            } else {
                m.improved + (m.base - m.improved) / (i as f64 * 2.0)
            };
            let events = ((births as f64 * rate / 100.0).round() as i64).max(8);
            let start = from.add_months_first(8 * i as i64).month_year();
            let end = from.add_months_first(8 * i as i64 + 7).month_year();
            w!(
                text,
                "| {label} ({start} to {end}) | {births} | {events} | {:.2} |\n",
                events as f64 * 100.0 / births as f64
            );
        }
        text.push('\n');
        self.push(&text);
    }

    pub fn group_table(&mut self) {
        let mut text =
            String::from("| Ethnic group | Women | Offered | Percentage |\n|---|---:|---:|---:|\n");
        let mut groups: Vec<&str> = vec![ETHNIC_GROUPS[REFERENCE_GROUP].2];
        groups.extend(self.groups.iter().copied());
        for g in groups {
            let women = self.rng.range(120, 1800);
            let offered = ((women as f64 * (0.55 + 0.4 * self.rng.unit())).round() as i64).max(8);
            w!(
                text,
                "| {} | {women} | {offered} | {:.0}% |\n",
                upper_first(g),
                offered as f64 * 100.0 / women as f64
            );
        }
        text.push('\n');
        self.push(&text);
    }

    pub fn code_block(&mut self) {
        let file = chart_file_name(chart_file_index(self.ctx.doc.topic, 0, self.ctx.doc.slot));
        let text = if self.rng.chance(0.5) {
            format!(
                "```r\nlibrary(NHSRplotthedots)\nrates <- read.csv(\"{file}\")\nrates$rate <- 100 * rates$numerator / rates$denominator\nptd_spc(rates, value_field = \"rate\", date_field = \"period\", improvement_direction = \"{}\")\n```\n\n",
                self.area.outcome.direction
            )
        } else {
            "```sql\nSELECT period,\n       COUNT(*) AS births,\n       SUM(CASE WHEN outcome_flag = 1 THEN 1 ELSE 0 END) AS events\nFROM maternity_births\nWHERE ethnic_group IS NOT NULL\nGROUP BY period\nORDER BY period;\n```\n\n".to_string()
        };
        self.push(&text);
    }
}
