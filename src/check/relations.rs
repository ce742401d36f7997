//! Checks of what documents say about each other: relations name existing documents of the
//! right type, aliases are safe and claim no address the site already uses, and charts name
//! data files that exist. Also computes the relations both ways for the published documents.
//!
//! In: every loaded document (drafts too) and what is included in this build. Out:
//! diagnostics, and [`Related`] lists for the included documents. No I/O.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::model::diagnostic::Diagnostic;
use crate::model::suggest::suggest;
use crate::model::url::page_file;
use crate::model::{Config, Doc, Extra, Kind, Ref, Status, reserved, url};

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
    related.par_iter_mut().for_each(|r| {
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
    });
    related
}

/// The order of lists of publications: newest first, then by title.
pub fn newest_first(a: &Doc, b: &Doc) -> std::cmp::Ordering {
    (b.meta.published, &a.title).cmp(&(a.meta.published, &b.title))
}

/// The pages the site writes for its vocabularies and types whatever the documents: each
/// listing and facet page, with the folder of its further pages (`interventions/page/`).
/// Derived from [`Kind::ALL`] and the facets as render lists them.
fn fixed_pages(config: &Config) -> (HashSet<String>, Vec<String>) {
    let mut dirs: Vec<String> = Kind::ALL
        .iter()
        .filter(|k| **k != Kind::Page)
        .map(|k| format!("{}/", k.folder()))
        .collect();
    let mut pages: HashSet<String> = HashSet::new();
    for facet in crate::model::facets::facets(config) {
        let folder = facet.folder;
        pages.insert(page_file(&format!("{folder}/")));
        dirs.extend(facet.vocab.ids().map(|id| format!("{folder}/{id}/")));
    }
    pages.extend(dirs.iter().map(|dir| page_file(dir)));
    let paged = dirs
        .iter()
        .map(|dir| reserved::listing_pages(dir))
        .collect();
    (pages, paged)
}

/// What the build writes at `path` (a file, as [`url::alias_path`] makes it) for itself, if
/// it does: `pages` and the folders `paged` being those of [`fixed_pages`].
fn own_file(
    path: &str,
    pages: &HashSet<String>,
    folders: &HashSet<&str>,
    paged: &[String],
) -> Option<&'static str> {
    if reserved::is_hidden(path) {
        Some("a hidden name, which the output folder keeps for the build's own records")
    } else if reserved::FILES
        .iter()
        .any(|f| path == *f || ancestors(path).any(|dir| dir.trim_end_matches('/') == *f))
    {
        Some("one of the site's own files")
    } else if reserved::FOLDERS.iter().any(|dir| path.starts_with(dir)) {
        Some("in a folder the site keeps for its own files")
    } else if paged.iter().any(|dir| path.starts_with(dir.as_str())) {
        Some("a further page of a listing")
    } else if clashes(path, pages, folders) {
        Some("a listing or facet page")
    } else {
        None
    }
}

/// Whether a new file at `path` would clash with the files in `files`: the same file, a file
/// where `path` needs a folder, or a folder where `path` is a file.
/// (`folders` being every folder of `files`, as [`ancestors`] writes them.)
fn clashes(path: &str, files: &HashSet<String>, folders: &HashSet<&str>) -> bool {
    files.contains(path)
        || ancestors(path).any(|dir| files.contains(dir.trim_end_matches('/')))
        || folders.contains(format!("{path}/").as_str())
}

/// The aliases accepted so far, by their paths and by their folders, to find a clash with
/// a new one without comparing it with each.
#[derive(Default)]
struct Accepted {
    list: Vec<(String, String)>,
    paths: HashMap<String, usize>,
    /// Each folder that holds an accepted alias, with the first such alias.
    folders: HashMap<String, usize>,
}

