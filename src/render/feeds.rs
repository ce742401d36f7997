//! Site-wide machine-readable files: `feed.xml` (Atom), `sitemap.xml` and
//! `api/documents.json` (open data, shape documented in the README).
//!
//! In: the linked library, the config and the site paths of every page. Out: the three
//! files' bytes. They carry absolute URLs made from `base_url`, and list the published
//! documents only: drafts built with `--drafts` stay out. No I/O; no clock (an entry's
//! date is its document's date, so the bytes are reproducible).

use std::collections::HashMap;

use serde::Serialize;

use crate::charts::Plan;
use crate::check::relations::newest_first;
use crate::link::Linked;
use crate::model::date::Date;
use crate::model::{Author, Config, Doc, Extra, Kind, Ref, Status, Vocab};
use crate::render::past;
use crate::render::past::Past;

/// The version of the `api/documents.json` shape; raised only when a field changes meaning
/// or goes away (new fields may be added within a version).
pub const API_SCHEMA: u32 = 1;

/// Publications that are not drafts, newest first (ties by title).
pub fn published(linked: &Linked) -> Vec<usize> {
    let mut list: Vec<usize> = (0..linked.docs.len())
        .filter(|&i| {
            let doc = &linked.docs[i];
            doc.kind.is_publication() && doc.meta.status != Status::Draft
        })
        .collect();
    list.sort_by(|&a, &b| newest_first(&linked.docs[a], &linked.docs[b]));
    list
}

fn absolute(config: &Config, path: &str) -> String {
    format!("{}{path}", config.base_url)
}

/// Escapes text for XML element content and attribute values.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn timestamp(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

fn last_changed(doc: &Doc) -> Option<Date> {
    doc.meta.updated.or(doc.meta.published)
}

