//! Reading the bundle's files in the browser and on the command line.
//!
//! Reading is done with the small reader of [`crate::json`], not
//! serde_json: the WASM module only reads the bundle, and serde_json's
//! deserialiser would be most of its weight. The serde derives of
//! [`super::schema`] stay for writing and for the generator. Every file's
//! schema version is checked first, so a file of another version gets a
//! clear error rather than a misreading.

use super::{
    BundleError, Card, CardIds, Checksums, Manifest, Sampling, Shard, VotesTable, SCHEMA_VERSION,
};
use crate::date::Date;
use crate::json::{self, Reader};
use crate::model::{Actor, ActorKind, Outcome};
use crate::seating::Seating;

impl Manifest {
    /// Reads a manifest, refusing a schema version this code does not know.
    pub fn from_json(text: &str) -> Result<Manifest, BundleError> {
        let manifest = read(text, read_manifest)?;
        if manifest.shard_size == 0 && manifest.card_count > 0 {
            return Err(BundleError::Malformed("shard_size is 0".into()));
        }
        manifest.sampling.check(manifest.card_count)?;
        let actors = manifest.actors.len();
        if let Some(seating) = manifest
            .seating
            .iter()
            .find(|s| s.seated.iter().any(|&actor| actor >= actors))
        {
            return Err(BundleError::Malformed(format!(
                "the seating of legislature {} names an actor the manifest does not have",
                seating.legislature
            )));
        }
        Ok(manifest)
    }
}

impl VotesTable {
    /// Reads the table of every card's votes, refusing a schema version
    /// this code does not know.
    pub fn from_json(text: &str) -> Result<VotesTable, BundleError> {
        read(text, read_votes_table)
    }
}

impl CardIds {
    /// Reads the index, refusing a schema version this code does not know.
    pub fn from_json(text: &str) -> Result<CardIds, BundleError> {
        read(text, read_card_ids)
    }
}

impl Shard {
    /// Reads a shard, refusing a schema version this code does not know.
    pub fn from_json(text: &str) -> Result<Shard, BundleError> {
        read(text, read_shard)
    }
}

/// Reads the checksum list; [`Checksums::from_json`] also checks it
/// against the manifest.
pub(super) fn read_checksums(text: &str) -> Result<Checksums, BundleError> {
    read(text, |r| {
        let start = r.offset();
        let (mut schema_version, mut layout_id, mut files, mut shards) = (None, None, None, None);
        r.object(|r, key| match key {
            "schema_version" => field(r, &mut schema_version, read_u32),
            "layout_id" => field(r, &mut layout_id, Reader::string),
            "files" => field(r, &mut files, |r| read_list(r, read_pair)),
            "shards" => field(r, &mut shards, |r| read_list(r, |r| r.string())),
            _ => r.skip(),
        })?;
        Ok(Checksums {
            schema_version: required(r, start, schema_version, "schema_version")?,
            layout_id: required(r, start, layout_id, "layout_id")?,
            files: required(r, start, files, "files")?,
            shards: required(r, start, shards, "shards")?,
        })
    })
}

/// A shard's layout id and `first` card, the rest of it skipped: which
/// build and shard a text says it is, for its checksum, without reading its
/// cards twice.
pub fn shard_head(text: &str) -> Result<(String, u32), BundleError> {
    read(text, |r| {
        let start = r.offset();
        let (mut layout_id, mut first) = (None, None);
        r.object(|r, key| match key {
            "layout_id" => field(r, &mut layout_id, Reader::string),
            "first" => field(r, &mut first, read_u32),
            _ => r.skip(),
        })?;
        Ok((
            required(r, start, layout_id, "layout_id")?,
            required(r, start, first, "first")?,
        ))
    })
}

/// A `["votes.json", "0123456789abcdef"]` pair of [`Checksums::files`].
fn read_pair(r: &mut Reader) -> json::Result<(String, String)> {
    let start = r.offset();
    let (mut name, mut sum) = (None, None);
    r.array(|r| {
        if name.is_none() {
            name = Some(r.string()?);
        } else if sum.is_none() {
            sum = Some(r.string()?);
        } else {
            return Err(r.error("a file's checksum has two items"));
        }
        Ok(())
    })?;
    match (name, sum) {
        (Some(name), Some(sum)) => Ok((name, sum)),
        _ => Err(r.error_at(start, "a file's checksum has two items")),
    }
}

/// Reads a whole bundle file with `body`, once its schema version checked.
fn read<T>(text: &str, body: fn(&mut Reader) -> json::Result<T>) -> Result<T, BundleError> {
    check_version(text)?;
    let mut reader = Reader::new(text);
    let value = body(&mut reader).map_err(malformed)?;
    reader.finish().map_err(malformed)?;
    Ok(value)
}

/// A first pass that reads only the version: a file of another version may
/// have any other shape, and deserves the clearer error. Not generic, so
/// the WASM module holds it once for every kind of file.
fn check_version(text: &str) -> Result<(), BundleError> {
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
    Ok(())
}

