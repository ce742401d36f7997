//! The facets a publication is filed under (priority areas, outcomes, ethnic groups):
//! each one's folder of pages, its labels and its vocabulary, and a document's ids in it.

use crate::model::{Config, Doc, Ref, Vocab};

/// A facet a publication is filed under: its URL folder, labels and vocabulary.
pub struct Facet<'c> {
    pub folder: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub vocab: &'c Vocab,
}

/// The facets, in the order pages show them.
pub fn facets(config: &Config) -> [Facet<'_>; 3] {
    let facet = |folder, plural, singular, vocab| Facet {
        folder,
        plural,
        singular,
        vocab,
    };
    [
        facet(
            "priority-areas",
            "Priority areas",
            "Priority area",
            &config.priority_areas,
        ),
        facet("outcomes", "Outcomes", "Outcome", &config.outcomes),
        facet(
            "ethnic-groups",
            "Ethnic groups",
            "Ethnic group",
            &config.ethnic_groups,
        ),
    ]
}

/// The ids of one facet on a document.
pub fn facet_refs<'d>(doc: &'d Doc, folder: &str) -> &'d [Ref] {
    match folder {
        "priority-areas" => &doc.meta.priority_areas,
        "outcomes" => &doc.meta.outcomes,
        _ => &doc.meta.ethnic_groups,
    }
}
