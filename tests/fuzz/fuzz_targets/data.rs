//! One data file: CSV parsing, SPC charts and the equity table, drawn as SVG.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| lantern::fuzzing::data(bytes));
