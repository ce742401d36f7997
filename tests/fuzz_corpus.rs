//! Runs every seed of the fuzz targets' corpora (`tests/fuzz/corpus/<target>/`) and every
//! input a fuzzer once crashed on (`tests/fuzz/regressions/<target>/`) through the same
//! entry points as the fuzz targets, on the stable compiler: the seeds stay valid inputs
//! and each crash stays fixed. Each regression also has a test named after its bug.

use std::fs;
use std::path::{Path, PathBuf};

use lantern::fuzzing;

type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 3] = [
    ("document", fuzzing::document),
    ("data", fuzzing::data),
    ("search", fuzzing::search),
];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz")
}

fn inputs(folder: &str, target: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(fuzz_dir().join(folder).join(target))
        .map(|dir| dir.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

fn run(target: &str, name: &str) {
    let (_, entry) = TARGETS
        .iter()
        .find(|(t, _)| *t == target)
        .expect("a target");
    let path = fuzz_dir().join("regressions").join(target).join(name);
    entry(&fs::read(&path).expect("a regression input"));
}

#[test]
fn every_seed_and_regression_runs_clean() {
    for (target, entry) in TARGETS {
        let seeds = inputs("corpus", target);
        assert!(seeds.len() >= 4, "{target}: a handful of seeds");
        for path in seeds.iter().chain(&inputs("regressions", target)) {
            eprintln!("{}", path.display());
            entry(&fs::read(path).expect("read input"));
        }
    }
}

/// The csv crate places a row after a blank line on the blank line: its problems were
/// reported on the wrong line, at a column past that line's end.
#[test]
fn regression_row_after_blank_line_is_on_its_own_line() {
    run("data", "row-after-blank-line.csv");
}

/// A value was looked for in the rest of the file rather than on its own line, so a
/// quoted value with a line break in it got a column past the end of its line.
#[test]
fn regression_value_over_lines_is_located_on_its_lines() {
    run("data", "value-over-lines.csv");
}

/// A header with no line break after it and no rows was reported on the line after the
/// end of the file.
#[test]
fn regression_header_alone_without_line_break_is_at_its_end() {
    run("data", "header-alone-without-line-break.csv");
}

/// A YAML error at the end of a file without a final line break was reported on a line
/// after the end of the file.
#[test]
fn regression_yaml_error_at_end_is_on_the_last_line() {
    run("document", "yaml-error-at-end.md");
}

/// A file that is only `---` (a YAML document marker) was a wrong-type error on the line
/// after the end of the file.
#[test]
fn regression_only_a_document_marker_is_on_its_line() {
    run("document", "only-a-document-marker.yaml");
}

/// YAML counts a carriage return alone as a line break where lantern (and git) do not, so
/// its positions were on other lines than the diagnostics said: such files are refused.
#[test]
fn regression_lone_carriage_return_is_refused() {
    run("document", "lone-carriage-return.md");
}
