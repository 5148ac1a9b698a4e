//! The JSON bundle: the contract between the generator and the browser.
//!
//! The generator writes it, the WASM module reads it, both through these
//! types, so the two cannot drift apart. It is split so that the first
//! question needs little data: a tiny manifest (who votes, how many cards)
//! and small shards of cards fetched only when a drawn card lives there.
//! Every file carries [`SCHEMA_VERSION`]; a reader refuses any other
//! version with a message rather than misreading it. Every shard also
//! carries the [`Manifest::dataset_id`] it was written with, so that a
//! reader can tell a shard of another build of the site (one published
//! between fetching the manifest and the shard, or a stale cached copy)
//! from one that belongs to its manifest.

use crate::date::Date;
use crate::json::{self, Reader};
use crate::model::{Actor, ActorKind, Outcome, Position, ProposerKind};
use crate::sampler::{CardMeta, Stratum};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The bundle format this code reads and writes.
///
/// 2: shards carry the `dataset_id` of their manifest.
/// 3: the manifest carries what the deck sampler needs of every card
///    ([`Sampling`]), so the browser draws the stratified deck.
pub const SCHEMA_VERSION: u32 = 3;

/// Folder of the bundle inside the published site.
pub const BUNDLE_DIR: &str = "data";

/// Name of the manifest inside [`BUNDLE_DIR`].
pub const MANIFEST_FILE: &str = "manifest.json";

/// Name of the card-id index ([`CardIds`]) inside [`BUNDLE_DIR`].
pub const IDS_FILE: &str = "ids.json";

/// Code in [`Card::votes`] for an actor with no recorded position.
pub const NO_POSITION: char = '.';

/// What the quiz needs before drawing a deck.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema_version: u32,
    /// Content hash of the quiz data: a share link names the data it was made on.
    pub dataset_id: String,
    /// Every actor that appears in a card, in the order of [`Card::votes`].
    pub actors: Vec<Actor>,
    /// Number of quiz cards, numbered from 0.
    pub card_count: u32,
    /// Cards per shard: card `i` lives in shard `i / shard_size`.
    pub shard_size: u32,
    /// What the deck sampler needs of every card.
    pub sampling: Sampling,
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
    /// The [`Manifest::dataset_id`] of the bundle this shard belongs to.
    pub dataset_id: String,
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
}

