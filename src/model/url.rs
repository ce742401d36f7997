//! Site paths and relative URLs. Every page links to every other with a relative URL that
//! names `index.html`, so the built site works from any base path and opened from disk.

/// What a link destination written in a document is.
#[derive(Debug, PartialEq, Eq)]
pub enum Dest<'a> {
    Empty,
    /// `https:`, `http:`, `mailto:` or `tel:`.
    External,
    /// `//host/path`: resolves against `file:` when the site is opened from disk.
    ProtocolRelative,
    /// Any other scheme (`javascript:`, `data:`...).
    Unsafe(String),
    /// Starts with `/`.
    Absolute,
    /// `#anchor` in the same document.
    Fragment(&'a str),
    /// A path relative to the document's folder, percent-decoded, with its anchor.
    Relative {
        path: String,
        fragment: Option<&'a str>,
    },
}

const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

pub fn classify(dest: &str) -> Dest<'_> {
    let dest = dest.trim();
    if dest.is_empty() {
        return Dest::Empty;
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        return Dest::Fragment(anchor);
    }
    if dest.starts_with("//") || dest.starts_with("\\\\") {
        return Dest::ProtocolRelative;
    }
    if let Some(scheme) = scheme(dest) {
        let lower = scheme.to_ascii_lowercase();
        return if SAFE_SCHEMES.contains(&lower.as_str()) {
            Dest::External
        } else {
            Dest::Unsafe(lower)
        };
    }
    if dest.starts_with('/') || dest.starts_with('\\') {
        return Dest::Absolute;
    }
    let (rest, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let path = rest.split('?').next().unwrap_or(rest);
    Dest::Relative {
        path: percent_decode(path),
        fragment,
    }
}

/// The scheme of an absolute URL (`javascript` in `javascript:x`), if it has one.
fn scheme(dest: &str) -> Option<&str> {
    let colon = dest.find(':')?;
    let s = &dest[..colon];
    let mut chars = s.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)))
        .then_some(s)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Joins a relative path to a folder under `content/`, resolving `.` and `..`. `None` when the
/// result would leave `content/`.
pub fn join(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
                if parts.is_empty() {
                    return None;
                }
            }
            p => parts.push(p),
        }
    }
    (parts.first() == Some(&"content") && parts.len() > 1).then(|| parts.join("/"))
}

/// Percent-encodes a site path for use in a URL, keeping `/` and unreserved characters.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The file that serves a directory-form site path (`a/b/` → `a/b/index.html`).
pub fn page_file(url: &str) -> String {
    format!("{url}index.html")
}

/// The prefix that leads from the page at directory-form `from` back to the site root.
pub fn root(from: &str) -> String {
    "../".repeat(from.matches('/').count())
}

/// A relative URL from the page at directory-form `from` to the site path `to`.
pub fn relative(from: &str, to: &str) -> String {
    root(from) + to
}

pub fn fragment_suffix(fragment: Option<&str>) -> String {
    fragment.map_or(String::new(), |f| format!("#{f}"))
}

/// The path of file `to` relative to the folder of file `from` (both under the library root).
pub fn relative_file(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from.split('/').collect();
    let from_dir = &from_dir[..from_dir.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from_dir.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

/// The output file an alias redirects from: `old/path` → `old/path/index.html`, `old.html`
/// stays a file. Errors say why an alias cannot be used.
pub fn alias_path(alias: &str) -> Result<String, &'static str> {
    if scheme(alias).is_some() || alias.starts_with("//") {
        return Err("must be a path inside the site, not a full address");
    }
    let trimmed = alias.trim_matches('/');
    if trimmed.is_empty() {
        return Err("is the home page");
    }
    for part in trimmed.split('/') {
        if part.is_empty() || part == "." || part == ".." {
            return Err("must not contain empty, `.` or `..` parts");
        }
        if !part
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.~".contains(c))
        {
            return Err("may use only lower-case letters, digits, `-`, `_`, `.` and `~`");
        }
    }
    if trimmed.ends_with(".html") {
        Ok(trimmed.to_string())
    } else {
        Ok(format!("{trimmed}/index.html"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_destinations() {
        assert_eq!(classify("https://nhs.uk"), Dest::External);
        assert_eq!(
            classify("JavaScript:alert(1)"),
            Dest::Unsafe("javascript".into())
        );
        assert_eq!(classify("/about/"), Dest::Absolute);
        assert_eq!(classify("#results"), Dest::Fragment("results"));
        assert_eq!(
            classify("../a%20b.md#x"),
            Dest::Relative {
                path: "../a b.md".into(),
                fragment: Some("x")
            }
        );
    }

    #[test]
    fn joins_inside_content_only() {
        assert_eq!(
            join("content/interventions", "../evaluations/e.md").as_deref(),
            Some("content/evaluations/e.md")
        );
        assert_eq!(join("content/interventions", "../../README.md"), None);
        assert_eq!(join("content/interventions", "../../../etc/passwd"), None);
    }

    #[test]
    fn makes_relative_urls() {
        assert_eq!(
            relative("interventions/a/", "evaluations/b/index.html"),
            "../../evaluations/b/index.html"
        );
        assert_eq!(relative("", "about/index.html"), "about/index.html");
        assert_eq!(
            relative_file("content/interventions/a.md", "content/evaluations/b.md"),
            "../evaluations/b.md"
        );
        assert_eq!(alias_path("/old/pph/").as_deref(), Ok("old/pph/index.html"));
        assert!(alias_path("../x").is_err());
        assert!(alias_path("https://x.org/").is_err());
        assert!(alias_path("Old/Page/").is_err());
        assert_eq!(
            encode_path("media/c#d 100%.png"),
            "media/c%23d%20100%25.png"
        );
        assert_eq!(classify("//evil.example/x"), Dest::ProtocolRelative);
    }
}
