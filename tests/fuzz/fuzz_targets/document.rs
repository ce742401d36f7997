//! One document: front matter, validation, the review gates, links and Markdown.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| lantern::fuzzing::document(bytes));
