//! What the Markdown renderer asks of the rest of the build: a resolver of link
//! destinations ([`Links`]), and the problems it reports ([`Problem`]).

use crate::model::diagnostic::Severity;

/// A problem with a link, reported by the resolver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub rule: &'static str,
    pub message: String,
    pub hint: String,
    /// Remove the link (keeping its text) even though this is only a warning.
    pub unlink: bool,
}

/// Resolves link destinations written in a document.
pub trait Links: Sync {
    /// `Ok(Some(url))` to rewrite, `Ok(None)` to keep as written, `Err` to report (an error
    /// also removes the link, keeping its text).
    fn resolve(&self, dest: &str, image: bool) -> Result<Option<String>, Problem>;
}
