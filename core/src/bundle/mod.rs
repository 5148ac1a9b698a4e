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
//!
//! * `schema`: the files as types ([`Manifest`], [`Shard`], [`Card`],
//!   [`CardIds`], [`Sampling`]) and their names and version.
//! * `reader`: reading them back (`from_json`), without serde_json.
//! * `checksums`: every file's checksum, checked by every reader.
//! * [`BundleError`]: why a file could not be read.

mod checksums;
mod error;
mod reader;
mod schema;

pub use checksums::{checksum, Checksums};
pub use error::BundleError;
pub use reader::shard_head;
pub use schema::{
    shard_path, Card, CardIds, Manifest, Sampling, Shard, VotesTable, BUNDLE_DIR, CHECKSUMS_FILE,
    IDS_FILE, MANIFEST_FILE, NO_POSITION, SCHEMA_VERSION, VOTES_FILE,
};

#[cfg(test)]
mod tests;
