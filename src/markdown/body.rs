//! What a body renders to ([`Rendered`]: its HTML, headings and section text, held
//! packed), and the Markdown options every body is parsed with.

use pulldown_cmark::Options;
use serde::Serialize;

use crate::model::packed::Packed;

/// A heading with its deduplicated id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A rendered body: its HTML and section text packed ([`Packed`]), as every body is held
/// until its page is made.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: Packed,
    pub headings: Vec<Heading>,
    /// The body's plain text, section by section, for the search index: see
    /// [`Rendered::sections`].
    pub sections: Packed,
}

/// Separates the parts of packed sections: CommonMark turns a NUL in the text into U+FFFD,
/// so none occurs in them.
const NUL: char = '\0';

impl Rendered {
    /// The body's plain text, section by section.
    pub fn sections(&self) -> Vec<Section> {
        unpack_sections(&self.sections)
    }
}

/// Sections packed by [`super::render`].
pub fn unpack_sections(packed: &Packed) -> Vec<Section> {
    let text = packed.unpack();
    let mut parts = text.split(NUL);
    let mut out = Vec::new();
    while let (Some(id), Some(heading), Some(text)) = (parts.next(), parts.next(), parts.next()) {
        out.push(Section {
            id: id.to_string(),
            heading: heading.to_string(),
            text: text.to_string(),
        });
    }
    out
}

pub(super) fn pack_sections(sections: &[Section]) -> Packed {
    let mut text = String::new();
    for s in sections {
        for part in [&s.id, &s.heading, &s.text] {
            text.push_str(part);
            text.push(NUL);
        }
    }
    Packed::new(&text)
}

/// The plain text under one heading (or before the first, with an empty `id`). Code blocks
/// and raw HTML are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    pub id: String,
    pub heading: String,
    pub text: String,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}
