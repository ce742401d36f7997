//! The search index (DESIGN section 5), built from the structured content — fields and
//! sections, not scraped HTML — and written as small script files under `search/` that the
//! theme's runtime (`assets/search.js`) loads only when a query needs them.
//!
//! In: the linked library and the config. Out: these files, with no I/O:
//! - `search/meta.js`: the document table (one fixed-width column per facet, a quantised
//!   length per length-normalised field), field weights and average lengths, facet values
//!   and labels, the first and last term of every term shard, and the synonyms;
//! - `search/t/N.js`: term shards — a sorted run of terms, each with its stem, document
//!   frequency, postings (document gaps and per-field term frequencies) and its top
//!   documents with snippets ([`top`]), and the cards of those documents;
//! - `search/b/N.js`: result bundles — title, page, type, date, summary and section texts
//!   of [`BUNDLE`] consecutive documents, for result lists and snippets.
//!
//! Documents are numbered by type, priority area and site, so that the results of one
//! query tend to share bundles.

pub mod encode;
pub mod score;
pub mod text;
pub mod top;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use serde_json::{Value, json};

use crate::link::Linked;
use crate::markdown::unpack_sections;
use crate::model::error::Result;
use crate::model::packed::Packed;
use crate::model::site::{Contents, OutputFile, Sink};
use crate::model::url::page_file;
use crate::model::{Config, Doc, Extra, Kind, Ref};
pub use score::{B, FIELDS, K1, WEIGHTS, dequantise, quantise};
use top::{Folded, Scorer, Shown, Top};

/// Documents per result bundle.
pub const BUNDLE: usize = 10;
/// Documents prepared at a time, and counted together by one thread.
const CHUNK: usize = 64 * BUNDLE;
const GROUP: usize = 2 * BUNDLE;
/// A term shard closes once its text passes this size.
const SHARD_BYTES: usize = 48 * 1024;
/// Section text kept for snippets, per section and per document.
const SECTION_CHARS: usize = 240;
const DOC_CHARS: usize = 800;
/// Publication types, in the order of the `type` facet.
const TYPES: [Kind; 3] = [Kind::Intervention, Kind::Evaluation, Kind::CaseStudy];

/// A document's searchable text.
struct Prepared {
    fields: [String; 4],
    /// `(anchor id, heading, text)`; the id is empty for text before the first heading.
    sections: Vec<(String, String, String)>,
}

/// One facet of the document table: URL parameter, value ids and labels, and each
/// document's values (their positions in `values`).
struct Facet {
    param: &'static str,
    values: Vec<(String, String)>,
    masks: Vec<Vec<usize>>,
}

/// Builds every file of the index.
pub fn index(linked: &Linked, config: &Config) -> Vec<OutputFile> {
    let sections: Vec<&Packed> = linked.bodies.iter().map(|b| &b.sections).collect();
    let mut files = Vec::new();
    // A vector of files never refuses one.
    let _ = index_into(linked, &sections, config, &mut files);
    files
}

/// Builds every file of the index into `sink`, the result bundles as they are made, so
/// that they never all exist at once. `sections` are each document's body text (a build
/// takes them out of the bodies, which pages do not show, and lets them go after this).
pub fn index_into(
    linked: &Linked,
    sections: &[&Packed],
    config: &Config,
    sink: &mut dyn Sink,
) -> Result<()> {
    let docs = order(linked);
    let mut counted = Counted {
        terms: HashMap::default(),
        lengths: Vec::with_capacity(docs.len()),
        shown: Vec::with_capacity(docs.len()),
        folded: Vec::with_capacity(docs.len()),
    };
    // A chunk of documents at a time, so that their text never all exists at once. Each
    // group of a chunk (a whole number of bundles) is counted in parallel into postings of
    // its own, which are then appended to the library's in document order, while the next
    // chunk is counted.
    let mut last: Vec<Group> = Vec::new();
    for (c, chunk) in docs.chunks(CHUNK).enumerate() {
        let (groups, added) = rayon::join(
            || {
                chunk
                    .par_chunks(GROUP)
                    .enumerate()
                    .map(|(g, group)| {
                        let first = c * CHUNK + g * GROUP;
                        Group::count(linked, sections, config, group, first)
                    })
                    .collect()
            },
            || counted.add(std::mem::take(&mut last), sink),
        );
        added?;
        last = groups;
    }
    counted.add(last, sink)?;
    let Counted {
        terms,
        lengths,
        shown,
        folded,
    } = counted;
    let scorer = Scorer::new(&lengths);
    // Shards are written out 64 at a time, each batch encoded on every core.
    let mut pending: Vec<(usize, Value)> = Vec::new();
    let mut put = |pending: Vec<(usize, Value)>| {
        sink.put(
            pending
                .par_iter()
                .map(|(n, shard)| file(&format!("t/{n}"), shard))
                .collect(),
        )
    };
    let bounds = shards(terms, &scorer, (&shown, &folded), &mut |n, shard| {
        pending.push((n, shard));
        match pending.len() {
            64.. => put(std::mem::take(&mut pending)),
            _ => Ok(()),
        }
    })?;
    put(pending)?;
    sink.put(vec![file(
        "meta",
        &meta(linked, config, &docs, &lengths, &scorer, &bounds),
    )])
}

