//! The bundle's files as types: what the generator writes with serde and
//! the browser reads back (see [`super::reader`]). Field names and order
//! are the files' format: changing them changes the published JSON.

use super::BundleError;
use crate::date::Date;
use crate::model::{Actor, Outcome, Position, ProposerKind};
use crate::sampler::{CardMeta, Stratum};
use crate::seating::Seating;
use serde::{Deserialize, Serialize};

/// The bundle format this code reads and writes.
///
/// 2: shards carry the `dataset_id` of their manifest.
/// 3: the manifest carries what the deck sampler needs of every card
///    ([`Sampling`]), so the browser draws the stratified deck.
/// 4: shards carry the manifest's `layout_id` instead of its `dataset_id`,
///    so a changed vote or title changes only its own shard.
pub const SCHEMA_VERSION: u32 = 4;

/// Folder of the bundle inside the published site.
pub const BUNDLE_DIR: &str = "data";

/// Name of the manifest inside [`BUNDLE_DIR`].
pub const MANIFEST_FILE: &str = "manifest.json";

/// Name of the card-id index ([`CardIds`]) inside [`BUNDLE_DIR`].
pub const IDS_FILE: &str = "ids.json";

/// Code in [`Card::votes`] for an actor with no recorded position.
pub const NO_POSITION: char = '.';

/// The file of every card's packed votes ([`VotesTable`]).
pub const VOTES_FILE: &str = "votes.json";

/// Every card's packed votes ([`Card::votes`]), in card order: what
/// continuing a deck needs to choose the card that best separates the
/// leading parties. The page fetches it once the first card is on screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VotesTable {
    pub schema_version: u32,
    pub dataset_id: String,
    pub votes: Vec<String>,
}

impl VotesTable {
    /// Whether the table was written with `manifest` and has a row per card.
    pub fn belongs_to(&self, manifest: &Manifest) -> bool {
        self.dataset_id == manifest.dataset_id && self.votes.len() == manifest.card_count as usize
    }
}

/// What the quiz needs before drawing a deck.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema_version: u32,
    /// Content hash of the quiz data: a share link names the data it was made on.
    pub dataset_id: String,
    /// Hash of how the cards are numbered and packed: the actors in
    /// order and every card's id in order. Shards carry it, so a page
    /// never combines a shard with a manifest that numbers or packs cards
    /// otherwise; unlike `dataset_id` it stays when only a vote or a
    /// title changes.
    pub layout_id: String,
    /// Every actor that appears in a card, in the order of [`Card::votes`].
    pub actors: Vec<Actor>,
    /// Number of quiz cards, numbered from 0.
    pub card_count: u32,
    /// Cards per shard: card `i` lives in shard `i / shard_size`.
    pub shard_size: u32,
    /// What the deck sampler needs of every card.
    pub sampling: Sampling,
    /// Each legislature's seated actors and how alike they voted
    /// ([`crate::seating`]), oldest legislature first: the last is the
    /// latest. Empty in a bundle written without it: every actor is then
    /// compared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seating: Vec<Seating>,
    /// How many proposals a drawn deck asks (`deck-size` in site.toml);
    /// [`DEFAULT_DECK_SIZE`](crate::sampler::DEFAULT_DECK_SIZE) in a
    /// bundle written without it. A curated deck asks all its proposals.
    #[serde(default = "default_deck_size")]
    pub deck_size: u32,
}

fn default_deck_size() -> u32 {
    crate::sampler::DEFAULT_DECK_SIZE as u32
}

/// What [`crate::sampler::draw_stratified`] needs of every card, packed
/// small: the deck is drawn before any card is fetched, so this travels
/// in the manifest, ahead of the first question (about 1.5 KB gzipped for
/// 2,900 cards). Every bundle card is quiz-eligible; topics and dates are
/// not carried, so the browser filters by legislature and curated list
/// only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sampling {
    /// Legislature of the cards, as runs in card order: `("XIV", 1000)`
    /// says the next 1,000 cards are of legislature XIV.
    pub legislatures: Vec<(String, u32)>,
    /// One character per card: `g` for a government-authored proposal
    /// ([`Stratum::Government`]), `o` for any other.
    pub strata: String,
    /// One digit per card: how much the parties split on its decisive
    /// vote ([`CardMeta::informativeness`]), in ninths (`0` none, `9` an
    /// even three-way split).
    pub splits: String,
    /// One character per card: `1` when every actor seated in its
    /// legislature cast a position on it ([`CardMeta::complete`]), `0`
    /// when not. Empty in a bundle written without it: every card counts
    /// as complete.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub complete: String,
}

