//! Markdown to HTML for one document body, with pulldown-cmark.
//!
//! In: a document's text and body offset, and a [`Links`] resolver that knows every page and
//! anchor of the site. Out: the body's HTML (heading ids, highlighted code, links rewritten to
//! page URLs, raw HTML sanitised), its table of contents, and diagnostics for broken links and
//! unsafe HTML, located in the file. [`outline`] finds only a body's headings, cheaply: `serve`
//! uses it to tell whether an edit moved any. No I/O.

mod body;
pub mod highlight;
mod ids;
mod links;
pub mod nesting;
pub mod sanitize;
mod tables;

pub use body::{Heading, Rendered, Section, options, unpack_sections};
pub use ids::{THEME_IDS, outline};
pub use links::{Links, Problem};

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};

use crate::model::diagnostic::{Diagnostic, LineIndex, Severity};
use crate::model::packed::Packed;

/// Where a document's body lives, for locating diagnostics.
pub struct Source<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub body_offset: usize,
}

/// Renders a body to HTML.
pub fn render(src: &Source<'_>, links: &dyn Links, diagnostics: &mut Vec<Diagnostic>) -> Rendered {
    let body = &src.text[src.body_offset..];
    let index = std::cell::OnceCell::new();
    let report = |diagnostics: &mut Vec<Diagnostic>, range: Range<usize>, p: Problem| {
        let index = index.get_or_init(|| LineIndex::new(src.text));
        let pos = index.pos(src.text, src.body_offset + range.start, range.len());
        let d = match p.severity {
            Severity::Error => Diagnostic::error(src.path, pos, p.rule, p.message),
            Severity::Warning => Diagnostic::warning(src.path, pos, p.rule, p.message),
        };
        diagnostics.push(d.hint(p.hint));
    };
    let mut ids = ids::Ids::default();
    let mut headings = Vec::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut raw_html = false;
    // URLs this renderer wrote, which the sanitiser must leave as they are.
    let mut produced: HashSet<String> = HashSet::new();
    // Footnote labels by number of first appearance; their ids are `fn-N`, so a label can
    // never clash with a heading or the theme.
    let mut footnotes: HashMap<String, usize> = HashMap::new();
    // An HTML block being read: its source range and its text without container markers.
    let mut html_block: Option<(Range<usize>, String)> = None;
    // Indexes into `events` of open links that were removed, so their ends go too.
    let mut dropped_links: Vec<bool> = Vec::new();
    let mut heading: Option<(usize, String)> = None;
    let mut code: Option<(String, String)> = None;
    let mut image_alt: Option<(Range<usize>, String)> = None;
    let mut depth = crate::markdown::nesting::Depth::default();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if depth.too_deep(&event) {
            report(
                diagnostics,
                range.start..range.start + 1,
                crate::markdown::nesting::problem(),
            );
            break;
        }
        if let Some((lang, text)) = &mut code {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    events.push(Event::Html(highlight::code_block(lang, text).into()));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((events.len(), String::new()));
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, text)) = heading.take() {
                    let id = ids.make(&text);
                    events[start] = Event::Start(Tag::Heading {
                        level,
                        id: Some(id.clone().into()),
                        classes: Vec::new(),
                        attrs: Vec::new(),
                    });
                    headings.push(Heading {
                        level: level as u8,
                        id,
                        text,
                    });
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match links.resolve(&dest_url, false) {
                Ok(url) => {
                    dropped_links.push(false);
                    produced.extend(url.clone());
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: url.map_or(dest_url, CowStr::from),
                        title,
                        id,
                    }));
                }
                Err(p) => {
                    let keep = p.severity == Severity::Warning && !p.unlink;
                    report(diagnostics, dest_range(body, range, &dest_url), p);
                    dropped_links.push(!keep);
                    if keep {
                        events.push(Event::Start(Tag::Link {
                            link_type,
                            dest_url,
                            title,
                            id,
                        }));
                    }
                }
            },
            Event::End(TagEnd::Link) => {
                if !dropped_links.pop().unwrap_or(false) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = match links.resolve(&dest_url, true) {
                    Ok(url) => {
                        produced.extend(url.clone());
                        url.map_or(dest_url.clone(), CowStr::from)
                    }
                    Err(p) => {
                        let keep = p.severity == Severity::Warning;
                        report(diagnostics, dest_range(body, range.clone(), &dest_url), p);
                        if keep {
                            dest_url.clone()
                        } else {
                            CowStr::from("")
                        }
                    }
                };
                image_alt = Some((range, String::new()));
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Image) => {
                if let Some((range, alt)) = image_alt.take() {
                    if alt.trim().is_empty() {
                        let p = Problem {
                            severity: Severity::Warning,
                            rule: "image-alt",
                            message: "image has no alternative text".to_string(),
                            hint: "describe the image between the brackets: ![what it shows](...)"
                                .to_string(),
                            unlink: false,
                        };
                        report(diagnostics, range, p);
                    }
                }
                events.push(Event::End(TagEnd::Image));
            }
            Event::Start(Tag::HtmlBlock) => {
                raw_html = true;
                html_block = Some((range, String::new()));
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((block, text)) = html_block.take() {
                    let source = body.get(block.clone()).unwrap_or_default();
                    for (at, len, p) in check_raw_html(source, &text, links) {
                        report(diagnostics, block.start + at..block.start + at + len, p);
                    }
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                raw_html = true;
                match &mut html_block {
                    Some((_, text)) => text.push_str(&html),
                    None => {
                        let source = body.get(range.clone()).unwrap_or_default();
                        for (at, len, p) in check_raw_html(source, &html, links) {
                            report(diagnostics, range.start + at..range.start + at + len, p);
                        }
                    }
                }
                events.push(Event::Html(html));
            }
            Event::FootnoteReference(label) => {
                let n = footnote_number(&mut footnotes, &label);
                let href = format!("#fn-{n}");
                events.push(Event::InlineHtml(
                    format!("<sup class=\"footnote-reference\"><a href=\"{href}\">{n}</a></sup>")
                        .into(),
                ));
                produced.insert(href);
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let n = footnote_number(&mut footnotes, &label);
                events.push(Event::Html(
                    format!("<div class=\"footnote-definition\" id=\"fn-{n}\"><sup class=\"footnote-definition-label\">{n}</sup>").into(),
                ));
            }
            Event::End(TagEnd::FootnoteDefinition) => events.push(Event::Html("</div>\n".into())),
            Event::Text(t) => {
                if let Some((_, text)) = &mut heading {
                    text.push_str(&t);
                }
                if let Some((_, alt)) = &mut image_alt {
                    alt.push_str(&t);
                }
                events.push(Event::Text(t));
            }
            Event::Code(t) => {
                if let Some((_, text)) = &mut heading {
                    text.push_str(&t);
                }
                events.push(Event::Code(t));
            }
            other => events.push(other),
        }
    }
    let sections = sections(&events);
    let events = tables::tables(events);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if raw_html {
        html = crate::markdown::sanitize::clean(&html, links, &produced);
    }
    Rendered {
        html: Packed::new(&html),
        headings,
        sections: body::pack_sections(&sections),
    }
}

