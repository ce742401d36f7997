//! Lantern builds the LAN shared learning library — Markdown case studies, intervention
//! write-ups and evaluation summaries — into a static website.
//!
//! The pipeline, one folder per stage: [`load`] reads the library and validates its front
//! matter and `library.yaml`, [`git`] reads the history once and works out each document's
//! versions (and what a pull request changed), [`check`] applies the review gates,
//! [`link`] checks relations and links and renders bodies with [`markdown`], [`charts`]
//! reads evaluation data into SPC charts and equity tables, [`render`] fills the theme's
//! templates (with [`search`] for the index), and [`output`] writes `public/` atomically.
//! The types they share are in [`model`]. [`build`] runs everything up to the write and
//! returns the site in memory, as the tests use it; [`build_into`] hands pages to a sink as
//! they are rendered, as `lantern build` (writing) and `lantern check` (dropping them) do.

pub mod model;

pub mod frontmatter;
pub mod markdown;
pub mod scan;
pub mod sys;

pub mod load;

pub mod git;

pub mod check;

pub mod charts;
pub mod link;

pub mod render;
pub mod search;

pub mod output;

#[doc(hidden)]
pub mod fuzzing;
pub mod scaffold;
pub mod serve;

use std::collections::BTreeMap;

use check::review;
use git::{history, since, versions};
use load::{config, media, theme};
use model::diagnostic;
use render::past;
use std::path::PathBuf;
use sys::usage::free;
pub use sys::usage::{timed, today};

pub use model::diagnostic::{Diagnostic, Severity};
pub use model::error::{Error, Result};
pub use model::site::OutputFile;

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
    /// A git ref: also apply the review rules to documents changed since it ([`since`]),
    /// and write the pull-request page ([`render::pull_request`]).
    pub since: Option<String>,
    /// Count warnings as errors.
    pub deny_warnings: bool,
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
    /// With `since`: what changed, so that `check` can report only what the change touches.
    pub changes: Option<since::Changes>,
}

