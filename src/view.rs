//! Template views: the plain JSON values templates see for a document, a listing entry and
//! the site. Built once per document and reused by every page that shows it.
//!
//! In: linked documents and the config. Out: `serde_json` values whose links are site paths
//! in file form (`interventions/x/index.html`); templates prefix them with `root`.

use serde_json::{Value, json};

use crate::date::Date;
use crate::link::Linked;
use crate::model::{Config, Doc, Extra, Kind, Ref, Status, Vocab};
use crate::url::page_file;

/// The facets a publication is filed under, with their URL folder and vocabulary.
pub fn facets(config: &Config) -> [(&'static str, &'static str, &Vocab); 3] {
    [
        ("priority-areas", "Priority areas", &config.priority_areas),
        ("outcomes", "Outcomes", &config.outcomes),
        ("ethnic-groups", "Ethnic groups", &config.ethnic_groups),
    ]
}

/// The ids of one facet on a document.
pub fn facet_refs<'d>(doc: &'d Doc, folder: &str) -> &'d [Ref] {
    match folder {
        "priority-areas" => &doc.meta.priority_areas,
        "outcomes" => &doc.meta.outcomes,
        _ => &doc.meta.ethnic_groups,
    }
}

fn labelled(refs: &[Ref], vocab: &Vocab, folder: &str) -> Value {
    refs.iter()
        .map(|r| {
            json!({
                "id": r.id,
                "label": vocab.label(&r.id).unwrap_or(&r.id),
                "href": page_file(&format!("{folder}/{}/", r.id)),
            })
        })
        .collect()
}

fn date(d: Option<Date>) -> Value {
    match d {
        Some(d) => json!({"iso": d.to_string(), "long": d.long()}),
        None => Value::Null,
    }
}

/// The short form shown in listings and related lists.
pub fn card(linked: &Linked, i: usize) -> Value {
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

/// Everything a document page shows.
pub fn document(linked: &Linked, cards: &[Value], config: &Config, i: usize) -> Value {
    let doc = &linked.docs[i];
    let body = &linked.bodies[i];
    let related = &linked.related[i];
    let pick = |list: &[usize]| -> Value { list.iter().map(|&j| cards[j].clone()).collect() };
    let toc: Vec<Value> = body
        .headings
        .iter()
        .filter(|h| h.level == 2 || h.level == 3)
        .map(|h| json!({"level": h.level, "id": h.id, "text": h.text}))
        .collect();
    let mut v = json!({
        "card": cards[i],
        "title": doc.title,
        "summary": doc.summary,
        "kind": doc.kind,
        "kind_label": doc.kind.label(),
        "listing": {"label": doc.kind.plural(), "href": page_file(&format!("{}/", doc.kind.folder()))},
        "body": body.html,
        "toc": if toc.len() >= 3 { Value::Array(toc) } else { Value::Array(Vec::new()) },
        "status": doc.meta.status,
        "example": doc.meta.example,
        "published": date(doc.meta.published),
        "updated": date(doc.meta.updated),
        "last_reviewed": date(doc.meta.last_reviewed),
        "review_due": date(doc.meta.review_due),
        "version": doc.meta.version,
        "change_note": doc.meta.change_note,
        "authors": doc.meta.authors,
        "contact": doc.meta.contact,
        "tags": doc.meta.tags,
        "sites": pick(&related.sites),
        "priority_areas": labelled(&doc.meta.priority_areas, &config.priority_areas, "priority-areas"),
        "outcomes": labelled(&doc.meta.outcomes, &config.outcomes, "outcomes"),
        "ethnic_groups": labelled(&doc.meta.ethnic_groups, &config.ethnic_groups, "ethnic-groups"),
        "interventions": pick(&related.interventions),
        "evaluations": pick(&related.evaluations),
        "case_studies": pick(&related.case_studies),
        "documents": pick(&related.documents),
    });
    let extra = match &doc.extra {
        Extra::Intervention(x) => json!({"intervention": x}),
        Extra::Evaluation(x) => {
            let data = |r: &Ref| crate::url::encode_path(&format!("data/{}", r.id));
            json!({"evaluation": {
                "period_from": date(x.period_from),
                "period_to": date(x.period_to),
                "design": x.design.replace('-', " "),
                "spread_recommendation": x.spread_recommendation.as_ref().map(|s| s.replace('-', " ")),
                "charts": x.charts.iter().map(|c| json!({"title": c.title, "data": data(&c.data), "direction": c.direction, "unit": c.unit})).collect::<Vec<_>>(),
                "equity": x.equity.iter().map(|e| json!({"title": e.title, "data": data(&e.data)})).collect::<Vec<_>>(),
            }})
        }
        Extra::Site(s) => json!({"site": {
            "name": s.name,
            "kind": site_kind(&s.kind),
            "region": config.regions.label(&s.region.id).unwrap_or(&s.region.id),
            "ics": s.ics,
            "website": s.website,
        }}),
        Extra::CaseStudy(_) | Extra::Page(_) => json!({}),
    };
    if let (Value::Object(v), Value::Object(extra)) = (&mut v, extra) {
        v.extend(extra);
    }
    v
}

pub fn site_kind(kind: &str) -> &'static str {
    match kind {
        "trust" => "NHS trust",
        "ics" => "Integrated care system",
        "lmns" => "Local maternity and neonatal system",
        _ => "Partnership",
    }
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
    .map(|k| json!({"label": k.plural(), "href": page_file(&format!("{}/", k.folder()))}))
    .collect();
    nav.extend(
        pages
            .iter()
            .map(|d| json!({"label": d.title, "href": page_file(&d.url())})),
    );
    json!({
        "title": config.title,
        "description": config.description,
        "language": config.language,
        "nav": nav,
    })
}
