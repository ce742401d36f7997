//! Raw HTML in documents: finds what is unsafe (for diagnostics) and removes it (for output).
//!
//! In: HTML fragments written by contributors. Out: findings with their byte offset in the
//! fragment, the links they contain, and HTML cleaned by ammonia's allow-list, so scripts,
//! event-handler attributes, `javascript:` URLs and frames never reach a page even where a
//! finding were missed.

use std::borrow::Cow;

use crate::diagnostic::Severity;
use crate::markdown::{Links, Problem, THEME_IDS};

const BLOCKED_TAGS: &[&str] = &[
    "script", "iframe", "frame", "frameset", "object", "embed", "base", "form", "meta", "link",
    "style", "svg", "math",
];
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "cite",
    "background",
    "xlink:href",
];
/// Classes the renderer itself produces; contributors' own classes are dropped so that they
/// cannot dress text up as the site's banners.
const CLASS_PREFIXES: &[&str] = &["hl-", "language-", "footnote-"];

/// What a scan of an HTML fragment found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Unsafe constructs, with byte offsets into the fragment.
    pub problems: Vec<(usize, Problem)>,
    /// `href` and `src` values, with byte offsets and whether they load an image, for
    /// checking like Markdown links.
    pub links: Vec<(usize, String, bool)>,
}

/// Finds unsafe tags, attributes and URLs, and the links, in an HTML fragment.
pub fn scan(html: &str) -> Scan {
    let mut found = Scan::default();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|p| p + i) {
        let tag = Tag::parse(html, lt);
        if !tag.closing && BLOCKED_TAGS.contains(&tag.name.as_str()) {
            found.problems.push((
                lt,
                problem(
                    format!("`<{}>` is not allowed in documents", tag.name),
                    "remove it; embed media with Markdown images and links instead",
                ),
            ));
        }
        for attr in &tag.attributes {
            if attr.name.len() > 2
                && attr.name.starts_with("on")
                && attr.name.bytes().all(|b| b.is_ascii_alphabetic())
            {
                found.problems.push((
                    attr.at,
                    problem(
                        format!("event handler attribute `{}` is not allowed", attr.name),
                        "remove the attribute: documents cannot run scripts",
                    ),
                ));
            }
            if !URL_ATTRIBUTES.contains(&attr.name.as_str()) {
                continue;
            }
            let url = decode_entities(&attr.value);
            match crate::url::classify(&url) {
                crate::url::Dest::Unsafe(scheme) => found.problems.push((
                    attr.value_at,
                    problem(
                        format!("`{scheme}:` URLs are not allowed"),
                        "link to a web page (https://...) or another document instead",
                    ),
                )),
                _ if attr.name == "href" || attr.name == "src" => {
                    found.links.push((attr.value_at, url, attr.name == "src"))
                }
                _ => {}
            }
        }
        i = tag.end.max(lt + 1);
    }
    found
}

struct Attribute {
    name: String,
    at: usize,
    value: String,
    value_at: usize,
}

/// One tag of a fragment, read the way a browser tokenizer would, closely enough to find
/// names, attributes and values.
struct Tag {
    name: String,
    closing: bool,
    attributes: Vec<Attribute>,
    /// Byte offset just past the tag.
    end: usize,
}

impl Tag {
    fn parse(html: &str, lt: usize) -> Tag {
        let bytes = html.as_bytes();
        let mut i = lt + 1;
        let closing = bytes.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let name_len = html[i..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = html[i..i + name_len].to_ascii_lowercase();
        i += name_len;
        let mut attributes = Vec::new();
        while i < bytes.len() && bytes[i] != b'>' {
            if bytes[i].is_ascii_whitespace() || bytes[i] == b'/' {
                i += 1;
                continue;
            }
            let at = i;
            let len = html[i..]
                .bytes()
                .take_while(|b| !b.is_ascii_whitespace() && !b"/>=".contains(b))
                .count()
                .max(1);
            let attr_name = html.get(i..i + len).unwrap_or("").to_ascii_lowercase();
            i += len;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let (mut value, mut value_at) = (String::new(), i);
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                let quote = bytes.get(i).copied().filter(|q| *q == b'"' || *q == b'\'');
                if quote.is_some() {
                    i += 1;
                }
                value_at = i;
                let end = match quote {
                    Some(q) => html[i..]
                        .bytes()
                        .position(|b| b == q)
                        .map_or(bytes.len(), |p| i + p),
                    None => html[i..]
                        .bytes()
                        .position(|b| b.is_ascii_whitespace() || b == b'>')
                        .map_or(bytes.len(), |p| i + p),
                };
                value = html[i..end].to_string();
                i = if quote.is_some() {
                    (end + 1).min(bytes.len())
                } else {
                    end
                };
            }
            attributes.push(Attribute {
                name: attr_name,
                at,
                value,
                value_at,
            });
        }
        Tag {
            name,
            closing,
            attributes,
            end: (i + 1).min(bytes.len()),
        }
    }
}