fn file<T: Serialize>(name: &str, data: &T) -> OutputFile {
    OutputFile {
        path: format!("search/{name}.js"),
        contents: Contents::Bytes(encode::script(name, data)),
    }
}

/// The searchable documents (publications that have a page), in index order.
fn order(linked: &Linked) -> Vec<usize> {
    let mut docs: Vec<usize> = (0..linked.docs.len())
        .filter(|&i| linked.docs[i].kind.is_publication())
        .collect();
    let first = |refs: &[Ref]| refs.first().map(|r| r.id.clone()).unwrap_or_default();
    docs.sort_by_cached_key(|&i| {
        let d = &linked.docs[i];
        (
            d.kind,
            first(&d.meta.priority_areas),
            first(&d.meta.sites),
            std::cmp::Reverse(d.meta.published),
            d.slug.clone(),
        )
    });
    docs
}

fn push(field: &mut String, text: &str) {
    if !text.is_empty() {
        field.push_str(text);
        field.push('\n');
    }
}

/// The four fields and the sections of document `i`.
fn prepare(linked: &Linked, body_sections: &Packed, config: &Config, i: usize) -> Prepared {
    let doc = &linked.docs[i];
    let body = &linked.bodies[i];
    let mut fields: [String; 4] = Default::default();
    let [title, keywords, summary, text] = &mut fields;
    push(title, &doc.title);
    for tag in &doc.meta.tags {
        push(keywords, tag);
    }
    for h in &body.headings {
        push(keywords, &h.text);
    }
    for facet in crate::model::facets::facets(config) {
        for r in crate::model::facets::facet_refs(doc, facet.folder) {
            push(keywords, facet.vocab.label(&r.id).unwrap_or(&r.id));
        }
    }
    for &s in &linked.related[i].sites {
        push(keywords, &linked.docs[s].title);
    }
    push(summary, &doc.summary);
    let mut sections = Vec::new();
    structured(doc, summary, text, &mut sections);
    if let Some(note) = &doc.meta.change_note {
        push(text, note);
    }
    for s in unpack_sections(body_sections) {
        push(text, &s.text);
        sections.push((s.id, s.heading, s.text));
    }
    let mut budget = DOC_CHARS;
    for (_, _, t) in &mut sections {
        let keep = shorten(t, SECTION_CHARS.min(budget)).len();
        t.truncate(keep);
        budget = budget.saturating_sub(keep);
    }
    sections.retain(|(_, _, t)| !t.is_empty());
    Prepared { fields, sections }
}

