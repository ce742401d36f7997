//! Patient data found in the text that is published, however the file spells it: through
//! YAML escapes, folded and wrapped lines, Markdown escapes, HTML entities, zero-width
//! characters and soft hyphens, across line breaks and markup, and dates of birth in their
//! common spellings; in `library.yaml`, in file names and in linked data files of any
//! kind. Each is found at its place, and no output shows it.

use std::collections::BTreeMap;
use std::path::Path;

#[path = "common/repo.rs"]
mod repo;
use repo::{CONFIG, SITE, commit, git, lantern, scratch, write};

/// A published case study: `front` is its front matter after `version: 1` (line 9 on),
/// `background` the text of its Background section.
fn case_study(title: &str, front: &str, background: &str) -> String {
    format!(
        "---\ntitle: {title}\nsummary: How the labour ward began weighing every swab.\nsites: [example]\npriority_areas: [postpartum-haemorrhage]\nstatus: published\npublished: 2025-03-01\nversion: 1\n{front}---\n\n## Background\n\n{background}\n\n## What we did\n\nWe weighed swabs and drapes at every birth.\n\n## Impact\n\nFewer women needed a transfusion.\n\n## Key learning\n\nStart with one shift.\n\n## Contact\n\nThe maternity QI lead.\n"
    )
}

/// `lantern check` in `format`: exit code and everything it printed.
fn check(root: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let root = root.to_string_lossy().into_owned();
    let mut args = vec!["check", "--no-history", "--root", &root];
    args.extend_from_slice(extra);
    let out = lantern(&args);
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!printed.contains("panicked"), "{printed}");
    (out.status.code(), printed)
}

/// Every finding of `--format json`, by path: `rule@line:column`.
fn findings(root: &Path, extra: &[&str]) -> BTreeMap<String, Vec<String>> {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let (_, printed) = check(root, &args);
    let json = &printed[..printed.rfind(']').map_or(0, |i| i + 1)];
    let list: Vec<serde_json::Value> =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("not JSON ({e}): {printed}"));
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in list {
        let place = format!(
            "{}@{}:{}",
            f["rule"].as_str().unwrap_or("?"),
            f["line"],
            f["column"]
        );
        out.entry(f["path"].as_str().unwrap_or("?").to_string())
            .or_default()
            .push(place);
    }
    out
}

/// The line and column (1-based, in characters) where `snippet` starts in `text`.
fn place(text: &str, snippet: &str) -> (usize, usize) {
    let at = text
        .find(snippet)
        .unwrap_or_else(|| panic!("{snippet:?} is not in the document"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line, column)
}

/// A library with the site and configuration every test uses.
fn library(name: &str) -> std::path::PathBuf {
    let root = scratch(name);
    write(&root, "content/library.yaml", CONFIG);
    write(&root, "content/sites/example.md", SITE);
    root
}

/// Digits and letters of the values below that no output may show.
const SECRETS: &[&str] = &["5919", "9WL", "4DY", "1990", "'90", "x39", "&#57;", "1 Feb"];

#[test]
fn each_spelling_in_the_published_text_is_found_at_its_place_and_never_shown() {
    // (document, extra front matter, background, rule, where the value starts)
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        (
            "yaml-escapes",
            "change_note: \"Removed baby \\x39\\x343\\u0020476\\u00205919 from the notes.\"\n",
            "Swabs were weighed.",
            "nhs-number",
            "\\x39",
        ),
        (
            "folded-scalar",
            "change_note: >\n  The audit of baby 943 476\n  5919 was withdrawn.\n",
            "Swabs were weighed.",
            "nhs-number",
            "943 476\n",
        ),
        (
            "wrapped-quoted",
            "change_note: \"The audit of baby 943\n  476 5919 was withdrawn.\"\n",
            "Swabs were weighed.",
            "nhs-number",
            "943\n",
        ),
        (
            "markdown-escapes",
            "",
            "Her NHS number, 943\\-476\\-5919, was on the whiteboard.",
            "nhs-number",
            "943\\-",
        ),
        (
            "html-entities",
            "",
            "Her NHS number, &#57;43 476 5919, was on the whiteboard.",
            "nhs-number",
            "&#57;",
        ),
        (
            "zero-width",
            "",
            "Her NHS number, 943\u{200b}476\u{200b}5919, was on the whiteboard.",
            "nhs-number",
            "943\u{200b}",
        ),
        (
            "soft-hyphens",
            "",
            "She lives at LS1\u{ad} 4DY, near the hospital.",
            "postcode",
            "LS1\u{ad}",
        ),
        (
            "line-break",
            "",
            "Her NHS number was 943 476\n5919, written on the whiteboard.",
            "nhs-number",
            "943 476\n",
        ),
        (
            "emphasis",
            "",
            "Her NHS number was 943 **476** 5919 on the handover sheet.",
            "nhs-number",
            "943 **",
        ),
        (
            "block-quote",
            "",
            "> “She lives at M13\n> 9WL,” the midwife said.",
            "postcode",
            "M13\n",
        ),
        (
            "dob-year-first",
            "",
            "DOB 1990/02/01, para 2.",
            "date-of-birth",
            "1990/",
        ),
        (
            "dob-equals",
            "",
            "DOB = 01/02/1990 on the form.",
            "date-of-birth",
            "01/",
        ),
        (
            "dob-em-dash",
            "",
            "DoB—1 Feb 1990 on the form.",
            "date-of-birth",
            "1 Feb",
        ),
        (
            "dob-marked-up",
            "",
            "**D.O.B.:** 01/02/1990 on the form.",
            "date-of-birth",
            "01/",
        ),
        (
            "dob-across-lines",
            "",
            "Her date of birth:\n1 February 1990, which she gave at booking.",
            "date-of-birth",
            "1 February",
        ),
        (
            "dob-two-digit-year",
            "",
            "Born on 1 Feb '90.",
            "date-of-birth",
            "1 Feb",
        ),
    ];
    let root = library("patient-spellings");
    let mut expected = BTreeMap::new();
    for (name, front, background, rule, at) in cases {
        let text = case_study(&format!("Weighing swabs – {name}"), front, background);
        let (line, column) = place(&text, at);
        let path = format!("content/case-studies/{name}.md");
        write(&root, &path, &text);
        expected.insert(path, vec![format!("{rule}@{line}:{column}")]);
    }
    let found = findings(&root, &[]);
    // Every spelling is checked, so that a failure names each one missed.
    let missed: Vec<String> = expected
        .iter()
        .filter(|(path, wanted)| found.get(*path) != Some(wanted))
        .map(|(path, wanted)| format!("{path}: wanted {wanted:?}, found {:?}", found.get(path)))
        .collect();
    assert!(missed.is_empty(), "{missed:#?}");
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for format in ["human", "json", "github"] {
        let (code, printed) = check(&root, &["--format", format]);
        assert_eq!(code, Some(1), "{printed}");
        for secret in SECRETS {
            assert!(
                !printed.contains(secret),
                "{format} shows {secret:?}:\n{printed}"
            );
        }
    }
}

