//! The render stage: turns the linked library into the site's files, in memory.
//!
//! In: a [`Linked`] library, the config and the [`Theme`]. Out: every [`OutputFile`] of the
//! site — home, listings, facet pages, document pages, the search page, 404, alias
//! redirects, the feed, sitemap and JSON export ([`feeds`]), stylesheets, media and data
//! copies — in a stable order. Template failures are [`Error::Template`] naming the
//! template and line. No I/O: files to copy are named, not read.

pub mod diff;
pub mod feeds;
pub mod past;
pub mod pull_request;
pub mod view;

use std::collections::HashSet;
use std::sync::Mutex;

use rayon::prelude::*;
use serde_json::{Value, json};
use tera::{Context, Tera};

use crate::charts::{self, Figures};
use crate::check::relations::newest_first;
use crate::git::versions::DocHistory;
use crate::link::Linked;
use crate::load::theme::Theme;
use crate::model::error::{Error, Result};
use crate::model::packed::Packed;
use crate::model::site::{Contents, OutputFile, Sink};
use crate::model::url::page_file;
use crate::model::{Config, Kind, Status, reserved, url};
use crate::output::{Digest, Previous};
use crate::render::past::{Now, Past, Present};

static EMPTY: DocHistory = DocHistory {
    revisions: Vec::new(),
    versions: Vec::new(),
};

/// A page to render: template, output path (directory form), and its own values.
struct Job {
    template: &'static str,
    url: String,
    values: Values,
    /// For a page that may be kept from the previous build: the key of what it is made of.
    key: Option<u64>,
}

/// A page's values, or what to make them from. Pages that list many documents or show one
/// have their values made only while they render, so that at most a few exist at a time.
enum Values {
    Ready(tera::Value),
    /// Values made only when the page renders, from the documents and their cards: for a
    /// page that shows every document.
    Later(fn(&Linked, &[tera::Value]) -> tera::Value),
    /// These values plus `items`: the cards of these documents.
    Listing(Value, Vec<usize>),
    /// `doc`: everything the page of this document shows.
    Document(usize),
    /// A document's history page.
    History(usize),
    /// A document as it stood at a version.
    Version(usize, u32),
    /// What changed from one version of a document (the first number) to another.
    Changes(usize, u32, u32),
}

/// What the pages of documents' pasts are made from.
struct Then<'a> {
    past: &'a Past<'a>,
    now: Now,
}

impl Values {
    fn make(
        &self,
        linked: &Linked,
        cards: &[tera::Value],
        config: &Config,
        then: &Then,
        figures: Option<&Figures>,
    ) -> tera::Value {
        let history = |i: usize| then.past.of(&linked.docs[i]).unwrap_or(&EMPTY);
        let text = |i: usize, n: u32| {
            history(i)
                .blob(n)
                .and_then(|b| then.past.texts.get(b))
                .map_or("", |t| &**t)
        };
        let present = Present {
            linked,
            cards,
            config,
            now: &then.now,
        };
        match self {
            Values::History(i) => view::value(&past::history_page(linked, *i, history(*i))),
            Values::Version(i, n) => {
                past::version_page(&present, *i, history(*i), *n, text(*i, *n))
            }
            Values::Changes(i, from, to) => view::value(&past::changes_page(
                &present,
                *i,
                history(*i),
                (*from, *to),
                (text(*i, *from), text(*i, *to)),
            )),
            Values::Ready(v) => v.clone(),
            Values::Later(make) => make(linked, cards),
            Values::Listing(head, items) => view::merge(
                head,
                vec![("items", view::list(items.iter().map(|&i| cards[i].clone())))],
            ),
            Values::Document(i) => {
                let mut doc = view::document(linked, cards, config, *i, figures);
                if let Some(h) = then.past.of(&linked.docs[*i])
                    && linked.docs[*i].kind.is_publication()
                {
                    doc.extend(past::current(linked, config, *i, h));
                }
                if linked.docs[*i].kind == Kind::Site {
                    // A site's page shows its newest documents; the rest follow on pages
                    // made by `site_pages`.
                    let all = linked.related[*i].documents.len();
                    let total = all.div_ceil(PER_PAGE).max(1);
                    doc.set("count", all.into());
                    doc.set(
                        "pager",
                        view::value(&pager(&linked.docs[*i].url(), 1, total)),
                    );
                    doc.truncate("documents", PER_PAGE);
                }
                doc.page()
            }
        }
    }
}

