//! Drawing the deck of cards a citizen is asked about.
//!
//! Two samplers live here:
//!
//! * [`draw_deck`], a uniform draw over card numbers: the baseline the
//!   simulation compares against ([`Uniform`]).
//! * [`draw_stratified`] (and [`Deck`] for swaps), the site's sampler
//!   ([`Stratified`]): cards filtered by legislature, topic, date range or a
//!   curated list; about 60% of the deck from government-authored
//!   proposals and 40% from the others, falling back to the other group
//!   when one runs out; within each group a draw without replacement that
//!   favours informative votes (those where the parties split). Share
//!   links leave out the deck it draws, so it is frozen: the test vectors
//!   (`test_vectors::PINNED_STRATIFIED`) pin it, and changing it needs a
//!   new share format version.
//!
//! Both are functions of their inputs and a `u64` seed only, through
//! [`SplitMix64`] and integer arithmetic: the same seed on the same cards
//! gives the same deck in the browser (WASM), on the command line and in
//! tests. The card metadata ([`CardMeta`]) is built by the caller: from
//! the proposals in the generator, from the manifest's
//! [`crate::bundle::Sampling`] table in the browser and in `hemiciclo quiz`.

use crate::date::Date;
use crate::model::{Proposal, ProposerKind, Vote};
use crate::rng::SplitMix64;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Default number of cards in a deck.
pub const DEFAULT_DECK_SIZE: usize = 10;

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

/// A way of drawing a deck from a seed. A share link leaves the deck out
/// when the site's sampler draws it again from the link's seed, so the
/// link is read with the same sampler it was made with.
pub trait DeckSampler {
    /// Number of cards drawn from, numbered from 0.
    fn card_count(&self) -> u32;
    /// The deck of up to `size` cards that `seed` draws.
    fn draw(&self, size: usize, seed: u64) -> Vec<u32>;
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

/// [`draw_stratified`] over fixed cards, filters and share: the site's
/// sampler.
#[derive(Debug, Clone, PartialEq)]
pub struct Stratified {
    pub cards: Vec<CardMeta>,
    pub filters: Filters,
    pub government_share: f64,
}

impl Stratified {
    /// The sampler the site uses: default filters and share.
    pub fn new(cards: Vec<CardMeta>) -> Stratified {
        Stratified {
            cards,
            filters: Filters::default(),
            government_share: DEFAULT_GOVERNMENT_SHARE,
        }
    }
}

impl DeckSampler for Stratified {
    fn card_count(&self) -> u32 {
        u32::try_from(self.cards.len()).unwrap_or(u32::MAX)
    }

    fn draw(&self, size: usize, seed: u64) -> Vec<u32> {
        draw_stratified(
            &self.cards,
            &self.filters,
            size,
            seed,
            self.government_share,
        )
    }
}

/// Default share of a stratified deck drawn from government-authored
/// proposals, as in meuParlamento ("~60% government-authored, ~40% others").
pub const DEFAULT_GOVERNMENT_SHARE: f64 = 0.6;

/// How many times a citizen may swap a card of one deck.
pub const MAX_SWAPS: u32 = 3;

/// Lowest sampling weight, given to a card on which every party took the
/// same side; a card on which they split evenly over for, against and
/// abstain weighs `WEIGHT_FLOOR + 1`, five times as much. The floor keeps
/// near-unanimous (but still contested) votes possible.
pub const WEIGHT_FLOOR: f64 = 0.25;

/// Sampling weights are integers (so that a deck is the same on every
/// platform): a card weighs `WEIGHT_UNIT * (WEIGHT_FLOOR + informativeness)`,
/// rounded.
const WEIGHT_UNIT: f64 = 1000.0;

/// Shares are handled in millionths, as integers.
const PER_MILLION: u64 = 1_000_000;

/// Separates the random streams drawn from one seed ("SWAP" in ASCII).
const SWAP_STREAM: u64 = 0x5357_4150;

/// The two groups a stratified deck is drawn from.
///
/// "Government-authored" means proposed by the government itself
/// ([`ProposerKind::Government`]: in the Portuguese Parliament, a
/// *proposta de lei*). A bill of the party that supports the government
/// ([`ProposerKind::GovernmentParty`]) is a parliamentary group's
/// initiative like any other and falls in [`Stratum::Other`], as do
/// opposition and other initiatives and cards whose proposer is unknown.
/// The point of the 60% quota is that the citizen meets the government's
/// own programme; counting the governing party's bills as well would blur
/// that (and, with a large governing party, crowd out the opposition).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stratum {
    Government,
    Other,
}

