//! The load stage: reads the library folder into memory.
//!
//! In: the root folder holding `content/`. Out: a [`Library`] (config, documents, the names of
//! media and data files, the text of CSV data files and of other data files that are UTF-8
//! text) and the diagnostics of reading it: file names that are not slugs, files that are
//! not UTF-8, empty files, front matter problems, media files that are not inert or over
//! their limit ([`crate::load::media`]), and anything that is not a regular file. Reads files,
//! writes nothing.

pub mod config;
pub mod fields;
pub mod kinds;
pub mod media;
mod refused;
pub mod schema;
pub mod theme;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::model::diagnostic::{Diagnostic, LineIndex, Pos};
use crate::model::error::{Error, Result};
use crate::model::{Kind, Library, slug};
use crate::sys::files::Opened;
use refused::{not_a_file, too_large};

/// What loading produced: the library, its diagnostics, and the text of every file read (for
/// showing source lines under diagnostics).
pub struct Loaded {
    pub library: Library,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: BTreeMap<String, Arc<str>>,
}

/// A Markdown file found under a type folder.
struct Found {
    kind: Kind,
    rel: String,
    path: std::path::PathBuf,
}

/// Loads `root/content`.
pub fn load(root: &Path) -> Result<Loaded> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Error::Other(format!(
            "no content folder at {}: run lantern in the library folder, or pass --root DIR",
            content.display()
        )));
    }
    let mut diagnostics = Vec::new();
    let mut sources = BTreeMap::new();
    let config_path = content.join("library.yaml");
    // The limits are set in this file, so it is held to a fixed one that no setting raises.
    let config_limit = (CONFIG_BYTES, None);
    let config = match std::fs::symlink_metadata(&config_path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            diagnostics.push(config::missing_file());
            Default::default()
        }
        // Like every file under content/, it is never read through a link.
        Ok(meta) if meta.is_symlink() => {
            diagnostics.push(
                Diagnostic::error(
                    config::PATH,
                    Pos::start(),
                    "symlink",
                    "library.yaml is a symbolic link, which is not followed",
                )
                .hint("copy the file into content/ instead of linking to it"),
            );
            Default::default()
        }
        _ => match read(&config_path, config::PATH, config_limit, &mut diagnostics) {
            Some(bytes) => match decode_text(config::PATH, bytes, &mut diagnostics) {
                Some(text) => {
                    let config = config::parse(&text, &mut diagnostics);
                    sources.insert(config::PATH.to_string(), Arc::from(text));
                    config
                }
                None => Default::default(),
            },
            None => Default::default(),
        },
    };
    let mut library = Library {
        config,
        ..Library::default()
    };
    let found = walk(&content, &mut library, &mut diagnostics)?;
    let results: Vec<_> = found
        .into_par_iter()
        .map(|f| read_doc(f, &library.config))
        .collect::<Result<_>>()?;
    for (doc, diags) in results {
        diagnostics.extend(diags);
        if let Some(doc) = doc {
            sources.insert(doc.path.clone(), doc.text.clone());
            library.docs.push(doc);
        }
    }
    library.docs.sort_by(|a, b| a.path.cmp(&b.path));
    // Every media file is published as it is: only inert ones, within their limit.
    let limit = (library.config.limits.media_bytes, "media_bytes");
    let media: Vec<_> = library
        .media
        .par_iter()
        .map(|name| (name, crate::load::media::check(&content, name, Some(limit))))
        .collect();
    for (name, checked) in media {
        diagnostics.extend(checked.diagnostics);
        if let Some(text) = checked.source {
            sources.insert(format!("content/{name}"), Arc::from(text));
        }
    }
    let limit = (library.config.limits.data_bytes, Some("data_bytes"));
    let tables: Vec<(String, Option<String>, Vec<Diagnostic>)> = library
        .data
        .par_iter()
        .map(|name| {
            let rel = format!("content/{name}");
            let path = content.join(name);
            let mut diags = Vec::new();
            let text = if name.to_ascii_lowercase().ends_with(".csv") {
                read(&path, &rel, limit, &mut diags)
                    .and_then(|bytes| decode(&rel, bytes, &mut diags))
            } else {
                read_if_text(&path, limit.0)
            };
            (name.clone(), text, diags)
        })
        .collect();
    for (name, text, diags) in tables {
        diagnostics.extend(diags);
        if let Some(text) = text {
            let text: Arc<str> = Arc::from(text);
            sources.insert(format!("content/{name}"), text.clone());
            library.tables.insert(name, text);
        }
    }
    Ok(Loaded {
        library,
        diagnostics,
        sources,
    })
}