/// What any one page is rendered from besides its own values, kept by `serve` so that a
/// document edited alone is re-rendered alone.
pub struct Kept {
    tera: Tera,
    site: tera::Value,
    cards: Vec<tera::Value>,
}

impl Kept {
    /// For a site without history pages.
    pub fn new(linked: &Linked, config: &Config, theme: &Theme) -> Result<Kept> {
        Ok(Kept {
            tera: theme.tera()?,
            site: view::value(&view::site(linked, config)),
            cards: (0..linked.docs.len())
                .into_par_iter()
                .map(|i| view::card(linked, i))
                .collect(),
        })
    }

    /// Every document's card, as the pages were rendered with.
    pub fn cards(&self) -> &[tera::Value] {
        &self.cards
    }

    /// Takes the templates of `theme`; the rest does not depend on the theme.
    pub fn set_theme(&mut self, theme: &Theme) -> Result<()> {
        self.tera = theme.tera()?;
        Ok(())
    }

    /// The page of document `i`.
    pub fn document_page(
        &self,
        linked: &Linked,
        plans: &[charts::Plan],
        config: &Config,
        i: usize,
    ) -> Result<OutputFile> {
        let (histories, texts) = (Default::default(), std::collections::HashMap::new());
        let past = Past {
            histories: &histories,
            texts: &texts,
        };
        let then = Then {
            past: &past,
            now: Now::new(linked),
        };
        let doc = &linked.docs[i];
        let template = match doc.kind {
            Kind::Site => "site.html",
            Kind::Page => "page.html",
            _ => "document.html",
        };
        let url = doc.url();
        let figures = draw(linked, plans, config, i);
        let values = Values::Document(i).make(linked, &self.cards, config, &then, figures.as_ref());
        let html = render_page(&self.tera, &self.site, template, &url, &values)?;
        Ok(bytes(&page_file(&url), html.into_bytes()))
    }
}

/// What a site is rendered from.
pub struct Input<'a> {
    pub linked: &'a Linked,
    /// What each document's charts and equity tables are drawn from (one per document).
    pub plans: &'a [charts::Plan],
    pub config: &'a Config,
    pub theme: &'a Theme,
    /// The library's content folder, for copies of media and data.
    pub content: &'a std::path::Path,
    /// Each document's body text for the search index, when there is to be one: taken
    /// and let go once the index is made, before the pages.
    pub search: Option<&'a Mutex<Vec<Packed>>>,
    pub past: &'a Past<'a>,
    /// Pages of the previous build that may be kept.
    pub previous: &'a Previous,
    /// What the pages of the past depend on beyond their own document ([`past::fingerprint`]).
    pub fingerprint: u64,
    /// The pull-request page's values, when there is one.
    pub pull_request: Option<&'a Value>,
    /// Render only these pages (by file path, `a/b/index.html`) and nothing else: for
    /// `serve`, the pages open in a browser first.
    pub only: Option<&'a HashSet<String>>,
    /// Every document's card, when already made ([`Kept`]).
    pub cards: Option<&'a [tera::Value]>,
}

/// A sink that refuses a second file at the same path.
struct Unique<'a> {
    sink: &'a mut dyn Sink,
    paths: HashSet<String>,
}

impl Sink for Unique<'_> {
    fn put(&mut self, files: Vec<OutputFile>) -> Result<()> {
        for f in &files {
            if !self.paths.insert(f.path.clone()) {
                return Err(Error::Other(format!(
                    "two files of the site would be written to {}: rename one of the sources",
                    f.path
                )));
            }
        }
        self.sink.put(files)
    }
}

/// Pages rendered at a time before they go to the sink.
const BATCH: usize = 512;