impl Stratum {
    /// The stratum of a card proposed by `proposer` (unknown: other).
    pub fn of(proposer: Option<ProposerKind>) -> Stratum {
        match proposer {
            Some(ProposerKind::Government) => Stratum::Government,
            Some(
                ProposerKind::GovernmentParty | ProposerKind::Opposition | ProposerKind::Other,
            )
            | None => Stratum::Other,
        }
    }
}

/// What the stratified sampler knows about one card. The caller builds
/// these (e.g. with [`CardMeta::from_proposal`]); `index` is the card's
/// number in the bundle, the number a deck holds.
#[derive(Debug, Clone, PartialEq)]
pub struct CardMeta {
    /// The card's number in the bundle.
    pub index: u32,
    /// Legislature, as the data names it (`XIV`).
    pub legislature: String,
    /// Topics of the proposal.
    pub topics: Vec<String>,
    /// Date of the decisive vote; `None` where the caller does not know it
    /// (the bundle does not carry dates): such a card passes no date filter.
    pub date: Option<Date>,
    /// Who proposed it; `None` when unknown (counted as [`Stratum::Other`]).
    pub proposer: Option<ProposerKind>,
    /// How much the parties split on the decisive vote, `0.0..=1.0`
    /// ([`Vote::informativeness`]); values outside are clamped, NaN is 0.
    pub informativeness: f64,
    /// Whether the quiz may ask it by default: a decisive vote on the whole
    /// text that split the chamber ([`Proposal::is_quiz_eligible`]).
    pub eligible: bool,
}

impl CardMeta {
    /// The metadata of `proposal`, card number `index`; `None` when the
    /// proposal has no vote at all (hence no date).
    pub fn from_proposal(index: u32, proposal: &Proposal) -> Option<CardMeta> {
        Some(CardMeta {
            index,
            legislature: proposal.legislature.clone(),
            topics: proposal.topics.clone(),
            date: Some(proposal.date()?),
            proposer: proposal.proposer,
            informativeness: proposal.decisive_vote().map_or(0.0, Vote::informativeness),
            eligible: proposal.is_quiz_eligible(),
        })
    }

    pub fn stratum(&self) -> Stratum {
        Stratum::of(self.proposer)
    }

    /// The integer sampling weight: `1000 * (0.25 + informativeness)`,
    /// from 250 (everyone on one side) to 1250 (an even three-way split).
    pub fn weight(&self) -> u64 {
        let informativeness = if self.informativeness.is_nan() {
            0.0
        } else {
            self.informativeness.clamp(0.0, 1.0)
        };
        ((WEIGHT_FLOOR + informativeness) * WEIGHT_UNIT).round() as u64
    }
}

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
}

