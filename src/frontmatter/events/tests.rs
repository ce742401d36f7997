//! The fast path held to serde_yaml: lists of tricky YAML, random documents, and every front
//! matter in the repository must read the same both ways wherever the fast path answers.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use super::*;
use crate::frontmatter::slow::assert_agrees_with_serde;
use crate::frontmatter::split;

/// Plain scalars in every form serde_yaml resolves: numbers, nulls, booleans, dates, and
/// words that look like them.
const SCALARS: &str = "0x1A 0o17 017 0b101 +1 -1 -0 +0 0 00 1_000 1e3 1E3 1.5e-3 -1.5E+3 .5 5. -.5
    +.5 .inf -.Inf +.INF .NaN .nan .NAN nan inf -inf infinity 9223372036854775807
    9223372036854775808 18446744073709551615 -9223372036854775808 0x-1 -0x1A -0o17 -0b11
    +0x1A 0xFFFFFFFFFFFFFFFF 1e400 -1e400 1e-400 0.1 00.5 +-1 --1 0x 1.2.3 1,000 ~ null Null
    NULL nULL true True TRUE tRUE false False FALSE yes no on off y n Y N 2024-03-01
    2024-03-01T10:00:00Z 12:30 12:30:45 1:20 0. - + . e3 1e 0e0 é 日本語 -a a- ?a :a %a";

/// Whole documents: quoting, block scalars, collections, keys, comments, line ends.
const DOCUMENTS: &[&str] = &[
    "",
    "# only a comment\n",
    "# one\n# two\n",
    "\n\n",
    "---\n",
    "---",
    "--- \n...\n",
    "title: A\n",
    "title: A",
    "title:\n",
    "title:",
    "title: ~\nsummary: null\nother: Null\nlast: NULL\n",
    "a: 'single ''quoted'' 1'\nb: \"double \\\"quoted\\\" \\t \\u00e9 \\x41 \\n\"\n",
    "a: '1'\nb: \"2\"\nc: 'true'\nd: \"~\"\ne: ''\nf: \"\"\n",
    "a: |\n  line one\n  line two\nb: next\n",
    "a: >\n  folded\n  text\n\n  para\nb: next\n",
    "a: |-\n  strip\n\n\nb: next\n",
    "a: >+\n  keep\n\n\nb: next\n",
    "a: |+\n  keep at end\n\n",
    "a: |2\n    indented\n  two\n",
    "a: >-\n  1\n",
    "a: plain\n  on two\n  lines\nb: next\n",
    "a: plain\n\n  with a gap\n",
    "a: 'quoted\n  over lines'\nb: \"double\n  over\\\n  lines\"\n",
    "list: [a, b, 'c', \"d\", 1, 2.5, true, ~]\n",
    "map: {a: 1, b: [x, y], c: {d: e}}\n",
    "empty_list: []\nempty_map: {}\n",
    "items:\n  - name: a\n    tags: [x, y]\n  - name: b\n    tags:\n      - z\n",
    "items:\n- a\n- b\n",
    "- a\n- b\n",
    "- - nested\n  - list\n- {a: b}\n",
    "just a string\n",
    "42\n",
    "1: one\n2: two\n",
    "true: yes\nfalse: no\n",
    "~: null key\n",
    "null: null key\n",
    "0x1A: hex key\n",
    "True: capital\n",
    "-0: negative zero key\n",
    "'quoted key': 1\n\"other key\": 2\n",
    "héllo: wörld\n日本: 語\nemoji: 😀\n",
    "title: A # a comment\n# between\nb: c#not a comment\n",
    "title: A\r\nsites:\r\n  - leeds\r\n  - york\r\n",
    "a: |\r\n  crlf block\r\n  two\r\nb: c\r\n",
    "title: A   \nb: c  \n",
    "a:    \n  b: 1\n",
    "a: b: c\n",
    "a: [1, 2\n",
    "a: {b: 1\n",
    "title: a\ntitle: b\n",
    "a: {b: 1, b: 2}\n",
    "1: a\n0x1: b\n",
    "'1': a\n1: b\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: !custom 1\n",
    "? a\n: b\n",
    "? [a]\n: b\n",
    "[a, b]: c\n",
    "{a: b}: c\n",
    "a.b: 1\na:\n  b: 2\n",
    "'': empty key\n",
    "a[0]: x\n",
    "---\na: 1\n---\nb: 2\n",
    "a: 1\n...\n",
    "%YAML 1.1\n---\na: 1\n",
    "a:\tb\n",
    "\u{feff}a: b\n",
    "a: b\u{85}c\n",
    "a: b\rc\n",
    "a: \"\\ud800\"\n",
    "a: \"\\/\\N\\_\\L\\P\\e\\0\\a\\v\\f\\ \"\n",
    "a: 18446744073709551616\n",
    "a: -9223372036854775809\n",
    "a: 340282366920938463463374607431768211456\n",
    "[a, {b: c}, [d]]\n",
    "{a: [1, {b: 2}]}\n",
    "a: [b: c, d]\n",
    "a: {b, c: d}\n",
    "a: -b\nc: :d\ne: ?f\n",
    "a: @b\n",
    "a: `b\n",
    "a: 'unclosed\n",
    "  a: 1\n  b: 2\n",
    "a:\n  - 1\n  -\n  - 3\n",
    "a: [ ]\nb: { }\n",
    "a: b\n   # indented comment\nc: d\n",
    "<<: {a: 1}\nb: 2\n",
    "a: 'it''s'\nb: \"\\U0001F600 \\x80\"\n",
    "a: \u{a0}b\u{a0}\n",
    "a: [1,000, 2]\nb: {c: 1,d: 2}\n",
    "a: |\n\n  leading blank\n\n",
    "a: >\n  one\n    more indented\n  two\n",
];

