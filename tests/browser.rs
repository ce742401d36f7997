//! Browser and HTML checks of the built sample library.
//!
//! Each test builds a library (most the sample in `content/`) into a scratch folder under `target/`, then:
//! - `pages_pass_the_browser_checks` runs `tests/browser/run.mjs` in headless Chromium over
//!   `file://`: axe-core (WCAG 2.2 AA and best practices) on a page of every kind, no
//!   request leaving the disk, no console or page error, one h1, a main landmark, named
//!   navs, `lang="en-GB"`, a click-through and the skip link by keyboard; it leaves
//!   screenshots in `target/tmp/browser/screenshots/`.
//! - `pages_are_valid_html` runs the Nu Html Checker (`vnu.jar`) over every page.
//! - `search_runtime_scores_as_computed_by_hand` runs `tests/browser/search-unit.mjs` in
//!   Node: the search runtime's folding, edit distance, synonyms, decoding and BM25F scores
//!   on the index of `tests/fixtures/search-basic/`.
//! - `search_works_from_disk_in_the_browser` runs `tests/browser/search.mjs` in Chromium over
//!   `file://`: relevance, typos, live results, facet counts, URL state, links, axe.
//!
//! They need node and npm, Chromium (`apt-get install -y chromium`, or its path in
//! `LANTERN_CHROMIUM`) and Java (`apt-get install -y default-jre-headless`); the npm
//! packages are installed on first use with `npm ci --prefix tests/browser`. A test whose
//! tools are missing says what to install and passes, except under `CI=true`, where it fails.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

const VNU_JAR: &str = "node_modules/vnu-jar/build/dist/vnu.jar";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn browser_dir() -> PathBuf {
    root().join("tests/browser")
}

/// Skips the test, saying why, or under `CI=true` fails it.
fn skip(why: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{why}");
    }
    // Straight to stderr, past the test harness's capture, so that the skip is seen.
    let _ = writeln!(std::io::stderr(), "SKIPPED: {why}");
}

/// Whether `program args` runs and succeeds.
fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Installs the npm packages once per test run, unless they are there already.
fn npm_packages() -> Result<(), String> {
    static INSTALL: OnceLock<Result<(), String>> = OnceLock::new();
    INSTALL
        .get_or_init(|| {
            let dir = browser_dir();
            let needed = [
                "node_modules/playwright-core/package.json",
                "node_modules/axe-core/axe.min.js",
                VNU_JAR,
            ];
            if needed.iter().all(|f| dir.join(f).exists()) {
                return Ok(());
            }
            // --ignore-scripts: vnu-jar's install script would try to download a Java.
            let args = [
                "ci",
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
                "--quiet",
            ];
            match Command::new("npm")
                .args(args)
                .arg("--prefix")
                .arg(&dir)
                .output()
            {
                Ok(out) if out.status.success() => Ok(()),
                Ok(out) => Err(format!(
                    "`npm ci --prefix tests/browser` failed:\n{}",
                    text(&out)
                )),
                Err(e) => Err(format!(
                    "npm is missing ({e}): install Node.js 20 with npm to run the browser tests"
                )),
            }
        })
        .clone()
}

/// Builds the sample library into `target/tmp/<name>/public` and returns that folder. In a
/// git checkout it is built `--since` the first commit, so that the pull-request page, with
/// every document on it, is checked too.
fn build_site(name: &str) -> PathBuf {
    let first = Command::new("git")
        .arg("-C")
        .arg(root())
        .args(["rev-list", "--max-parents=0", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| {
            let text = String::from_utf8_lossy(&o.stdout).into_owned();
            text.lines().last().map(str::to_string)
        });
    let since: Vec<String> = first
        .into_iter()
        .flat_map(|c| ["--since".to_string(), c])
        .collect();
    build_library(&root(), name, &since)
}

/// Builds the library at `library` into `target/tmp/<name>/public`.
fn build_library(library: &Path, name: &str, extra: &[String]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    let public = dir.join("public");
    let out = Command::new(env!("CARGO_BIN_EXE_lantern"))
        .arg("build")
        .arg("--root")
        .arg(library)
        .arg("--out")
        .arg(&public)
        .args(extra)
        .output()
        .expect("run lantern");
    assert!(
        out.status.success(),
        "lantern build failed:\n{}",
        text(&out)
    );
    public
}

/// Whether node (and, with `browser`, Chromium) and the npm packages are there; if not,
/// skips the test saying what to install.
fn tools_ready(browser: bool) -> bool {
    let chromium =
        std::env::var("LANTERN_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    if browser && !Path::new(&chromium).exists() {
        skip(&format!(
            "no Chromium at {chromium}: `apt-get install -y chromium`, or set LANTERN_CHROMIUM"
        ));
        return false;
    }
    if !runs("node", &["--version"]) {
        skip("node is missing: install Node.js 20 to run the browser tests");
        return false;
    }
    if let Err(why) = npm_packages() {
        skip(&why);
        return false;
    }
    true
}

/// Runs `node tests/browser/<script> <args>` and fails with its report unless it succeeds.
fn node(script: &str, args: &[&Path]) {
    let out = Command::new("node")
        .arg(browser_dir().join(script))
        .args(args)
        .output()
        .expect("run node");
    let report = text(&out);
    assert!(out.status.success(), "{script} failed:\n{report}");
    eprint!("{report}");
}

#[test]
fn pages_pass_the_browser_checks() {
    if !tools_ready(true) {
        return;
    }
    let public = build_site("browser");
    node("run.mjs", &[&public, &public.with_file_name("screenshots")]);
}

/// The search runtime's own functions and scores, in Node, on `tests/fixtures/search-basic`.
#[test]
fn search_runtime_scores_as_computed_by_hand() {
    if !tools_ready(false) {
        return;
    }
    let library = root().join("tests/fixtures/search-basic");
    let public = build_library(&library, "search-unit", &[]);
    node("search-unit.mjs", &[&public]);
}

/// Search over `file://` in Chromium: relevance, typos, facet counts, URL state, axe.
#[test]
fn search_works_from_disk_in_the_browser() {
    if !tools_ready(true) {
        return;
    }
    let public = build_site("browser-search");
    node("search.mjs", &[&public]);
}

#[test]
fn pages_are_valid_html() {
    if !runs("java", &["-version"]) {
        return skip("java is missing: `apt-get install -y default-jre-headless`");
    }
    if let Err(why) = npm_packages() {
        return skip(&why);
    }
    let public = build_site("browser-html");
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(&public)
        .into_iter()
        .map(|e| e.expect("walk the built site").into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    pages.sort();
    assert!(pages.len() > 10, "only {} pages were built", pages.len());
    let out = Command::new("java")
        .arg("-jar")
        .arg(browser_dir().join(VNU_JAR))
        .args(["--errors-only", "--format", "gnu"])
        .args(&pages)
        .output()
        .expect("run java");
    let report = text(&out);
    assert!(
        out.status.success() && report.trim().is_empty(),
        "the Nu Html Checker found errors in {} pages:\n{report}",
        pages.len()
    );
}
