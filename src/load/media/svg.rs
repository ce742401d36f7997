//! An SVG checked part by part with a real XML parser (roxmltree): it is published only
//! while nothing in it can run or load anything.
//!
//! In: the SVG's path (for diagnostics) and bytes. Out: an `unsafe-media` error at each
//! place that could (the first [`MOST`]), and its text when it was UTF-8. Refused: a DOCTYPE
//! (entities that expand without end), XML that does not parse, a root that is not `<svg>`
//! in the SVG namespace, `<script>`, `<foreignObject>`, HTML elements and other embedders,
//! `on*` event handlers, `javascript:`, `data:` (but raster images) and outside addresses
//! in links and CSS `url()`, `@import`, animations of `href` or handlers, and
//! `xml-stylesheet` instructions — whatever their letter case or namespace prefix.

use crate::model::diagnostic::{Diagnostic, LineIndex, Pos};

const SVG: &str = "http://www.w3.org/2000/svg";
const XHTML: &str = "http://www.w3.org/1999/xhtml";
/// The most findings reported for one file.
const MOST: usize = 20;
/// More parts than any drawing has, and few enough to hold in memory.
const NODES: u32 = 1_000_000;
/// Embedded pictures that are inert: `data:` addresses of raster images.
const RASTER: &[&str] = &[
    "data:image/png",
    "data:image/jpeg",
    "data:image/jpg",
    "data:image/gif",
    "data:image/webp",
];
/// Elements that run script, hold HTML or load other documents.
const ACTIVE: &[&str] = &[
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "handler",
    "listener",
];
const REMOVE: &str = "remove it, or export the drawing again as plain SVG or as PNG";

struct Finding {
    at: Place,
    message: String,
    hint: &'static str,
}

/// Where a finding is: bytes of the text, or a line and column the parser gave.
enum Place {
    Bytes(usize, usize),
    Pos(Pos),
}

impl Finding {
    fn new(at: usize, len: usize, message: impl Into<String>) -> Finding {
        Finding {
            at: Place::Bytes(at, len),
            message: message.into(),
            hint: REMOVE,
        }
    }
}

/// The findings of the SVG file `rel`, and its text when it is UTF-8.
pub fn check(rel: &str, mut bytes: Vec<u8>) -> (Vec<Diagnostic>, Option<String>) {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    let Ok(text) = String::from_utf8(bytes) else {
        let error = Diagnostic::error(
            rel,
            Pos::start(),
            "unsafe-media",
            "the SVG is not UTF-8 text",
        )
        .hint("save it as UTF-8, as drawing programs do");
        return (vec![error], None);
    };
    let index = LineIndex::new(&text);
    let diagnostics = findings(&text)
        .into_iter()
        .take(MOST)
        .map(|f| {
            let pos = match f.at {
                Place::Bytes(at, len) => index.pos(&text, at, len),
                Place::Pos(pos) => pos,
            };
            Diagnostic::error(rel, pos, "unsafe-media", f.message).hint(f.hint)
        })
        .collect();
    (diagnostics, Some(text))
}

/// What is unsafe in `text`, in document order, or why it does not parse.
fn findings(text: &str) -> Vec<Finding> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: NODES,
        ..Default::default()
    };
    let doc = match roxmltree::Document::parse_with_options(text, options) {
        Ok(doc) => doc,
        Err(e) => return vec![unparsed(text, e)],
    };
    let mut found = Vec::new();
    let root = doc.root_element();
    if root.tag_name().namespace() != Some(SVG) || root.tag_name().name() != "svg" {
        found.push(Finding {
            hint: "save it from a drawing program as SVG: the root must be <svg xmlns=\"http://www.w3.org/2000/svg\">",
            ..Finding::new(
                root.range().start,
                1 + root.tag_name().name().len(),
                format!("the file is not an SVG image: its root is `<{}>`", root.tag_name().name()),
            )
        });
    }
    for node in doc.descendants() {
        if let Some(pi) = node.pi()
            && pi.target.eq_ignore_ascii_case("xml-stylesheet")
        {
            found.push(Finding {
                hint: "remove the <?xml-stylesheet ...?> line; styles go in a <style> element",
                ..Finding::new(
                    node.range().start,
                    node.range().len(),
                    "a style sheet instruction can load an outside file or a transform that runs script",
                )
            });
        }
        if node.is_element() {
            element(node, &mut found);
        }
    }
    found
}

