//! Hostile names and paths: file names that are not addresses, symbolic links, paths that
//! try to leave the library, and template syntax in a document.

use std::fs;

use crate::run::{self, command, expect_exit, files_holding, library, listing};
use crate::{common, page, timed};

/// Document names that cannot be addresses are refused with the name to use; media and
/// data files named with spaces, accents and `#`, `?` and `%` are published, and every
/// link to them, and to a chart's download, finds its file.
#[test]
fn odd_file_names_are_refused_or_get_working_addresses() {
    let root = library("hostile-names");
    let content = root.join("content");
    let about = fs::read_to_string(content.join("pages/about.md")).expect("about");
    for name in ["my page", "Café", "a#b?c%d"] {
        fs::write(content.join(format!("pages/{name}.md")), &about).expect("write");
    }
    let found = expect_exit(&timed(&root), 1);
    let refused = |name: &str, to: &str| {
        format!(
            "content/pages/{name}.md:1:1: error[invalid-slug]: file name `{name}.md` is not a valid slug (hint: rename it to `{to}.md`: lower-case letters, digits and hyphens only)"
        )
    };
    let expected = [
        refused("Café", "cafe"),
        refused("a#b?c%d", "a-b-c-d"),
        refused("my page", "my-page"),
    ];
    assert_eq!(found, expected);
    for name in ["my page", "Café", "a#b?c%d"] {
        fs::remove_file(content.join(format!("pages/{name}.md"))).expect("remove");
    }

    let image = "photo of ward #2 ?é.png";
    let data = "rates 2024 #1 ?ü%.csv";
    fs::copy(
        content.join("media/chart 100%.png"),
        content.join("media").join(image),
    )
    .expect("copy");
    fs::copy(
        content.join("data/pph.csv"),
        content.join("data").join(data),
    )
    .expect("copy");
    let body = "![A ward](../media/photo%20of%20ward%20%232%20%3F%C3%A9.png)\n\nThe [data](../data/rates%202024%20%231%20%3F%C3%BC%25.csv).\n";
    page(&root, "names", "", body);
    let evaluation = content.join("evaluations/qbl-evaluation.md");
    let text = fs::read_to_string(&evaluation).expect("evaluation");
    let first = "  - {title: PPH rate, data: pph.csv, direction: decrease}\n";
    let odd = format!("{first}  - {{title: Odd, data: \"{data}\", direction: decrease}}\n");
    fs::write(&evaluation, text.replace(first, &odd)).expect("write");
    expect_exit(&timed(&root), 0);
    let public = root.join("public");
    assert!(public.join("media").join(image).is_file());
    assert!(public.join("data").join(data).is_file());
    for (page, want) in [
        ("names/index.html", 2),
        ("evaluations/qbl-evaluation/index.html", 2),
    ] {
        let html = fs::read_to_string(public.join(page)).expect("page");
        let targets: Vec<String> = ["src=\"", "href=\""]
            .iter()
            .flat_map(|attr| {
                html.split(attr)
                    .skip(1)
                    .map(|s| s[..s.find('"').unwrap_or(0)].to_string())
                    .collect::<Vec<_>>()
            })
            .filter(|url| url.contains("%") || url.ends_with(".csv"))
            .collect();
        assert!(targets.len() >= want, "{page}: {targets:?}");
        for url in targets {
            let file = common::resolve(page, &url);
            assert!(
                public.join(&file).is_file(),
                "{page}: {url} finds no file {file}"
            );
        }
    }
}

