//! The theme: Tera templates and static assets. The default theme is compiled into the binary
//! so a library without a `themes/` folder still builds; files in the library's
//! `themes/default/templates/` and `themes/default/static/` override it file by file.
//!
//! In: the library root. Out: a [`Theme`] holding every template's text and every static
//! file's bytes, with diagnostics for what was not read (symbolic links, which are never
//! followed, and named pipes, sockets or devices), and a ready [`tera::Tera`] made from
//! them.

use std::path::Path;

use walkdir::WalkDir;

use crate::model::diagnostic::{Diagnostic, Pos};
use crate::model::error::{Error, Result};
use crate::sys::files;
use crate::sys::files::Opened;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),*]
    };
}

/// The templates every theme must provide, from the built-in theme.
const TEMPLATES: &[(&str, &str)] = embed!(
    "base.html",
    "home.html",
    "document.html",
    "site.html",
    "page.html",
    "listing.html",
    "facet.html",
    "facets.html",
    "cards.html",
    "banners.html",
    "meta.html",
    "related.html",
    "search.html",
    "pager.html",
    "404.html",
    "redirect.html",
    "history.html",
    "changes.html",
    "figures.html",
    "review.html",
    "pull-request.html",
);

const STATICS: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
];

/// Templates and static files, built-in ones overridden by the library's.
pub struct Theme {
    pub templates: Vec<(String, String)>,
    pub statics: Vec<(String, Vec<u8>)>,
    /// What was not read: symbolic links (warnings) and named pipes, sockets or devices
    /// (errors), at their paths from the library folder.
    pub diagnostics: Vec<Diagnostic>,
}

impl Theme {
    /// The built-in theme with the library's overrides from `root/themes/default/`.
    /// Nothing is read through a symbolic link: a linked `themes/`, `themes/default/`,
    /// `templates/` or `static/`, or a link inside them, is left out with a warning.
    pub fn load(root: &Path) -> Result<Theme> {
        let mut theme = Theme {
            templates: TEMPLATES
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
            statics: STATICS
                .iter()
                .map(|(n, b)| (n.to_string(), b.to_vec()))
                .collect(),
            diagnostics: Vec::new(),
        };
        let dir = "themes/default";
        if !is_folder(root, &["themes", dir], &mut theme.diagnostics) {
            return Ok(theme);
        }
        let templates = format!("{dir}/templates");
        if is_folder(root, &[&templates], &mut theme.diagnostics) {
            for (name, bytes) in read_tree(root, &templates, &mut theme.diagnostics)? {
                let text = String::from_utf8(bytes).map_err(|_| {
                    Error::Other(format!(
                        "template {name} is not UTF-8 text: save it as UTF-8"
                    ))
                })?;
                replace(&mut theme.templates, name, text);
            }
        }
        let statics = format!("{dir}/static");
        if is_folder(root, &[&statics], &mut theme.diagnostics) {
            for (name, bytes) in read_tree(root, &statics, &mut theme.diagnostics)? {
                replace(&mut theme.statics, name, bytes);
            }
        }
        Ok(theme)
    }

    /// A Tera instance with every template parsed.
    pub fn tera(&self) -> Result<tera::Tera> {
        let mut tera = tera::Tera::new();
        tera.set_escape_fn(escape_html);
        tera.add_raw_templates(self.templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| Error::template("theme", &e))?;
        Ok(tera)
    }
}

/// Tera's HTML escaping (the same five characters, the same entities), writing the text
/// between them in runs rather than a byte at a time: every page escapes all it shows.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

fn replace<T>(list: &mut Vec<(String, T)>, name: String, value: T) {
    match list.iter_mut().find(|(n, _)| *n == name) {
        Some(entry) => entry.1 = value,
        None => list.push((name, value)),
    }
}

/// Whether each of `rels` (paths from `root`, each inside the one before) is a folder
/// itself, not a symbolic link to one: a link is a warning, and a missing folder nothing.
fn is_folder(root: &Path, rels: &[&str], diagnostics: &mut Vec<Diagnostic>) -> bool {
    rels.iter()
        .all(|rel| match std::fs::symlink_metadata(root.join(rel)) {
            Ok(meta) if meta.is_symlink() => {
                diagnostics.push(symlink(rel));
                false
            }
            Ok(meta) => meta.is_dir(),
            Err(_) => false,
        })
}

fn symlink(rel: &str) -> Diagnostic {
    Diagnostic::warning(
        rel,
        Pos::start(),
        "symlink",
        "symbolic links in the theme are not followed",
    )
    .hint("copy the files into the theme instead of linking to them")
}

/// Every regular file under `root/rel` (a folder, not a link), with `/`-separated names
/// from there; links and special files are reported and left out.
fn read_tree(
    root: &Path,
    rel: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<(String, Vec<u8>)>> {
    use std::io::Read;
    let dir = root.join(rel);
    let mut out = Vec::new();
    let walker = WalkDir::new(&dir)
        .follow_links(false)
        .follow_root_links(false)
        .sort_by_file_name();
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(&dir).to_path_buf();
            Error::io(
                "read",
                &path,
                e.into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("file system loop")),
            )
        })?;
        let name = entry
            .path()
            .strip_prefix(&dir)
            .map(|p| {
                p.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if entry.file_type().is_dir() || hidden {
            continue;
        }
        let at = format!("{rel}/{name}");
        if entry.path_is_symlink() {
            diagnostics.push(symlink(&at));
            continue;
        }
        let (file, size) = match files::open(entry.path()) {
            Ok(Opened::File(file, size)) => (file, size),
            Ok(Opened::Not(what)) => {
                diagnostics.push(crate::load::refused::not_a_file(&at, what));
                continue;
            }
            Err(e) => return Err(Error::io("read", entry.path(), e)),
        };
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        file.take(size)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("read", entry.path(), e))?;
        out.push((name, bytes));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping_matches_teras_own() {
        for text in [
            "",
            "plain words",
            r#"<script>alert("x")</script> & 'quoted' > less"#,
            "ends with &",
            "é <ü> ✓",
        ] {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            super::escape_html(text, &mut ours).expect("written to memory");
            tera::escape_html(text, &mut teras).expect("written to memory");
            assert_eq!(ours, teras, "{text}");
        }
    }
}
