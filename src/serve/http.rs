//! Answering requests from the site in memory: request paths in, files of the built site
//! out, never anything else. No path reaches the disk, so `..` in any encoding, symlinks
//! and directory listings cannot happen; they are refused anyway.

use std::collections::HashMap;
use std::sync::Arc;

use percent_encoding::percent_decode_str;

/// The live-reload script's address and the event stream it listens to.
pub const LIVE_JS: &str = "/__lantern/live.js";
pub const EVENTS: &str = "/__lantern/events";

/// Reloads the page when the server says the site was rebuilt.
pub const LIVE_SCRIPT: &str = "(() => {\n  const page = encodeURIComponent(location.pathname);\n  const events = new EventSource('/__lantern/events?page=' + page);\n  events.addEventListener('reload', () => location.reload());\n})();\n";

/// A built site in memory, and the diagnostics of the last build when it failed.
#[derive(Debug, Default)]
pub struct Site {
    pub files: HashMap<String, Arc<[u8]>>,
    /// HTML listing the errors of the last build, shown over every page until fixed.
    pub overlay: Option<String>,
}

/// What to answer.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    File {
        body: Vec<u8>,
        content_type: &'static str,
    },
    /// A folder's address without its slash: go to it with one.
    Redirect(String),
    NotFound,
}

/// The site path a request target names (`/a/b/` → `a/b/index.html`), or `None` when it
/// is not a plain path inside the site: `..` or `.` segments (encoded or not), encoded
/// slashes, backslashes, NUL or text that is not UTF-8.
pub fn site_path(target: &str) -> Option<String> {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    let rest = path.strip_prefix('/')?;
    let mut segments = Vec::new();
    for raw in rest.split('/') {
        let segment = percent_decode_str(raw).decode_utf8().ok()?;
        if segment == ".." || segment == "." || segment.contains(['/', '\\', '\0']) {
            return None;
        }
        segments.push(segment.into_owned());
    }
    let mut joined = segments.join("/");
    if joined.is_empty() || joined.ends_with('/') {
        joined.push_str("index.html");
    }
    // Empty segments (`a//b`) would name nothing the site has.
    if joined.split('/').any(str::is_empty) {
        return None;
    }
    Some(joined)
}

/// The answer to `GET target`.
pub fn answer(site: &Site, target: &str) -> Answer {
    let Some(path) = site_path(target) else {
        return Answer::NotFound;
    };
    if let Some(body) = site.files.get(&path) {
        let content_type = content_type(&path);
        let body = if content_type.starts_with("text/html") {
            inject(body, site.overlay.as_deref())
        } else {
            body.to_vec()
        };
        return Answer::File { body, content_type };
    }
    // `/search` for `/search/`, from the checked path rather than the request's text.
    if site.files.contains_key(&format!("{path}/index.html")) {
        return Answer::Redirect(format!("/{}/", crate::model::url::encode_path(&path)));
    }
    Answer::NotFound
}

/// The site's 404 page, with the reload script (a page not there yet appears once saved)
/// and the overlay.
pub fn not_found(site: &Site) -> Vec<u8> {
    match site.files.get("404.html") {
        Some(page) => inject(page, site.overlay.as_deref()),
        None => inject(
            b"<!doctype html><title>Not found</title><body><p>Not found.</p></body>",
            site.overlay.as_deref(),
        ),
    }
}

/// The page with the live-reload script, and the overlay of errors when there is one.
fn inject(page: &[u8], overlay: Option<&str>) -> Vec<u8> {
    let page = String::from_utf8_lossy(page);
    let mut extra = format!("<script src=\"{LIVE_JS}\"></script>");
    if let Some(overlay) = overlay {
        extra.push_str(overlay);
    }
    match page.rfind("</body>") {
        Some(at) => format!("{}{extra}{}", &page[..at], &page[at..]).into_bytes(),
        None => format!("{page}{extra}").into_bytes(),
    }
}

