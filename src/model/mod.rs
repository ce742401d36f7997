//! The model: the plain data every stage shares, and nothing that reads, checks or draws
//! it. The library's settings and documents (`doc`), dates, slugs, site paths and the
//! links between them, diagnostics and the error type, text held compressed, and the
//! names the site keeps for itself. No module here imports from outside `model/`.

pub mod date;
pub mod diagnostic;
mod doc;
pub mod error;
pub mod facets;
pub mod packed;
pub mod reserved;
pub mod site;
pub mod slug;
pub mod suggest;
pub mod url;

pub use doc::*;
