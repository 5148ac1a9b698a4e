//! Fuzz target `bundle`: what it feeds and checks is documented on
//! [`hemiciclo_fuzz::bundle`], which the regression tests run too.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hemiciclo_fuzz::bundle(data));
