//! Search text: folding, splitting and stemming.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| lantern::fuzzing::search(bytes));