/// The structured fields of interventions and evaluations, as search text.
fn structured(
    doc: &Doc,
    summary: &mut String,
    text: &mut String,
    sections: &mut Vec<(String, String, String)>,
) {
    match &doc.extra {
        Extra::Intervention(x) => {
            push(summary, &x.aim);
            sections.push(("the-aim".into(), "Aim".into(), x.aim.clone()));
            if let Some(method) = &x.qi_method {
                push(text, method);
            }
            if let Some(dd) = &x.driver_diagram {
                push(text, &dd.aim);
                for p in &dd.primary {
                    push(text, &p.driver);
                    for s in &p.secondary {
                        push(text, &s.driver);
                        for idea in &s.change_ideas {
                            push(text, idea);
                        }
                    }
                }
            }
            for m in &x.measures {
                push(text, &m.name);
                push(text, &m.definition);
            }
            for c in &x.pdsa_cycles {
                for part in [&c.title, &c.plan, &c.do_, &c.study] {
                    push(text, part);
                }
            }
        }
        Extra::Evaluation(x) => {
            push(text, &x.design.replace('-', " "));
            for c in &x.charts {
                push(text, &c.title);
            }
            for e in &x.equity {
                push(text, &e.title);
            }
        }
        _ => {}
    }
}

/// `text` cut to at most `max` bytes at a word boundary.
fn shorten(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match text[..end].rfind(' ') {
        Some(space) if space > max / 2 => &text[..space],
        _ => &text[..end],
    }
}

/// The library's terms with their postings, and each document's field lengths and result
/// entry, in index order.
struct Counted {
    terms: HashMap<String, Postings>,
    lengths: Vec<[u32; 4]>,
    shown: Vec<Shown>,
    folded: Vec<Folded>,
}

impl Counted {
    /// Appends the groups that follow the documents counted so far, and puts their bundles.
    fn add(&mut self, groups: Vec<Group>, sink: &mut dyn Sink) -> Result<()> {
        for group in groups {
            sink.put(group.bundles)?;
            for (term, part) in group.terms {
                match self.terms.get_mut(term.as_str()) {
                    Some(p) => p.append(part),
                    None => {
                        self.terms.insert(term, part);
                    }
                }
            }
            self.lengths.extend(group.lengths);
            self.shown.extend(group.shown);
            self.folded.extend(group.folded);
        }
        Ok(())
    }
}

/// The terms of some consecutive documents with their postings, and the documents' field
/// lengths, result entries and bundles.
struct Group {
    terms: HashMap<String, Postings>,
    lengths: Vec<[u32; 4]>,
    shown: Vec<Shown>,
    folded: Vec<Folded>,
    bundles: Vec<OutputFile>,
}

impl Group {
    /// Counts documents `docs`, numbered from `first` in the index (a multiple of
    /// [`BUNDLE`]).
    fn count(
        linked: &Linked,
        sections: &[&Packed],
        config: &Config,
        docs: &[usize],
        first: usize,
    ) -> Group {
        let mut group = Group {
            terms: HashMap::default(),
            lengths: Vec::with_capacity(docs.len()),
            shown: Vec::with_capacity(docs.len()),
            folded: Vec::with_capacity(docs.len()),
            bundles: Vec::new(),
        };
        for (k, &i) in docs.iter().enumerate() {
            let p = prepare(linked, sections[i], config, i);
            let folded = p.fields.each_ref().map(|f| text::fold(f));
            let size: usize = folded.iter().map(|f| f.len()).sum();
            let mut tf: HashMap<&str, [u32; 4]> =
                HashMap::with_capacity_and_hasher(size / 16, Default::default());
            let mut lengths = [0u32; 4];
            for (f, field) in folded.iter().enumerate() {
                for term in text::split(field) {
                    lengths[f] += 1;
                    tf.entry(term).or_default()[f] += 1;
                }
            }
            let doc = (first + k) as u32;
            for (term, tf) in tf {
                match group.terms.get_mut(term) {
                    Some(p) => p.add(doc, tf),
                    None => group
                        .terms
                        .entry(term.to_string())
                        .or_default()
                        .add(doc, tf),
                }
            }
            group.lengths.push(lengths);
            let shown = bundle_entry(linked, i, p);
            group.folded.push(Folded::of(&shown));
            group.shown.push(shown);
        }
        for (b, bundle) in group.shown.chunks(BUNDLE).enumerate() {
            let name = format!("b/{}", first / BUNDLE + b);
            group.bundles.push(file(&name, &bundle));
        }
        group
    }
}

