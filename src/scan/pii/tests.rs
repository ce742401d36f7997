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

#[test]
fn every_pattern_compiles() {
    // A pattern that failed to compile would quietly match nothing.
    for r in [&NHS, &POSTCODE, &DOB, &EMAIL, &PHONE, &HIDDEN] {
        assert_ne!(r.as_str(), "$^");
    }
    assert_eq!(ANY.len(), 6);
}

#[test]
fn dates_of_birth_in_their_common_spellings() {
    for (text, date) in [
        ("DOB 1990/02/01", "1990/02/01"),
        ("DOB = 01/02/1990", "01/02/1990"),
        ("DoB—1 Feb 1990", "1 Feb 1990"),
        ("DoB – 1 Feb 1990", "1 Feb 1990"),
        ("D.O.B.: 1990-02-01", "1990-02-01"),
        ("d.o.b 01.02.90", "01.02.90"),
        (
            "date of birth: the 1st of February 1990",
            "the 1st of February 1990",
        ),
        ("Date Of Birth 01-Feb-1990", "01-Feb-1990"),
        ("born on February 1, 1990", "February 1, 1990"),
        ("BORN ON 1 Feb ’90", "1 Feb ’90"),
        ("dob01/02/1990", "01/02/1990"),
        ("Date of birth (DOB): 01/02/1990", "01/02/1990"),
        ("DOB\u{a0}01/02/1990", "01/02/1990"),
        ("{\"dob\": \"1990-02-01\"}", "1990-02-01"),
    ] {
        let found = kinds(text);
        assert_eq!(found, vec![(Kind::DateOfBirth, date.to_string())], "{text}");
    }
    assert_eq!(find("DoB—1 Feb 1990")[0].masked, "* *** ****");
    for text in [
        "published 01/02/1990",
        "the DOB field was empty",
        "dobson 01/02/1990",
        "DOB 01/02/19901",
    ] {
        assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
    }
}

#[test]
fn a_scan_tells_when_the_published_text_may_hold_more() {
    let hidden = |text: &str| scan(text).hidden;
    for text in [
        "NHS number 943\\ 476 5919",
        "NHS number &#57;43 476 5919",
        "943\u{200b}476\u{200b}5919",
        "soft\u{ad}hyphen",
        "943 476\n5919",
        "943 476\n> 5919",
        "943 **476** 5919",
        "9<!-- -->43 476 5919",
        "M<b>13</b> 9WL",
        "M13 9**WL**",
        "S**W1A** 1AA",
        "**DOB:** 01/02/1990",
        "D*O*B 01/02/1990",
        "date of <b>birth</b>",
        "Born\non the day",
    ] {
        assert!(hidden(text), "{text:?}");
    }
    for text in [
        "The audit ran from 2023 to 2024.\nIt found 12 cases.",
        "Women with **gestational diabetes** were offered 3 sessions.",
        "A&E and R&D",
        "no numbers at all",
    ] {
        assert!(!hidden(text), "{text:?}");
    }
}
