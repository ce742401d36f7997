//! One whole document: the context its renderer needs, the order in which front matter
//! and body are written, its body length and the links it makes to other documents.

use super::body::{case_study_body, evaluation_body, intervention_body};
use super::data::DataUse;
use super::details::{
    case_study_front_matter, evaluation_charts, evaluation_front_matter, intervention_details,
    intervention_front_matter,
};
use super::front_matter::{common_front_matter, summary};
use super::plan::{Doc, Kind};
use super::prose::Prose;
use super::rng::Rng;
use super::words::DESIGNS;

/// Everything one document's renderer needs.
pub struct Ctx<'a> {
    pub seed: u64,
    pub index: usize,
    pub doc: &'a Doc,
    pub docs: &'a [Doc],
    pub live: &'a [usize],
    pub evals_of: &'a [Vec<usize>],
    pub design: usize,
    pub charts: Vec<(usize, usize)>,
}

/// Renders one document (front matter and body) and notes the data files it uses.
pub fn render_doc(ctx: &mut Ctx, use_: &mut DataUse) -> String {
    let (doc, index) = (ctx.doc, ctx.index);
    let mut rng = Rng::derive(ctx.seed, 5, index as u64);
    let mut out = String::with_capacity(16 * 1024);
    out.push_str("---\n");
    let summary = summary(&mut rng, doc);
    common_front_matter(&mut out, &mut rng, doc, &summary);
    let words = target_words(&mut rng);
    let body_rng = Rng::derive(ctx.seed, 6, index as u64);
    match doc.kind {
        Kind::Intervention => {
            let details = intervention_details(&mut rng, doc);
            intervention_front_matter(&mut out, &mut rng, doc, &details);
            out.push_str("---\n\n");
            let mut p = Prose::new(body_rng, ctx);
            p.links = pick_links(&mut rng, ctx);
            intervention_body(&mut p, &details, words);
            out.push_str(&p.out);
        }
        Kind::Evaluation => {
            ctx.design = if rng.chance(0.6) {
                0
            } else {
                rng.below(DESIGNS.len())
            };
            ctx.charts = evaluation_charts(&mut rng, doc, ctx.docs);
            evaluation_front_matter(&mut out, &mut rng, ctx, use_);
            out.push_str("---\n\n");
            let mut p = Prose::new(body_rng, ctx);
            p.links = pick_links(&mut rng, ctx);
            evaluation_body(&mut p, words);
            out.push_str(&p.out);
        }
        Kind::CaseStudy => {
            case_study_front_matter(&mut out, doc, ctx.docs);
            out.push_str("---\n\n");
            let mut p = Prose::new(body_rng, ctx);
            p.links = pick_links(&mut rng, ctx);
            case_study_body(&mut p, words);
            out.push_str(&p.out);
        }
    }
    out
}

/// Link sentences to 1-4 live documents: relations first, then others.
fn pick_links(rng: &mut Rng, ctx: &Ctx) -> Vec<String> {
    let doc = ctx.doc;
    let mut targets: Vec<usize> = Vec::new();
    let related = doc.interventions.iter().chain(&doc.evaluations);
    for &t in related.chain(&ctx.evals_of[ctx.index]) {
        if ctx.docs[t].live() && !targets.contains(&t) {
            targets.push(t);
        }
    }
    let want = 1 + rng.below(4);
    targets.truncate(want);
    let mut tries = 0;
    while targets.len() < want && tries < 16 && !ctx.live.is_empty() {
        tries += 1;
        let t = rng.pick(ctx.live);
        if t != ctx.index && !targets.contains(&t) {
            targets.push(t);
        }
    }
    targets
        .iter()
        .map(|&t| link_sentence(rng, &ctx.docs[t]))
        .collect()
}

fn link_sentence(rng: &mut Rng, target: &Doc) -> String {
    let mut path = target.path();
    if rng.chance(0.7) {
        path.push('#');
        path.push_str(&anchor(rng.pick(target.kind.fixed_headings())));
    }
    let lead = rng.pick(&[
        "See",
        "Read more in",
        "Compare",
        "This builds on",
        "For the detail, see",
    ]);
    format!("{lead} [{}]({path}).", target.title)
}

/// The heading anchor rule of the content model.
fn anchor(heading: &str) -> String {
    heading
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| {
            if c == ' ' {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// Body length in words: a few hundred to a few thousand, mean about 1,200.
fn target_words(rng: &mut Rng) -> usize {
    let mut words = 80 + rng.below(500) + rng.below(500) + rng.below(380);
    if rng.chance(0.07) {
        words += 1200 + rng.below(1800);
    }
    words
}
