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
use crate::model::{Actor, Outcome, Position};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The bundle format this code reads and writes.
///
/// 2: shards carry the `dataset_id` of their manifest.
pub const SCHEMA_VERSION: u32 = 2;

/// Folder of the bundle inside the published site.
pub const BUNDLE_DIR: &str = "data";

/// Name of the manifest inside [`BUNDLE_DIR`].
pub const MANIFEST_FILE: &str = "manifest.json";

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
        check_version(text)?;
        let manifest: Manifest = serde_json::from_str(text).map_err(BundleError::malformed)?;
        if manifest.shard_size == 0 && manifest.card_count > 0 {
            return Err(BundleError::Malformed("shard_size is 0".into()));
        }
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
}

impl Shard {
    /// Reads a shard, refusing a schema version this code does not know.
    pub fn from_json(text: &str) -> Result<Shard, BundleError> {
        check_version(text)?;
        serde_json::from_str(text).map_err(BundleError::malformed)
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

fn check_version(text: &str) -> Result<(), BundleError> {
    #[derive(Deserialize)]
    struct Versioned {
        schema_version: u32,
    }
    let Versioned { schema_version } =
        serde_json::from_str(text).map_err(BundleError::malformed)?;
    if schema_version == SCHEMA_VERSION {
        Ok(())
    } else {
        Err(BundleError::UnsupportedVersion {
            found: schema_version,
        })
    }
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

impl BundleError {
    /// Keeps where the file went wrong, not serde_json's full wording:
    /// its messages would cost the WASM module kilobytes of formatting code.
    fn malformed(error: serde_json::Error) -> BundleError {
        let what = match error.classify() {
            serde_json::error::Category::Io => "unreadable",
            serde_json::error::Category::Syntax => "not valid JSON",
            serde_json::error::Category::Data => "a field is missing or has the wrong type",
            serde_json::error::Category::Eof => "the file ends too early",
        };
        BundleError::Malformed(format!(
            "{what} at line {}, column {}",
            error.line(),
            error.column()
        ))
    }
}

impl fmt::Display for BundleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BundleError::UnsupportedVersion { found } => write!(
                f,
                "the quiz data uses format version {found}, but this page only reads version \
                 {SCHEMA_VERSION}; reload the page, and if that does not help the site must be \
                 rebuilt with a matching hemiciclo"
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
        let text = r#"{"schema_version":2,"first":0,"cards":[]}"#;
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
