//! Lantern builds the LAN shared learning library — Markdown case studies, intervention
//! write-ups and evaluation summaries — into a static website.
//!
//! The pipeline: [`content`] loads the library, [`fields`] and [`config`] validate its front
//! matter, [`link`] checks relations and links and renders bodies with [`markdown`],
//! [`render`] fills the theme's templates, and [`output`] writes `public/` atomically. [`build`]
//! runs everything up to the write and returns the site in memory; `check` and the tests use
//! it as it is.

pub mod config;
pub mod content;
pub mod date;
pub mod diagnostic;
pub mod diff;
pub mod error;
pub mod feeds;
pub mod fields;
pub mod frontmatter;
pub mod highlight;
pub mod history;
pub mod kinds;
pub mod link;
pub mod lint;
pub mod markdown;
pub mod model;
pub mod output;
pub mod past;
pub mod relations;
pub mod render;
pub mod resolve;
pub mod sanitize;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod slug;
pub mod suggest;
pub mod theme;
pub mod url;
pub mod versions;
pub mod view;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use diagnostic::{Diagnostic, Severity};
pub use error::{Error, Result};
pub use render::OutputFile;

/// What to build.
#[derive(Debug, Clone)]
pub struct Options {
    /// The library folder holding `content/` and optionally `themes/`.
    pub root: PathBuf,
    /// Include documents whose status is `draft`.
    pub drafts: bool,
    /// Write the search index (`search/`); off for quicker previews.
    pub search: bool,
    /// Read git history for dates, history pages and versions; off for quicker previews.
    pub history: bool,
}

/// The result of a build: the site's files when the library has no errors, and every
/// diagnostic either way.
#[derive(Debug, Default)]
pub struct Build {
    pub files: Vec<OutputFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// The text of every file read, by path, for showing source lines under diagnostics.
    pub sources: BTreeMap<String, std::sync::Arc<str>>,
    /// How many documents were published.
    pub documents: usize,
    /// Things to say once about the build as a whole, such as history being unavailable.
    pub notes: Vec<String>,
    /// A template failure met while the library also had content errors: it may be their
    /// consequence, so it is reported beside them rather than instead of them.
    pub render_error: Option<Error>,
}

impl Build {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Runs `f`, and when the environment variable `LANTERN_TIMINGS` is set, reports on standard
/// error how long the stage `name` took. For profiling builds; the output never changes.
pub fn timed<T>(name: &str, f: impl FnOnce() -> T) -> T {
    if std::env::var_os("LANTERN_TIMINGS").is_none() {
        return f();
    }
    let start = std::time::Instant::now();
    let value = f();
    eprintln!("timing: {name} {:.3} s", start.elapsed().as_secs_f64());
    value
}

/// Builds the library in memory. Content problems are diagnostics in the [`Build`] (and then
/// it has no files); tool failures are an [`Error`].
pub fn build(options: &Options) -> Result<Build> {
    let theme = timed("theme", || theme::Theme::load(&options.root))?;
    let loaded = timed("load", || content::load(&options.root))?;
    let mut diagnostics = loaded.diagnostics;
    let config = loaded.library.config.clone();
    let mut library = loaded.library;
    let history = if options.history {
        timed("history", || history::read(&options.root))
    } else {
        history::History::default()
    };
    let histories = versions::apply(&mut library.docs, &history, &mut diagnostics);
    let linked = timed("link", || {
        link::link(library, options.drafts, &mut diagnostics)
    });
    diagnostic::sort(&mut diagnostics);
    let mut build = Build {
        files: Vec::new(),
        diagnostics,
        sources: loaded.sources,
        documents: linked
            .docs
            .iter()
            .filter(|d| d.kind.is_publication())
            .count(),
        render_error: None,
        notes: history.notice.iter().cloned().collect(),
    };
    // Templates are rendered even when content has errors, so that `check` reports theme
    // problems too; the files are only kept for a clean library.
    let content = options.root.join("content");
    let rendered = timed("render", || {
        let past = past::Past {
            histories: &histories,
            texts: &history.texts,
        };
        render::render(&linked, &config, &theme, &content, options.search, &past)
    });
    match rendered {
        Ok(files) if !build.has_errors() => build.files = files,
        Ok(_) => {}
        Err(err) if build.has_errors() => build.render_error = Some(err),
        Err(err) => return Err(err),
    }
    Ok(build)
}