#[test]
fn tricky_yaml_reads_the_same_both_ways() {
    let mut fast = 0;
    let mut total = 0;
    let long_key = "k".repeat(1030);
    let near_limit = format!("{}      : v\n", "k".repeat(1020));
    let deep_flow = format!("{}{}", "[".repeat(130), "]".repeat(130));
    let deep_block: String = (0..110).fold(String::new(), |mut s, i| {
        let _ = writeln!(s, "{}k{i}:", " ".repeat(i));
        s
    });
    let many_keys: String = (0..20).fold(String::new(), |mut s, i| {
        let _ = writeln!(s, "k{}: {i}", i % 19);
        s
    });
    let generated = [
        format!("{long_key}: v\n"),
        near_limit,
        format!("a: {long_key}\n"),
        deep_flow,
        deep_block,
        many_keys.clone(),
        many_keys.replace("k0: 19", "k19: 19"),
    ];
    let shapes = |s: &str| {
        [
            format!("{s}\n"),
            format!("a: {s}\n"),
            format!("- {s}\n"),
            format!("a: [{s}]\n"),
            format!("a: {{b: {s}}}\n"),
            format!("{s}: a\n"),
            format!("a: '{s}'\n"),
            format!("a: \"{s}\"\n"),
        ]
    };
    let yamls = SCALARS
        .split_whitespace()
        .flat_map(shapes)
        .chain(DOCUMENTS.iter().map(|d| d.to_string()))
        .chain(generated);
    for yaml in yamls {
        fast += usize::from(assert_agrees_with_serde(&yaml));
        total += 1;
    }
    // Most of them are YAML that the fast path should read by itself.
    assert!(fast * 4 > total * 3, "the fast path read {fast} of {total}");
}

#[test]
fn the_fast_path_leaves_what_it_cannot_be_sure_of_to_serde_yaml() {
    for yaml in [
        "title: a\ntitle: b\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "? [a]\n: b\n",
        "---\na: 1\n---\nb: 2\n",
        "a: [1, 2\n",
        "a: 18446744073709551616\n",
        "0x1A: hex key\n",
        "a.b: 1\n",
        "a:\tb\n",
        "a: |\n  no line break at the end",
        "{a\n: b}\n",
        "[a:]\n",
    ] {
        assert!(parse(yaml, 1).is_none(), "{yaml:?}");
    }
    for yaml in ["", "# c\n", "title: A\nlist: [1, 2]\n", "a: |\n  b\n"] {
        assert!(parse(yaml, 1).is_some(), "{yaml:?}");
    }
}