/// Renders the whole site into `sink`: the search index, then the pages (a batch rendered
/// while the one before is written) and, at the same time, the site's other files (feeds,
/// sitemap, JSON export, redirects, copies), so that both cores stay busy.
pub fn render(input: &Input, sink: &mut dyn Sink) -> Result<()> {
    let mut sink = Unique {
        sink,
        paths: HashSet::new(),
    };
    let Input {
        linked,
        config,
        past,
        only,
        ..
    } = *input;
    let tera = input.theme.tera()?;
    let site = site_values(input);
    let sections = input
        .search
        .map(|s| std::mem::take(&mut *s.lock().unwrap_or_else(|e| e.into_inner())));
    let made: Vec<tera::Value> = match input.cards {
        Some(_) => Vec::new(),
        None => (0..linked.docs.len())
            .into_par_iter()
            .map(|i| view::card(linked, i))
            .collect(),
    };
    let cards = input.cards.unwrap_or(&made);
    // The index first, as the section text it reads goes before the pages are made; the
    // list of pages is drawn up beside it.
    let (planned, indexed) = rayon::join(
        || plan(input, cards),
        || match &sections {
            Some(sections) => {
                let sections: Vec<&Packed> = sections.iter().collect();
                crate::sys::usage::timed("search index", || {
                    crate::search::index_into(linked, &sections, config, &mut sink)
                })
            }
            None => Ok(()),
        },
    );
    indexed?;
    drop(sections);
    let Plan {
        listed,
        whole,
        jobs,
    } = planned;
    let then = Then {
        past,
        now: Now::new(linked),
    };
    // The other files are made beside the pages and put after them: only the pages
    // write while both run, so no thread ever waits on a write another one holds.
    let (others, kept) = rayon::join(
        || -> Result<Vec<OutputFile>> {
            let mut files = Vec::new();
            for job in &whole {
                let values = job.values.make(linked, cards, config, &then, None);
                let html = render_page(&tera, &site, job.template, &job.url, &values)?;
                files.push(bytes(&page_file(&job.url), html.into_bytes()));
            }
            if only.is_none() {
                files.extend(others(input, &tera, &site, &listed)?);
            }
            Ok(files)
        },
        || pages(input, &tera, &site, cards, &then, &jobs, &mut sink),
    );
    let (kept, others) = (kept?, others?);
    // The cards and the list of pages go on one core while the other writes.
    let (put, ()) = rayon::join(
        || sink.put(others),
        || {
            crate::sys::usage::free(made);
            crate::sys::usage::free(jobs);
        },
    );
    put?;
    if only.is_some() {
        return Ok(());
    }
    // Last, the list of the pages a later build may keep, for the next.
    sink.put(vec![crate::output::manifest(kept)])
}

/// The pages to render, as [`plan`] draws them up.
struct Plan {
    /// Every page's URL but drafts', for the sitemap.
    listed: Vec<String>,
    /// The pages made from the whole library, rendered beside the others: each takes as
    /// long as a batch of them.
    whole: Vec<Job>,
    /// The other pages (those of [`Input::only`], if any).
    jobs: Vec<Job>,
}

fn plan(input: &Input, cards: &[tera::Value]) -> Plan {
    let Input {
        linked,
        config,
        past,
        fingerprint,
        pull_request,
        only,
        ..
    } = *input;
    let mut jobs = jobs(linked, cards, config, past, fingerprint, pull_request);
    // The sitemap lists every page but those of drafts.
    let listed: Vec<String> = jobs
        .iter()
        .filter(|job| match job.values {
            Values::Document(i)
            | Values::History(i)
            | Values::Version(i, _)
            | Values::Changes(i, _, _) => linked.docs[i].meta.status != Status::Draft,
            _ => true,
        })
        .map(|job| job.url.clone())
        .collect();
    if let Some(only) = only {
        jobs.retain(|job| only.contains(&page_file(&job.url)));
    }
    let (whole, jobs) = jobs
        .into_iter()
        .partition(|job| matches!(job.values, Values::Later(_)));
    Plan {
        listed,
        whole,
        jobs,
    }
}