impl Build {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Builds the library in memory. Content problems are diagnostics in the [`Build`] (and then
/// it has no files); tool failures are an [`Error`].
pub fn build(options: &Options) -> Result<Build> {
    let mut files = Vec::new();
    let mut build = build_into(options, &output::Previous::default(), &mut files)?;
    if !build.has_errors() {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        build.files = files;
    }
    Ok(build)
}

/// Builds the library into `sink` as pages are rendered, keeping pages of `previous` that
/// would come out the same; [`Build::files`] stays empty. When the library has errors
/// nothing reaches the sink: the templates are still rendered, so that `check` reports
/// theme problems too.
pub fn build_into(
    options: &Options,
    previous: &output::Previous,
    sink: &mut dyn model::site::Sink,
) -> Result<Build> {
    build_inner(options, previous, sink, None)
}

/// What a build was made from, kept by `serve` so that an edit redoes only what it
/// touches.
pub struct Model {
    pub linked: link::Linked,
    /// What each document's charts and equity tables are drawn from.
    pub plans: Vec<charts::Plan>,
    pub config: model::Config,
    pub theme: theme::Theme,
}

/// Builds the library in memory as [`build`] does, and also returns what the site was
/// made from when it has no errors.
pub fn build_keeping(options: &Options) -> Result<(Build, Option<Model>)> {
    let mut files = Vec::new();
    let mut model = None;
    let mut build = build_inner(
        options,
        &output::Previous::default(),
        &mut files,
        Some(&mut model),
    )?;
    if !build.has_errors() {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        build.files = files;
    }
    Ok((build, model))
}

fn build_inner(
    options: &Options,
    previous: &output::Previous,
    sink: &mut dyn model::site::Sink,
    keep: Option<&mut Option<Model>>,
) -> Result<Build> {
    let mut theme = timed("theme", || theme::Theme::load(&options.root))?;
    let loaded = timed("load", || load::load(&options.root))?;
    let mut diagnostics = loaded.diagnostics;
    diagnostics.append(&mut theme.diagnostics);
    let config = loaded.library.config.clone();
    let mut library = loaded.library;
    let history = if options.history {
        timed("history", || {
            history::read(
                &options.root,
                previous.history.as_deref(),
                config.limits.document_bytes,
            )
        })
    } else {
        history::History::default()
    };
    let histories = versions::apply(&mut library.docs, &history, &mut diagnostics);
    let today = today();
    diagnostics.extend(timed("review", || {
        let mut found = review::check(&library.docs, &library.tables, &config, today);
        let config_text = loaded.sources.get(config::PATH).map(|t| &**t);
        found.extend(review::library_files(&library, config_text));
        found.extend(review::history(&library.docs, &histories));
        found
    }));
    let changes = match &options.since {
        Some(reference) => Some(since::changes(
            &options.root,
            reference,
            config.limits.document_bytes,
        )?),
        None => None,
    };
    if let Some(changes) = &changes {
        since::check(changes, &library.docs, &mut diagnostics);
    }
    // Every document read, drafts included, for the pull-request page to tell a draft from
    // a removed document.
    let read: std::collections::HashSet<String> = match changes {
        Some(_) => library.docs.iter().map(|d| d.path.clone()).collect(),
        None => Default::default(),
    };
    let mut linked = timed("link", || {
        link::link(library, options.drafts, &mut diagnostics)
    });
    // A data file a page links to is published as it is: only an inert one.
    let mut data_sources = Vec::new();
    for name in &linked.data_files {
        let csv = name.to_ascii_lowercase().ends_with(".csv");
        let limit = (!csv).then_some((config.limits.data_bytes, "data_bytes"));
        let checked = media::check(&options.root.join("content"), name, limit);
        diagnostics.extend(checked.diagnostics);
        data_sources.extend(checked.source.map(|s| (format!("content/{name}"), s)));
    }
    let plans = timed("charts", || {
        charts::evaluate(&linked, &config, &mut diagnostics)
    });
    // Old versions are read only for the pages that the previous build cannot give.
    let fingerprint = past::fingerprint(&linked, &config, &theme);
    let texts = timed("old versions", || {
        let blobs = past::needed(&linked, &histories, fingerprint, previous);
        history::texts(&options.root, &blobs, config.limits.document_bytes)
    });
    if options.deny_warnings {
        for d in &mut diagnostics {
            d.severity = Severity::Error;
        }
    }
    diagnostic::sort(&mut diagnostics);
    let pull_request = changes
        .as_ref()
        .map(|c| render::pull_request::page(c, &linked, &config, &diagnostics, &read));
    let mut sources = loaded.sources;
    for (path, text) in data_sources {
        sources.insert(path, std::sync::Arc::from(text));
    }
    diagnostic::mask_sources(&diagnostics, &mut sources);
    let mut changes = changes;
    review::mask_paths(
        &mut diagnostics,
        &mut sources,
        changes.as_mut().map(|c| &mut c.paths),
    );
    if keep.is_none() {
        // Pages need no Markdown once bodies are rendered: let it go before the largest
        // stage, keeping the text of files that diagnostics show lines of.
        let shown: std::collections::HashSet<&str> =
            diagnostics.iter().map(|d| d.path.as_str()).collect();
        sources.retain(|path, _| shown.contains(path.as_str()));
        for doc in &mut linked.docs {
            doc.text = std::sync::Arc::from("");
            doc.body_offset = 0;
        }
        linked.tables.clear();
    }
    let mut build = Build {
        files: Vec::new(),
        diagnostics,
        sources,
        documents: linked
            .docs
            .iter()
            .filter(|d| d.kind.is_publication())
            .count(),
        render_error: None,
        notes: history
            .notice
            .iter()
            .cloned()
            .chain(history.oversize_note(config.limits.document_bytes))
            .collect(),
        changes,
    };
    // The body text that only the search index reads: taken out of the bodies (or, for a
    // kept model, copied), so that it goes once the index is made.
    let sections = options.search.then(|| {
        std::sync::Mutex::new(match keep {
            None => linked
                .bodies
                .iter_mut()
                .map(|b| std::mem::take(&mut b.sections))
                .collect(),
            Some(_) => linked.bodies.iter().map(|b| b.sections.clone()).collect(),
        })
    });
    let past = past::Past {
        histories: &histories,
        texts: &texts,
    };
    let input = render::Input {
        linked: &linked,
        plans: &plans,
        config: &config,
        theme: &theme,
        content: &options.root.join("content"),
        search: sections.as_ref(),
        past: &past,
        previous,
        fingerprint,
        pull_request: pull_request.as_ref(),
        only: None,
        cards: None,
    };
    let mut discard = model::site::Discard;
    let sink: &mut dyn model::site::Sink = if build.has_errors() {
        &mut discard
    } else {
        sink
    };
    let rendered = timed("render", || render::render(&input, sink));
    match rendered {
        // What git said, for the next build to continue from.
        Ok(()) if !history.head.is_empty() => sink.put(vec![OutputFile {
            path: history::CACHE.to_string(),
            contents: model::site::Contents::Bytes(history.to_cache()),
        }])?,
        Ok(()) => {}
        Err(err) if build.has_errors() => build.render_error = Some(err),
        Err(err) => return Err(err),
    }
    match keep.filter(|_| !build.has_errors()) {
        Some(slot) => {
            *slot = Some(Model {
                linked,
                plans,
                config,
                theme,
            })
        }
        None => {
            let link::Linked {
                docs,
                bodies,
                related,
                ..
            } = linked;
            rayon::join(
                || rayon::join(|| free(docs), || free(bodies)),
                || rayon::join(|| free(related), || free(plans)),
            );
        }
    }
    Ok(build)
}