impl Filters {
    /// Whether `card` passes every filter but the curated list.
    pub fn admits(&self, card: &CardMeta) -> bool {
        (card.eligible || self.include_ineligible)
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

/// Draws a deck of up to `size` cards among those `filters` admit.
///
/// * A curated list ([`Filters::curated`]) is not sampled: the deck is its
///   admitted cards, in its order, cut at `size`.
/// * Otherwise `government_share` of the deck (0.6 by default, clamped to
///   `0..=1`; NaN means the default) comes from [`Stratum::Government`]
///   and the rest from [`Stratum::Other`]. When `size * share` is not a
///   whole number it is rounded up or down at random, with the odds that
///   make the expected share exact (7 cards at 0.6: 4 government cards
///   80% of the time, 5 otherwise). A stratum with too few cards gives
///   what it has and the other fills the deck.
/// * Within a stratum, cards are drawn without replacement with
///   probability proportional to [`CardMeta::weight`].
/// * The strata are then shuffled together, so the government cards are
///   not all asked first.
///
/// No card appears twice; the deck is shorter than `size` only when fewer
/// cards pass the filters. Same cards, filters, size, seed and share: same
/// deck, on every platform.
pub fn draw_stratified(
    cards: &[CardMeta],
    filters: &Filters,
    size: usize,
    seed: u64,
    government_share: f64,
) -> Vec<u32> {
    let pool = candidates(cards, filters);
    if filters.curated.is_some() {
        return pool.iter().take(size).map(|card| card.index).collect();
    }
    let mut rng = SplitMix64::new(seed);
    let (mut government, mut other): (Vec<Weighted>, Vec<Weighted>) = (Vec::new(), Vec::new());
    for card in &pool {
        let entry = (card.index, card.weight());
        match card.stratum() {
            Stratum::Government => government.push(entry),
            Stratum::Other => other.push(entry),
        }
    }
    let size = size.min(pool.len());
    let wanted = government_quota(size, government_share, &mut rng);
    let from_other = (size - wanted.min(government.len())).min(other.len());
    let from_government = size - from_other;
    let mut deck = weighted_take(&mut government, from_government, &mut rng);
    deck.extend(weighted_take(&mut other, from_other, &mut rng));
    shuffle(&mut deck, &mut rng);
    deck
}

/// How many of `size` cards should be government cards: `size * share`,
/// rounded at random so that its expectation is exact.
fn government_quota(size: usize, share: f64, rng: &mut SplitMix64) -> usize {
    let share = if share.is_nan() {
        DEFAULT_GOVERNMENT_SHARE
    } else {
        share.clamp(0.0, 1.0)
    };
    let per_million = (share * PER_MILLION as f64).round() as u64;
    let exact = size as u64 * per_million;
    let (whole, rest) = (exact / PER_MILLION, exact % PER_MILLION);
    // Always draw, so that the stream does not depend on the share.
    let up = rng.below(PER_MILLION) < rest;
    usize::try_from(whole + u64::from(up))
        .unwrap_or(size)
        .min(size)
}

/// A card number and its sampling weight.
type Weighted = (u32, u64);

/// Takes `count` entries `(card, weight)` out of `pool`, each draw with
/// probability proportional to its weight among those left. Weights are
/// positive integers, so the draw is exact and the same everywhere.
fn weighted_take(pool: &mut Vec<Weighted>, count: usize, rng: &mut SplitMix64) -> Vec<u32> {
    let mut total: u64 = pool.iter().map(|&(_, w)| w).sum();
    let mut taken = Vec::with_capacity(count.min(pool.len()));
    while taken.len() < count && total > 0 {
        let mut target = rng.below(total);
        let mut pick = 0;
        while target >= pool[pick].1 {
            target -= pool[pick].1;
            pick += 1;
        }
        let (card, weight) = pool.swap_remove(pick);
        total -= weight;
        taken.push(card);
    }
    taken
}

/// A Fisher-Yates shuffle.
fn shuffle(cards: &mut [u32], rng: &mut SplitMix64) {
    for i in (1..cards.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        cards.swap(i, j);
    }
}

/// A seed for the `counter`-th draw of the stream `stream` of `seed`:
/// independent-looking numbers for each (seed, stream, counter).
pub fn derive_seed(seed: u64, stream: u64, counter: u64) -> u64 {
    let base = SplitMix64::new(seed ^ stream).next_u64();
    SplitMix64::new(base ^ counter.wrapping_mul(0xD1B5_4A32_D192_ED03)).next_u64()
}

/// A deck being answered, with what swapping needs: every card it has
/// shown (swapped-out cards included) and how many swaps were used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deck {
    cards: Vec<u32>,
    seen: BTreeSet<u32>,
    swaps_used: u32,
    seed: u64,
}

impl Deck {
    /// A deck of the given cards; `seed` drives its swaps.
    pub fn new(cards: Vec<u32>, seed: u64) -> Deck {
        // Inserted one by one: collecting would pull a stable sort into
        // the WASM module for nothing.
        let mut seen = BTreeSet::new();
        for &card in &cards {
            seen.insert(card);
        }
        Deck {
            cards,
            seen,
            swaps_used: 0,
            seed,
        }
    }