/// The values every page sees as `site`.
fn site_values(input: &Input) -> tera::Value {
    let mut site = view::site(input.linked, input.config);
    if !input.past.histories.is_empty() {
        // With history there is a feed of new versions: say where it is.
        if let Some(footer) = site["footer"].as_array_mut() {
            let at = footer.len().saturating_sub(2);
            footer.insert(
                at,
                json!({"label": "New versions (Atom feed)", "href": "changes.xml"}),
            );
        }
        site["changes_feed"] = json!(true);
    }
    view::value(&site)
}

/// Every page of the site that has a template, rendered a batch at a time into `sink`;
/// returns the pages that a later build may keep, with their keys and the hashes of their
/// contents.
fn pages(
    input: &Input,
    tera: &Tera,
    site: &tera::Value,
    cards: &[tera::Value],
    then: &Then,
    jobs: &[Job],
    sink: &mut dyn Sink,
) -> Result<Vec<(String, u64, Digest)>> {
    let Input {
        linked,
        config,
        previous,
        ..
    } = *input;
    let mut kept = Vec::new();
    // The batch rendered last, written while the next is rendered.
    let mut rendered: Vec<OutputFile> = Vec::new();
    for batch in jobs.chunks(BATCH) {
        // Each page, then the downloads of its figures.
        let (files, written) = rayon::join(
            || {
                batch
                    .par_iter()
                    .map(|job| {
                        let path = page_file(&job.url);
                        if let Some(from) = job.key.and_then(|key| previous.keep(&path, key)) {
                            let digest = previous.digest(&path);
                            let contents = Contents::Keep(from);
                            return Ok((OutputFile { path, contents }, digest, Vec::new()));
                        }
                        let figures = match job.values {
                            Values::Document(i) => draw(linked, input.plans, config, i),
                            _ => None,
                        };
                        let values = job
                            .values
                            .make(linked, cards, config, then, figures.as_ref());
                        let html = render_page(tera, site, job.template, &job.url, &values)?;
                        // What a later build checks a kept page against.
                        let digest = job.key.map(|_| crate::output::digest(html.as_bytes()));
                        let downloads = figures.iter().flat_map(|f| f.downloads());
                        Ok((
                            bytes(&path, html.into_bytes()),
                            digest,
                            downloads
                                .map(|(path, csv)| bytes(path, csv.as_bytes().to_vec()))
                                .collect(),
                        ))
                    })
                    .collect::<Result<Vec<(OutputFile, Option<Digest>, Vec<OutputFile>)>>>()
            },
            || sink.put(std::mem::take(&mut rendered)),
        );
        written?;
        let files = files?;
        for (job, (file, digest, _)) in batch.iter().zip(&files) {
            if let (Some(key), Some(digest)) = (job.key, digest) {
                kept.push((file.path.clone(), key, *digest));
            }
        }
        rendered = files
            .into_iter()
            .flat_map(|(page, _, downloads)| std::iter::once(page).chain(downloads))
            .collect();
    }
    sink.put(rendered)?;
    Ok(kept)
}

/// Every page that has a template, and what its values are made from.
fn jobs(
    linked: &Linked,
    cards: &[tera::Value],
    config: &Config,
    past: &Past,
    fingerprint: u64,
    pull_request: Option<&Value>,
) -> Vec<Job> {
    let mut jobs = Vec::new();
    jobs.push(home(linked, cards, config));
    jobs.extend(listings(linked));
    jobs.extend(facet_pages(linked, config));
    jobs.push(Job {
        template: "search.html",
        url: reserved::SEARCH.to_string(),
        values: Values::Ready(view::value(&search_page(linked, config))),
        key: None,
    });
    jobs.push(Job {
        template: "review.html",
        url: reserved::REVIEW.to_string(),
        values: Values::Later(view::review_page),
        key: None,
    });
    if let Some(values) = pull_request {
        jobs.push(Job {
            template: "pull-request.html",
            url: crate::render::pull_request::URL.to_string(),
            values: Values::Ready(view::value(values)),
            key: None,
        });
    }
    for (i, doc) in linked.docs.iter().enumerate() {
        let template = match doc.kind {
            Kind::Site => "site.html",
            Kind::Page => "page.html",
            _ => "document.html",
        };
        jobs.push(Job {
            template,
            url: doc.url(),
            values: Values::Document(i),
            key: None,
        });
        if doc.kind == Kind::Site {
            jobs.extend(site_pages(linked, i));
        }
        if let Some(h) = past.of(doc).filter(|_| doc.kind.is_publication()) {
            jobs.extend(past_pages(i, doc, h, fingerprint));
        }
    }
    jobs
}

