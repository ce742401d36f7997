//! XmR statistical process control, the "Making Data Count" way.
//!
//! In: a series of values in time order, the indexes where rebased phases start, the
//! improvement direction, an optional target and whether to screen moving-range outliers.
//! Out: for every point its phase's mean and process limits and its point type, plus the
//! variation icon (from the last point) and the assurance icon (target against the last
//! phase's limits). Pure arithmetic: no I/O, no formatting.
//!
//! Each phase is computed on its own: mean, moving ranges, their mean (after screening out
//! moving ranges of 3.267 × their mean or more), limits at mean ± 2.66 × mean moving range.
//! Special causes: a point beyond a limit; 7 points in a row on one side of the mean (a
//! point on the mean breaks the run); 7 points in a row rising or falling (a tie breaks it);
//! 2 of 3 consecutive points beyond two thirds of the way to a limit on the same side. Runs
//! never cross a rebase.

use std::ops::Range;

/// Moving ranges at or above this many times their mean are screened out.
const SCREEN: f64 = 3.267;
/// Process limits sit this many mean moving ranges from the mean.
const LIMIT: f64 = 2.66;
/// Points in a run or trend that make a special cause.
const RUN: usize = 7;

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Increase,
    Decrease,
    Neutral,
}

impl Direction {
    /// Reads the `direction` field (`increase`, `decrease` or `neutral`).
    pub fn from_name(name: &str) -> Direction {
        match name {
            "increase" => Direction::Increase,
            "decrease" => Direction::Decrease,
            _ => Direction::Neutral,
        }
    }
}

/// How a point is classified, as written in the CSV download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointType {
    CommonCause,
    Improvement,
    Concern,
    NeutralHigh,
    NeutralLow,
}

impl PointType {
    pub fn name(self) -> &'static str {
        match self {
            PointType::CommonCause => "common_cause",
            PointType::Improvement => "improvement",
            PointType::Concern => "concern",
            PointType::NeutralHigh => "neutral_high",
            PointType::NeutralLow => "neutral_low",
        }
    }

    /// Words for readers, as in the data table.
    pub fn label(self) -> &'static str {
        match self {
            PointType::CommonCause => "Common cause",
            PointType::Improvement => "Special cause: improvement",
            PointType::Concern => "Special cause: concern",
            PointType::NeutralHigh => "Special cause: high",
            PointType::NeutralLow => "Special cause: low",
        }
    }

    pub fn is_special(self) -> bool {
        self != PointType::CommonCause
    }
}

/// The variation icon: what the latest point says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variation {
    pub kind: PointType,
    /// The special cause is high (above the mean, or a rising trend).
    pub high: bool,
}

/// The assurance icon: whether the process can be expected to meet its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assurance {
    /// The target lies beyond the limits on the good side: every point will meet it.
    Meets,
    /// The target lies beyond the limits on the bad side: no point will meet it.
    Fails,
    /// The target lies between the limits: some points will and some will not.
    HitAndMiss,
}

/// One phase's centre line and limits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub mean: f64,
    pub lower: f64,
    pub upper: f64,
}

/// The computed chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Spc {
    /// The points of each phase, in order; together they cover the series.
    pub phases: Vec<Range<usize>>,
    /// The limits of each phase.
    pub limits: Vec<Limits>,
    /// Each point's type.
    pub types: Vec<PointType>,
    /// Each point's side when special: true for high.
    pub high: Vec<bool>,
    /// None for an empty series.
    pub variation: Option<Variation>,
    /// None without a target or with a neutral direction.
    pub assurance: Option<Assurance>,
}

impl Spc {
    /// The limits that apply to point `i`.
    pub fn limits_of(&self, i: usize) -> Option<&Limits> {
        let phase = self.phases.iter().position(|p| p.contains(&i))?;
        self.limits.get(phase)
    }
}

