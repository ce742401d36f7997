use super::*;

fn places(text: &str) -> Vec<(Kind, &str)> {
    in_document(text)
        .into_iter()
        .map(|s| (s.kind, &text[s.range]))
        .collect()
}

#[test]
fn each_value_is_found_once_where_the_file_has_it() {
    let text = "---\ntitle: \"Seen at M13 9WL, \\x39\\x343 476 5919\"\n---\n\n\
                Number 943 476 5919 in plain text, 943\n476 5919 across lines,\n\n\
                **DOB:** 01/02/1990 and <!-- 401 023 2137 --> in a comment.\n";
    assert_eq!(
        places(text),
        [
            (Kind::Postcode, "M13 9WL"),
            (Kind::NhsNumber, "\\x39\\x343 476 5919"),
            (Kind::NhsNumber, "943 476 5919"),
            (Kind::NhsNumber, "943\n476 5919"),
            (Kind::DateOfBirth, "01/02/1990"),
            (Kind::NhsNumber, "401 023 2137"),
        ]
    );
}

#[test]
fn a_text_with_nothing_hidden_is_not_read_again() {
    assert!(in_document("---\ntitle: A\n---\n\nThe audit ran in 2024.\n").is_empty());
    assert_eq!(places("Call 943 476 5919.")[0].1, "943 476 5919");
}

#[test]
fn hidden_values_leave_the_text_as_it_reads() {
    let text = "---\ntitle: 943 476 5919 and \"x\"\nsummary: \"\\x39\\x343 476 5919\"\n---\n\n943 476 5919\n\nAt &#77;13 9WL, DOB: 1 Feb 1990, call 0161 496 0000.\n";
    let hidden = hide(text);
    assert!(!hidden.contains("943") && !hidden.contains("9WL") && !hidden.contains("1990"));
    // Only patient data: a phone number is a warning where it is found, not hidden.
    assert!(hidden.contains("0161 496 0000"), "{hidden}");
    let h = HIDDEN;
    assert!(
        hidden.contains(&format!("{h}{h}{h} {h}{h}{h} {h}{h}{h}{h}")),
        "{hidden}"
    );
    assert!(
        hidden.contains(&format!("\"{h}{h}{h} {h}{h}{h} {h}{h}{h}{h}\"")),
        "{hidden}"
    );
    assert!(
        hidden.contains(&format!("At {h}{h}{h} {h}{h}{h},")),
        "{hidden}"
    );
    // It still reads as YAML and Markdown, and shows as stars.
    let split = crate::frontmatter::split(&hidden).expect("front matter");
    assert!(crate::frontmatter::parse(split.yaml, 2).is_ok());
    assert_eq!(shown(&format!("a{h}{h}b")), "a**b");
    assert_eq!(hide("nothing here"), "nothing here");
}

#[test]
fn file_names_are_read_with_their_separators_as_spaces() {
    let found = in_name("content/media/jane-smith-943-476-5919.jpg");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, Kind::NhsNumber);
    assert_eq!(found[0].masked, "***-***-****");
    assert_eq!(
        mask_name("content/media/jane-smith-943-476-5919.jpg"),
        "content/media/jane-smith-***-***-****.jpg"
    );
    assert_eq!(
        mask_name("content/data/home_m13_9wl.csv"),
        "content/data/home_***_***.csv"
    );
    assert_eq!(
        mask_name("content/data/dob-01-02-1990.txt"),
        "content/data/dob-**-**-****.txt"
    );
    for name in [
        "content/media/pph-bundle-2024-03.png",
        "content/data/pph-rates.csv",
        "content/case-studies/m13-outreach.md",
    ] {
        assert_eq!(mask_name(name), name);
    }
}
