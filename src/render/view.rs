//! Template views: the values templates see for a document, a listing entry and the site.
//! Cards and bodies are made once as template values and shared by every page that shows
//! them (a clone is a reference count). A document page's own values are made as template
//! values directly, as every page needs them; the site's and listings' are built as JSON.
//!
//! In: linked documents and the config. Out: values whose links are site paths in file
//! form (`interventions/x/index.html`); templates prefix them with `root`.

use serde_json::{Value, json};
use tera::value::Key;

use crate::link::{Linked, Related};
use crate::markdown::Rendered;
use crate::model::date::Date;
use crate::model::url::page_file;
use crate::model::{Config, Doc, Extra, InterventionFields, Kind, Ref, Status, Vocab};

fn date(d: Option<Date>) -> Value {
    match d {
        Some(d) => json!({"iso": d.to_string(), "long": d.long()}),
        None => Value::Null,
    }
}

/// A template value of anything serialisable.
pub fn value<T: serde::Serialize + ?Sized>(x: &T) -> tera::Value {
    tera::Value::from_serializable(x)
}

/// A template map of these keys and values.
pub fn map(entries: impl IntoIterator<Item = (&'static str, tera::Value)>) -> tera::Value {
    tera::Value::from(map_of(entries))
}

/// [`map`], before it is made a value, for more entries to go in.
fn map_of(entries: impl IntoIterator<Item = (&'static str, tera::Value)>) -> tera::Map {
    let mut map = tera::Map::default();
    for (key, value) in entries {
        map.insert(Key::Str(key), value);
    }
    map
}

/// [`date`] as a template value.
fn date_value(d: Option<Date>) -> tera::Value {
    match d {
        Some(d) => map([("iso", d.to_string().into()), ("long", d.long().into())]),
        None => tera::Value::none(),
    }
}

/// A facet's values on a document, with labels and links.
fn labelled(refs: &[Ref], vocab: &Vocab, folder: &str) -> tera::Value {
    let list = refs.iter().map(|r| {
        map([
            ("id", r.id.as_str().into()),
            ("label", vocab.label(&r.id).unwrap_or(&r.id).into()),
            ("href", page_file(&format!("{folder}/{}/", r.id)).into()),
        ])
    });
    self::list(list)
}

/// `json` (an object) with `shared` added under their keys, as a template value.
pub fn merge(json: &Value, shared: Vec<(&'static str, tera::Value)>) -> tera::Value {
    let mut map = tera::Value::from_serializable(json)
        .into_map()
        .unwrap_or_default();
    for (key, value) in shared {
        map.insert(key.into(), value);
    }
    tera::Value::from(map)
}

/// A list of template values.
pub fn list(values: impl IntoIterator<Item = tera::Value>) -> tera::Value {
    tera::Value::from(values.into_iter().collect::<Vec<_>>())
}

/// A document's values: its own, and its body and related documents' cards, which are
/// shared with other pages.
pub struct DocValues {
    pub values: tera::Map,
    pub shared: Vec<(&'static str, tera::Value)>,
    /// An evaluation's figures, which go under `evaluation`: made into a template value
    /// straight from the figures, since they hold every chart's SVG and data rows.
    pub figures: Option<tera::Value>,
}

impl DocValues {
    /// Sets the value of `key`.
    pub fn set(&mut self, key: &'static str, value: tera::Value) {
        self.values.insert(Key::Str(key), value);
    }

    /// Sets every entry of a JSON object.
    pub fn extend(&mut self, json: Value) {
        if let Value::Object(entries) = json {
            for (key, json) in entries {
                self.values.insert(Key::from(key), value(&json));
            }
        }
    }

    /// The values of the document's page: `{"doc": …}`.
    pub fn page(self) -> tera::Value {
        let mut doc = self.values;
        for (key, value) in self.shared {
            doc.insert(Key::Str(key), value);
        }
        if let Some(figures) = self.figures {
            let evaluation = doc.remove(&Key::Str("evaluation"));
            let mut evaluation = evaluation.and_then(|e| e.into_map()).unwrap_or_default();
            evaluation.insert(Key::Str("figures"), figures);
            doc.insert(Key::Str("evaluation"), tera::Value::from(evaluation));
        }
        map([("doc", tera::Value::from(doc))])
    }

    /// Keeps the first `n` cards of the shared list `key`.
    pub fn truncate(&mut self, key: &str, n: usize) {
        for (k, v) in &mut self.shared {
            if *k == key
                && let Some(items) = v.as_array()
                && items.len() > n
            {
                *v = tera::Value::from(items[..n].to_vec());
            }
        }
    }
}

/// The short form shown in listings and related lists.
pub fn card(linked: &Linked, i: usize) -> tera::Value {
    tera::Value::from_serializable(&card_json(linked, i))
}

/// [`card`] as JSON.
fn card_json(linked: &Linked, i: usize) -> Value {
    let doc = &linked.docs[i];
    let sites: Vec<Value> = linked.related[i]
        .sites
        .iter()
        .map(|&s| json!({"label": linked.docs[s].title, "href": page_file(&linked.docs[s].url())}))
        .collect();
    json!({
        "title": doc.title,
        "summary": doc.summary,
        "kind": doc.kind,
        "kind_label": doc.kind.label(),
        "href": page_file(&doc.url()),
        "published": date(doc.meta.published),
        "sites": sites,
        "example": doc.meta.example,
        "archived": doc.meta.status == Status::Archived,
        "draft": doc.meta.status == Status::Draft,
    })
}

/// Everything a document page shows, with its figures when it has any (drawn from its
/// [`crate::charts::Plan`]).
pub fn document(
    linked: &Linked,
    cards: &[tera::Value],
    config: &Config,
    i: usize,
    figures: Option<&crate::charts::Figures>,
) -> DocValues {
    let mut v = document_of(
        &linked.docs[i],
        &linked.bodies[i],
        &linked.related[i],
        cards,
        config,
    );
    // Figures come from today's data files, so only the current version shows them.
    if v.values.contains_key(&Key::Str("evaluation")) {
        v.figures = figures.map(tera::Value::from_serializable);
    }
    v
}

/// Everything a page shows of `doc` rendered as `body`, with `related` documents (indexes
/// into `cards`): the document as it is, or one of its versions.
pub fn document_of(
    doc: &Doc,
    body: &Rendered,
    related: &Related,
    cards: &[tera::Value],
    config: &Config,
) -> DocValues {
    let pick = |ids: &[usize]| list(ids.iter().map(|&j| cards[j].clone()));
    let entry = |level: u8, id: &str, text: &str| {
        map([
            ("level", u64::from(level).into()),
            ("id", id.into()),
            ("text", text.into()),
        ])
    };
    let mut toc: Vec<tera::Value> = structured_sections(&doc.extra)
        .into_iter()
        .map(|(id, text)| entry(2, id, text))
        .collect();
    toc.extend(
        body.headings
            .iter()
            .filter(|h| h.level == 2 || h.level == 3)
            .map(|h| entry(h.level, &h.id, &h.text)),
    );
    if !related.interventions.is_empty()
        || !related.evaluations.is_empty()
        || !related.case_studies.is_empty()
    {
        toc.push(entry(2, "related", "Related documents"));
    }
    // A table of contents only where there is enough to find one's way through.
    if toc.len() < 4 {
        toc.clear();
    }
    let listing = map([
        ("label", doc.kind.plural().into()),
        ("href", page_file(&format!("{}/", doc.kind.folder())).into()),
    ]);
    let meta = &doc.meta;
    let mut values = map_of([
        ("title", doc.title.as_str().into()),
        ("summary", doc.summary.as_str().into()),
        ("kind", value(&doc.kind)),
        ("kind_label", doc.kind.label().into()),
        ("listing", listing),
        ("toc", list(toc)),
        ("status", value(&meta.status)),
        ("example", meta.example.into()),
        ("published", date_value(meta.published)),
        ("updated", date_value(meta.updated)),
        ("last_reviewed", date_value(meta.last_reviewed)),
        ("review_due", date_value(meta.review_due)),
        ("version", value(&meta.version)),
        ("change_note", value(&meta.change_note)),
        ("authors", value(&meta.authors)),
        ("contact", value(&meta.contact)),
        ("tags", value(&meta.tags)),
        (
            "priority_areas",
            labelled(
                &meta.priority_areas,
                &config.priority_areas,
                "priority-areas",
            ),
        ),
        (
            "outcomes",
            labelled(&meta.outcomes, &config.outcomes, "outcomes"),
        ),
        (
            "ethnic_groups",
            labelled(&meta.ethnic_groups, &config.ethnic_groups, "ethnic-groups"),
        ),
    ]);
    let extra = match &doc.extra {
        Extra::Intervention(x) => Some(("intervention", value(&intervention(x)))),
        Extra::Evaluation(x) => Some((
            "evaluation",
            map([
                ("period_from", date_value(x.period_from)),
                ("period_to", date_value(x.period_to)),
                ("design", label(DESIGNS, &x.design).into()),
                ("spread_id", value(&x.spread_recommendation)),
                (
                    "spread_recommendation",
                    value(&x.spread_recommendation.as_deref().map(|s| label(SPREAD, s))),
                ),
                (
                    "charts",
                    list(x.charts.iter().map(|c| c.title.as_str().into())),
                ),
                (
                    "equity",
                    list(x.equity.iter().map(|e| e.title.as_str().into())),
                ),
            ]),
        )),
        Extra::Site(s) => Some((
            "site",
            map([
                ("name", s.name.as_str().into()),
                ("kind", site_kind(&s.kind).into()),
                (
                    "region",
                    config
                        .regions
                        .label(&s.region.id)
                        .unwrap_or(&s.region.id)
                        .into(),
                ),
                ("ics", s.ics.as_str().into()),
                ("website", value(&s.website)),
                (
                    "website_label",
                    value(&s.website.as_deref().map(website_label)),
                ),
            ]),
        )),
        Extra::CaseStudy(_) | Extra::Page(_) => None,
    };
    if let Some((key, value)) = extra {
        values.insert(Key::Str(key), value);
    }
    DocValues {
        values,
        shared: vec![
            ("body", tera::Value::from(body.html.unpack())),
            ("sites", pick(&related.sites)),
            ("interventions", pick(&related.interventions)),
            ("evaluations", pick(&related.evaluations)),
            ("case_studies", pick(&related.case_studies)),
            ("documents", pick(&related.documents)),
        ],
        figures: None,
    }
}

pub fn site_kind(kind: &str) -> &'static str {
    match kind {
        "trust" => "NHS trust",
        "ics" => "Integrated care system",
        "lmns" => "Local maternity and neonatal system",
        _ => "Partnership",
    }
}

/// The sections the theme writes before the body, by heading id (see `THEME_IDS`).
fn structured_sections(extra: &Extra) -> Vec<(&'static str, &'static str)> {
    match extra {
        Extra::Intervention(x) => {
            let mut list = vec![("the-aim", "Aim")];
            if x.driver_diagram.is_some() {
                list.push(("the-driver-diagram", "Driver diagram"));
            }
            if !x.measures.is_empty() {
                list.push(("the-measures", "Measures"));
            }
            if !x.pdsa_cycles.is_empty() {
                list.push(("the-pdsa-cycles", "Plan, do, study, act cycles"));
            }
            list
        }
        Extra::Evaluation(_) => vec![("the-evaluation", "About this evaluation")],
        _ => Vec::new(),
    }
}

/// Readers' labels for the ids of the content model's fixed choices.
const STAGES: &[(&str, &str)] = &[
    ("planning", "Planning"),
    ("testing", "Testing"),
    ("implementing", "Implementing"),
    ("sustaining", "Sustaining"),
    ("spreading", "Spreading"),
];
const DESIGNS: &[(&str, &str)] = &[
    (
        "spc-time-series",
        "Statistical process control (time series)",
    ),
    ("pre-post", "Before and after"),
    ("interrupted-time-series", "Interrupted time series"),
    ("mixed-methods", "Mixed methods"),
    ("qualitative", "Qualitative"),
    ("controlled-before-after", "Controlled before and after"),
];
const SPREAD: &[(&str, &str)] = &[
    ("yes", "Yes"),
    ("with-adaptation", "Yes, with adaptation"),
    ("no", "No"),
    ("insufficient-evidence", "Not enough evidence yet"),
];
const MEASURE_KINDS: &[(&str, &str)] = &[
    ("outcome", "Outcome"),
    ("process", "Process"),
    ("balancing", "Balancing"),
];
const DIRECTIONS: &[(&str, &str)] = &[
    ("increase", "Higher"),
    ("decrease", "Lower"),
    ("neutral", "Neither: watched for change"),
];
/// PDSA decisions with what each means.
const ACTS: &[(&str, &str, &str)] = &[
    (
        "adopt",
        "Adopt",
        "the change worked and became the way things are done",
    ),
    ("adapt", "Adapt", "the change was modified and tested again"),
    (
        "abandon",
        "Abandon",
        "the change did not work and was stopped",
    ),
];

fn label(table: &[(&str, &'static str)], id: &str) -> String {
    table
        .iter()
        .find(|(k, _)| *k == id)
        .map_or_else(|| id.replace('-', " "), |(_, v)| v.to_string())
}

fn intervention(x: &InterventionFields) -> Value {
    let current = STAGES.iter().position(|(id, _)| *id == x.stage);
    let stages: Vec<Value> = STAGES
        .iter()
        .enumerate()
        .map(|(n, (id, label))| {
            json!({
                "id": id,
                "label": label,
                "current": Some(n) == current,
                "done": current.is_some_and(|c| n < c),
            })
        })
        .collect();
    let measures: Vec<Value> = x
        .measures
        .iter()
        .map(|m| {
            json!({
                "name": m.name,
                "kind_label": label(MEASURE_KINDS, &m.kind),
                "definition": m.definition,
                "unit": m.unit,
                "direction_label": label(DIRECTIONS, &m.direction),
            })
        })
        .collect();
    let cycles: Vec<Value> = x
        .pdsa_cycles
        .iter()
        .map(|c| {
            let act = ACTS.iter().find(|(id, _, _)| *id == c.act);
            json!({
                "cycle": c.cycle,
                "title": c.title,
                "start": date(c.start),
                "end": date(c.end),
                "plan": c.plan,
                "do": c.do_,
                "study": c.study,
                "act": c.act,
                "act_label": act.map(|a| a.1),
                "act_meaning": act.map(|a| a.2),
            })
        })
        .collect();
    json!({
        "aim": x.aim,
        "stage": x.stage,
        "stages": stages,
        "qi_method": x.qi_method,
        "driver_diagram": x.driver_diagram,
        "measures": measures,
        "pdsa_cycles": cycles,
    })
}

/// A web address as readers say it: without the scheme and the trailing slash.
fn website_label(url: &str) -> &str {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    rest.strip_suffix('/').unwrap_or(rest)
}

/// The site-wide values every page sees: title, navigation.
pub fn site(linked: &Linked, config: &Config) -> Value {
    let mut pages: Vec<&Doc> = linked
        .docs
        .iter()
        .filter(|d| matches!(&d.extra, Extra::Page(p) if p.menu.is_some()))
        .collect();
    pages.sort_by_key(|d| match &d.extra {
        Extra::Page(p) => (p.menu.unwrap_or(0), d.slug.clone()),
        _ => (0, d.slug.clone()),
    });
    let mut nav: Vec<Value> = [
        Kind::Intervention,
        Kind::Evaluation,
        Kind::CaseStudy,
        Kind::Site,
    ]
    .iter()
    .map(|k| nav_item(k.plural(), &format!("{}/", k.folder())))
    .collect();
    nav.push(nav_item("Search", "search/"));
    let mut footer: Vec<Value> = pages.iter().map(|d| nav_item(&d.title, &d.url())).collect();
    footer.push(json!({"label": "New publications (Atom feed)", "href": "feed.xml"}));
    footer.push(json!({"label": "Open data (JSON)", "href": "api/documents.json"}));
    footer.push(json!({"label": "Sitemap", "href": "sitemap.xml"}));
    footer.push(json!({"label": "Review dates", "href": "review/index.html"}));
    nav.extend(pages.iter().map(|d| {
        let mut item = nav_item(&d.title, &d.url());
        item["page"] = Value::Bool(true);
        item
    }));
    json!({
        "title": config.title,
        "description": config.description,
        "language": config.language,
        "nav": nav,
        "footer": footer,
    })
}

/// A navigation entry: `section` is the page's folder, so a template can mark the entry
/// current on every page beneath it.
fn nav_item(label: &str, dir: &str) -> Value {
    json!({"label": label, "href": page_file(dir), "section": dir})
}

/// `review/`: every published document by its review date, earliest (so overdue) first,
/// for the team that keeps the library current. Documents without a date come last. Each
/// entry is the document's card (from `cards`) with its review dates and contact.
pub fn review_page(linked: &Linked, cards: &[tera::Value]) -> tera::Value {
    let mut order: Vec<usize> = (0..linked.docs.len())
        .filter(|&i| {
            let d = &linked.docs[i];
            d.kind.is_publication() && d.meta.status == Status::Published
        })
        .collect();
    order.sort_by_key(|&i| {
        let d = &linked.docs[i];
        (
            d.meta.review_due.is_none(),
            d.meta.review_due,
            d.path.clone(),
        )
    });
    let items = order.into_iter().map(|i| {
        let meta = &linked.docs[i].meta;
        let mut item = cards[i].clone().into_map().unwrap_or_default();
        item.extend(map_of([
            ("review_due", date_value(meta.review_due)),
            ("last_reviewed", date_value(meta.last_reviewed)),
            ("contact", value(&meta.contact)),
        ]));
        tera::Value::from(item)
    });
    map([("items", list(items))])
}