/// Symbolic links in `content/`, looping or pointing outside the library, are not
/// followed: a warning each, said once, and nothing of what they point at is published.
#[test]
fn symlinks_are_never_followed() {
    use std::os::unix::fs::symlink;
    let root = library("hostile-symlinks");
    let outside = root.join("outside");
    fs::create_dir_all(&outside).expect("mkdir");
    let secret = "SECRET-FROM-OUTSIDE-THE-LIBRARY";
    fs::write(
        outside.join("secret.md"),
        format!("---\ntitle: {secret}\n---\n\n{secret}\n"),
    )
    .expect("write");
    fs::write(
        outside.join("secret.csv"),
        format!("period,value\n2024-01,1\n{secret},2\n"),
    )
    .expect("write");
    let content = root.join("content");
    let links = [
        ("pages/loop", content.join("pages")),
        ("pages/a.md", content.join("pages/b.md")),
        ("pages/b.md", content.join("pages/a.md")),
        ("media/up", content.clone()),
        ("pages/secret.md", outside.join("secret.md")),
        ("media/secret.png", outside.join("secret.md")),
        ("data/secret.csv", outside.join("secret.csv")),
        ("data/outside", outside.clone()),
    ];
    for (at, to) in &links {
        symlink(to, content.join(at)).expect("symlink");
    }
    let body = "![x](../media/secret.png) [d](../data/secret.csv)\n";
    page(&root, "linker", "", body);
    let out = timed(&root);
    let found = expect_exit(&out, 1);
    let mut names: Vec<&str> = links.iter().map(|(at, _)| *at).collect();
    names.sort();
    let warnings: Vec<String> = names.iter().map(|at| format!("content/{at}:1:1: warning[symlink]: symbolic links are not followed (hint: copy the file into the library instead of linking to it)")).collect();
    for w in &warnings {
        assert!(found.contains(w), "{w} in {found:#?}");
    }
    assert!(
        found
            .iter()
            .any(|f| f.contains("error[broken-link]: no file content/media/secret.png")),
        "{found:#?}"
    );
    page(&root, "linker", "", "No links.\n");
    let out = command()
        .args(["build", "--no-history", "--root"])
        .arg(&root)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("= at content/data/outside:1:1").count(),
        1,
        "{stderr}"
    );
    // library.yaml too.
    let config = content.join("library.yaml");
    fs::rename(&config, outside.join("library.yaml")).expect("move");
    symlink(outside.join("library.yaml"), &config).expect("symlink");
    let found = expect_exit(&timed(&root), 1);
    let refused = "content/library.yaml:1:1: error[symlink]: library.yaml is a symbolic link, which is not followed (hint: copy the file into content/ instead of linking to it)";
    assert!(found.iter().any(|f| f == refused), "{found:#?}");
    assert_eq!(
        files_holding(&root.join("public"), secret),
        Vec::<std::path::PathBuf>::new()
    );
}

