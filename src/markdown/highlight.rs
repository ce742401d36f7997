//! Syntax highlighting of fenced code blocks with syntect, as CSS classes (`hl-*`) so that
//! the theme's stylesheet decides the colours. The syntax set is loaded the first time a code
//! block needs it, never for a library without code. A block repeated across documents
//! (the same query or analysis script shared by several sites) is highlighted once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Highlighted blocks by language and code, shared by the threads of a build.
type Cache = Mutex<HashMap<(String, String), Arc<str>>>;

/// How many highlighted blocks the cache holds before it starts again, so that a long
/// `serve` session editing code does not grow it without end.
const CACHE_LIMIT: usize = 4096;

/// The HTML of one code block: highlighted when the language is known, escaped otherwise.
pub fn code_block(lang: &str, code: &str) -> String {
    if lang.is_empty() {
        return format!("<pre class=\"code\"><code>{}</code></pre>\n", escape(code));
    }
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (lang.to_string(), code.to_string());
    let known = cache.lock().ok().and_then(|c| c.get(&key).cloned());
    let inner = known.unwrap_or_else(|| {
        let inner: Arc<str> = highlight(lang, code).into();
        if let Ok(mut c) = cache.lock() {
            if c.len() >= CACHE_LIMIT {
                c.clear();
            }
            c.insert(key, inner.clone());
        }
        inner
    });
    let lang_attr = escape(lang);
    format!(
        "<pre class=\"code\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{inner}</code></pre>\n"
    )
}

/// The inside of a code block in `lang`: highlighted when syntect knows the language,
/// escaped otherwise.
fn highlight(lang: &str, code: &str) -> String {
    let set = syntaxes();
    let Some(syntax) = set.find_syntax_by_token(lang) else {
        return escape(code);
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
    let ok = LinesWithEndings::from(code).all(|line| {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .is_ok()
    });
    if ok {
        generator.finalize()
    } else {
        escape(code)
    }
}

/// The stylesheet for the highlighting classes, from syntect's InspiredGitHub theme.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    themes
        .themes
        .get("InspiredGitHub")
        .and_then(|theme| css_for_theme_with_class_style(theme, STYLE).ok())
        .unwrap_or_default()
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_known_languages_and_escapes_others() {
        let html = code_block("rust", "let x = 1;\n");
        assert!(html.contains("class=\"hl-"), "{html}");
        let plain = code_block("nosuchlang", "<b>\n");
        assert!(plain.contains("&lt;b&gt;"), "{plain}");
        assert!(stylesheet().contains(".hl-"));
    }

    #[test]
    fn a_repeated_block_comes_out_as_the_first() {
        let code = "SELECT period FROM births;\n";
        let first = code_block("sql", code);
        assert!(first.contains("class=\"hl-"), "{first}");
        assert_eq!(code_block("sql", code), first);
        // The same code in another language is highlighted for that language.
        assert_ne!(code_block("rust", code), first);
    }
}