/// A term's postings over a run of documents: for each document containing it, the gap
/// from the previous one, a mask of the fields holding the term and its frequency in each,
/// as varints. The first document is kept apart, so that a run can be appended to another.
#[derive(Default)]
struct Postings {
    first: u32,
    last: Option<u32>,
    df: u32,
    text: String,
}

impl Postings {
    /// Adds a document after the last one.
    fn add(&mut self, doc: u32, tf: [u32; 4]) {
        match self.last {
            None => self.first = doc,
            Some(last) => encode::varint(&mut self.text, doc - last - 1),
        }
        let mask = tf
            .iter()
            .enumerate()
            .fold(0, |m, (f, &n)| if n > 0 { m | 1 << f } else { m });
        encode::varint(&mut self.text, mask);
        for &n in tf.iter().filter(|&&n| n > 0) {
            encode::varint(&mut self.text, n);
        }
        self.last = Some(doc);
        self.df += 1;
    }

    /// Appends the postings of later documents.
    fn append(&mut self, later: Postings) {
        let (Some(last), Some(later_last)) = (self.last, later.last) else {
            return;
        };
        encode::varint(&mut self.text, later.first - last - 1);
        self.text.push_str(&later.text);
        self.last = Some(later_last);
        self.df += later.df;
    }

    /// The encoded postings as the index ships them: the first document's number, then
    /// the rest as above.
    fn encoded(&self) -> String {
        let mut out = String::with_capacity(self.text.len() + 4);
        encode::varint(&mut out, self.first);
        out.push_str(&self.text);
        out
    }
}

/// Terms whose top documents are worked out at a time: enough for every core, few enough
/// that their snippets never all exist at once.
const TERMS_AT_ONCE: usize = 4096;

/// Splits the sorted terms into shards of about [`SHARD_BYTES`], handing each to `emit`
/// with its number as soon as it closes; returns each shard's first and last term.
fn shards(
    terms: HashMap<String, Postings>,
    scorer: &Scorer,
    (shown, folded): (&[Shown], &[Folded]),
    emit: &mut (dyn FnMut(usize, Value) -> Result<()> + Send),
) -> Result<Vec<(String, String)>> {
    let mut sorted: Vec<(String, u32, String)> = terms
        .into_par_iter()
        .map(|(term, p)| (term, p.df, p.encoded()))
        .collect();
    sorted.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    // Each term's top documents and its stem (empty when the same as the term).
    let tops_of = |chunk: &[(String, u32, String)]| -> Vec<(Vec<Top>, String)> {
        chunk
            .par_iter()
            .map(|(term, df, postings)| {
                let tops = scorer
                    .top(postings, *df)
                    .into_iter()
                    .map(|d| top::snippet(d, term, &shown[d as usize], &folded[d as usize]))
                    .collect();
                let stem = text::stem(term);
                (tops, if stem == *term { String::new() } else { stem })
            })
            .collect()
    };
    let mut open = Open::default();
    let mut chunks = sorted.chunks(TERMS_AT_ONCE);
    let mut current = chunks.next().map(|chunk| (chunk, tops_of(chunk)));
    // A chunk's terms go into shards while the next chunk's tops are worked out.
    while let Some((chunk, tops)) = current.take() {
        let (next, added) = rayon::join(
            || chunks.next().map(|chunk| (chunk, tops_of(chunk))),
            || {
                chunk
                    .iter()
                    .zip(tops)
                    .try_for_each(|(term, tops)| open.add(term, tops, shown, emit))
            },
        );
        added?;
        current = next;
    }
    if let Some(full) = open.shard.take() {
        emit(open.firsts.len() - 1, shard_value(full, shown))?;
    }
    Ok(open.firsts)
}

/// The shard being filled, its size so far, and each shard's first and last term.
#[derive(Default)]
struct Open {
    shard: Option<(Vec<Value>, std::collections::BTreeSet<u32>)>,
    size: usize,
    firsts: Vec<(String, String)>,
}

