//! Equity tables: rates by group, rate ratios to a reference group, and disclosure control.
//!
//! In: each group's events and population, the reference group, `per` and the smallest
//! count that may be published. Out: the cells to publish, each a value, suppressed or not
//! applicable. Pure arithmetic: no I/O, no formatting.
//!
//! Disclosure control, in order:
//! 1. Primary ([`disclosure`], the rule charts follow too): a count from 1 to
//!    `min_count − 1` is suppressed: events, a population, or the women without the event
//!    (population − events), which would give the events away.
//! 2. Secondary: the table has a total row, so a column with exactly one suppressed count
//!    would give it away by subtraction; the next smallest count of that column (away from
//!    the reference group where possible) is suppressed too, or the total when none is left.
//!    A total is hidden too when it is small itself, or when the hidden counts of its
//!    column (events, people, or people without the event) add up to a small number.
//! 3. Derived: a rate built on a suppressed count is suppressed, and so are its ratio and
//!    difference. When the reference group's rate is suppressed, every ratio and difference
//!    is, since any of them with a published rate would give the reference rate back.
//!
//! The rate ratio's 95% confidence interval uses the log method: exp(ln RR ± 1.96 × SE),
//! with SE = √(1/a − 1/n₁ + 1/c − 1/n₂): risks, events within a population (the reader
//! refuses more events than population).

use super::disclosure;

/// One row of the data file: `events` at most `population`.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub id: String,
    pub events: u64,
    pub population: u64,
}

/// A published cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<T> {
    Value(T),
    /// Hidden by disclosure control.
    Suppressed,
    /// Cannot be computed (no events for a ratio, the reference group's own ratio).
    NotApplicable,
}

impl<T: Copy> Cell<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Cell<U> {
        match self {
            Cell::Value(v) => Cell::Value(f(v)),
            Cell::Suppressed => Cell::Suppressed,
            Cell::NotApplicable => Cell::NotApplicable,
        }
    }

    pub fn value(self) -> Option<T> {
        match self {
            Cell::Value(v) => Some(v),
            _ => None,
        }
    }
}

/// A rate ratio and its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ratio {
    pub ratio: f64,
    pub lower: f64,
    pub upper: f64,
}

/// One published row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The group id, or `None` for the total row.
    pub id: Option<String>,
    pub events: Cell<u64>,
    pub population: Cell<u64>,
    pub rate: Cell<f64>,
    pub ratio: Cell<Ratio>,
    pub difference: Cell<f64>,
    pub reference: bool,
}

/// The published table: a row per group in file order, then the total.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub rows: Vec<Row>,
    pub total: Row,
    /// Some cell was suppressed.
    pub suppressed: bool,
}

/// Computes the table. `reference` is the reference group's id; when no row has it,
/// ratios and differences are not applicable.
pub fn table(groups: &[Group], reference: &str, per: f64, min_count: u64) -> Table {
    let small = |n: u64| disclosure::small(n, min_count);
    let reference_row = groups.iter().position(|g| g.id == reference);
    // 1. Primary suppression.
    let mut hide_population: Vec<bool> = groups.iter().map(|g| small(g.population)).collect();
    let mut hide_events: Vec<bool> = groups
        .iter()
        .map(|g| disclosure::reveals(g.events, g.population, min_count))
        .collect();
    // 2. Secondary suppression, so that the total gives nothing away.
    let total_events_shown = secondary(groups, reference_row, &mut hide_events, |g| g.events);
    let total_population_shown = secondary(groups, reference_row, &mut hide_population, |g| {
        g.population
    });
    for (e, &p) in hide_events.iter_mut().zip(&hide_population) {
        // A population hidden by the second step still hides its rate, and so its events
        // would be the only count left in the row: hide them too.
        *e |= p;
    }
    // What the totals would still give away by subtraction: a small total, or hidden cells
    // that add up to a small number (of events, of people, or of people without the event).
    let hidden_sum = |hidden: &[bool], count: &dyn Fn(&Group) -> u64| -> u64 {
        groups
            .iter()
            .zip(hidden)
            .filter(|(_, h)| **h)
            .map(|(g, _)| count(g))
            .fold(0, u64::saturating_add)
    };
    // The reader bounds every count, so these sums stay far below `u64::MAX`; saturating
    // keeps a table built in other ways from overflowing.
    let events = groups.iter().map(|g| g.events).fold(0, u64::saturating_add);
    let population = groups
        .iter()
        .map(|g| g.population)
        .fold(0, u64::saturating_add);
    let complement = |g: &Group| g.population.saturating_sub(g.events);
    let total_events_shown = total_events_shown
        && hide_events.iter().filter(|h| **h).count() != 1
        && !small(events)
        && !small(population.saturating_sub(events))
        && !small(hidden_sum(&hide_events, &|g| g.events))
        && !small(hidden_sum(&hide_events, &complement));
    let total_population_shown = total_population_shown
        && !small(population)
        && !small(hidden_sum(&hide_population, &|g| g.population));
    // 3. Rates and what is built on them.
    let rate = |g: &Group| g.events as f64 / g.population as f64 * per;
    let rates: Vec<Cell<f64>> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            if hide_events[i] || hide_population[i] {
                Cell::Suppressed
            } else if g.population == 0 {
                Cell::NotApplicable
            } else {
                Cell::Value(rate(g))
            }
        })
        .collect();
    let reference_rate = reference_row.map(|r| rates[r]);
    let rows = groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let is_reference = Some(i) == reference_row;
            let (ratio, difference) = match (rates[i], reference_rate) {
                (Cell::Suppressed, _) | (_, Some(Cell::Suppressed)) => {
                    (Cell::Suppressed, Cell::Suppressed)
                }
                _ if is_reference => (Cell::NotApplicable, Cell::NotApplicable),
                (Cell::Value(r), Some(Cell::Value(base))) => {
                    let reference = &groups[reference_row.unwrap_or(i)];
                    (ratio(g, reference, r, base), Cell::Value(r - base))
                }
                _ => (Cell::NotApplicable, Cell::NotApplicable),
            };
            Row {
                id: Some(g.id.clone()),
                events: shown(g.events, hide_events[i]),
                population: shown(g.population, hide_population[i]),
                rate: rates[i],
                ratio,
                difference,
                reference: is_reference,
            }
        })
        .collect();
    let total_rate = if !total_events_shown || !total_population_shown {
        Cell::Suppressed
    } else if population == 0 {
        Cell::NotApplicable
    } else {
        Cell::Value(events as f64 / population as f64 * per)
    };
    let total = Row {
        id: None,
        events: shown(events, !total_events_shown),
        population: shown(population, !total_population_shown),
        rate: total_rate,
        ratio: Cell::NotApplicable,
        difference: Cell::NotApplicable,
        reference: false,
    };
    Table {
        suppressed: hide_events.iter().chain(&hide_population).any(|h| *h),
        rows,
        total,
    }
}

