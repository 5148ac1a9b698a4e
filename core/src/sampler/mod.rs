//! Drawing the deck of cards a citizen is asked about.
//!
//! Two samplers live here:
//!
//! * [`draw_deck`], a uniform draw over card numbers ([`Uniform`]): the
//!   baseline the research simulation compares against.
//! * [`draw_stratified`], the site's sampler ([`Stratified`]): cards
//!   filtered by legislature, topic, date range or a curated list
//!   ([`Filters`]); about 60% of the deck from government-authored
//!   proposals and 40% from the others, falling back to the other group
//!   when one runs out; within each group a draw without replacement that
//!   favours informative votes (those where the parties split). Share
//!   links leave out the deck it draws, so it is frozen: the test vectors
//!   (`test_vectors::PINNED_STRATIFIED`) pin it, and changing it needs a
//!   new share format version.
//!
//! A drawn deck is then played as a [`DeckInPlay`], which swaps cards the
//! citizen would rather not answer for others it has never shown.
//!
//! Everything is a function of its inputs and a `u64` seed only, through
//! [`crate::rng::SplitMix64`] and integer arithmetic: the same seed on the
//! same cards gives the same deck in the browser (WASM), on the command
//! line and in tests. The card metadata ([`CardMeta`]) is built by the
//! caller: from the proposals in the generator, from the manifest's
//! [`crate::bundle::Sampling`] table in the browser and in `hemiciclo quiz`.

mod deck_in_play;
mod filters;
mod stratified;
mod uniform;

pub use deck_in_play::{DeckInPlay, SwapError, MAX_SWAPS};
pub use filters::{candidates, legislature_names, Filters};
pub use stratified::{
    draw_stratified, CardMeta, Stratified, Stratum, DEFAULT_GOVERNMENT_SHARE, WEIGHT_FLOOR,
};
pub use uniform::{draw_deck, Uniform};

/// Default number of cards in a deck.
pub const DEFAULT_DECK_SIZE: usize = 10;

/// A way of drawing a deck from a seed. A share link leaves the deck out
/// when the site's sampler draws it again from the link's seed, so the
/// link is read with the same sampler it was made with.
pub trait DeckSampler {
    /// Number of cards drawn from, numbered from 0.
    fn card_count(&self) -> u32;
    /// The deck of up to `size` cards that `seed` draws.
    fn draw(&self, size: usize, seed: u64) -> Vec<u32>;
}

#[cfg(test)]
mod tests;