impl Open {
    /// Adds a term, with its top documents and stem, closing the shard first when full.
    fn add(
        &mut self,
        (term, df, postings): &(String, u32, String),
        (tops, stem): (Vec<Top>, String),
        shown: &[Shown],
        emit: &mut (dyn FnMut(usize, Value) -> Result<()> + Send),
    ) -> Result<()> {
        if self.shard.is_none() || self.size >= SHARD_BYTES {
            if let Some(full) = self.shard.take() {
                emit(self.firsts.len() - 1, shard_value(full, shown))?;
            }
            self.shard = Some((Vec::new(), Default::default()));
            self.firsts.push((term.clone(), String::new()));
            self.size = 0;
        }
        if let Some(bounds) = self.firsts.last_mut() {
            bounds.1.clone_from(term);
        }
        self.size += term.len() + stem.len() + postings.len() + 12;
        if let Some((entries, cards)) = self.shard.as_mut() {
            for t in &tops {
                self.size += t.1.len() + t.2.len() + t.3.len() + 16;
                if cards.insert(t.0) {
                    let s = &shown[t.0 as usize];
                    self.size += s.0.len() + s.1.len() + 24;
                }
            }
            entries.push(json!([term, stem, df, postings, tops]));
        }
        Ok(())
    }
}

/// A shard's terms with the cards of their top documents.
fn shard_value(
    (entries, cards): (Vec<Value>, std::collections::BTreeSet<u32>),
    shown: &[Shown],
) -> Value {
    let cards: Vec<Value> = cards
        .into_iter()
        .map(|d| {
            let s = &shown[d as usize];
            json!([d, s.0, s.1, s.2, s.3])
        })
        .collect();
    json!({"terms": entries, "cards": cards})
}

fn meta(
    linked: &Linked,
    config: &Config,
    docs: &[usize],
    lengths: &[[u32; 4]],
    scorer: &Scorer,
    bounds: &[(String, String)],
) -> Value {
    let facets = facets(linked, config, docs);
    let years: Vec<i32> = docs
        .iter()
        .filter_map(|&i| linked.docs[i].meta.published.map(|d| d.year))
        .collect();
    let first_year = years.iter().copied().min().unwrap_or(0);
    let last_year = years.iter().copied().max().unwrap_or(0);
    let year_width = encode::width(
        usize::try_from(last_year - first_year + 2)
            .unwrap_or(1)
            .ilog2() as usize
            + 1,
    );
    let mut year_column = String::new();
    for &i in docs {
        let offset = linked.docs[i]
            .meta
            .published
            .map_or(0, |d| (d.year - first_year + 1) as u64);
        encode::fixed(&mut year_column, offset, year_width);
    }
    // A length column only for the fields that normalise by length.
    let length_columns: Vec<Option<String>> = (0..4)
        .map(|f| {
            (B[f] > 0.0).then(|| {
                let mut column = String::new();
                for l in lengths {
                    encode::fixed(&mut column, quantise(l[f]), 1);
                }
                column
            })
        })
        .collect();
    let facet_values: Vec<Value> = facets
        .iter()
        .map(|f| {
            let width = encode::width(f.values.len());
            let mut column = String::new();
            for bits in &f.masks {
                encode::bits(&mut column, bits, width);
            }
            json!({
                "param": f.param,
                "ids": f.values.iter().map(|v| &v.0).collect::<Vec<_>>(),
                "labels": f.values.iter().map(|v| &v.1).collect::<Vec<_>>(),
                "width": width,
                "column": column,
            })
        })
        .collect();
    json!({
        "version": 1,
        "count": docs.len(),
        "fields": FIELDS,
        "weights": WEIGHTS,
        "b": B,
        "k1": K1,
        "average": scorer.averages,
        "lengths": length_columns,
        "facets": facet_values,
        "years": {"first": first_year, "last": last_year, "width": year_width, "column": year_column},
        // Each shard's first and last term.
        "shards": bounds.iter().map(|b| &b.0).collect::<Vec<_>>(),
        "lasts": bounds.iter().map(|b| &b.1).collect::<Vec<_>>(),
        "bundle": BUNDLE,
        "synonyms": config.synonyms,
    })
}

/// A filter of the search page: its URL parameter, its legend and its values as
/// `(id, label)`, in the order the page shows them.
pub struct Filter {
    pub param: &'static str,
    pub legend: &'static str,
    pub values: Vec<(String, String)>,
}