/// Splits the text of rendered events into sections at every heading.
fn sections(events: &[Event<'_>]) -> Vec<Section> {
    let mut out = vec![Section::default()];
    let mut in_heading = false;
    // Whether the next text opens a paragraph, whose `Table: ` caption prefix is dropped.
    let mut para_start = false;
    for event in events {
        let opens = std::mem::replace(
            &mut para_start,
            matches!(event, Event::Start(Tag::Paragraph)),
        );
        let Some(current) = out.last_mut() else {
            break;
        };
        match event {
            Event::Start(Tag::Heading { id, .. }) => {
                in_heading = true;
                out.push(Section {
                    id: id.as_deref().unwrap_or_default().to_string(),
                    ..Section::default()
                });
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) | Event::Code(t) if in_heading => current.heading.push_str(t),
            Event::Text(t) if opens => current.text.push_str(t.trim_start_matches(tables::CAPTION)),
            Event::Text(t) | Event::Code(t) => current.text.push_str(t),
            Event::SoftBreak | Event::HardBreak => current.text.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) if !current.text.ends_with(' ') => current.text.push(' '),
            _ => {}
        }
    }
    for s in &mut out {
        s.text.truncate(s.text.trim_end().len());
    }
    if out.first().is_some_and(|s| s.text.is_empty()) {
        out.remove(0);
    }
    out
}

fn footnote_number(footnotes: &mut HashMap<String, usize>, label: &str) -> usize {
    let next = footnotes.len() + 1;
    *footnotes.entry(label.to_string()).or_insert(next)
}

/// Problems in raw HTML, located in its `source`. Inside a block quote or list the source
/// carries `>` and indentation that the parsed `text` has not, and may hide a tag from the
/// scan: then the findings in the text are reported at the start of the source.
fn check_raw_html(source: &str, text: &str, links: &dyn Links) -> Vec<(usize, usize, Problem)> {
    let in_source = check_html(source, links);
    let in_text = check_html(text, links);
    if in_text.len() > in_source.len() {
        in_text.into_iter().map(|(_, _, p)| (0, 1, p)).collect()
    } else {
        in_source
    }
}

