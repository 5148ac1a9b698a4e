//! What a share link holds: the dataset's tag, the seed, how the deck is
//! named and the responses, with the rules every share obeys so that it
//! has exactly one code.

use super::codec::{listed_bits, swapped_bits};
use super::error::inconsistent;
use super::{ShareError, MAX_CARDS};
use crate::affinity::Response;
use crate::sampler::DeckSampler;
use std::fmt;

/// Bits of a [`DatasetTag`].
pub(super) const TAG_BITS: u32 = 24;

/// A 24-bit tag of a dataset id: enough to tell datasets apart, short
/// enough for a link.
///
/// The generator's ids are 12 hexadecimal digits of a content hash; their
/// tag is the value of the first six, so it prints as the id's beginning
/// (`a1b2c3` for `a1b2c3d4e5f6`) and a person can compare the two. Other
/// ids (tests use `"t"`) are hashed with FNV-1a instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DatasetTag(pub(super) u32);

impl DatasetTag {
    pub fn of(dataset_id: &str) -> DatasetTag {
        let bytes = dataset_id.as_bytes();
        let hex_prefix = bytes
            .get(..6)
            .filter(|p| p.iter().all(u8::is_ascii_hexdigit));
        if let Some(prefix) = hex_prefix {
            let value = prefix.iter().fold(0u32, |value, &byte| {
                // Every byte is a hex digit, so `to_digit` cannot fail.
                (value << 4) | (byte as char).to_digit(16).unwrap_or(0)
            });
            return DatasetTag(value);
        }
        let hash = bytes.iter().fold(0x811c_9dc5u32, |hash, &byte| {
            (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
        });
        DatasetTag((hash ^ (hash >> TAG_BITS)) & ((1 << TAG_BITS) - 1))
    }

    /// The tag as a number below 2^24.
    pub fn value(self) -> u32 {
        self.0
    }
}

impl fmt::Display for DatasetTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06x}", self.0)
    }
}

/// One place of the drawn deck that holds another card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Swap {
    /// Zero-based place in the deck.
    pub position: u8,
    /// The card asked there instead of the drawn one.
    pub card: u32,
}

/// How a link names its cards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SharedDeck {
    /// The deck the seed draws with the site's sampler.
    Drawn,
    /// The drawn deck with some places holding other cards, in increasing
    /// order of place.
    Swapped(Vec<Swap>),
    /// The card numbers, in the order they were asked.
    Listed(Vec<u32>),
}

/// A quiz result as a share link carries it.
///
/// Built with [`Share::new`] (or [`Share::from_parts`]) or by [`super::decode`];
/// both check the same rules, so every `Share` can be encoded and decodes
/// back to itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    dataset: DatasetTag,
    seed: u64,
    deck: SharedDeck,
    responses: Vec<Response>,
}

impl Share {
    /// The share of a finished quiz: `deck` holds the card numbers in the
    /// order asked and `responses` the citizen's response to each.
    /// `sampler` is the site's: the deck `seed` drew with it is left out of
    /// the link, so the link must be read with the same sampler.
    pub fn new(
        dataset_id: &str,
        seed: u64,
        sampler: &dyn DeckSampler,
        deck: &[u32],
        responses: &[Response],
    ) -> Result<Share, ShareError> {
        let card_count = sampler.card_count();
        check_count(deck.len())?;
        if deck.len() != responses.len() {
            return Err(inconsistent("the deck and the answers differ in length"));
        }
        if deck.iter().any(|&card| card >= card_count) {
            return Err(ShareError::NotInDataset { card_count });
        }
        check_distinct(deck)?;
        let drawn = sampler.draw(deck.len(), seed);
        let swaps: Vec<Swap> = deck
            .iter()
            .zip(&drawn)
            .enumerate()
            .filter(|(_, (card, drawn))| card != drawn)
            .map(|(position, (&card, _))| Swap {
                position: position as u8,
                card,
            })
            .collect();
        let deck = if drawn.len() != deck.len() {
            // The sampler draws fewer cards than the deck holds: only a list says which.
            SharedDeck::Listed(deck.to_vec())
        } else if swaps.is_empty() {
            SharedDeck::Drawn
        } else if swapped_bits(deck.len(), &swaps) < listed_bits(deck) {
            SharedDeck::Swapped(swaps)
        } else {
            SharedDeck::Listed(deck.to_vec())
        };
        Share::from_parts(DatasetTag::of(dataset_id), seed, deck, responses.to_vec())
    }

