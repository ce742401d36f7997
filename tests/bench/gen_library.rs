//! Generates synthetic libraries for benchmarks (being written).
fn main() {}
