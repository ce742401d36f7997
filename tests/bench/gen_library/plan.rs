//! The plan: every document's identity and relations (kind, slug, title, topic, sites,
//! status, dates, related documents), decided before any text is written.

use super::areas::{AREAS, TOPICS};
use super::date::Date;
use super::rng::Rng;
use super::text::{fit, lower_first};
use super::vocab::{ETHNIC_GROUPS, FOCUS_GROUPS, SITES, Site};
use super::words::SETTINGS;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Intervention,
    Evaluation,
    CaseStudy,
}

impl Kind {
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Intervention => "interventions",
            Kind::Evaluation => "evaluations",
            Kind::CaseStudy => "case-studies",
        }
    }

    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Intervention => "intervention",
            Kind::Evaluation => "evaluation",
            Kind::CaseStudy => "case-study",
        }
    }

    /// `##` headings every body of this kind has exactly once (safe link anchors).
    pub fn fixed_headings(self) -> &'static [&'static str] {
        match self {
            Kind::Intervention => &["Background", "Results", "Next steps"],
            Kind::Evaluation => &["Background", "Methods", "Results", "Recommendation"],
            Kind::CaseStudy => &[
                "Background",
                "What we did",
                "Impact",
                "Key learning",
                "Contact",
            ],
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Draft,
    Published,
    Archived,
}

/// Publication dates; all `None` for drafts.
#[derive(Clone, Copy, Default)]
pub struct Dates {
    pub published: Option<Date>,
    pub updated: Option<Date>,
    pub last_reviewed: Option<Date>,
    pub review_due: Option<Date>,
}

pub struct Doc {
    pub kind: Kind,
    pub slug: String,
    pub title: String,
    pub topic: usize,
    pub sites: Vec<usize>,
    pub areas: Vec<usize>,
    pub outcomes: Vec<usize>,
    pub groups: Vec<usize>,
    pub status: Status,
    pub dates: Dates,
    pub version: u32,
    /// Evaluation: interventions evaluated. Case study: interventions described.
    pub interventions: Vec<usize>,
    /// Case study: evaluations named.
    pub evaluations: Vec<usize>,
    /// Evaluation: index into `PERIOD_STARTS`.
    pub slot: usize,
}

impl Doc {
    pub fn live(&self) -> bool {
        self.status != Status::Draft
    }

    pub fn path(&self) -> String {
        format!("../{}/{}.md", self.kind.folder(), self.slug)
    }
}

/// First months of evaluation periods (24 months each) and of their chart CSVs.
pub const PERIOD_STARTS: [(i64, u32); 4] = [(2020, 10), (2021, 4), (2021, 10), (2022, 4)];
pub const PERIOD_MONTHS: i64 = 24;

pub fn period_of(slot: usize) -> (Date, Date) {
    let (y, m) = PERIOD_STARTS[slot];
    let from = Date::ymd(y, m, 1);
    (from, from.add_months_first(PERIOD_MONTHS).add_days(-1))
}

fn earliest_published() -> Date {
    Date::ymd(2023, 1, 1)
}

fn latest_published() -> Date {
    Date::ymd(2025, 12, 31)
}

pub fn plan(n: usize, seed: u64) -> Vec<Doc> {
    let n_int = if n == 0 {
        0
    } else {
        (n * 2).div_ceil(5).max(1)
    };
    let n_eval = (n * 3 / 10).min(n - n_int);
    let n_case = n - n_int - n_eval;
    let mut rng = Rng::derive(seed, 1, 0);
    let mut docs: Vec<Doc> = (0..n_int).map(|i| plan_intervention(&mut rng, i)).collect();
    let live_ints: Vec<usize> = (0..n_int).filter(|&i| docs[i].live()).collect();
    for i in 0..n_eval {
        let doc = plan_evaluation(&mut rng, i, &docs, &live_ints);
        docs.push(doc);
    }
    let evals_of = evaluations_by_intervention(&docs);
    for i in 0..n_case {
        let doc = plan_case_study(&mut rng, i, &docs, &live_ints, &evals_of);
        docs.push(doc);
    }
    docs
}

fn pick_status(rng: &mut Rng, first: bool) -> Status {
    let r = rng.unit();
    if first || r >= 0.05 {
        Status::Published
    } else if r < 0.02 {
        Status::Draft
    } else {
        Status::Archived
    }
}

fn pick_version(rng: &mut Rng) -> u32 {
    match rng.below(100) {
        0..=54 => 1,
        55..=79 => 2,
        80..=91 => 3,
        _ => 4,
    }
}

/// Dates consistent with each other: published <= updated <= last_reviewed < review_due.
fn pick_dates(rng: &mut Rng, status: Status, version: u32, earliest: Date) -> Dates {
    if status == Status::Draft {
        return Dates::default();
    }
    let published = Date::between(rng, earliest.max(earliest_published()), latest_published());
    let updated = (version > 1).then(|| {
        let lo = published.add_days(14);
        Date::between(rng, lo, Date::ymd(2026, 6, 30).max(lo))
    });
    let since = updated.unwrap_or(published).max(Date::ymd(2025, 6, 1));
    let last_reviewed = Date::between(rng, since, Date::ymd(2026, 10, 31).max(since));
    Dates {
        published: Some(published),
        updated,
        last_reviewed: Some(last_reviewed),
        review_due: Some(last_reviewed.add_months(24)),
    }
}

fn pick_groups(rng: &mut Rng) -> Vec<usize> {
    if !rng.chance(0.7) {
        return Vec::new();
    }
    let k = 1 + rng.below(3);
    let mut picked: Vec<usize> = rng
        .distinct(FOCUS_GROUPS.len(), k)
        .into_iter()
        .map(|i| FOCUS_GROUPS[i])
        .collect();
    picked.sort_unstable();
    picked
}

fn pick_areas(rng: &mut Rng, topic: usize) -> Vec<usize> {
    let main = TOPICS[topic].area;
    let mut areas = vec![main];
    if rng.chance(0.2) {
        let other = (main + 1 + rng.below(AREAS.len() - 1)) % AREAS.len();
        areas.push(other);
    }
    areas
}

fn pick_outcomes(rng: &mut Rng, topic: usize) -> Vec<usize> {
    if rng.chance(0.2) {
        return Vec::new();
    }
    let all = TOPICS[topic].outcomes;
    let k = 1 + rng.below(all.len());
    all[..k].to_vec()
}

/// A slug like `intervention-00042-pph-bundle`.
pub fn slug(kind: Kind, index: usize, topic: usize) -> String {
    format!("{}-{:05}-{}", kind.prefix(), index + 1, TOPICS[topic].stem)
}

/// Fields shared by all three kinds, chosen once the topic and sites are known.
fn base_doc(rng: &mut Rng, kind: Kind, index: usize, topic: usize, sites: Vec<usize>) -> Doc {
    let status = pick_status(rng, index == 0);
    let version = pick_version(rng);
    let groups = pick_groups(rng);
    let title = make_title(rng, kind, topic, &SITES[sites[0]], &groups);
    Doc {
        kind,
        slug: slug(kind, index, topic),
        title,
        topic,
        areas: pick_areas(rng, topic),
        outcomes: pick_outcomes(rng, topic),
        groups,
        sites,
        status,
        dates: Dates::default(),
        version,
        interventions: Vec::new(),
        evaluations: Vec::new(),
        slot: 0,
    }
}

fn plan_intervention(rng: &mut Rng, index: usize) -> Doc {
    let topic = rng.below(TOPICS.len());
    let mut sites = rng.some(SITES.len(), 1, 3);
    sites.sort_unstable();
    let mut doc = base_doc(rng, Kind::Intervention, index, topic, sites);
    doc.dates = pick_dates(rng, doc.status, doc.version, earliest_published());
    doc
}

fn plan_evaluation(rng: &mut Rng, index: usize, docs: &[Doc], live_ints: &[usize]) -> Doc {
    let first = rng.pick(live_ints);
    let mut evaluates = vec![first];
    if rng.chance(0.25) {
        let area = TOPICS[docs[first].topic].area;
        let same: Vec<usize> = live_ints
            .iter()
            .copied()
            .filter(|&i| i != first && TOPICS[docs[i].topic].area == area)
            .take(64)
            .collect();
        if !same.is_empty() {
            evaluates.push(rng.pick(&same));
        }
    }
    let topic = docs[first].topic;
    let sites = vec![rng.pick(&docs[first].sites)];
    let mut doc = base_doc(rng, Kind::Evaluation, index, topic, sites);
    doc.slot = rng.below(PERIOD_STARTS.len());
    let after_period = period_of(doc.slot).1.add_days(45);
    doc.dates = pick_dates(rng, doc.status, doc.version, after_period);
    doc.interventions = evaluates;
    doc
}

pub fn evaluations_by_intervention(docs: &[Doc]) -> Vec<Vec<usize>> {
    let mut by = vec![Vec::new(); docs.len()];
    for (i, doc) in docs.iter().enumerate() {
        if doc.kind == Kind::Evaluation && doc.live() {
            for &target in &doc.interventions {
                by[target].push(i);
            }
        }
    }
    by
}

fn plan_case_study(
    rng: &mut Rng,
    index: usize,
    docs: &[Doc],
    live_ints: &[usize],
    evals_of: &[Vec<usize>],
) -> Doc {
    let related = (!live_ints.is_empty() && rng.chance(0.9)).then(|| rng.pick(live_ints));
    let (topic, site) = match related {
        Some(i) => (docs[i].topic, rng.pick(&docs[i].sites)),
        None => (rng.below(TOPICS.len()), rng.below(SITES.len())),
    };
    let mut doc = base_doc(rng, Kind::CaseStudy, index, topic, vec![site]);
    doc.dates = pick_dates(rng, doc.status, doc.version, earliest_published());
    if let Some(i) = related {
        doc.interventions.push(i);
        let evals = &evals_of[i];
        for &e in evals.iter().take(1 + rng.below(2)) {
            doc.evaluations.push(e);
        }
    }
    doc
}

fn make_title(rng: &mut Rng, kind: Kind, topic: usize, site: &Site, groups: &[usize]) -> String {
    let t = &TOPICS[topic];
    let name = t.name;
    let title = match kind {
        Kind::Intervention => match rng.below(4) {
            0 => format!("{name} at {}", site.short),
            1 => format!("{name} {}", rng.pick(SETTINGS)),
            2 if !groups.is_empty() => {
                format!("{name}: working with {} women", ETHNIC_GROUPS[groups[0]].2)
            }
            _ => name.to_string(),
        },
        Kind::Evaluation => match rng.below(3) {
            0 => format!("Evaluation of {} at {}", lower_first(name), site.short),
            1 => format!("{name}: what the data show"),
            _ => format!(
                "{name}: {} evaluation",
                rng.pick(&["SPC", "equity", "one-year", "two-year"])
            ),
        },
        Kind::CaseStudy => {
            let verb = rng.pick(&["introduced", "tested", "spread", "co-designed", "improved"]);
            format!("How {} {verb} {}", site.short, lower_first(name))
        }
    };
    fit(title, 120).trim_end_matches('.').to_string()
}