/// Walks `content/`, sorting files into documents, media and data.
fn walk(
    content: &Path,
    library: &mut Library,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<Found>> {
    let mut found = Vec::new();
    let walker = WalkDir::new(content)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walker
        .into_iter()
        .filter_entry(|e| !is_hidden(e.file_name()))
    {
        // A folder that cannot be listed is reported where it is; the walk goes on.
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(content).to_path_buf();
                let rel = path.strip_prefix(content).unwrap_or(&path);
                let rel = format!("content/{}", rel.to_string_lossy()).replace('\\', "/");
                let why = e.io_error().map_or_else(
                    || "a folder contains itself".to_string(),
                    |io| io.kind().to_string(),
                );
                diagnostics.push(
                    Diagnostic::error(
                        rel.trim_end_matches('/'),
                        Pos::start(),
                        "unreadable",
                        format!("the folder cannot be read: {why}"),
                    )
                    .hint("make it readable by the user that runs lantern, or remove it"),
                );
                continue;
            }
        };
        let Ok(rel) = entry.path().strip_prefix(content) else {
            continue;
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let rel_path = format!("content/{}", parts.join("/"));
        if entry.path_is_symlink() {
            diagnostics.push(
                Diagnostic::warning(
                    &rel_path,
                    Pos::start(),
                    "symlink",
                    "symbolic links are not followed",
                )
                .hint("copy the file into the library instead of linking to it"),
            );
            continue;
        }
        if entry.file_type().is_dir() {
            continue;
        }
        if let Some(what) = crate::sys::files::special(&entry.file_type()) {
            diagnostics.push(not_a_file(&rel_path, what));
            continue;
        }
        let published = matches!(parts.first().map(String::as_str), Some("media" | "data"));
        if published
            && parts
                .iter()
                .any(|p| p.chars().any(|c| c == '\\' || c.is_control()))
        {
            diagnostics.push(
                Diagnostic::error(
                    &rel_path,
                    Pos::start(),
                    "invalid-file-name",
                    "this file name cannot be published",
                )
                .hint("rename it without backslashes or control characters"),
            );
            continue;
        }
        match parts.first().map(String::as_str) {
            Some("media") if parts.len() > 1 => library.media.push(parts.join("/")),
            Some("data") if parts.len() > 1 => library.data.push(parts.join("/")),
            Some("library.yaml") if parts.len() == 1 => {}
            Some(folder) => {
                let kind = Kind::from_folder(folder).filter(|_| parts.len() == 2);
                let is_md = rel_path.ends_with(".md");
                match kind {
                    Some(kind) if is_md => found.push(Found {
                        kind,
                        rel: rel_path,
                        path: entry.path().to_path_buf(),
                    }),
                    _ if is_md => diagnostics.push(
                        Diagnostic::warning(&rel_path, Pos::start(), "unknown-folder", "this file is not in a document folder and is not published")
                            .hint("move it to content/interventions, evaluations, case-studies, sites or pages"),
                    ),
                    Some(_) => diagnostics.push(
                        Diagnostic::warning(&rel_path, Pos::start(), "not-markdown", "only .md files are read in document folders")
                            .hint("rename it to end in .md, or move it to content/media or content/data"),
                    ),
                    None => {}
                }
            }
            None => {}
        }
    }
    Ok(found)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.ends_with('~') || name.starts_with('#')
}

pub type DocResult = (Option<crate::model::Doc>, Vec<Diagnostic>);

/// Reads one document again, as loading did (`rel` is `content/<folder>/<slug>.md`): for
/// `serve`, when only that file changed. `None` when the path is not a document's.
pub fn read_document(
    root: &Path,
    rel: &str,
    config: &crate::model::Config,
) -> Result<Option<DocResult>> {
    let parts: Vec<&str> = rel.split('/').collect();
    let kind = match parts.as_slice() {
        ["content", folder, name] if name.ends_with(".md") => Kind::from_folder(folder),
        _ => None,
    };
    let Some(kind) = kind else { return Ok(None) };
    let found = Found {
        kind,
        rel: rel.to_string(),
        path: root.join(rel),
    };
    read_doc(found, config).map(Some)
}

