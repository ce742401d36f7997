//! Hostile numbers in data files: counts whose totals would overflow, and values whose
//! mean and limits would be infinite. Each is refused at its cell, never a panic and never
//! `inf` drawn or written.

use std::fs;
use std::path::Path;

use super::run::{expect_exit, library};
use super::timed;

/// Adds `front` to the front matter of the sample evaluation and writes `csv` as
/// `content/data/{name}`.
fn evaluation_with(root: &Path, front: &str, name: &str, csv: &str) {
    let doc = root.join("content/evaluations/qbl-evaluation.md");
    let text = fs::read_to_string(&doc).expect("read evaluation");
    fs::write(
        &doc,
        text.replacen("charts:\n", &format!("{front}charts:\n"), 1),
    )
    .expect("write");
    fs::write(root.join("content/data").join(name), csv).expect("write data");
}

/// Counts at the top of what a 64-bit number holds: the equity table's totals would
/// overflow (a panic, before these were bounded).
#[test]
fn counts_whose_totals_would_overflow_are_refused_at_their_cells() {
    let root = library("hostile-huge-counts");
    let front = "equity:\n  - {title: PPH of 1500 ml or more by ethnic group, data: pph-by-ethnicity.csv, reference_group: black-african, per: 1000}\n";
    let max = u64::MAX;
    let csv = format!(
        "group,events,population\nblack-african,{max},{max}\nasian-pakistani,{max},{max}\n"
    );
    evaluation_with(&root, front, "pph-by-ethnicity.csv", &csv);
    let found = expect_exit(&timed(&root), 1);
    let error = |line: usize, col: usize, name: &str| {
        format!(
            "content/data/pph-by-ethnicity.csv:{line}:{col}: error[invalid-data]: `{name}` is `{max}`, larger than any count lantern takes (hint: counts are at most 1000000000000 (10¹²): check the figure)"
        )
    };
    assert_eq!(
        found,
        [
            error(2, 15, "events"),
            error(2, 36, "population"),
            error(3, 17, "events"),
            error(3, 38, "population"),
        ]
    );
    assert!(!root.join("public").exists());
}

/// Values near the largest a 64-bit float holds: their sum, and so the chart's mean and
/// limits, would be infinite and written as `inf` (before values were bounded).
#[test]
fn values_whose_mean_would_be_infinite_are_refused_at_their_cells() {
    let root = library("hostile-huge-values");
    let front = "";
    let csv = "period,value\n2024-01,1.7e308\n2024-02,1.6e308\n2024-03,612\n";
    evaluation_with(&root, front, "pph.csv", csv);
    let found = expect_exit(&timed(&root), 1);
    let error = |line: usize, value: &str| {
        format!(
            "content/data/pph.csv:{line}:9: error[invalid-data]: `value` is `{value}`, larger than a chart can draw (hint: write values of at most 1000000000000 (10¹²) in size: check the figure and its units)"
        )
    };
    assert_eq!(found, [error(2, "1.7e308"), error(3, "1.6e308")]);
    assert!(!root.join("public").exists());
}
