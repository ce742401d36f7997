//! The review gates of `lantern check`, run as a reviewer would: patient-identifiable data
//! found and masked, inclusive language, each output format parsed back, `--deny-warnings`,
//! and `--since` on a throw-away repository with its pull-request page.

use std::fs;
use std::path::{Path, PathBuf};

#[path = "common/repo.rs"]
mod repo;
use repo::{CONFIG, SITE, commit, git, lantern, scratch, write};

/// A published case study whose Background section says `background`.
fn case_study(title: &str, background: &str, contact: &str) -> String {
    format!(
        "---\ntitle: {title}\nsummary: A case study for review tests.\nsites: [example]\npriority_areas: [postpartum-haemorrhage]\nstatus: published\npublished: 2025-03-01\nversion: 1\ncontact: {contact}\n---\n\n## Background\n\n{background}\n\n## What we did\n\nWe weighed.\n\n## Impact\n\nLess harm.\n\n## Key learning\n\nStart small.\n\n## Contact\n\nThe QI lead.\n"
    )
}

/// Line 14 of a case study is its Background text.
const BACKGROUND_LINE: usize = 14;

/// A library in a new folder with one case study, not in git.
fn library(name: &str, background: &str) -> PathBuf {
    let root = scratch(name);
    write(&root, "content/library.yaml", CONFIG);
    write(&root, "content/sites/example.md", SITE);
    write(
        &root,
        "content/case-studies/weighing.md",
        &case_study(
            "Weighing every birth",
            background,
            "QI lead, qi.team@example.nhs.uk",
        ),
    );
    root
}

