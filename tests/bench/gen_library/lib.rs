//! Generates a synthetic Lantern library for benchmarks: `OUT_DIR/content/` with
//! `library.yaml`, the nine site profiles, `pages/about.md`, N documents (about 40%
//! interventions, 30% evaluations, 30% case studies) and the CSV files in `data/` that
//! the evaluations' charts and equity tables use.
//!
//! This file is the generator's entry point, [`generate`]. `main.rs` (the `gen_library`
//! example) loads it with `#[path = "lib.rs"] mod generator;`, and an integration test
//! in `tests/` can load it the same way:
//!
//! ```text
//! #[path = "bench/gen_library/lib.rs"]
//! mod gen_library;
//! ```
//!
//! A file loaded with `#[path]` is treated like a `mod.rs`, so the modules below are found
//! next to it, and paths between them use `super::`, never `crate::`.
//!
//! The same arguments always give byte-identical output: every random choice comes from
//! a small splitmix64 generator seeded by `seed`, and each document draws from its own
//! stream so its text does not depend on the others.
//!
//! The generator writes a marker file, `content/.generated-library` (`write::MARKER`).
//! With `force` it replaces an existing `content/` only if that marker is there; it never
//! deletes a non-empty folder it did not make. Lantern ignores dot-files in `content/`.
//!
//! Every document follows the content model (v1): vocabulary ids come from
//! `library.yaml`, relations and links name documents that exist and are not drafts,
//! every body has a `## Background` heading (so `#background` always resolves), and
//! counts in the data files are never below the disclosure threshold of 8.

use std::error::Error;
use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

/// Appends formatted text to a `String` (writing to a `String` cannot fail).
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

mod areas;
mod body;
mod data;
mod date;
mod details;
mod document;
mod fixed;
mod front_matter;
mod plan;
mod prose;
mod rng;
mod sentences;
mod text;
mod vocab;
mod words;
mod write;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// What one run of [`generate`] wrote. `Display` gives the one-line summary.
pub struct Stats {
    /// Documents of all three kinds, drafts included.
    pub documents: usize,
    pub interventions: usize,
    pub evaluations: usize,
    pub case_studies: usize,
    /// CSV files in `content/data/`.
    pub data_files: usize,
    /// Every file written, except the marker.
    pub files: usize,
    /// Bytes in those files.
    pub bytes: u64,
    pub elapsed: Duration,
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} documents ({} interventions, {} evaluations, {} case studies), {} data files, {} files, {:.1} MB in {:.2} s",
            self.documents,
            self.interventions,
            self.evaluations,
            self.case_studies,
            self.data_files,
            self.files,
            self.bytes as f64 / 1e6,
            self.elapsed.as_secs_f64()
        )
    }
}

/// Writes a library of `n` documents to `out_dir/content/`.
///
/// An existing non-empty `content/` is replaced only if `force` is set and it holds the
/// marker file of an earlier run (`write::MARKER`); otherwise this returns an error and
/// deletes nothing.
pub fn generate(
    n: usize,
    out_dir: &Path,
    seed: u64,
    force: bool,
) -> std::result::Result<Stats, Box<dyn Error>> {
    let started = Instant::now();
    let content = out_dir.join("content");
    write::prepare(&content, force, &write::marker_text(n, seed))?;
    let mut out = write::Output::new(content);
    out.write("library.yaml", &fixed::library_yaml())?;
    for site in &vocab::SITES {
        out.write(&format!("sites/{}.md", site.id), &fixed::site_md(site))?;
    }
    out.write("pages/about.md", &fixed::about_md())?;
    let docs = plan::plan(n, seed);
    let mut use_ = data::DataUse::new();
    write::write_documents(&mut out, &docs, seed, &mut use_)?;
    let data_files = write::write_data(&mut out, seed, &use_)?;
    let count = |k: plan::Kind| docs.iter().filter(|d| d.kind == k).count();
    Ok(Stats {
        documents: docs.len(),
        interventions: count(plan::Kind::Intervention),
        evaluations: count(plan::Kind::Evaluation),
        case_studies: count(plan::Kind::CaseStudy),
        data_files,
        files: out.files,
        bytes: out.bytes,
        elapsed: started.elapsed(),
    })
}
