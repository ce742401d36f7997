//! Small things with a hostile edge: settings that are not what they claim, an oversized
//! `library.yaml`, aliases over the site's own addresses, and text that would break the
//! human diagnostic format.

use crate::run::{command, expect_exit, library};
use crate::{bounded_run, page, timed};

/// A link whose destination holds a line break (written `&#10;`) is quoted on one line,
/// the break shown as `\n`: a raw one broke the human format's message in two.
#[test]
fn a_line_break_in_a_link_is_quoted_on_one_line() {
    let root = library("hostile-link-line-break");
    page(
        &root,
        "breaks",
        "",
        "See the [bundle](../interventions/qbl&#10;bundle.md) and [results](#res&#13;ults).\n",
    );
    let mut check = command();
    check.args(["check", "--no-history", "--root"]).arg(&root);
    let out = bounded_run(check);
    assert_eq!(out.status.code(), Some(1));
    let human = String::from_utf8_lossy(&out.stderr);
    let messages: Vec<&str> = human.lines().filter(|l| l.starts_with("error[")).collect();
    assert_eq!(
        messages,
        [
            "error[broken-link]: `../interventions/qbl\\nbundle.md` links to content/interventions/qbl\\nbundle.md, which does not exist",
            "error[broken-anchor]: no heading `#res\\rults` in this document",
        ],
        "{human}"
    );
    assert!(
        human.contains("  = hint: did you mean `../interventions/qbl-bundle.md`?\n"),
        "{human}"
    );
    let found = expect_exit(&timed(&root), 1);
    assert!(
        found[0].contains("`../interventions/qbl\\nbundle.md`"),
        "{found:?}"
    );
}
