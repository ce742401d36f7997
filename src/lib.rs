//! Lantern builds the LAN shared learning library — Markdown case studies, intervention
//! write-ups and evaluation summaries — into a static website.
//!
//! The pipeline: [`content`] loads the library, [`fields`] and [`config`] validate its front
//! matter, [`history`] reads git once and [`versions`] works out each document's revisions,
//! [`review`] applies the review gates (and [`since`] those of a pull request), [`link`]
//! checks relations and links and renders bodies with [`markdown`], [`charts`] reads
//! evaluation data into SPC charts and equity tables, [`render`] fills
//! the theme's templates (with [`past`] for history and version pages), and [`output`] writes
//! `public/` atomically. [`build`] runs everything up to the write and returns the site in
//! memory, as the tests use it; [`build_into`] hands pages to a sink as they are rendered, as
//! `lantern build` (writing) and `lantern check` (dropping them) do.

pub mod charts;
pub mod config;
pub mod content;
pub mod date;
pub mod diagnostic;
pub mod diff;
pub mod error;
pub mod feeds;
pub mod fields;
pub mod files;
pub mod frontmatter;
#[doc(hidden)]
pub mod fuzzing;
pub mod highlight;
pub mod history;
pub mod kinds;
pub mod link;
pub mod lint;
pub mod markdown;
pub mod media;
pub mod model;
pub mod nesting;
pub mod output;
pub mod packed;
pub mod past;
pub mod relations;
pub mod render;
pub mod reserved;
pub mod resolve;
pub mod review;
pub mod sanitize;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod since;
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
    /// A git ref: also apply the review rules to documents changed since it ([`since`]),
    /// and write the pull-request page ([`review::pull_request`]).
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

/// Runs `f`, and when the environment variable `LANTERN_TIMINGS` is set, reports on standard
/// error how long the stage `name` took. For profiling builds; the output never changes.
pub fn timed<T>(name: &str, f: impl FnOnce() -> T) -> T {
    if std::env::var_os("LANTERN_TIMINGS").is_none() {
        return f();
    }
    let start = std::time::Instant::now();
    let cpu = cpu_seconds();
    let value = f();
    eprintln!(
        "timing: {name} {:.3} s ({:.3} s CPU), then {} MB resident",
        start.elapsed().as_secs_f64(),
        cpu_seconds() - cpu,
        resident_mb()
    );
    value
}

/// Lets go of a long list on every core: freeing the values of ten thousand documents one
/// after another would leave the other core idle at the end of a build.
pub(crate) fn free<T: Send>(list: Vec<T>) {
    use rayon::prelude::*;
    list.into_par_iter().for_each(drop);
}

/// The memory this process holds now, in MB (Linux; 0 elsewhere), for [`timed`].
fn resident_mb() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096 / 1_000_000
}

/// The CPU time this process has used so far, user and system, in seconds (Linux; 0
/// elsewhere), for [`timed`].
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses and may hold spaces.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|t| t.parse::<u64>().ok())
        .sum();
    // Linux reports in clock ticks of USER_HZ, which is 100 on every architecture it supports.
    ticks as f64 / 100.0
}

/// Today, for review dates: the day of `SOURCE_DATE_EPOCH` when it is set (the
/// reproducible-builds convention), otherwise the system clock's.
pub fn today() -> date::Date {
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok());
    let now = epoch.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    });
    date::Date::from_unix(now)
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
    sink: &mut dyn output::Sink,
) -> Result<Build> {
    build_inner(options, previous, sink, None)
}

/// What a build was made from, kept by `serve` so that an edit redoes only what it
/// touches.
pub struct Model {
    pub linked: link::Linked,
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
    sink: &mut dyn output::Sink,
    keep: Option<&mut Option<Model>>,
) -> Result<Build> {
    let mut theme = timed("theme", || theme::Theme::load(&options.root))?;
    let loaded = timed("load", || content::load(&options.root))?;
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
    linked.figures = timed("charts", || {
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
        .map(|c| review::pull_request::page(c, &linked, &config, &diagnostics, &read));
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
    let mut discard = output::Discard;
    let sink: &mut dyn output::Sink = if build.has_errors() {
        &mut discard
    } else {
        sink
    };
    let rendered = timed("render", || render::render(&input, sink));
    match rendered {
        // What git said, for the next build to continue from.
        Ok(()) if !history.head.is_empty() => sink.put(vec![OutputFile {
            path: history::CACHE.to_string(),
            contents: render::Contents::Bytes(history.to_cache()),
        }])?,
        Ok(()) => {}
        Err(err) if build.has_errors() => build.render_error = Some(err),
        Err(err) => return Err(err),
    }
    match keep.filter(|_| !build.has_errors()) {
        Some(slot) => {
            *slot = Some(Model {
                linked,
                config,
                theme,
            })
        }
        None => {
            let link::Linked {
                docs,
                bodies,
                related,
                figures,
                ..
            } = linked;
            rayon::join(
                || rayon::join(|| free(docs), || free(bodies)),
                || rayon::join(|| free(related), || free(figures)),
            );
        }
    }
    Ok(build)
}
