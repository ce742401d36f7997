//! Files published as they are — every file of `content/media/`, and the files of
//! `content/data/` that a page links to — may only be inert: nothing a reader's browser
//! could run.
//!
//! In: the content folder, the file's name there (`media/ward.png`) and its size limit.
//! Out: `unsafe-media` errors for a type outside the allow-list (`TYPES`: HTML, XML,
//! scripts, Flash and anything unknown are refused), for bytes that are not what the
//! extension says (a `.png` that starts like `<svg`), and for an SVG that does not parse or
//! holds script, event handlers, `foreignObject`, HTML, `javascript:` or `data:` links,
//! references outside the file or a DOCTYPE (`svg.rs`); `too-large` over the limit; and the
//! SVG's text when it was read, to show under its diagnostics. Reads the file's first bytes
//! (or a whole SVG, within its limit) and writes nothing.

mod svg;

use std::io::Read;
use std::path::Path;

use crate::model::diagnostic::{Diagnostic, Pos};
use crate::sys::files;
use crate::sys::files::Opened;

/// What the bytes of an allowed type must look like.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// PNG, JPEG, GIF, WebP or AVIF: any of their signatures, as browsers go by the bytes.
    Image,
    Pdf,
    /// Office Open XML and OpenDocument files, which are ZIP archives.
    Zip,
    /// Word, Excel and PowerPoint files of before 2007.
    Ole,
    /// Text that must not start like a web page.
    Text,
    /// Parsed and checked element by element.
    Svg,
}

/// The types that are published, by extension (in lower case).
const TYPES: &[(&str, Kind)] = &[
    ("png", Kind::Image),
    ("jpg", Kind::Image),
    ("jpeg", Kind::Image),
    ("gif", Kind::Image),
    ("webp", Kind::Image),
    ("avif", Kind::Image),
    ("svg", Kind::Svg),
    ("pdf", Kind::Pdf),
    ("docx", Kind::Zip),
    ("xlsx", Kind::Zip),
    ("pptx", Kind::Zip),
    ("odt", Kind::Zip),
    ("ods", Kind::Zip),
    ("odp", Kind::Zip),
    ("doc", Kind::Ole),
    ("xls", Kind::Ole),
    ("ppt", Kind::Ole),
    ("csv", Kind::Text),
    ("tsv", Kind::Text),
    ("txt", Kind::Text),
    ("json", Kind::Text),
];

/// Types that a browser runs or renders as a page, named in the message.
const ACTIVE: &[&str] = &[
    "html", "htm", "xhtml", "xht", "shtml", "mht", "mhtml", "xml", "xsl", "xslt", "rss", "atom",
    "js", "mjs", "cjs", "swf", "svgz", "hta", "wasm", "php",
];

/// How much of a file is read to tell its type.
const HEAD: u64 = 1024;

/// What checking one file found.
pub struct Checked {
    pub diagnostics: Vec<Diagnostic>,
    /// The text of an SVG with findings, to show under them.
    pub source: Option<String>,
}

/// Checks the file `name` of `content` (`media/x.png`), held to `limit` bytes (the
/// setting `limits.<limit.1>`) unless `limit` is `None` (a CSV data file, held to its
/// limit when it is read).
pub fn check(content: &Path, name: &str, limit: Option<(u64, &str)>) -> Checked {
    let rel = format!("content/{name}");
    let mut checked = Checked {
        diagnostics: Vec::new(),
        source: None,
    };
    let file_name = name.rsplit('/').next().unwrap_or(name);
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let Some(kind) = kind_of(&ext) else {
        checked.diagnostics.push(refused_type(&rel, &ext));
        return checked;
    };
    let path = content.join(name);
    let (file, size) = match files::open(&path) {
        Ok(Opened::File(file, size)) => (file, size),
        Ok(Opened::Not(what)) => {
            checked
                .diagnostics
                .push(crate::load::refused::not_a_file(&rel, what));
            return checked;
        }
        Err(e) => {
            checked.diagnostics.push(unreadable(&rel, &e));
            return checked;
        }
    };
    if let Some((max, setting)) = limit
        && size > max
    {
        checked.diagnostics.push(crate::load::refused::too_large(
            &rel,
            size,
            max,
            Some(setting),
        ));
        return checked;
    }
    let mut bytes = Vec::new();
    // An SVG is read whole (within its limit, or the data limit it was held to at load).
    let take = if kind == Kind::Svg { size } else { HEAD };
    if let Err(e) = file.take(take).read_to_end(&mut bytes) {
        checked.diagnostics.push(unreadable(&rel, &e));
        return checked;
    }
    match kind {
        Kind::Svg => {
            let found = svg::check(&rel, bytes);
            checked.diagnostics = found.0;
            checked.source = found.1.filter(|_| !checked.diagnostics.is_empty());
        }
        Kind::Text if looks_like_markup(&bytes) => {
            checked.diagnostics.push(
                Diagnostic::error(
                    &rel,
                    Pos::start(),
                    "unsafe-media",
                    format!("this `.{ext}` file starts like a web page, which a browser may run"),
                )
                .hint("remove the markup from its start, or publish it as the type it is"),
            );
        }
        Kind::Text => {}
        kind if !starts_as(kind, &bytes) => {
            let what = match kind {
                Kind::Image => "an image",
                Kind::Pdf => "a PDF",
                _ => "an office document",
            };
            let like = match looks_like_markup(&bytes) {
                true => ": it starts like a web page or an SVG, which a browser may run",
                false => "",
            };
            checked.diagnostics.push(
                Diagnostic::error(
                    &rel,
                    Pos::start(),
                    "unsafe-media",
                    format!("this `.{ext}` file does not hold {what}{like}"),
                )
                .hint(
                    "save it again from the program that made it, with the extension of its type",
                ),
            );
        }
        _ => {}
    }
    checked
}

