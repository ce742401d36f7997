//! Calendar dates as written in front matter (`YYYY-MM-DD`): parsing with real month lengths,
//! adding months for review intervals, and the forms shown to readers.

use std::fmt;

use serde::{Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

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

/// Why a string is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Not in the `YYYY-MM-DD` shape.
    Format,
    /// The shape is right but the day does not exist (2025-02-30).
    Impossible,
}

impl Date {
    /// The UTC calendar day of a Unix time (seconds since 1970-01-01).
    pub fn from_unix(seconds: i64) -> Date {
        // Howard Hinnant's days-to-civil algorithm, over 400-year eras.
        let days = seconds.div_euclid(86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Parses `YYYY-MM-DD`, rejecting days that do not exist.
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return Err(DateError::Format);
        }
        let num = |r: std::ops::Range<usize>| text[r].parse::<u32>().map_err(|_| DateError::Format);
        let year = num(0..4)? as i32;
        let month = num(5..7)?;
        let day = num(8..10)?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(DateError::Impossible);
        }
        Ok(Date { year, month, day })
    }

    /// The same day `months` later, clamped to the end of a shorter month.
    pub fn add_months(self, months: u32) -> Date {
        let total = i64::from(self.year) * 12 + i64::from(self.month) - 1 + i64::from(months);
        let year = i32::try_from(total.div_euclid(12)).unwrap_or(i32::MAX);
        let month = total.rem_euclid(12) as u32 + 1;
        Date {
            year,
            month,
            day: self.day.min(days_in_month(year, month)),
        }
    }

    /// The reader's form: `3 March 2024`.
    pub fn long(self) -> String {
        format!(
            "{} {} {}",
            self.day,
            MONTHS[self.month as usize - 1],
            self.year
        )
    }
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_dates_and_rejects_impossible_ones() {
        assert_eq!(
            Date::parse("2024-02-29"),
            Ok(Date {
                year: 2024,
                month: 2,
                day: 29
            })
        );
        assert_eq!(Date::parse("2025-02-29"), Err(DateError::Impossible));
        assert_eq!(Date::parse("2025-13-01"), Err(DateError::Impossible));
        assert_eq!(Date::parse("2025-1-01"), Err(DateError::Format));
        assert_eq!(Date::parse("01/02/2025"), Err(DateError::Format));
    }

    #[test]
    fn adds_months_with_clamping() {
        let d = Date::parse("2024-02-29").expect("valid");
        assert_eq!(d.add_months(24).to_string(), "2026-02-28");
        assert_eq!(d.add_months(11).to_string(), "2025-01-29");
        assert_eq!(d.long(), "29 February 2024");
    }

    #[test]
    fn unix_times_become_utc_days() {
        assert_eq!(Date::from_unix(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix(951_782_400).to_string(), "2000-02-29");
        assert_eq!(Date::from_unix(1_795_699_199).to_string(), "2026-11-26");
        assert_eq!(Date::from_unix(-1).to_string(), "1969-12-31");
    }
}
