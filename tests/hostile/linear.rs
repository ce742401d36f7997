//! Input shaped to make work grow with the square of its size: YAML nested half a million
//! deep, and a heading repeated a hundred thousand times with links to each. Each case is
//! a 2 MB document that must build (or be refused at its place) within the hang guard.

use std::collections::HashSet;
use std::fs;

use crate::run::{expect_exit, library};
use crate::{page, timed};

/// Just under the default `limits.document_bytes`.
const TWO_MB: usize = 1_990_000;

/// Lists and mappings nested half a million deep in front matter, in brackets, in braces
/// and as block lists, are refused where the nesting starts. Both YAML parsers once took
/// time with the square of the depth, and libyaml reads a whole document before
/// serde_yaml's own depth limit stops it: minutes for each of these.
#[test]
fn yaml_nested_half_a_million_deep_is_refused_where_the_nesting_starts() {
    let root = library("hostile-deep-yaml");
    let n = TWO_MB / 2;
    page(
        &root,
        "lists",
        &format!("tags: {}{}\n", "[".repeat(n), "]".repeat(n)),
        "Text.\n",
    );
    let n = TWO_MB / 5;
    page(
        &root,
        "mappings",
        &format!(
            "summary: Deep.\nmenu: {}1{}\n",
            "{a: ".repeat(n),
            "}".repeat(n)
        ),
        "Text.\n",
    );
    page(
        &root,
        "blocks",
        &format!("tags:\n{}screening\n", "- ".repeat(TWO_MB / 2)),
        "Text.\n",
    );
    // After an anchor, which the one-pass reader leaves to serde_yaml.
    page(
        &root,
        "anchored",
        &format!("summary: &s Deep.\ntags: [{}\n", "[".repeat(TWO_MB / 2)),
        "Text.\n",
    );
    let found = expect_exit(&timed(&root), 1);
    let message = "error[yaml-syntax]: invalid YAML in front matter: lists and mappings nest more than 100 deep here (hint: flatten the structure: no field needs more than a few levels)";
    assert_eq!(
        found,
        [
            format!("content/pages/anchored.md:4:7: {message}"),
            // A block list's place is its first item's.
            format!("content/pages/blocks.md:4:3: {message}"),
            format!("content/pages/lists.md:3:7: {message}"),
            format!("content/pages/mappings.md:4:7: {message}"),
        ]
    );
}

/// A heading repeated 150,000 times, spelt with different punctuation, gets a different
/// id each time, and 70,000 links to them from another document are checked: ids were
/// once found by trying every taken one again, and each link looked through every heading.
/// A broken one among them gets a hint of ten headings, not of all of them.
#[test]
fn a_heading_repeated_150_000_times_gets_unique_ids_and_its_links_are_checked() {
    let root = library("hostile-repeated-headings");
    let spellings = ["Results", "Results!", "Results?", "(Results)", "Results."];
    let mut headings = String::new();
    let mut n = 0;
    while headings.len() < TWO_MB - 100 {
        headings.push_str(&format!("## {}\n\n", spellings[n % spellings.len()]));
        n += 1;
    }
    page(&root, "results", "", &headings);
    let links = |last: &str| {
        let mut text = String::new();
        let mut i = 1;
        while text.len() < TWO_MB / 2 {
            text.push_str(&format!("[Results {i}](results.md#results-{i})\n"));
            i += 2;
        }
        text + &format!("[The last results](results.md#{last})\n")
    };
    page(&root, "links", "", &links(&format!("results-{}", n - 1)));
    expect_exit(&timed(&root), 0);
    let html = fs::read_to_string(root.join("public/results/index.html")).expect("page");
    let ids: Vec<&str> = html
        .split("<h2 id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|id| id.starts_with("results"))
        .collect();
    assert_eq!(ids.len(), n);
    assert_eq!(ids[..3], ["results", "results-1", "results-2"]);
    assert_eq!(ids[n - 1], format!("results-{}", n - 1));
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), n, "ids repeat");

    page(&root, "links", "", &links("results-999999"));
    let found = expect_exit(&timed(&root), 1);
    let line = found
        .first()
        .map_or("", |f| f.split(':').nth(1).unwrap_or(""));
    assert_eq!(found.len(), 1, "{found:?}");
    let list: Vec<String> = (0..10)
        .map(|i| match i {
            0 => "#results".to_string(),
            i => format!("#results-{i}"),
        })
        .collect();
    assert_eq!(
        found[0],
        format!(
            "content/pages/links.md:{line}:20: error[broken-anchor]: no heading `#results-999999` in content/pages/results.md (hint: headings there: {} and {} more)",
            list.join(", "),
            n - 10
        )
    );
}
