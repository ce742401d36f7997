//! Versions and history from git: throw-away repositories with set dates and authors, built
//! with `lantern`, and their history pages, version pages, diffs and feed checked.

use std::fs;
use std::path::{Path, PathBuf};
#[path = "common/repo.rs"]
mod repo;
use repo::{CONFIG, SITE, commit, git, lantern, scratch, write};

/// The case study at `version` with `body` under each heading.
fn case_study(version: u32, body: &str, note: &str) -> String {
    format!(
        "---\ntitle: Weighing every birth\nsummary: How one unit made weighing blood loss routine.\nsites: [example]\npriority_areas: [postpartum-haemorrhage]\nstatus: published\npublished: 2025-03-01\nversion: {version}\nchange_note: {note}\n---\n\n## Background\n\n{body}\n\n## What we did\n\nWe weighed.\n\n## Impact\n\nLess harm.\n\n## Key learning\n\nStart small.\n\n## Contact\n\nThe QI lead.\n"
    )
}

const DOC: &str = "content/case-studies/weighing-every-birth.md";

/// A library whose case study went through versions 1, 2 and 3, with an editorial commit
/// after each. Returns the library folder and the six commit ids, oldest first.
fn three_versions(name: &str) -> (PathBuf, Vec<String>) {
    let dir = scratch(name);
    git(&dir, &["init", "-q", "-b", "main"]);
    write(&dir, "content/library.yaml", CONFIG);
    write(&dir, "content/sites/example.md", SITE);
    let steps = [
        (
            1,
            "Blood loss was estimated by eye.",
            "First written.",
            "Ada",
            "Add the case study",
        ),
        (
            1,
            "Blood loss was estimated by eye at most births.",
            "First written.",
            "Bo",
            "Fix a typo",
        ),
        (
            2,
            "Blood loss was weighed at every birth from May.",
            "Weighing started.",
            "Ada",
            "Version 2: weighing",
        ),
        (
            2,
            "Blood loss was weighed at every birth from May 2024.",
            "Weighing started.",
            "Cy",
            "Say which May",
        ),
        (
            3,
            "Blood loss is now weighed and recorded at every birth.",
            "Recording added.",
            "Ada",
            "Version 3: recording",
        ),
        (
            3,
            "Blood loss is now weighed and recorded at every single birth.",
            "Recording added.",
            "Bo",
            "Wording",
        ),
    ];
    let mut commits = Vec::new();
    for (day, (version, body, note, author, subject)) in steps.into_iter().enumerate() {
        write(&dir, DOC, &case_study(version, body, note));
        commits.push(commit(&dir, author, day as u32 + 2, subject));
    }
    (dir, commits)
}

fn build(root: &Path) -> (PathBuf, String) {
    let out = root.join("public");
    let result = lantern(&["build", "--root", &root.to_string_lossy()]);
    let stderr = String::from_utf8_lossy(&result.stderr).into_owned();
    assert!(result.status.success(), "build failed: {stderr}");
    (out, stderr)
}

fn page(out: &Path, path: &str) -> String {
    fs::read_to_string(out.join(path)).unwrap_or_else(|_| panic!("{path} was not built"))
}

