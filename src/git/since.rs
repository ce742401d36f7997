//! Review rules for a pull request: what changed since a git ref (`--since`).
//!
//! In: the library folder and the ref; then the loaded documents. Out: the [`Changes`] —
//! the files under `content/` added, changed or removed since the branch left the ref, with
//! the earlier text of documents — and diagnostics for the documents changed: a `version`
//! lower than it was (an error); a body changed substantively with the same `version` (a
//! warning). Reads git with two commands (`git diff`
//! for the files changed and `git cat-file --batch` for their earlier text), never one per
//! file; writes nothing.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::Command;

use similar::{ChangeTag, TextDiff};

use crate::frontmatter;
use crate::git::history;
use crate::git::history::front_matter_version;
use crate::model::Doc;
use crate::model::diagnostic::{Diagnostic, Pos};
use crate::model::error::{Error, Result};

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

/// What changed under `content/` between a ref and the working tree.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// The ref as given, for people.
    pub reference: String,
    /// Where the branch left the ref (their merge base), which the changes are counted from.
    pub base: String,
    /// Files added, changed or removed, as `content/...` paths; new files not yet committed
    /// count too.
    pub paths: BTreeSet<String>,
    /// The text at `base` of each changed `.md` file that existed there.
    pub before: HashMap<String, String>,
}

impl Changes {
    /// Whether a finding belongs to the change: it is in a changed file, the library's
    /// settings changed (which can change any finding), or it is a link, relation or data
    /// rule that a change may have broken from an unchanged file.
    pub fn covers(&self, d: &Diagnostic) -> bool {
        // Rules whose finding in one file a change to another can cause.
        const CROSS_FILE_RULES: &[&str] = &[
            "invalid-data",
            "invalid-rebase",
            "small-count",
            "small-count-rate",
            "broken-link",
            "broken-anchor",
            "missing-relation",
            "missing-data",
            "draft-link",
            "draft-relation",
            "missing-alias",
        ];
        self.paths.contains(&d.path)
            || self.paths.contains(crate::load::config::PATH)
            || CROSS_FILE_RULES.contains(&d.rule)
    }
}

/// Reads what changed since `reference`; an earlier text over `limit` bytes
/// (`limits.document_bytes`) is not read, so the version rules pass over that document.
pub fn changes(root: &Path, reference: &str, limit: u64) -> Result<Changes> {
    let spec = format!("{reference}^{{commit}}");
    let commit = git(root, &["rev-parse", "--verify", "-q", "--end-of-options", &spec])
        .map_err(|_| {
            Error::Other(format!(
                "--since {reference}: no such commit in this repository; name a branch, tag or commit (e.g. origin/main)"
            ))
        })?;
    let commit = commit.trim();
    // From where this branch left the ref, so that later work on the ref does not count.
    let base = git(root, &["merge-base", commit, "HEAD"])
        .map(|b| b.trim().to_string())
        .unwrap_or_else(|_| commit.to_string());
    let prefix = git(root, &["rev-parse", "--show-prefix"])?
        .trim()
        .to_string();
    // Paths relative to the repository root, changed between the base and the working tree,
    // and files git does not know yet.
    let changed = git(
        root,
        &[
            "diff",
            "--name-only",
            "--no-renames",
            "-z",
            &base,
            "--",
            "content",
        ],
    )?;
    let untracked = git(
        root,
        &[
            "ls-files",
            "--others",
            "--exclude-standard",
            "-z",
            "--",
            "content",
        ],
    )?;
    let paths: BTreeSet<String> = changed
        .split('\0')
        .filter_map(|p| p.strip_prefix(prefix.as_str()))
        .chain(untracked.split('\0').filter(|p| !p.is_empty()))
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    let specs: Vec<String> = paths
        .iter()
        .filter(|p| p.ends_with(".md"))
        .map(|p| format!("{base}:{prefix}{p}"))
        .collect();
    let specs: Vec<&str> = specs.iter().map(String::as_str).collect();
    let texts = history::texts(root, &specs, limit);
    let before = paths
        .iter()
        .filter_map(|p| {
            let text = texts.get(&format!("{base}:{prefix}{p}"))?;
            Some((p.clone(), text.to_string()))
        })
        .collect();
    Ok(Changes {
        reference: reference.to_string(),
        base,
        paths,
        before,
    })
}

/// The version rules for the documents changed.
pub fn check(changes: &Changes, docs: &[Doc], diagnostics: &mut Vec<Diagnostic>) {
    for doc in docs.iter().filter(|d| d.kind.is_publication()) {
        if let Some(old) = changes.before.get(&doc.path) {
            versions(doc, old, diagnostics);
        }
    }
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
                doc.field_pos("version").unwrap_or(Pos::start()),
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
                doc.field_pos("version").unwrap_or(Pos::start()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words_added_and_removed() {
        assert_eq!(changed_words("a b c d", "a x c d y"), 3);
        assert_eq!(changed_words("same words", "same words"), 0);
    }
}