    /// [`draw_stratified`] as a deck that can swap.
    pub fn draw(
        cards: &[CardMeta],
        filters: &Filters,
        size: usize,
        seed: u64,
        government_share: f64,
    ) -> Deck {
        Deck::new(
            draw_stratified(cards, filters, size, seed, government_share),
            seed,
        )
    }

    /// The cards, in the order they are asked.
    pub fn cards(&self) -> &[u32] {
        &self.cards
    }

    /// Every card this deck has held, swapped-out ones included.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Outcome, PhaseKind, Position, Venue};

    #[test]
    fn a_card_without_a_date_passes_no_date_filter() {
        let mut card = meta(0, None, 0.5);
        card.date = None;
        assert!(Filters::default().admits(&card));
        let from = Filters {
            from: Some(date("2000-01-01")),
            ..Filters::default()
        };
        assert!(!from.admits(&card));
        let until = Filters {
            until: Some(date("2100-01-01")),
            ..Filters::default()
        };
        assert!(!until.admits(&card));
    }

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

    fn date(text: &str) -> Date {
        Date::parse_iso(text).unwrap()
    }

    /// An eligible card of legislature XIV dated 2020-01-01.
    fn meta(index: u32, proposer: Option<ProposerKind>, informativeness: f64) -> CardMeta {
        CardMeta {
            index,
            legislature: "XIV".into(),
            topics: Vec::new(),
            date: Some(date("2020-01-01")),
            proposer,
            informativeness,
            eligible: true,
        }
    }

    const GOV: Option<ProposerKind> = Some(ProposerKind::Government);
    const OPP: Option<ProposerKind> = Some(ProposerKind::Opposition);

    /// `government` government cards numbered first, then `others`.
    fn pool(government: u32, others: u32) -> Vec<CardMeta> {
        (0..government + others)
            .map(|i| meta(i, if i < government { GOV } else { OPP }, 0.5))
            .collect()
    }

    fn government_count(deck: &[u32], cards: &[CardMeta]) -> usize {
        deck.iter()
            .filter(|&&i| cards[i as usize].stratum() == Stratum::Government)
            .count()
    }

    fn assert_distinct(deck: &[u32]) {
        assert_eq!(
            deck.iter().collect::<BTreeSet<_>>().len(),
            deck.len(),
            "{deck:?}"
        );
    }

    #[test]
    fn only_the_government_itself_is_the_government_stratum() {
        assert_eq!(Stratum::of(GOV), Stratum::Government);
        for other in [
            Some(ProposerKind::GovernmentParty),
            OPP,
            Some(ProposerKind::Other),
            None,
        ] {
            assert_eq!(Stratum::of(other), Stratum::Other, "{other:?}");
        }
    }

    #[test]
    fn weights_favour_informative_votes_and_keep_a_floor() {
        assert_eq!(meta(0, None, 0.0).weight(), 250);
        assert_eq!(meta(0, None, 1.0).weight(), 1250);
        assert_eq!(meta(0, None, 0.5).weight(), 750);
        assert_eq!(meta(0, None, 7.0).weight(), 1250);
        assert_eq!(meta(0, None, -1.0).weight(), 250);
        assert_eq!(meta(0, None, f64::NAN).weight(), 250);
    }

