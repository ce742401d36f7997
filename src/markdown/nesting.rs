//! How deep a document's body nests: Markdown containers (lists, block quotes, emphasis,
//! links) and raw HTML elements together.
//!
//! In: the Markdown events of a body, one at a time. Out: whether the body has gone deeper
//! than [`MAX_DEPTH`]. Rendering stops there with a diagnostic, because the HTML sanitiser
//! works in time that grows with the square of the depth: 10,000 nested block quotes or
//! `<div>`s would take minutes. Nothing written by hand comes near the limit.

use pulldown_cmark::Event;

use crate::markdown::links::Problem;
use crate::model::diagnostic::Severity;

/// The deepest a body may nest, counting each open Markdown container and HTML element.
pub const MAX_DEPTH: usize = 100;

/// HTML elements that never hold content, and those whose end tag may be left out (which
/// contributors often do): neither counts as opening a level.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "thead", "tbody", "tfoot",
    "colgroup", "rp", "rt",
];

/// The depth so far: open Markdown containers, and HTML elements opened and not closed.
#[derive(Debug, Default)]
pub struct Depth {
    markdown: usize,
    html: usize,
}

impl Depth {
    /// Takes the next event into account; true when the body is now deeper than
    /// [`MAX_DEPTH`].
    pub fn too_deep(&mut self, event: &Event<'_>) -> bool {
        match event {
            Event::Start(_) => self.markdown += 1,
            Event::End(_) => self.markdown = self.markdown.saturating_sub(1),
            Event::Html(html) | Event::InlineHtml(html) => {
                // One fragment may open and close a thousand levels.
                let mut deepest = self.html;
                for opens in tags(html) {
                    self.html = match opens {
                        true => self.html + 1,
                        false => self.html.saturating_sub(1),
                    };
                    deepest = deepest.max(self.html);
                }
                return self.markdown + deepest > MAX_DEPTH;
            }
            _ => {}
        }
        self.markdown + self.html > MAX_DEPTH
    }
}

/// The error where a body first goes deeper than [`MAX_DEPTH`].
pub fn problem() -> Problem {
    Problem {
        severity: Severity::Error,
        rule: "too-deep",
        message: format!(
            "lists, block quotes and HTML elements nest more than {MAX_DEPTH} deep here"
        ),
        hint: "flatten the structure: a page needs a few levels at most".to_string(),
        unlink: false,
    }
}

/// The tags of a fragment of HTML that open (`true`) or close (`false`) an element, read
/// as a browser's tokenizer would closely enough to count: comments, declarations, text
/// that only looks like a tag (`<1500 ml`) and elements that do not nest are left out.
fn tags(html: &str) -> impl Iterator<Item = bool> + '_ {
    let mut rest = html;
    std::iter::from_fn(move || {
        while let Some(lt) = rest.find('<') {
            rest = &rest[lt + 1..];
            if let Some(comment) = rest.strip_prefix("!--") {
                rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
                continue;
            }
            let closing = rest.starts_with('/');
            let name_at = usize::from(closing);
            let name_len = rest[name_at..]
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(rest.len() - name_at);
            let name = rest[name_at..name_at + name_len].to_ascii_lowercase();
            if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                continue;
            }
            rest = &rest[end_of_tag(rest)..];
            // `<div/>` opens a `div` all the same: HTML has no self-closing elements.
            if !NOT_NESTING.contains(&name.as_str()) {
                return Some(!closing);
            }
        }
        None
    })
}

/// The offset just past the `>` that ends the tag starting `rest`, skipping quoted
/// attribute values; the end of `rest` when it has none.
fn end_of_tag(rest: &str) -> usize {
    let mut quote = None;
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    rest.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn deepest(markdown: &str) -> bool {
        let mut depth = Depth::default();
        Parser::new(markdown).any(|e| depth.too_deep(&e))
    }

    #[test]
    fn counts_markdown_containers_and_html_elements_together() {
        assert!(!deepest(&"> ".repeat(60)));
        assert!(deepest(&format!("{}x\n", "> ".repeat(120))));
        assert!(deepest(&format!("{}x\n", "- ".repeat(60))));
        assert!(deepest(&format!("{}x", "<div>".repeat(MAX_DEPTH + 1))));
        assert!(!deepest(&"<div>x</div>\n\n".repeat(500)));
        let one_block = format!("{}x{}", "<div>".repeat(200), "</div>".repeat(200));
        assert!(deepest(&one_block));
    }

    #[test]
    fn void_elements_optional_ends_comments_and_text_do_not_nest() {
        let tags = |html| tags(html).collect::<Vec<bool>>();
        assert!(tags("<br><img src=\"a>b\"><p>x<li>y<hr/>").is_empty());
        assert_eq!(
            tags("<span title='>'>x</span><!-- <div> --><1500 ml"),
            [true, false]
        );
        assert_eq!(tags("<DIV><section/></div><"), [true, true, false]);
    }
}