/// `lantern check` in the given format: exit code, standard output, standard error.
fn check(root: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let root_arg = root.to_string_lossy().into_owned();
    let mut args = vec!["check", "--no-history", "--root", &root_arg];
    args.extend_from_slice(extra);
    let out = lantern(&args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn findings(root: &Path) -> (Option<i32>, Vec<serde_json::Value>) {
    let (code, stdout, stderr) = check(root, &["--format", "json"]);
    let parsed: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("--format json is not JSON ({e}): {stdout}{stderr}"));
    (code, parsed.as_array().cloned().unwrap_or_default())
}

/// `rule@line:column` of every finding.
fn places(findings: &[serde_json::Value]) -> Vec<String> {
    findings
        .iter()
        .map(|f| {
            format!(
                "{}@{}:{}",
                f["rule"].as_str().unwrap_or("?"),
                f["line"],
                f["column"]
            )
        })
        .collect()
}

#[test]
fn patient_identifiable_data_fails_at_its_place_and_is_never_shown() {
    let background = "Her NHS number is 943 476 5919, she lives at M13 9WL, DOB 12/03/1990.";
    let root = library("review-pii", background);
    write(
        &root,
        "content/data/audit.csv",
        "period,value,note\n2024-01,3,see 4010232137\n",
    );
    let (code, list) = findings(&root);
    assert_eq!(code, Some(1), "{list:?}");
    let doc_line = BACKGROUND_LINE;
    assert_eq!(
        places(&list),
        vec![
            format!("nhs-number@{doc_line}:19"),
            format!("postcode@{doc_line}:46"),
            format!("date-of-birth@{doc_line}:59"),
            "nhs-number@2:15".to_string(),
        ]
    );
    assert_eq!(list[0]["severity"], "error");
    assert_eq!(list[0]["end_column"], 19 + 12);
    assert_eq!(list[3]["path"], "content/data/audit.csv");
    // No format shows the values: not the message, not the source line under it.
    for format in ["human", "json", "github"] {
        let (code, stdout, stderr) = check(&root, &["--format", format]);
        assert_eq!(code, Some(1), "{format}");
        let all = format!("{stdout}{stderr}");
        for secret in [
            "943 476 5919",
            "4010232137",
            "M13 9WL",
            "9WL",
            "12/03/1990",
            "1990",
        ] {
            assert!(!all.contains(secret), "{format} shows {secret:?}:\n{all}");
        }
        assert!(
            all.contains("*** *** ****"),
            "{format} gives the masked form:\n{all}"
        );
    }
    // A wrong check digit, an outward code alone and no date of birth pass.
    let clean = library(
        "review-pii-clean",
        "The number 943 476 5918 is not an NHS number; she lives in M13, born in 1990.",
    );
    let (code, list) = findings(&clean);
    assert_eq!((code, places(&list)), (Some(0), vec![]));
}

#[test]
fn test_numbers_and_contact_details_outside_contact_are_warnings() {
    let root = library(
        "review-contact",
        "Use 999 000 0018 in examples. Ask jane.doe@example.nhs.uk or call 0161 496 0000.",
    );
    let (code, list) = findings(&root);
    assert_eq!(code, Some(0), "warnings only: {list:?}");
    let line = BACKGROUND_LINE;
    assert_eq!(
        places(&list),
        vec![
            format!("nhs-number@{line}:5"),
            format!("email-address@{line}:35"),
            format!("phone-number@{line}:67"),
        ]
    );
    assert!(list.iter().all(|f| f["severity"] == "warning"));
    // The team mailbox in `contact` is where contact details belong: no finding there.
    assert!(list.iter().all(|f| f["line"] != 9));
}

#[test]
fn inclusive_language_outside_code_with_the_library_s_own_terms() {
    let root = library(
        "review-language",
        "Outcomes for BAME women, hard-to-reach groups and each service user. `BAME` in code is fine.",
    );
    let (code, list) = findings(&root);
    assert_eq!(code, Some(0));
    let line = BACKGROUND_LINE;
    assert_eq!(
        places(&list),
        vec![
            format!("inclusive-language@{line}:14"),
            format!("inclusive-language@{line}:26"),
        ]
    );
    assert!(
        list[0]["hint"]
            .as_str()
            .unwrap_or("")
            .contains("name the ethnic groups")
    );
    // The library adds its own term.
    let config = format!("{CONFIG}style:\n  avoid:\n    service user: say 'woman' or 'person'\n");
    write(&root, "content/library.yaml", &config);
    let (_, list) = findings(&root);
    assert_eq!(list.len(), 3, "{list:?}");
    assert_eq!(list[2]["hint"], "say 'woman' or 'person'");
}

#[test]
fn output_formats_parse_back_and_deny_warnings_fails() {
    let root = library(
        "review-formats",
        "For BAME women: see M13 9WL, or write to a@b.org.",
    );
    let (_, list) = findings(&root);
    assert_eq!(list.len(), 3, "{list:?}");
    for f in &list {
        let keys: Vec<&String> = f
            .as_object()
            .map(|o| o.keys().collect())
            .unwrap_or_default();
        for key in [
            "path",
            "line",
            "column",
            "end_column",
            "severity",
            "rule",
            "message",
            "hint",
        ] {
            assert!(keys.iter().any(|k| *k == key), "{key} missing from {f}");
        }
        assert_eq!(f["path"], "content/case-studies/weighing.md");
    }
    let (code, stdout, _) = check(&root, &["--format", "github"]);
    assert_eq!(code, Some(1));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    for (line, f) in lines.iter().zip(&list) {
        let expected_head = format!(
            "::{} file=content/case-studies/weighing.md,line={},col={},endColumn={},title={}::",
            f["severity"].as_str().unwrap_or(""),
            f["line"],
            f["column"],
            f["end_column"],
            f["rule"].as_str().unwrap_or("")
        );
        assert!(
            line.starts_with(&expected_head),
            "{line}\nwanted {expected_head}"
        );
        let message = &line[expected_head.len()..];
        assert!(
            message.starts_with(f["message"].as_str().unwrap_or("")),
            "{line}"
        );
        assert!(!message.contains('\n') && !message.is_empty());
    }
    // Warnings alone pass, unless denied.
    let warnings_only = library("review-deny", "For BAME women.");
    assert_eq!(check(&warnings_only, &[]).0, Some(0));
    let (code, _, stderr) = check(&warnings_only, &["--deny-warnings"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("error[inclusive-language]"), "{stderr}");
}

#[test]
fn since_main_reports_the_branch_and_the_pull_request_page_shows_it() {
    let root = scratch("review-since");
    write(&root, "content/library.yaml", CONFIG);
    write(&root, "content/sites/example.md", SITE);
    let untouched = "content/case-studies/untouched.md";
    let edited = "content/case-studies/edited.md";
    let added = "content/case-studies/added.md";
    // On main: a document with a warning that the branch does not touch.
    write(
        &root,
        untouched,
        &case_study("Untouched", "Care for BAME women.", "QI lead"),
    );
    write(
        &root,
        edited,
        // An NHS number slipped in on main: the branch takes it out.
        &case_study(
            "Edited",
            "The first wording of the background, 943 476 5919.",
            "QI lead",
        ),
    );
    git(&root, &["init", "-q", "-b", "main"]);
    commit(&root, "Main Author", 1, "Start the library");
    git(&root, &["checkout", "-q", "-b", "proposal"]);
    let edited_text = case_study("Edited", "The second wording, for BAME women.", "QI lead")
        .replace("version: 1", "version: 2\nchange_note: Reworded.");
    write(&root, edited, &edited_text);
    write(
        &root,
        added,
        &case_study("Added", "A new story. Call 0161 496 0000.", "QI lead"),
    );
    commit(&root, "Branch Author", 2, "Propose two case studies");

    let root_arg = root.to_string_lossy().into_owned();
    let out = lantern(&[
        "check", "--root", &root_arg, "--since", "main", "--format", "json",
    ]);
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
    let paths: Vec<&str> = list.iter().filter_map(|f| f["path"].as_str()).collect();
    assert_eq!(paths, vec![added, edited, edited], "{list:?}");
    // Version 1, on main, held the number: its page shows it masked, and says so.
    let rules: Vec<&str> = list.iter().filter_map(|f| f["rule"].as_str()).collect();
    assert!(rules.contains(&"patient-data-in-history"), "{list:?}");
    assert_eq!(out.status.code(), Some(0));
    // Without --since the untouched document's warning is there too.
    let all = lantern(&["check", "--root", &root_arg, "--format", "json"]);
    assert!(String::from_utf8_lossy(&all.stdout).contains(untouched));

    let out_dir = root.join("preview");
    let out_arg = out_dir.to_string_lossy().into_owned();
    let built = lantern(&[
        "build", "--root", &root_arg, "--since", "main", "--out", &out_arg,
    ]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let page =
        fs::read_to_string(out_dir.join("pull-request/index.html")).expect("pull-request page");
    let section = |title: &str| -> String {
        let start = page
            .find(&format!("{title} <span class=\"tag\">"))
            .unwrap_or_else(|| panic!("{title} is not listed:\n{page}"));
        let rest = &page[start..];
        rest[..rest.find("</section>").unwrap_or(rest.len())].to_string()
    };
    let edited_section = section("Edited");
    assert!(edited_section.contains(">changed<"), "{edited_section}");
    assert!(edited_section.contains("1 → 2"), "{edited_section}");
    assert!(
        edited_section.contains("<del>") && edited_section.contains("<ins>"),
        "{edited_section}"
    );
    assert!(
        edited_section.contains("inclusive-language"),
        "its finding: {edited_section}"
    );
    assert!(edited_section.contains("href=\"../case-studies/edited/index.html\""));
    let added_section = section("Added");
    assert!(added_section.contains(">added<"), "{added_section}");
    assert!(added_section.contains("<ins>"), "{added_section}");
    assert!(added_section.contains("phone-number"), "{added_section}");
    assert!(
        !page.contains("Untouched <span"),
        "the untouched document is not listed"
    );
    // The number the branch removed is shown nowhere: not in the diff, not on the page of
    // version 1 that history keeps.
    assert!(out_dir.join("case-studies/edited/v1/index.html").exists());
    for entry in walkdir::WalkDir::new(&out_dir).into_iter().flatten() {
        if let Ok(text) = fs::read_to_string(entry.path()) {
            assert!(
                !text.contains("943 476 5919"),
                "{} shows it",
                entry.path().display()
            );
        }
    }
}

#[test]
fn the_review_page_lists_documents_by_review_date() {
    let root = library("review-page", "Nothing to find here.");
    write(
        &root,
        "content/case-studies/overdue.md",
        &case_study("Overdue one", "Old.", "QI lead")
            .replace("version: 1", "version: 1\nreview_due: 2025-04-01"),
    );
    let (code, list) = findings(&root);
    assert_eq!(code, Some(0));
    assert_eq!(places(&list), vec!["review-overdue@9:1".to_string()]);
    let out = root.join("public");
    let root_arg = root.to_string_lossy().into_owned();
    let built = lantern(&["build", "--no-history", "--root", &root_arg]);
    assert!(built.status.success());
    let page = fs::read_to_string(out.join("review/index.html")).expect("review page");
    let first = page.find("Overdue one").expect("listed");
    let second = page.find("Weighing every birth").expect("listed");
    assert!(first < second, "the overdue document comes first");
    assert!(page.contains("1 April 2025"));
}