#[test]
fn library_yaml_file_names_and_linked_data_files_are_checked() {
    let root = scratch("patient-places");
    let config = CONFIG.replace(
        "description: A library for history tests.",
        "description: \"Shared learning from the birth centre at M13\\x209WL.\"",
    );
    write(&root, "content/library.yaml", &config);
    write(&root, "content/sites/example.md", SITE);
    let links = "The audit is in [the ward’s notes](../data/ward-audit.txt), \
                 [the cohort](../data/cohort.json) and [the extract](../data/extract.xlsx).";
    write(
        &root,
        "content/case-studies/baby-943-476-5919.md",
        &case_study("Weighing every swab", "", links),
    );
    let audit = "Seen on the ward: one woman from LS1 4DY.\n";
    let cohort = "[{\"dob\": \"1990-02-01\", \"parity\": 1}]\n";
    write(&root, "content/data/ward-audit.txt", audit);
    write(&root, "content/data/cohort.json", cohort);
    std::fs::write(
        root.join("content/data/extract.xlsx"),
        b"PK\x03\x04\xff\xfe binary",
    )
    .expect("write");
    std::fs::create_dir_all(root.join("content/media")).expect("mkdir");
    std::fs::write(
        root.join("content/media/jane-smith-943-476-5919.jpg"),
        b"\xff\xd8\xff",
    )
    .expect("write");

    let found = findings(&root, &[]);
    let at = |rule: &str, text: &str, snippet: &str| {
        let (line, column) = place(text, snippet);
        format!("{rule}@{line}:{column}")
    };
    let expected: BTreeMap<String, Vec<String>> = [
        (
            "content/case-studies/baby-***-***-****.md",
            vec!["nhs-number@1:1".to_string()],
        ),
        (
            "content/data/cohort.json",
            vec![
                "unchecked-data@1:1".into(),
                at("date-of-birth", cohort, "1990"),
            ],
        ),
        (
            "content/data/extract.xlsx",
            vec!["unchecked-data@1:1".into()],
        ),
        (
            "content/data/ward-audit.txt",
            vec!["unchecked-data@1:1".into(), at("postcode", audit, "LS1")],
        ),
        ("content/library.yaml", vec![at("postcode", &config, "M13")]),
        (
            "content/media/jane-smith-***-***-****.jpg",
            vec!["nhs-number@1:1".into()],
        ),
    ]
    .into_iter()
    .map(|(p, f)| (p.to_string(), f))
    .collect();
    assert_eq!(found, expected);
    // A file that is text is read for patient data; one that is not says so.
    let (_, human) = check(&root, &[]);
    assert!(
        human.contains("cannot be checked for small counts or patient data"),
        "{human}"
    );
    assert!(
        human.contains("the file's name holds an NHS number (***-***-****)"),
        "{human}"
    );
    for format in ["human", "json", "github"] {
        let (code, printed) = check(&root, &["--format", format]);
        assert_eq!(code, Some(1), "{printed}");
        for secret in SECRETS {
            assert!(
                !printed.contains(secret),
                "{format} shows {secret:?}:\n{printed}"
            );
        }
    }
    let (_, github) = check(&root, &["--format", "github"]);
    assert!(
        github.contains("file=content/media/jane-smith-***-***-****.jpg"),
        "{github}"
    );

    // A pull request that adds a file named after a patient is told so, though its path is
    // masked.
    git(&root, &["init", "-q", "-b", "main"]);
    std::fs::remove_file(root.join("content/media/jane-smith-943-476-5919.jpg")).expect("rm");
    commit(&root, "Ada", 1, "Start the library");
    git(&root, &["checkout", "-q", "-b", "photos"]);
    std::fs::write(root.join("content/media/ward-m13-9wl.jpg"), b"\xff\xd8\xff").expect("write");
    commit(&root, "Bo", 2, "Add a photograph of the ward");
    let found = findings(&root, &["--since", "main"]);
    assert_eq!(
        found.get("content/media/ward-***-***.jpg"),
        Some(&vec!["postcode@1:1".to_string()]),
        "{found:#?}"
    );
}

