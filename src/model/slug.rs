//! Slugs and ids: lower-case ASCII letters, digits and single hyphens, so that no two files
//! can collide on a case-insensitive disk or in a URL.

use crate::model::Kind;

/// Names the built site uses itself; a page may not take them.
pub const RESERVED: &[&str] = &[
    "404",
    "api",
    "assets",
    "case-studies",
    "changes",
    "changes.xml",
    "data",
    "ethnic-groups",
    "evaluations",
    "feed.xml",
    "history",
    "index",
    "interventions",
    "media",
    "outcomes",
    "priority-areas",
    "pull-request",
    "review",
    "search",
    "sitemap.xml",
    "sites",
    "static",
];

/// Whether a document of `kind` may not be called `slug`: plain pages sit at the top of the
/// site beside its own folders, and every other kind shares its folder with the further
/// pages of its listing (`interventions/page/2/`).
pub fn is_reserved(kind: Kind, slug: &str) -> bool {
    match kind {
        Kind::Page => RESERVED.contains(&slug),
        _ => slug == "page",
    }
}

/// `Ok` when `name` is a valid slug, otherwise the nearest valid one.
pub fn check(name: &str) -> Result<(), String> {
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--");
    if valid { Ok(()) } else { Err(suggest(name)) }
}

/// A valid slug made from any text: transliterated to ASCII, lower-cased, with runs of other
/// characters turned into one hyphen.
pub fn suggest(name: &str) -> String {
    let ascii = deunicode::deunicode(name).to_lowercase();
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "document".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_slugs_and_suggests_fixes() {
        assert_eq!(check("pph-bundle-2"), Ok(()));
        assert_eq!(check("PPH Bundle"), Err("pph-bundle".to_string()));
        assert_eq!(check("café_notes"), Err("cafe-notes".to_string()));
        assert_eq!(check("a--b"), Err("a-b".to_string()));
        assert_eq!(check("-a"), Err("a".to_string()));
        assert_eq!(check(""), Err("document".to_string()));
    }
}