/// Why `text` does not parse.
fn unparsed(text: &str, e: roxmltree::Error) -> Finding {
    match e {
        roxmltree::Error::DtdDetected => Finding {
            hint: "remove the <!DOCTYPE ...> declaration: an SVG needs none",
            ..Finding::new(
                text.find("<!DOCTYPE").unwrap_or(0),
                "<!DOCTYPE".len(),
                "the SVG has a DOCTYPE, whose entities can expand without end",
            )
        },
        roxmltree::Error::NodesLimitReached => Finding {
            hint: "simplify the drawing, or publish it as PNG",
            ..Finding::new(0, 1, "the SVG has more than a million parts")
        },
        e => {
            let at = e.pos();
            let why = e.to_string();
            let why = why.rsplit_once(" at ").map_or(why.as_str(), |(w, _)| w);
            Finding {
                at: Place::Pos(Pos::new(at.row as usize, at.col as usize, 1)),
                message: format!("the SVG is not well-formed XML: {why}"),
                hint: "open it in a drawing program and save it again as SVG",
            }
        }
    }
}

/// The findings of one element and its attributes.
fn element(node: roxmltree::Node, found: &mut Vec<Finding>) {
    let tag = node.tag_name();
    let name = tag.name().to_ascii_lowercase();
    let at = node.range().start;
    let len = 1 + tag.name().len();
    if tag.namespace() == Some(XHTML) {
        found.push(Finding::new(
            at,
            len,
            format!("HTML inside an SVG (`<{}>`) can run script", tag.name()),
        ));
    } else if ACTIVE.contains(&name.as_str()) {
        found.push(Finding::new(
            at,
            len,
            match name.as_str() {
                "script" => "`<script>` runs when the SVG is opened".to_string(),
                "foreignobject" => "`<foreignObject>` holds HTML, which can run script".to_string(),
                _ => format!("`<{}>` can load or run other content", tag.name()),
            },
        ));
    }
    if name == "style" {
        let css: String = node.children().filter_map(|c| c.text()).collect();
        if let Some(why) = css_problem(&css) {
            found.push(Finding::new(at, len, why));
        }
    }
    for a in node.attributes() {
        let local = a.name().to_ascii_lowercase();
        let (at, len) = (a.range().start, a.range_qname().len());
        let value = a.value();
        let problem = if local.starts_with("on") {
            Some(format!("the event handler `{}` runs script", a.name()))
        } else if local == "href" || local == "src" {
            url_problem(value)
        } else if local == "attributename" {
            let target = value.trim().to_ascii_lowercase();
            let target = target.rsplit(':').next().unwrap_or_default();
            (target == "href" || target.starts_with("on"))
                .then(|| format!("animating `{}` can turn it into script", value.trim()))
        } else if local == "style" || value.to_ascii_lowercase().contains("url(") {
            css_problem(value)
        } else {
            None
        };
        if let Some(why) = problem {
            found.push(Finding::new(at, len, why));
        }
    }
}

/// What is wrong with an address in an SVG: script, a `data:` address that is not a
/// raster image, or anything outside the file; `None` for `#fragment` and relative paths.
fn url_problem(value: &str) -> Option<String> {
    // Browsers drop white space and control characters anywhere in a scheme.
    let url: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let shown = || {
        let short: String = value.trim().chars().take(60).collect();
        short.replace('`', "'")
    };
    if url.starts_with("//") {
        return Some(format!(
            "`{}` is on another website, which a reader's browser would fetch",
            shown()
        ));
    }
    let scheme = url.split_once(':').map(|(s, _)| s).filter(|s| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    match scheme {
        None => None,
        Some("javascript" | "vbscript") => Some(format!(
            "a `{}:` address runs script",
            scheme.unwrap_or_default()
        )),
        Some("data") if RASTER.iter().any(|r| url.starts_with(r)) => None,
        Some("data") => Some(
            "a `data:` address that is not a PNG, JPEG, GIF or WebP image can hold script"
                .to_string(),
        ),
        Some(_) => Some(format!(
            "`{}` is outside the library, and a reader's browser would fetch it",
            shown()
        )),
    }
}

/// What is wrong with CSS in an SVG: `@import`, an expression, or a `url()` that
/// [`url_problem`] refuses. Escapes are decoded first, as a browser does.
fn css_problem(css: &str) -> Option<String> {
    let css = unescape_css(css).to_ascii_lowercase();
    if css.contains("@import") {
        return Some("a style sheet's `@import` loads an outside file".to_string());
    }
    if css.contains("expression(") {
        return Some("a CSS `expression()` runs script".to_string());
    }
    let mut rest = css.as_str();
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        let inner = rest[..end].trim().trim_matches(['"', '\'']);
        if let Some(why) = url_problem(inner) {
            return Some(why);
        }
        rest = &rest[end..];
    }
    None
}