    #[test]
    fn metadata_comes_from_the_proposal() {
        let mut positions = BTreeMap::new();
        positions.insert("PS".to_string(), Position::For);
        positions.insert("PSD".to_string(), Position::Against);
        let vote = Vote {
            id: "1".into(),
            phase: "Votação na generalidade".into(),
            phase_kind: PhaseKind::General,
            date: date("2021-05-04"),
            result: Some(Outcome::Approved),
            unanimous: false,
            description: String::new(),
            venue: Venue::Plenary,
            positions,
            counts: BTreeMap::new(),
            members: Vec::new(),
        };
        let mut proposal = Proposal {
            id: "p".into(),
            legislature: "XIV".into(),
            number: "1".into(),
            kind: "Proposta de Lei".into(),
            title: "t".into(),
            authors: vec![],
            committee: None,
            link: None,
            topics: vec!["Saúde".into()],
            proposer: GOV,
            votes: vec![vote.clone()],
        };
        let got = CardMeta::from_proposal(9, &proposal).unwrap();
        assert_eq!(got.index, 9);
        assert_eq!(got.legislature, "XIV");
        assert_eq!(got.topics, vec!["Saúde".to_string()]);
        assert_eq!(got.date, Some(date("2021-05-04")));
        assert_eq!(got.stratum(), Stratum::Government);
        assert_eq!(got.informativeness, vote.informativeness());
        assert!(got.eligible);
        proposal.votes[0].unanimous = true;
        assert!(!CardMeta::from_proposal(9, &proposal).unwrap().eligible);
        proposal.votes.clear();
        assert_eq!(CardMeta::from_proposal(9, &proposal), None);
    }

    #[test]
    fn same_seed_and_cards_give_the_same_stratified_deck() {
        let cards = pool(40, 200);
        let f = Filters::default();
        for seed in [0, 1, 42, u64::MAX] {
            let deck = draw_stratified(&cards, &f, 10, seed, DEFAULT_GOVERNMENT_SHARE);
            assert_eq!(
                deck,
                draw_stratified(&cards, &f, 10, seed, DEFAULT_GOVERNMENT_SHARE)
            );
        }
        let decks: BTreeSet<Vec<u32>> = (0..50)
            .map(|seed| draw_stratified(&cards, &f, 10, seed, DEFAULT_GOVERNMENT_SHARE))
            .collect();
        assert_eq!(decks.len(), 50);
    }

    #[test]
    fn stratified_decks_have_no_duplicates_and_only_admitted_cards() {
        let mut cards = pool(30, 100);
        // Repeated entries of a card number must not repeat it in a deck.
        cards.extend(pool(30, 100));
        for (i, card) in cards.iter_mut().enumerate() {
            card.eligible = i % 7 != 3;
        }
        let refused: BTreeSet<u32> = cards
            .iter()
            .take(130)
            .filter(|c| !c.eligible)
            .map(|c| c.index)
            .collect();
        for seed in 0..300 {
            let deck = draw_stratified(&cards, &Filters::default(), 20, seed, 0.6);
            assert_eq!(deck.len(), 20);
            assert_distinct(&deck);
            assert!(deck.iter().all(|i| !refused.contains(i)), "{deck:?}");
        }
    }

    #[test]
    fn sixty_percent_of_the_deck_is_government_authored() {
        let cards = pool(50, 300);
        let f = Filters::default();
        for seed in 0..200 {
            let deck = draw_stratified(&cards, &f, 10, seed, DEFAULT_GOVERNMENT_SHARE);
            assert_eq!(government_count(&deck, &cards), 6, "seed {seed}");
        }
        // 7 cards: 4.2 government cards on average, 4 or 5 in each deck.
        let mut total = 0;
        for seed in 0..4000 {
            let deck = draw_stratified(&cards, &f, 7, seed, DEFAULT_GOVERNMENT_SHARE);
            let n = government_count(&deck, &cards);
            assert!(n == 4 || n == 5, "{n}");
            total += n;
        }
        let mean = total as f64 / 4000.0;
        assert!((mean - 4.2).abs() < 0.05, "{mean}");
        // Other shares, including the extremes and a NaN (the default).
        let count = |share: f64| {
            let deck = draw_stratified(&cards, &f, 10, 5, share);
            government_count(&deck, &cards)
        };
        assert_eq!(count(0.0), 0);
        assert_eq!(count(1.0), 10);
        assert_eq!(count(3.0), 10);
        assert_eq!(count(-1.0), 0);
        assert_eq!(count(f64::NAN), 6);
        assert_eq!(count(0.3), 3);
    }