/// The site's files other than its pages and search index: 404, alias redirects, feeds,
/// sitemap, JSON export, stylesheets and scripts, and copies of media and data.
fn others(
    input: &Input,
    tera: &Tera,
    site: &tera::Value,
    listed: &[String],
) -> Result<Vec<OutputFile>> {
    let Input {
        linked,
        config,
        theme,
        content,
        past,
        ..
    } = *input;
    let mut files = Vec::new();
    let not_found = render_page(tera, site, "404.html", "", &view::value(&json!({})))?;
    files.push(bytes(reserved::NOT_FOUND, not_found.into_bytes()));
    files.extend(redirects(linked, tera, site)?);
    files.push(bytes(
        reserved::FEED,
        feeds::atom(linked, config).into_bytes(),
    ));
    if !past.histories.is_empty() {
        files.push(bytes(
            reserved::CHANGES,
            feeds::changes_atom(linked, config, past).into_bytes(),
        ));
    }
    files.push(bytes(
        reserved::SITEMAP,
        feeds::sitemap(linked, config, listed).into_bytes(),
    ));
    files.push(bytes(
        reserved::DOCUMENTS_JSON,
        feeds::documents_json(linked, input.plans, config),
    ));
    for (name, data) in &theme.statics {
        files.push(bytes(&format!("{}{name}", reserved::ASSETS), data.clone()));
    }
    files.push(bytes(
        &format!("{}highlight.css", reserved::ASSETS),
        crate::markdown::highlight::stylesheet().into_bytes(),
    ));
    for name in linked.media.iter().chain(&linked.data_files) {
        files.push(OutputFile {
            path: name.clone(),
            contents: Contents::Copy(content.join(name)),
        });
    }
    Ok(files)
}

/// A document's history page, a page per version and what changed in each.
fn past_pages(i: usize, doc: &crate::model::Doc, h: &DocHistory, site: u64) -> Vec<Job> {
    past::pages(doc, h, site)
        .into_iter()
        .map(|(page, url, key)| {
            let (template, values) = match page {
                past::Page::History => ("history.html", Values::History(i)),
                past::Page::Version(n) => ("document.html", Values::Version(i, n)),
                past::Page::Changes(from, to) => ("changes.html", Values::Changes(i, from, to)),
            };
            Job {
                template,
                url,
                values,
                key: Some(key),
            }
        })
        .collect()
}

/// The figures of document `i`, when it has any.
fn draw(linked: &Linked, plans: &[charts::Plan], config: &Config, i: usize) -> Option<Figures> {
    let plan = plans.get(i).filter(|p| !p.is_empty())?;
    Some(plan.draw(&linked.docs[i], config))
}

fn bytes(path: &str, data: Vec<u8>) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        contents: Contents::Bytes(data),
    }
}

fn render_page(
    tera: &Tera,
    site: &tera::Value,
    template: &str,
    url: &str,
    values: &tera::Value,
) -> Result<String> {
    let mut context = Context::new();
    context.insert_value("site", site.clone());
    context.insert("root", &url::root(url));
    context.insert("url", url);
    for (k, v) in values.as_map().into_iter().flatten() {
        if let Some(k) = k.as_str() {
            context.insert_value(k.to_string(), v.clone());
        }
    }
    tera.render(template, &context)
        .map_err(|e| Error::template(template, &e))
}

/// Publications, newest first.
fn publications(linked: &Linked) -> Vec<usize> {
    let mut list: Vec<usize> = (0..linked.docs.len())
        .filter(|&i| linked.docs[i].kind.is_publication())
        .collect();
    list.sort_by(|&a, &b| newest_first(&linked.docs[a], &linked.docs[b]));
    list
}