/// CSS with its escapes (`\75 rl(`, `\:`) replaced by the characters they stand for.
fn unescape_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let mut hex = String::new();
        while hex.len() < 6 && chars.peek().is_some_and(char::is_ascii_hexdigit) {
            hex.extend(chars.next());
        }
        if hex.is_empty() {
            out.extend(chars.next());
            continue;
        }
        if chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            chars.next();
        }
        let code = u32::from_str_radix(&hex, 16).unwrap_or(0xFFFD);
        out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(svg: &str) -> Vec<String> {
        let (found, _) = check("content/media/x.svg", svg.as_bytes().to_vec());
        found
            .iter()
            .map(|d| format!("{}:{} {}", d.line, d.column, d.message))
            .collect()
    }

    const OPEN: &str =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">";

    #[test]
    fn a_plain_drawing_passes() {
        let svg = format!(
            "<?xml version=\"1.0\"?>\n{OPEN}<defs><linearGradient id=\"g\"/></defs><rect fill=\"url(#g)\" style=\"stroke: url('#g')\"/><image xlink:href=\"data:image/png;base64,iVBORw0KGgo=\"/><use href=\"#g\"/><a href=\"other.svg\"><text>Ward 4</text></a><style>rect {{ fill: red }}</style></svg>"
        );
        assert_eq!(messages(&svg), Vec::<String>::new());
    }

    #[test]
    fn active_parts_are_found_in_any_case_and_prefix() {
        let svg = format!(
            "{OPEN}\n<svg:script xmlns:svg=\"http://www.w3.org/2000/svg\">alert(1)</svg:script>\n<SCRIPT/><rect ONLOAD=\"x()\"/>\n<foreignObject><h:iframe xmlns:h=\"http://www.w3.org/1999/xhtml\"/></foreignObject>\n<a xlink:href=\" java\tscript:alert(1)\"/><a href=\"&#106;avascript:x\"/>\n<image href=\"https://tracker.example/p.png\"/><use href=\"data:image/svg+xml;base64,PHN2Zz4=\"/>\n<set attributeName=\"xlink:href\" to=\"javascript:x\"/><rect style=\"fill: \\75 rl(https://x.example/a)\"/><style>@IMPORT 'https://x.example/a.css';</style>\n</svg>"
        );
        assert_eq!(
            messages(&svg),
            [
                "2:1 `<script>` runs when the SVG is opened",
                "3:1 `<script>` runs when the SVG is opened",
                "3:16 the event handler `ONLOAD` runs script",
                "4:1 `<foreignObject>` holds HTML, which can run script",
                "4:16 HTML inside an SVG (`<iframe>`) can run script",
                "5:4 a `javascript:` address runs script",
                "5:43 a `javascript:` address runs script",
                "6:8 `https://tracker.example/p.png` is outside the library, and a reader's browser would fetch it",
                "6:51 a `data:` address that is not a PNG, JPEG, GIF or WebP image can hold script",
                "7:6 animating `xlink:href` can turn it into script",
                "7:58 `https://x.example/a` is outside the library, and a reader's browser would fetch it",
                "7:101 a style sheet's `@import` loads an outside file",
            ]
        );
    }

    #[test]
    fn doctypes_bad_xml_and_other_roots_are_refused() {
        let bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]>\n<svg xmlns=\"http://www.w3.org/2000/svg\">&b;</svg>";
        assert_eq!(
            messages(bomb),
            ["2:1 the SVG has a DOCTYPE, whose entities can expand without end"]
        );
        assert_eq!(
            messages("<svg xmlns=\"http://www.w3.org/2000/svg\">\n<rect></svg>"),
            ["2:7 the SVG is not well-formed XML: expected 'rect' tag, not 'svg'"]
        );
        assert_eq!(
            messages("<html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>"),
            [
                "1:1 the file is not an SVG image: its root is `<html>`",
                "1:1 HTML inside an SVG (`<html>`) can run script",
                "1:44 HTML inside an SVG (`<body>`) can run script",
            ]
        );
        let deep = format!(
            "{OPEN}{}{}</svg>",
            "<g>".repeat(100_000),
            "</g>".repeat(100_000)
        );
        assert_eq!(messages(&deep), Vec::<String>::new());
    }
}