/// Computes the chart. `rebase` holds the first index of each new phase; indexes of 0,
/// beyond the series or repeated are ignored.
pub fn compute(
    values: &[f64],
    rebase: &[usize],
    direction: Direction,
    target: Option<f64>,
    screen_outliers: bool,
) -> Spc {
    let mut starts: Vec<usize> = rebase
        .iter()
        .copied()
        .filter(|&i| i > 0 && i < values.len())
        .collect();
    starts.sort_unstable();
    starts.dedup();
    let mut phases = Vec::new();
    let mut from = 0;
    for start in starts.into_iter().chain(std::iter::once(values.len())) {
        if start > from || values.is_empty() {
            phases.push(from..start);
        }
        from = start;
    }
    let limits: Vec<Limits> = phases
        .iter()
        .map(|p| limits(&values[p.clone()], screen_outliers))
        .collect();
    let mut types = vec![PointType::CommonCause; values.len()];
    let mut high = vec![false; values.len()];
    for (phase, l) in phases.iter().zip(&limits) {
        let flags = special_causes(&values[phase.clone()], l);
        for (k, flag) in flags.into_iter().enumerate() {
            if let Some(up) = flag {
                let i = phase.start + k;
                high[i] = up;
                types[i] = classify(up, direction);
            }
        }
    }
    let variation = types.last().map(|&kind| Variation {
        kind,
        high: high.last().copied().unwrap_or(false),
    });
    let assurance = match (target, limits.last()) {
        (Some(t), Some(l)) if direction != Direction::Neutral => Some(assure(t, l, direction)),
        _ => None,
    };
    Spc {
        phases,
        limits,
        types,
        high,
        variation,
        assurance,
    }
}

/// Mean and limits of one phase.
fn limits(values: &[f64], screen_outliers: bool) -> Limits {
    let mean = average(values.iter().copied()).unwrap_or(0.0);
    let ranges: Vec<f64> = values.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
    let mut mr = average(ranges.iter().copied()).unwrap_or(0.0);
    if screen_outliers {
        let cut = SCREEN * mr;
        mr = average(ranges.iter().copied().filter(|&r| r < cut)).unwrap_or(mr);
    }
    Limits {
        mean,
        lower: mean - LIMIT * mr,
        upper: mean + LIMIT * mr,
    }
}

