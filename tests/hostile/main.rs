//! Hostile content, each case run through the real binary over a scratch copy of a
//! fixture library: a clear diagnostic at `path:line:col` with a hint, or a bounded and
//! correct result; never a panic, a hang or memory without bound, never a file read or
//! written outside the library, never a template evaluated. Here, input too large or too
//! deep and files in odd formats; in `paths.rs`, names and paths; in `linear.rs`, input
//! shaped to make work grow with the square of its size; in `small.rs`, settings, an
//! oversized `library.yaml`, aliases over the site's own addresses and line breaks in
//! messages.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

#[path = "../common/mod.rs"]
mod common;
mod data;
mod files;
mod linear;
mod media;
mod paths;
#[path = "../common/run.rs"]
mod run;
mod small;
use run::{expect_exit, library};

/// Far more than any of these takes, and far less than what a hang would.
const BOUND: Duration = Duration::from_secs(120);

pub fn page(root: &Path, slug: &str, front: &str, body: &str) {
    let text = format!("---\ntitle: {slug}\n{front}---\n\n{body}");
    fs::write(root.join(format!("content/pages/{slug}.md")), text).expect("write page");
}

/// `lantern build` with at most `bytes` of data memory (`prlimit --data`: the heap and
/// every other private writable mapping).
fn bounded(root: &Path, bytes: u64) -> std::process::Output {
    std::process::Command::new("prlimit")
        .arg(format!("--data={bytes}"))
        .arg(env!("CARGO_BIN_EXE_lantern"))
        .args(["build", "--no-history", "--format", "json", "--root"])
        .arg(root)
        .env("SOURCE_DATE_EPOCH", "1748736000")
        .output()
        .expect("prlimit (util-linux) runs lantern")
}

/// `lantern build` of the library at `root`, stopped and failed if it takes longer than
/// [`BOUND`].
pub fn timed(root: &Path) -> std::process::Output {
    let mut build = run::command();
    build
        .args(["build", "--no-history", "--format", "json", "--root"])
        .arg(root);
    bounded_run(build)
}

/// Runs `command`, killing it and failing when it takes longer than [`BOUND`]: a hang
/// fails here rather than holding up the whole test run.
pub fn bounded_run(mut command: std::process::Command) -> std::process::Output {
    use std::process::Stdio;
    let began = Instant::now();
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lantern");
    let pid = child.id();
    let (done, wait) = std::sync::mpsc::channel();
    std::thread::spawn(move || done.send(child.wait_with_output()));
    match wait.recv_timeout(BOUND) {
        Ok(out) => out.expect("lantern's output"),
        Err(_) => {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("lantern took more than {:?}", began.elapsed());
        }
    }
}

/// A 50 MB document is refused at `limits.document_bytes`, and read no further than
/// that: the build stays within 100 MB of data memory (reading it would take more).
#[test]
fn a_50_mb_document_is_refused_at_the_limit() {
    let root = library("hostile-50mb");
    let paragraph = "Blood loss was measured at every birth, and escalation followed. ";
    let body = paragraph.repeat(50_000_000 / paragraph.len() + 1);
    page(&root, "big", "", &body);
    let out = bounded(&root, 100_000_000);
    let found = expect_exit(&out, 1);
    assert_eq!(
        found,
        [
            "content/pages/big.md:1:1: error[too-large]: the file is 50 MB, larger than the limit of 2 MB (`limits.document_bytes`) (hint: make it smaller, or raise `limits: {document_bytes: ...}` in content/library.yaml (in bytes))"
        ]
    );
    assert!(!root.join("public").exists());
}

