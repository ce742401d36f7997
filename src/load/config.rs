//! `content/library.yaml`: the library's settings and controlled vocabularies.
//!
//! In: the file's text. Out: a [`Config`] and diagnostics for anything unknown, missing or
//! malformed, located in the file.

use std::collections::BTreeMap;

use crate::frontmatter;
use crate::frontmatter::{Node, Value};
use crate::load::schema::{Fields, Report};
use crate::model::diagnostic::{Diagnostic, Pos};
use crate::model::{Config, Limits, Vocab, slug};

pub const PATH: &str = "content/library.yaml";

/// Parses `library.yaml`. Problems are pushed to `diagnostics`; the returned config holds
/// whatever could be read.
pub fn parse(text: &str, diagnostics: &mut Vec<Diagnostic>) -> Config {
    let mut report = Report {
        path: PATH,
        diagnostics,
    };
    let root = match frontmatter::parse(text, 1) {
        Ok(node) => node,
        Err(err) => {
            report.error(
                err.pos,
                "yaml-syntax",
                format!("invalid YAML: {}", err.message),
                err.hint.unwrap_or_else(|| {
                    "check the indentation and quoting on this line and the one above".to_string()
                }),
            );
            return Config::default();
        }
    };
    let mut config = Config {
        review_interval_months: 24,
        disclosure_min_count: 8,
        language: "en-GB".to_string(),
        ..Config::default()
    };
    let Some(mut f) = Fields::of(&root, "", &mut report) else {
        return config;
    };
    f.pos = Pos::start();
    config.title = f
        .string("title", true, Some(120), &mut report)
        .unwrap_or_default();
    config.description = f
        .string("description", true, Some(300), &mut report)
        .unwrap_or_default();
    if let Some(url) = f.string("base_url", true, None, &mut report) {
        match base_url(&url) {
            Ok(url) => config.base_url = url,
            Err(hint) => {
                let mut pos = f.pos_of("base_url");
                pos.len = url.chars().count();
                report.error(
                    pos,
                    "invalid-value",
                    "`base_url` must be an absolute http:// or https:// address".to_string(),
                    hint,
                );
            }
        }
    }
    if let Some(language) = f.string("language", false, None, &mut report) {
        config.language = language;
    }
    if let Some(months) = f.int_in("review_interval_months", false, 1..=120, &mut report) {
        config.review_interval_months = u32::try_from(months).unwrap_or(24);
    }
    if let Some(node) = f.get("disclosure") {
        if let Some(mut d) = Fields::of(node, "disclosure", &mut report) {
            if let Some(n) = d.int_in("min_count", false, 1..=1000, &mut report) {
                config.disclosure_min_count = u32::try_from(n).unwrap_or(8);
            }
            d.finish(&mut report);
        }
    }
    match f.get("vocabularies") {
        Some(node) => {
            if let Some(mut v) = Fields::of(node, "vocabularies", &mut report) {
                config.priority_areas = vocab(&mut v, "priority_areas", &mut report);
                config.outcomes = vocab(&mut v, "outcomes", &mut report);
                config.ethnic_groups = vocab(&mut v, "ethnic_groups", &mut report);
                config.regions = vocab(&mut v, "regions", &mut report);
                v.finish(&mut report);
            }
        }
        None => report.error(
            Pos::start(),
            "missing-field",
            "missing required field `vocabularies`".to_string(),
            "add `vocabularies:` with priority_areas, outcomes, ethnic_groups and regions"
                .to_string(),
        ),
    }
    let mut avoid = Vec::new();
    if let Some(node) = f.get("style") {
        if let Some(mut s) = Fields::of(node, "style", &mut report) {
            if let Some(node) = s.get("avoid") {
                avoid = avoid_list(node, &mut report);
            }
            s.finish(&mut report);
        }
    }
    config.avoid = crate::scan::language::merged(&avoid);
    if let Some(node) = f.get("search") {
        if let Some(mut s) = Fields::of(node, "search", &mut report) {
            if let Some(node) = s.get("synonyms") {
                config.synonyms = synonyms(node, &mut report);
            }
            s.finish(&mut report);
        }
    }
    if let Some(node) = f.get("limits") {
        config.limits = limits(node, &mut report);
    }
    f.finish(&mut report);
    config
}