/// The text of a page's main content, without tags.
fn text(html: &str) -> String {
    let main = html.split("<main").nth(1).unwrap_or(html);
    let mut out = String::new();
    let mut in_tag = false;
    for c in main.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn each_version_shows_the_text_of_its_last_revision() {
    let (root, _) = three_versions("versions");
    let (out, stderr) = build(&root);
    assert!(
        !stderr.contains("note:"),
        "a full history says nothing: {stderr}"
    );
    let doc = "case-studies/weighing-every-birth";
    for (n, expected, not) in [
        (1, "estimated by eye at most births.", "from May"),
        (2, "from May 2024.", "estimated"),
        (3, "at every single birth.", "from May"),
    ] {
        let page = text(&page(&out, &format!("{doc}/v{n}/index.html")));
        assert!(page.contains(expected), "v{n} lacks {expected:?}: {page}");
        assert!(
            !page.contains(not),
            "v{n} shows {not:?} from another version"
        );
        assert!(
            page.contains(&format!("Version {n}")),
            "v{n} names its version"
        );
        assert!(
            page.contains(&format!(
                "Cite this version: Weighing every birth. Example Trust. Test Library, version {n}"
            )),
            "v{n} has a citation: {page}"
        );
        assert!(page.contains(&format!("https://example.org/lib/{doc}/v{n}/")));
    }
    let old = page(&out, &format!("{doc}/v1/index.html"));
    assert!(
        old.contains("read the current version (3)"),
        "an old version points to the current one"
    );
    assert!(
        old.contains("href=\"../../../case-studies/weighing-every-birth/index.html\""),
        "and links to it"
    );
    let current = page(&out, &format!("{doc}/index.html"));
    assert!(
        current.contains("weighing-every-birth/history/index.html\">History</a>"),
        "the page links to its history"
    );
    assert!(
        current.contains(&format!("https://example.org/lib/{doc}/v3/")),
        "and says how to cite it"
    );
}

#[test]
fn changes_show_the_words_added_and_removed() {
    let (root, _) = three_versions("changes");
    let (out, _) = build(&root);
    let doc = "case-studies/weighing-every-birth";
    let changes = page(&out, &format!("{doc}/v3/changes/index.html"));
    for mark in [
        "<del>was weighed at every birth from May 2024.</del>",
        "<ins>is now weighed and recorded at every single birth.</ins>",
    ] {
        assert!(changes.contains(mark), "v3/changes lacks {mark}: {changes}");
    }
    assert!(
        changes.contains(
            "<code>change_note</code></th><td>Weighing started.</td><td>Recording added.</td>"
        ),
        "front matter changes are tabled"
    );
    assert!(changes.contains("<code>version</code></th><td>2</td><td>3</td>"));
    assert!(
        !out.join(format!("{doc}/v1/changes/index.html")).exists(),
        "the first version has nothing to compare with"
    );
}

#[test]
fn history_lists_every_commit_and_dates_come_from_git() {
    let (root, commits) = three_versions("history");
    let (out, _) = build(&root);
    let doc = "case-studies/weighing-every-birth";
    let history = page(&out, &format!("{doc}/history/index.html"));
    for (k, id) in commits.iter().enumerate() {
        assert!(
            history.contains(&id[..7]),
            "commit {k} ({id}) is missing from the history"
        );
    }
    let subjects = [
        "Wording",
        "Version 3: recording",
        "Say which May",
        "Version 2: weighing",
        "Fix a typo",
        "Add the case study",
    ];
    let at: Vec<usize> = subjects
        .iter()
        .map(|s| {
            history
                .find(&format!(">{s}<"))
                .unwrap_or_else(|| panic!("{s} missing"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "newest first");
    assert!(
        history.contains("7 March 2025") && history.contains(">Cy<"),
        "dates and authors"
    );
    // `updated` is not in the front matter: it is the last commit's day.
    let current = page(&out, &format!("{doc}/index.html"));
    assert!(
        current.contains("<time datetime=\"2025-03-07\">7 March 2025</time>"),
        "updated from git"
    );
    // The feed of changes lists each version, newest first, with its changes page; every
    // page says where it is.
    assert!(current.contains("href=\"../../changes.xml\">New versions (Atom feed)</a>"));
    assert!(current.contains("title=\"Test Library: new versions\" href=\"../../changes.xml\""));
    let feed = page(&out, "changes.xml");
    let entries: Vec<&str> = feed.split("<entry>").skip(1).collect();
    assert_eq!(entries.len(), 3, "{feed}");
    assert!(entries[0].contains("(version 3)") && entries[2].contains("(version 1)"));
    assert!(entries[0].contains(&format!(
        "href=\"https://example.org/lib/{doc}/v3/changes/\""
    )));
    assert!(entries[0].contains("<updated>2025-03-07T12:00:00Z</updated>"));
}

#[test]
fn a_copy_without_git_builds_and_says_so_once() {
    let (root, _) = three_versions("no-git");
    fs::remove_dir_all(root.join(".git")).expect("remove .git");
    let (out, stderr) = build(&root);
    assert_eq!(stderr.matches("note:").count(), 1, "{stderr}");
    assert!(stderr.contains("not in a git repository"), "{stderr}");
    assert!(
        out.join("case-studies/weighing-every-birth/index.html")
            .exists()
    );
    assert!(
        !out.join("case-studies/weighing-every-birth/history")
            .exists()
    );
}

#[test]
fn a_shallow_clone_is_reported() {
    let (root, _) = three_versions("shallow-source");
    let clone = scratch("shallow");
    let url = format!("file://{}", root.display());
    git(&clone, &["clone", "-q", "--depth", "2", &url, "lib"]);
    let (_, stderr) = build(&clone.join("lib"));
    assert_eq!(stderr.matches("note:").count(), 1, "{stderr}");
    assert!(stderr.contains("shallow clone"), "{stderr}");
}

#[test]
fn a_moved_document_keeps_its_history_through_its_alias() {
    let (root, commits) = three_versions("renamed");
    let old = root.join(DOC);
    let text = fs::read_to_string(&old).expect("read");
    fs::remove_file(&old).expect("remove");
    let moved = text.replace(
        "change_note:",
        "aliases: [case-studies/weighing-every-birth/]\nchange_note:",
    );
    write(&root, "content/case-studies/weighing-blood-loss.md", &moved);
    commit(&root, "Ada", 20, "Rename the case study");
    let (out, stderr) = build(&root);
    assert!(!stderr.contains("missing-alias"), "{stderr}");
    let history = page(&out, "case-studies/weighing-blood-loss/history/index.html");
    assert!(
        history.contains(&commits[0][..7]),
        "the old file's first commit is kept"
    );
    assert!(history.contains("Rename the case study"));
    assert!(
        out.join("case-studies/weighing-blood-loss/v1/index.html")
            .exists()
    );

    // Without the alias, check warns that the document disappeared.
    write(&root, "content/case-studies/weighing-blood-loss.md", &text);
    commit(&root, "Ada", 21, "Drop the alias");
    let result = lantern(&["check", "--root", &root.to_string_lossy()]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "a warning, not an error: {stderr}");
    assert!(stderr.contains("missing-alias"), "{stderr}");
    assert!(
        stderr.contains("case-studies/weighing-every-birth/"),
        "{stderr}"
    );
}

/// Every file under `dir`, by path, with its bytes; lantern's own hidden files left out.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).expect("read dir").flatten() {
            let path = entry.path();
            let rel = path
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            if rel.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((rel, fs::read(&path).expect("read")));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_rebuild_keeps_what_it_can_and_matches_a_fresh_build() {
    use std::os::unix::fs::MetadataExt;
    let (root, _) = three_versions("rebuild");
    let doc = "case-studies/weighing-every-birth";
    let other = case_study(1, "Another unit.", "First written.")
        .replace("Weighing every birth", "Another birth story");
    write(&root, "content/case-studies/another.md", &other);
    commit(&root, "Ada", 9, "Add another case study");
    let (out, _) = build(&root);
    let inode = |out: &Path| {
        fs::metadata(out.join("case-studies/another/v1/index.html"))
            .expect("v1 of another")
            .ino()
    };
    let before = inode(&out);
    // A new version, then a rewritten history: each rebuild must equal a build from scratch.
    write(
        &root,
        DOC,
        &case_study(
            4,
            "Blood loss is weighed, recorded and reviewed.",
            "Review added.",
        ),
    );
    commit(&root, "Cy", 10, "Version 4: review");
    let fresh = |name: &str| {
        let out = scratch(name).join("public");
        let r = lantern(&[
            "build",
            "--root",
            &root.to_string_lossy(),
            "--out",
            &out.to_string_lossy(),
        ]);
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
        out
    };
    let (out, _) = build(&root);
    assert_eq!(
        inode(&out),
        before,
        "the unchanged document's version page was kept, not rendered again"
    );
    assert!(
        tree(&out) == tree(&fresh("rebuild-fresh-1")),
        "a rebuild after a new commit differs from a fresh build"
    );
    let v3 = page(&out, &format!("{doc}/v3/index.html"));
    assert!(
        v3.contains("read the current version (4)"),
        "an old page that changed was rendered again"
    );
    let cache = page(&out, ".lantern-history");
    let head = git(&root, &["rev-parse", "HEAD"]);
    assert!(
        cache.contains(head.trim()),
        "the history read goes up to HEAD"
    );

    git(&root, &["reset", "-q", "--hard", "HEAD~1"]);
    write(
        &root,
        DOC,
        &case_study(4, "Blood loss is weighed and audited.", "Audit added."),
    );
    commit(&root, "Bo", 11, "Version 4: audit");
    let (out, _) = build(&root);
    assert!(
        tree(&out) == tree(&fresh("rebuild-fresh-2")),
        "a rebuild after rewritten history differs from a fresh build"
    );
    assert!(page(&out, &format!("{doc}/v4/index.html")).contains("weighed and audited"));
}

#[test]
fn since_a_ref_versions_must_rise_with_the_text() {
    let (root, _) = three_versions("since");
    let root_arg = root.to_string_lossy().into_owned();
    let check = |reference: &str| {
        let r = lantern(&[
            "check", "--root", &root_arg, "--since", reference, "--format", "json",
        ]);
        let rules: Vec<String> = serde_json::from_slice::<serde_json::Value>(&r.stdout)
            .ok()
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
            .iter()
            .map(|d| d["rule"].as_str().unwrap_or_default().to_string())
            .collect();
        (r.status.code(), rules)
    };
    assert_eq!(
        check("HEAD"),
        (Some(0), vec![]),
        "nothing changed since HEAD"
    );
    // A rewritten background at the same version, with a review date in the past.
    let long: String = (0..30).map(|i| format!("new{i} ")).collect();
    let text = case_study(3, &long, "Recording added.")
        .replace("version: 3", "version: 3\nreview_due: 2025-05-01");
    write(&root, DOC, &text);
    let (code, rules) = check("HEAD");
    assert_eq!(code, Some(0), "warnings only: {rules:?}");
    assert!(
        rules.contains(&"version-not-raised".to_string()),
        "{rules:?}"
    );
    assert!(rules.contains(&"review-overdue".to_string()), "{rules:?}");
    // A small editorial fix is fine.
    write(
        &root,
        DOC,
        &case_study(
            3,
            "Blood loss is now weighed and recorded at every birth.",
            "Recording added.",
        ),
    );
    assert_eq!(
        check("HEAD"),
        (Some(0), vec![]),
        "an editorial change needs no new version"
    );
    // Going down is an error; a ref that does not exist is a tool error.
    write(
        &root,
        DOC,
        &case_study(
            2,
            "Blood loss is now weighed and recorded at every single birth.",
            "Recording added.",
        ),
    );
    let (code, rules) = check("HEAD");
    assert_eq!(
        (code, rules),
        (Some(1), vec!["version-decreased".to_string()])
    );
    assert_eq!(check("no-such-branch").0, Some(2));
}

/// An old revision larger than `limits.document_bytes` is never read: it is passed over
/// by the size git gives, said in a note, and has no version page, while the versions
/// around it are built as usual; a fresh build and a rebuild agree.
#[test]
fn an_old_revision_over_the_limit_is_not_read() {
    let dir = scratch("oversize");
    git(&dir, &["init", "-q", "-b", "main"]);
    write(
        &dir,
        "content/library.yaml",
        &format!("{CONFIG}limits: {{document_bytes: 20000}}\n"),
    );
    write(&dir, "content/sites/example.md", SITE);
    let pasted =
        "Blood loss was weighed at every birth and charted on the ward board. ".repeat(600);
    let steps = [
        (
            1,
            "Blood loss was estimated by eye.".to_string(),
            "First written.",
        ),
        (2, pasted, "The whole audit pasted in."),
        (
            3,
            "Blood loss is weighed at every birth.".to_string(),
            "Audit moved to the evaluation.",
        ),
    ];
    let mut commits = Vec::new();
    for (day, (version, body, note)) in steps.into_iter().enumerate() {
        write(&dir, DOC, &case_study(version, &body, note));
        commits.push(commit(&dir, "Ada", day as u32 + 2, note));
    }
    let (out, stderr) = build(&dir);
    let size = git(&dir, &["cat-file", "-s", &format!("{}:{DOC}", commits[1])]);
    let note = format!(
        "note: 1 earlier revision larger than `limits.document_bytes` (20000 bytes) was not read, so it has no version page: {DOC} at {} ({} bytes)",
        &commits[1][..7],
        size.trim()
    );
    assert!(stderr.contains(&note), "{note} in {stderr}");
    let base = "case-studies/weighing-every-birth";
    assert!(out.join(format!("{base}/v1/index.html")).is_file());
    assert!(out.join(format!("{base}/v3/index.html")).is_file());
    assert!(!out.join(format!("{base}/v2")).exists(), "v2 was read");
    let history = text(&page(&out, &format!("{base}/history/index.html")));
    assert!(history.contains("The whole audit pasted in."), "{history}");
    // A rebuild from what the first build left says the same.
    let (_, again) = build(&dir);
    assert!(again.contains(&note), "{again}");
}
