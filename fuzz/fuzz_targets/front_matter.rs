//! Fuzz target `front_matter`: what it feeds and checks is documented on
//! [`hemiciclo_fuzz::front_matter`], which the regression tests run too.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hemiciclo_fuzz::front_matter(data));