/// `base_url` checked, ending in `/` (added when missing, so that page paths follow it): an
/// absolute http or https address with a host, written as a browser would write it back.
/// It goes into feeds, the sitemap and the JSON export as it is, so anything else (another
/// scheme, a relative or scheme-less address, spaces or quotes) is refused with how to fix
/// it, the `Err`.
fn base_url(written: &str) -> Result<String, String> {
    const EXAMPLE: &str =
        "write the address the site is published at, like `https://example.org/library/`";
    if let Some(c) = written
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'<>\\^`{|}".contains(*c))
    {
        let what = match c {
            '"' | '\'' => "quotes".to_string(),
            c if c.is_whitespace() => "spaces".to_string(),
            c => format!("`{}`", c.escape_default()),
        };
        return Err(format!(
            "write it without {what}: percent-encode them if the address has them (a space is `%20`)"
        ));
    }
    let mut url = written.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    let parsed = match url::Url::parse(&url) {
        Ok(parsed) => parsed,
        Err(_) => return Err(EXAMPLE.to_string()),
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!(
            "`{}:` is not a web address: {EXAMPLE}",
            parsed.scheme()
        ));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(EXAMPLE.to_string());
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!("leave out the user name: {EXAMPLE}"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(format!(
            "leave out the `?` and `#` parts, as each page's path is added to it: {EXAMPLE}"
        ));
    }
    if parsed.as_str() != url {
        return Err(format!("did you mean `{}`?", parsed.as_str()));
    }
    Ok(url)
}

/// `limits`: each a whole number, from 1 up to a bound that no machine building a site
/// would want to pass.
fn limits(node: &Node, report: &mut Report<'_>) -> Limits {
    let mut limits = Limits::default();
    let Some(mut l) = Fields::of(node, "limits", report) else {
        return limits;
    };
    const GB: i64 = 1_000_000_000;
    if let Some(n) = l.int_in("document_bytes", false, 1..=GB, report) {
        limits.document_bytes = n.unsigned_abs();
    }
    if let Some(n) = l.int_in("data_bytes", false, 1..=GB, report) {
        limits.data_bytes = n.unsigned_abs();
    }
    if let Some(n) = l.int_in("data_rows", false, 1..=100_000_000, report) {
        limits.data_rows = usize::try_from(n).unwrap_or(limits.data_rows);
    }
    if let Some(n) = l.int_in("media_bytes", false, 1..=GB, report) {
        limits.media_bytes = n.unsigned_abs();
    }
    l.finish(report);
    limits
}

fn vocab(fields: &mut Fields<'_>, key: &'static str, report: &mut Report<'_>) -> Vocab {
    let name = fields.name(key);
    let Some(node) = fields.get(key) else {
        report.error(
            fields.pos,
            "missing-field",
            format!("missing required vocabulary `{name}`"),
            format!("add `{key}:` with `id: Label` lines"),
        );
        return Vocab::default();
    };
    let Value::Map(entries) = &node.value else {
        report.error(
            node.pos,
            "wrong-type",
            format!("`{name}` must be a mapping of `id: Label` lines"),
            "write one `id: Label` per line".to_string(),
        );
        return Vocab::default();
    };
    let mut out = Vec::new();
    for e in entries {
        if let Err(suggested) = slug::check(&e.key) {
            let mut pos = e.key_pos;
            pos.len = e.key.chars().count();
            report.error(
                pos,
                "invalid-id",
                format!("vocabulary id `{}` is not a valid id", e.key),
                format!("ids use lower-case letters, digits and hyphens: `{suggested}`"),
            );
            continue;
        }
        match &e.value.value {
            Value::Str(label) => out.push((e.key.clone(), label.clone())),
            other => report.error(
                e.value.pos,
                "wrong-type",
                format!(
                    "the label of `{name}.{}` must be text, found {}",
                    e.key,
                    other.kind()
                ),
                format!("write it like `{}: A readable label`", e.key),
            ),
        }
    }
    if out.is_empty() {
        report.error(
            node.pos,
            "invalid-value",
            format!("vocabulary `{name}` has no valid entries"),
            format!("add at least one `id: Label` line under `{key}:`"),
        );
    }
    Vocab(out)
}

