//! Checks of what documents say about each other: relations name existing documents of the
//! right type, aliases are safe and claim no address the site already uses, and charts name
//! data files that exist. Also computes the relations both ways for the published documents.
//!
//! In: every loaded document (drafts too) and what is included in this build. Out:
//! diagnostics, and [`Related`] lists for the included documents. No I/O.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::Diagnostic;
use crate::model::{Config, Doc, Extra, Kind, Ref, Status};
use crate::suggest::suggest;
use crate::url::{self, page_file};
use crate::view;

/// Related documents of one document, as indexes into the published documents.
#[derive(Debug, Clone, Default)]
pub struct Related {
    pub sites: Vec<usize>,
    pub interventions: Vec<usize>,
    pub evaluations: Vec<usize>,
    pub case_studies: Vec<usize>,
    /// For a site: every publication from it.
    pub documents: Vec<usize>,
}

/// The relations a document declares: field name, target type, ids.
fn declared(doc: &Doc) -> Vec<(&'static str, Kind, &[Ref])> {
    let mut out = vec![("sites", Kind::Site, doc.meta.sites.as_slice())];
    match &doc.extra {
        Extra::Evaluation(e) => out.push(("evaluates", Kind::Intervention, &e.evaluates)),
        Extra::CaseStudy(c) => {
            out.push(("interventions", Kind::Intervention, &c.interventions));
            out.push(("evaluations", Kind::Evaluation, &c.evaluations));
        }
        _ => {}
    }
    out
}

fn index(docs: &[Doc]) -> HashMap<(Kind, &str), usize> {
    docs.iter()
        .enumerate()
        .map(|(i, d)| ((d.kind, d.slug.as_str()), i))
        .collect()
}

/// Every relation names an existing document of the right type; a published document that
/// names a draft is warned about, since the draft is not shown.
pub fn check(docs: &[Doc], included: &[bool], diagnostics: &mut Vec<Diagnostic>) {
    let index = index(docs);
    for doc in docs {
        for (field, kind, refs) in declared(doc) {
            for r in refs {
                match index.get(&(kind, r.id.as_str())) {
                    Some(&t) if !included[t] && doc.meta.status != Status::Draft => diagnostics
                        .push(
                            Diagnostic::warning(
                                &doc.path,
                                r.pos,
                                "draft-relation",
                                format!("`{}` in `{field}` is a draft and is not shown", r.id),
                            )
                            .hint(format!(
                                "publish content/{}/{}.md, or build with --drafts",
                                kind.folder(),
                                r.id
                            )),
                        ),
                    Some(_) => {}
                    None => {
                        let candidates = docs
                            .iter()
                            .filter(|d| d.kind == kind)
                            .map(|d| d.slug.as_str());
                        let hint = match suggest(&r.id, candidates) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!(
                                "create content/{}/{}.md or remove the entry",
                                kind.folder(),
                                r.id
                            ),
                        };
                        diagnostics.push(
                            Diagnostic::error(
                                &doc.path,
                                r.pos,
                                "missing-relation",
                                format!(
                                    "`{field}` names `{}`, but there is no content/{}/{}.md",
                                    r.id,
                                    kind.folder(),
                                    r.id
                                ),
                            )
                            .hint(hint),
                        );
                    }
                }
            }
        }
    }
}

/// Forward and reverse relations among the published documents.
pub fn relate(docs: &[Doc]) -> Vec<Related> {
    let index = index(docs);
    let mut related = vec![Related::default(); docs.len()];
    for (i, doc) in docs.iter().enumerate() {
        for (_, kind, refs) in declared(doc) {
            for r in refs {
                let Some(&t) = index.get(&(kind, r.id.as_str())) else {
                    continue;
                };
                let forward = &mut related[i];
                match kind {
                    Kind::Site => forward.sites.push(t),
                    Kind::Intervention => forward.interventions.push(t),
                    Kind::Evaluation => forward.evaluations.push(t),
                    _ => {}
                }
                let reverse = &mut related[t];
                match doc.kind {
                    _ if kind == Kind::Site => reverse.documents.push(i),
                    Kind::Evaluation => reverse.evaluations.push(i),
                    Kind::CaseStudy => reverse.case_studies.push(i),
                    _ => {}
                }
            }
        }
    }
    for r in &mut related {
        for list in [
            &mut r.sites,
            &mut r.interventions,
            &mut r.evaluations,
            &mut r.case_studies,
            &mut r.documents,
        ] {
            list.sort_unstable();
            list.dedup();
        }
        r.documents
            .sort_by(|&a, &b| newest_first(&docs[a], &docs[b]));
    }
    related
}

/// The order of lists of publications: newest first, then by title.
pub fn newest_first(a: &Doc, b: &Doc) -> std::cmp::Ordering {
    (b.meta.published, &a.title).cmp(&(a.meta.published, &b.title))
}

/// Folders and files of the site that no alias may take.
const RESERVED_PATHS: &[&str] = &[
    "assets/",
    "media/",
    "data/",
    "api/",
    "search/",
    "review/",
    "feed.xml",
    "changes.xml",
    "sitemap.xml",
    "index.html",
    "404.html",
];