    /// A share from its parts as they are written in the link. Refuses a
    /// deck of more than [`MAX_CARDS`] cards, swaps out of order or outside
    /// the deck, a listed deck of another length than the responses or with
    /// a card twice.
    pub fn from_parts(
        dataset: DatasetTag,
        seed: u64,
        deck: SharedDeck,
        responses: Vec<Response>,
    ) -> Result<Share, ShareError> {
        let n = responses.len();
        check_count(n)?;
        match &deck {
            SharedDeck::Drawn => {}
            SharedDeck::Swapped(swaps) => {
                if swaps.is_empty() {
                    return Err(inconsistent("a deck with swaps has none"));
                }
                let in_order = swaps.windows(2).all(|w| w[0].position < w[1].position);
                if !in_order || swaps.iter().any(|s| usize::from(s.position) >= n) {
                    return Err(inconsistent("a swap is out of order or outside the deck"));
                }
            }
            SharedDeck::Listed(cards) => {
                if cards.len() != n {
                    return Err(inconsistent("the deck and the answers differ in length"));
                }
                check_distinct(cards)?;
            }
        }
        Ok(Share {
            dataset,
            seed,
            deck,
            responses,
        })
    }

    /// The tag of the dataset the link was made on.
    pub fn dataset(&self) -> DatasetTag {
        self.dataset
    }

    /// Whether the link was made on the dataset with this id (the
    /// manifest's `dataset_id`). When it was not, its cards are other
    /// cards: the caller should say so, naming [`Share::dataset`].
    pub fn matches_dataset(&self, dataset_id: &str) -> bool {
        self.dataset == DatasetTag::of(dataset_id)
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// How the link names its cards; [`Share::cards`] gives the card numbers.
    pub fn deck(&self) -> &SharedDeck {
        &self.deck
    }

    /// The citizen's responses, in deck order.
    pub fn responses(&self) -> &[Response] {
        &self.responses
    }

    /// Number of cards in the deck.
    pub fn len(&self) -> usize {
        self.responses.len()
    }

    pub fn is_empty(&self) -> bool {
        self.responses.is_empty()
    }

    /// The card numbers of the deck, in the order asked, on the cards of
    /// `sampler` (the site's). Fails with [`ShareError::NotInDataset`]
    /// when the cards cannot be those of this dataset; check
    /// [`Share::matches_dataset`] first, as cards that do exist on other
    /// data are still other cards. A deck that is not listed is drawn again.
    pub fn cards(&self, sampler: &dyn DeckSampler) -> Result<Vec<u32>, ShareError> {
        let n = self.len();
        let card_count = sampler.card_count();
        let cards = match &self.deck {
            SharedDeck::Listed(cards) => cards.clone(),
            SharedDeck::Drawn | SharedDeck::Swapped(_) => {
                let mut cards = sampler.draw(n, self.seed);
                if cards.len() < n {
                    return Err(ShareError::NotInDataset { card_count });
                }
                if let SharedDeck::Swapped(swaps) = &self.deck {
                    for swap in swaps {
                        cards[usize::from(swap.position)] = swap.card;
                    }
                }
                cards
            }
        };
        if cards.iter().any(|&card| card >= card_count) || check_distinct(&cards).is_err() {
            return Err(ShareError::NotInDataset { card_count });
        }
        Ok(cards)
    }
}

pub(super) fn check_count(n: usize) -> Result<(), ShareError> {
    if n > MAX_CARDS {
        return Err(ShareError::TooManyCards {
            found: n,
            max: MAX_CARDS,
        });
    }
    Ok(())
}

/// Decks are at most [`MAX_CARDS`] long: comparing every pair is cheap.
pub(super) fn check_distinct(cards: &[u32]) -> Result<(), ShareError> {
    let repeated = cards
        .iter()
        .enumerate()
        .any(|(i, card)| cards[..i].contains(card));
    if repeated {
        return Err(inconsistent("a card appears twice in the deck"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_ids_tag_as_their_prefix_others_are_hashed() {
        let tag = DatasetTag::of("a1b2c3d4e5f6");
        assert_eq!(tag.value(), 0xa1b2c3);
        assert_eq!(tag.to_string(), "a1b2c3");
        assert_eq!(DatasetTag::of("A1B2C3ffffff"), tag);
        assert_ne!(DatasetTag::of("t"), DatasetTag::of("u"));
        assert!(DatasetTag::of("+1b2c3d4e5f6").value() < 1 << 24);
        assert!(DatasetTag::of("").value() < 1 << 24);
    }
}