fn average(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// For each point of a phase, `Some(high)` when a rule flags it. Where rules disagree on
/// the side, a point's own place (beyond a limit, near a limit, on one side of the mean)
/// wins over the direction of a trend it belongs to.
fn special_causes(values: &[f64], l: &Limits) -> Vec<Option<bool>> {
    let n = values.len();
    let mut trend = vec![None; n];
    let mut side_rules = vec![None; n];
    // A trend: 7 points each above (or below) the one before.
    let mut i = 0;
    while i + 1 < n {
        let rising = values[i + 1] > values[i];
        let mut j = i + 1;
        while j < n && values[j] != values[j - 1] && (values[j] > values[j - 1]) == rising {
            j += 1;
        }
        if j - i >= RUN {
            trend[i..j].fill(Some(rising));
        }
        i = if j > i + 1 { j - 1 } else { i + 1 };
    }
    // A shift: 7 points on one side of the mean; a point on the mean breaks it.
    let side = |v: f64| {
        if v > l.mean {
            Some(true)
        } else if v < l.mean {
            Some(false)
        } else {
            None
        }
    };
    let mut i = 0;
    while i < n {
        let Some(s) = side(values[i]) else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < n && side(values[j]) == Some(s) {
            j += 1;
        }
        if j - i >= RUN {
            side_rules[i..j].fill(Some(s));
        }
        i = j;
    }
    // Two of three beyond two thirds of the way to a limit, on the same side.
    let near_high = l.mean + (l.upper - l.mean) * 2.0 / 3.0;
    let near_low = l.mean - (l.mean - l.lower) * 2.0 / 3.0;
    for w in 0..n.saturating_sub(2) {
        for up in [true, false] {
            let beyond = |v: f64| if up { v > near_high } else { v < near_low };
            let hits: Vec<usize> = (w..w + 3).filter(|&k| beyond(values[k])).collect();
            if hits.len() >= 2 {
                for k in hits {
                    side_rules[k] = Some(up);
                }
            }
        }
    }
    // Beyond a limit.
    for (k, &v) in values.iter().enumerate() {
        if v > l.upper {
            side_rules[k] = Some(true);
        } else if v < l.lower {
            side_rules[k] = Some(false);
        }
    }
    side_rules
        .into_iter()
        .zip(trend)
        .map(|(s, t)| s.or(t))
        .collect()
}

fn classify(high: bool, direction: Direction) -> PointType {
    match direction {
        Direction::Neutral if high => PointType::NeutralHigh,
        Direction::Neutral => PointType::NeutralLow,
        Direction::Increase if high => PointType::Improvement,
        Direction::Decrease if !high => PointType::Improvement,
        _ => PointType::Concern,
    }
}

fn assure(target: f64, l: &Limits, direction: Direction) -> Assurance {
    let (always, never) = if direction == Direction::Increase {
        (target <= l.lower, target > l.upper)
    } else {
        (target >= l.upper, target < l.lower)
    };
    if always {
        Assurance::Meets
    } else if never {
        Assurance::Fails
    } else {
        Assurance::HitAndMiss
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// R: `set.seed(123); rnorm(20)`.
    const RNORM: [f64; 20] = [
        -0.560_475_646_552_213,
        -0.230_177_489_483_28,
        1.558_708_314_149_12,
        0.070_508_391_424_576_4,
        0.129_287_735_160_946,
        1.715_064_986_883_28,
        0.460_916_205_989_202,
        -1.265_061_234_606_53,
        -0.686_852_851_893_526,
        -0.445_661_970_099_958,
        1.224_081_797_439_1,
        0.359_813_827_057_364,
        0.400_771_450_594_052,
        0.110_682_715_945_202,
        -0.555_841_134_754_075,
        1.786_913_136_803_78,
        0.497_850_478_229_239,
        -1.966_617_156_629_64,
        0.701_355_901_563_686,
        -0.472_791_407_727_934,
    ];

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 5e-7
    }

    fn types(values: &[f64], direction: Direction) -> Vec<PointType> {
        compute(values, &[], direction, None, true).types
    }

    #[test]
    fn reference_limits_for_rnorm() {
        let spc = compute(&RNORM, &[], Direction::Increase, None, true);
        let l = spc.limits[0];
        assert!(close(l.mean, 0.141_623_8), "{l:?}");
        assert!(close(l.lower, -3.011_380), "{l:?}");
        assert!(close(l.upper, 3.294_627), "{l:?}");
        assert!(spc.types.iter().all(|t| *t == PointType::CommonCause));
    }

    #[test]
    fn screening_a_moving_range_outlier_matches_the_reference() {
        let mut values = RNORM;
        values[14] = 10.0;
        let screened = compute(&values, &[], Direction::Increase, None, true).limits[0];
        assert!(close(screened.lower, -2.383_666), "{screened:?}");
        assert!(close(screened.upper, 3.722_497), "{screened:?}");
        let raw = compute(&values, &[], Direction::Increase, None, false).limits[0];
        assert!(close(raw.lower, -4.596_625), "{raw:?}");
        assert!(close(raw.upper, 5.935_457), "{raw:?}");
        // The outlier itself lies beyond the screened upper limit.
        let spc = compute(&values, &[], Direction::Increase, None, true);
        assert_eq!(spc.types[14], PointType::Improvement);
    }

    #[test]
    fn eight_points_above_the_mean_are_a_shift() {
        let values = [
            1., 2., 1., 2., 1., 2., 1., 2., 5., 5.5, 5., 5.5, 5., 5.5, 5., 5.5,
        ];
        let up = types(&values, Direction::Increase);
        assert!(
            up[8..].iter().all(|t| *t == PointType::Improvement),
            "{up:?}"
        );
        assert!(up[..8].iter().all(|t| *t == PointType::Concern), "{up:?}");
        let down = types(&values, Direction::Decrease);
        assert!(
            down[8..].iter().all(|t| *t == PointType::Concern),
            "{down:?}"
        );
        let neutral = types(&values, Direction::Neutral);
        assert!(neutral[8..].iter().all(|t| *t == PointType::NeutralHigh));
        assert!(neutral[..8].iter().all(|t| *t == PointType::NeutralLow));
    }

    #[test]
    fn a_point_on_the_mean_breaks_a_run() {
        // Mean 0: six above, one on the mean, six above, and a balancing tail below.
        let values = [1., 2., 1., 2., 1., 2., 0., 1., 2., 1., 2., 1., 2., -9., -9.];
        let mean: f64 = values.iter().sum::<f64>() / values.len() as f64;
        assert_eq!(mean, 0.0);
        let spc = compute(&values, &[], Direction::Increase, None, false);
        assert!(
            spc.types[..13].iter().all(|t| *t == PointType::CommonCause),
            "{:?}",
            spc.types
        );
    }

    #[test]
    fn seven_rising_points_are_a_trend_and_six_are_not() {
        let mut values = vec![5., 4., 6., 5., 1., 2., 3., 4., 5., 6., 7., 4., 5., 4.];
        let up = types(&values, Direction::Increase);
        assert!(up[4..11].iter().all(|t| t.is_special()), "{up:?}");
        assert_eq!(up[3], PointType::CommonCause);
        assert_eq!(up[11], PointType::CommonCause);
        // Points of a rising trend below the mean still count as rising, except where
        // their own place says otherwise.
        assert_eq!(up[5], PointType::Improvement);
        let down = types(&values, Direction::Decrease);
        assert_eq!(down[5], PointType::Concern);
        // A tie in the middle breaks the trend.
        values[7] = values[6];
        let tied = types(&values, Direction::Increase);
        assert!(
            tied.iter().all(|t| *t == PointType::CommonCause),
            "{tied:?}"
        );
    }

    #[test]
    fn seven_falling_points_are_a_trend() {
        let values = [5., 4., 6., 5., 7., 6., 5., 4., 3., 2., 1., 4., 5., 4.];
        let t = types(&values, Direction::Decrease);
        assert!(t[4..11].iter().all(|t| t.is_special()), "{t:?}");
        assert_eq!(t[3], PointType::CommonCause);
    }

    #[test]
    fn two_of_three_near_the_upper_limit_are_flagged_without_the_third() {
        // Common-cause noise, then two of three points between 2/3 of the way and the limit.
        let mut values = vec![10., 11., 10., 11., 10., 11., 10., 11., 10., 11., 10., 11.];
        values.extend([13.5, 10.5, 13.5]);
        let l2 = compute(&values, &[], Direction::Increase, None, true).limits[0];
        assert!(values[12] < l2.upper && values[12] > l2.mean + (l2.upper - l2.mean) * 2. / 3.);
        let up = types(&values, Direction::Increase);
        assert_eq!(up[12], PointType::Improvement, "{up:?}");
        assert_eq!(up[14], PointType::Improvement);
        assert_eq!(up[13], PointType::CommonCause);
        let down = types(&values, Direction::Decrease);
        assert_eq!(down[12], PointType::Concern);
        // One alone is not enough.
        values[14] = 10.5;
        assert!(types(&values, Direction::Increase)[12] == PointType::CommonCause);
    }

    #[test]
    fn fewer_than_seven_points_make_no_run_or_trend() {
        let values = [1., 2., 3., 4., 5., 6.];
        assert!(
            types(&values, Direction::Increase)
                .iter()
                .all(|t| !t.is_special())
        );
    }

    #[test]
    fn rebase_starts_new_limits_and_runs_do_not_cross_it() {
        let before = [10., 12., 11., 10., 12., 11., 10., 12.];
        let after = [20., 22., 21., 20., 22., 21., 20., 22.];
        let values: Vec<f64> = before.iter().chain(&after).copied().collect();
        let single = compute(&values, &[], Direction::Increase, None, true);
        assert!(
            single.types[8..]
                .iter()
                .all(|t| *t == PointType::Improvement)
        );
        let spc = compute(&values, &[8], Direction::Increase, None, true);
        assert_eq!(spc.phases, vec![0..8, 8..16]);
        assert!(close(spc.limits[0].mean, 11.0));
        assert!(close(spc.limits[1].mean, 21.0));
        assert!(
            spc.types.iter().all(|t| *t == PointType::CommonCause),
            "{:?}",
            spc.types
        );
        assert_eq!(spc.limits_of(7), Some(&spc.limits[0]));
        assert_eq!(spc.limits_of(8), Some(&spc.limits[1]));
        // Rebases at the start, past the end or repeated change nothing.
        let same = compute(&values, &[0, 8, 8, 99], Direction::Increase, None, true);
        assert_eq!(same.phases, spc.phases);
    }

    #[test]
    fn icons_come_from_the_last_point_and_the_target() {
        let values = [10., 12., 11., 10., 12., 11., 10., 12., 11., 10., 12., 11.];
        let spc = compute(&values, &[], Direction::Increase, Some(5.0), true);
        assert_eq!(spc.assurance, Some(Assurance::Meets));
        assert_eq!(spc.variation.map(|v| v.kind), Some(PointType::CommonCause));
        let fails = compute(&values, &[], Direction::Increase, Some(20.0), true);
        assert_eq!(fails.assurance, Some(Assurance::Fails));
        let mixed = compute(&values, &[], Direction::Decrease, Some(11.0), true);
        assert_eq!(mixed.assurance, Some(Assurance::HitAndMiss));
        let lower_is_better = compute(&values, &[], Direction::Decrease, Some(20.0), true);
        assert_eq!(lower_is_better.assurance, Some(Assurance::Meets));
        let neutral = compute(&values, &[], Direction::Neutral, Some(20.0), true);
        assert_eq!(neutral.assurance, None);
        let mut high = values.to_vec();
        high.push(30.0);
        let v = compute(&high, &[], Direction::Decrease, None, true).variation;
        assert_eq!(
            v,
            Some(Variation {
                kind: PointType::Concern,
                high: true
            })
        );
    }

    #[test]
    fn tiny_series_do_not_panic() {
        assert!(
            compute(&[], &[], Direction::Increase, Some(1.0), true)
                .variation
                .is_none()
        );
        let one = compute(&[3.0], &[], Direction::Increase, Some(1.0), true);
        assert_eq!(
            one.limits[0],
            Limits {
                mean: 3.0,
                lower: 3.0,
                upper: 3.0
            }
        );
    }
}