/// Random documents in every style (see [`document`]); `LANTERN_YAML_TRIALS=N` tries N of
/// them instead of a few thousand, to search longer after a change to the fast path.
#[test]
fn random_documents_read_the_same_both_ways() {
    let trials = std::env::var("LANTERN_YAML_TRIALS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3000);
    let mut rng = Rng(0x5eed_f00d);
    let fast = (0..trials)
        .filter(|_| assert_agrees_with_serde(&document(&mut rng)))
        .count();
    assert!(fast * 5 > trials, "the fast path read {fast} of {trials}");
}

/// The front matter of every document in `content/` and `tests/` (fixtures and fuzzing
/// seeds), and every YAML file there.
#[test]
fn every_front_matter_in_the_repository_reads_the_same_both_ways() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (mut fast, mut total) = (0, 0);
    for folder in [
        "content",
        "tests/fixtures",
        "tests/fuzz/corpus",
        "tests/fuzz/regressions",
    ] {
        for entry in walkdir::WalkDir::new(root.join(folder))
            .into_iter()
            .flatten()
        {
            let path = entry.path();
            let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
                continue;
            };
            let Ok(text) = fs::read_to_string(path) else {
                continue;
            };
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let yaml = match ext {
                "md" => split(text).map(|s| s.yaml).ok(),
                "yaml" => Some(text),
                _ => None,
            };
            if let Some(yaml) = yaml {
                fast += usize::from(assert_agrees_with_serde(yaml));
                total += 1;
            }
        }
    }
    assert!(
        total > 100 && fast * 3 > total * 2,
        "the fast path read {fast} of {total}"
    );
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    /// One of the items of `list`, which are separated by `|`.
    fn pick<'a>(&mut self, list: &'a str) -> &'a str {
        let count = list.split('|').count();
        list.split('|').nth(self.below(count)).unwrap_or_default()
    }
}

/// Plain words for values, some of them numbers, some on the edge of what a plain scalar
/// may hold.
const WORDS: &str = "a|word|two words|x:y|a #b|a#b|http://x.org/a?b=c|1|0x1A|0o17|017|+1|-0|1_000|\
    1e3|1.5e-3|.5|5.|.inf|-.Inf|.NaN|9223372036854775808|~|null|Null|true|False|yes|no|on|\
    2024-03-01|12:30|é|日本|😀|a  b|-a|a-|a,b|a]b|a}b|a'b|a\"b|a\\b|trailing |%x|a: ||  |a!|\
    a&b|a*b|a>b|(a)|=|<<";

const KEYS: &str = "title|a|b|key with spaces|1|2|true|null|~|'q'|\"d\"|'a b'|\"\\u00e9\"|é|-k|k-|\
    x_y|0|-1|yes|1e3|'1'";

/// A random document: a block mapping or list of every kind of value.
fn document(r: &mut Rng) -> String {
    let yaml = if r.below(5) == 0 {
        block_seq(r, 0, "")
    } else {
        block_map(r, 0, "")
    };
    if r.below(8) == 0 {
        yaml.replace('\n', "\r\n")
    } else {
        yaml
    }
}

fn block_map(r: &mut Rng, depth: usize, ind: &str) -> String {
    let mut s = String::new();
    for _ in 0..1 + r.below(4) {
        let key = r.pick(KEYS);
        let value = value(r, depth, ind);
        entry(r, &mut s, &format!("{ind}{key}:"), &value);
    }
    s
}

fn block_seq(r: &mut Rng, depth: usize, ind: &str) -> String {
    let mut s = String::new();
    for _ in 0..1 + r.below(4) {
        let value = if r.below(4) == 0 && depth < 4 {
            // A mapping that starts on the dash's line.
            block_map(r, depth + 1, &format!("{ind}  "))[ind.len() + 2..].to_string()
        } else {
            value(r, depth, ind)
        };
        entry(r, &mut s, &format!("{ind}-"), &value);
    }
    s
}

/// Writes `- value` or `key: value` and ends its line, sometimes with a comment.
fn entry(r: &mut Rng, s: &mut String, lead: &str, value: &str) {
    s.push_str(lead);
    if !value.starts_with('\n') && !value.is_empty() {
        s.push(' ');
    }
    s.push_str(value);
    if !value.ends_with('\n') {
        s.push_str(r.pick("\n|\n|\n| # c\n|  \n|\n# c\n|\n\n"));
    }
}

