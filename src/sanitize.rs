//! Raw HTML in documents: finds what is unsafe (for diagnostics) and removes it (for output).
//!
//! In: HTML fragments written by contributors. Out: findings with their byte offset in the
//! fragment, and HTML cleaned by ammonia's allow-list, so scripts, event-handler attributes,
//! `javascript:` URLs and frames never reach a page even if a finding were ignored.

use std::sync::OnceLock;

use crate::diagnostic::Severity;
use crate::markdown::Problem;

const BLOCKED_TAGS: &[&str] = &[
    "script", "iframe", "frame", "frameset", "object", "embed", "base", "form", "meta", "link",
    "style",
];
const BLOCKED_SCHEMES: &[&str] = &["javascript:", "vbscript:", "data:text/html"];

/// Unsafe constructs in an HTML fragment, with byte offsets into it.
pub fn scan(html: &str) -> Vec<(usize, Problem)> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    let bytes = lower.as_bytes();
    let mut i = 0;
    while let Some(lt) = lower[i..].find('<').map(|p| p + i) {
        let end = lower[lt..].find('>').map_or(lower.len(), |p| lt + p);
        let tag = &lower[lt + 1..end];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if !tag.starts_with('/') && BLOCKED_TAGS.contains(&name.as_str()) {
            found.push((
                lt,
                problem(
                    format!("`<{name}>` is not allowed in documents"),
                    "remove it; embed media with Markdown images and links instead",
                ),
            ));
        }
        for (at, attr) in attributes(tag) {
            if attr.starts_with("on")
                && attr.len() > 2
                && attr[2..].bytes().all(|b| b.is_ascii_alphabetic())
            {
                found.push((
                    lt + 1 + at,
                    problem(
                        format!("event handler attribute `{attr}` is not allowed"),
                        "remove the attribute: documents cannot run scripts",
                    ),
                ));
            }
        }
        for scheme in BLOCKED_SCHEMES {
            let mut from = 0;
            while let Some(p) = tag[from..].find(scheme) {
                found.push((
                    lt + 1 + from + p,
                    problem(
                        format!("`{scheme}` URLs are not allowed"),
                        "link to a web page (https://...) or another document instead",
                    ),
                ));
                from += p + scheme.len();
            }
        }
        i = end.min(bytes.len().saturating_sub(1)) + 1;
        if i >= lower.len() {
            break;
        }
    }
    found
}

/// Attribute names in a tag's inside (`img src=x onerror=y`), with their offsets.
fn attributes(tag: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let bytes = tag.as_bytes();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if (b.is_ascii_whitespace() || b == b'/') && i + 1 < bytes.len() => {
                let start = i + 1;
                let len = tag[start..]
                    .bytes()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_')
                    .count();
                if len > 0 {
                    out.push((start, &tag[start..start + len]));
                    i = start + len;
                    continue;
                }
            }
            None => {}
        }
        i += 1;
    }
    out
}

fn problem(message: String, hint: &str) -> Problem {
    Problem {
        severity: Severity::Error,
        rule: "unsafe-html",
        message,
        hint: hint.to_string(),
        unlink: true,
    }
}

/// Removes everything not on the allow-list from rendered HTML.
pub fn clean(html: &str) -> String {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER
        .get_or_init(|| {
            let mut b = ammonia::Builder::default();
            b.add_generic_attributes(["id", "class", "lang", "dir"])
                .add_tags(["input", "figure", "figcaption", "details", "summary"])
                .add_tag_attributes("input", ["type", "checked", "disabled"])
                .add_tag_attributes("td", ["style"])
                .add_tag_attributes("th", ["style"])
                .link_rel(None);
            b
        })
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_scripts_handlers_and_javascript_urls() {
        let found =
            scan("<p>ok</p><a href=\"JavaScript:x()\" onClick=\"y\">z</a><script>1</script>");
        let messages: Vec<_> = found.iter().map(|(_, p)| p.message.as_str()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("onclick")));
        assert!(messages.iter().any(|m| m.contains("javascript:")));
        assert!(messages.iter().any(|m| m.contains("<script>")));
        assert!(scan("<p title=\"online\">x</p>").is_empty());
    }

    #[test]
    fn cleaning_keeps_ids_and_drops_scripts() {
        let out = clean("<h2 id=\"a\">A</h2><script>x</script><img src=\"a.png\" onerror=\"x\">");
        assert_eq!(out, "<h2 id=\"a\">A</h2><img src=\"a.png\">");
    }
}
