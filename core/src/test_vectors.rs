//! Decks the samplers must always draw, for tests on every platform.
//!
//! Share links leave out the deck their seed draws, so the site's sampler
//! is frozen: the vectors here pin what it draws. The core's tests check
//! them natively, the WASM module's tests in Chromium (a seed draws the
//! same deck in the browser as on the command line) and the share-link
//! fuzzer resolves decks on [`pinned_cards`]. Only tests see this module:
//! it is compiled for the core's own tests and, through the `test-vectors`
//! feature, for the web crate's tests and the fuzzer; the site's builds
//! leave it out.

use crate::model::ProposerKind;
use crate::sampler::CardMeta;

/// Decks `draw_deck` must always draw: (pool, size, seed, deck). Checked
/// by the native tests and by the WASM tests in Chromium, which shows that a
/// seed draws the same deck on every platform.
pub const PINNED_DECKS: &[(u32, usize, u64, &[u32])] = &[
    (20, 5, 0, &[17, 9, 2, 19, 5]),
    (100_000, 3, u64::MAX, &[89394, 91259, 21949]),
    (3, 10, 7, &[1, 0, 2]),
];

/// Cards for [`PINNED_STRATIFIED`]: `count` cards over three
/// legislatures, a third of them government-authored, informativeness
/// cycling through the ten values the bundle carries.
pub fn pinned_cards(count: u32) -> Vec<CardMeta> {
    (0..count)
        .map(|index| CardMeta {
            index,
            legislature: ["XIII", "XIV", "XV"][index as usize % 3].into(),
            topics: Vec::new(),
            date: None,
            proposer: (index % 3 == 1).then_some(ProposerKind::Government),
            informativeness: f64::from(index * 7 % 10) / 9.0,
            eligible: true,
            complete: true,
        })
        .collect()
}

/// Decks the site's sampler ([`crate::sampler::Stratified::new`]) must always draw from
/// [`pinned_cards`]: (card count, seed, deck of 10). Share links leave out
/// the deck their seed draws, so a change here would make every link
/// already shared name other cards: it needs a new share format version.
/// Checked natively and in WASM in Chromium.
pub const PINNED_STRATIFIED: &[(u32, u64, &[u32])] = &[
    (
        2900,
        42,
        &[994, 109, 2324, 631, 460, 808, 984, 1791, 593, 2512],
    ),
    (
        2900,
        u64::MAX,
        &[2231, 2725, 2041, 44, 1234, 2383, 634, 731, 2644, 38],
    ),
    (500, 0, &[386, 7, 214, 88, 481, 55, 195, 471, 157, 123]),
    (12, 7, &[1, 4, 5, 7, 3, 10, 2, 11, 8, 0]),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampler::{draw_deck, DeckSampler, Stratified, DEFAULT_DECK_SIZE};

    #[test]
    fn the_site_sampler_is_frozen() {
        for &(count, seed, deck) in PINNED_STRATIFIED {
            let sampler = Stratified::new(pinned_cards(count));
            assert_eq!(
                sampler.draw(DEFAULT_DECK_SIZE, seed),
                deck,
                "{count} {seed}: the site's sampler changed; bump share::VERSION"
            );
        }
    }

    #[test]
    fn draw_deck_is_frozen() {
        // The uniform baseline draws the same everywhere too (the WASM
        // tests check these same vectors).
        for &(pool, size, seed, deck) in PINNED_DECKS {
            assert_eq!(
                draw_deck(pool, size, seed),
                deck.to_vec(),
                "{pool} {size} {seed}"
            );
        }
    }
}
