//! Small things with a hostile edge: settings that are not what they claim, an oversized
//! `library.yaml`, aliases over the site's own addresses, and text that would break the
//! human diagnostic format.

use std::fs;

use crate::run::{command, expect_exit, library};
use crate::{bounded_run, page, timed};

/// Rewrites `library.yaml`'s `base_url` line.
fn set_base_url(root: &std::path::Path, value: &str) {
    let config = root.join("content/library.yaml");
    let text = fs::read_to_string(&config).expect("config");
    let lines: Vec<String> = text
        .lines()
        .map(|l| match l.starts_with("base_url:") {
            true => format!("base_url: {value}"),
            false => l.to_string(),
        })
        .collect();
    fs::write(&config, lines.join("\n") + "\n").expect("write");
}

/// `base_url` goes as it is into feeds, the sitemap and the JSON export: it must be an
/// absolute http or https address with a host, written as a browser writes it back.
#[test]
fn base_url_must_be_an_absolute_web_address() {
    let root = library("hostile-base-url");
    let example = "write the address the site is published at, like `https://example.org/library/`";
    for (value, hint) in [
        ("javascript:alert(document.domain)", format!("`javascript:` is not a web address: {example}")),
        ("//evil.example/library/", example.to_string()),
        ("ftp://example.org/library/", format!("`ftp:` is not a web address: {example}")),
        ("/library/", example.to_string()),
        ("'https://example.org/\"onmouseover=\"alert(1)'", "write it without quotes: percent-encode them if the address has them (a space is `%20`)".to_string()),
        ("https://example.org/shared learning/", "write it without spaces: percent-encode them if the address has them (a space is `%20`)".to_string()),
        ("https://lan@example.org/library/", format!("leave out the user name: {example}")),
        ("https://example.org/library/?page=1", format!("leave out the `?` and `#` parts, as each page's path is added to it: {example}")),
        ("https://Example.ORG/library/", "did you mean `https://example.org/library/`?".to_string()),
    ] {
        set_base_url(&root, value);
        let found = expect_exit(&timed(&root), 1);
        assert_eq!(
            found,
            [format!(
                "content/library.yaml:3:11: error[invalid-value]: `base_url` must be an absolute http:// or https:// address (hint: {hint})"
            )],
            "{value}"
        );
        set_base_url(&root, "https://example.org/library/");
    }
    // Without its trailing slash, one is added: page paths follow it.
    set_base_url(&root, "https://example.org/library");
    expect_exit(&timed(&root), 0);
    let sitemap = fs::read_to_string(root.join("public/sitemap.xml")).expect("sitemap");
    assert!(
        sitemap.contains("<loc>https://example.org/library/about/</loc>"),
        "{sitemap}"
    );
}

/// `library.yaml` is held to a fixed 2 MB, which `limits` (the limits of documents and
/// data files, set in it) does not raise; the message says so, and gives sizes in bytes
/// where megabytes would read alike.
#[test]
fn an_oversized_library_yaml_names_its_fixed_limit() {
    let root = library("hostile-big-config");
    let config = root.join("content/library.yaml");
    let text = fs::read_to_string(&config).expect("config");
    let mut big = format!("{text}limits:\n  document_bytes: 5000000\nsearch:\n  synonyms:\n");
    let mut n = 0;
    while big.len() < 2_040_000 {
        big.push_str(&format!("    pph{n}: [postpartum haemorrhage]\n"));
        n += 1;
    }
    fs::write(&config, &big).expect("write");
    let found = expect_exit(&timed(&root), 1);
    let found: Vec<&String> = found
        .iter()
        .filter(|f| f.contains("library.yaml"))
        .collect();
    assert_eq!(
        found,
        [&format!(
            "content/library.yaml:1:1: error[too-large]: the file is {} bytes, larger than the limit of 2000000 bytes (fixed for library.yaml) (hint: make it smaller: library.yaml holds settings and vocabularies, and no setting raises its limit (`limits` in it are for documents and data files))",
            big.len()
        )]
    );
}

/// An alias may not take an address the build writes for itself: with more than 50
/// interventions, `interventions/page/2/` is the listing's second page, which once made
/// the build fail at writing (exit 2) instead of reporting the alias.
#[test]
fn an_alias_over_a_listing_page_is_refused_where_it_is_written() {
    let root = library("hostile-alias-listing");
    let interventions = root.join("content/interventions");
    let text = fs::read_to_string(interventions.join("qbl-bundle.md")).expect("bundle");
    for n in 1..=50 {
        let copy = text.replace("aliases: [old/qbl/]\n", "").replace(
            "title: Quantitative blood loss bundle",
            &format!("title: Blood loss bundle, ward {n}"),
        );
        fs::write(interventions.join(format!("bundle-ward-{n}.md")), copy).expect("write");
    }
    let aliased = text.replace(
        "aliases: [old/qbl/]",
        "aliases: [old/qbl/, interventions/page/2/, search/t/]",
    );
    fs::write(interventions.join("qbl-bundle.md"), aliased).expect("write");
    let found = expect_exit(&timed(&root), 1);
    let alias = |col: usize, alias: &str, what: &str| {
        format!(
            "content/interventions/qbl-bundle.md:12:{col}: error[invalid-alias]: alias `{alias}` is an address the site itself uses: {what} (hint: remove the alias: the build writes that address itself)"
        )
    };
    assert_eq!(
        found,
        [
            alias(21, "interventions/page/2/", "a further page of a listing"),
            alias(
                44,
                "search/t/",
                "in a folder the site keeps for its own files"
            ),
        ]
    );
}

/// A link whose destination holds a line break (written `&#10;`) is quoted on one line,
/// the break shown as `\n`: a raw one broke the human format's message in two.
#[test]
fn a_line_break_in_a_link_is_quoted_on_one_line() {
    let root = library("hostile-link-line-break");
    page(
        &root,
        "breaks",
        "",
        "See the [bundle](../interventions/qbl&#10;bundle.md) and [results](#res&#13;ults).\n",
    );
    let mut check = command();
    check.args(["check", "--no-history", "--root"]).arg(&root);
    let out = bounded_run(check);
    assert_eq!(out.status.code(), Some(1));
    let human = String::from_utf8_lossy(&out.stderr);
    let messages: Vec<&str> = human.lines().filter(|l| l.starts_with("error[")).collect();
    assert_eq!(
        messages,
        [
            "error[broken-link]: `../interventions/qbl\\nbundle.md` links to content/interventions/qbl\\nbundle.md, which does not exist",
            "error[broken-anchor]: no heading `#res\\rults` in this document",
        ],
        "{human}"
    );
    assert!(
        human.contains("  = hint: did you mean `../interventions/qbl-bundle.md`?\n"),
        "{human}"
    );
    let found = expect_exit(&timed(&root), 1);
    assert!(
        found[0].contains("`../interventions/qbl\\nbundle.md`"),
        "{found:?}"
    );
}
