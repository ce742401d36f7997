//! Finding patient-identifiable data in text: NHS numbers that pass the modulus-11 check,
//! full UK postcodes, dates of birth, email addresses and UK phone numbers.
//!
//! In: a text. Out: each finding's byte range, kind and a masked form to show instead of
//! it. Pure: no I/O, and nothing here ever returns the value itself.

use std::ops::Range;
use std::sync::LazyLock;

use regex::{Regex, RegexSet};

/// What was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    NhsNumber,
    /// A number in the 999 range, which NHS England keeps for testing.
    TestNhsNumber,
    Postcode,
    DateOfBirth,
    Email,
    Phone,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    pub range: Range<usize>,
    /// The value with its characters hidden, keeping only its shape.
    pub masked: String,
}

fn regex(pattern: &str) -> Regex {
    // The patterns are constants, tested below: one that failed to compile would match
    // nothing rather than stop the build.
    Regex::new(pattern).unwrap_or_else(|_| Regex::new("$^").unwrap_or_else(|_| unreachable!()))
}

/// A word boundary in the patterns: ASCII only, because a Unicode `\b` makes the regex
/// engine leave its fast path for the whole of any text with one non-ASCII character in it,
/// ten times slower. [`at_boundary`] then applies the Unicode rule to each match.
pub(crate) const B: &str = r"(?-u:\b)";

/// Whether byte offset `at` of `text` is a word boundary by Unicode's reckoning: a word
/// character on one side of it and not the other.
pub(crate) fn at_boundary(text: &str, at: usize) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    word(text[..at].chars().next_back()) != word(text[at..].chars().next())
}

/// Whether a match of a pattern written with [`B`] at both ends starts and ends at a
/// Unicode word boundary.
fn bounded(text: &str, range: &Range<usize>) -> bool {
    at_boundary(text, range.start) && at_boundary(text, range.end)
}

static NHS: LazyLock<Regex> =
    LazyLock::new(|| regex(r"\d{3}([ \x{a0}.-]?)\d{3}([ \x{a0}.-]?)\d{4}"));

/// Whether `range` of `text` stands alone: not part of a longer number, word or reference
/// (`x9434765919`, `9434765919-2`, `1.9434765919`).
fn stands_alone(text: &str, range: &Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let mut after = text[range.end..].chars();
    let next = after.next();
    let then = after.next();
    let joined_before = before.is_some_and(|c| c.is_alphanumeric() || c == '.' || c == '-');
    let joined_after = match next {
        Some('.' | '-' | '/') => then.is_some_and(|c| c.is_ascii_digit()),
        Some(c) => c.is_alphanumeric(),
        None => false,
    };
    !joined_before && !joined_after
}

/// The UK's postcode areas: an outward code must start with one of them.
const AREAS: &[&str] = &[
    "AB", "AL", "B", "BA", "BB", "BD", "BH", "BL", "BN", "BR", "BS", "BT", "CA", "CB", "CF", "CH",
    "CM", "CO", "CR", "CT", "CV", "CW", "DA", "DD", "DE", "DG", "DH", "DL", "DN", "DT", "DY", "E",
    "EC", "EH", "EN", "EX", "FK", "FY", "G", "GL", "GU", "GY", "HA", "HD", "HG", "HP", "HR", "HS",
    "HU", "HX", "IG", "IM", "IP", "IV", "JE", "KA", "KT", "KW", "KY", "L", "LA", "LD", "LE", "LL",
    "LN", "LS", "LU", "M", "ME", "MK", "ML", "N", "NE", "NG", "NN", "NP", "NR", "NW", "OL", "OX",
    "PA", "PE", "PH", "PL", "PO", "PR", "RG", "RH", "RM", "S", "SA", "SE", "SG", "SK", "SL", "SM",
    "SN", "SO", "SP", "SR", "SS", "ST", "SW", "SY", "TA", "TD", "TF", "TN", "TQ", "TR", "TS", "TW",
    "UB", "W", "WA", "WC", "WD", "WF", "WN", "WR", "WS", "WV", "YO", "ZE",
];

