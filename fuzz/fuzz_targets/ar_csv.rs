//! Fuzz target `ar_csv`: what it feeds and checks is documented on
//! [`hemiciclo_fuzz::ar_csv`], which the regression tests run too.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hemiciclo_fuzz::ar_csv(data));