fn synonyms(node: &Node, report: &mut Report<'_>) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let Value::Map(entries) = &node.value else {
        report.error(
            node.pos,
            "wrong-type",
            "`search.synonyms` must be a mapping of `term: [expansions]`".to_string(),
            "write it like `pph: [postpartum haemorrhage]`".to_string(),
        );
        return out;
    };
    for e in entries {
        let words: Vec<String> = match &e.value.value {
            Value::Str(s) => vec![s.clone()],
            Value::Seq(items) => items
                .iter()
                .filter_map(|i| match &i.value {
                    Value::Str(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        if words.is_empty() {
            report.error(
                e.value.pos,
                "wrong-type",
                format!("synonyms of `{}` must be a list of words or phrases", e.key),
                format!("write it like `{}: [a phrase, another]`", e.key),
            );
            continue;
        }
        out.insert(e.key.to_lowercase(), words);
    }
    out
}

/// `style.avoid`: `term: suggestion` lines.
fn avoid_list(node: &Node, report: &mut Report<'_>) -> Vec<(String, String)> {
    let Value::Map(entries) = &node.value else {
        report.error(
            node.pos,
            "wrong-type",
            "`style.avoid` must be a mapping of `term: suggestion`".to_string(),
            "write it like `BAME: name the ethnic groups you mean`".to_string(),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries {
        match &e.value.value {
            Value::Str(s) if !s.trim().is_empty() => out.push((e.key.clone(), s.clone())),
            _ => report.error(
                e.value.pos,
                "wrong-type",
                format!("the suggestion for `{}` must be text", e.key),
                format!("write it like `{}: what to write instead`", e.key),
            ),
        }
    }
    out
}

/// The node a caller can report against when the whole file is missing.
pub fn missing_file() -> Diagnostic {
    Diagnostic::error(
        PATH,
        Pos::start(),
        "missing-config",
        "content/library.yaml is missing",
    )
    .hint("create it with the library's title, description, base_url and vocabularies")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_vocabularies_and_reports_unknown_keys() {
        let text = "title: T\ndescription: D\nbase_url: https://x.org/lib\ncolour: red\nvocabularies:\n  priority_areas: {preterm-birth: Preterm birth}\n  outcomes: {smm: SMM}\n  ethnic_groups: {other: Other}\n  regions: {london: London}\n";
        let mut diags = Vec::new();
        let config = parse(text, &mut diags);
        assert_eq!(config.base_url, "https://x.org/lib/");
        assert_eq!(
            config.priority_areas.label("preterm-birth"),
            Some("Preterm birth")
        );
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].rule, "unknown-field");
        assert_eq!(diags[0].line, 4);
        assert_eq!(config.limits, Limits::default());
    }

    #[test]
    fn base_url_is_an_absolute_web_address() {
        assert_eq!(
            base_url("https://example.org/library"),
            Ok("https://example.org/library/".to_string())
        );
        assert_eq!(
            base_url("http://localhost:8000/"),
            Ok("http://localhost:8000/".to_string())
        );
        for bad in [
            "javascript:alert(1)",
            "//evil.example/",
            "ftp://example.org/",
            "/library/",
            "library",
            "https://example.org/a library/",
            "https://example.org/\"><script>",
            "https://example.org/it's/",
            "https://user@example.org/",
            "https://example.org/?q=1",
            "https://example.org/#top",
            "https:///library/",
            "https://EXAMPLE.org/",
            "https://bücher.example/",
            "https://example.org/\n",
        ] {
            let hint = base_url(bad).expect_err(bad);
            assert!(!hint.is_empty(), "{bad}");
        }
    }

    #[test]
    fn limits_are_read_strictly() {
        let base = "title: T\ndescription: D\nbase_url: https://x.org/\nvocabularies:\n  priority_areas: {a: A}\n  outcomes: {b: B}\n  ethnic_groups: {c: C}\n  regions: {d: D}\n";
        let mut diags = Vec::new();
        let text = format!(
            "{base}limits: {{document_bytes: 10, data_bytes: 20, data_rows: 30, media_bytes: 40}}\n"
        );
        let config = parse(&text, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        let expected = Limits {
            document_bytes: 10,
            data_bytes: 20,
            data_rows: 30,
            media_bytes: 40,
        };
        assert_eq!(config.limits, expected);
        let text = format!("{base}limits: {{document_byte: 10, data_rows: 0}}\n");
        let config = parse(&text, &mut diags);
        let found: Vec<(&str, &str)> = diags.iter().map(|d| (d.rule, d.hint.as_str())).collect();
        assert_eq!(
            found,
            [
                ("invalid-value", "use a whole number from 1 up"),
                ("unknown-field", "did you mean `document_bytes`?")
            ]
        );
        assert_eq!(config.limits, Limits::default());
    }
}