// Outward code (area, district, optional sub-district), a space or none, inward code (a
// digit and two letters that are never C, I, K, M, O or V).
static POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        "(?i){B}([A-Z]{{1,2}})[0-9][0-9A-Z]? ?[0-9][ABD-HJLNP-UW-Z]{{2}}{B}"
    ))
});

const MONTH: &str = "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

static DOB: LazyLock<Regex> = LazyLock::new(|| {
    // Spaces and tabs only: a finding never runs onto the next line.
    let date = format!(
        r"(\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}(?:st|nd|rd|th)?[ \t]+{MONTH}\.?,?[ \t]+\d{{4}}|{MONTH}\.?[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+\d{{4}})"
    );
    regex(&format!(
        r"(?i){B}(?:d\.?o\.?b\.?|date[ \t]+of[ \t]+birth|born[ \t]+on)(?:[ \t]*(?:was|is|of|:|-|–)[ \t]*|[ \t]+){date}"
    ))
});

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"{B}[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{{2,}}{B}"
    ))
});

// A UK number: +44 or 0, then 9 or 10 more digits in groups.
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"(?:^|[^\w+])((?:\+44[ \t]?(?:\(0\)[ \t]?)?|\(?0)\d{{2,4}}\)?(?:[ \t-]?\d{{2,4}}){{2,3}}){B}"
    ))
});

/// Every pattern at once, in the order [`find`] tries them: for a text that [`ONE`] finds
/// something in, one pass tells which patterns match.
static ANY: LazyLock<RegexSet> = LazyLock::new(|| {
    let patterns = [&NHS, &POSTCODE, &DOB, &EMAIL, &PHONE].map(|r| r.as_str());
    // Each pattern compiled on its own above; should the set fail, every pattern is tried.
    RegexSet::new(patterns)
        .unwrap_or_else(|_| RegexSet::new([""; 5]).unwrap_or_else(|_| unreachable!()))
});

/// The five patterns as one: most texts match none, and one pattern tells that sooner than
/// a set, which must look for every pattern's matches.
static ONE: LazyLock<Regex> = LazyLock::new(|| {
    let patterns = [&NHS, &POSTCODE, &DOB, &EMAIL, &PHONE];
    let either = patterns.map(|r| format!("(?:{})", r.as_str())).join("|");
    Regex::new(&either).unwrap_or_else(|_| Regex::new("").unwrap_or_else(|_| unreachable!()))
});

/// The modulus-11 check of a 10-digit NHS number.
pub fn nhs_check_digit_ok(digits: &[u8; 10]) -> bool {
    let sum: u32 = digits[..9]
        .iter()
        .zip((2..=10).rev())
        .map(|(d, w)| u32::from(*d) * w)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    check == u32::from(digits[9])
}

