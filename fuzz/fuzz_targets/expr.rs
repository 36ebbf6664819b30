//! libFuzzer target: see `quire_fuzz::expr`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| quire_fuzz::expr(data));
