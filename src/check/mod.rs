//! Checks that need the whole library: the review gates ([`review`]: patient data,
//! inclusive language, review dates), relations between documents and their aliases
//! ([`relations`]) and writing conventions ([`lint`]). Pure: documents in, diagnostics out.

pub mod lint;
pub mod relations;
pub mod review;
