//! Entry points for the fuzz targets (`tests/fuzz/`) and their corpus test
//! (`tests/fuzz_corpus.rs`), so that both run the same code: each takes any bytes, runs a
//! part of the pipeline over them in memory, and panics only where lantern has a bug.
//!
//! In: bytes. Out: nothing; the checks are the pipeline's own (no panic) and a few
//! invariants asserted here: every diagnostic points at a place in its file, YAML that the
//! one-pass front-matter reader answers for reads the same with serde_yaml, and search
//! terms are what the runtime expects.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use crate::check::review;
use crate::load::{config, fields};
use crate::model::diagnostic::Diagnostic;
use crate::model::{Config, Kind, Library, diagnostic};
use crate::{charts, frontmatter, link};

const LIBRARY: &str = "title: Fuzz library
description: A library for fuzzing.
base_url: https://example.org/library/
vocabularies:
  priority_areas: {postpartum-haemorrhage: Postpartum haemorrhage, preterm-birth: Preterm birth}
  outcomes: {severe-maternal-morbidity: Severe maternal morbidity}
  ethnic_groups: {black-african: Black African, white-british: White British}
  regions: {midlands: Midlands}
search:
  synonyms: {pph: [postpartum haemorrhage]}
";

const SITE: &str =
    "---\nname: Example Trust\nkind: trust\nregion: midlands\nics: Example ICS\n---\n\nA site.\n";

/// An evaluation that charts `d.csv` every way a chart can be drawn, and tabulates it.
const EVALUATION: &str = "---
title: Charted
summary: Charts of the fuzzed data file.
sites: [example]
priority_areas: [preterm-birth]
status: published
published: 2025-01-15
version: 1
evaluates: [doc]
period: {from: 2023-01-01, to: 2024-08-31}
design: spc-time-series
charts:
  - {title: Up, data: d.csv, direction: increase, target: 4}
  - {title: Down, data: d.csv, direction: decrease, screen_outliers: false, rebase: [2023-05-01]}
  - {title: Neutral, data: d.csv, direction: neutral, unit: '%'}
equity:
  - {title: By group, data: d.csv, reference_group: white-british, per: 1000}
---

Body.
";

fn library_config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| config::parse(LIBRARY, &mut Vec::new()))
}

/// Reads `bytes` as `library.yaml`, and as a document of every type (front matter,
/// validation, the review gates, and its text hidden as an old version's is), then links and renders them together with their
/// relations, charts an evaluation, and renders the diagnostics in every format.
pub fn document(bytes: &[u8]) {
    let mut diagnostics = Vec::new();
    let Some(text) = crate::load::decode_text("content/doc.md", bytes.to_vec(), &mut diagnostics)
    else {
        return;
    };
    frontmatter::assert_agrees_with_serde(&text);
    if let Ok(split) = frontmatter::split(&text) {
        frontmatter::assert_agrees_with_serde(split.yaml);
    }
    let mut sources = BTreeMap::new();
    let _ = config::parse(&text, &mut diagnostics);
    let library = Library::default();
    diagnostics.extend(review::library_files(&library, Some(&text)));
    sources.insert(config::PATH.to_string(), Arc::from(text.as_str()));
    // As an old version's text: what is hidden must still read as YAML and Markdown do.
    let _ = crate::scan::patient::hide(&text);
    let config = library_config();
    let kinds = [
        Kind::Intervention,
        Kind::Evaluation,
        Kind::CaseStudy,
        Kind::Page,
        Kind::Site,
    ];
    // Front matter is validated as every type; the body is rendered once (as a type that
    // varies with the input), since rendering is the same for all and costs the most.
    let linked = kinds[bytes.len() % kinds.len()];
    let mut docs = Vec::new();
    for kind in kinds {
        let path = format!("content/{}/doc.md", kind.folder());
        let doc = fields::read(kind, "doc", &path, text.clone(), config, &mut diagnostics);
        sources.insert(path, Arc::from(text.as_str()));
        if kind == linked {
            docs.push(doc);
        }
    }
    docs.push(fields::read(
        Kind::Site,
        "example",
        "content/sites/example.md",
        SITE.to_string(),
        config,
        &mut diagnostics,
    ));
    run(docs, BTreeMap::new(), diagnostics, &sources);
}