/// Problems in a fragment of raw HTML, as (offset, length, problem): unsafe constructs, and
/// links that do not resolve.
fn check_html(fragment: &str, links: &dyn Links) -> Vec<(usize, usize, Problem)> {
    let scan = crate::markdown::sanitize::scan(fragment);
    let mut found: Vec<(usize, usize, Problem)> = scan
        .problems
        .into_iter()
        .map(|(at, p)| (at, 1, p))
        .collect();
    for (at, url, image) in scan.links {
        if let Err(p) = links.resolve(&url, image) {
            found.push((at, url.len().max(1), p));
        }
    }
    found
}

/// The range of a link's destination inside the link's source, or the whole link.
fn dest_range(body: &str, range: Range<usize>, dest: &str) -> Range<usize> {
    let slice = body.get(range.clone()).unwrap_or("");
    match slice.rfind(dest) {
        Some(i) if !dest.is_empty() => range.start + i..range.start + i + dest.len(),
        _ => range,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Keep;
    impl Links for Keep {
        fn resolve(&self, _: &str, _: bool) -> Result<Option<String>, Problem> {
            Ok(None)
        }
    }

    fn render_body(body: &str) -> (Rendered, Vec<Diagnostic>) {
        let text = format!("---\ntitle: t\n---\n{body}");
        let src = Source {
            path: "a.md",
            text: &text,
            body_offset: 16,
        };
        let mut diags = Vec::new();
        (render(&src, &Keep, &mut diags), diags)
    }

    #[test]
    fn tables_are_wrapped_and_take_a_caption_from_either_side() {
        let table = "| a | b |\n|---|---|\n| 1 | 2 |\n";
        let before = render_body(&format!("Table: Rates *by* group\n\n{table}"))
            .0
            .html
            .unpack();
        assert!(
            before.starts_with(
                "<div class=\"table-wrap\"><table><caption>Rates <em>by</em> group</caption><thead>"
            ),
            "{before}"
        );
        assert!(before.trim_end().ends_with("</table>\n</div>"), "{before}");
        let after = render_body(&format!("{table}\nTable: After\n\nNext.\n"))
            .0
            .html
            .unpack();
        assert!(after.contains("<table><caption>After</caption>"), "{after}");
        assert!(after.contains("</div>\n<p>Next.</p>"), "{after}");
        let none = render_body(&format!("Tables: not a caption\n\n{table}"))
            .0
            .html
            .unpack();
        assert!(
            none.starts_with(
                "<p>Tables: not a caption</p>\n<div class=\"table-wrap\"><table><thead>"
            ),
            "{none}"
        );
    }

    #[test]
    fn sections_hold_the_plain_text_under_each_heading() {
        let body = "Intro *text*.\n\n## What we did\n\nWe `weighed` it.\nDaily.\n\n- one\n- two\n\n```\ncode\n```\n\n## What we did\n\nTable: Again\n\n| a |\n|---|\n| b |\n";
        let sections = render_body(body).0.sections();
        let short: Vec<(&str, &str, &str)> = sections
            .iter()
            .map(|s| (s.id.as_str(), s.heading.as_str(), s.text.as_str()))
            .collect();
        assert_eq!(
            short,
            [
                ("", "", "Intro text."),
                (
                    "what-we-did",
                    "What we did",
                    "We weighed it. Daily. one two"
                ),
                ("what-we-did-1", "What we did", "Again a b"),
            ]
        );
    }

    #[test]
    fn headings_get_deduplicated_ids() {
        let (r, _) = render_body("## What we did\n\n## What we did\n\n### `code` & more\n");
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["what-we-did", "what-we-did-1", "code--more"]);
        let html = r.html.unpack();
        assert!(html.contains("<h2 id=\"what-we-did-1\">"), "{html}");
        assert_eq!(
            outline("## What we did\n\n## What we did\n")[1].id,
            "what-we-did-1"
        );
    }

    #[test]
    fn raw_html_in_quotes_and_lists_is_still_checked() {
        let (r, diags) = render_body(
            "> <div>\n> <img src=\"a.png\"\n> onerror=\"x\">\n> </div>\n\n- <span\n  onclick=\"y\">z</span>\n",
        );
        let found: Vec<_> = diags.iter().map(|d| (d.rule, d.line)).collect();
        assert_eq!(found, [("unsafe-html", 4), ("unsafe-html", 10)]);
        let html = r.html.unpack();
        assert!(
            !html.contains("onerror") && !html.contains("onclick"),
            "{html}"
        );
    }

    #[test]
    fn scripts_and_handlers_are_reported_and_removed() {
        let (r, diags) =
            render_body("Hi\n\n<script>alert(1)</script>\n\n<img src=x onerror=\"alert(1)\">\n");
        let html = r.html.unpack();
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        let rules: Vec<_> = diags.iter().map(|d| (d.rule, d.line)).collect();
        assert_eq!(rules, [("unsafe-html", 6), ("unsafe-html", 8)]);
    }
}