    #[test]
    fn government_cards_are_not_all_asked_first() {
        let cards = pool(50, 300);
        let mut first_is_government = 0;
        for seed in 0..2000 {
            let deck = draw_stratified(&cards, &Filters::default(), 10, seed, 0.6);
            if cards[deck[0] as usize].stratum() == Stratum::Government {
                first_is_government += 1;
            }
        }
        assert!(
            (1050..1350).contains(&first_is_government),
            "{first_is_government}"
        );
    }

    #[test]
    fn a_stratum_that_runs_out_is_filled_from_the_other() {
        let f = Filters::default();
        // No government card at all.
        let cards = pool(0, 50);
        let deck = draw_stratified(&cards, &f, 10, 1, 0.6);
        assert_eq!((deck.len(), government_count(&deck, &cards)), (10, 0));
        // Two government cards: both, and eight others.
        let cards = pool(2, 50);
        for seed in 0..50 {
            let deck = draw_stratified(&cards, &f, 10, seed, 0.6);
            assert_eq!((deck.len(), government_count(&deck, &cards)), (10, 2));
        }
        // Three other cards: all three, and seven government ones.
        let cards = pool(50, 3);
        let deck = draw_stratified(&cards, &f, 10, 1, 0.6);
        assert_eq!((deck.len(), government_count(&deck, &cards)), (10, 7));
        // Fewer cards than the deck: all of them, once.
        let cards = pool(3, 4);
        let mut deck = draw_stratified(&cards, &f, 10, 1, 0.6);
        deck.sort_unstable();
        assert_eq!(deck, (0..7).collect::<Vec<u32>>());
        assert!(draw_stratified(&[], &f, 10, 1, 0.6).is_empty());
        assert!(draw_stratified(&cards, &f, 0, 1, 0.6).is_empty());
    }

    #[test]
    fn informative_cards_are_drawn_more_often() {
        // One stratum; cards 0..10 split the parties evenly (weight 1250),
        // cards 10..20 barely (weight 250): 5 to 1 for a single card.
        let cards: Vec<CardMeta> = (0..20)
            .map(|i| meta(i, OPP, if i < 10 { 1.0 } else { 0.0 }))
            .collect();
        let mut informative = 0u32;
        for seed in 0..6000 {
            let deck = draw_stratified(&cards, &Filters::default(), 1, seed, 0.6);
            informative += u32::from(deck[0] < 10);
        }
        // Expected 5000 of 6000.
        assert!((4850..5150).contains(&informative), "{informative}");
        // Unanimous-looking cards can still be drawn.
        let mut counts = [0u32; 20];
        for seed in 0..500 {
            for i in draw_stratified(&cards, &Filters::default(), 5, seed, 0.6) {
                counts[i as usize] += 1;
            }
        }
        assert!(counts.iter().all(|&n| n > 0), "{counts:?}");
    }

    fn varied() -> Vec<CardMeta> {
        let legislatures = ["XIII", "XIV", "XV"];
        let topics = ["Saúde", "Educação", "Habitação"];
        let days = ["2018-06-01", "2020-06-01", "2022-06-01", "2023-06-01"];
        (0..120u32)
            .map(|i| CardMeta {
                index: i,
                legislature: legislatures[i as usize % 3].into(),
                topics: vec![topics[(i as usize / 3) % 3].into()],
                date: Some(date(days[i as usize % 4])),
                proposer: if i % 2 == 0 { GOV } else { OPP },
                informativeness: 0.5,
                eligible: i % 10 != 9,
            })
            .collect()
    }

