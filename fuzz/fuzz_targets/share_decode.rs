//! Fuzz target `share_decode`: what it feeds and checks is documented on
//! [`hemiciclo_fuzz::share_decode`], which the regression tests run too.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hemiciclo_fuzz::share_decode(data));
