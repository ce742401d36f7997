//! Browser and HTML checks of the built sample library.
//!
//! Each test builds `content/` into a scratch folder under `target/`, then:
//! - `pages_pass_the_browser_checks` runs `tests/browser/run.mjs` in headless Chromium over
//!   `file://`: axe-core (WCAG 2.2 AA and best practices) on a page of every kind, no
//!   request leaving the disk, no console or page error, one h1, a main landmark, named
//!   navs, `lang="en-GB"`, a click-through and the skip link by keyboard; it leaves
//!   screenshots in `target/tmp/browser/screenshots/`.
//! - `pages_are_valid_html` runs the Nu Html Checker (`vnu.jar`) over every page.
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

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
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

/// Builds the sample library into `target/tmp/<name>/public` and returns that folder.
fn build_site(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    let public = dir.join("public");
    let out = Command::new(env!("CARGO_BIN_EXE_lantern"))
        .arg("build")
        .arg("--root")
        .arg(root())
        .arg("--out")
        .arg(&public)
        .output()
        .expect("run lantern");
    assert!(
        out.status.success(),
        "lantern build failed:\n{}",
        text(&out)
    );
    public
}

#[test]
fn pages_pass_the_browser_checks() {
    let chromium =
        std::env::var("LANTERN_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    if !Path::new(&chromium).exists() {
        return skip(&format!(
            "no Chromium at {chromium}: `apt-get install -y chromium`, or set LANTERN_CHROMIUM"
        ));
    }
    if !runs("node", &["--version"]) {
        return skip("node is missing: install Node.js 20 to run the browser tests");
    }
    if let Err(why) = npm_packages() {
        return skip(&why);
    }
    let public = build_site("browser");
    let shots = public.with_file_name("screenshots");
    let out = Command::new("node")
        .arg(browser_dir().join("run.mjs"))
        .arg(&public)
        .arg(&shots)
        .output()
        .expect("run node");
    let report = text(&out);
    assert!(out.status.success(), "browser checks failed:\n{report}");
    eprint!("{report}");
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
