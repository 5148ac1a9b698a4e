//! A checksum for every bundle file but the manifest, which names the
//! checksum of the list itself.
//!
//! The list (`checksums.json`) lives apart from the manifest so that what
//! the first question downloads does not grow with the cards: the page
//! fetches it with the rest of what the results need and checks every
//! file before it gives a verdict; `hemiciclo quiz` and `explain` check
//! every file they read. A file changed after the build (or a copy of
//! another build) is refused by name, so one share code cannot give two
//! different scores. The checksum is the first 8 bytes of SHA-256, in hex:
//! plenty to tell a changed file, short enough for a list of thousands.

use super::reader::read_checksums;
use super::{BundleError, Manifest, CHECKSUMS_FILE, SCHEMA_VERSION};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The checksum of every bundle file, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checksums {
    pub schema_version: u32,
    /// The [`Manifest::layout_id`] of the bundle.
    pub layout_id: String,
    /// The files other than shards, by name within the bundle folder
    /// (`votes.json`, `ids.json`), in name order.
    pub files: Vec<(String, String)>,
    /// One checksum per shard, in shard order.
    pub shards: Vec<String>,
}

/// The checksum of a file's bytes, as the bundle writes it.
pub fn checksum(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

impl Checksums {
    /// Reads the list, refusing one whose bytes are not those the
    /// manifest names or that does not describe the manifest's shards.
    pub fn from_json(text: &str, manifest: &Manifest) -> Result<Checksums, BundleError> {
        if checksum(text.as_bytes()) != manifest.checksums {
            return Err(BundleError::Tampered {
                file: CHECKSUMS_FILE.to_owned(),
            });
        }
        let list = read_checksums(text)?;
        if list.schema_version != SCHEMA_VERSION {
            return Err(BundleError::UnsupportedVersion {
                found: list.schema_version,
            });
        }
        if list.layout_id != manifest.layout_id
            || list.shards.len() != manifest.shard_count() as usize
        {
            return Err(BundleError::Malformed(format!(
                "{CHECKSUMS_FILE} does not list the manifest's {} shards",
                manifest.shard_count()
            )));
        }
        Ok(list)
    }

    /// Refuses the text of bundle file `name` (`cards/3.json`,
    /// `votes.json`) unless it is exactly what the build wrote.
    pub fn check(&self, name: &str, text: &str) -> Result<(), BundleError> {
        let expected = match shard_index(name) {
            Some(index) => self.shards.get(index),
            None => self.files.iter().find(|(n, _)| n == name).map(|(_, c)| c),
        };
        match expected {
            Some(expected) if *expected == checksum(text.as_bytes()) => Ok(()),
            _ => Err(BundleError::Tampered {
                file: name.to_owned(),
            }),
        }
    }
}

/// `3` for `cards/3.json`.
fn shard_index(name: &str) -> Option<usize> {
    name.strip_prefix("cards/")?
        .strip_suffix(".json")?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checksum_is_eight_bytes_of_sha256() {
        // printf 'abc' | sha256sum
        assert_eq!(checksum(b"abc"), "ba7816bf8f01cfea");
        assert_eq!(shard_index("cards/12.json"), Some(12));
        assert_eq!(shard_index("votes.json"), None);
    }
}
