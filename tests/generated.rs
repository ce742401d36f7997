//! The benchmark generator's libraries follow the content model: a generated library of
//! 1,000 documents builds without a single diagnostic, and its long listings are split
//! into pages that together show every document once.

#[path = "bench/gen_library/lib.rs"]
mod gen_library;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

use lantern::model::site::Contents;
use lantern::render::PER_PAGE;

mod common;
use common::resolve;

/// The generated library, built in memory once for every test here.
fn build() -> &'static lantern::Build {
    static BUILD: OnceLock<lantern::Build> = OnceLock::new();
    BUILD.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generated-1000");
        gen_library::generate(1000, &dir, 1, true).expect("generate");
        lantern::build(&lantern::Options {
            root: dir,
            drafts: false,
            search: true,
            history: true,
            since: None,
            deny_warnings: false,
        })
        .expect("build")
    })
}

#[test]
fn a_generated_library_of_1000_documents_builds_cleanly() {
    let build = build();
    let shown: Vec<String> = build
        .diagnostics
        .iter()
        .take(5)
        .map(ToString::to_string)
        .collect();
    assert!(
        build.diagnostics.is_empty(),
        "{} diagnostics, first: {shown:#?}",
        build.diagnostics.len()
    );
    assert!(
        build.documents > 950,
        "only {} documents published",
        build.documents
    );
    assert!(
        build.files.len() > build.documents,
        "pages missing: {} files",
        build.files.len()
    );
}

/// The `href`s of the elements with `class` in a page.
fn links_in(html: &str, class: &str) -> Vec<String> {
    html.split(&format!("class=\"{class}\""))
        .skip(1)
        .filter_map(|s| s.split("href=\"").nth(1)?.split('"').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn long_listings_are_paged_and_show_every_document_once() {
    let files: BTreeMap<&str, &str> = build()
        .files
        .iter()
        .filter_map(|f| match &f.contents {
            Contents::Bytes(b) => Some((f.path.as_str(), std::str::from_utf8(b).ok()?)),
            Contents::Copy(_) | Contents::Keep(_) => None,
        })
        .collect();
    let interventions: BTreeSet<String> = files
        .keys()
        .filter(|p| {
            let parts: Vec<&str> = p.split('/').collect();
            parts.len() == 3 && parts[0] == "interventions" && parts[1] != "page"
        })
        .map(|p| p.to_string())
        .collect();
    assert!(interventions.len() > 2 * PER_PAGE, "too few to need pages");
    let mut pages: Vec<&str> = files
        .keys()
        .copied()
        .filter(|p| *p == "interventions/index.html" || p.starts_with("interventions/page/"))
        .collect();
    pages.sort_by_key(|p| {
        p.split('/')
            .nth(2)
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(1)
    });
    assert_eq!(pages.len(), interventions.len().div_ceil(PER_PAGE));
    let mut shown = Vec::new();
    for (n, page) in pages.iter().enumerate() {
        let html = files[page];
        let cards: Vec<String> = links_in(html, "card-title")
            .iter()
            .map(|h| resolve(page, h))
            .collect();
        let last = n + 1 == pages.len();
        assert!(
            cards.len() == PER_PAGE || (last && cards.len() <= PER_PAGE),
            "{page} shows {} documents",
            cards.len()
        );
        shown.extend(cards);
        assert!(html.contains(&format!("Page {} of {}", n + 1, pages.len())));
        for href in html
            .split("class=\"pager\"")
            .nth(1)
            .expect("a pager")
            .split("</nav>")
            .next()
            .unwrap_or_default()
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
        {
            let target = resolve(page, href);
            assert!(files.contains_key(target.as_str()), "{page}: {href}");
        }
    }
    let unique: BTreeSet<String> = shown.iter().cloned().collect();
    assert_eq!(unique.len(), shown.len(), "a document is listed twice");
    assert_eq!(unique, interventions);
}
