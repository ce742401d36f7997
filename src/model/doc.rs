//! The content model (v1): the library's settings, its vocabularies and its documents as
//! plain data. Relations are held by id, with the place each id was written so that a later
//! stage can report a missing one. Nothing here reads files or checks rules.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::model::date::Date;
use crate::model::diagnostic::Pos;

/// `content/library.yaml`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub language: String,
    pub review_interval_months: u32,
    pub disclosure_min_count: u32,
    pub priority_areas: Vocab,
    pub outcomes: Vocab,
    pub ethnic_groups: Vocab,
    pub regions: Vocab,
    pub synonyms: BTreeMap<String, Vec<String>>,
    /// `style.avoid`: terms to avoid with a suggestion each, the defaults included.
    pub avoid: Vec<(String, String)>,
    pub limits: Limits,
}

/// `limits`: the largest input lantern reads, so that no file can make a build run out of
/// memory or time. Each is a setting because a library may need more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// The largest document (a Markdown file), in bytes.
    pub document_bytes: u64,
    /// The largest data file in `content/data/`, in bytes.
    pub data_bytes: u64,
    /// The most rows a chart or an equity table reads from one data file.
    pub data_rows: usize,
    /// The largest file in `content/media/`, in bytes.
    pub media_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            document_bytes: 2_000_000,
            data_bytes: 5_000_000,
            data_rows: 10_000,
            media_bytes: 20_000_000,
        }
    }
}

/// A controlled vocabulary: ids with their labels, in the order the library lists them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Vocab(pub Vec<(String, String)>);

impl Vocab {
    pub fn label(&self, id: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == id)
            .map(|(_, v)| v.as_str())
    }

    pub fn contains(&self, id: &str) -> bool {
        self.label(id).is_some()
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> + Clone {
        self.0.iter().map(|(k, _)| k.as_str())
    }
}

/// The five document types, decided by folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Site,
    Intervention,
    Evaluation,
    CaseStudy,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Site,
        Kind::Intervention,
        Kind::Evaluation,
        Kind::CaseStudy,
        Kind::Page,
    ];

    /// The folder under `content/`.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Site => "sites",
            Kind::Intervention => "interventions",
            Kind::Evaluation => "evaluations",
            Kind::CaseStudy => "case-studies",
            Kind::Page => "pages",
        }
    }

    pub fn from_folder(folder: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.folder() == folder)
    }

    /// The name used on the command line (`lantern new case-study ...`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Site => "site",
            Kind::Intervention => "intervention",
            Kind::Evaluation => "evaluation",
            Kind::CaseStudy => "case-study",
            Kind::Page => "page",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Singular label for readers.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Site => "Site",
            Kind::Intervention => "Intervention",
            Kind::Evaluation => "Evaluation",
            Kind::CaseStudy => "Case study",
            Kind::Page => "Page",
        }
    }

    /// Plural label for listings.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Site => "Sites",
            Kind::Intervention => "Interventions",
            Kind::Evaluation => "Evaluations",
            Kind::CaseStudy => "Case studies",
            Kind::Page => "Pages",
        }
    }

    /// Interventions, evaluations and case studies share the common fields.
    pub fn is_publication(self) -> bool {
        matches!(
            self,
            Kind::Intervention | Kind::Evaluation | Kind::CaseStudy
        )
    }

    /// The site path of a document of this kind, in directory form (`interventions/x/`).
    pub fn url(self, slug: &str) -> String {
        match self {
            Kind::Page => format!("{slug}/"),
            _ => format!("{}/{slug}/", self.folder()),
        }
    }
}

/// An id or slug as written in front matter, with its place for diagnostics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ref {
    pub id: String,
    #[serde(skip)]
    pub pos: Pos,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    #[default]
    Published,
    Archived,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Author {
    pub name: String,
    pub role: String,
}

/// One document: where it came from, its front matter and its Markdown body.
#[derive(Debug, Clone)]
pub struct Doc {
    pub kind: Kind,
    pub slug: String,
    /// Path from the library root with `/` separators (`content/sites/leicester.md`).
    pub path: String,
    /// The whole file, for diagnostics; the body is `text[body_offset..]`.
    pub text: Arc<str>,
    pub body_offset: usize,
    pub title: String,
    pub summary: String,
    pub meta: Meta,
    pub extra: Extra,
}

