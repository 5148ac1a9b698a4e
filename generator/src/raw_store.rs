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

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};

/// A content-addressed folder of raw source files.
#[derive(Debug, Clone)]
pub struct RawStore {
    dir: PathBuf,
}

impl RawStore {
    /// Opens the store in `dir`, creating the folder if needed.
    pub fn open(dir: &Path) -> Result<RawStore> {
        fs::create_dir_all(dir)
            .with_context(|| format!("could not create the raw store folder {}", dir.display()))?;
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
        let shard = path.parent().expect("an object path has a shard folder");
        fs::create_dir_all(shard).with_context(|| {
            format!("could not create the raw store folder {}", shard.display())
        })?;
        write_new(&path, bytes)
            .with_context(|| format!("could not write the raw store object {}", path.display()))?;
        Ok(hash)
    }

    /// The bytes stored under `hash`, checked against it.
    pub fn get(&self, hash: &str) -> Result<Vec<u8>> {
        let path = self.object_path(hash)?;
        let bytes = fs::read(&path).with_context(|| {
            format!(
                "could not read the raw store object {hash} ({})",
                path.display()
            )
        })?;
        let actual = sha256_hex(&bytes);
        if actual != hash {
            bail!(
                "the raw store object {} is corrupt: its content hashes to {actual}; \
                 delete it and fetch the source again",
                path.display()
            );
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
            bail!("{hash:?} is not a SHA-256 hash (64 lowercase hex digits)");
        }
        Ok(self.dir.join(&hash[..2]).join(hash))
    }
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes `bytes` to `path` unless it exists, never exposing a partial file.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temp = temp_path(path);
    let result = write_synced(&temp, bytes).and_then(|()| link_new(&temp, path));
    // The temporary name is only a staging step: it goes whatever happened.
    let _ = fs::remove_file(&temp);
    result?;
    sync_folder(path.parent().expect("an object path has a shard folder"))
}

/// A name beside `path` that no other writer (thread or process) uses.
fn temp_path(path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    path.with_file_name(format!(".{name}.{}.{n}.tmp", std::process::id()))
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = File::create_new(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Gives `temp` the name `path` without replacing an existing `path`: if
/// another writer got there first, its object has the same bytes.
fn link_new(temp: &Path, path: &Path) -> io::Result<()> {
    match fs::hard_link(temp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        // A file system without hard links: fall back to a rename, which
        // can only replace an object that appeared in the last instant.
        Err(_) if !path.exists() => fs::rename(temp, path),
        Err(e) => Err(e),
    }
}

/// Makes the new name durable (on Unix a folder can be fsynced).
fn sync_folder(dir: &Path) -> io::Result<()> {
    if cfg!(unix) {
        File::open(dir)?.sync_all()?;
    }
    Ok(())
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
        let message = format!("{:#}", store.get(&absent).unwrap_err());
        assert!(message.contains(&absent), "{message}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
