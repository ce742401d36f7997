//! Review rules for a pull request: what changed since a git ref (`lantern check --since`).
//!
//! In: the library folder, the ref, the loaded documents and today's date. Out:
//! diagnostics for the documents changed since the ref: a `version` lower than it was (an
//! error); a body changed substantively with the same `version` (a warning); a
//! `review_due` date already past (a warning). Reads git with two commands (`git diff`
//! for the files changed and `git cat-file --batch` for their earlier text), never one per
//! file; writes nothing.

use std::path::Path;
use std::process::Command;

use similar::{ChangeTag, TextDiff};

use crate::date::Date;
use crate::diagnostic::{Diagnostic, Pos};
use crate::error::{Error, Result};
use crate::frontmatter;
use crate::history::{self, front_matter_version};
use crate::model::{Doc, Status};

/// Words added or removed in a body beyond which a change is substantive, not editorial.
pub const SUBSTANTIVE_WORDS: usize = 20;

fn git(root: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| Error::Other(format!("cannot run git ({e}): --since needs git")))?;
    if !out.status.success() {
        return Err(Error::Other(format!(
            "git {} failed: {}",
            args.first().copied().unwrap_or_default(),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Checks the documents changed since `reference`.
pub fn check(
    root: &Path,
    reference: &str,
    docs: &[Doc],
    today: Date,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<()> {
    let spec = format!("{reference}^{{commit}}");
    let commit = git(root, &["rev-parse", "--verify", "-q", "--end-of-options", &spec])
        .map_err(|_| {
            Error::Other(format!(
                "--since {reference}: no such commit in this repository; name a branch, tag or commit (e.g. origin/main)"
            ))
        })?;
    let commit = commit.trim();
    let prefix = git(root, &["rev-parse", "--show-prefix"])?
        .trim()
        .to_string();
    // Paths relative to the repository root, changed between the ref and the working tree.
    let changed = git(
        root,
        &[
            "diff",
            "--name-only",
            "--no-renames",
            "-z",
            commit,
            "--",
            "content",
        ],
    )?;
    let changed: Vec<String> = changed
        .split('\0')
        .filter_map(|p| p.strip_prefix(prefix.as_str()))
        .map(str::to_string)
        .collect();
    let docs: Vec<&Doc> = docs
        .iter()
        .filter(|d| d.kind.is_publication() && changed.contains(&d.path))
        .collect();
    let specs: Vec<String> = docs
        .iter()
        .map(|d| format!("{commit}:{prefix}{}", d.path))
        .collect();
    let specs: Vec<&str> = specs.iter().map(String::as_str).collect();
    let before = history::texts(root, &specs);
    for doc in docs {
        let spec = format!("{commit}:{prefix}{}", doc.path);
        if let Some(old) = before.get(&spec) {
            versions(doc, old, diagnostics);
        }
        if let Some(due) = doc.meta.review_due
            && due < today
            && doc.meta.status == Status::Published
        {
            diagnostics.push(
                Diagnostic::warning(
                    &doc.path,
                    line_of(doc, "review_due"),
                    "review-overdue",
                    format!("this document was due for review on {}", due.long()),
                )
                .hint("review it with its site, then set `last_reviewed` to today and `review_due` to the next date"),
            );
        }
    }
    Ok(())
}

/// The version rules for one changed document, given its text at the ref.
fn versions(doc: &Doc, old: &str, diagnostics: &mut Vec<Diagnostic>) {
    let Some(was) = front_matter_version(old) else {
        return;
    };
    let now = doc.meta.version;
    if now < was {
        diagnostics.push(
            Diagnostic::error(
                &doc.path,
                line_of(doc, "version"),
                "version-decreased",
                format!("`version` went down from {was} to {now}"),
            )
            .hint(format!(
                "versions only go up: set `version: {}` or more",
                was
            )),
        );
        return;
    }
    let old_body = frontmatter::split(old).map(|s| s.body).unwrap_or(old);
    let changed = changed_words(old_body, doc.body());
    if now == was && changed > SUBSTANTIVE_WORDS {
        diagnostics.push(
            Diagnostic::warning(
                &doc.path,
                line_of(doc, "version"),
                "version-not-raised",
                format!(
                    "{changed} words of the text changed but `version` is still {now}"
                ),
            )
            .hint(format!(
                "for a change readers should know about, set `version: {}` and say what changed in `change_note`; leave it for an editorial fix",
                now + 1
            )),
        );
    }
}

/// Words added plus words removed.
fn changed_words(old: &str, new: &str) -> usize {
    TextDiff::from_words(old, new)
        .iter_all_changes()
        .filter(|c| c.tag() != ChangeTag::Equal)
        .map(|c| c.value().split_whitespace().count())
        .sum()
}

/// Where `key:` starts in a document's front matter (the top of the file if it is absent).
fn line_of(doc: &Doc, key: &str) -> Pos {
    doc.text
        .lines()
        .position(|l| l.starts_with(&format!("{key}:")))
        .map_or(Pos::start(), |i| Pos::new(i + 1, 1, key.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words_added_and_removed() {
        assert_eq!(changed_words("a b c d", "a x c d y"), 3);
        assert_eq!(changed_words("same words", "same words"), 0);
    }
}
