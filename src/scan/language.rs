//! Inclusive language: terms the library asks writers to avoid, each with a suggestion.
//!
//! In: the library's `style.avoid` list (the defaults below, added to or changed by
//! `library.yaml`) and a text. Out: each use of a term as a whole word, case-insensitive,
//! with hyphens and spaces inside a term treated alike. Pure: no I/O.

use std::ops::Range;

use regex::Regex;

use super::pii::{B, at_boundary};

/// Terms that NHS England and the NHS Race and Health Observatory advise against, and
/// language in maternity care that blames women for the care they receive.
pub const DEFAULT_AVOID: &[(&str, &str)] = &[
    (
        "BAME",
        "name the ethnic groups you mean (for example, Black African women); say 'ethnic minority groups' only where you mean all of them",
    ),
    (
        "BME",
        "name the ethnic groups you mean; say 'ethnic minority groups' only where you mean all of them",
    ),
    (
        "non-white",
        "name the ethnic groups you mean, or say 'ethnic minority groups'",
    ),
    (
        "Caucasian",
        "use 'White' or the census category, such as 'White British'",
    ),
    (
        "coloured",
        "name the ethnic group, using the census categories",
    ),
    ("ethnics", "say 'people from ethnic minority groups'"),
    ("Oriental", "name the group, for example 'Chinese'"),
    (
        "mixed race",
        "use 'Mixed or multiple ethnic groups', or the census category",
    ),
    (
        "hard to reach",
        "say 'underserved', or say which service does not reach whom",
    ),
    (
        "non-compliant",
        "describe what happened, for example 'declined' or 'did not attend'",
    ),
    (
        "failed to attend",
        "say 'did not attend', and ask what made attending hard",
    ),
];

/// The compiled list.
#[derive(Debug, Clone)]
pub struct Avoid {
    terms: Vec<(String, String)>,
    pattern: Option<Regex>,
}

impl Avoid {
    /// Compiles `terms` (term, suggestion) into one pattern.
    pub fn new(terms: &[(String, String)]) -> Avoid {
        // A term is bounded by the quick ASCII `\b` where it starts or ends with an ASCII
        // letter or digit (every match is then checked by Unicode's rule), by Unicode's
        // where it does not.
        let edge = |c: Option<char>| match c {
            Some(c) if c.is_ascii_alphanumeric() => B,
            _ => r"\b",
        };
        let alternatives: Vec<String> = terms
            .iter()
            .filter_map(|(term, _)| {
                let words: Vec<&str> = term.split([' ', '-']).filter(|w| !w.is_empty()).collect();
                let joined = words.join(" ");
                let inner: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
                (!inner.is_empty()).then(|| {
                    format!(
                        "{}{}{}",
                        edge(joined.chars().next()),
                        inner.join(r"[\s-]+"),
                        edge(joined.chars().next_back())
                    )
                })
            })
            .collect();
        let pattern = (!alternatives.is_empty())
            .then(|| Regex::new(&format!("(?i)(?:{})", alternatives.join("|"))).ok())
            .flatten();
        Avoid {
            terms: terms.to_vec(),
            pattern,
        }
    }

    /// Whether `text` uses any of the terms anywhere (code included): a quick test before a
    /// closer look.
    pub fn is_in(&self, text: &str) -> bool {
        self.pattern.as_ref().is_some_and(|p| {
            p.find_iter(text)
                .any(|m| at_boundary(text, m.start()) && at_boundary(text, m.end()))
        })
    }

    /// Each use in `text`: its range, the term as listed and the suggestion.
    pub fn find<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = (Range<usize>, &'a str, &'a str)> + 'a {
        self.pattern.iter().flat_map(move |p| {
            p.find_iter(text).filter_map(move |m| {
                if !(at_boundary(text, m.start()) && at_boundary(text, m.end())) {
                    return None;
                }
                let norm = |s: &str| -> String {
                    s.split(|c: char| c.is_whitespace() || c == '-')
                        .filter(|w| !w.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ")
                        .to_lowercase()
                };
                let found = norm(m.as_str());
                self.terms
                    .iter()
                    .find(|(t, _)| norm(t) == found)
                    .map(|(t, s)| (m.range(), t.as_str(), s.as_str()))
            })
        })
    }
}

/// The defaults, with the library's own entries added or replacing a default's suggestion.
pub fn merged(library: &[(String, String)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = DEFAULT_AVOID
        .iter()
        .map(|(t, s)| (t.to_string(), s.to_string()))
        .collect();
    for (term, suggestion) in library {
        match out.iter_mut().find(|(t, _)| t.eq_ignore_ascii_case(term)) {
            Some(entry) => entry.1 = suggestion.clone(),
            None => out.push((term.clone(), suggestion.clone())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let avoid = Avoid::new(&merged(&[(
            "service user".to_string(),
            "say 'woman'".to_string(),
        )]));
        avoid
            .find(text)
            .map(|(r, t, _)| format!("{t}@{}", r.start))
            .collect()
    }

    #[test]
    fn whole_words_in_any_case_with_spaces_or_hyphens() {
        assert_eq!(terms("BAME women"), ["BAME@0"]);
        assert_eq!(
            terms("for bame and Non-White groups"),
            ["BAME@4", "non-white@13"]
        );
        assert_eq!(terms("a hard-to-reach group"), ["hard to reach@2"]);
        assert_eq!(terms("non white"), ["non-white@0"]);
        assert_eq!(terms("each service  user"), ["service user@5"]);
    }

    #[test]
    fn parts_of_words_do_not_count() {
        assert!(terms("BAMEX and OBME and Caucasians").is_empty());
        assert!(terms("discoloured").is_empty());
        // Letters beyond ASCII are letters too: no boundary between them and a term.
        assert!(terms("éBAME and BAMEé").is_empty());
    }

    #[test]
    fn text_beyond_ascii_around_a_term() {
        assert_eq!(
            terms("“BAME” – and ‘non-white’"),
            ["BAME@3", "non-white@22"]
        );
        let avoid = Avoid::new(&[("öko".to_string(), "say 'eco'".to_string())]);
        let found: Vec<usize> = avoid.find("Öko, xöko and öko").map(|f| f.0.start).collect();
        assert_eq!(found, [0, 16]);
        assert!(avoid.is_in("an öko group") && !avoid.is_in("xöko"));
    }

    #[test]
    fn the_library_changes_a_suggestion() {
        let list = merged(&[("bame".to_string(), "ours".to_string())]);
        assert_eq!(
            list.iter()
                .filter(|(t, _)| t.eq_ignore_ascii_case("bame"))
                .count(),
            1
        );
        let avoid = Avoid::new(&list);
        assert_eq!(avoid.find("BAME").next().map(|f| f.2), Some("ours"));
    }
}