/// 10,000 levels of nested lists, of block quotes and of HTML elements stop at the
/// nesting limit, where they pass it.
#[test]
fn ten_thousand_levels_of_nesting_stop_at_the_limit() {
    let root = library("hostile-nesting");
    page(
        &root,
        "lists",
        "",
        &format!("{}deep\n", "- ".repeat(10_000)),
    );
    page(
        &root,
        "quotes",
        "",
        &format!("{}deep\n", "> ".repeat(10_000)),
    );
    let divs = format!(
        "{}deep{}\n",
        "<div>".repeat(10_000),
        "</div>".repeat(10_000)
    );
    page(&root, "divs", "", &format!("Text.\n\n{divs}"));
    let spans = "<span>".repeat(10_000);
    page(&root, "spans", "", &format!("Text {spans}deep\n"));
    let found = expect_exit(&timed(&root), 1);
    let hint = "(hint: flatten the structure: a page needs a few levels at most)";
    let message =
        "error[too-deep]: lists, block quotes and HTML elements nest more than 100 deep here";
    assert_eq!(
        found,
        [
            format!("content/pages/divs.md:7:1: {message} {hint}"),
            // Each list level is a list and an item.
            format!("content/pages/lists.md:5:101: {message} {hint}"),
            format!("content/pages/quotes.md:5:201: {message} {hint}"),
            // Inside the paragraph: the 100th `<span>` is the 101st level.
            format!("content/pages/spans.md:5:600: {message} {hint}"),
        ]
    );
}

/// A 1 MB line, in a language with accents, builds, and a problem at its end is found at
/// its column in characters.
#[test]
fn a_one_megabyte_line_builds_and_is_located_by_character() {
    let root = library("hostile-long-line");
    let words = "wörd ".repeat(200_000);
    page(&root, "long", "", &format!("{words}[end](missing.md)\n"));
    let found = expect_exit(&timed(&root), 1);
    assert_eq!(
        found,
        [
            "content/pages/long.md:5:1000007: error[broken-link]: `missing.md` links to content/pages/missing.md, which does not exist (hint: check the path: it is relative to this file's folder)"
        ]
    );
    page(&root, "long", "", &format!("{words}[end](about.md)\n"));
    expect_exit(&timed(&root), 0);
    let html = fs::read_to_string(root.join("public/long/index.html")).expect("page");
    assert_eq!(html.matches("wörd").count(), 200_000);
    assert!(html.contains("wörd <a href=\"../about/index.html\">end</a>"));
}

/// Front matter that is one line of nearly 2 MB (the document limit) holding 180,000
/// values is read in bounded time, its fields found at their lines: every value's place was once found by counting the
/// characters of its whole line again.
#[test]
fn a_front_matter_line_of_two_megabytes_is_read_in_bounded_time() {
    let root = library("hostile-long-front-matter");
    let tags = vec!["screening"; 180_000].join(", ");
    page(
        &root,
        "long",
        &format!(
            "tags: [{tags}]
sumary: x
"
        ),
        "Text.\n",
    );
    let found = expect_exit(&timed(&root), 1);
    let places: Vec<&str> = found.iter().filter_map(|d| d.split(": ").next()).collect();
    assert_eq!(
        places,
        ["content/pages/long.md:3:1", "content/pages/long.md:4:1"],
        "{found:?}"
    );
    assert!(
        found.iter().all(|d| d.contains("error[unknown-field]")),
        "{found:?}"
    );
}

const BOMB: &str = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
";

/// A billion laughs in front matter and in `library.yaml` stop at their first alias.
#[test]
fn a_yaml_alias_bomb_is_refused_where_it_starts() {
    let root = library("hostile-alias-bomb");
    page(&root, "bomb", BOMB, "Body.\n");
    let config = root.join("content/library.yaml");
    let text = fs::read_to_string(&config).expect("config");
    let config_lines = text.lines().count();
    fs::write(&config, format!("{text}{BOMB}")).expect("write");
    let mut found = expect_exit(&timed(&root), 1);
    // Without its settings the library has no review interval: every document is overdue.
    found.retain(|f| !f.contains("warning[review-overdue]"));
    let end = "aliases (`*name`) repeat too much to expand (hint: write the values out in full: front matter and library.yaml need no anchors or aliases)";
    assert_eq!(
        found,
        [
            format!(
                "content/library.yaml:{}:8: error[yaml-syntax]: invalid YAML: {end}",
                config_lines + 2
            ),
            format!(
                "content/pages/bomb.md:4:8: error[yaml-syntax]: invalid YAML in front matter: {end}"
            ),
        ]
    );
}

