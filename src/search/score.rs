//! How the index scores: BM25F's fields, their weights and length normalisation, and the
//! one-character form of a field's length that the index ships. The runtime
//! (`assets/search.js`) reads the same numbers from the index, so they are written once.

/// The fields of a document, in BM25F order of importance.
pub const FIELDS: [&str; 4] = ["title", "keywords", "summary", "body"];
/// How much a term counts in each field.
pub const WEIGHTS: [f64; 4] = [6.0, 3.0, 2.0, 1.0];
/// How strongly each field's length normalises its term frequency. Keywords and summaries
/// are short and similar in length, so they are not normalised (and their lengths are not
/// shipped).
pub const B: [f64; 4] = [0.4, 0.0, 0.0, 0.75];
pub const K1: f64 = 1.2;
/// Quantises a field length to one character: `round(4 × log2(1 + len))`, at most 63.
pub fn quantise(len: u32) -> u64 {
    ((4.0 * f64::from(len).ln_1p() / std::f64::consts::LN_2).round() as u64).min(63)
}

/// The inverse of [`quantise`], as the runtime computes it.
pub fn dequantise(q: u64) -> f64 {
    (q as f64 / 4.0).exp2() - 1.0
}
