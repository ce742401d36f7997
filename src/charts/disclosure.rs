//! The disclosure rule: which counts may be published.
//!
//! In: counts and the library's threshold (`disclosure.min_count`). Out: whether
//! publishing them, or a rate built on them, would reveal a small number. Equity tables,
//! charts and data files published as they are all ask here, so that the rule is written
//! once. Pure: no I/O.
//!
//! A count from 1 to `min_count − 1` is small. Zero is not: it identifies no one, and is
//! published. A rate of events in a population gives away three counts — the events, the
//! population, and those without the event (population − events) — so it is hidden when
//! any of them is small.

/// Whether `n` is a small count: from 1 to `min_count − 1`.
pub fn small(n: u64, min_count: u64) -> bool {
    n >= 1 && n < min_count
}

/// Whether a rate of `events` in `population` would reveal a small count: the events, the
/// population, or the population without the event.
pub fn reveals(events: u64, population: u64, min_count: u64) -> bool {
    small(events, min_count)
        || small(population, min_count)
        || small(population.saturating_sub(events), min_count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_is_published_and_one_to_seven_are_not() {
        assert!(!small(0, 8));
        assert!((1..8).all(|n| small(n, 8)));
        assert!(!small(8, 8));
        // A threshold of 0 or 1 hides nothing.
        assert!(!small(1, 1) && !small(1, 0));
    }

    #[test]
    fn a_rate_is_hidden_when_any_of_its_three_counts_is_small() {
        assert!(!reveals(12, 400, 8));
        assert!(reveals(3, 400, 8), "few events");
        assert!(reveals(45, 47, 8), "few without the event");
        assert!(reveals(0, 5, 8), "a small population");
        assert!(!reveals(0, 400, 8), "no events at all");
        assert!(!reveals(400, 400, 8), "every one");
    }
}