/// Reads `bytes` as a data file that an evaluation charts (SPC charts drawn as SVG) and
/// tabulates (an equity table), and that the review gates check.
pub fn data(bytes: &[u8]) {
    let Some(text) = crate::load::decode("content/data/d.csv", bytes.to_vec(), &mut Vec::new())
    else {
        return;
    };
    static DOCS: OnceLock<Vec<crate::model::Doc>> = OnceLock::new();
    let docs = DOCS.get_or_init(|| {
        [
            (Kind::Site, "example", SITE),
            (Kind::Evaluation, "charted", EVALUATION),
            (Kind::Intervention, "doc", EVALUATION),
        ]
        .into_iter()
        .map(|(kind, slug, doc)| {
            let path = format!("content/{}/{slug}.md", kind.folder());
            fields::read(
                kind,
                slug,
                &path,
                doc.to_string(),
                library_config(),
                &mut Vec::new(),
            )
        })
        .collect()
    });
    let mut tables = BTreeMap::new();
    tables.insert("data/d.csv".to_string(), Arc::from(text.as_str()));
    let mut sources = BTreeMap::new();
    sources.insert("content/data/d.csv".to_string(), Arc::from(text.as_str()));
    run(docs.clone(), tables, Vec::new(), &sources);
}

/// The stages after reading: review gates, links and Markdown, charts; then every
/// diagnostic must point into its file, and render.
fn run(
    docs: Vec<crate::model::Doc>,
    tables: BTreeMap<String, Arc<str>>,
    mut diagnostics: Vec<Diagnostic>,
    sources: &BTreeMap<String, Arc<str>>,
) {
    let config = library_config();
    let today = crate::model::date::Date::from_unix(1_748_736_000);
    diagnostics.extend(review::check(&docs, &tables, config, today));
    let library = Library {
        config: config.clone(),
        docs,
        media: vec!["media/a.png".to_string()],
        data: tables.keys().cloned().collect(),
        tables,
    };
    let linked = link::link(library, true, &mut diagnostics);
    let figures = charts::evaluate(&linked, config, &mut diagnostics);
    assert_eq!(figures.len(), linked.docs.len());
    for (plan, doc) in figures.iter().zip(&linked.docs) {
        let drawn = plan.draw(doc, config);
        for (path, csv) in drawn.downloads() {
            assert_sane_download(path, csv);
        }
        for chart in &drawn.charts {
            assert!(
                !chart.svg.contains("NaN") && !chart.svg.contains("inf"),
                "{}",
                chart.svg
            );
        }
    }
    for d in &diagnostics {
        if let Some(text) = sources.get(&d.path) {
            assert_points_into(d, text);
        }
    }
    diagnostic::sort(&mut diagnostics);
    let _ = diagnostic::render_human(&diagnostics, sources);
    let _ = diagnostic::render_json(&diagnostics);
    let _ = diagnostic::render_github(&diagnostics, "");
}

/// Every figure of a CSV download is a finite number or a `[c]` or `[z]` mark, and no text
/// field begins as a spreadsheet formula would.
fn assert_sane_download(path: &str, text: &str) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    // Chart downloads: `period,value,mean,lower_limit,upper_limit,point_type`; equity
    // downloads: `group,label,` then figures.
    let figures = if text.starts_with("period,") {
        1..5
    } else {
        2..9
    };
    for record in reader.records().skip(1) {
        let record = record.unwrap_or_else(|e| panic!("{path}: {e}\n{text}"));
        for (i, field) in record.iter().enumerate() {
            if figures.contains(&i) {
                let number = field.parse::<f64>().is_ok_and(f64::is_finite);
                assert!(
                    number || matches!(field, "[c]" | "[z]"),
                    "{path}: {field:?}"
                );
            } else {
                assert!(!charts::download::is_formula(field), "{path}: {field:?}");
            }
        }
    }
}

/// A diagnostic's line is a line of the file (or the one after its end), and its column
/// at most one past the end of that line.
fn assert_points_into(d: &Diagnostic, text: &str) {
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(
        d.line >= 1 && d.line <= lines.len(),
        "{d}: line out of the file ({} lines)",
        lines.len()
    );
    let line = lines[d.line - 1].trim_end_matches('\r');
    assert!(
        d.column >= 1 && d.column <= line.chars().count() + 1,
        "{d}: column out of its line {line:?}"
    );
}

/// Folds, splits and stems `bytes` as the search index does, checking that every term is
/// what the runtime can meet: lower-case ASCII letters and digits, at least two long, and
/// the same when folded again.
pub fn search(bytes: &[u8]) {
    use crate::search::text::{fold, split, stem};
    let text = String::from_utf8_lossy(bytes);
    let folded = fold(&text);
    assert_eq!(fold(&folded), folded, "folding twice changes {text:?}");
    for term in split(&folded) {
        let plain = |t: &str| {
            t.len() >= 2
                && t.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        };
        assert!(plain(term), "term {term:?} of {text:?}");
        let stemmed = stem(term);
        assert!(
            stemmed
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            "stem {stemmed:?} of {term:?}"
        );
    }
}