/// The start of an Atom feed, up to its first entry.
/// `id` is the path of the feed's permanent id under the base URL.
fn head(config: &Config, title: &str, (file, id): (&str, &str), updated: &str) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
    out.push_str(&xml(&config.language));
    out.push_str("\">\n");
    for line in [
        format!("<title>{}</title>", xml(title)),
        format!("<subtitle>{}</subtitle>", xml(&config.description)),
        format!("<id>{}</id>", xml(&absolute(config, id))),
        format!(
            "<link rel=\"self\" href=\"{}\"/>",
            xml(&absolute(config, file))
        ),
        format!("<link href=\"{}\"/>", xml(&absolute(config, ""))),
        format!("<updated>{updated}</updated>"),
        format!("<author><name>{}</name></author>", xml(&config.title)),
    ] {
        out.push_str("  ");
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// A Unix time as an Atom timestamp.
fn instant(seconds: i64) -> String {
    let s = seconds.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        Date::from_unix(seconds),
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// `changes.xml`: every version of every published document, newest first, each linking
/// to its page and to what changed in it.
pub fn changes_atom(linked: &Linked, config: &Config, past: &Past) -> String {
    let mut versions: Vec<(i64, usize, u32, bool)> = Vec::new();
    for i in published(linked) {
        let Some(h) = past.of(&linked.docs[i]) else {
            continue;
        };
        for (v, &(n, k)) in h.versions.iter().enumerate() {
            versions.push((h.revisions[k].time, i, n, v > 0));
        }
    }
    versions.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(b.2.cmp(&a.2)));
    let updated = versions
        .first()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |v| instant(v.0));
    let title = format!("{}: new versions", config.title);
    let mut out = head(config, &title, ("changes.xml", "changes.xml"), &updated);
    for (time, i, n, has_changes) in versions {
        let doc = &linked.docs[i];
        let url = xml(&absolute(config, &past::version_url(doc, n)));
        out.push_str("  <entry>\n");
        let mut field = |s: String| {
            out.push_str("    ");
            out.push_str(&s);
            out.push('\n');
        };
        field(format!("<title>{} (version {n})</title>", xml(&doc.title)));
        field(format!("<id>{url}</id>"));
        field(format!("<link href=\"{url}\"/>"));
        if has_changes {
            let changes = xml(&absolute(config, &past::changes_url(doc, n)));
            field(format!(
                "<link rel=\"related\" title=\"What changed\" href=\"{changes}\"/>"
            ));
        }
        field(format!("<updated>{}</updated>", instant(time)));
        let summary = if n == 1 {
            "First version.".to_string()
        } else if has_changes {
            format!("Version {n} replaces an earlier version; see what changed.")
        } else {
            format!("Version {n}.")
        };
        field(format!("<summary>{}</summary>", xml(&summary)));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// The Atom feed of every published document, newest publication first.
pub fn atom(linked: &Linked, config: &Config) -> String {
    let list = published(linked);
    let updated = list
        .iter()
        .filter_map(|&i| last_changed(&linked.docs[i]))
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), timestamp);
    let mut out = head(config, &config.title, ("feed.xml", ""), &updated);
    for &i in &list {
        let doc = &linked.docs[i];
        let url = xml(&absolute(config, &doc.url()));
        out.push_str("  <entry>\n");
        let field = |out: &mut String, s: String| {
            out.push_str("    ");
            out.push_str(&s);
            out.push('\n');
        };
        field(&mut out, format!("<title>{}</title>", xml(&doc.title)));
        field(&mut out, format!("<id>{url}</id>"));
        field(&mut out, format!("<link href=\"{url}\"/>"));
        if let Some(date) = doc.meta.published {
            field(
                &mut out,
                format!("<published>{}</published>", timestamp(date)),
            );
        }
        if let Some(date) = last_changed(doc) {
            field(&mut out, format!("<updated>{}</updated>", timestamp(date)));
        }
        for site in &linked.related[i].sites {
            field(
                &mut out,
                format!(
                    "<author><name>{}</name></author>",
                    xml(&linked.docs[*site].title)
                ),
            );
        }
        field(
            &mut out,
            format!(
                "<category term=\"{}\" label=\"{}\"/>",
                doc.kind.name(),
                doc.kind.label()
            ),
        );
        for r in &doc.meta.priority_areas {
            let label = config.priority_areas.label(&r.id).unwrap_or(&r.id);
            field(
                &mut out,
                format!(
                    "<category term=\"{}\" label=\"{}\"/>",
                    xml(&r.id),
                    xml(label)
                ),
            );
        }
        field(
            &mut out,
            format!("<summary>{}</summary>", xml(&doc.summary)),
        );
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// The sitemap: every page path given (drafts already left out), with its last change
/// where the page is a document.
pub fn sitemap(linked: &Linked, config: &Config, pages: &[String]) -> String {
    let changed: HashMap<String, Date> = linked
        .docs
        .iter()
        .filter_map(|d| Some((d.url(), last_changed(d)?)))
        .collect();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for page in pages {
        out.push_str("  <url><loc>");
        out.push_str(&xml(&absolute(config, page)));
        out.push_str("</loc>");
        if let Some(date) = changed.get(page) {
            out.push_str(&format!("<lastmod>{date}</lastmod>"));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `api/documents.json`.
#[derive(Serialize)]
struct Api<'a> {
    schema: u32,
    library: Library<'a>,
    documents: Vec<ApiDoc<'a>>,
    sites: Vec<ApiSite<'a>>,
    vocabularies: Vocabularies<'a>,
}

#[derive(Serialize)]
struct Library<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    language: &'a str,
}

#[derive(Serialize)]
struct Vocabularies<'a> {
    priority_areas: Vec<Term<'a>>,
    outcomes: Vec<Term<'a>>,
    ethnic_groups: Vec<Term<'a>>,
    regions: Vec<Term<'a>>,
}

#[derive(Serialize)]
struct Term<'a> {
    id: &'a str,
    label: &'a str,
}

fn terms(vocab: &Vocab) -> Vec<Term<'_>> {
    vocab
        .0
        .iter()
        .map(|(id, label)| Term { id, label })
        .collect()
}

#[derive(Serialize)]
struct ApiDoc<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    slug: &'a str,
    title: &'a str,
    summary: &'a str,
    url: String,
    path: String,
    status: Status,
    example: bool,
    published: Option<String>,
    updated: Option<String>,
    last_reviewed: Option<String>,
    review_due: Option<String>,
    version: u32,
    change_note: Option<&'a str>,
    sites: Vec<&'a str>,
    priority_areas: Vec<&'a str>,
    outcomes: Vec<&'a str>,
    ethnic_groups: Vec<&'a str>,
    tags: &'a [String],
    authors: &'a [Author],
    contact: Option<&'a str>,
    related: ApiRelated<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    intervention: Option<ApiIntervention<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    evaluation: Option<ApiEvaluation<'a>>,
}

#[derive(Serialize)]
struct ApiRelated<'a> {
    interventions: Vec<&'a str>,
    evaluations: Vec<&'a str>,
    case_studies: Vec<&'a str>,
}

#[derive(Serialize)]
struct ApiIntervention<'a> {
    stage: &'a str,
    aim: &'a str,
    qi_method: Option<&'a str>,
}

#[derive(Serialize)]
struct ApiEvaluation<'a> {
    design: &'a str,
    period_from: Option<String>,
    period_to: Option<String>,
    spread_recommendation: Option<&'a str>,
    charts: Vec<ApiDownload<'a>>,
    equity: Vec<ApiDownload<'a>>,
}

