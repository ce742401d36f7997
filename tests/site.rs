//! The built sample library as a whole: every internal link and `#fragment` resolves to a
//! file (so the site works opened from disk), `feed.xml` and `sitemap.xml` are well-formed
//! and list every published document, and `api/documents.json` lists exactly the published
//! documents. Which documents are published is read from the content here, independently of
//! lantern's own code.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

mod common;
use common::resolve;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The sample library, built once for every test in this file.
fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("site-sample");
        let _ = fs::remove_dir_all(&out);
        let status = Command::new(env!("CARGO_BIN_EXE_lantern"))
            .args(["build", "--root"])
            .arg(root())
            .arg("--out")
            .arg(out.join("public"))
            .status()
            .expect("run lantern");
        assert!(status.success(), "building the sample library failed");
        out.join("public")
    })
}

/// `interventions/x/` for every publication whose front matter says it is not a draft.
fn published() -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    for folder in ["interventions", "evaluations", "case-studies"] {
        for entry in fs::read_dir(root().join("content").join(folder)).expect("content folder") {
            let path = entry.expect("entry").path();
            let text = fs::read_to_string(&path).expect("read document");
            let status = text
                .lines()
                .find_map(|l| l.strip_prefix("status:"))
                .map(str::trim)
                .expect("every document has a status");
            if status != "draft" {
                let slug = path.file_stem().expect("stem").to_string_lossy();
                set.insert(format!("{folder}/{slug}/"));
            }
        }
    }
    assert!(set.len() >= 10, "the sample library has few publications");
    set
}

/// Every quoted value of `attr="..."` in `html`, with `&amp;` decoded.
fn attributes<'h>(html: &'h str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(at, _)| {
            let rest: &'h str = &html[at + needle.len()..];
            rest.split('"').next().map(|v| v.replace("&amp;", "&"))
        })
        .collect()
}

#[test]
fn every_internal_link_and_fragment_resolves() {
    let site = site();
    let mut pages: HashMap<String, String> = HashMap::new();
    for entry in walkdir::WalkDir::new(site) {
        let entry = entry.expect("walk");
        let rel = entry
            .path()
            .strip_prefix(site)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        if rel.ends_with(".html") {
            pages.insert(rel, fs::read_to_string(entry.path()).expect("page"));
        }
    }
    let ids: HashMap<&str, BTreeSet<String>> = pages
        .iter()
        .map(|(p, html)| (p.as_str(), attributes(html, "id").into_iter().collect()))
        .collect();
    let mut broken = Vec::new();
    let mut checked = 0;
    for (page, html) in &pages {
        let links = ["href", "src", "action"]
            .iter()
            .flat_map(|a| attributes(html, a));
        for link in links {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
            {
                continue;
            }
            assert!(
                !link.starts_with('/') && !link.contains("://"),
                "{page}: link {link} is not relative"
            );
            checked += 1;
            let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let target = if path.is_empty() {
                page.clone()
            } else {
                resolve(page, path.split('?').next().unwrap_or(path))
            };
            if !site.join(&target).is_file() {
                broken.push(format!("{page}: {link} (no file {target})"));
            } else if !fragment.is_empty()
                && !ids
                    .get(target.as_str())
                    .is_some_and(|s| s.contains(fragment))
            {
                broken.push(format!("{page}: {link} (no id {fragment} in {target})"));
            }
        }
    }
    assert!(checked > 500, "only {checked} links found");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn feed_is_atom_listing_every_published_document() {
    let text = fs::read_to_string(site().join("feed.xml")).expect("feed.xml");
    let doc = roxmltree::Document::parse(&text).expect("feed.xml is well-formed XML");
    let atom = "http://www.w3.org/2005/Atom";
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().namespace(), Some(atom));
    assert_eq!(feed.tag_name().name(), "feed");
    let base = "https://example.org/library/";
    let mut listed = BTreeSet::new();
    let mut dates = Vec::new();
    for entry in feed.children().filter(|n| n.has_tag_name((atom, "entry"))) {
        let child = |name: &str| {
            entry
                .children()
                .find(|n| n.has_tag_name((atom, name)))
                .and_then(|n| n.text())
                .unwrap_or_else(|| panic!("an entry without {name}"))
                .to_string()
        };
        let id = child("id");
        assert!(!child("title").is_empty() && !child("summary").is_empty());
        dates.push(child("published"));
        assert!(child("updated").ends_with('Z'));
        listed.insert(id.strip_prefix(base).expect("absolute URL").to_string());
    }
    assert_eq!(listed, published());
    let mut newest_first = dates.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, newest_first, "entries are newest first");
}

