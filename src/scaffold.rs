//! `lantern new`: writes a new document with every required field and the body sections its
//! type expects, marked with TODO so that `lantern check` warns until they are filled in.
//!
//! In: the library root, a document type and a slug. Out: the new file's path. Never
//! overwrites a file.

use std::path::{Path, PathBuf};

use crate::load::config;
use crate::model::error::{Error, Result};
use crate::model::{Kind, slug};

/// Creates `content/<folder>/<slug>.md` and returns its path.
pub fn new_document(root: &Path, kind_name: &str, slug_text: &str) -> Result<PathBuf> {
    let kind = Kind::from_name(kind_name).ok_or_else(|| {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        Error::Other(format!(
            "unknown document type `{kind_name}`: use one of {}",
            names.join(", ")
        ))
    })?;
    if let Err(suggested) = slug::check(slug_text) {
        return Err(Error::Other(format!(
            "`{slug_text}` is not a valid slug: use lower-case letters, digits and hyphens, e.g. `{suggested}`"
        )));
    }
    if slug::is_reserved(kind, slug_text) {
        return Err(Error::Other(format!(
            "`{slug_text}` is a name the site uses itself: choose another slug"
        )));
    }
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Error::Other(format!(
            "no content folder at {}: run lantern in the library folder, or pass --root DIR",
            content.display()
        )));
    }
    let folder = content.join(kind.folder());
    let path = folder.join(format!("{slug_text}.md"));
    if path.exists() {
        return Err(Error::Other(format!(
            "{} already exists: choose another slug or edit it",
            path.display()
        )));
    }
    let defaults = Defaults::read(&content);
    std::fs::create_dir_all(&folder).map_err(|e| Error::io("create", &folder, e))?;
    std::fs::write(&path, text(kind, &defaults)).map_err(|e| Error::io("write", &path, e))?;
    Ok(path)
}

/// Ids taken from the library so that a new document is valid apart from its TODOs.
struct Defaults {
    site: String,
    priority_area: String,
    region: String,
    intervention: String,
}

impl Defaults {
    fn read(content: &Path) -> Defaults {
        let first_doc = |folder: &str, fallback: &str| {
            let mut names: Vec<String> = std::fs::read_dir(content.join(folder))
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|e| {
                    e.file_name()
                        .to_str()?
                        .strip_suffix(".md")
                        .map(str::to_string)
                })
                .filter(|n| slug::check(n).is_ok())
                .collect();
            names.sort();
            names
                .into_iter()
                .next()
                .unwrap_or_else(|| fallback.to_string())
        };
        let yaml = std::fs::read_to_string(content.join("library.yaml")).unwrap_or_default();
        let config = config::parse(&yaml, &mut Vec::new());
        let first = |v: &crate::model::Vocab, fallback: &str| {
            v.ids().next().unwrap_or(fallback).to_string()
        };
        Defaults {
            site: first_doc("sites", "your-site-id"),
            priority_area: first(&config.priority_areas, "postpartum-haemorrhage"),
            region: first(&config.regions, "london"),
            intervention: first_doc("interventions", "an-intervention-slug"),
        }
    }
}

fn common(d: &Defaults) -> String {
    format!(
        "title: \"TODO: a clear title of up to 120 characters\"\n\
summary: \"TODO: one or two plain-language sentences of up to 300 characters\"\n\
sites: [{}]  # TODO: your site ids (file names in content/sites/)\n\
priority_areas: [{}]  # TODO: ids from content/library.yaml\n\
outcomes: []\n\
ethnic_groups: []\n\
status: draft  # set to published, with a published date, when it is ready\n\
version: 1\n\
contact: \"TODO: a role, not a person, e.g. Maternity QI lead\"\n",
        d.site, d.priority_area
    )
}

fn sections(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("## {n}\n\nTODO: write this section.\n"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn text(kind: Kind, d: &Defaults) -> String {
    let (fields, body) = match kind {
        Kind::Intervention => (
            common(d)
                + "stage: planning  # planning, testing, implementing, sustaining, spreading or stopped\n\
aim: \"TODO: a SMART aim: what will improve, for whom, by how much and by when\"\n",
            sections(&[
                "Background",
                "What we are changing",
                "How we are measuring it",
                "What we have learned",
            ]),
        ),
        Kind::Evaluation => (
            common(d)
                + &format!(
                    "evaluates: [{}]  # TODO: the interventions this evaluates\n\
period: {{from: 2025-01-01, to: 2025-12-31}}  # TODO: the period the data covers\n\
design: pre-post  # TODO: spc-time-series, pre-post, interrupted-time-series, mixed-methods, qualitative or controlled-before-after\n",
                    d.intervention
                ),
            sections(&["Background", "Methods", "Results", "Equity", "Conclusions"]),
        ),
        Kind::CaseStudy => (
            common(d) + "interventions: []\nevaluations: []\n",
            sections(&[
                "Background",
                "What we did",
                "Impact",
                "Key learning",
                "Contact",
            ]),
        ),
        Kind::Site => (
            format!(
                "name: \"TODO: the organisation's name\"\n\
kind: trust  # trust, ics, lmns or partnership\n\
region: {}  # TODO: an id from regions in content/library.yaml\n\
ics: \"TODO: the integrated care system\"\n",
                d.region
            ),
            "TODO: a short profile of the site and its part in the network.\n".to_string(),
        ),
        Kind::Page => (
            "title: \"TODO: the page title\"\nsummary: \"TODO: one sentence about the page\"\n"
                .to_string(),
            "TODO: write the page.\n".to_string(),
        ),
    };
    format!("---\n{fields}---\n\n{body}")
}