    #[test]
    fn filters_are_respected() {
        let cards = varied();
        let filters = Filters {
            legislatures: vec!["XIV".into(), "XV".into()],
            topics: vec!["Saúde".into(), "Habitação".into()],
            from: Some(date("2019-01-01")),
            until: Some(date("2022-12-31")),
            ..Filters::default()
        };
        let admitted: BTreeSet<u32> = candidates(&cards, &filters)
            .iter()
            .map(|c| c.index)
            .collect();
        assert!(!admitted.is_empty());
        for card in &cards {
            let expected = card.eligible
                && card.legislature != "XIII"
                && card.topics[0] != "Educação"
                && card.date >= Some(date("2019-01-01"))
                && card.date <= Some(date("2022-12-31"));
            assert_eq!(admitted.contains(&card.index), expected, "{card:?}");
        }
        for seed in 0..100 {
            let deck = draw_stratified(&cards, &filters, 10, seed, 0.6);
            assert_eq!(deck.len(), 10.min(admitted.len()));
            assert!(deck.iter().all(|i| admitted.contains(i)));
        }
        // Bounds are inclusive.
        let day = Filters {
            from: Some(date("2020-06-01")),
            until: Some(date("2020-06-01")),
            ..Filters::default()
        };
        assert!(candidates(&cards, &day)
            .iter()
            .all(|c| c.date == Some(date("2020-06-01"))));
        assert_eq!(candidates(&cards, &day).len(), 24);
        // Ineligible cards only on request.
        let all = Filters {
            include_ineligible: true,
            ..Filters::default()
        };
        assert_eq!(candidates(&cards, &Filters::default()).len(), 108);
        assert_eq!(candidates(&cards, &all).len(), 120);
        // Nothing admitted: an empty deck.
        let none = Filters {
            legislatures: vec!["IX".into()],
            ..Filters::default()
        };
        assert!(draw_stratified(&cards, &none, 10, 1, 0.6).is_empty());
    }

    #[test]
    fn a_curated_list_is_the_deck_in_its_order() {
        let cards = varied();
        let curated = |list: Vec<u32>| Filters {
            curated: Some(list),
            ..Filters::default()
        };
        // Kept in order; 9 is ineligible, 500 unknown, 7 repeated.
        let filters = curated(vec![30, 7, 9, 500, 2, 7, 64]);
        for seed in 0..5 {
            assert_eq!(
                draw_stratified(&cards, &filters, 10, seed, 0.6),
                vec![30, 7, 2, 64]
            );
        }
        // Cut at the deck size.
        assert_eq!(draw_stratified(&cards, &filters, 2, 0, 0.6), vec![30, 7]);
        // The other filters still apply: 30 is of XIII, 2 of XV.
        let xiv = Filters {
            legislatures: vec!["XIV".into()],
            ..curated(vec![30, 7, 2, 64, 1])
        };
        assert_eq!(draw_stratified(&cards, &xiv, 10, 0, 0.6), vec![7, 64, 1]);
    }

    #[test]
    fn swaps_never_return_a_seen_card_and_stop_after_three() {
        let cards = pool(20, 40);
        let f = Filters::default();
        for seed in 0..200 {
            let mut deck = Deck::draw(&cards, &f, 10, seed, 0.6);
            let mut seen: BTreeSet<u32> = deck.cards().iter().copied().collect();
            for swap in 0..MAX_SWAPS {
                assert_eq!(deck.swaps_left(), MAX_SWAPS - swap);
                let position = (seed as usize + swap as usize) % 3;
                let old = deck.cards()[position];
                let new = deck.swap(position, &cards, &f).unwrap();
                assert!(seen.insert(new), "card {new} came back");
                assert_eq!(deck.cards()[position], new);
                assert_ne!(new, old);
                assert_distinct(deck.cards());
                assert_eq!(cards[new as usize].stratum(), cards[old as usize].stratum());
            }
            assert_eq!(deck.seen(), &seen);
            assert_eq!(deck.swaps_used(), MAX_SWAPS);
            let before = deck.clone();
            assert_eq!(deck.swap(0, &cards, &f), Err(SwapError::NoSwapsLeft));
            assert_eq!(deck, before);
        }
    }