impl Card {
    /// How the actor at `actor_index` in the manifest voted, if recorded.
    pub fn position(&self, actor_index: usize) -> Option<Position> {
        self.votes
            .chars()
            .nth(actor_index)
            .and_then(Position::from_code)
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
    /// Reads a manifest, refusing a schema version this code does not know.
    pub fn from_json(text: &str) -> Result<Manifest, BundleError> {
        let manifest = read(text, read_manifest)?;
        if manifest.shard_size == 0 && manifest.card_count > 0 {
            return Err(BundleError::Malformed("shard_size is 0".into()));
        }
        manifest.sampling.check(manifest.card_count)?;
        Ok(manifest)
    }

    /// Index of the shard that holds card `card`.
    pub fn shard_of(&self, card: u32) -> u32 {
        card / self.shard_size.max(1)
    }

    /// Number of shards.
    pub fn shard_count(&self) -> u32 {
        self.card_count.div_ceil(self.shard_size.max(1))
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
    /// Reads the index, refusing a schema version this code does not know.
    pub fn from_json(text: &str) -> Result<CardIds, BundleError> {
        read(text, read_card_ids)
    }

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
    /// Reads a shard, refusing a schema version this code does not know.
    pub fn from_json(text: &str) -> Result<Shard, BundleError> {
        read(text, read_shard)
    }

    /// Whether this shard was written with `manifest`: cards of another
    /// build of the site may be numbered or packed differently.
    pub fn belongs_to(&self, manifest: &Manifest) -> bool {
        self.dataset_id == manifest.dataset_id
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

// Reading is done with the small reader of [`crate::json`], not serde_json:
// the WASM module only reads the bundle, and serde_json's deserialiser
// would be most of its weight. The serde derives above stay for writing
// and for the generator.

/// Reads a whole bundle file with `body`, once its schema version checked.
fn read<T>(text: &str, body: fn(&mut Reader) -> json::Result<T>) -> Result<T, BundleError> {
    let malformed = |e: json::Error| BundleError::Malformed(e.to_string());
    // A first pass reads only the version: a file of another version may
    // have any other shape, and deserves the clearer error.
    let mut reader = Reader::new(text);
    let start = reader.offset();
    let mut version = None;
    reader
        .object(|r, key| match key {
            "schema_version" => field(r, &mut version, read_u32),
            _ => r.skip(),
        })
        .and_then(|()| reader.finish())
        .map_err(malformed)?;
    let found = required(&reader, start, version, "schema_version").map_err(malformed)?;
    if found != SCHEMA_VERSION {
        return Err(BundleError::UnsupportedVersion { found });
    }
    let mut reader = Reader::new(text);
    let value = body(&mut reader).map_err(malformed)?;
    reader.finish().map_err(malformed)?;
    Ok(value)
}

/// Reads the value of a known field into `slot`, refusing a second one.
fn field<'a, T>(
    r: &mut Reader<'a>,
    slot: &mut Option<T>,
    read: impl FnOnce(&mut Reader<'a>) -> json::Result<T>,
) -> json::Result<()> {
    if slot.is_some() {
        return Err(r.error("duplicate field"));
    }
    *slot = Some(read(r)?);
    Ok(())
}

/// The value of a required field of the object that starts at `start`.
fn required<T>(r: &Reader, start: usize, slot: Option<T>, name: &str) -> json::Result<T> {
    slot.ok_or_else(|| r.error_at(start, format!("missing field `{name}`")))
}

fn read_u32(r: &mut Reader) -> json::Result<u32> {
    let start = r.offset();
    let n = r.u64()?;
    u32::try_from(n).map_err(|_| r.error_at(start, "number too large"))
}

fn read_list<T>(r: &mut Reader, item: fn(&mut Reader) -> json::Result<T>) -> json::Result<Vec<T>> {
    let mut items = Vec::new();
    r.array(|r| {
        items.push(item(r)?);
        Ok(())
    })?;
    Ok(items)
}

/// Reads one of the string `names` of an enum's variants.
fn read_name<T: Copy>(r: &mut Reader, names: &[(&str, T)]) -> json::Result<T> {
    let start = r.offset();
    let name = r.string()?;
    names
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, value)| value)
        .ok_or_else(|| r.error_at(start, "unknown variant"))
}

fn read_manifest(r: &mut Reader) -> json::Result<Manifest> {
    let start = r.offset();
    let (mut schema_version, mut dataset_id, mut actors) = (None, None, None);
    let (mut card_count, mut shard_size, mut sampling) = (None, None, None);
    r.object(|r, key| match key {
        "schema_version" => field(r, &mut schema_version, read_u32),
        "dataset_id" => field(r, &mut dataset_id, Reader::string),
        "actors" => field(r, &mut actors, |r| read_list(r, read_actor)),
        "card_count" => field(r, &mut card_count, read_u32),
        "shard_size" => field(r, &mut shard_size, read_u32),
        "sampling" => field(r, &mut sampling, read_sampling),
        _ => r.skip(),
    })?;
    Ok(Manifest {
        schema_version: required(r, start, schema_version, "schema_version")?,
        dataset_id: required(r, start, dataset_id, "dataset_id")?,
        actors: required(r, start, actors, "actors")?,
        card_count: required(r, start, card_count, "card_count")?,
        shard_size: required(r, start, shard_size, "shard_size")?,
        sampling: required(r, start, sampling, "sampling")?,
    })
}

fn read_sampling(r: &mut Reader) -> json::Result<Sampling> {
    let start = r.offset();
    let (mut legislatures, mut strata, mut splits) = (None, None, None);
    r.object(|r, key| match key {
        "legislatures" => field(r, &mut legislatures, |r| read_list(r, read_run)),
        "strata" => field(r, &mut strata, Reader::string),
        "splits" => field(r, &mut splits, Reader::string),
        _ => r.skip(),
    })?;
    Ok(Sampling {
        legislatures: required(r, start, legislatures, "legislatures")?,
        strata: required(r, start, strata, "strata")?,
        splits: required(r, start, splits, "splits")?,
    })
}

/// A `["XIV", 1000]` pair of [`Sampling::legislatures`].
fn read_run(r: &mut Reader) -> json::Result<(String, u32)> {
    let start = r.offset();
    let (mut name, mut run) = (None, None);
    r.array(|r| {
        if name.is_none() {
            name = Some(r.string()?);
        } else if run.is_none() {
            run = Some(read_u32(r)?);
        } else {
            return Err(r.error("a legislature run has two items"));
        }
        Ok(())
    })?;
    match (name, run) {
        (Some(name), Some(run)) => Ok((name, run)),
        _ => Err(r.error_at(start, "a legislature run has two items")),
    }
}

fn read_actor(r: &mut Reader) -> json::Result<Actor> {
    let start = r.offset();
    let (mut id, mut name, mut kind) = (None, None, None);
    r.object(|r, key| match key {
        "id" => field(r, &mut id, Reader::string),
        "name" => field(r, &mut name, Reader::string),
        "kind" => field(r, &mut kind, |r| {
            read_name(
                r,
                &[
                    ("party", ActorKind::Party),
                    ("non-attached", ActorKind::NonAttached),
                ],
            )
        }),
        _ => r.skip(),
    })?;
    Ok(Actor {
        id: required(r, start, id, "id")?,
        name: required(r, start, name, "name")?,
        kind: required(r, start, kind, "kind")?,
    })
}

fn read_card_ids(r: &mut Reader) -> json::Result<CardIds> {
    let start = r.offset();
    let (mut schema_version, mut dataset_id, mut ids) = (None, None, None);
    r.object(|r, key| match key {
        "schema_version" => field(r, &mut schema_version, read_u32),
        "dataset_id" => field(r, &mut dataset_id, Reader::string),
        "ids" => field(r, &mut ids, |r| read_list(r, |r| r.string())),
        _ => r.skip(),
    })?;
    Ok(CardIds {
        schema_version: required(r, start, schema_version, "schema_version")?,
        dataset_id: required(r, start, dataset_id, "dataset_id")?,
        ids: required(r, start, ids, "ids")?,
    })
}

fn read_shard(r: &mut Reader) -> json::Result<Shard> {
    let start = r.offset();
    let (mut schema_version, mut dataset_id, mut first, mut cards) = (None, None, None, None);
    r.object(|r, key| match key {
        "schema_version" => field(r, &mut schema_version, read_u32),
        "dataset_id" => field(r, &mut dataset_id, Reader::string),
        "first" => field(r, &mut first, read_u32),
        "cards" => field(r, &mut cards, |r| read_list(r, read_card)),
        _ => r.skip(),
    })?;
    Ok(Shard {
        schema_version: required(r, start, schema_version, "schema_version")?,
        dataset_id: required(r, start, dataset_id, "dataset_id")?,
        first: required(r, start, first, "first")?,
        cards: required(r, start, cards, "cards")?,
    })
}

fn read_card(r: &mut Reader) -> json::Result<Card> {
    let start = r.offset();
    let (mut id, mut title, mut kind, mut legislature) = (None, None, None, None);
    let (mut date, mut phase, mut result, mut page, mut votes) = (None, None, None, None, None);
    r.object(|r, key| match key {
        "id" => field(r, &mut id, Reader::string),
        "title" => field(r, &mut title, Reader::string),
        "kind" => field(r, &mut kind, Reader::string),
        "legislature" => field(r, &mut legislature, Reader::string),
        "date" => field(r, &mut date, |r| {
            let at = r.offset();
            let text = r.string()?;
            Date::parse_iso(&text).ok_or_else(|| r.error_at(at, "invalid date"))
        }),
        "phase" => field(r, &mut phase, Reader::string),
        "result" => field(r, &mut result, |r| {
            if r.null() {
                return Ok(None);
            }
            let outcomes = [
                ("approved", Outcome::Approved),
                ("rejected", Outcome::Rejected),
            ];
            read_name(r, &outcomes).map(Some)
        }),
        "page" => field(r, &mut page, Reader::string),
        "votes" => field(r, &mut votes, Reader::string),
        _ => r.skip(),
    })?;
    Ok(Card {
        id: required(r, start, id, "id")?,
        title: required(r, start, title, "title")?,
        kind: required(r, start, kind, "kind")?,
        legislature: required(r, start, legislature, "legislature")?,
        date: required(r, start, date, "date")?,
        phase: required(r, start, phase, "phase")?,
        // Like serde's `Option` fields: absent reads as `None`.
        result: result.flatten(),
        page: required(r, start, page, "page")?,
        votes: required(r, start, votes, "votes")?,
    })
}

/// Why a bundle file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BundleError {
    /// The file was written for another version of the format.
    UnsupportedVersion { found: u32 },
    /// The file is not a bundle file of the expected shape.
    Malformed(String),
}

impl fmt::Display for BundleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BundleError::UnsupportedVersion { found } => write!(
                f,
                "the quiz data uses format version {found}, but this hemiciclo only reads \
                 version {SCHEMA_VERSION}: rebuild the site with it (`hemiciclo build`)"
            ),
            BundleError::Malformed(detail) => write!(f, "the quiz data is damaged: {detail}"),
        }
    }
}

