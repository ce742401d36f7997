//! Calendar dates (days since 1970-01-01) with the month arithmetic and the formats the
//! generated files use.

use super::rng::Rng;

/// A calendar date, stored as days since 1970-01-01 (proleptic Gregorian).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub i64);

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    pub fn ymd(y: i64, m: u32, d: u32) -> Date {
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = i64::from((m + 9) % 12);
        let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Date(era * 146_097 + doe - 719_468)
    }

    pub fn parts(self) -> (i64, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i64::from(m <= 2);
        (y, m, d)
    }

    pub fn add_days(self, days: i64) -> Date {
        Date(self.0 + days)
    }

    /// The same day `n` months later, clamped to the end of a shorter month.
    pub fn add_months(self, n: i64) -> Date {
        let (y, m, d) = self.parts();
        let total = y * 12 + i64::from(m) - 1 + n;
        let (y, m) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
        let last = Date::ymd(y, m, 1)
            .add_months_first(1)
            .add_days(-1)
            .parts()
            .2;
        Date::ymd(y, m, d.min(last))
    }

    /// The first day of the month `n` months after this date's month.
    pub fn add_months_first(self, n: i64) -> Date {
        let (y, m, _) = self.parts();
        let total = y * 12 + i64::from(m) - 1 + n;
        Date::ymd(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1)
    }

    pub fn between(rng: &mut Rng, lo: Date, hi: Date) -> Date {
        Date(rng.range(lo.0, hi.0.max(lo.0)))
    }

    /// "March 2024".
    pub fn month_year(self) -> String {
        let (y, m, _) = self.parts();
        format!("{} {y}", MONTHS[m as usize - 1])
    }

    /// "2024-03", the period format of chart CSVs.
    pub fn period(self) -> String {
        let (y, m, _) = self.parts();
        format!("{y:04}-{m:02}")
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m, d) = self.parts();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}
