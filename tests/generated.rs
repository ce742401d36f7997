//! The benchmark generator's libraries follow the content model: a generated library of
//! 1,000 documents builds without a single diagnostic.

#[path = "bench/gen_library/lib.rs"]
mod gen_library;

use std::path::Path;

#[test]
fn a_generated_library_of_1000_documents_builds_cleanly() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generated-1000");
    let stats = gen_library::generate(1000, &dir, 1, true).expect("generate");
    let build = lantern::build(&lantern::Options {
        root: dir.clone(),
        drafts: false,
    })
    .expect("build");
    let shown: Vec<String> = build
        .diagnostics
        .iter()
        .take(5)
        .map(ToString::to_string)
        .collect();
    assert!(
        build.diagnostics.is_empty(),
        "{} diagnostics, first: {shown:#?}",
        build.diagnostics.len()
    );
    assert!(
        build.documents > 950,
        "only {} documents published ({stats})",
        build.documents
    );
    assert!(
        build.files.len() > build.documents,
        "pages missing: {} files",
        build.files.len()
    );
}