fn home(linked: &Linked, cards: &[tera::Value], config: &Config) -> Job {
    let latest = view::list(
        publications(linked)
            .into_iter()
            .filter(|&i| linked.docs[i].meta.status == Status::Published)
            .take(6)
            .map(|i| cards[i].clone()),
    );
    let mut sites: Vec<usize> = (0..linked.docs.len())
        .filter(|&i| linked.docs[i].kind == Kind::Site)
        .collect();
    sites.sort_by(|&a, &b| linked.docs[a].title.cmp(&linked.docs[b].title));
    let count = |folder: &str, id: &str| {
        linked
            .docs
            .iter()
            .filter(|d| {
                crate::model::facets::facet_refs(d, folder)
                    .iter()
                    .any(|r| r.id == id)
            })
            .count()
    };
    let areas: Vec<Value> = config
        .priority_areas
        .0
        .iter()
        .map(|(id, label)| json!({"label": label, "href": page_file(&format!("priority-areas/{id}/")), "count": count("priority-areas", id)}))
        .collect();
    let counts: Vec<Value> = [Kind::Intervention, Kind::Evaluation, Kind::CaseStudy]
        .iter()
        .map(|k| {
            json!({
                "label": k.plural(),
                "href": page_file(&format!("{}/", k.folder())),
                "count": linked.docs.iter().filter(|d| d.kind == *k).count(),
            })
        })
        .collect();
    Job {
        template: "home.html",
        url: String::new(),
        values: Values::Ready(view::merge(
            &json!({
                "priority_areas": areas,
                "counts": counts,
            }),
            vec![
                ("latest", latest),
                ("sites", view::list(sites.iter().map(|&i| cards[i].clone()))),
            ],
        )),
        key: None,
    }
}

fn listings(linked: &Linked) -> Vec<Job> {
    let order = publications(linked);
    [
        Kind::Intervention,
        Kind::Evaluation,
        Kind::CaseStudy,
        Kind::Site,
    ]
    .into_iter()
    .flat_map(|kind| {
        let mut items: Vec<usize> = order
            .iter()
            .copied()
            .filter(|&i| linked.docs[i].kind == kind)
            .collect();
        if kind == Kind::Site {
            items = (0..linked.docs.len())
                .filter(|&i| linked.docs[i].kind == kind)
                .collect();
            items.sort_by(|&a, &b| linked.docs[a].title.cmp(&linked.docs[b].title));
        }
        paged(
            "listing.html",
            &format!("{}/", kind.folder()),
            json!({"title": kind.plural(), "intro": intro(kind)}),
            &items,
        )
    })
    .collect()
}

fn facet_pages(linked: &Linked, config: &Config) -> Vec<Job> {
    let order = publications(linked);
    let mut jobs = Vec::new();
    for facet in crate::model::facets::facets(config) {
        let folder = facet.folder;
        let mut entries = Vec::new();
        for (id, label) in &facet.vocab.0 {
            let items: Vec<usize> = order
                .iter()
                .copied()
                .filter(|&i| {
                    crate::model::facets::facet_refs(&linked.docs[i], folder)
                        .iter()
                        .any(|r| &r.id == id)
                })
                .collect();
            entries.push(json!({"label": label, "href": page_file(&format!("{folder}/{id}/")), "count": items.len()}));
            jobs.extend(paged(
                "facet.html",
                &format!("{folder}/{id}/"),
                json!({
                    "title": label,
                    "facet": {
                        "label": facet.plural,
                        "singular": facet.singular,
                        "href": page_file(&format!("{folder}/")),
                    },
                }),
                &items,
            ));
        }
        jobs.push(Job {
            template: "facets.html",
            url: format!("{folder}/"),
            values: Values::Ready(view::value(
                &json!({"title": facet.plural, "entries": entries}),
            )),
            key: None,
        });
    }
    jobs
}

/// How many documents a listing page shows: enough to scan, light on a slow network.
pub const PER_PAGE: usize = 50;