impl Sampling {
    /// Packs `cards` (numbered from 0 in order; their dates and topics
    /// are dropped, their informativeness rounded to ninths).
    pub fn pack(cards: &[CardMeta]) -> Sampling {
        let mut legislatures: Vec<(String, u32)> = Vec::new();
        for card in cards {
            match legislatures.last_mut() {
                Some((name, run)) if *name == card.legislature => *run += 1,
                _ => legislatures.push((card.legislature.clone(), 1)),
            }
        }
        Sampling {
            legislatures,
            strata: cards
                .iter()
                .map(|card| match card.stratum() {
                    Stratum::Government => 'g',
                    Stratum::Other => 'o',
                })
                .collect(),
            splits: cards
                .iter()
                .map(|card| {
                    let ninths = (card.informativeness.clamp(0.0, 1.0) * 9.0).round() as u32;
                    char::from_digit(ninths, 10).unwrap_or('0')
                })
                .collect(),
            complete: cards
                .iter()
                .map(|card| if card.complete { '1' } else { '0' })
                .collect(),
        }
    }

    /// The cards as the sampler sees them, numbered from 0; an error when
    /// the packed fields do not describe `card_count` cards.
    pub fn unpack(&self, card_count: u32) -> Result<Vec<CardMeta>, BundleError> {
        self.check(card_count)?;
        let legislatures = self
            .legislatures
            .iter()
            .flat_map(|(name, run)| std::iter::repeat_n(name, *run as usize));
        let cards = self
            .strata
            .bytes()
            .zip(self.splits.bytes())
            .zip(legislatures);
        Ok(cards
            .enumerate()
            .map(|(index, ((stratum, split), legislature))| CardMeta {
                index: index as u32,
                legislature: legislature.clone(),
                topics: Vec::new(),
                date: None,
                proposer: (stratum == b'g').then_some(ProposerKind::Government),
                informativeness: f64::from(split - b'0') / 9.0,
                eligible: true,
                complete: self.complete.as_bytes().get(index) != Some(&b'0'),
            })
            .collect())
    }

    /// Whether the packed fields describe `card_count` cards with known
    /// codes; checks without building the cards (the manifest is checked
    /// on reading, then unpacked once by whoever draws a deck).
    pub fn check(&self, card_count: u32) -> Result<(), BundleError> {
        let count = card_count as usize;
        let runs: u64 = self.legislatures.iter().map(|(_, n)| u64::from(*n)).sum();
        if runs != u64::from(card_count) || self.strata.len() != count || self.splits.len() != count
        {
            return Err(BundleError::Malformed(format!(
                "the sampling table does not describe the {card_count} cards"
            )));
        }
        if let Some(index) = self.strata.bytes().position(|b| b != b'g' && b != b'o') {
            return Err(malformed_sampling(index, "strata"));
        }
        if let Some(index) = self.splits.bytes().position(|b| !b.is_ascii_digit()) {
            return Err(malformed_sampling(index, "splits"));
        }
        if !self.complete.is_empty() {
            if self.complete.len() != count {
                return Err(BundleError::Malformed(format!(
                    "the sampling table's `complete` flags do not describe the {card_count} cards"
                )));
            }
            if let Some(index) = self.complete.bytes().position(|b| b != b'0' && b != b'1') {
                return Err(malformed_sampling(index, "complete"));
            }
        }
        Ok(())
    }
}

fn malformed_sampling(index: usize, field: &str) -> BundleError {
    BundleError::Malformed(format!(
        "sampling {field}: card {index} has an unknown code"
    ))
}

/// A slice of the quiz cards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shard {
    pub schema_version: u32,
    /// The [`Manifest::layout_id`] of the bundle this shard belongs to.
    pub layout_id: String,
    /// Index of the first card of this shard.
    pub first: u32,
    pub cards: Vec<Card>,
}

/// One proposal as the quiz shows it, with its decisive vote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub legislature: String,
    pub date: Date,
    pub phase: String,
    pub result: Option<Outcome>,
    /// Path of the proposal's page, relative to the site root.
    pub page: String,
    /// One [`Position::code`] per manifest actor, [`NO_POSITION`] where none.
    pub votes: String,
    /// The editors' plain-language summary, as text, when they wrote one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