impl std::error::Error for BundleError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ActorKind;

    fn manifest() -> Manifest {
        Manifest {
            schema_version: SCHEMA_VERSION,
            dataset_id: "abc".into(),
            actors: vec![Actor {
                id: "PS".into(),
                name: "PS".into(),
                kind: ActorKind::Party,
            }],
            card_count: 25,
            shard_size: 10,
            sampling: Sampling {
                legislatures: vec![("XIV".into(), 20), ("XV".into(), 5)],
                strata: "go".repeat(12) + "g",
                splits: "0123456789".repeat(3)[..25].into(),
            },
        }
    }

    #[test]
    fn the_sampling_table_packs_and_unpacks_every_card() {
        let metas = manifest().card_metas().unwrap();
        assert_eq!(metas.len(), 25);
        assert_eq!(metas[19].legislature, "XIV");
        assert_eq!(metas[20].legislature, "XV");
        assert_eq!(metas[0].stratum(), Stratum::Government);
        assert_eq!(metas[1].stratum(), Stratum::Other);
        assert_eq!(metas[9].informativeness, 1.0);
        assert!(metas
            .iter()
            .enumerate()
            .all(|(i, m)| m.index == i as u32 && m.eligible));
        assert_eq!(Sampling::pack(&metas), manifest().sampling);
    }

    #[test]
    fn the_card_id_index_finds_cards_and_names_unknown_ids() {
        let index = CardIds {
            schema_version: SCHEMA_VERSION,
            dataset_id: "abc".into(),
            ids: (0..25).map(|i| format!("p{i}")).collect(),
        };
        let read = CardIds::from_json(&serde_json::to_string(&index).unwrap()).unwrap();
        assert_eq!(read, index);
        assert!(read.belongs_to(&manifest()));
        let wanted = |ids: &[&str]| ids.iter().map(|id| id.to_string()).collect::<Vec<_>>();
        assert_eq!(read.cards_of(&wanted(&["p7", "p0"])), Ok(vec![7, 0]));
        assert_eq!(
            read.cards_of(&wanted(&["p7", "x", "p99"])),
            Err(wanted(&["x", "p99"]))
        );
        let mut other = manifest();
        other.card_count = 24;
        assert!(!read.belongs_to(&other));
    }

    #[test]
    fn a_sampling_table_of_another_length_or_code_is_refused() {
        for broken in [
            r#""legislatures":[["XV",24]],"strata":"ggggggggggggggggggggggggg","splits":"0000000000000000000000000""#,
            r#""legislatures":[["XV",25]],"strata":"gggggggggggggggggggggggg","splits":"0000000000000000000000000""#,
            r#""legislatures":[["XV",25]],"strata":"xgggggggggggggggggggggggg","splits":"0000000000000000000000000""#,
            r#""legislatures":[["XV",25]],"strata":"ggggggggggggggggggggggggg","splits":"a000000000000000000000000""#,
            r#""legislatures":[["XV",25,1]],"strata":"ggggggggggggggggggggggggg","splits":"0000000000000000000000000""#,
        ] {
            let text = format!(
                r#"{{"schema_version":{SCHEMA_VERSION},"dataset_id":"a","actors":[],"card_count":25,"shard_size":10,"sampling":{{{broken}}}}}"#
            );
            let error = Manifest::from_json(&text).unwrap_err();
            assert!(
                matches!(error, BundleError::Malformed(_)),
                "{broken}: {error}"
            );
        }
    }

    #[test]
    fn manifest_round_trips() {
        let text = serde_json::to_string(&manifest()).unwrap();
        assert_eq!(Manifest::from_json(&text).unwrap(), manifest());
        assert_eq!(manifest().shard_count(), 3);
        assert_eq!(manifest().shard_of(19), 1);
    }

    #[test]
    fn refuses_unknown_schema_version_with_a_clear_message() {
        let mut m = manifest();
        m.schema_version = SCHEMA_VERSION + 1;
        let error = Manifest::from_json(&serde_json::to_string(&m).unwrap()).unwrap_err();
        assert_eq!(
            error,
            BundleError::UnsupportedVersion {
                found: SCHEMA_VERSION + 1
            }
        );
        let message = error.to_string();
        let found = format!("version {}", SCHEMA_VERSION + 1);
        let reads = format!("only reads version {SCHEMA_VERSION}");
        assert!(message.contains(&found), "{message}");
        assert!(message.contains(&reads), "{message}");
    }

    #[test]
    fn refuses_a_version_1_shard_without_dataset_id() {
        let text = r#"{"schema_version":1,"first":0,"cards":[]}"#;
        assert_eq!(
            Shard::from_json(text),
            Err(BundleError::UnsupportedVersion { found: 1 })
        );
        let text = r#"{"schema_version":3,"first":0,"cards":[]}"#;
        assert!(matches!(
            Shard::from_json(text),
            Err(BundleError::Malformed(_))
        ));
    }

    #[test]
    fn a_shard_knows_the_manifest_it_belongs_to() {
        let shard = Shard {
            schema_version: SCHEMA_VERSION,
            dataset_id: "abc".into(),
            first: 0,
            cards: vec![],
        };
        let text = serde_json::to_string(&shard).unwrap();
        assert!(text.contains(r#""dataset_id":"abc""#), "{text}");
        let read = Shard::from_json(&text).unwrap();
        assert_eq!(read, shard);
        assert!(read.belongs_to(&manifest()));
        let mut other = manifest();
        other.dataset_id = "abd".into();
        assert!(!read.belongs_to(&other));
    }

    #[test]
    fn refuses_garbage() {
        let current = format!("{{\"schema_version\":{SCHEMA_VERSION}}}");
        for text in ["", "[]", "{\"schema_version\":\"2\"}", current.as_str()] {
            assert!(
                matches!(Manifest::from_json(text), Err(BundleError::Malformed(_))),
                "{text}"
            );
        }
    }

    fn card(title: &str, result: Option<Outcome>) -> Card {
        Card {
            id: "7".into(),
            title: title.into(),
            kind: "Projeto de Lei".into(),
            legislature: "XV".into(),
            date: Date::parse_iso("2024-02-29").unwrap(),
            phase: "Votação final global".into(),
            result,
            page: "p/7/".into(),
            votes: "FA.NX".into(),
        }
    }

    fn read_card_json(text: &str) -> json::Result<Card> {
        let mut reader = Reader::new(text);
        let card = read_card(&mut reader)?;
        reader.finish().map(|()| card)
    }

    #[test]
    fn reads_what_serde_json_writes() {
        let mut m = manifest();
        m.actors.push(Actor {
            id: "Joacine Katar Moreira (Ninsc)".into(),
            name: "Joacine \"Katar\" Moreira \u{1f5f3}".into(),
            kind: ActorKind::NonAttached,
        });
        let pretty = serde_json::to_string_pretty(&m).unwrap();
        assert_eq!(Manifest::from_json(&pretty).unwrap(), m);
        let shards = [
            Shard {
                schema_version: SCHEMA_VERSION,
                dataset_id: "abc".into(),
                first: 0,
                cards: vec![
                    card(
                        "Orçamento \\ \"2024\"\n\t\u{0}\u{1f}",
                        Some(Outcome::Approved),
                    ),
                    card("", Some(Outcome::Rejected)),
                    card("x", None),
                ],
            },
            Shard {
                schema_version: SCHEMA_VERSION,
                dataset_id: "abc".into(),
                first: u32::MAX,
                cards: vec![],
            },
        ];
        for shard in shards {
            let text = serde_json::to_string(&shard).unwrap();
            assert_eq!(Shard::from_json(&text).unwrap(), shard, "{text}");
        }
    }

    #[test]
    fn ignores_unknown_fields_and_names_missing_ones() {
        let text = r#"{"schema_version":3,"extra":{"a":[1.5,-2e3,null,true]},"dataset_id":"d",
            "first":3,"cards":[{"id":"1","title":"t","kind":"k","legislature":"XV",
            "date":"2020-01-01","phase":"p","page":"p/1/","votes":"F","new":"x"}]}"#;
        let shard = Shard::from_json(text).unwrap();
        assert_eq!(shard.first, 3);
        assert_eq!(shard.cards[0].result, None);
        let missing = text.replace(r#""votes":"F","#, "");
        assert_eq!(
            Shard::from_json(&missing),
            Err(BundleError::Malformed(
                "missing field `votes` at line 2, column 32".into()
            ))
        );
        for (bad, what) in [
            (r#""date":"2020-01-01""#, r#""date":"2020-02-30""#),
            (r#""date":"2020-01-01""#, r#""date":20200101"#),
            (r#""first":3"#, r#""first":4294967296"#),
            (r#""first":3"#, r#""first":-3"#),
            (r#""first":3"#, r#""first":3,"first":3"#),
            (r#""page""#, r#""result":"maybe","page""#),
        ] {
            let text = text.replace(bad, what);
            assert!(
                matches!(Shard::from_json(&text), Err(BundleError::Malformed(_))),
                "{text}"
            );
        }
        let error = Manifest::from_json(r#"{"schema_version":2,"dataset_id":"d","#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the quiz data is damaged: expected a field name at line 1, column 38"
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_text(text in proptest::prelude::any::<String>()) {
            let _ = Manifest::from_json(&text);
            let _ = Shard::from_json(&text);
            let _ = read_card_json(&text);
        }

        #[test]
        fn reads_any_title(title in proptest::prelude::any::<String>(), approved: Option<bool>) {
            let result = approved.map(|a| if a { Outcome::Approved } else { Outcome::Rejected });
            let card = card(&title, result);
            let text = serde_json::to_string(&card).unwrap();
            proptest::prop_assert_eq!(read_card_json(&text), Ok(card));
        }

        #[test]
        fn reads_any_quoted_or_control_title(title in "[\"\\\\\u{0}-\u{1f}\u{7f}\u{e9}\u{1f600}a]{0,20}") {
            let card = card(&title, None);
            let text = serde_json::to_string(&card).unwrap();
            proptest::prop_assert_eq!(read_card_json(&text), Ok(card));
        }
    }

    #[test]
    fn cards_unpack_positions() {
        let votes = Card::pack_votes([Some(Position::For), None, Some(Position::Abstain)]);
        assert_eq!(votes, "F.N");
        let card = Card {
            id: "1".into(),
            title: "t".into(),
            kind: "k".into(),
            legislature: "XIV".into(),
            date: Date::parse_iso("2020-01-01").unwrap(),
            phase: "p".into(),
            result: None,
            page: "p/1/".into(),
            votes,
        };
        assert_eq!(card.position(0), Some(Position::For));
        assert_eq!(card.position(1), None);
        assert_eq!(card.position(2), Some(Position::Abstain));
        assert_eq!(card.position(3), None);
        let shard = Shard {
            schema_version: SCHEMA_VERSION,
            dataset_id: "abc".into(),
            first: 20,
            cards: vec![card],
        };
        assert!(shard.card(20).is_some());
        assert!(shard.card(19).is_none());
        assert!(shard.card(21).is_none());
    }
}