fn downloads<'a>(config: &Config, items: &[(&'a str, &'a str)]) -> Vec<ApiDownload<'a>> {
    items
        .iter()
        .map(|&(title, href)| ApiDownload {
            title,
            csv: absolute(config, href),
        })
        .collect()
}

/// A chart's or equity table's title and its computed (and disclosure-controlled) CSV.
#[derive(Serialize)]
struct ApiDownload<'a> {
    title: &'a str,
    csv: String,
}

#[derive(Serialize)]
struct ApiSite<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'a str,
    region: &'a str,
    ics: &'a str,
    website: Option<&'a str>,
    url: String,
    path: String,
}

fn ids(refs: &[Ref]) -> Vec<&str> {
    refs.iter().map(|r| r.id.as_str()).collect()
}

fn iso(date: Option<Date>) -> Option<String> {
    date.map(|d| d.to_string())
}

/// The open-data export: every published document's metadata and URL, sites and
/// vocabularies, as pretty-printed JSON ordered by path.
pub fn documents_json(linked: &Linked, plans: &[Plan], config: &Config) -> Vec<u8> {
    let slugs = |list: &[usize]| -> Vec<&str> {
        list.iter().map(|&j| linked.docs[j].slug.as_str()).collect()
    };
    let mut order = published(linked);
    order.sort_by(|&a, &b| linked.docs[a].path.cmp(&linked.docs[b].path));
    let documents = order
        .into_iter()
        .map(|i| {
            let doc = &linked.docs[i];
            let [charts, tables] = plans.get(i).map(|f| f.links(doc)).unwrap_or_default();
            let related = &linked.related[i];
            let meta = &doc.meta;
            ApiDoc {
                id: format!("{}/{}", doc.kind.folder(), doc.slug),
                kind: doc.kind.name(),
                slug: &doc.slug,
                title: &doc.title,
                summary: &doc.summary,
                url: absolute(config, &doc.url()),
                path: doc.url(),
                status: meta.status,
                example: meta.example,
                published: iso(meta.published),
                updated: iso(meta.updated),
                last_reviewed: iso(meta.last_reviewed),
                review_due: iso(meta.review_due),
                version: meta.version,
                change_note: meta.change_note.as_deref(),
                sites: slugs(&related.sites),
                priority_areas: ids(&meta.priority_areas),
                outcomes: ids(&meta.outcomes),
                ethnic_groups: ids(&meta.ethnic_groups),
                tags: &meta.tags,
                authors: &meta.authors,
                contact: meta.contact.as_deref(),
                related: ApiRelated {
                    interventions: slugs(&related.interventions),
                    evaluations: slugs(&related.evaluations),
                    case_studies: slugs(&related.case_studies),
                },
                intervention: match &doc.extra {
                    Extra::Intervention(x) => Some(ApiIntervention {
                        stage: &x.stage,
                        aim: &x.aim,
                        qi_method: x.qi_method.as_deref(),
                    }),
                    _ => None,
                },
                evaluation: match &doc.extra {
                    Extra::Evaluation(x) => Some(ApiEvaluation {
                        design: &x.design,
                        period_from: iso(x.period_from),
                        period_to: iso(x.period_to),
                        spread_recommendation: x.spread_recommendation.as_deref(),
                        charts: downloads(config, &charts),
                        equity: downloads(config, &tables),
                    }),
                    _ => None,
                },
            }
        })
        .collect();
    let sites = linked
        .docs
        .iter()
        .filter_map(|doc| match &doc.extra {
            Extra::Site(s) if doc.kind == Kind::Site => Some(ApiSite {
                id: &doc.slug,
                name: &s.name,
                kind: &s.kind,
                region: &s.region.id,
                ics: &s.ics,
                website: s.website.as_deref(),
                url: absolute(config, &doc.url()),
                path: doc.url(),
            }),
            _ => None,
        })
        .collect();
    let api = Api {
        schema: API_SCHEMA,
        library: Library {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            language: &config.language,
        },
        documents,
        sites,
        vocabularies: Vocabularies {
            priority_areas: terms(&config.priority_areas),
            outcomes: terms(&config.outcomes),
            ethnic_groups: terms(&config.ethnic_groups),
            regions: terms(&config.regions),
        },
    };
    let mut bytes = serde_json::to_vec_pretty(&api).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::xml;

    #[test]
    fn xml_escapes_markup_and_drops_control_characters() {
        assert_eq!(
            xml("a < b & \"c\" 'd' \u{1}>"),
            "a &lt; b &amp; &quot;c&quot; &apos;d&apos; &gt;"
        );
    }
}
