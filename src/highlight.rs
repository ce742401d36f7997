//! Syntax highlighting of fenced code blocks with syntect, as CSS classes (`hl-*`) so that
//! the theme's stylesheet decides the colours. The syntax set is loaded the first time a code
//! block needs it, never for a library without code.

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The HTML of one code block: highlighted when the language is known, escaped otherwise.
pub fn code_block(lang: &str, code: &str) -> String {
    let lang_attr = escape(lang);
    let inner = if lang.is_empty() {
        escape(code)
    } else {
        let set = syntaxes();
        match set.find_syntax_by_token(lang) {
            Some(syntax) => {
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
            None => escape(code),
        }
    };
    if lang.is_empty() {
        format!("<pre class=\"code\"><code>{inner}</code></pre>\n")
    } else {
        format!(
            "<pre class=\"code\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{inner}</code></pre>\n"
        )
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
}