/// The overlay that lists the errors of a failed build (already rendered as plain text).
pub fn overlay(diagnostics: &str) -> String {
    format!(
        "<div id=\"lantern-errors\" role=\"alert\" style=\"position:fixed;inset:1rem;z-index:99999;overflow:auto;background:#fff;color:#212b32;border:6px solid #d5281b;padding:1rem 1.5rem;font:16px/1.5 system-ui,sans-serif;box-shadow:0 0 0 100vmax rgba(0,0,0,.4)\"><h2 style=\"margin-top:0;color:#d5281b\">The library has errors</h2><p>This is the last build that worked. Fix the problems below and save: the page reloads by itself.</p><pre style=\"white-space:pre-wrap;font:14px/1.4 ui-monospace,monospace\">{}</pre></div>",
        crate::markdown::highlight::escape(diagnostics)
    )
}

/// The content security policy of a file that a browser could open as a document of its
/// own though it is not a page: an SVG may load and run nothing (its styles and embedded
/// pictures aside), whatever it holds.
pub fn policy(content_type: &str) -> Option<&'static str> {
    (content_type == "image/svg+xml")
        .then_some("default-src 'none'; style-src 'unsafe-inline'; img-src data:")
}

/// The content type of a site file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site {
        let mut files = HashMap::new();
        files.insert(
            "index.html".to_string(),
            Arc::from(&b"<html><body>home</body></html>"[..]),
        );
        files.insert(
            "search/index.html".to_string(),
            Arc::from(&b"<body>s</body>"[..]),
        );
        files.insert("assets/style.css".to_string(), Arc::from(&b"body{}"[..]));
        files.insert("media/chart 100%.png".to_string(), Arc::from(&b"png"[..]));
        Site {
            files,
            overlay: None,
        }
    }

    #[test]
    fn paths_map_to_site_files() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(site_path("/a/b/?q=1").as_deref(), Some("a/b/index.html"));
        assert_eq!(
            site_path("/media/chart%20100%25.png").as_deref(),
            Some("media/chart 100%.png")
        );
    }

    #[test]
    fn escapes_are_refused_in_every_spelling() {
        for target in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E/Cargo.toml",
            "/..%2fCargo.toml",
            "/..%5cCargo.toml",
            "/a/../../Cargo.toml",
            "/./index.html",
            "/a%00b",
            "/%ff",
            "//etc/passwd",
            "relative",
        ] {
            assert_eq!(site_path(target), None, "{target}");
            assert_eq!(answer(&site(), target), Answer::NotFound, "{target}");
        }
    }

    #[test]
    fn pages_get_the_reload_script_and_the_overlay() {
        let mut s = site();
        let Answer::File { body, content_type } = answer(&s, "/") else {
            panic!("the home page")
        };
        assert_eq!(content_type, "text/html; charset=utf-8");
        let body = String::from_utf8_lossy(&body).into_owned();
        assert!(
            body.contains("<script src=\"/__lantern/live.js\"></script></body>"),
            "{body}"
        );
        s.overlay = Some(overlay("content/a.md:1:1: error <b>"));
        let Answer::File { body, .. } = answer(&s, "/") else {
            panic!("the home page")
        };
        let body = String::from_utf8_lossy(&body).into_owned();
        assert!(
            body.contains("lantern-errors") && body.contains("error &lt;b&gt;"),
            "{body}"
        );
        // Other files are served as they are.
        let Answer::File { body, content_type } = answer(&s, "/assets/style.css") else {
            panic!("the stylesheet")
        };
        assert_eq!(
            (body.as_slice(), content_type),
            (&b"body{}"[..], "text/css; charset=utf-8")
        );
    }

    #[test]
    fn folders_without_a_slash_redirect_and_nothing_else_is_listed() {
        assert_eq!(
            answer(&site(), "/search"),
            Answer::Redirect("/search/".to_string())
        );
        assert_eq!(answer(&site(), "/assets/"), Answer::NotFound);
        assert_eq!(answer(&site(), "/nothing.html"), Answer::NotFound);
    }
}