/// Every file under `dir` that holds one of `secrets`, with the first it holds.
fn showing(dir: &Path, secrets: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        if let Some(secret) = secrets.iter().find(|s| text.contains(*s)) {
            out.push(format!("{} shows {secret:?}", entry.path().display()));
        }
    }
    out
}

#[test]
fn an_old_version_shows_its_patient_data_masked_and_the_build_warns() {
    let root = library("patient-history");
    git(&root, &["init", "-q", "-b", "main"]);
    let doc = "content/case-studies/weighing.md";
    let first = case_study(
        "Weighing every swab",
        "change_note: 943 476 5919 was on the first draft.\n",
        "Her NHS number, 943 476 5919, and her D.O.B.: 01/02/1990 were on the whiteboard. \
         She lives at M13&#32;9WL.",
    );
    write(&root, doc, &first);
    let v1 = commit(&root, "Ada", 1, "Add the case study");
    let second = case_study(
        "Weighing every swab",
        "change_note: Patient details removed.\n",
        "Swabs were weighed at every birth on the labour ward.",
    )
    .replace("version: 1\n", "version: 2\n");
    write(&root, doc, &second);
    commit(&root, "Bo", 2, "Remove NHS number 943 476 5919");

    let root_arg = root.to_string_lossy().into_owned();
    let secrets = ["5919", "9WL", "1990"];
    for build in ["cold", "warm"] {
        let out = lantern(&["build", "--root", &root_arg, "--format", "json"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{build}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
        let warned: Vec<String> = list
            .iter()
            .map(|f| {
                format!(
                    "{}@{}:{} {}",
                    f["rule"], f["line"], f["column"], f["message"]
                )
            })
            .collect();
        assert_eq!(warned.len(), 1, "{build}: {warned:#?}");
        let w = &warned[0];
        assert!(
            w.starts_with("\"patient-data-in-history\"@8:1 \"version 1, as committed in "),
            "{w}"
        );
        for said in [
            "an NHS number (*** *** ****)",
            "a date of birth (**/**/****)",
            "a full postcode (M13 ***)",
        ] {
            assert!(w.contains(said), "{build}: {w}");
        }
        assert_eq!(
            showing(&root.join("public"), &secrets),
            Vec::<String>::new(),
            "{build}"
        );
    }
    let public = root.join("public/case-studies/weighing");
    let read = |page: &str| std::fs::read_to_string(public.join(page)).expect(page);
    // The mask is plain text, not Markdown's emphasis or a rule.
    let v1_page = read("v1/index.html");
    assert!(
        v1_page.contains("Her NHS number, *** *** ****, and her D.O.B.: **/**/**** were on the whiteboard. She lives at *** ***."),
        "{v1_page}"
    );
    assert!(
        v1_page.contains("*** *** **** was on the first draft."),
        "{v1_page}"
    );
    let changes = read("v2/changes/index.html");
    assert!(changes.contains("*** *** ****"), "{changes}");
    let history = read("history/index.html");
    assert!(
        history.contains("Remove NHS number *** *** ****"),
        "{history}"
    );

    // The pull-request page of the change shows the text it removed masked too.
    let preview = root.join("preview");
    let out = lantern(&[
        "build",
        "--root",
        &root_arg,
        "--since",
        &v1,
        "--out",
        &preview.to_string_lossy(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(preview.join("pull-request/index.html")).expect("page");
    assert!(page.contains("<del>"), "{page}");
    assert_eq!(showing(&preview, &secrets), Vec::<String>::new());
}
