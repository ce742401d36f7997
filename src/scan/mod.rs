//! Scanning text for what must not be published or should be written otherwise: patient
//! data ([`pii`], and in the text a document publishes, [`patient`] with [`published`] and
//! `scalar`) and terms to avoid ([`language`]).
//!
//! In: text (a whole document, a value, a file name). Out: what was found, where, and its
//! masked form. Used by load (library.yaml), git (old revisions), check (the review gates)
//! and charts (values quoted in messages). No I/O.

pub mod language;
pub mod mapped;
pub mod patient;
pub mod pii;
pub mod published;
mod scalar;
