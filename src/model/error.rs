//! Tool failures: the one error type for everything that is not a content problem.
//!
//! I/O errors always carry the path they happened on; template errors carry the template
//! name and line. Content problems are [`crate::Diagnostic`]s instead.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum Error {
    /// Reading or writing a file or folder failed.
    Io {
        path: PathBuf,
        action: &'static str,
        source: std::io::Error,
    },
    /// A theme template failed to parse or render.
    Template {
        template: String,
        line: Option<usize>,
        message: String,
    },
    /// Any other failure, with a message that says what to do.
    Other(String),
}

impl Error {
    pub fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
    }

    /// Converts a Tera error, keeping the template name and line when Tera knows them.
    pub fn template(fallback_name: &str, err: &tera::Error) -> Self {
        use tera::ErrorKind;
        let (template, line, message) = match err.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => (
                if report.filename().is_empty() {
                    fallback_name.to_string()
                } else {
                    report.filename().to_string()
                },
                Some(report.span().start_line),
                report.message().to_string(),
            ),
            ErrorKind::TemplateNotFound(name) => (
                fallback_name.to_string(),
                None,
                format!("template `{name}` not found: add it to the theme's templates folder"),
            ),
            ErrorKind::MissingParent { current, parent } => (
                current.clone(),
                None,
                format!("extends `{parent}`, which is not in the theme"),
            ),
            _ => from_report(&err.to_string())
                .unwrap_or_else(|| (fallback_name.to_string(), None, err.to_string())),
        };
        Error::Template {
            template,
            line,
            message,
        }
    }
}

/// Template, line and message from a report Tera formatted as text
/// (`error: message` then ` --> name.html:3:12`), for the errors it keeps only as text.
fn from_report(report: &str) -> Option<(String, Option<usize>, String)> {
    let message = report
        .lines()
        .next()?
        .trim()
        .trim_start_matches("error: ")
        .to_string();
    let place = report.lines().find_map(|l| l.trim().strip_prefix("--> "))?;
    let mut parts = place.rsplitn(3, ':');
    let (_col, line, name) = (parts.next()?, parts.next()?, parts.next()?);
    Some((name.to_string(), line.parse().ok(), message))
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, action, .. } => write!(f, "could not {action} {}", path.display()),
            Error::Template {
                template,
                line: Some(line),
                message,
            } => write!(f, "template {template}:{line}: {message}"),
            Error::Template {
                template, message, ..
            } => write!(f, "template {template}: {message}"),
            Error::Other(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
