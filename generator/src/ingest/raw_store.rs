//! The raw store: every fetched source, kept under its content hash.
//!
//! The pipeline rule is "keep, don't update": what a source said on a given
//! day must stay available to rebuild, audit or diff against, even after the
//! source changes or disappears. So an object is addressed by the SHA-256 of
//! its bytes (`<dir>/<first 2 hex>/<64 hex>`), written once and never
//! touched again; storing the same bytes twice is a no-op.
//!
//! Writing is crash- and race-safe: the bytes go to a temporary file in the
//! object's folder, are fsynced, and are then hard-linked to the final name.
//! Unlike a rename, a link never replaces an existing file, so two writers
//! of the same bytes cannot overwrite each other and a half-written object
//! never appears under a hash. Reading re-hashes the bytes, so a corrupted
//! object is reported instead of silently feeding the build.

use crate::error::{Error, IoContext, Result};
use crate::files::{sha256_hex, write_new};
use std::fs;
use std::path::{Path, PathBuf};

/// A content-addressed folder of raw source files.
#[derive(Debug, Clone)]
pub struct RawStore {
    dir: PathBuf,
}

impl RawStore {
    /// Opens the store in `dir`, creating the folder if needed.
    pub fn open(dir: &Path) -> Result<RawStore> {
        fs::create_dir_all(dir)
            .doing(|| format!("could not create the raw store folder {}", dir.display()))?;
        Ok(RawStore {
            dir: dir.to_path_buf(),
        })
    }

    /// Keeps `bytes` and returns their SHA-256 (lowercase hex). If an object
    /// with that hash is already there it is left as it is.
    pub fn store(&self, bytes: &[u8]) -> Result<String> {
        let hash = sha256_hex(bytes);
        let path = self.object_path(&hash)?;
        if path.exists() {
            return Ok(hash);
        }
        write_new(&path, bytes)?;
        Ok(hash)
    }

    /// The bytes stored under `hash`, checked against it.
    pub fn get(&self, hash: &str) -> Result<Vec<u8>> {
        let path = self.object_path(hash)?;
        let bytes = fs::read(&path).doing(|| {
            format!(
                "could not read the raw store object {hash} ({})",
                path.display()
            )
        })?;
        let actual = sha256_hex(&bytes);
        if actual != hash {
            return Err(Error::Work(format!(
                "the raw store object {} is corrupt: its content hashes to {actual}; \
                 delete it and fetch the source again",
                path.display()
            )));
        }
        Ok(bytes)
    }

    /// Whether an object with `hash` is stored (without checking its content).
    pub fn contains(&self, hash: &str) -> bool {
        self.object_path(hash).is_ok_and(|path| path.is_file())
    }

    fn object_path(&self, hash: &str) -> Result<PathBuf> {
        let is_sha256_hex =
            hash.len() == 64 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !is_sha256_hex {
            return Err(Error::Work(format!(
                "{hash:?} is not a SHA-256 hash (64 lowercase hex digits)"
            )));
        }
        Ok(self.dir.join(&hash[..2]).join(hash))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("hemiciclo-raw-store-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    /// Every file under `dir`, temporary ones included.
    fn files(dir: &Path) -> Vec<PathBuf> {
        let mut found = Vec::new();
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                found.extend(files(&path));
            } else {
                found.push(path);
            }
        }
        found
    }

    #[test]
    fn stores_under_the_sha256_and_gets_back() {
        let dir = scratch("roundtrip");
        let store = RawStore::open(&dir).unwrap();
        let hash = store.store(b"abc").unwrap();
        assert_eq!(
            hash,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(files(&dir), vec![dir.join("ba").join(&hash)]);
        assert!(store.contains(&hash));
        assert_eq!(store.get(&hash).unwrap(), b"abc");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn storing_twice_leaves_the_first_object_untouched() {
        let dir = scratch("twice");
        let store = RawStore::open(&dir).unwrap();
        let hash = store.store(b"votes").unwrap();
        let path = dir.join(&hash[..2]).join(&hash);
        let before = fs::metadata(&path).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(store.store(b"votes").unwrap(), hash);
        let after = fs::metadata(&path).unwrap().modified().unwrap();
        assert_eq!(before, after, "the second store rewrote the object");
        assert_eq!(files(&dir).len(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_corrupt_object_is_detected() {
        let dir = scratch("corrupt");
        let store = RawStore::open(&dir).unwrap();
        let hash = store.store(b"original").unwrap();
        let path = dir.join(&hash[..2]).join(&hash);
        fs::write(&path, b"tampered").unwrap();
        let message = store.get(&hash).unwrap_err().to_string();
        assert!(message.contains("corrupt"), "{message}");
        assert!(message.contains(&hash), "{message}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn concurrent_stores_of_the_same_bytes_both_succeed() {
        let dir = scratch("concurrent");
        let store = Arc::new(RawStore::open(&dir).unwrap());
        let bytes: Arc<Vec<u8>> = Arc::new((0..200_000u32).map(|i| i as u8).collect());
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let (store, bytes) = (Arc::clone(&store), Arc::clone(&bytes));
                std::thread::spawn(move || store.store(&bytes).unwrap())
            })
            .collect();
        let hashes: Vec<String> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        assert!(hashes.iter().all(|h| *h == hashes[0]));
        assert_eq!(files(&dir).len(), 1, "a temporary file was left behind");
        assert_eq!(store.get(&hashes[0]).unwrap(), *bytes);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bad_or_missing_hashes_are_errors() {
        let dir = scratch("missing");
        let store = RawStore::open(&dir).unwrap();
        assert!(!store.contains("../../etc/passwd"));
        assert!(store.get("../../etc/passwd").is_err());
        let absent = sha256_hex(b"never stored");
        assert!(!store.contains(&absent));
        let message = store.get(&absent).unwrap_err().chain_text();
        assert!(message.contains(&absent), "{message}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
