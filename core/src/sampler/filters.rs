//! Which cards a deck may be drawn from: legislature, topic, dates, a
//! curated list, eligibility. Every sampler and every swap asks the same
//! [`Filters`], so a deck never strays from what its reader chose.

use super::CardMeta;
use crate::date::Date;
use std::collections::{BTreeMap, BTreeSet};

/// Which cards a deck may hold. The default admits every eligible card.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Only these legislatures; empty for all.
    pub legislatures: Vec<String>,
    /// Only cards with at least one of these topics; empty for all.
    pub topics: Vec<String>,
    /// Only cards dated on or after this day.
    pub from: Option<Date>,
    /// Only cards dated on or before this day.
    pub until: Option<Date>,
    /// A curated deck (a journalist's choice of card numbers): no sampling,
    /// the deck is these cards in this order, less those the other filters
    /// refuse, unknown numbers and repeats, cut at the deck size. Swaps then
    /// draw from the curated cards left over.
    pub curated: Option<Vec<u32>>,
    /// Also admit cards that are not [`CardMeta::eligible`] (unanimous
    /// votes, votes on part of a text). Off by default.
    pub include_ineligible: bool,
    /// Only cards every seated actor voted on ([`CardMeta::complete`]):
    /// what the quiz's own decks ask, so that the parties it compares are
    /// scored on the same cards. Off here, on in [`Filters::seated_now`].
    pub complete_only: bool,
}

impl Filters {
    /// The quiz's own decks: cards of `legislatures` (all when empty) that
    /// every seated actor voted on.
    pub fn seated_now(legislatures: Vec<String>) -> Filters {
        Filters {
            legislatures,
            complete_only: true,
            ..Filters::default()
        }
    }

    /// Whether `card` passes every filter but the curated list.
    pub fn admits(&self, card: &CardMeta) -> bool {
        (card.eligible || self.include_ineligible)
            && (card.complete || !self.complete_only)
            && (self.legislatures.is_empty() || self.legislatures.contains(&card.legislature))
            && (self.topics.is_empty() || card.topics.iter().any(|t| self.topics.contains(t)))
            && self
                .from
                .is_none_or(|from| card.date.is_some_and(|date| date >= from))
            && self
                .until
                .is_none_or(|until| card.date.is_some_and(|date| date <= until))
    }
}

/// Legislature names as a reader types them (`xv`, ` XV `) in the form
/// the data gives them (`XV`): trimmed, then the name of `known` (the
/// data's legislatures) that they spell in any case; a name that spells
/// none is kept in capitals (and admits no card). Empty names are left
/// out. The page's `?legislatura=` and `hemiciclo quiz --legislature` both
/// read names through this, so that the two draw the same deck.
///
/// Case is folded in ASCII only: the WASM module carries no Unicode case
/// tables, and legislatures are numbered (`XV`, `2020-2026`).
pub fn legislature_names<S: AsRef<str>>(typed: &[S], known: &[&str]) -> Vec<String> {
    typed
        .iter()
        .map(|name| name.as_ref().trim())
        .filter(|name| !name.is_empty())
        .map(
            |name| match known.iter().find(|k| k.eq_ignore_ascii_case(name)) {
                Some(known) => (*known).to_owned(),
                None => name.to_ascii_uppercase(),
            },
        )
        .collect()
}

/// The cards `filters` admit, each card number once (the first entry of
/// `cards` with that number wins): in curated order for a curated deck,
/// else in the order of `cards`.
pub fn candidates<'a>(cards: &'a [CardMeta], filters: &Filters) -> Vec<&'a CardMeta> {
    let mut taken = BTreeSet::new();
    match &filters.curated {
        Some(list) => {
            let mut by_index: BTreeMap<u32, &CardMeta> = BTreeMap::new();
            for card in cards {
                by_index.entry(card.index).or_insert(card);
            }
            list.iter()
                .filter_map(|index| by_index.get(index).copied())
                .filter(|card| filters.admits(card) && taken.insert(card.index))
                .collect()
        }
        None => cards
            .iter()
            .filter(|card| taken.insert(card.index) && filters.admits(card))
            .collect(),
    }
}
