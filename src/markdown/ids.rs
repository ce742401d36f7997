//! Heading ids: each heading's id from its text, unique in the page and never one the
//! theme uses; and a body's headings alone ([`outline`]), cheaply.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::body::{Heading, options};

/// The headings of a body, with the ids [`super::render`] gives them.
pub fn outline(body: &str) -> Vec<Heading> {
    let mut ids = Ids::default();
    let mut headings = Vec::new();
    let mut current: Option<(u8, String)> = None;
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                current = Some((level as u8, String::new()))
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = &mut current {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text)) = current.take() {
                    let id = ids.make(&text);
                    headings.push(Heading { level, id, text });
                }
            }
            _ => {}
        }
    }
    headings
}

/// Heading ids: lower-case text, letters, digits, `-` and `_` kept, spaces as hyphens, repeats
/// numbered `-1`, `-2`...
pub(super) struct Ids {
    taken: HashSet<String>,
    /// For each text that repeats, the number its next repeat tries first, so that the
    /// thousandth `## Results` does not try the 999 taken ids before it again.
    next: HashMap<String, usize>,
}

/// Ids the theme's templates use on document pages; headings never take them.
pub const THEME_IDS: &[&str] = &[
    "main",
    "related",
    "the-aim",
    "the-stage",
    "the-driver-diagram",
    "the-measures",
    "the-pdsa-cycles",
    "the-evaluation",
    "the-data",
    "about-this-document",
    "about-this-site",
    "toc-title",
    "browse",
    "header-q",
    "home-q",
    "search-q",
    "from-site",
    "by-area",
    "by-site",
    "latest",
    "search-results",
];

impl Default for Ids {
    fn default() -> Self {
        Ids {
            taken: THEME_IDS.iter().map(|s| s.to_string()).collect(),
            next: HashMap::new(),
        }
    }
}

impl Ids {
    pub(super) fn make(&mut self, text: &str) -> String {
        let mut base: String = text
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect();
        if base.is_empty() {
            base = "section".to_string();
        }
        if self.taken.insert(base.clone()) {
            return base;
        }
        // Each id tried here in vain is `{base}-{n}` for this base alone, and the next
        // repeat starts past it: no id is tried twice, however often a heading repeats.
        let n = self.next.entry(base.clone()).or_insert(1);
        loop {
            let id = format!("{base}-{n}");
            *n += 1;
            if self.taken.insert(id.clone()) {
                return id;
            }
        }
    }
}
