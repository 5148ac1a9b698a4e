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
/// 5: the sampling table is runs of cards alike, in an order the generator
///    chose for it, so the manifest does not grow with the cards; the
///    manifest names the checksum of `checksums.json`, which holds every
///    other file's.
pub const SCHEMA_VERSION: u32 = 5;

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

/// The checksum of every other bundle file ([`super::Checksums`]).
pub const CHECKSUMS_FILE: &str = "checksums.json";

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
    /// The checksum of `checksums.json` ([`super::Checksums`]), which
    /// holds every other file's.
    pub checksums: String,
}

fn default_deck_size() -> u32 {
    crate::sampler::DEFAULT_DECK_SIZE as u32
}

/// What [`crate::sampler::draw_stratified`] needs of every card, packed
/// small: the deck is drawn before any card is fetched, so this travels
/// in the manifest, ahead of the first question. The generator orders the
/// cards of each legislature by their sampling class, so the table is a
/// few dozen runs however many cards there are, and what the first
/// question downloads does not grow with the data. Every bundle card is
/// quiz-eligible; topics and dates are not carried, so the browser filters
/// by legislature and curated list only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sampling {
    /// Runs of cards alike for the sampler, in card order: `("XV", "g71",
    /// 12)` says the next 12 cards are of legislature XV and of class
    /// `g71` (see [`Sampling::class`]).
    pub runs: Vec<(String, String, u32)>,
}

impl Sampling {
    /// A card's sampling class, three characters: `g` for a
    /// government-authored proposal ([`Stratum::Government`]) or `o` for
    /// any other; how much the parties split on its decisive vote
    /// ([`CardMeta::informativeness`]) in ninths, `0` (none) to `9` (an
    /// even three-way split); `1` when every actor seated in its
    /// legislature cast a position on it ([`CardMeta::complete`]), else `0`.
    pub fn class(card: &CardMeta) -> String {
        let stratum = match card.stratum() {
            Stratum::Government => 'g',
            Stratum::Other => 'o',
        };
        let ninths = (card.informativeness.clamp(0.0, 1.0) * 9.0).round() as u32;
        let split = char::from_digit(ninths, 10).unwrap_or('0');
        let complete = if card.complete { '1' } else { '0' };
        [stratum, split, complete].into_iter().collect()
    }

    /// Packs `cards` (numbered from 0 in order; their dates and topics
    /// are dropped, their informativeness rounded to ninths).
    pub fn pack(cards: &[CardMeta]) -> Sampling {
        let mut runs: Vec<(String, String, u32)> = Vec::new();
        for card in cards {
            let class = Sampling::class(card);
            match runs.last_mut() {
                Some((legislature, last, count))
                    if *legislature == card.legislature && *last == class =>
                {
                    *count += 1
                }
                _ => runs.push((card.legislature.clone(), class, 1)),
            }
        }
        Sampling { runs }
    }

    /// The cards as the sampler sees them, numbered from 0; an error when
    /// the runs do not describe `card_count` cards.
    pub fn unpack(&self, card_count: u32) -> Result<Vec<CardMeta>, BundleError> {
        self.check(card_count)?;
        let cards = self.runs.iter().flat_map(|(legislature, class, count)| {
            std::iter::repeat_n((legislature, class.as_bytes()), *count as usize)
        });
        Ok(cards
            .enumerate()
            .map(|(index, (legislature, class))| CardMeta {
                index: index as u32,
                legislature: legislature.clone(),
                topics: Vec::new(),
                date: None,
                proposer: (class[0] == b'g').then_some(ProposerKind::Government),
                informativeness: f64::from(class[1] - b'0') / 9.0,
                eligible: true,
                complete: class[2] == b'1',
            })
            .collect())
    }

    /// Whether the runs describe `card_count` cards of known classes;
    /// checks without building the cards (the manifest is checked on
    /// reading, then unpacked once by whoever draws a deck).
    pub fn check(&self, card_count: u32) -> Result<(), BundleError> {
        let total: u64 = self.runs.iter().map(|(_, _, n)| u64::from(*n)).sum();
        if total != u64::from(card_count) {
            return Err(BundleError::Malformed(format!(
                "the sampling table describes {total} cards, not the {card_count} cards"
            )));
        }
        let known = |class: &[u8]| matches!(class, [b'g' | b'o', b'0'..=b'9', b'0' | b'1']);
        if let Some(run) = self
            .runs
            .iter()
            .position(|(_, class, _)| !known(class.as_bytes()))
        {
            // Not `{:?}`: its escaping tables would weigh on the module.
            return Err(BundleError::Malformed(format!(
                "sampling run {run} has an unknown class"
            )));
        }
        Ok(())
    }

    /// The legislatures of the cards, as runs in card order.
    pub fn legislatures(&self) -> impl Iterator<Item = &str> {
        self.runs
            .iter()
            .map(|(legislature, _, _)| legislature.as_str())
    }
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
        for name in self.sampling.legislatures() {
            if !names.contains(&name) {
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