fn kind_of(ext: &str) -> Option<Kind> {
    TYPES.iter().find(|(e, _)| *e == ext).map(|(_, kind)| *kind)
}

fn refused_type(rel: &str, ext: &str) -> Diagnostic {
    let message = if ext.is_empty() {
        "a file without an extension is not published, as a browser would guess its type"
            .to_string()
    } else if ACTIVE.contains(&ext) {
        format!("`.{ext}` files can run script in a reader's browser and are not published")
    } else {
        format!("`.{ext}` files are not published: only types that a browser cannot run are")
    };
    Diagnostic::error(rel, Pos::start(), "unsafe-media", message).hint(
        "publish images (PNG, JPEG, GIF, WebP, AVIF, SVG without script), PDF, office documents, CSV, JSON or plain text; write a page as a document",
    )
}

fn unreadable(rel: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        rel,
        Pos::start(),
        "unreadable",
        format!("the file cannot be read: {}", e.kind()),
    )
    .hint("make it readable by the user that runs lantern, or remove it")
}

/// Whether `bytes` start with the signature of `kind`.
fn starts_as(kind: Kind, bytes: &[u8]) -> bool {
    match kind {
        Kind::Image => {
            bytes.starts_with(b"\x89PNG\r\n\x1a\n")
                || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
                || bytes.starts_with(b"GIF87a")
                || bytes.starts_with(b"GIF89a")
                || (bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP"))
                || (bytes.get(4..8) == Some(b"ftyp")
                    && matches!(bytes.get(8..12), Some(b"avif" | b"avis" | b"mif1")))
        }
        Kind::Pdf => bytes.starts_with(b"%PDF-"),
        Kind::Zip => bytes.starts_with(b"PK\x03\x04"),
        Kind::Ole => bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
        Kind::Text | Kind::Svg => true,
    }
}

/// Whether `bytes` start, after a byte-order mark and white space, with a tag, a comment,
/// a DOCTYPE or an XML declaration: what makes a browser take a file for a page.
fn looks_like_markup(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    let Some(rest) = start.map(|i| &bytes[i..]) else {
        return false;
    };
    rest.first() == Some(&b'<')
        && rest
            .get(1)
            .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'!' | b'?' | b'/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_markup_and_signatures() {
        assert!(looks_like_markup(b"\xEF\xBB\xBF \n<svg xmlns"));
        assert!(looks_like_markup(b"<!doctype html>"));
        assert!(looks_like_markup(b"<?xml version"));
        assert!(!looks_like_markup(b"period,value\n<5,3\n"));
        assert!(!looks_like_markup(b"< 5 years"));
        assert!(starts_as(Kind::Image, b"\xFF\xD8\xFF\xE0 jpeg"));
        assert!(starts_as(Kind::Image, b"RIFF\0\0\0\0WEBPVP8 "));
        assert!(!starts_as(Kind::Image, b"<svg onload=alert(1)>"));
        assert!(!starts_as(Kind::Pdf, b"<html>%PDF-"));
    }

    #[test]
    fn every_allowed_type_has_a_kind_and_none_is_active() {
        for (ext, _) in TYPES {
            assert!(kind_of(ext).is_some(), "{ext}");
            assert!(!ACTIVE.contains(ext), "{ext}");
        }
    }
}