/// Data files, aliases, images and links that try to leave the library with `..` or an
/// absolute path are refused where they are written, and nothing is written anywhere;
/// an alias written from the site's root (`/old/x/`) stays inside the site.
#[test]
fn paths_that_escape_are_refused_and_nothing_is_written_outside() {
    let container = run::scratch("hostile-escape");
    let root = container.join("library");
    run::copy_tree(
        &library("hostile-escape-fixture").join("content"),
        &root.join("content"),
    );
    fs::write(container.join("secret.csv"), "period,value\n2024-01,1\n").expect("write");
    let evaluation = root.join("content/evaluations/qbl-evaluation.md");
    let text = fs::read_to_string(&evaluation).expect("evaluation");
    let first = "  - {title: PPH rate, data: pph.csv, direction: decrease}\n";
    let front = format!(
        "{first}  - {{title: Up, data: ../../secret.csv, direction: decrease}}\n  - {{title: Root, data: /etc/passwd, direction: decrease}}\naliases: [../../outside/, 'old/../../../x/', '/old/./x/']\n"
    );
    let body = "\n[up](../../secret.md) [root](/etc/passwd)\n\n![img](../media/../../../x.png) ![abs](/etc/x.png)\n\n<img src=\"../../../x.png\" alt=\"x\">\n";
    fs::write(&evaluation, text.replace(first, &front) + body).expect("write");
    let before = listing(&container);
    let found = expect_exit(&timed(&root), 1);
    // Only the output stage's folder beside public/, where the next site is made.
    let outside_output = |mut files: std::collections::BTreeMap<String, u64>| {
        files.retain(|path, _| {
            !["library/public", "library/.public.lantern-"]
                .iter()
                .any(|p| path.starts_with(p))
        });
        files
    };
    assert_eq!(
        outside_output(listing(&container)),
        before,
        "a failed build wrote outside"
    );
    let at = "content/evaluations/qbl-evaluation.md";
    let expected = [
        format!(
            "{at}:15:23: error[invalid-data]: `../../secret.csv` points outside content/data/ (hint: name a file in content/data/ by its path from there, like `pph-rates.csv`)"
        ),
        format!(
            "{at}:16:25: error[invalid-data]: `/etc/passwd` points outside content/data/ (hint: name a file in content/data/ by its path from there, like `pph-rates.csv`)"
        ),
        format!(
            "{at}:17:11: error[invalid-alias]: alias `../../outside/` must not contain empty, `.` or `..` parts (hint: write the old address as it was, a lower-case path inside the site, like `old-section/old-name/`)"
        ),
        format!(
            "{at}:17:27: error[invalid-alias]: alias `old/../../../x/` must not contain empty, `.` or `..` parts (hint: write the old address as it was, a lower-case path inside the site, like `old-section/old-name/`)"
        ),
        format!(
            "{at}:17:46: error[invalid-alias]: alias `/old/./x/` must not contain empty, `.` or `..` parts (hint: write the old address as it was, a lower-case path inside the site, like `old-section/old-name/`)"
        ),
        format!(
            "{at}:35:6: error[link-outside-library]: `../../secret.md` points outside the library (hint: link only to files inside content/)"
        ),
        format!(
            "{at}:35:30: error[absolute-link]: `/etc/passwd` is an absolute path, which breaks when the site is opened from disk (hint: link relative to this file, e.g. `../interventions/some-slug.md`)"
        ),
        format!(
            "{at}:37:8: error[link-outside-library]: `../media/../../../x.png` points outside the library (hint: link only to files inside content/)"
        ),
        format!(
            "{at}:37:40: error[absolute-link]: `/etc/x.png` is an absolute path, which breaks when the site is opened from disk (hint: link relative to this file, e.g. `../interventions/some-slug.md`)"
        ),
        format!(
            "{at}:39:11: error[link-outside-library]: `../../../x.png` points outside the library (hint: link only to files inside content/)"
        ),
    ];
    assert_eq!(found, expected);

    let from_root = format!("{first}aliases: [/old/evaluation/]\n");
    fs::write(&evaluation, text.replace(first, &from_root)).expect("write");
    expect_exit(&timed(&root), 0);
    assert!(root.join("public/old/evaluation/index.html").is_file());
    let after = outside_output(listing(&container));
    let mut expected = before.clone();
    expected.insert(
        "library/content/evaluations/qbl-evaluation.md".into(),
        after["library/content/evaluations/qbl-evaluation.md"],
    );
    assert_eq!(after, expected, "a build wrote outside its output folder");
}

/// Template syntax in a document's front matter and body is text: printed, escaped where
/// HTML needs it, and never evaluated.
#[test]
fn template_syntax_in_a_document_is_printed_not_evaluated() {
    let root = library("hostile-tera");
    let front = "summary: \"Sum {{ 7 * 7 }} {# note #} {% if true %}yes{% endif %}\"\n";
    let body = "Body {{ 6 * 7 }}, {% for i in [1, 2] %}loop{{ i }}{% endfor %} and {# comment #}.\n\n`{{ config }}` <span>{{ site.title }}</span>\n\n```\n{% include \"base.html\" %}\n```\n";
    let slug = "tera";
    page(&root, slug, front, body);
    fs::write(
        root.join(format!("content/pages/{slug}.md")),
        fs::read_to_string(root.join(format!("content/pages/{slug}.md")))
            .expect("read")
            .replacen("title: tera", "title: \"{{ site.title }} <b>{% raw %}\"", 1),
    )
    .expect("write");
    expect_exit(&timed(&root), 0);
    let html = fs::read_to_string(root.join("public/tera/index.html")).expect("page");
    for text in [
        "<h1>{{ site.title }} &lt;b&gt;{% raw %}</h1>",
        "Sum {{ 7 * 7 }} {# note #} {% if true %}yes{% endif %}",
        "<p>Body {{ 6 * 7 }}, {% for i in [1, 2] %}loop{{ i }}{% endfor %} and {# comment #}.</p>",
        "<code>{{ config }}</code> <span>{{ site.title }}</span>",
        "{% include \"base.html\" %}",
    ] {
        assert!(html.contains(text), "{text} missing from {html}");
    }
    for evaluated in [
        "Body 42",
        "Sum 49",
        "loop1",
        "</code> <span>Fixture library",
        "<b>{%",
    ] {
        assert!(!html.contains(evaluated), "{evaluated} in {html}");
    }
}
