//! Small string helpers shared by titles, summaries and prose.

pub fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

pub fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// Cuts `s` at a word boundary so that it is at most `max` characters long.
pub fn fit(s: String, max: usize) -> String {
    if s.len() <= max {
        return s;
    }
    let cut = s[..max - 1].rfind(' ').unwrap_or(max - 1);
    let mut short = s[..cut].trim_end_matches([',', ';', ':']).to_string();
    short.push('.');
    short
}
