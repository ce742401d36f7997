//! Runs the real `lantern` binary over the fixture libraries in `tests/fixtures/`.
//!
//! Each fixture folder holds a library (`content/`, maybe `themes/`) and `expected.txt`: the
//! exit code, then every diagnostic in one-line form (or, for tool failures, text the error
//! must contain). `LANTERN_BLESS=1 cargo test` rewrites the expected files after an intended
//! change; review the diff before committing it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "common/run.rs"]
mod run;
use run::{copy_tree, diagnostic_lines, scratch};

/// Runs lantern on a fixed day (1 June 2025), so that review dates in fixtures do not fall
/// due as the calendar moves on.
fn lantern(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lantern"))
        .env("SOURCE_DATE_EPOCH", "1748736000")
        .args(args)
        .output()
        .expect("run lantern")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn bless() -> bool {
    std::env::var_os("LANTERN_BLESS").is_some()
}

/// Every fixture gives its expected exit code and diagnostics, and a failed build leaves
/// the previous `public/` exactly as it was.
#[test]
fn fixtures_give_their_expected_diagnostics() {
    let mut failures = Vec::new();
    let mut names: Vec<_> = fs::read_dir(fixtures())
        .expect("fixtures")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    names.sort();
    for name in names {
        let name = name.to_string_lossy().into_owned();
        let dir = scratch(&format!("fixture-{name}"));
        copy_tree(&fixtures().join(&name), &dir);
        let public = dir.join("public");
        fs::create_dir_all(&public).expect("mkdir public");
        fs::write(public.join(".lantern-build"), "").expect("marker");
        fs::write(public.join("sentinel.html"), "previous build").expect("sentinel");
        let root = dir.to_string_lossy().into_owned();
        let out = lantern(&["build", "--root", &root, "--format", "json"]);
        let code = out.status.code().unwrap_or(-1);
        let mut actual = vec![format!("exit: {code}")];
        if code == 2 {
            let stderr = String::from_utf8_lossy(&out.stderr);
            actual.push(format!("stderr: {}", stderr.trim().replace(&root, "ROOT")));
        } else {
            actual.extend(diagnostic_lines(&out.stdout));
        }
        let actual = actual.join("\n") + "\n";
        let expected_path = fixtures().join(&name).join("expected.txt");
        if bless() {
            fs::write(&expected_path, &actual).expect("bless");
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            failures.push(format!(
                "{name}:\n--- expected\n{expected}--- actual\n{actual}"
            ));
        }
        let sentinel = fs::read_to_string(public.join("sentinel.html")).ok();
        if code == 0 {
            if sentinel.is_some() || !public.join("index.html").exists() {
                failures.push(format!(
                    "{name}: a clean build must replace public/ with the new site"
                ));
            }
        } else if sentinel.as_deref() != Some("previous build")
            || public.join("index.html").exists()
        {
            failures.push(format!("{name}: a failed build changed public/"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Human output shows the offending line under the message, compiler style.
#[test]
fn human_output_shows_the_source_line_and_hint() {
    let root = fixtures().join("invalid-unknown-field");
    let out = lantern(&["check", "--root", &root.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error[unknown-field]: unknown field `titel`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/interventions/a.md:11:1"),
        "{stderr}"
    );
    assert!(stderr.contains("titel: Typo"), "{stderr}");
    assert!(stderr.contains("hint: did you mean `title`?"), "{stderr}");
    assert!(stderr.contains("1 error and 0 warnings"), "{stderr}");
}

/// `check` writes nothing, even for a clean library.
#[test]
fn check_writes_nothing() {
    let dir = scratch("check-writes-nothing");
    copy_tree(&fixtures().join("valid-basic"), &dir);
    let out = lantern(&["check", "--root", &dir.to_string_lossy()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!dir.join("public").exists());
}

/// The library in this repository builds without a single diagnostic.
#[test]
fn the_sample_library_is_clean() {
    let out = lantern(&[
        "check",
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(diagnostic_lines(&out.stdout), Vec::<String>::new());
}

fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

/// Builds the library at `root` into a fresh scratch folder and returns the output folder.
fn build_into(root: &Path, name: &str) -> PathBuf {
    let out = scratch(name).join("public");
    // Fixtures live in lantern's own repository, whose history is not theirs.
    let status = lantern(&[
        "build",
        "--root",
        &root.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
        "--no-history",
    ])
    .status;
    assert!(status.success(), "building {} failed", root.display());
    out
}

/// Two builds of the same input are byte-identical.
#[test]
fn builds_are_reproducible() {
    let root = fixtures().join("valid-basic");
    let (a, b) = (
        build_into(&root, "reproducible-a"),
        build_into(&root, "reproducible-b"),
    );
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(ta.len() > 20, "too few files: {}", ta.len());
    assert!(ta == tb, "two builds differ");
}

/// The pages of `valid-basic` match `tests/fixtures/valid-basic/expected/` (stylesheets aside).
#[test]
fn golden_pages_of_valid_basic() {
    let root = fixtures().join("valid-basic");
    let out = build_into(&root, "golden");
    let actual: Vec<_> = tree(&out)
        .into_iter()
        .filter(|(p, _)| !p.starts_with("assets/") && !p.starts_with('.'))
        .collect();
    let expected_dir = root.join("expected");
    if bless() {
        let _ = fs::remove_dir_all(&expected_dir);
        for (path, bytes) in &actual {
            let target = expected_dir.join(path);
            fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
            fs::write(target, bytes).expect("bless");
        }
    }
    let expected = tree(&expected_dir);
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&actual), names(&expected));
    for ((path, a), (_, e)) in actual.iter().zip(&expected) {
        assert!(
            a == e,
            "{path} differs from the expected page (LANTERN_BLESS=1 to accept)"
        );
    }
}

/// Every page links to others with relative URLs that exist in the output.
#[test]
fn internal_links_resolve() {
    let out = build_into(&fixtures().join("valid-basic"), "links");
    let mut broken = Vec::new();
    for (path, bytes) in tree(&out).into_iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8(bytes).expect("utf-8 page");
        for href in html
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
        {
            if href.starts_with("http") || href.starts_with("mailto:") || href.starts_with('#') {
                continue;
            }
            assert!(!href.starts_with('/'), "{path}: absolute link {href}");
            let file = href.split('#').next().unwrap_or_default();
            let base = Path::new(&path).parent().unwrap_or(Path::new(""));
            let target = out.join(base).join(file);
            if !target.is_file() {
                broken.push(format!("{path} -> {href}"));
            }
        }
    }
    assert!(broken.is_empty(), "broken links: {broken:?}");
}

/// The usage in the README is exactly what `--help` prints.
#[test]
fn readme_usage_matches_help() {
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    for args in [
        &["--help"][..],
        &["build", "--help"],
        &["check", "--help"],
        &["new", "--help"],
        &["serve", "--help"],
    ] {
        let out = lantern(args);
        let mut help = String::from_utf8_lossy(&out.stdout).into_owned();
        if args[0] == "check" {
            help = help
                .replacen(
                    "Check the library as a build would, without writing anything",
                    "Build the library into a static site (public/ by default)",
                    1,
                )
                .replacen("lantern check", "lantern build", 1);
        }
        assert!(
            readme.contains(help.trim_end()),
            "README does not show `lantern {}`:\n{help}",
            args.join(" ")
        );
    }
}

/// `lantern new` scaffolds every type; the result is valid apart from TODO warnings.
#[test]
fn new_scaffolds_valid_documents_with_todo_warnings() {
    let dir = scratch("new");
    copy_tree(&fixtures().join("valid-basic"), &dir);
    let root = dir.to_string_lossy().into_owned();
    for kind in ["intervention", "evaluation", "case-study", "site", "page"] {
        let out = lantern(&["new", kind, "fresh-start", "--root", &root]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = lantern(&["check", "--root", &root, "--format", "json", "--drafts"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let lines = diagnostic_lines(&out.stdout);
    assert!(lines.len() >= 10, "expected TODO warnings: {lines:?}");
    assert!(
        lines.iter().all(|l| l.contains("warning[todo]")),
        "{lines:?}"
    );
    let again = lantern(&["new", "page", "fresh-start", "--root", &root]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let bad = lantern(&["new", "case-study", "My Story", "--root", &root]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("e.g. `my-story`"));
}

/// Tool failures exit 2 with a message that says what to do.
#[test]
fn a_folder_without_content_is_a_tool_failure() {
    let dir = scratch("no-content");
    let out = lantern(&["build", "--root", &dir.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no content folder at"));
}

/// A symbolic link in `content/` is reported and never followed into the site.
#[cfg(unix)]
#[test]
fn symlinks_are_not_followed() {
    let dir = scratch("symlink");
    copy_tree(&fixtures().join("valid-basic"), &dir);
    let secret = dir.join("secret.txt");
    fs::write(&secret, "outside the library").expect("write");
    std::os::unix::fs::symlink(&secret, dir.join("content/media/secret.txt")).expect("symlink");
    let root = dir.to_string_lossy().into_owned();
    let out = lantern(&["build", "--root", &root, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let lines = diagnostic_lines(&out.stdout);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("content/media/secret.txt:1:1: warning[symlink]"),
        "{lines:?}"
    );
    assert!(!dir.join("public/media/secret.txt").exists());
}

/// A media file whose name cannot be published is reported instead of failing the write.
#[cfg(unix)]
#[test]
fn unpublishable_media_names_are_diagnostics() {
    let dir = scratch("bad-media-name");
    copy_tree(&fixtures().join("valid-basic"), &dir);
    fs::write(dir.join("content/media/back\\slash.png"), "x").expect("write");
    let out = lantern(&[
        "check",
        "--root",
        &dir.to_string_lossy(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let lines = diagnostic_lines(&out.stdout);
    assert!(
        lines[0].starts_with("content/media/back\\slash.png:1:1: error[invalid-file-name]"),
        "{lines:?}"
    );
}

/// What raw HTML is not allowed to carry is left out of the page, and a link to a draft in
/// raw HTML is not published, just as for a Markdown link.
#[test]
fn removed_raw_html_and_draft_links_stay_out_of_pages() {
    let out = build_into(
        &fixtures().join("warning-drafts-and-images"),
        "drafts-and-images",
    );
    let page = fs::read_to_string(out.join("interventions/a/index.html")).expect("page");
    assert!(page.contains("the draft again"), "the link text stays");
    for gone in ["href=\"b.md\"", "<video", "style=", "interventions/b/"] {
        assert!(!page.contains(gone), "`{gone}` reached the page");
    }
}