fn read_doc(found: Found, config: &crate::model::Config) -> Result<DocResult> {
    let mut diagnostics = Vec::new();
    let limit = (config.limits.document_bytes, Some("document_bytes"));
    let Some(bytes) = read(&found.path, &found.rel, limit, &mut diagnostics) else {
        return Ok((None, diagnostics));
    };
    let file_name = found.rel.rsplit('/').next().unwrap_or_default();
    let stem = file_name.strip_suffix(".md").unwrap_or(file_name);
    if let Err(suggested) = slug::check(stem) {
        diagnostics.push(
            Diagnostic::error(
                &found.rel,
                Pos::start(),
                "invalid-slug",
                format!("file name `{file_name}` is not a valid slug"),
            )
            .hint(format!(
                "rename it to `{suggested}.md`: lower-case letters, digits and hyphens only"
            )),
        );
    } else if slug::is_reserved(found.kind, stem) {
        diagnostics.push(
            Diagnostic::error(
                &found.rel,
                Pos::start(),
                "reserved-slug",
                match found.kind {
                    Kind::Page => format!("`{stem}` is a name the site uses itself"),
                    kind => format!(
                        "`{stem}` is taken by the further pages of the {} listing ({}/page/2/)",
                        kind.name(),
                        kind.folder()
                    ),
                },
            )
            .hint(format!(
                "rename the file, e.g. `{stem}-{}.md`",
                found.kind.name()
            )),
        );
    }
    let Some(text) = decode_text(&found.rel, bytes, &mut diagnostics) else {
        return Ok((None, diagnostics));
    };
    let doc = fields::read(found.kind, stem, &found.rel, text, config, &mut diagnostics);
    Ok((Some(doc), diagnostics))
}

/// The largest `library.yaml` lantern reads, in bytes: fixed, as the limits are set in it.
pub const CONFIG_BYTES: u64 = 2_000_000;

/// Reads a file of at most `limit.0` bytes (the setting `limits.<limit.1>`, or fixed when
/// `None`); a larger file or one that cannot be read is a diagnostic at `rel`, and `None`.
/// Never reads past the limit, however large the file.
fn read(
    path: &Path,
    rel: &str,
    limit: (u64, Option<&str>),
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<u8>> {
    use std::io::Read;
    let (max, setting) = limit;
    let mut bytes = Vec::new();
    let read = crate::sys::files::open(path).and_then(|opened| {
        let (file, size) = match opened {
            Opened::File(file, size) => (file, size),
            Opened::Not(what) => {
                diagnostics.push(not_a_file(rel, what));
                return Ok(None);
            }
        };
        if size <= max {
            // Room for the whole file and the read that finds its end: a few reads, not
            // one per doubling of the buffer.
            bytes.reserve_exact(size as usize + 1);
            file.take(max + 1).read_to_end(&mut bytes)?;
        }
        Ok(Some(size.max(bytes.len() as u64)))
    });
    match read {
        Ok(None) => None,
        Ok(Some(size)) if size > max => {
            diagnostics.push(too_large(rel, size, max, setting));
            None
        }
        Ok(Some(_)) => Some(bytes),
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(
                    rel,
                    Pos::start(),
                    "unreadable",
                    format!("the file cannot be read: {}", e.kind()),
                )
                .hint("make it readable by the user that runs lantern, or remove it"),
            );
            None
        }
    }
}

/// The text of a data file that is not CSV, when it is UTF-8 text of at most `max` bytes,
/// for the patient-data check (a page may link to it, publishing it as it is); nothing for
/// any other file, which is not an error: a spreadsheet or an image may be published.
fn read_if_text(path: &Path, max: u64) -> Option<String> {
    use std::io::Read;
    // Never through a link, and never waiting on a pipe put in the file's place.
    let (file, size) = crate::sys::files::open_regular(path).ok()?;
    if size > max {
        return None;
    }
    let mut bytes = Vec::new();
    file.take(max).read_to_end(&mut bytes).ok()?;
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).ok()
}

/// Decodes a document or `library.yaml` as [`decode`] does, and refuses a carriage return
/// that is not followed by a line feed: YAML counts it as a line break where git, the
/// diagnostics and most tools do not, so no place in such a file could be named right.
pub(crate) fn decode_text(
    path: &str,
    bytes: Vec<u8>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let text = decode(path, bytes, diagnostics)?;
    let lone = text
        .match_indices('\r')
        .find(|(i, _)| text.as_bytes().get(i + 1) != Some(&b'\n'));
    let Some((at, _)) = lone else {
        return Some(text);
    };
    let pos = LineIndex::new(&text).pos(&text, at, 1);
    diagnostics.push(
        Diagnostic::error(
            path,
            pos,
            "line-ending",
            "this line ends in a carriage return alone",
        )
        .hint("save the file with LF or CRLF line endings (your editor's line ending setting)"),
    );
    None
}

/// Decodes UTF-8, dropping a byte-order mark; reports where the first invalid byte is.
pub(crate) fn decode(
    path: &str,
    mut bytes: Vec<u8>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let before = String::from_utf8_lossy(&bytes[..valid]);
            let pos = LineIndex::new(&before).pos(&before, before.len(), 1);
            diagnostics.push(
                Diagnostic::error(path, pos, "not-utf8", "the file is not UTF-8 text")
                    .hint("save it as UTF-8 in your editor (File > Save with encoding > UTF-8)"),
            );
            None
        }
    }
}