    #[test]
    fn swaps_are_reproducible_from_the_seed_and_the_count() {
        let cards = pool(20, 40);
        let f = Filters::default();
        let run = |seed: u64| {
            let mut deck = Deck::draw(&cards, &f, 10, seed, 0.6);
            let swapped: Vec<u32> = [4, 4, 0]
                .iter()
                .map(|&p| deck.swap(p, &cards, &f).unwrap())
                .collect();
            (deck.cards().to_vec(), swapped)
        };
        assert_eq!(run(9), run(9));
        let differ = (0..20).filter(|&s| run(s).1 != run(s + 100).1).count();
        assert!(differ > 15, "{differ}");
        // A deck rebuilt from its cards and seed swaps the same way.
        let drawn = draw_stratified(&cards, &f, 10, 9, 0.6);
        let mut rebuilt = Deck::new(drawn, 9);
        assert_eq!(rebuilt.swap(4, &cards, &f), Ok(run(9).1[0]));
    }

    #[test]
    fn swaps_fall_back_to_the_other_stratum_then_run_out() {
        // One government card, in the deck; two other cards left.
        let cards = pool(1, 4);
        let f = Filters::default();
        let mut deck = Deck::new(vec![0, 1], 3);
        let first = deck.swap(0, &cards, &f).unwrap();
        assert!([2, 3, 4].contains(&first));
        let second = deck.swap(0, &cards, &f).unwrap();
        assert!([2, 3, 4].contains(&second) && second != first);
        let third = deck.swap(1, &cards, &f).unwrap();
        assert_eq!(deck.seen().len(), 5);
        assert!(![0, 1, first, second].contains(&third));
        // Nothing left; a failed swap is not counted.
        let mut deck = Deck::new(vec![0, 1, 2, 3, 4], 3);
        assert_eq!(deck.swap(2, &cards, &f), Err(SwapError::Exhausted));
        assert_eq!(deck.swaps_used(), 0);
        assert_eq!(
            deck.swap(5, &cards, &f),
            Err(SwapError::NoSuchPlace {
                position: 5,
                len: 5
            })
        );
        assert_eq!(
            SwapError::NoSuchPlace {
                position: 5,
                len: 5
            }
            .to_string(),
            "no card at place 5 of a deck of 5"
        );
        assert_eq!(
            SwapError::NoSwapsLeft.to_string(),
            "this deck has used its 3 swaps"
        );
    }

    #[test]
    fn swaps_respect_the_filters_and_a_curated_list() {
        let cards = varied();
        let filters = Filters {
            legislatures: vec!["XV".into()],
            ..Filters::default()
        };
        let mut deck = Deck::draw(&cards, &filters, 10, 8, 0.6);
        for p in 0..3 {
            let new = deck.swap(p, &cards, &filters).unwrap();
            assert_eq!(cards[new as usize].legislature, "XV");
        }
        let curated = Filters {
            curated: Some(vec![5, 6, 7, 8]),
            ..Filters::default()
        };
        let mut deck = Deck::draw(&cards, &curated, 2, 8, 0.6);
        assert_eq!(deck.cards(), &[5, 6]);
        let new = deck.swap(0, &cards, &curated).unwrap();
        assert!(new == 7 || new == 8);
        let last = deck.swap(0, &cards, &curated).unwrap();
        assert_eq!(last + new, 15);
        assert_eq!(deck.swap(1, &cards, &curated), Err(SwapError::Exhausted));
    }

    #[test]
    fn swaps_work_on_a_deck_of_unknown_cards() {
        // A deck from `draw_deck` whose cards have no metadata: any stratum.
        let cards = pool(2, 2);
        let mut deck = Deck::new(vec![100, 101], 0);
        let new = deck.swap(1, &cards, &Filters::default()).unwrap();
        assert!(new < 4);
    }
}
