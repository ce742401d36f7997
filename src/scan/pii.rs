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

impl Kind {
    /// An NHS number, a full postcode or a date of birth: an error wherever it is, and
    /// masked on pages that show text lantern did not check.
    pub fn identifies(self) -> bool {
        matches!(self, Kind::NhsNumber | Kind::Postcode | Kind::DateOfBirth)
    }

    /// What was found, for messages: `masked` is its masked form.
    pub fn describe(self, masked: &str) -> String {
        match self {
            Kind::NhsNumber => format!("an NHS number ({masked})"),
            Kind::TestNhsNumber => format!("a number in the NHS test range ({masked})"),
            Kind::Postcode => format!("a full postcode ({masked})"),
            Kind::DateOfBirth => format!("a date of birth ({masked})"),
            Kind::Email => format!("an email address ({masked})"),
            Kind::Phone => format!("a phone number ({masked})"),
        }
    }

    /// The rule that reports it.
    pub fn rule(self) -> &'static str {
        match self {
            Kind::NhsNumber | Kind::TestNhsNumber => "nhs-number",
            Kind::Postcode => "postcode",
            Kind::DateOfBirth => "date-of-birth",
            Kind::Email => "email-address",
            Kind::Phone => "phone-number",
        }
    }
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

/// The spaces a date of birth may be written with: never a line break, so that in a source
/// line a finding stays on its line (the published text joins broken lines first).
const SPACE: &str = r"[ \t\x{a0}\x{202f}]";

static DOB: LazyLock<Regex> = LazyLock::new(|| {
    let s = SPACE;
    let year = r"(?:\d{4}|['’]?\d{2})";
    let day = r"\d{1,2}(?:st|nd|rd|th)?";
    // 01/02/1990, 1.2.90, 1990/02/01, 1990-02-01; 1 Feb 1990, the 1st of February 1990,
    // 01-Feb-1990, 1 Feb '90; February 1, 1990.
    let date = format!(
        r"(\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})|\d{{4}}[/.-]\d{{1,2}}[/.-]\d{{1,2}}|(?:the{s}+)?{day}(?:{s}+of)?(?:{s}+|[/.-]){MONTH}\.?(?:,?{s}+|[/.-]){year}|{MONTH}\.?{s}+{day},?{s}+{year}){B}"
    );
    // DOB, D.O.B., date of birth, born on; then `:`, `=`, a dash, quotes (`"dob": "…"`), a
    // word, spaces or nothing.
    regex(&format!(
        r#"(?i){B}(?:d\.?o\.?b\.?|date{s}+of{s}+birth|born{s}+on)(?:(?:{s}*(?:[:=~)"'“”‘’\-–—]|was|is|of){s}*)+|{s}*){date}"#
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

/// What in a source text may read as a finding once published although it is not one as
/// written: an escape or an entity, a character that shows as nothing, digits broken by a
/// line break or by markup, and the words of a date of birth however they are marked up.
/// Where none is, the published text holds nothing that the source text does not show.
static HIDDEN: LazyLock<Regex> = LazyLock::new(|| {
    // Markup that joins what is either side of it: emphasis, code, links, HTML tags.
    let markup = r"(?:[*_~`\[\]]+|<[^<>\n]*>|\]\([^()\n]*\))";
    let joint = format!(r"(?:[ \t]*(?:\r?\n[ \t>]*|{markup}))+[ \t]*");
    let gap = r"(?:[^0-9A-Za-z]|<[^<>\n]*>)";
    regex(&format!(
        r"\\|&(?:#[0-9]{{1,7}}|#[xX][0-9a-fA-F]{{1,6}}|[A-Za-z][A-Za-z0-9]{{1,31}});|[\x{{ad}}\x{{200b}}-\x{{200d}}\x{{2060}}\x{{feff}}]|\d{joint}\d|[A-Za-z]{markup}+[A-Za-z]?\d|\d{markup}+[A-Za-z]{{2}}{B}|(?i:{B}(?:d{gap}{{0,3}}o{gap}{{0,3}}b|date{gap}{{1,12}}of{gap}{{1,12}}birth|born{gap}{{1,12}}on){B})"
    ))
});

/// Every pattern at once, in the order [`find`] tries them, then [`HIDDEN`]: for a text
/// that [`ONE`] finds something in, one pass tells which patterns match.
static ANY: LazyLock<RegexSet> = LazyLock::new(|| {
    let patterns = [&NHS, &POSTCODE, &DOB, &EMAIL, &PHONE, &HIDDEN].map(|r| r.as_str());
    // Each pattern compiled on its own above; should the set fail, every pattern is tried.
    RegexSet::new(patterns)
        .unwrap_or_else(|_| RegexSet::new([""; 6]).unwrap_or_else(|_| unreachable!()))
});

/// Patterns joined as one: most texts match none, and one pattern tells that sooner than a
/// set, which must look for every pattern's matches.
fn joined(patterns: &[&LazyLock<Regex>]) -> Regex {
    let either: Vec<String> = patterns
        .iter()
        .map(|r| format!("(?:{})", r.as_str()))
        .collect();
    Regex::new(&either.join("|"))
        .unwrap_or_else(|_| Regex::new("").unwrap_or_else(|_| unreachable!()))
}

/// The five patterns as one, for [`find`].
static ONE: LazyLock<Regex> = LazyLock::new(|| joined(&[&NHS, &POSTCODE, &DOB, &EMAIL, &PHONE]));

/// The five patterns and [`HIDDEN`] as one, for [`scan`].
static ONE_OR_HIDDEN: LazyLock<Regex> =
    LazyLock::new(|| joined(&[&NHS, &POSTCODE, &DOB, &EMAIL, &PHONE, &HIDDEN]));

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
    if !ONE.is_match(text) {
        return Vec::new();
    }
    found(text, &ANY.matches(text))
}

/// What [`scan`] finds in a source text.
#[derive(Debug, Default)]
pub struct Scan {
    /// Everything identifying in the text as written, in order.
    pub found: Vec<Found>,
    /// Whether the text as published (escapes and entities resolved, broken lines joined,
    /// markup left out) may hold more: then it must be read as published too.
    pub hidden: bool,
}

/// [`find`] for a source text, in the same pass telling whether its published text may
/// hold more than it shows as written.
pub fn scan(text: &str) -> Scan {
    if !ONE_OR_HIDDEN.is_match(text) {
        return Scan::default();
    }
    let any = ANY.matches(text);
    Scan {
        found: found(text, &any),
        hidden: any.matched(5),
    }
}

/// Where in `text` something may read as a finding once published (see [`Scan::hidden`]):
/// so that only the parts of a document that need it are read as published.
pub fn hidden_at(text: &str) -> impl Iterator<Item = usize> + '_ {
    HIDDEN.find_iter(text).map(|m| m.start())
}

/// Everything identifying in `text`, trying the patterns that `any` says match.
fn found(text: &str, any: &regex::SetMatches) -> Vec<Found> {
    let mut out = Vec::new();
    let mut nhs_ranges = Vec::new();
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
        if f.kind.identifies() && f.range.start >= at {
            out.push_str(&text[at..f.range.start]);
            out.push_str(&f.masked);
            at = f.range.end;
        }
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests;
