use super::*;

/// The published text's lines, and for each `needle` in it, the source text it was read from.
fn read_from(text: &str, needle: &str) -> String {
    let published = document(text, true, true);
    let at = published
        .text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {:?}", published.text));
    let range = published.source(at..at + needle.len());
    text[range].to_string()
}

#[test]
fn front_matter_values_are_read_as_yaml_decodes_them() {
    let text = "---\ntitle: \"NHS \\x39\\x343 476\\u00205919\"\nsummary: >\n  Seen at\n  M13 9WL\n  today.\nnote: 'it''s 943\n  476 5919'\nplain: a value\n  over two lines\ntags: [\"\\u0039\\u00344\"]\n---\n\nBody.\n";
    let published = document(text, true, true);
    let lines: Vec<&str> = published.text.lines().collect();
    assert_eq!(
        lines,
        [
            "NHS 943 476 5919",
            "Seen at M13 9WL today.",
            "it's 943 476 5919",
            "a value over two lines",
            "944",
            "Body."
        ]
    );
    assert_eq!(
        read_from(text, "943 476 5919"),
        "\\x39\\x343 476\\u00205919"
    );
    assert_eq!(read_from(text, "M13 9WL"), "M13 9WL");
    assert_eq!(
        read_from(text, "it's 943 476 5919"),
        "it''s 943\n  476 5919"
    );
    assert_eq!(read_from(text, "944"), "\\u0039\\u00344");
}

#[test]
fn the_body_is_read_as_pulldown_cmark_yields_it() {
    let text = "---\ntitle: T\n---\n\nHer number is 9\\43 &#52;76 &#x35;919, \
                or 943\u{200b}476\u{ad}5919, or 943 **476** 5919\nand M13\n> 9WL.\n\n\
                <div title=\"&#57;43\">Born on&nbsp;1 Feb 1990</div>\n\n\
                `code  943\n476` and 9<!-- x -->43<b>476</b>5919.\n";
    let published = document(text, true, true);
    let lines: Vec<&str> = published.text.lines().collect();
    assert_eq!(
        lines,
        [
            "T",
            "Her number is 9\\43 476 5919, or 9434765919, or 943 476 5919 and M13",
            "9WL.",
            "943",
            "Born on 1 Feb 1990",
            "code  943 476 and 9434765919."
        ]
    );
    assert_eq!(read_from(text, "476 5919,"), "&#52;76 &#x35;919,");
    assert_eq!(read_from(text, "9434765919,"), "943\u{200b}476\u{ad}5919,");
    assert_eq!(read_from(text, "943 476 5919 and"), "943 **476** 5919\nand");
    assert_eq!(read_from(text, "on 1"), "on&nbsp;1");
    assert_eq!(read_from(text, "943 476 and"), "943\n476` and");
    assert_eq!(
        read_from(text, "9434765919."),
        "9<!-- x -->43<b>476</b>5919."
    );
    // Each letter or digit once, with the entity it was written as.
    let at = published.text.find("476 5919,").unwrap_or(0);
    let letters: Vec<&str> = published
        .letters(at..at + 8)
        .into_iter()
        .map(|r| &text[r])
        .collect();
    assert_eq!(letters, ["&#52;", "7", "6", "&#x35;", "9", "1", "9"]);
}

#[test]
fn a_line_break_in_a_paragraph_joins_but_blocks_and_cells_do_not() {
    let text = "943 476\n5919\n\n943 476\n\n5919\n\n| 943 | 476 5919 |\n|---|---|\n\n- 943\n- 476 5919\n\nline  \nbreak\n";
    let lines: Vec<String> = document(text, true, true)
        .text
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(
        lines,
        [
            "943 476 5919",
            "943 476",
            "5919",
            "943",
            "476 5919",
            "943",
            "476 5919",
            "line break"
        ]
    );
}

#[test]
fn a_yaml_file_is_its_values() {
    let text = "title: \"Lib \\x39\"\nvocabularies:\n  outcomes:\n    a: Label\n";
    assert_eq!(yaml(text).text, "Lib 9\nLabel\n");
}

#[test]
fn entities_need_their_semicolon_and_a_known_name() {
    assert_eq!(entity("&#57;x"), Some(("9".to_string(), 5)));
    assert_eq!(entity("&#X39;"), Some(("9".to_string(), 6)));
    assert_eq!(entity("&colon;"), Some((":".to_string(), 7)));
    assert_eq!(entity("&#0;"), Some(("\u{fffd}".to_string(), 4)));
    for text in ["&amp", "& x;", "&nosuch;", "&#xZZ;", "&"] {
        assert_eq!(entity(text), None, "{text}");
    }
}