fn malformed(error: json::Error) -> BundleError {
    BundleError::Malformed(error.to_string())
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
    let (mut seating, mut deck_size, mut layout_id) = (None, None, None);
    let mut checksums = None;
    r.object(|r, key| match key {
        "schema_version" => field(r, &mut schema_version, read_u32),
        "dataset_id" => field(r, &mut dataset_id, Reader::string),
        "layout_id" => field(r, &mut layout_id, Reader::string),
        "actors" => field(r, &mut actors, |r| read_list(r, read_actor)),
        "card_count" => field(r, &mut card_count, read_u32),
        "shard_size" => field(r, &mut shard_size, read_u32),
        "sampling" => field(r, &mut sampling, read_sampling),
        "seating" => field(r, &mut seating, |r| read_list(r, read_seating)),
        "deck_size" => field(r, &mut deck_size, read_u32),
        "checksums" => field(r, &mut checksums, Reader::string),
        _ => r.skip(),
    })?;
    Ok(Manifest {
        schema_version: required(r, start, schema_version, "schema_version")?,
        dataset_id: required(r, start, dataset_id, "dataset_id")?,
        layout_id: required(r, start, layout_id, "layout_id")?,
        actors: required(r, start, actors, "actors")?,
        card_count: required(r, start, card_count, "card_count")?,
        shard_size: required(r, start, shard_size, "shard_size")?,
        sampling: required(r, start, sampling, "sampling")?,
        seating: seating.unwrap_or_default(),
        deck_size: deck_size.unwrap_or(crate::sampler::DEFAULT_DECK_SIZE as u32),
        checksums: required(r, start, checksums, "checksums")?,
    })
}

fn read_seating(r: &mut Reader) -> json::Result<Seating> {
    let start = r.offset();
    let (mut legislature, mut seated, mut same) = (None, None, None);
    r.object(|r, key| match key {
        "legislature" => field(r, &mut legislature, Reader::string),
        "seated" => field(r, &mut seated, |r| {
            read_list(r, |r| read_u32(r).map(|i| i as usize))
        }),
        "same" => field(r, &mut same, |r| {
            read_list(r, |r| {
                let at = r.offset();
                let n = read_u32(r)?;
                u16::try_from(n)
                    .ok()
                    .filter(|&n| n <= 10_000)
                    .ok_or_else(|| r.error_at(at, "a share above 10000"))
            })
        }),
        _ => r.skip(),
    })?;
    let seating = Seating {
        legislature: required(r, start, legislature, "legislature")?,
        seated: required(r, start, seated, "seated")?,
        same: required(r, start, same, "same")?,
    };
    if !seating.is_whole() {
        return Err(r.error_at(
            start,
            "a seating whose `same` table does not fit its seated actors",
        ));
    }
    Ok(seating)
}

fn read_votes_table(r: &mut Reader) -> json::Result<VotesTable> {
    let start = r.offset();
    let (mut schema_version, mut dataset_id, mut votes) = (None, None, None);
    r.object(|r, key| match key {
        "schema_version" => field(r, &mut schema_version, read_u32),
        "dataset_id" => field(r, &mut dataset_id, Reader::string),
        "votes" => field(r, &mut votes, |r| read_list(r, |r| r.string())),
        _ => r.skip(),
    })?;
    Ok(VotesTable {
        schema_version: required(r, start, schema_version, "schema_version")?,
        dataset_id: required(r, start, dataset_id, "dataset_id")?,
        votes: required(r, start, votes, "votes")?,
    })
}

fn read_sampling(r: &mut Reader) -> json::Result<Sampling> {
    let start = r.offset();
    let mut runs = None;
    r.object(|r, key| match key {
        "runs" => field(r, &mut runs, |r| read_list(r, read_run)),
        _ => r.skip(),
    })?;
    Ok(Sampling {
        runs: required(r, start, runs, "runs")?,
    })
}

/// A `["XV", "g71", 12]` run of [`Sampling::runs`].
fn read_run(r: &mut Reader) -> json::Result<(String, String, u32)> {
    let start = r.offset();
    let (mut legislature, mut class, mut count) = (None, None, None);
    r.array(|r| {
        if legislature.is_none() {
            legislature = Some(r.string()?);
        } else if class.is_none() {
            class = Some(r.string()?);
        } else if count.is_none() {
            count = Some(read_u32(r)?);
        } else {
            return Err(r.error("a sampling run has three items"));
        }
        Ok(())
    })?;
    match (legislature, class, count) {
        (Some(legislature), Some(class), Some(count)) => Ok((legislature, class, count)),
        _ => Err(r.error_at(start, "a sampling run has three items")),
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
    let (mut schema_version, mut layout_id, mut first, mut cards) = (None, None, None, None);
    r.object(|r, key| match key {
        "schema_version" => field(r, &mut schema_version, read_u32),
        "layout_id" => field(r, &mut layout_id, Reader::string),
        "first" => field(r, &mut first, read_u32),
        "cards" => field(r, &mut cards, |r| read_list(r, read_card)),
        _ => r.skip(),
    })?;
    Ok(Shard {
        schema_version: required(r, start, schema_version, "schema_version")?,
        layout_id: required(r, start, layout_id, "layout_id")?,
        first: required(r, start, first, "first")?,
        cards: required(r, start, cards, "cards")?,
    })
}

/// Whether `page` is a path the generator writes (`p/44059/`): relative,
/// of letters, digits and `-_~./` only, never leaving the site. A page
/// link is put in an `href`, so a tampered bundle must not get a
/// `javascript:` or another host's address there.
fn is_site_path(page: &str) -> bool {
    !page.is_empty()
        && !page.starts_with('/')
        && page
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_~./".contains(&b))
        && !page.split('/').any(|segment| segment == "..")
}

pub(super) fn read_card(r: &mut Reader) -> json::Result<Card> {
    let start = r.offset();
    let (mut id, mut title, mut kind, mut legislature) = (None, None, None, None);
    let (mut date, mut phase, mut result, mut page, mut votes) = (None, None, None, None, None);
    let mut summary = None;
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
        "page" => field(r, &mut page, |r| {
            let at = r.offset();
            let text = r.string()?;
            if is_site_path(&text) {
                Ok(text)
            } else {
                Err(r.error_at(at, "a card's page is not a path within the site"))
            }
        }),
        "votes" => field(r, &mut votes, Reader::string),
        "summary" => field(r, &mut summary, Reader::string),
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
        summary,
    })
}