#[test]
fn sitemap_lists_every_published_document_and_page() {
    let text = fs::read_to_string(site().join("sitemap.xml")).expect("sitemap.xml");
    let doc = roxmltree::Document::parse(&text).expect("sitemap.xml is well-formed XML");
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert!(doc.root_element().has_tag_name((ns, "urlset")));
    let locs: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "loc")))
        .filter_map(|n| n.text())
        .map(|t| {
            t.strip_prefix("https://example.org/library/")
                .expect("absolute URL")
                .to_string()
        })
        .collect();
    for path in published() {
        assert!(locs.contains(&path), "sitemap misses {path}");
    }
    for page in [
        "",
        "interventions/",
        "sites/leicester/",
        "about/",
        "search/",
    ] {
        assert!(locs.contains(page), "sitemap misses {page:?}");
    }
    // Every listed address is a page of the site.
    for loc in &locs {
        assert!(
            site().join(loc).join("index.html").is_file(),
            "{loc} is not a page"
        );
    }
}

#[test]
fn json_export_lists_exactly_the_published_documents() {
    let text = fs::read_to_string(site().join("api/documents.json")).expect("documents.json");
    let api: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(api["schema"], 1);
    let documents = api["documents"].as_array().expect("documents array");
    let paths: BTreeSet<String> = documents
        .iter()
        .map(|d| d["path"].as_str().expect("path").to_string())
        .collect();
    assert_eq!(paths.len(), documents.len(), "a document is listed twice");
    assert_eq!(paths, published());
    for d in documents {
        let path = d["path"].as_str().unwrap_or_default();
        assert_eq!(
            d["url"].as_str(),
            Some(format!("https://example.org/library/{path}").as_str())
        );
        assert!(site().join(path).join("index.html").is_file());
        assert!(d["title"].is_string() && d["summary"].is_string());
        assert!(d["sites"].as_array().is_some_and(|s| !s.is_empty()));
        assert!(d["version"].as_u64().is_some_and(|v| v >= 1));
    }
    let sites = api["sites"].as_array().expect("sites array");
    assert_eq!(
        sites.len(),
        fs::read_dir(root().join("content/sites"))
            .expect("sites")
            .count()
    );
}

/// The sample library's equity tables publish no count from 1 to 7, and its raw equity
/// data files are not published at all.
#[test]
fn sample_equity_downloads_hold_no_small_count() {
    let mut tables = 0;
    for entry in walkdir::WalkDir::new(site().join("evaluations")) {
        let entry = entry.expect("walk site");
        let Ok(text) = fs::read_to_string(entry.path()) else {
            continue;
        };
        if !text.starts_with("group,label,events,population,") {
            continue;
        }
        tables += 1;
        for line in text.lines().skip(1) {
            for cell in line.split(',').skip(2).take(2) {
                if let Ok(n) = cell.parse::<u64>() {
                    assert!(n == 0 || n >= 8, "{}: {line}", entry.path().display());
                }
            }
        }
    }
    assert!(tables >= 1, "the sample library has no equity table");
    let raw = root().join("content/data");
    for entry in fs::read_dir(&raw).expect("content/data") {
        let name = entry.expect("entry").file_name();
        let name = name.to_string_lossy();
        if name.contains("by-ethnicity") {
            assert!(
                !site().join("data").join(&*name).exists(),
                "{name} is published raw"
            );
        }
    }
}
