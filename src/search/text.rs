//! Search text: folding, tokenising and stemming. The browser runtime
//! (`themes/default/static/search.js`) folds and splits queries the same way, so that a
//! query word meets the index's terms; stemming happens only here, at build time, and the
//! index records each term's stem for the runtime.
//!
//! In: any text. Out: terms — lower-case ASCII letters and digits, at least two long.

use std::borrow::Cow;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

/// Accents and case folded: `Café` → `cafe`, `Ærø` → `aero`.
pub fn fold(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        if text.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(text.to_ascii_lowercase())
        } else {
            Cow::Borrowed(text)
        }
    } else {
        Cow::Owned(deunicode::deunicode(text).to_ascii_lowercase())
    }
}

/// The terms of folded text in order, borrowed from it: runs of ASCII letters and digits,
/// one-character runs dropped (the `s` of `women's`, list letters).
pub fn split(folded: &str) -> impl Iterator<Item = &str> {
    Terms {
        text: folded,
        at: 0,
    }
}

/// The iterator of [`split`]: it reads bytes, not characters, as every byte of a term is
/// ASCII and no byte of a character beyond ASCII is.
struct Terms<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Iterator for Terms<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        loop {
            let start = self.at
                + bytes[self.at..]
                    .iter()
                    .position(u8::is_ascii_alphanumeric)?;
            let len = bytes[start..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .unwrap_or(bytes.len() - start);
            self.at = start + len;
            if len >= 2 {
                return Some(&self.text[start..self.at]);
            }
        }
    }
}

/// The English (Porter 2) stem of a folded term.
pub fn stem(term: &str) -> String {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER
        .get_or_init(|| Stemmer::create(Algorithm::English))
        .stem(term)
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        split(&fold(text)).map(str::to_string).collect()
    }

    #[test]
    fn folds_accents_and_case_and_splits_on_punctuation() {
        assert_eq!(
            terms("Women's post-partum HAEMORRHAGE, café (16+6 weeks) — naïve ÆRØ"),
            [
                "women",
                "post",
                "partum",
                "haemorrhage",
                "cafe",
                "16",
                "weeks",
                "naive",
                "aero"
            ]
        );
        assert!(matches!(fold("plain words"), Cow::Borrowed(_)));
        // The runtime folds these the same way (tests/browser/search-unit.mjs).
        assert_eq!(terms("BadgerNet™ №5 café"), ["badgernettm", "no5", "cafe"]);
    }

    #[test]
    fn splits_text_beyond_ascii_as_the_character_rule_would() {
        let by_chars = |t: &str| -> Vec<String> {
            t.split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|t| t.len() >= 2)
                .map(str::to_string)
                .collect()
        };
        for text in [
            "",
            "a",
            "ab",
            " ab ",
            "x ab-cd e fg",
            "ça va très bien, ÆRØ 16+6 naïve",
            "日本語 ab日本cd 語",
            "endsinterm",
            "–ab–",
        ] {
            assert_eq!(split(text).collect::<Vec<_>>(), by_chars(text), "{text}");
        }
    }

    #[test]
    fn stems_english_words() {
        assert_eq!(stem("screening"), "screen");
        assert_eq!(stem("screened"), "screen");
        assert_eq!(stem("interpreters"), "interpret");
        assert_eq!(stem("haemorrhages"), "haemorrhag");
        assert_eq!(stem("studies"), "studi");
        assert_eq!(stem("pph"), "pph");
    }
}