/// A value after `key:` or `- ` at indentation `ind` (of the key or dash).
fn value(r: &mut Rng, depth: usize, ind: &str) -> String {
    let nested = format!("{ind}{}", r.pick("  |  | "));
    match r.below(if depth < 4 { 9 } else { 6 }) {
        0 | 1 => r.pick(WORDS).to_string(),
        2 => plain_lines(r, ind),
        3 => quoted(r, ind),
        4 => block_scalar(r, ind),
        5 => flow(r, 0),
        6 => format!("\n{}", block_map(r, depth + 1, &format!("{ind}  "))),
        _ => format!("\n{}", block_seq(r, depth + 1, &nested)),
    }
}

/// A plain scalar over several lines, with blank lines between some.
fn plain_lines(r: &mut Rng, ind: &str) -> String {
    let mut s = r.pick("a|b c|1|x").to_string();
    for _ in 0..1 + r.below(3) {
        s.push_str(r.pick("\n|\n\n|\n \n|\n\n\n"));
        s.push_str(ind);
        s.push_str(r.pick("  |   |  \u{a0}"));
        s.push_str(r.pick("more|b c|1|- x|# not|x #c|y  "));
    }
    s
}

/// A single- or double-quoted scalar with escapes, and line breaks that fold.
fn quoted(r: &mut Rng, ind: &str) -> String {
    let (quote, parts) = if r.below(2) == 0 {
        ("'", "a| b |''|\\|\"|#|: |\n|\n\n|  \n|\n  |1")
    } else {
        (
            "\"",
            "a| b |\\\"|\\\\|\\n|\\t|\\u00e9|\\x41|\\U0001F600|\\/|\\N|\\_|\\L|\\P|\\e|\\0|\\ |'|#|\
             : |\\\n|\n|\n\n|  \n|\n  |\\\n  |1|😀",
        )
    };
    let mut s = quote.to_string();
    for _ in 0..1 + r.below(4) {
        s.push_str(&r.pick(parts).replace('\n', &format!("\n{ind}  ")));
    }
    s.push_str(quote);
    s
}

/// A literal or folded scalar, with chomping and indentation indicators, more-indented and
/// blank lines, and trailing blank lines.
fn block_scalar(r: &mut Rng, ind: &str) -> String {
    let explicit = r.below(4) == 0;
    let mut s = format!(
        "{}{}{}{}\n",
        if r.below(2) == 0 { "|" } else { ">" },
        r.pick("|-|+"),
        if explicit { "2" } else { "" },
        r.pick("| # c| ")
    );
    let base = format!("{ind}  ");
    for i in 0..1 + r.below(5) {
        let line = r.pick("text|more text||   | indented|  more|# x|- a|a: b");
        if line.trim().is_empty() {
            s.push_str(if r.below(2) == 0 { "" } else { &base });
        } else if i == 0 && !explicit {
            // Without an indicator, the first line sets the indentation.
            s.push_str(&base);
            s.push_str(line.trim_start());
        } else {
            s.push_str(&base);
            s.push_str(line);
        }
        s.push('\n');
    }
    for _ in 0..r.below(3) {
        s.push_str(&r.pick("\n|  \n|+\n").replace('+', &base));
    }
    s
}

/// A flow list or mapping, nested, sometimes over lines.
fn flow(r: &mut Rng, depth: usize) -> String {
    let map = r.below(2) == 0;
    let mut s = if map { "{" } else { "[" }.to_string();
    for i in 0..r.below(4) {
        if i > 0 {
            s.push_str(r.pick(", |,| , |,\n  "));
        }
        let item = match r.below(8) {
            0 | 1 if depth < 3 => flow(r, depth + 1),
            2 => quoted(r, "").replace('\n', " "),
            _ => r
                .pick(WORDS)
                .replace([',', '[', ']', '{', '}', '#', ':'], ""),
        };
        if map || r.below(6) == 0 {
            s.push_str(r.pick(KEYS));
            let colon = r.pick(": |:  |:|");
            s.push_str(if item.is_empty() && !colon.is_empty() {
                ":"
            } else {
                colon
            });
        }
        s.push_str(&item);
    }
    s.push_str(r.pick("| |,|\n"));
    s.push_str(if map { "}" } else { "]" });
    s
}