/// Every character but separators replaced by `*`, except the last `keep`.
fn mask(value: &str, keep: usize) -> String {
    let total = value.chars().filter(|c| c.is_alphanumeric()).count();
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if !c.is_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen > total.saturating_sub(keep) {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// Everything identifying in `text`, in order.
pub fn find(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut nhs_ranges = Vec::new();
    if !ONE.is_match(text) {
        return out;
    }
    let any = ANY.matches(text);
    let tried = |i: usize, r: &'static LazyLock<Regex>| -> Option<&'static Regex> {
        any.matched(i).then(|| &**r)
    };
    for caps in tried(0, &NHS).iter().flat_map(|r| r.captures_iter(text)) {
        let (Some(m), Some(a), Some(b)) = (caps.get(0), caps.get(1), caps.get(2)) else {
            continue;
        };
        // The same separator throughout: 943 476 5919, 943-476-5919 or 9434765919.
        if a.as_str() != b.as_str() || !stands_alone(text, &m.range()) {
            continue;
        }
        let mut digits = [0u8; 10];
        for (slot, d) in digits
            .iter_mut()
            .zip(m.as_str().bytes().filter(u8::is_ascii_digit))
        {
            *slot = d - b'0';
        }
        if !nhs_check_digit_ok(&digits) {
            continue;
        }
        let kind = if m.as_str().starts_with("999") {
            Kind::TestNhsNumber
        } else {
            Kind::NhsNumber
        };
        nhs_ranges.push(m.range());
        out.push(Found {
            kind,
            range: m.range(),
            masked: mask(m.as_str(), 0),
        });
    }
    let postcodes = tried(1, &POSTCODE)
        .into_iter()
        .flat_map(|r| r.find_iter(text));
    for m in postcodes.filter(|m| bounded(text, &m.range())) {
        let area: String = m
            .as_str()
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect::<String>()
            .to_ascii_uppercase();
        if AREAS.contains(&area.as_str()) {
            let outward = m.as_str().split(' ').next().unwrap_or_default();
            let shown = if m.as_str().contains(' ') {
                format!("{outward} ***")
            } else {
                "*".repeat(m.as_str().len())
            };
            out.push(Found {
                kind: Kind::Postcode,
                range: m.range(),
                masked: shown,
            });
        }
    }
    for caps in tried(2, &DOB).iter().flat_map(|r| r.captures_iter(text)) {
        if let (Some(all), Some(date)) = (caps.get(0), caps.get(1))
            && at_boundary(text, all.start())
        {
            out.push(Found {
                kind: Kind::DateOfBirth,
                range: date.range(),
                masked: mask(date.as_str(), 0),
            });
        }
    }
    let emails = tried(3, &EMAIL).into_iter().flat_map(|r| r.find_iter(text));
    for m in emails.filter(|m| bounded(text, &m.range())) {
        let (local, domain) = m.as_str().split_once('@').unwrap_or_default();
        let first: String = local.chars().take(1).collect();
        out.push(Found {
            kind: Kind::Email,
            range: m.range(),
            masked: format!("{first}***@{domain}"),
        });
    }
    for caps in tried(4, &PHONE).iter().flat_map(|r| r.captures_iter(text)) {
        let Some(m) = caps.get(1).filter(|m| at_boundary(text, m.end())) else {
            continue;
        };
        let digits = m.as_str().chars().filter(char::is_ascii_digit).count();
        let international = m.as_str().starts_with('+');
        let national = if international {
            // +44 20 7946 0000: the 44 is not part of the national number; a (0) may be.
            digits - 2 - usize::from(m.as_str().contains("(0)"))
        } else {
            digits - 1
        };
        let overlaps = nhs_ranges
            .iter()
            .any(|r| r.start < m.end() && m.start() < r.end);
        if (9..=10).contains(&national) && !overlaps {
            out.push(Found {
                kind: Kind::Phone,
                range: m.range(),
                masked: mask(m.as_str(), 3),
            });
        }
    }
    out.sort_by_key(|f| f.range.start);
    out
}

/// `text` with every NHS number, postcode and date of birth in it masked: for text that
/// lantern shows but did not check, such as the earlier versions of a document.
pub fn mask_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for f in find(text) {
        let identifying = !matches!(f.kind, Kind::Email | Kind::Phone);
        if identifying && f.range.start >= at {
            out.push_str(&text[at..f.range.start]);
            out.push_str(&f.masked);
            at = f.range.end;
        }
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, String)> {
        find(text)
            .into_iter()
            .map(|f| (f.kind, text[f.range].to_string()))
            .collect()
    }

    #[test]
    fn nhs_numbers_must_pass_the_check_digit() {
        for written in [
            "943 476 5919",
            "943-476-5919",
            "9434765919",
            "NHS no: 401 023 2137.",
            "943\u{a0}476\u{a0}5919",
            "943.476.5919",
        ] {
            let found = kinds(written);
            assert_eq!(found.len(), 1, "{written}: {found:?}");
            assert_eq!(found[0].0, Kind::NhsNumber, "{written}");
        }
        // A wrong check digit, and a number whose check digit would be 10.
        assert!(kinds("943 476 5918").is_empty());
        assert!(kinds("123 456 7890").is_empty());
        // Part of a longer number, or with mixed separators.
        assert!(kinds("19434765919").is_empty());
        assert!(kinds("943 476-5919").is_empty());
        assert!(kinds("ref 9434765919-2").is_empty());
    }

    #[test]
    fn the_999_range_is_for_testing() {
        // 999 000 0018: 9·10 + 9·9 + 9·8 + 1·2 = 245; 245 mod 11 = 3; check digit 8.
        assert_eq!(
            kinds("test patient 999 000 0018"),
            vec![(Kind::TestNhsNumber, "999 000 0018".to_string())]
        );
    }

    #[test]
    fn full_postcodes_but_not_outward_codes_or_lookalikes() {
        for pc in ["M13 9WL", "SW1A 1AA", "LS1 4DY", "B33 8TH", "EC1A1BB"] {
            assert_eq!(kinds(pc), vec![(Kind::Postcode, pc.to_string())], "{pc}");
        }
        // Outward codes alone, areas that do not exist, and inward codes with letters never
        // used (C, I, K, M, O, V).
        for text in [
            "the M13 area",
            "LS1",
            "QQ1 1AA",
            "XY12 3AB",
            "M13 9CI",
            "M1 1AK",
        ] {
            assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
        }
        assert_eq!(find("at M13 9WL")[0].masked, "M13 ***");
        assert_eq!(kinds("at m13 9wl")[0].0, Kind::Postcode);
        // Text beyond ASCII around a finding: punctuation is a boundary, a letter is not.
        assert_eq!(kinds("“M13 9WL”")[0].1, "M13 9WL");
        assert_eq!(kinds("café – LS1 4DY.")[0].1, "LS1 4DY");
        assert!(kinds("éM13 9WL and M13 9WLé").is_empty());
        assert_eq!(
            kinds("“ann@example.org”")[0],
            (Kind::Email, "ann@example.org".into())
        );
        assert!(kinds("ann@example.orgé").is_empty());
    }

    #[test]
    fn dates_of_birth_after_their_words() {
        for text in [
            "DOB 12/03/1990",
            "D.O.B.: 1990-03-12",
            "date of birth 3 March 1990",
            "she was born on 3rd March 1990",
            "Date of birth: March 3, 1990",
        ] {
            let found = kinds(text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert_eq!(found[0].0, Kind::DateOfBirth, "{text}");
        }
        assert!(
            kinds("date of birth\n3 March 1990").is_empty(),
            "never across lines"
        );
        assert!(kinds("born in March 1990").is_empty());
        assert!(
            kinds("date of birth\n3 March 1990").is_empty(),
            "never across lines"
        );
        assert!(kinds("published on 3 March 2024").is_empty());
        assert_eq!(find("DOB 12/03/1990")[0].masked, "**/**/****");
    }

    #[test]
    fn emails_and_phone_numbers() {
        assert_eq!(
            kinds("write to jane.doe@nhs.net today"),
            vec![(Kind::Email, "jane.doe@nhs.net".to_string())]
        );
        assert_eq!(find("jane.doe@nhs.net")[0].masked, "j***@nhs.net");
        for phone in [
            "0161 496 0000",
            "020 7946 0000",
            "07700 900123",
            "+44 7700 900123",
            "(0161) 496 0000",
        ] {
            let found = kinds(&format!("call {phone} now"));
            assert_eq!(found.len(), 1, "{phone}: {found:?}");
            assert_eq!(found[0].0, Kind::Phone, "{phone}");
        }
        // Years, counts and short numbers are not phone numbers.
        for text in [
            "in 2024 and 2025",
            "1,234 women",
            "0161",
            "ratio 0.95 (0.81 to 1.10)",
        ] {
            assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
        }
        assert_eq!(find("0161 496 0000")[0].masked, "**** *** *000");
    }

    #[test]
    fn masks_never_show_an_nhs_number() {
        let found = find("943 476 5919");
        assert_eq!(found[0].masked, "*** *** ****");
        assert_eq!(
            mask_text("`943 476 5919` is not a period; see M13 9WL or a@b.org"),
            "`*** *** ****` is not a period; see M13 *** or a@b.org"
        );
    }
}
