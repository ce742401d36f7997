//! Running the real binary over a scratch copy of a fixture library, for the tests of
//! hostile input and of faults: findings in one-line form, and folder listings with a hash
//! of each file's contents to show that nothing changed.
#![allow(dead_code)] // each test file uses its own part

use std::collections::BTreeMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "files.rs"]
mod files;
pub use files::{copy_tree, scratch};

/// A scratch folder `name` holding a copy of the `valid-basic` fixture's `content/`.
pub fn library(name: &str) -> PathBuf {
    let root = scratch(name);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid-basic");
    copy_tree(&fixture.join("content"), &root.join("content"));
    root
}

/// The `lantern` command on a fixed day (1 June 2025), so that review dates do not fall
/// due as the calendar moves on.
pub fn command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lantern"));
    command.env("SOURCE_DATE_EPOCH", "1748736000");
    command
}

/// `lantern build` of the library at `root`, findings as JSON.
pub fn build(root: &Path) -> Output {
    command()
        .args(["build", "--no-history", "--format", "json", "--root"])
        .arg(root)
        .output()
        .expect("run lantern")
}

/// Each finding of `--format json` output in one-line form, `path:line:col:
/// severity[rule]: message (hint: ...)`.
pub fn findings(out: &Output) -> Vec<String> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "lantern panicked: {stderr}");
    assert!(
        serde_json::from_slice::<serde_json::Value>(&out.stdout).is_ok(),
        "json findings on stdout; stderr: {stderr}"
    );
    diagnostic_lines(&out.stdout)
}

/// One-line form of each finding in `--format json` output.
pub fn diagnostic_lines(stdout: &[u8]) -> Vec<String> {
    let findings: Vec<serde_json::Value> =
        serde_json::from_slice(stdout).expect("json diagnostics on stdout");
    findings
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{}: {}[{}]: {} (hint: {})",
                f["path"].as_str().unwrap_or_default(),
                f["line"],
                f["column"],
                f["severity"].as_str().unwrap_or_default(),
                f["rule"].as_str().unwrap_or_default(),
                f["message"].as_str().unwrap_or_default(),
                f["hint"].as_str().unwrap_or_default(),
            )
        })
        .collect()
}

/// Asserts the exit code and no panic, and returns the findings.
pub fn expect_exit(out: &Output, code: i32) -> Vec<String> {
    let found = findings(out);
    assert_eq!(
        out.status.code(),
        Some(code),
        "{found:#?}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    found
}

/// Every file and folder under `dir` (symbolic links as such, never followed), with a hash
/// of each file's contents.
pub fn listing(dir: &Path) -> BTreeMap<String, u64> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy();
            let mut hash = std::collections::hash_map::DefaultHasher::new();
            if e.file_type().is_file() {
                fs::read(e.path()).expect("read").hash(&mut hash);
            } else if e.path_is_symlink() {
                fs::read_link(e.path()).expect("link").hash(&mut hash);
            }
            (rel.into_owned(), hash.finish())
        })
        .collect()
}

/// Every file under `dir` whose contents hold `text`.
pub fn files_holding(dir: &Path, text: &str) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let bytes = fs::read(e.path()).unwrap_or_default();
            bytes.windows(text.len()).any(|w| w == text.as_bytes())
        })
        .map(|e| e.into_path())
        .collect()
}
