//! The theme: Tera templates and static assets. The default theme is compiled into the binary
//! so a library without a `themes/` folder still builds; files in the library's
//! `themes/default/templates/` and `themes/default/static/` override it file by file.
//!
//! In: the library root. Out: a [`Theme`] holding every template's text and every static
//! file's bytes, and a ready [`tera::Tera`] made from them.

use std::path::Path;

use walkdir::WalkDir;

use crate::error::{Error, Result};

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/templates/", $name)))),*]
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
        include_bytes!("../themes/default/static/style.css"),
    ),
    (
        "search.js",
        include_bytes!("../themes/default/static/search.js"),
    ),
];

/// Templates and static files, built-in ones overridden by the library's.
pub struct Theme {
    pub templates: Vec<(String, String)>,
    pub statics: Vec<(String, Vec<u8>)>,
}

impl Theme {
    /// The built-in theme with the library's overrides from `root/themes/default/`.
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
        };
        let dir = root.join("themes").join("default");
        for (name, bytes) in read_tree(&dir.join("templates"))? {
            let text = String::from_utf8(bytes).map_err(|_| {
                Error::Other(format!(
                    "template {name} is not UTF-8 text: save it as UTF-8"
                ))
            })?;
            replace(&mut theme.templates, name, text);
        }
        for (name, bytes) in read_tree(&dir.join("static"))? {
            replace(&mut theme.statics, name, bytes);
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

/// Every regular file under `dir` (none when it does not exist), with `/`-separated names.
fn read_tree(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::io(
                "read",
                &path,
                e.into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("file system loop")),
            )
        })?;
        if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let name = entry
            .path()
            .strip_prefix(dir)
            .map(|p| {
                p.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default();
        let bytes = std::fs::read(entry.path()).map_err(|e| Error::io("read", entry.path(), e))?;
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
