//! Raw HTML in documents: finds what is unsafe (for diagnostics) and removes it (for output).
//!
//! In: HTML fragments written by contributors. Out: findings with their byte offset in the
//! fragment, the links they contain, and HTML cleaned by ammonia's allow-list, so scripts,
//! event-handler attributes, `javascript:` URLs and frames never reach a page even where a
//! finding were missed.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::markdown::ids::THEME_IDS;
use crate::markdown::links::{Links, Problem};
use crate::model::diagnostic::Severity;

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
const CLASS_PREFIXES: &[&str] = &["hl-", "language-", "footnote-", "table-wrap"];

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
    let policy = policy();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|p| p + i) {
        let rest = &html[lt + 1..];
        let skip_to = |end: &str| {
            rest.find(end)
                .map_or(html.len(), |p| lt + 1 + p + end.len())
        };
        if rest.starts_with("!--") {
            i = skip_to("-->");
            continue;
        }
        if rest.starts_with('!') || rest.starts_with('?') {
            i = skip_to(">");
            continue;
        }
        let name_start = rest.strip_prefix('/').unwrap_or(rest);
        if !name_start.starts_with(|c: char| c.is_ascii_alphabetic()) {
            // `<1500 ml` is text, not a tag.
            i = lt + 1;
            continue;
        }
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
        let known_tag = policy.tags.contains(tag.name.as_str());
        if !tag.closing && !known_tag && !BLOCKED_TAGS.contains(&tag.name.as_str()) {
            found.problems.push((
                lt,
                removed(format!(
                    "`<{}>` is not allowed, so it is left out of the page",
                    tag.name
                )),
            ));
        }
        for attr in &tag.attributes {
            let handler = attr.name.len() > 2 && attr.name.starts_with("on");
            if known_tag && !handler && !policy.allows(&tag.name, &attr.name) {
                found.problems.push((
                    attr.at,
                    removed(format!(
                        "attribute `{}` of `<{}>` is not allowed, so it is left out of the page",
                        attr.name, tag.name
                    )),
                ));
            }
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
            match crate::model::url::classify(&url) {
                crate::model::url::Dest::Unsafe(scheme) => found.problems.push((
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
/// that `jav&#x61;script:`, `java&#58` and `java&Tab;script:` are seen for what they are.
fn decode_entities(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match decode_one(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.retain(|c| !c.is_control());
    out.trim().to_string()
}

/// The character a reference at the start of `text` stands for, and the reference's length.
/// Numeric references may omit the `;`, as browsers allow.
fn decode_one(text: &str) -> Option<(char, usize)> {
    let body = text.strip_prefix('&')?;
    if let Some(num) = body.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex.bytes().take_while(u8::is_ascii_hexdigit).count(), 16, 3),
            None => (num.bytes().take_while(u8::is_ascii_digit).count(), 10, 2),
        };
        let start = skip;
        let digits_text = text.get(start..start + digits)?;
        let code = u32::from_str_radix(digits_text, radix).ok()?;
        let semicolon = usize::from(text[start + digits..].starts_with(';'));
        return Some((
            char::from_u32(code).unwrap_or('\u{FFFD}'),
            start + digits + semicolon,
        ));
    }
    let name_len = body.bytes().take_while(u8::is_ascii_alphanumeric).count();
    if !body[name_len..].starts_with(';') {
        return None;
    }
    let c = match body[..name_len].to_ascii_lowercase().as_str() {
        "colon" => ':',
        "tab" => '\t',
        "newline" => '\n',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "sol" => '/',
        "period" => '.',
        "lpar" => '(',
        "rpar" => ')',
        "nbsp" => '\u{A0}',
        _ => return None,
    };
    Some((c, name_len + 2))
}

fn removed(message: String) -> Problem {
    Problem {
        severity: Severity::Warning,
        rule: "removed-html",
        message,
        hint: "write it in Markdown instead; raw HTML keeps only simple, safe markup".to_string(),
        unlink: false,
    }
}

/// The tags and attributes the cleaner keeps, for telling writers what it would drop.
struct Policy {
    tags: HashSet<&'static str>,
    generic: HashSet<&'static str>,
    by_tag: HashMap<&'static str, HashSet<&'static str>>,
}

impl Policy {
    fn allows(&self, tag: &str, attribute: &str) -> bool {
        self.generic.contains(attribute)
            || self.by_tag.get(tag).is_some_and(|a| a.contains(attribute))
    }
}

fn policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| {
        let b = allow_list();
        Policy {
            tags: b.clone_tags(),
            generic: b.clone_generic_attributes(),
            by_tag: b.clone_tag_attributes(),
        }
    })
}

/// The tags and attributes pages may carry: ammonia's defaults plus what the renderer writes.
fn allow_list<'a>() -> ammonia::Builder<'a> {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class", "lang", "dir"])
        .add_tags(["input", "figure", "figcaption", "details", "summary"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("pre", ["data-lang"])
        .link_rel(None);
    b
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
        "type" if element == "input" && value != "checkbox" => None,
        _ => Some(Cow::Borrowed(value)),
    }
}

/// Removes everything not on the allow-list from rendered HTML, and rewrites the relative
/// links of raw HTML the way Markdown links are rewritten; `produced` holds the URLs the
/// Markdown renderer wrote already, which stay as they are.
pub fn clean(html: &str, links: &dyn Links, produced: &HashSet<String>) -> String {
    let mut b = allow_list();
    b.attribute_filter(filter_attribute)
        .url_relative(ammonia::UrlRelative::Custom(Box::new(Rewrite {
            links,
            produced,
        })));
    b.clean(html).to_string()
}

/// Rewrites a relative URL of raw HTML as the resolver would. One it cannot resolve is
/// removed (the scan has reported it), so no broken link is published.
struct Rewrite<'a> {
    links: &'a dyn Links,
    produced: &'a HashSet<String>,
}

impl<'a> ammonia::UrlRelativeEvaluate<'a> for Rewrite<'a> {
    fn evaluate<'url>(&self, url: &'url str) -> Option<Cow<'url, str>> {
        if self.produced.contains(url) {
            return Some(Cow::Borrowed(url));
        }
        match self.links.resolve(url, false) {
            Ok(Some(new)) => Some(Cow::Owned(new)),
            Ok(None) => Some(Cow::Borrowed(url)),
            Err(p) if p.severity == Severity::Warning && !p.unlink => Some(Cow::Borrowed(url)),
            Err(_) => None,
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
        assert_eq!(
            messages("<a href=\"javascript&#58alert(1)\">a</a>").len(),
            1
        );
        assert_eq!(messages("<a href=\"&#x6A;avascript:x\">a</a>").len(), 1);
        assert!(messages("<td><1500 ml, ongoing care</td>").is_empty());
        assert!(messages("<!-- <img src=x onerror=y> --><p>ok</p>").is_empty());
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
            &HashSet::new(),
        );
        assert_eq!(out, "<h2 id=\"a\">A</h2><img src=\"a.png\"><div>b</div>c");
    }
}