/// Decodes character references and drops the tabs and newlines browsers ignore in URLs, so
/// that `jav&#x61;script:` and `java&Tab;script:` are seen for what they are.
fn decode_entities(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|e| *e <= 12);
        let decoded = end.and_then(|e| {
            let entity = &rest[1..e];
            let code = match entity.strip_prefix('#') {
                Some(n) => match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => n.parse().ok(),
                },
                None => match entity.to_ascii_lowercase().as_str() {
                    "colon" => Some(58),
                    "tab" => Some(9),
                    "newline" => Some(10),
                    "amp" => Some(38),
                    _ => None,
                },
            };
            code.and_then(char::from_u32).map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.retain(|c| !matches!(c, '\t' | '\n' | '\r') && !c.is_control());
    out.trim().to_string()
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

/// Keeps only what the site allows of an attribute's value.
fn filter_attribute<'a>(element: &str, attribute: &str, value: &'a str) -> Option<Cow<'a, str>> {
    match attribute {
        "style" => {
            let v = value.trim().trim_end_matches(';').replace(' ', "");
            ["text-align:left", "text-align:center", "text-align:right"]
                .contains(&v.as_str())
                .then_some(Cow::Borrowed(value))
        }
        "class" => {
            let kept: Vec<&str> = value
                .split_whitespace()
                .filter(|c| {
                    CLASS_PREFIXES.iter().any(|p| c.starts_with(p))
                        || (element == "pre" && *c == "code")
                })
                .collect();
            (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
        }
        "id" if THEME_IDS.contains(&value) => None,
        _ => Some(Cow::Borrowed(value)),
    }
}

/// Removes everything not on the allow-list from rendered HTML, and rewrites the relative
/// links of raw HTML the way Markdown links are rewritten.
pub fn clean(html: &str, links: &dyn Links) -> String {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class", "lang", "dir"])
        .add_tags(["input", "figure", "figcaption", "details", "summary"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("pre", ["data-lang"])
        .link_rel(None)
        .attribute_filter(filter_attribute)
        .url_relative(ammonia::UrlRelative::Custom(Box::new(Rewrite(links))));
    b.clean(html).to_string()
}

/// Rewrites a relative URL in raw HTML as the resolver would; anything it cannot resolve is
/// kept as written (the scan has reported it already).
struct Rewrite<'a>(&'a dyn Links);

impl<'a> ammonia::UrlRelativeEvaluate<'a> for Rewrite<'a> {
    fn evaluate<'url>(&self, url: &'url str) -> Option<Cow<'url, str>> {
        match self.0.resolve(url, false) {
            Ok(Some(new)) => Some(Cow::Owned(new)),
            _ => Some(Cow::Borrowed(url)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(html: &str) -> Vec<String> {
        scan(html)
            .problems
            .into_iter()
            .map(|(_, p)| p.message)
            .collect()
    }

    #[test]
    fn finds_scripts_handlers_and_javascript_urls() {
        let found =
            messages("<p>ok</p><a href=\"JavaScript:x()\" onClick=\"y\">z</a><script>1</script>");
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found.iter().any(|m| m.contains("onclick")));
        assert!(found.iter().any(|m| m.contains("javascript:")));
        assert!(found.iter().any(|m| m.contains("<script>")));
        assert!(messages("<p title=\"online\">x</p>").is_empty());
    }

    #[test]
    fn sees_through_encoded_schemes_and_split_tags() {
        assert_eq!(messages("<a href=\"jav&#x61;script:x\">a</a>").len(), 1);
        assert_eq!(messages("<a href=\"java&Tab;script:x\">a</a>").len(), 1);
        assert_eq!(messages("<img src=\"x\"\nonerror=\"alert(1)\">").len(), 1);
        let links = scan("<a href='../a.md#b'>x</a> <img src=../media/p.png>").links;
        let urls: Vec<&str> = links.iter().map(|(_, u, _)| u.as_str()).collect();
        assert_eq!(urls, ["../a.md#b", "../media/p.png"]);
    }

    struct Keep;
    impl Links for Keep {
        fn resolve(&self, _: &str, _: bool) -> Result<Option<String>, Problem> {
            Ok(None)
        }
    }

    #[test]
    fn cleaning_keeps_ids_and_drops_scripts_styles_and_fake_banners() {
        let out = clean(
            "<h2 id=\"a\">A</h2><script>x</script><img src=\"a.png\" onerror=\"x\"><div class=\"banner\" id=\"main\">b</div><td style=\"position:fixed\">c</td>",
            &Keep,
        );
        assert_eq!(out, "<h2 id=\"a\">A</h2><img src=\"a.png\"><div>b</div>c");
    }
}
