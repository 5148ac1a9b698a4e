//! The deck in play: the cards being asked, and swapping one for a card
//! never shown. Swaps draw as the stratified sampler does, from a stream
//! of their own, so the same swaps on the same seed give the same cards.

use super::stratified::{weighted_take, Weighted};
use super::{candidates, draw_stratified, CardMeta, Filters};
use crate::rng::{derive_seed, SplitMix64};
use std::collections::BTreeSet;
use std::fmt;

/// How many times a citizen may swap a card of one deck.
pub const MAX_SWAPS: u32 = 3;

/// Separates the swaps' random stream from the others of a seed ("SWAP" in ASCII).
const SWAP_STREAM: u64 = 0x5357_4150;

/// A deck being answered, with what swapping needs: every card it has
/// shown (swapped-out cards included) and how many swaps were used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckInPlay {
    cards: Vec<u32>,
    seen: BTreeSet<u32>,
    swaps_used: u32,
    seed: u64,
}

impl DeckInPlay {
    /// A deck of the given cards; `seed` drives its swaps.
    pub fn new(cards: Vec<u32>, seed: u64) -> DeckInPlay {
        // Inserted one by one: collecting would pull a stable sort into
        // the WASM module for nothing.
        let mut seen = BTreeSet::new();
        for &card in &cards {
            seen.insert(card);
        }
        DeckInPlay {
            cards,
            seen,
            swaps_used: 0,
            seed,
        }
    }

    /// A deck in play again, from its cards and the cards swapped away
    /// (which count as shown, and as swaps used): how a page hands its
    /// deck from one module to another.
    pub fn resume(cards: Vec<u32>, swapped_out: &[u32], seed: u64) -> DeckInPlay {
        let mut deck = DeckInPlay::new(cards, seed);
        for &card in swapped_out {
            deck.seen.insert(card);
        }
        deck.swaps_used = u32::try_from(swapped_out.len()).unwrap_or(u32::MAX);
        deck
    }

    /// The cards shown and swapped away, in increasing order.
    pub fn swapped_out(&self) -> Vec<u32> {
        self.seen
            .iter()
            .copied()
            .filter(|card| !self.cards.contains(card))
            .collect()
    }

    /// [`draw_stratified`] as a deck that can swap.
    pub fn draw(
        cards: &[CardMeta],
        filters: &Filters,
        size: usize,
        seed: u64,
        government_share: f64,
    ) -> DeckInPlay {
        DeckInPlay::new(
            draw_stratified(cards, filters, size, seed, government_share),
            seed,
        )
    }

    /// The cards, in the order they are asked.
    pub fn cards(&self) -> &[u32] {
        &self.cards
    }

    /// Every card this deck has held, swapped-out ones included.
    /// Adds `card` at the end of the deck (a deck that continues); false,
    /// and nothing added, when the deck has shown it already.
    pub fn push(&mut self, card: u32) -> bool {
        let new = self.seen.insert(card);
        if new {
            self.cards.push(card);
        }
        new
    }

    pub fn seen(&self) -> &BTreeSet<u32> {
        &self.seen
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn swaps_used(&self) -> u32 {
        self.swaps_used
    }

    pub fn swaps_left(&self) -> u32 {
        MAX_SWAPS.saturating_sub(self.swaps_used)
    }

    /// Replaces the card at `position` with one this deck has never held,
    /// among those `filters` admit (pass the filters the deck was drawn
    /// with), and returns it. The new card comes from the stratum of the
    /// card it replaces when that stratum has one left, else from the other,
    /// drawn by weight as in [`draw_stratified`]. The choice is a function
    /// of the seed, the swap count and the cards already seen. A failed swap
    /// changes nothing and does not count.
    pub fn swap(
        &mut self,
        position: usize,
        cards: &[CardMeta],
        filters: &Filters,
    ) -> Result<u32, SwapError> {
        if self.swaps_used >= MAX_SWAPS {
            return Err(SwapError::NoSwapsLeft);
        }
        let Some(&out) = self.cards.get(position) else {
            return Err(SwapError::NoSuchPlace {
                position,
                len: self.cards.len(),
            });
        };
        let stratum = cards
            .iter()
            .find(|card| card.index == out)
            .map(CardMeta::stratum);
        let (mut same, mut other): (Vec<Weighted>, Vec<Weighted>) = (Vec::new(), Vec::new());
        for card in candidates(cards, filters) {
            if self.seen.contains(&card.index) {
                continue;
            }
            let entry = (card.index, card.weight());
            if stratum.is_none_or(|s| s == card.stratum()) {
                same.push(entry);
            } else {
                other.push(entry);
            }
        }
        let pool = if same.is_empty() {
            &mut other
        } else {
            &mut same
        };
        let mut rng = SplitMix64::new(derive_seed(
            self.seed,
            SWAP_STREAM,
            u64::from(self.swaps_used),
        ));
        let card = *weighted_take(pool, 1, &mut rng)
            .first()
            .ok_or(SwapError::Exhausted)?;
        self.cards[position] = card;
        self.seen.insert(card);
        self.swaps_used += 1;
        Ok(card)
    }
}

/// Why a card could not be swapped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SwapError {
    /// The deck already used its [`MAX_SWAPS`] swaps.
    NoSwapsLeft,
    /// There is no card at `position` in a deck of `len` cards.
    NoSuchPlace { position: usize, len: usize },
    /// Every card the filters admit has already been seen.
    Exhausted,
}

impl fmt::Display for SwapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SwapError::NoSwapsLeft => write!(f, "this deck has used its {MAX_SWAPS} swaps"),
            SwapError::NoSuchPlace { position, len } => {
                write!(f, "no card at place {position} of a deck of {len}")
            }
            SwapError::Exhausted => f.write_str("no card left that this deck has not shown"),
        }
    }
}

impl std::error::Error for SwapError {}
