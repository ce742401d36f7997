//! The data reader held to its diagnostics: each bad row at its place, with a message
//! that says what is wrong, and sane values only.

use super::*;

fn messages(result: Result<Series, Vec<Diagnostic>>) -> Vec<String> {
    result
        .expect_err("diagnostics")
        .iter()
        .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
        .collect()
}

#[test]
fn reads_values_and_ratios_in_period_order() {
    let s = series("d.csv", "period,value\n2024-02,3\n2024-01,1.5\n", 100.0).expect("ok");
    assert_eq!(s.values, vec![1.5, 3.0]);
    assert_eq!(s.periods[0].short(), "Jan 2024");
    let r = series(
        "d.csv",
        "\u{feff}period,numerator,denominator\r\n2024-01-15,1,4\r\n",
        100.0,
    )
    .expect("ok");
    assert_eq!(r.values, vec![25.0]);
    assert_eq!(r.periods[0].short(), "15 Jan 2024");
}

#[test]
fn bad_rows_are_diagnostics_at_their_place() {
    let text = "period,value\n2024-01,1\n2024-13,2\n2024-03,x\n2024-01,4\n2024-05\n";
    assert_eq!(
        messages(series("d.csv", text, 100.0)),
        vec![
            "3:1: `2024-13` is not a period",
            "4:9: `value` is `x`, not a number",
            "5:1: period 2024-01 appears twice (first on line 2)",
            "6:8: missing value for `value`",
        ]
    );
    let zero = "period,numerator,denominator\n2024-01,1,0\n";
    assert_eq!(
        messages(series("d.csv", zero, 100.0)),
        vec!["2:11: the denominator for 2024-01 is zero"]
    );
    assert_eq!(
        messages(series("d.csv", "period,count\n2024-01,1\n", 100.0)),
        vec!["1:1: missing column `value`"]
    );
    assert_eq!(
        messages(series("d.csv", "", 100.0)),
        vec!["1:1: the data file is empty"]
    );
    assert_eq!(
        messages(series("d.csv", "period,value\n", 100.0)),
        vec!["2:1: the data file has a header but no rows"]
    );
}

/// Found by fuzzing: a header without a line break after it, and no rows, was
/// reported on the line after the end of the file.
#[test]
fn a_header_alone_without_a_line_break_is_reported_at_its_end() {
    assert_eq!(
        messages(series("d.csv", "period,value,v-1", 100.0)),
        vec!["1:17: the data file has a header but no rows"]
    );
}

#[test]
fn values_quoted_in_messages_are_masked() {
    let text = "period,value\n943 476 5919,1\n";
    assert_eq!(
        messages(series("d.csv", text, 100.0)),
        vec!["2:1: `*** *** ****` is not a period"]
    );
}

/// Found by fuzzing: the csv crate places a row after a blank line on the blank line,
/// so its problems were reported a line early, at a column past that line's end; and a
/// value was looked for in the rest of the file, not on its own line.
#[test]
fn a_row_after_blank_lines_is_located_on_its_own_line() {
    let text = "period,value\n2024-01,1\n\n\r\n2024-13,2\n";
    let found = messages(series("d.csv", text, 100.0));
    assert_eq!(found, ["5:1: `2024-13` is not a period"]);
    let text = "period,value\n2024-01,\"1\n2\"\n2024-02,x\n2024-03,\n";
    let found = messages(series("d.csv", text, 100.0));
    assert_eq!(
        found,
        [
            "2:10: `value` is `1\\n2`, not a number",
            "4:9: `value` is `x`, not a number",
            "5:9: missing value for `value`"
        ]
    );
}

#[test]
fn values_and_counts_are_sane() {
    let text =
        "period,value\n2024-01,NaN\n2024-02,inf\n2024-03,1e400\n2024-04,-2.5\n2024-05,-1e13\n";
    assert_eq!(
        messages(series("d.csv", text, 100.0)),
        [
            "2:9: `value` is `NaN`, not a number",
            "3:9: `value` is `inf`, not a number",
            "4:9: `value` is `1e400`, larger than a chart can draw",
            "6:9: `value` is `-1e13`, larger than a chart can draw",
        ]
    );
    let text = "period,numerator,denominator\n2024-01,-3,40\n2024-02,50,40\n2024-03,1,-40\n2024-04,2.5,40\n2024-05,1,99999999999999\n";
    assert_eq!(
        messages(series("d.csv", text, 100.0)),
        [
            "2:9: `numerator` is `-3`, below zero",
            "3:9: the numerator for 2024-02 is more than its denominator",
            "4:11: `denominator` is `-40`, below zero",
            "5:9: `numerator` is `2.5`, not a whole number",
            "6:11: `denominator` is `99999999999999`, larger than any count lantern takes",
        ]
    );
}

#[test]
fn groups_need_whole_counts_and_a_population() {
    let text = "group,events,population\na,3,100\nb,2.5,100\nc,1,0\na,1,1\nd,-1,5\ne,6,5\n";
    let errors: Vec<String> = groups("g.csv", text)
        .expect_err("diagnostics")
        .iter()
        .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
        .collect();
    assert_eq!(
        errors,
        vec![
            "3:3: `events` is `2.5`, not a whole number",
            "4:5: the population of `c` is zero",
            "5:1: group `a` appears twice (first on line 2)",
            "6:3: `events` is `-1`, below zero",
            "7:3: the events of `e` are more than its population",
        ]
    );
}

#[test]
fn cells_are_read_as_written_with_their_places() {
    let found = cells("period,numerator\n2024-01, 5\n");
    assert_eq!(found[1][1], (" 5".to_string(), Pos::new(2, 9, 2)));
}
