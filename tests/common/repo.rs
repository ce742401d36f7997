//! Throw-away libraries in git repositories, for the tests of history and review: a
//! scratch folder outside any repository, git with no user configuration, commits with set
//! authors and dates, and lantern run on a fixed day.
#![allow(dead_code)] // each test file uses its own part

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs lantern on a fixed day (1 June 2025), so that review dates do not fall due as the
/// calendar moves on.
pub fn lantern(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lantern"))
        .env("SOURCE_DATE_EPOCH", "1748736000")
        .args(args)
        .output()
        .expect("run lantern")
}

/// A fresh folder for one test, outside any git repository.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lantern-repo-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("mkdir");
    dir
}

pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Commits everything in `dir` as `author` on day `day` of March 2025 (noon UTC).
pub fn commit(dir: &Path, author: &str, day: u32, subject: &str) -> String {
    git(dir, &["add", "-A"]);
    let when = format!("2025-03-{day:02}T12:00:00Z");
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["commit", "-q", "-m", subject])
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", author)
        .env("GIT_AUTHOR_EMAIL", "author@example.org")
        .env("GIT_COMMITTER_NAME", author)
        .env("GIT_COMMITTER_EMAIL", "author@example.org")
        .env("GIT_AUTHOR_DATE", &when)
        .env("GIT_COMMITTER_DATE", &when)
        .output()
        .expect("git commit");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    git(dir, &["rev-parse", "HEAD"]).trim().to_string()
}

pub const CONFIG: &str = "title: Test Library\ndescription: A library for history tests.\nbase_url: https://example.org/lib/\nvocabularies:\n  priority_areas:\n    postpartum-haemorrhage: Postpartum haemorrhage\n  outcomes:\n    severe-maternal-morbidity: Severe maternal morbidity\n  ethnic_groups:\n    black-african: Black or Black British - African\n  regions:\n    midlands: Midlands\n";

pub const SITE: &str = "---\nname: Example Trust\nkind: trust\nregion: midlands\nics: Example ICS\n---\n\nA site of the network.\n";

/// Writes `text` to `path` under `dir`, making its folder.
pub fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}
