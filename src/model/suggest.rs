//! "Did you mean" hints: the nearest known name to a likely typo.

/// "did you mean `x`?" or the list of choices.
pub fn choice_hint<'a>(text: &str, choices: impl Iterator<Item = &'a str> + Clone) -> String {
    match suggest(text, choices.clone()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => {
            let all: Vec<&str> = choices.collect();
            format!("use one of: {}", all.join(", "))
        }
    }
}

/// The nearest candidate to `text`, if one is close enough to be a likely typo.
pub fn suggest<'a>(text: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = text.to_lowercase();
    candidates
        .map(|c| (strsim::damerau_levenshtein(&lower, c), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).clamp(1, 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let fields = ["title", "summary", "sites", "priority_areas"];
        assert_eq!(suggest("titel", fields.iter().copied()), Some("title"));
        assert_eq!(
            suggest("priority_area", fields.iter().copied()),
            Some("priority_areas")
        );
        assert_eq!(suggest("colour", fields.iter().copied()), None);
    }
}