/// The search page's filters (years aside), shared by the page and the document table.
pub fn filters(linked: &Linked, config: &Config) -> Vec<Filter> {
    let types = TYPES
        .iter()
        .map(|k| (k.name().to_string(), k.label().to_string()))
        .collect();
    let mut sites: Vec<(String, String)> = linked
        .docs
        .iter()
        .filter(|d| d.kind == Kind::Site)
        .map(|d| (d.slug.clone(), d.title.clone()))
        .collect();
    sites.sort_by(|a, b| a.1.cmp(&b.1));
    let mut out = vec![
        Filter {
            param: "type",
            legend: "Type",
            values: types,
        },
        Filter {
            param: "site",
            legend: "Site",
            values: sites,
        },
    ];
    for (param, facet) in ["priority_area", "outcome", "ethnic_group"]
        .into_iter()
        .zip(crate::model::facets::facets(config))
    {
        out.push(Filter {
            param,
            legend: facet.singular,
            values: facet.vocab.0.clone(),
        });
    }
    out
}

/// The ids document `i` has for a filter.
fn ids<'a>(linked: &'a Linked, i: usize, param: &str) -> Vec<&'a str> {
    let doc = &linked.docs[i];
    let refs = |folder: &str| -> Vec<&'a str> {
        crate::model::facets::facet_refs(doc, folder)
            .iter()
            .map(|r| r.id.as_str())
            .collect()
    };
    match param {
        "type" => vec![doc.kind.name()],
        "site" => linked.related[i]
            .sites
            .iter()
            .map(|&s| linked.docs[s].slug.as_str())
            .collect(),
        "priority_area" => refs("priority-areas"),
        "outcome" => refs("outcomes"),
        _ => refs("ethnic-groups"),
    }
}

/// The facets of the document table: each filter with every document's values as a mask.
fn facets(linked: &Linked, config: &Config, docs: &[usize]) -> Vec<Facet> {
    filters(linked, config)
        .into_iter()
        .map(|filter| {
            let masks = docs
                .iter()
                .map(|&i| {
                    let has = ids(linked, i, filter.param);
                    filter
                        .values
                        .iter()
                        .enumerate()
                        .filter(|(_, (id, _))| has.contains(&id.as_str()))
                        .map(|(bit, _)| bit)
                        .collect()
                })
                .collect();
            Facet {
                param: filter.param,
                values: filter.values,
                masks,
            }
        })
        .collect()
}

/// What a result shows, from a prepared document.
fn bundle_entry(linked: &Linked, i: usize, p: Prepared) -> Shown {
    let doc = &linked.docs[i];
    Shown(
        page_file(&doc.url()),
        doc.title.clone(),
        TYPES.iter().position(|k| *k == doc.kind),
        doc.meta.published.map(|d| d.to_string()),
        doc.summary.clone(),
        p.sections,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_library_without_publications_gets_an_empty_index() {
        let linked = Linked {
            docs: Vec::new(),
            bodies: Vec::new(),
            related: Vec::new(),
            data_files: Default::default(),
            media: Vec::new(),
            data: Vec::new(),
            tables: Default::default(),
            redirects: Vec::new(),
        };
        let files = index(&linked, &Config::default());
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(names, ["search/meta.js"]);
        let Contents::Bytes(meta) = &files[0].contents else {
            panic!("meta is made, not copied");
        };
        let meta = String::from_utf8_lossy(meta);
        assert!(
            meta.contains("\"count\":0") && meta.contains("\"shards\":[]"),
            "{meta}"
        );
    }

    #[test]
    fn lengths_quantise_to_one_character_within_a_fifth() {
        assert_eq!(quantise(0), 0);
        assert_eq!(quantise(1), 4);
        assert_eq!(quantise(1_000_000), 63);
        for len in [3u32, 10, 57, 400, 2500, 9000] {
            let back = dequantise(quantise(len));
            let ratio = back / f64::from(len);
            assert!((0.85..1.2).contains(&ratio), "{len} came back as {back}");
        }
    }

    #[test]
    fn shorten_cuts_at_a_word() {
        assert_eq!(shorten("one two three", 9), "one two");
        assert_eq!(shorten("short", 9), "short");
        assert_eq!(shorten("ééééé", 3), "é");
    }
}
