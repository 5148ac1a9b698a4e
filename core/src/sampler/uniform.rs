//! The uniform draw: every card as likely. The site does not use it; it
//! is the baseline the site's sampler is measured against, and the
//! simplest sampler a share link can be read with.

use super::DeckSampler;
use crate::rng::SplitMix64;

/// Draws `size` distinct card indices from `0..pool`, in the order they are
/// asked; fewer when the pool is smaller than `size`.
pub fn draw_deck(pool: u32, size: usize, seed: u64) -> Vec<u32> {
    let mut rng = SplitMix64::new(seed);
    let mut indices: Vec<u32> = (0..pool).collect();
    let size = size.min(indices.len());
    // A partial Fisher-Yates shuffle: the first `size` slots end up uniform.
    for slot in 0..size {
        let remaining = (indices.len() - slot) as u64;
        let pick = slot + rng.below(remaining) as usize;
        indices.swap(slot, pick);
    }
    indices.truncate(size);
    indices
}

/// [`draw_deck`]: every card as likely.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Uniform(pub u32);

impl DeckSampler for Uniform {
    fn card_count(&self) -> u32 {
        self.0
    }

    fn draw(&self, size: usize, seed: u64) -> Vec<u32> {
        draw_deck(self.0, size, seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn same_seed_same_deck_other_seed_other_deck() {
        assert_eq!(draw_deck(3500, 10, 42), draw_deck(3500, 10, 42));
        assert_ne!(draw_deck(3500, 10, 42), draw_deck(3500, 10, 43));
    }

    #[test]
    fn decks_have_no_duplicates_and_stay_in_range() {
        for seed in 0..200 {
            let deck = draw_deck(50, 10, seed);
            assert_eq!(deck.len(), 10);
            assert_eq!(deck.iter().collect::<BTreeSet<_>>().len(), 10);
            assert!(deck.iter().all(|&i| i < 50));
        }
    }

    #[test]
    fn small_pools_give_short_decks() {
        let mut deck = draw_deck(4, 10, 1);
        deck.sort_unstable();
        assert_eq!(deck, vec![0, 1, 2, 3]);
        assert!(draw_deck(0, 10, 1).is_empty());
    }

    #[test]
    fn every_card_can_be_drawn_about_equally_often() {
        let mut counts = [0u32; 20];
        for seed in 0..2000 {
            for i in draw_deck(20, 5, seed) {
                counts[i as usize] += 1;
            }
        }
        // Expected 500 each; a biased draw would leave cards far from it.
        assert!(
            counts.iter().all(|&n| (400..600).contains(&n)),
            "{counts:?}"
        );
    }
}