impl Card {
    /// How the actor at `actor_index` in the manifest voted, if recorded.
    pub fn position(&self, actor_index: usize) -> Option<Position> {
        self.votes
            .chars()
            .nth(actor_index)
            .and_then(Position::from_code)
    }

    /// A card known by its legislature and votes only, as the
    /// [`VotesTable`] gives it: what choosing the next card of a
    /// continuing deck reads. Its other fields are empty.
    pub fn positions_only(legislature: &str, votes: &str) -> Card {
        Card {
            id: String::new(),
            title: String::new(),
            kind: String::new(),
            legislature: legislature.to_owned(),
            date: Date::UNKNOWN,
            phase: String::new(),
            result: None,
            page: String::new(),
            votes: votes.to_owned(),
            summary: None,
        }
    }

    /// Packs positions given in manifest actor order.
    pub fn pack_votes(positions: impl IntoIterator<Item = Option<Position>>) -> String {
        positions
            .into_iter()
            .map(|p| p.map_or(NO_POSITION, Position::code))
            .collect()
    }
}

impl Manifest {
    /// Index of the shard that holds card `card`.
    pub fn shard_of(&self, card: u32) -> u32 {
        card / self.shard_size.max(1)
    }

    /// Number of shards.
    pub fn shard_count(&self) -> u32 {
        self.card_count.div_ceil(self.shard_size.max(1))
    }

    /// The legislatures the cards are of, each once, in card order.
    pub fn legislatures(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for (name, _) in &self.sampling.legislatures {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        names
    }

    /// The latest legislature of the data: the last with a seating.
    pub fn latest_legislature(&self) -> Option<&str> {
        self.seating.last().map(|s| s.legislature.as_str())
    }

    /// The seating of the latest of `legislatures` (in the manifest's
    /// order, oldest first); `None` when the manifest has none of them.
    pub fn latest_seating<'a>(
        &self,
        legislatures: impl IntoIterator<Item = &'a str>,
    ) -> Option<&Seating> {
        let named: Vec<&str> = legislatures.into_iter().collect();
        self.seating
            .iter()
            .rev()
            .find(|s| named.contains(&s.legislature.as_str()))
    }

    /// The cards as the deck sampler sees them. Checked by
    /// [`Manifest::from_json`], so only a hand-built manifest fails here.
    pub fn card_metas(&self) -> Result<Vec<CardMeta>, BundleError> {
        self.sampling.unpack(self.card_count)
    }
}

/// The proposal id of every card, in card order. A curated deck (a
/// journalist's list of proposals) needs it to find its cards; a drawn
/// deck never does, so it is a file of its own, fetched only then.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardIds {
    pub schema_version: u32,
    /// The [`Manifest::dataset_id`] of the bundle this index belongs to.
    pub dataset_id: String,
    pub ids: Vec<String>,
}

impl CardIds {
    /// Whether this index was written with `manifest`.
    pub fn belongs_to(&self, manifest: &Manifest) -> bool {
        self.dataset_id == manifest.dataset_id && self.ids.len() == manifest.card_count as usize
    }

    /// The card numbers of `proposals`, in their order; the ids no card
    /// has, when there are any.
    pub fn cards_of(&self, proposals: &[String]) -> Result<Vec<u32>, Vec<String>> {
        let mut cards = Vec::with_capacity(proposals.len());
        let mut unknown = Vec::new();
        for id in proposals {
            match self.ids.iter().position(|known| known == id) {
                Some(card) => cards.push(card as u32),
                None => unknown.push(id.clone()),
            }
        }
        if unknown.is_empty() {
            Ok(cards)
        } else {
            Err(unknown)
        }
    }
}

impl Shard {
    /// Whether this shard fits `manifest`: cards of another build of the
    /// site may be numbered or packed differently.
    pub fn belongs_to(&self, manifest: &Manifest) -> bool {
        self.layout_id == manifest.layout_id
    }

    /// The card with global index `card`, if this shard holds it.
    pub fn card(&self, card: u32) -> Option<&Card> {
        let offset = card.checked_sub(self.first)?;
        self.cards.get(usize::try_from(offset).ok()?)
    }
}

/// Path of shard `index`, relative to [`BUNDLE_DIR`].
pub fn shard_path(index: u32) -> String {
    format!("cards/{index}.json")
}