impl Accepted {
    fn add(&mut self, path: String, doc: String) {
        let n = self.list.len();
        for dir in ancestors(&path) {
            self.folders.entry(dir.to_string()).or_insert(n);
        }
        self.paths.insert(path.clone(), n);
        self.list.push((path, doc));
    }

    /// The document of the first accepted alias that `path` clashes with: the same file,
    /// a file inside the folder `path` would need, or a file whose name `path` needs as a
    /// folder.
    fn clash(&self, path: &str) -> Option<&str> {
        let same = self.paths.get(path);
        let under = self.folders.get(&format!("{path}/"));
        let above = ancestors(path).filter_map(|dir| self.paths.get(dir.trim_end_matches('/')));
        let first = same.into_iter().chain(under).chain(above).min()?;
        Some(&self.list[*first].1)
    }
}

/// Aliases are lower-case relative paths inside the site, unique, and claim no address the
/// site itself uses ([`crate::model::reserved`], a listing or facet page or their further pages, a
/// document's own folder: `invalid-alias`) or a document's page (`duplicate-alias`).
/// Returns the accepted ones: the redirect file to write and the path of its document.
pub fn check_aliases(
    docs: &[Doc],
    included: &[bool],
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, String)> {
    let doc_dirs: HashSet<String> = docs.iter().map(Doc::url).collect();
    let (pages, paged) = fixed_pages(config);
    let page_folders: HashSet<&str> = pages.iter().flat_map(|f| ancestors(f)).collect();
    let files: HashSet<String> = docs.iter().map(|d| page_file(&d.url())).collect();
    let folders: HashSet<&str> = files.iter().flat_map(|f| ancestors(f)).collect();
    let mut accepted = Accepted::default();
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
            if let Some(what) = own_file(&path, &pages, &page_folders, &paged) {
                diagnostics.push(error(
                    "invalid-alias",
                    format!(
                        "alias `{}` is an address the site itself uses: {what}",
                        alias.id
                    ),
                    "remove the alias: the build writes that address itself",
                ));
            } else if let Some(dir) = owner.filter(|_| !files.contains(&path)) {
                diagnostics.push(error(
                    "invalid-alias",
                    format!("alias `{}` is inside the folder of the page at `{dir}`", alias.id),
                    "a page's folder is kept for its own history and versions; choose the old address as it really was",
                ));
            } else if clashes(&path, &files, &folders) {
                diagnostics.push(error(
                    "duplicate-alias",
                    format!("alias `{}` is the address of a document", alias.id),
                    "remove the alias: that address is already a page of the site",
                ));
            } else if let Some(other) = accepted.clash(&path) {
                diagnostics.push(error(
                    "duplicate-alias",
                    format!("alias `{}` clashes with an alias of {other}", alias.id),
                    "an old address can redirect to one page only; remove one of them",
                ));
            } else {
                accepted.add(path, doc.path.clone());
            }
        }
    }
    accepted.list
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

#[cfg(test)]
mod tests {
    use super::Accepted;

    #[test]
    fn an_alias_clashes_with_the_first_alias_it_would_share_a_path_with() {
        let mut accepted = Accepted::default();
        for (path, doc) in [
            ("old/a.html", "one.md"),
            ("old/b/index.html", "two.md"),
            ("x.html", "three.md"),
        ] {
            assert_eq!(accepted.clash(path), None, "{path}");
            accepted.add(path.to_string(), doc.to_string());
        }
        // The same file; a file in its folder; a folder named like a file.
        assert_eq!(accepted.clash("x.html"), Some("three.md"));
        assert_eq!(accepted.clash("old"), Some("one.md"));
        assert_eq!(accepted.clash("old/b"), Some("two.md"));
        assert_eq!(accepted.clash("x.html/y/index.html"), Some("three.md"));
        assert_eq!(accepted.clash("old/a.html/index.html"), Some("one.md"));
        assert_eq!(accepted.clash("old/c/index.html"), None);
        assert_eq!(accepted.clash("ol"), None);
    }
}