fn shown(n: u64, hidden: bool) -> Cell<u64> {
    if hidden {
        Cell::Suppressed
    } else {
        Cell::Value(n)
    }
}

/// Makes sure no column has exactly one hidden count: hides the smallest other non-zero
/// count, preferring groups other than the reference. Returns whether the column's total
/// can be shown.
fn secondary(
    groups: &[Group],
    reference: Option<usize>,
    hidden: &mut [bool],
    count: impl Fn(&Group) -> u64,
) -> bool {
    if hidden.iter().filter(|h| **h).count() != 1 {
        return true;
    }
    let candidate = |allow_reference: bool| {
        (0..groups.len())
            .filter(|&i| !hidden[i] && count(&groups[i]) > 0)
            .filter(|&i| allow_reference || Some(i) != reference)
            .min_by_key(|&i| count(&groups[i]))
    };
    match candidate(false).or_else(|| candidate(true)) {
        Some(i) => {
            hidden[i] = true;
            true
        }
        None => false,
    }
}

/// The ratio of `group`'s rate to the reference's, with its 95% confidence interval.
fn ratio(group: &Group, reference: &Group, rate: f64, base: f64) -> Cell<Ratio> {
    if group.events == 0 || reference.events == 0 || base == 0.0 {
        return Cell::NotApplicable;
    }
    let (a, n1) = (group.events as f64, group.population as f64);
    let (c, n2) = (reference.events as f64, reference.population as f64);
    let variance = 1.0 / a - 1.0 / n1 + 1.0 / c - 1.0 / n2;
    let ratio = rate / base;
    let spread = 1.959_963_985 * variance.max(0.0).sqrt();
    Cell::Value(Ratio {
        ratio,
        lower: (ratio.ln() - spread).exp(),
        upper: (ratio.ln() + spread).exp(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(id: &str, events: u64, population: u64) -> Group {
        Group {
            id: id.to_string(),
            events,
            population,
        }
    }

    #[test]
    fn rates_ratios_and_intervals() {
        let groups = [group("white", 100, 10_000), group("black", 30, 1_500)];
        let t = table(&groups, "white", 1000.0, 8);
        assert_eq!(t.rows[0].rate, Cell::Value(10.0));
        assert_eq!(t.rows[0].ratio, Cell::NotApplicable);
        assert!(t.rows[0].reference);
        assert_eq!(t.rows[1].rate, Cell::Value(20.0));
        assert_eq!(t.rows[1].difference, Cell::Value(10.0));
        let r = t.rows[1].ratio.value().expect("a ratio");
        assert!((r.ratio - 2.0).abs() < 1e-12);
        // Katz log method: SE = sqrt(1/30 - 1/1500 + 1/100 - 1/10000) = 0.20632.
        assert!((r.lower - 1.3348).abs() < 1e-4, "{r:?}");
        assert!((r.upper - 2.9967).abs() < 1e-4, "{r:?}");
        // No events: no ratio to take a logarithm of.
        let none = table(
            &[groups[0].clone(), group("none", 0, 800)],
            "white",
            1000.0,
            8,
        );
        assert_eq!(none.rows[1].ratio, Cell::NotApplicable);
        assert_eq!(none.rows[1].difference, Cell::Value(-10.0));
        assert_eq!(t.total.events, Cell::Value(130));
        assert_eq!(t.total.population, Cell::Value(11_500));
        assert!(!t.suppressed);
    }

    #[test]
    fn a_small_count_and_one_more_are_suppressed_with_their_rates() {
        let groups = [
            group("white", 100, 10_000),
            group("asian", 40, 3_000),
            group("black", 3, 400),
            group("mixed", 12, 900),
        ];
        let t = table(&groups, "white", 1000.0, 8);
        let black = &t.rows[2];
        assert_eq!(black.events, Cell::Suppressed);
        assert_eq!(black.rate, Cell::Suppressed);
        assert_eq!(black.ratio, Cell::Suppressed);
        assert_eq!(black.difference, Cell::Suppressed);
        assert_eq!(black.population, Cell::Value(400));
        // Secondary: the next smallest count, not the reference group's.
        assert_eq!(t.rows[3].events, Cell::Suppressed);
        assert_eq!(t.rows[3].rate, Cell::Suppressed);
        assert_eq!(t.rows[1].events, Cell::Value(40));
        assert_eq!(t.rows[0].events, Cell::Value(100));
        // The total is safe to show: it reveals only the sum of two hidden counts.
        assert_eq!(t.total.events, Cell::Value(155));
        assert!(t.suppressed);
    }

    #[test]
    fn zero_is_not_a_small_count_and_is_not_chosen_to_hide_another() {
        let groups = [
            group("white", 50, 5_000),
            group("black", 0, 300),
            group("other", 5, 200),
        ];
        let t = table(&groups, "white", 1000.0, 8);
        assert_eq!(t.rows[1].events, Cell::Value(0));
        assert_eq!(t.rows[2].events, Cell::Suppressed);
        // Only the reference is left to hide: it goes, and every ratio with it.
        assert_eq!(t.rows[0].events, Cell::Suppressed);
        assert_eq!(t.rows[1].difference, Cell::Suppressed);
        assert_eq!(t.total.events, Cell::Value(55));
    }

    #[test]
    fn the_total_is_hidden_when_nothing_else_can_be() {
        let groups = [group("white", 0, 5_000), group("black", 4, 300)];
        let t = table(&groups, "white", 1000.0, 8);
        assert_eq!(t.rows[1].events, Cell::Suppressed);
        assert_eq!(t.total.events, Cell::Suppressed);
        assert_eq!(t.total.rate, Cell::Suppressed);
    }

    #[test]
    fn small_populations_and_small_complements_are_suppressed() {
        let groups = [
            group("white", 100, 10_000),
            group("tiny", 0, 5),
            group("nearly-all", 296, 300),
            group("mixed", 20, 900),
            group("asian", 30, 1_000),
        ];
        let t = table(&groups, "white", 1000.0, 8);
        assert_eq!(t.rows[1].population, Cell::Suppressed);
        assert_eq!(t.rows[1].events, Cell::Suppressed);
        assert_eq!(t.rows[2].events, Cell::Suppressed);
        assert_eq!(t.rows[2].rate, Cell::Suppressed);
        // One population hidden: the next smallest population goes too.
        assert_eq!(t.rows[2].population, Cell::Suppressed);
        assert_eq!(t.rows[3].population, Cell::Value(900));
    }

    #[test]
    fn totals_that_would_give_away_a_small_sum_are_hidden() {
        // Two small counts hide each other, but their sum (7) would show in the total.
        let t = table(&[group("a", 3, 500), group("b", 4, 600)], "a", 1000.0, 8);
        assert_eq!(t.total.events, Cell::Suppressed);
        let t = table(
            &[
                group("a", 3, 500),
                group("b", 4, 600),
                group("c", 100, 9000),
            ],
            "c",
            1000.0,
            8,
        );
        assert_eq!(t.total.events, Cell::Suppressed);
        assert_eq!(t.total.rate, Cell::Suppressed);
        // 3 women without the event, found from the totals.
        let t = table(&[group("a", 50, 53), group("b", 40, 40)], "b", 1000.0, 8);
        assert_eq!(t.rows[0].events, Cell::Suppressed);
        assert_eq!(t.total.events, Cell::Suppressed);
        // A small total population.
        let t = table(&[group("a", 0, 3), group("b", 0, 2)], "a", 1000.0, 8);
        assert_eq!(t.total.population, Cell::Suppressed);
    }

    #[test]
    fn a_missing_reference_group_leaves_ratios_not_applicable() {
        let t = table(&[group("black", 30, 1_500)], "white", 100.0, 8);
        assert_eq!(t.rows[0].ratio, Cell::NotApplicable);
        assert_eq!(t.rows[0].rate, Cell::Value(2.0));
    }
}
