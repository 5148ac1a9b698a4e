//! Research on the quiz's method, kept out of the site's code.
//!
//! How many cards does a citizen who thinks like party P have to answer
//! before P comes out first? This crate answers it by simulation, for
//! uniform decks ([`hemiciclo_core::sampler::draw_deck`]), stratified decks
//! ([`hemiciclo_core::sampler::draw_stratified`], the site's) and adaptive
//! decks ([`hemiciclo_core::adaptive::Adaptive`]):
//!
//! ```text
//! cargo run --release -p hemiciclo-research --example simulate
//! ```
//!
//! prints the table. It runs the core's samplers and scoring unchanged;
//! the core never depends on this crate, so none of it reaches the site,
//! the generator or the WASM module.
//!
//! * [`parliament`]: a synthetic parliament shaped like the Portuguese one.
//! * [`citizens`]: simulated citizens answering decks on it, and summaries
//!   of many of them.

pub mod citizens;
pub mod parliament;