/// The files the site writes whatever the content: listings and facet pages.
fn fixed_pages(config: &Config) -> HashSet<String> {
    let mut pages: HashSet<String> = Kind::ALL
        .iter()
        .filter(|k| **k != Kind::Page)
        .map(|k| page_file(&format!("{}/", k.folder())))
        .collect();
    for facet in view::facets(config) {
        let folder = facet.folder;
        pages.insert(page_file(&format!("{folder}/")));
        pages.extend(
            facet
                .vocab
                .ids()
                .map(|id| page_file(&format!("{folder}/{id}/"))),
        );
    }
    pages
}

/// Whether a new file at `path` would clash with the files in `files`: the same file, a file
/// where `path` needs a folder, or a folder where `path` is a file.
fn clashes(path: &str, files: &HashSet<String>) -> bool {
    files.contains(path)
        || ancestors(path).any(|dir| files.contains(dir.trim_end_matches('/')))
        || files.iter().any(|f| is_inside(f, path))
}

/// Whether two new files clash in the same way.
fn clash(a: &str, b: &str) -> bool {
    a == b || is_inside(a, b) || is_inside(b, a)
}

/// Whether `path` lies in a folder named like the file `file`.
fn is_inside(path: &str, file: &str) -> bool {
    path.len() > file.len() && path.starts_with(file) && path.as_bytes()[file.len()] == b'/'
}

/// Aliases are lower-case relative paths inside the site, unique, and claim no address the
/// site itself uses (a page, a listing, a facet page, a document's own folder, assets).
/// Returns the accepted ones: the redirect file to write and the path of its document.
pub fn check_aliases(
    docs: &[Doc],
    included: &[bool],
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, String)> {
    let doc_dirs: HashSet<String> = docs.iter().map(Doc::url).collect();
    let mut files = fixed_pages(config);
    files.extend(docs.iter().map(|d| page_file(&d.url())));
    let mut accepted: Vec<(String, String)> = Vec::new();
    for (doc, _) in docs.iter().zip(included).filter(|(_, inc)| **inc) {
        for alias in &doc.meta.aliases {
            let error = |rule, message: String, hint: &str| {
                Diagnostic::error(&doc.path, alias.pos, rule, message).hint(hint)
            };
            let path = match url::alias_path(&alias.id) {
                Ok(path) => path,
                Err(why) => {
                    diagnostics.push(error(
                        "invalid-alias",
                        format!("alias `{}` {why}", alias.id),
                        "write the old address as it was, a lower-case path inside the site, like `old-section/old-name/`",
                    ));
                    continue;
                }
            };
            let owner = ancestors(&path).find(|dir| doc_dirs.contains(*dir));
            let reserved = RESERVED_PATHS
                .iter()
                .any(|r| path == *r || path.starts_with(r));
            if let Some(dir) = owner.filter(|_| !files.contains(&path)) {
                diagnostics.push(error(
                    "duplicate-alias",
                    format!("alias `{}` is inside the folder of the page at `{dir}`", alias.id),
                    "a page's folder is kept for its own history and versions; choose the old address as it really was",
                ));
            } else if clashes(&path, &files) || reserved {
                diagnostics.push(error(
                    "duplicate-alias",
                    format!("alias `{}` is an address the site already uses", alias.id),
                    "remove the alias: that address is already a page of the site",
                ));
            } else if let Some((_, other)) = accepted.iter().find(|(p, _)| clash(p, &path)) {
                diagnostics.push(error(
                    "duplicate-alias",
                    format!("alias `{}` clashes with an alias of {other}", alias.id),
                    "an old address can redirect to one page only; remove one of them",
                ));
            } else {
                accepted.push((path, doc.path.clone()));
            }
        }
    }
    accepted
}

/// The folders containing a site path, outermost first (`a/b/index.html` → `a/`, `a/b/`).
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..=i])
}

/// Charts and equity tables name files in `content/data/`: each must exist.
pub fn check_data(
    docs: &[Doc],
    data: &[String],
    included: &[bool],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let available: HashSet<&str> = data.iter().map(String::as_str).collect();
    for (d, doc) in docs.iter().enumerate() {
        let Extra::Evaluation(e) = &doc.extra else {
            continue;
        };
        let refs = e
            .charts
            .iter()
            .map(|c| &c.data)
            .chain(e.equity.iter().map(|q| &q.data));
        for r in refs.filter(|r| !r.id.is_empty()) {
            let file = format!("data/{}", r.id);
            if available.contains(file.as_str()) || !included[d] {
                continue;
            }
            // Data is named from inside content/data/, which a name cannot leave.
            let outside = r.id.starts_with(['/', '\\'])
                || r.id.contains(':')
                || r.id.split(['/', '\\']).any(|part| part == "..");
            if outside {
                diagnostics.push(
                    Diagnostic::error(
                        &doc.path,
                        r.pos,
                        "invalid-data",
                        format!("`{}` points outside content/data/", r.id),
                    )
                    .hint(
                        "name a file in content/data/ by its path from there, like `pph-rates.csv`",
                    ),
                );
                continue;
            }
            let hint = match suggest(&r.id, data.iter().map(|d| d.trim_start_matches("data/"))) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "put the CSV file in content/data/ and name it here".to_string(),
            };
            diagnostics.push(
                Diagnostic::error(
                    &doc.path,
                    r.pos,
                    "missing-data",
                    format!("no data file content/{file}"),
                )
                .hint(hint),
            );
        }
    }
}
