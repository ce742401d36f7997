//! Unsafe HTML in a document is an error, and even when rendered regardless, none of it
//! reaches a page: the render stage is run directly on the fixture to look at its output.

use std::path::Path;

use lantern::load::theme::Theme;
use lantern::model::site::Contents;
use lantern::output::Previous;
use lantern::render::past::Past;
use lantern::render::{Input, render};
use lantern::{link, load};

#[test]
fn scripts_handlers_and_javascript_links_never_reach_a_page() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid-unsafe-html");
    let loaded = load::load(&root).expect("load fixture");
    let config = loaded.library.config.clone();
    let mut diagnostics = loaded.diagnostics;
    let linked = link::link(loaded.library, false, &mut diagnostics);
    let rules: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d.rule.starts_with("unsafe"))
        .map(|d| d.rule)
        .collect();
    assert_eq!(rules, ["unsafe-html", "unsafe-html", "unsafe-link"]);
    let theme = Theme::load(&root).expect("theme");
    let (histories, texts) = (Default::default(), Default::default());
    let past = Past {
        histories: &histories,
        texts: &texts,
    };
    let mut files = Vec::new();
    let sections =
        std::sync::Mutex::new(linked.bodies.iter().map(|b| b.sections.clone()).collect());
    let input = Input {
        linked: &linked,
        plans: &[],
        config: &config,
        theme: &theme,
        content: &root.join("content"),
        search: Some(&sections),
        past: &past,
        previous: &Previous::default(),
        fingerprint: 0,
        pull_request: None,
        only: None,
        cards: None,
    };
    render(&input, &mut files).expect("render");
    let page = files
        .iter()
        .find(|f| f.path == "interventions/a/index.html")
        .expect("the document's page");
    let Contents::Bytes(bytes) = &page.contents else {
        panic!("a page is rendered in memory")
    };
    let html = String::from_utf8_lossy(bytes).to_lowercase();
    assert!(
        html.contains("<h2 id=\"background\">"),
        "the body was rendered"
    );
    for bad in ["<script", "onerror", "javascript:", "alert("] {
        assert!(!html.contains(bad), "`{bad}` reached the page");
    }
}
