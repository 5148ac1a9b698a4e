//! The fuzz targets' bodies: one function per target, each feeding
//! arbitrary bytes to one decoder of outside input and checking what is
//! true of any result. `fuzz_targets/*.rs` are one line each; the
//! generator's tests run the inputs kept in `fuzz/regressions/` through
//! the same functions.

#![forbid(unsafe_code)]

mod core_decoders;
mod decoders;

pub use core_decoders::{bundle, share_decode};
pub use decoders::{ar_csv, ar_json, detalhe, front_matter, popolo, site_toml, table};