/// A million-row data file is refused at `limits.data_bytes`; with that raised, its chart
/// stops at `limits.data_rows`, on the first row past it.
#[test]
fn a_million_row_csv_is_refused_at_the_limits() {
    let root = library("hostile-million-rows");
    let mut csv = String::from("period,numerator,denominator\n");
    for day in 0..1_000_000u32 {
        let (year, rest) = (1000 + day / 336, day % 336);
        let line = format!(
            "{year}-{:02}-{:02},{},400\n",
            rest / 28 + 1,
            rest % 28 + 1,
            10 + day % 7
        );
        csv.push_str(&line);
    }
    let data = root.join("content/data/pph.csv");
    fs::write(&data, &csv).expect("write");
    let found = expect_exit(&timed(&root), 1);
    let size = format!("{:.1} MB", csv.len() as f64 / 1e6).replace(".0 MB", " MB");
    assert_eq!(
        found,
        [format!(
            "content/data/pph.csv:1:1: error[too-large]: the file is {size}, larger than the limit of 5 MB (`limits.data_bytes`) (hint: make it smaller, or raise `limits: {{data_bytes: ...}}` in content/library.yaml (in bytes))"
        )]
    );
    let config = root.join("content/library.yaml");
    let text = fs::read_to_string(&config).expect("config");
    fs::write(
        &config,
        format!("{text}limits: {{data_bytes: 100000000}}\n"),
    )
    .expect("write");
    let found = expect_exit(&timed(&root), 1);
    assert_eq!(
        found,
        [
            "content/data/pph.csv:10002:1: error[too-large]: the data file has more than 10000 rows, the limit (`limits.data_rows`) (hint: chart longer periods (weeks or months rather than days), or raise `limits: {data_rows: ...}` in content/library.yaml)"
        ]
    );
}

/// Windows line endings and a byte-order mark build, and problems in such files are found
/// on their line and column as an editor shows them; a carriage return alone is refused.
#[test]
fn crlf_and_a_byte_order_mark_build_with_true_positions() {
    let root = library("hostile-crlf-bom");
    let windows =
        |text: &str| [&b"\xEF\xBB\xBF"[..], text.replace('\n', "\r\n").as_bytes()].concat();
    let config = root.join("content/library.yaml");
    let text = fs::read_to_string(&config).expect("config");
    fs::write(&config, windows(&text)).expect("write");
    let doc = "---\ntitle: Écrit sous Windows\n---\n\nFirst line.\n\nA [link](about.md) here.\n";
    fs::write(root.join("content/pages/windows.md"), windows(doc)).expect("write");
    expect_exit(&timed(&root), 0);
    let html = fs::read_to_string(root.join("public/windows/index.html")).expect("page");
    assert!(html.contains("<h1>Écrit sous Windows</h1>"), "{html}");
    assert!(html.contains("<p>A <a href=\"../about/index.html\">link</a> here.</p>"));
    assert!(!html.contains('\r') && !html.contains('\u{feff}'));

    let broken = "---\ntitle: Écrit sous Windows\ncolour: red\n---\n\nFirst line.\n\nSecond é [line](missing.md) here.\n";
    fs::write(root.join("content/pages/windows.md"), windows(broken)).expect("write");
    fs::write(
        root.join("content/pages/mac.md"),
        "---\rtitle: Mac\r---\r\rOld.\r",
    )
    .expect("write");
    let found = expect_exit(&timed(&root), 1);
    assert_eq!(
        found,
        [
            "content/pages/mac.md:1:4: error[line-ending]: this line ends in a carriage return alone (hint: save the file with LF or CRLF line endings (your editor's line ending setting))",
            "content/pages/windows.md:3:1: error[unknown-field]: unknown field `colour` (hint: remove it; known fields here: title, summary, aliases, menu)",
            "content/pages/windows.md:8:17: error[broken-link]: `missing.md` links to content/pages/missing.md, which does not exist (hint: check the path: it is relative to this file's folder)",
        ]
    );
}
