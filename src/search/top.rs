//! Each term's best documents, worked out at build time, so that the first page of results
//! for a one-word query comes with the term's own shard and needs no result bundle.
//!
//! In: the field lengths of every document, a term's postings and the documents' result
//! entries. Out: the term's [`TOP`] documents by BM25F — scored exactly as the runtime
//! scores an exact match — each with the snippet the runtime would show: the section with
//! the most occurrences of the term and thirty words around the first one.

use serde::Serialize;

use super::score::{B, K1, WEIGHTS, dequantise, quantise};
use super::{encode, text};

/// Documents kept per term.
pub const TOP: usize = 10;

/// What a result shows, as bundles store it: `[page, title, type, date, summary,
/// [[section id, heading, text]...]]`.
#[derive(Debug, Clone, Serialize)]
pub struct Shown(
    pub String,
    pub String,
    pub Option<usize>,
    pub Option<String>,
    pub String,
    pub Vec<(String, String, String)>,
);

/// One of a term's top documents: `[doc, section id, heading, words, cut before, cut
/// after]`, the last two 0 or 1.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Top(pub u32, pub String, pub String, pub String, pub u8, pub u8);

/// BM25F over the index's documents, with lengths as the runtime sees them (quantised).
pub struct Scorer {
    lengths: Vec<[f64; 4]>,
    pub averages: [f64; 4],
}

impl Scorer {
    pub fn new(lengths: &[[u32; 4]]) -> Scorer {
        let n = lengths.len().max(1) as f64;
        let lengths: Vec<[f64; 4]> = lengths
            .iter()
            .map(|l| l.map(|len| dequantise(quantise(len))))
            .collect();
        let mut averages = [0.0; 4];
        for l in &lengths {
            for f in 0..4 {
                if B[f] > 0.0 {
                    averages[f] += l[f] / n;
                }
            }
        }
        Scorer { lengths, averages }
    }

    /// The inverse document frequency of a term found in `df` documents.
    fn idf(&self, df: u32) -> f64 {
        let n = self.lengths.len() as f64;
        let df = f64::from(df);
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The score of a term with inverse document frequency `idf` in document `doc`.
    fn score(&self, idf: f64, doc: u32, tf: [u32; 4]) -> f64 {
        let mut weighted = 0.0;
        for f in 0..4 {
            if tf[f] == 0 {
                continue;
            }
            let norm = if B[f] > 0.0 {
                1.0 - B[f] + B[f] * self.lengths[doc as usize][f] / self.averages[f]
            } else {
                1.0
            };
            weighted += WEIGHTS[f] * f64::from(tf[f]) / norm;
        }
        idf * weighted / (K1 + weighted)
    }

    /// The best [`TOP`] documents of a term from its encoded postings, best first (ties
    /// to the lower document, as the runtime orders them).
    pub fn top(&self, postings: &str, df: u32) -> Vec<u32> {
        let numbers = encode::decode_varints(postings);
        let idf = self.idf(df);
        let mut scored = Vec::with_capacity(df as usize);
        let (mut i, mut doc) = (0, None::<u32>);
        while i + 1 < numbers.len() {
            let d = doc.map_or(numbers[i], |last| last + 1 + numbers[i]);
            let mask = numbers[i + 1];
            i += 2;
            let mut tf = [0u32; 4];
            for (f, slot) in tf.iter_mut().enumerate() {
                if mask & (1 << f) != 0 {
                    *slot = numbers.get(i).copied().unwrap_or(0);
                    i += 1;
                }
            }
            scored.push((d, self.score(idf, d, tf)));
            doc = Some(d);
        }
        // Best first, ties to the lower document: a total order, so the best few can be
        // picked out before only they are sorted.
        let order = |a: &(u32, f64), b: &(u32, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if scored.len() > TOP {
            scored.select_nth_unstable_by(TOP - 1, order);
            scored.truncate(TOP);
        }
        scored.sort_by(order);
        scored.into_iter().map(|(d, _)| d).collect()
    }
}

/// A document's summary and section texts as [`text::fold`] leaves them, folded once for
/// the snippets of all its terms.
pub struct Folded(Vec<String>);

impl Folded {
    pub fn of(shown: &Shown) -> Folded {
        let texts = std::iter::once(&shown.4).chain(shown.5.iter().map(|s| &s.2));
        Folded(texts.map(|t| text::fold(t).into_owned()).collect())
    }
}

/// The snippet for `term` in a document (`folded` being its texts folded): its best
/// section, then thirty words from ten before the first occurrence.
pub fn snippet(doc: u32, term: &str, shown: &Shown, folded: &Folded) -> Top {
    let summary = ("", "", shown.4.as_str());
    let sections = std::iter::once(summary).chain(
        shown
            .5
            .iter()
            .map(|(id, heading, text)| (id.as_str(), heading.as_str(), text.as_str())),
    );
    let hits = |folded: &str| match folded.contains(term) {
        true => text::split(folded).filter(|w| *w == term).count(),
        false => 0,
    };
    let mut best = summary;
    let mut best_hits = None;
    for (s, folded) in sections.zip(&folded.0) {
        let h = hits(folded);
        if best_hits.is_none_or(|b| h > b) {
            best = s;
            best_hits = Some(h);
        }
    }
    let words: Vec<&str> = best.2.split_whitespace().collect();
    let first = words
        .iter()
        .position(|w| text::split(&text::fold(w)).any(|t| t == term));
    let from = first.map_or(0, |f| f.saturating_sub(10));
    let to = words.len().min(from + 30);
    Top(
        doc,
        best.0.to_string(),
        best.1.to_string(),
        words[from..to].join(" "),
        u8::from(from > 0),
        u8::from(to < words.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown() -> Shown {
        Shown(
            "a/index.html".into(),
            "A".into(),
            Some(0),
            None,
            "A summary about zebras.".into(),
            vec![
                ("one".into(), "One".into(), "Nothing here.".into()),
                (
                    "two".into(),
                    "Two".into(),
                    "w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 zebra and zebra again".into(),
                ),
            ],
        )
    }

    #[test]
    fn snippets_take_the_section_with_most_hits_and_ten_words_before() {
        let top = snippet(7, "zebra", &shown(), &Folded::of(&shown()));
        assert_eq!(
            top,
            Top(
                7,
                "two".into(),
                "Two".into(),
                "w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 zebra and zebra again".into(),
                1,
                0
            )
        );
        let none = snippet(7, "lion", &shown(), &Folded::of(&shown()));
        assert_eq!(none.1, "", "no hit: the summary");
    }

    #[test]
    fn top_orders_by_score_then_document() {
        // Three documents of equal lengths; the term once in doc 0's body, twice in doc 2's
        // body, once in doc 1's title.
        let scorer = Scorer::new(&[[3, 5, 5, 100]; 3]);
        let mut postings = String::new();
        for (gap, mask, tf) in [(0, 8, 1), (0, 1, 1), (0, 8, 2)] {
            encode::varint(&mut postings, gap);
            encode::varint(&mut postings, mask);
            encode::varint(&mut postings, tf);
        }
        assert_eq!(scorer.top(&postings, 3), [1, 2, 0]);
    }
}
