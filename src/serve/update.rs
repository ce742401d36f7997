//! Rebuilding after a change, doing only what the change needs.
//!
//! In: the kept [`State`] of the last good build and the files that changed. Out: the files
//! of the site to replace. A change to the text of published documents, below their front
//! matter and keeping their headings, re-renders those documents' pages alone (no other
//! page shows a body) and leaves the search index to be brought up to date once the writer
//! pauses ([`search`]). A change to the theme alone renders the pages again from what was
//! kept, without reading Markdown. Anything else — front matter, headings, a new or
//! removed file, data, `library.yaml`, or a change that brings an error — is a whole build,
//! which also shows the errors.

use crate::check::review;
use crate::markdown::Heading;
use crate::model::site::OutputFile;
use crate::render::Kept;
use crate::{Model, Options, link, markdown};

/// What the last good build was made from.
pub struct State {
    pub model: Model,
    kept: Kept,
    /// Each published document's headings, for checking links to them.
    outlines: Vec<Vec<Heading>>,
}

impl State {
    pub fn new(model: Model) -> Option<State> {
        let kept = Kept::new(&model.linked, &model.config, &model.theme).ok()?;
        let outlines = model
            .linked
            .docs
            .iter()
            .map(|d| markdown::outline(d.body()))
            .collect();
        Some(State {
            model,
            kept,
            outlines,
        })
    }
}

/// The pages to replace after `paths` changed, when they were all edits of the text of
/// published documents; `None` when the change needs a whole build.
pub fn edit(
    state: &mut State,
    options: &Options,
    paths: &[std::path::PathBuf],
) -> Option<Vec<OutputFile>> {
    let root = &options.root;
    let mut changed = Vec::new();
    for path in paths {
        let rel = path
            .strip_prefix(root)
            .ok()?
            .to_string_lossy()
            .replace('\\', "/");
        if !rel.starts_with("content/") {
            return None;
        }
        if !path.exists() {
            // An editor's temporary file that came and went is nothing; a file of the
            // library that went is a whole build.
            let inside = rel.trim_start_matches("content/");
            let folder = format!("{inside}/");
            let linked = &state.model.linked;
            let known = rel.ends_with(".md")
                || linked
                    .media
                    .iter()
                    .chain(&linked.data)
                    .any(|m| m == inside || m.starts_with(&folder))
                || linked
                    .docs
                    .iter()
                    .any(|d| d.path.starts_with(&format!("{rel}/")));
            if known {
                return None;
            }
            continue;
        }
        if !rel.ends_with(".md") {
            return None;
        }
        if !changed.contains(&rel) {
            changed.push(rel);
        }
    }
    let mut pages = Vec::new();
    for rel in changed {
        let (doc, diagnostics) = crate::load::read_document(root, &rel, &state.model.config)
            .ok()
            .flatten()?;
        let doc = doc?;
        let linked = &state.model.linked;
        let i = linked.docs.iter().position(|d| d.path == rel)?;
        let old = &linked.docs[i];
        let same_front_matter = doc.text.get(..doc.body_offset) == old.text.get(..old.body_offset);
        if !same_front_matter || markdown::outline(doc.body()) != state.outlines[i] {
            return None;
        }
        let today = crate::sys::usage::today();
        let review = review::check(
            std::slice::from_ref(&doc),
            &Default::default(),
            &state.model.config,
            today,
        );
        let (body, links, data) = link::render_one(linked, &state.outlines, i, &doc);
        // A newly linked data file is published and checked by a whole build.
        if data.iter().any(|d| !linked.data_files.contains(d)) {
            return None;
        }
        let any_error = diagnostics
            .iter()
            .chain(&review)
            .chain(&links)
            .any(|d| d.is_error());
        if any_error {
            return None;
        }
        // `updated` and the like came from the whole build: keep them.
        let mut doc = doc;
        doc.meta = old.meta.clone();
        let linked = &mut state.model.linked;
        linked.docs[i] = doc;
        linked.bodies[i] = body;
        pages.push(
            state
                .kept
                .document_page(
                    &state.model.linked,
                    &state.model.plans,
                    &state.model.config,
                    i,
                )
                .ok()?,
        );
    }
    Some(pages)
}

/// Whether only the theme changed, so that pages can be rendered again without reading
/// Markdown (the search index, which no template touches, stays).
pub fn theme_only(options: &Options, paths: &[std::path::PathBuf]) -> bool {
    let themes = options.root.join("themes");
    !paths.is_empty() && paths.iter().all(|p| p.starts_with(&themes))
}

/// Reads the theme again.
pub fn load_theme(state: &mut State, options: &Options) -> crate::Result<()> {
    let theme = crate::load::theme::Theme::load(&options.root)?;
    state.kept.set_theme(&theme)?;
    state.model.theme = theme;
    Ok(())
}

/// The site's pages rendered again from what was kept, all of them or `only` these.
pub fn render_pages(
    state: &State,
    options: &Options,
    only: Option<&std::collections::HashSet<String>>,
) -> crate::Result<Vec<OutputFile>> {
    let (histories, texts) = (Default::default(), Default::default());
    let past = crate::render::past::Past {
        histories: &histories,
        texts: &texts,
    };
    let previous = crate::output::Previous::default();
    let input = crate::render::Input {
        linked: &state.model.linked,
        plans: &state.model.plans,
        config: &state.model.config,
        theme: &state.model.theme,
        content: &options.root.join("content"),
        search: None,
        past: &past,
        previous: &previous,
        fingerprint: 0,
        pull_request: None,
        only,
        cards: Some(state.kept.cards()),
    };
    let mut files = Vec::new();
    crate::render::render(&input, &mut files)?;
    Ok(files)
}

/// The search index of the library as it now is.
pub fn search(state: &State) -> Vec<OutputFile> {
    crate::search::index(&state.model.linked, &state.model.config)
}
