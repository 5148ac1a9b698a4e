//! The file chores every phase shares: writing a file so that a reader (or
//! a killed run) never sees part of it, naming temporaries so that a later
//! run can sweep them, and naming bytes by their SHA-256.

use crate::error::{Error, IoContext, Result};
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `bytes` to `path`, replacing any file there, so that readers see
/// the old file or the new one, never a part: a temporary file beside it,
/// synced, then renamed over it. Creates the parent folder if needed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let temporary = temporary_beside(path)?;
    let result = write_synced(&temporary, bytes)
        .doing(|| format!("cannot write {}", temporary.display()))
        .and_then(|()| {
            fs::rename(&temporary, path).doing(|| format!("cannot replace {}", path.display()))
        });
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

/// Writes `bytes` to `path` unless a file is there already, never exposing
/// a partial file: the temporary is hard-linked to its name, and unlike a
/// rename a link never replaces an existing file, so two writers of the
/// same content cannot overwrite each other. The new name is made durable.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let temporary = temporary_beside(path)?;
    let result = write_synced(&temporary, bytes).and_then(|()| link_new(&temporary, path));
    // The temporary name is only a staging step: it goes whatever happened.
    let _ = fs::remove_file(&temporary);
    result
        .and_then(|()| sync_folder(path.parent().unwrap_or(Path::new("."))))
        .doing(|| format!("cannot write {}", path.display()))
}

/// A fresh name beside `path` that no other writer (thread or process)
/// uses, and that [`is_temporary`] recognises; creates the folder.
fn temporary_beside(path: &Path) -> Result<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).doing(|| format!("cannot create {}", dir.display()))?;
    Ok(dir.join(temporary_name(
        &path.file_name().unwrap_or_default().to_string_lossy(),
    )))
}

/// A hidden name for a staging copy of `name` (a file or a folder), unique
/// to this process and call.
pub fn temporary_name(name: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(".{name}.{}.{n}.tmp", std::process::id())
}

/// Whether `name` is a staging name that a killed run may have left behind.
pub fn is_temporary(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(".tmp")
}

/// Refuses `path`, a file or folder inside the site folder `site_dir`,
/// when a symbolic link leads it out of the site folder: a link in
/// `static/` to a system file would publish that file. A link whose target
/// lies inside the site folder is followed. A path that does not exist is
/// let through (its reader says what is missing).
pub fn check_inside(site_dir: &Path, path: &Path) -> Result<()> {
    let target = match fs::canonicalize(path) {
        Ok(target) => target,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).doing(|| format!("cannot resolve {}", path.display())),
    };
    let site_dir = if site_dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        site_dir
    };
    let root = fs::canonicalize(site_dir)
        .doing(|| format!("cannot resolve the site folder {}", site_dir.display()))?;
    if target.starts_with(&root) {
        return Ok(());
    }
    // Name the link itself: the first part of the path inside the site
    // folder that is one.
    let link = path
        .ancestors()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .filter(|p| p.starts_with(site_dir) && *p != site_dir)
        .find(|p| fs::symlink_metadata(p).is_ok_and(|m| m.is_symlink()))
        .unwrap_or(path);
    let what = if link == path {
        format!(
            "{} is a symbolic link to {}",
            path.display(),
            target.display()
        )
    } else {
        format!(
            "{} leads, through the symbolic link {}, to {}",
            path.display(),
            link.display(),
            target.display()
        )
    };
    Err(Error::Config(format!(
        "{what}, outside the site folder {}: hemiciclo reads a site's files only from inside its \
         folder, so that a link cannot publish a file of the system. Copy the file into the site \
         folder instead of linking to it, or remove the link",
        site_dir.display(),
    )))
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// `bytes` as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(DIGITS[usize::from(byte >> 4)] as char);
        text.push(DIGITS[usize::from(byte & 0xf)] as char);
    }
    text
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = File::create_new(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Gives `temporary` the name `path` without replacing an existing `path`:
/// if another writer got there first, its file has the same content.
fn link_new(temporary: &Path, path: &Path) -> io::Result<()> {
    match fs::hard_link(temporary, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        // A file system without hard links: fall back to a rename, which
        // can only replace a file that appeared in the last instant.
        Err(_) if !path.exists() => fs::rename(temporary, path),
        Err(e) => Err(e),
    }
}

/// Makes a new name durable (on Unix a folder can be fsynced).
fn sync_folder(dir: &Path) -> io::Result<()> {
    if cfg!(unix) {
        File::open(dir)?.sync_all()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_matches_the_usual_spelling() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn an_atomic_write_replaces_and_a_new_write_keeps() {
        let dir = std::env::temp_dir().join(format!("hemiciclo-files-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let path = dir.join("sub").join("a.json");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        write_new(&path, b"three").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two", "an existing file is kept");
        let names: Vec<String> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.json"], "no temporary is left behind");
        assert!(is_temporary(&temporary_name("a.json")));
        fs::remove_dir_all(&dir).unwrap();
    }
}
