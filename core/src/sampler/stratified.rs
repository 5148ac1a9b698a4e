//! The site's sampler: a stratified, weighted draw.
//!
//! About 60% of a deck comes from government-authored proposals and the
//! rest from the others ([`Stratum`]); within each, cards are drawn without
//! replacement with a weight that favours votes where the parties split
//! ([`CardMeta::weight`]). Every step is integer arithmetic on a
//! [`SplitMix64`] stream, so a seed draws the same deck on every platform.

use super::{candidates, DeckSampler, Filters};
use crate::date::Date;
use crate::model::{Proposal, ProposerKind, Vote};
use crate::rng::SplitMix64;

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
    /// Whether every actor seated in its legislature cast a position on it
    /// ([`crate::seating`]): drawn decks ask such cards only.
    pub complete: bool,
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
            complete: true,
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
pub(super) type Weighted = (u32, u64);

/// Takes `count` entries `(card, weight)` out of `pool`, each draw with
/// probability proportional to its weight among those left. Weights are
/// positive integers, so the draw is exact and the same everywhere.
pub(super) fn weighted_take(
    pool: &mut Vec<Weighted>,
    count: usize,
    rng: &mut SplitMix64,
) -> Vec<u32> {
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