/// The pages of a listing of `items` at `dir`: the first at `dir`, the others at
/// `dir/page/N/`. Each gets `head`, `count` (all items) and `pager`, and `items` its share.
fn paged(template: &'static str, dir: &str, head: Value, items: &[usize]) -> Vec<Job> {
    let total = items.len().div_ceil(PER_PAGE).max(1);
    (1..=total)
        .map(|n| {
            let mut values = head.clone();
            values["count"] = json!(items.len());
            values["pager"] = pager(dir, n, total);
            let share = items.iter().skip((n - 1) * PER_PAGE).take(PER_PAGE);
            Job {
                template,
                url: reserved::listing_page(dir, n),
                values: Values::Listing(values, share.copied().collect()),
                key: None,
            }
        })
        .collect()
}

/// Links between the pages of a listing: previous, next, the first and last pages and
/// two either side of the current one, with `gap` where numbers are left out. Null when
/// there is one page.
fn pager(dir: &str, current: usize, total: usize) -> Value {
    if total <= 1 {
        return Value::Null;
    }
    let href = |n: usize| page_file(&reserved::listing_page(dir, n));
    let mut pages: Vec<Value> = Vec::new();
    for n in 1..=total {
        if n == 1 || n == total || n.abs_diff(current) <= 2 {
            pages.push(json!({"n": n, "href": href(n), "current": n == current}));
        } else if pages.last().is_some_and(|p| p.get("gap").is_none()) {
            pages.push(json!({"gap": true}));
        }
    }
    json!({
        "current": current,
        "total": total,
        "prev": (current > 1).then(|| href(current - 1)),
        "next": (current < total).then(|| href(current + 1)),
        "pages": pages,
    })
}

/// The search page's filters: each facet with its values, and the years of publication.
fn search_page(linked: &Linked, config: &Config) -> Value {
    let facets: Vec<Value> = crate::search::filters(linked, config)
        .into_iter()
        .map(|f| {
            let values: Vec<Value> = f
                .values
                .into_iter()
                .map(|(id, label)| json!({"id": id, "label": label}))
                .collect();
            json!({"param": f.param, "legend": f.legend, "values": values})
        })
        .collect();
    let years: std::collections::BTreeSet<i32> = linked
        .docs
        .iter()
        .filter(|d| d.kind.is_publication())
        .filter_map(|d| d.meta.published.map(|p| p.year))
        .collect();
    json!({"title": "Search", "facets": facets, "years": years})
}

/// The pages after the first of a site's documents (the first is the site's own page).
fn site_pages(linked: &Linked, i: usize) -> Vec<Job> {
    let doc = &linked.docs[i];
    let head = json!({
        "title": format!("Documents from {}", doc.title),
        "parent": {"label": doc.title, "href": page_file(&doc.url())},
    });
    let mut jobs = paged(
        "listing.html",
        &doc.url(),
        head,
        &linked.related[i].documents,
    );
    jobs.remove(0);
    jobs
}

/// What a listing holds, in a sentence.
fn intro(kind: Kind) -> &'static str {
    match kind {
        Kind::Intervention => {
            "What sites changed, and why: each write-up gives the aim, the driver diagram, the measures and the tests of change."
        }
        Kind::Evaluation => {
            "Whether a change worked, and for whom: each summary gives the design, the data and a recommendation on spread."
        }
        Kind::CaseStudy => {
            "The story of a change at a site, in plain language: what the team did, its impact and what it learned."
        }
        _ => {
            "The trusts, systems and partnerships of the network, with everything each has shared."
        }
    }
}

/// A small page at each alias that sends readers on to the document.
fn redirects(linked: &Linked, tera: &Tera, site: &tera::Value) -> Result<Vec<OutputFile>> {
    let mut files = Vec::new();
    for (path, i) in &linked.redirects {
        let doc = &linked.docs[*i];
        let dir = path
            .rsplit_once('/')
            .map_or(String::new(), |(d, _)| format!("{d}/"));
        let target = url::relative(&dir, &page_file(&doc.url()));
        let values = view::value(&json!({"title": doc.title, "target": target}));
        let html = render_page(tera, site, "redirect.html", &dir, &values)?;
        files.push(bytes(path, html.into_bytes()));
    }
    Ok(files)
}