impl Doc {
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    /// Where the top-level front-matter field `key:` is written, for a diagnostic about it.
    pub fn field_pos(&self, key: &str) -> Option<Pos> {
        self.text[..self.body_offset]
            .lines()
            .position(|l| {
                l.strip_prefix(key)
                    .is_some_and(|rest| rest.starts_with(':'))
            })
            .map(|i| Pos::new(i + 1, 1, key.len()))
    }

    pub fn url(&self) -> String {
        self.kind.url(&self.slug)
    }
}

/// Fields common to interventions, evaluations and case studies (defaults for the others).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Meta {
    pub sites: Vec<Ref>,
    pub priority_areas: Vec<Ref>,
    pub outcomes: Vec<Ref>,
    pub ethnic_groups: Vec<Ref>,
    pub status: Status,
    pub published: Option<Date>,
    pub updated: Option<Date>,
    pub last_reviewed: Option<Date>,
    pub review_due: Option<Date>,
    pub version: u32,
    pub change_note: Option<String>,
    pub authors: Vec<Author>,
    pub contact: Option<String>,
    pub tags: Vec<String>,
    pub aliases: Vec<Ref>,
    pub example: bool,
}

/// Fields of one document type.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Extra {
    Site(SiteFields),
    Intervention(Box<InterventionFields>),
    Evaluation(Box<EvaluationFields>),
    CaseStudy(CaseStudyFields),
    Page(PageFields),
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct SiteFields {
    pub name: String,
    pub kind: String,
    pub region: Ref,
    pub ics: String,
    pub website: Option<String>,
}

impl Default for Ref {
    fn default() -> Self {
        Ref {
            id: String::new(),
            pos: Pos::start(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct InterventionFields {
    pub stage: String,
    pub aim: String,
    pub qi_method: Option<String>,
    pub driver_diagram: Option<DriverDiagram>,
    pub measures: Vec<Measure>,
    pub pdsa_cycles: Vec<PdsaCycle>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DriverDiagram {
    pub aim: String,
    pub primary: Vec<PrimaryDriver>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct PrimaryDriver {
    pub driver: String,
    pub secondary: Vec<SecondaryDriver>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct SecondaryDriver {
    pub driver: String,
    pub change_ideas: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Measure {
    pub name: String,
    pub kind: String,
    pub definition: String,
    pub unit: String,
    pub direction: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct PdsaCycle {
    pub cycle: i64,
    pub title: String,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub plan: String,
    #[serde(rename = "do")]
    pub do_: String,
    pub study: String,
    pub act: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct EvaluationFields {
    pub evaluates: Vec<Ref>,
    pub period_from: Option<Date>,
    pub period_to: Option<Date>,
    pub design: String,
    pub spread_recommendation: Option<String>,
    pub charts: Vec<Chart>,
    pub equity: Vec<Equity>,
}

/// The largest number, in size, that a chart or an equity table takes (a value, a count, a
/// target, `per`): beyond any real figure, and small enough that sums and limits over the
/// rows of a file stay finite.
pub const LARGEST_NUMBER: f64 = 1e12;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Chart {
    pub title: String,
    pub data: Ref,
    pub direction: String,
    pub target: Option<f64>,
    pub unit: Option<String>,
    pub per: Option<f64>,
    /// Dates that start new limits, with where each is written.
    #[serde(skip)]
    pub rebase: Vec<(Date, Pos)>,
    pub screen_outliers: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Equity {
    pub title: String,
    pub data: Ref,
    pub reference_group: Ref,
    pub per: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CaseStudyFields {
    pub interventions: Vec<Ref>,
    pub evaluations: Vec<Ref>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct PageFields {
    pub menu: Option<i64>,
}

/// Everything loaded from `content/`.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub config: Config,
    pub docs: Vec<Doc>,
    /// Files under `content/media/`, as paths relative to `content/` (`media/x.png`).
    pub media: Vec<String>,
    /// Files under `content/data/`, as paths relative to `content/` (`data/x.csv`).
    pub data: Vec<String>,
    /// The text of each CSV file under `content/data/`, and of each other file there that
    /// is UTF-8 text, by the same paths.
    pub tables: BTreeMap<String, Arc<str>>,
}
