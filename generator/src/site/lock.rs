//! One build at a time per output folder.
//!
//! Two builds publishing to one `--out` at once (a scheduled job
//! overlapping a manual run) would each clear the other's staging copy. A
//! build therefore holds an exclusive lock on a file beside the output
//! (`.NAME.lock`) from before it reads the data until its site is
//! published. The operating system lets go of the lock when the process
//! ends however it ends, so a killed build never leaves it stuck; the file
//! itself stays (deleting it would let a third build lock a different file
//! while the second still holds the old one).

use crate::error::{Error, IoContext, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The held lock on one output folder; released when dropped.
#[derive(Debug)]
pub struct BuildLock {
    file: File,
    path: PathBuf,
}

impl BuildLock {
    /// Takes the lock for publishing to `out`, or says which build holds it.
    pub fn acquire(out: &Path) -> Result<BuildLock> {
        let path = lock_path(out)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .doing(|| format!("cannot create {}", parent.display()))?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .doing(|| format!("cannot open the build lock {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                return Err(Error::Output(busy_message(out, &path, holder.trim())));
            }
            Err(TryLockError::Error(e)) => {
                return Err(e).doing(|| format!("cannot lock {}", path.display()));
            }
        }
        // Who holds it, for the message a second build prints.
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = write!(file, "{}", std::process::id());
        Ok(BuildLock { file, path })
    }

    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for BuildLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// `.NAME.lock` beside the output folder `out`.
pub fn lock_path(out: &Path) -> Result<PathBuf> {
    let name = out
        .file_name()
        .ok_or_else(|| Error::Output(format!("{} cannot be an output folder", out.display())))?;
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok(parent.join(format!(".{}.lock", name.to_string_lossy())))
}

fn busy_message(out: &Path, lock: &Path, holder: &str) -> String {
    let who = if !holder.is_empty() && holder.bytes().all(|b| b.is_ascii_digit()) {
        format!("another hemiciclo build (process {holder})")
    } else {
        "another hemiciclo build".to_owned()
    };
    format!(
        "{who} is publishing to {}; this build stopped before changing anything. Wait for it to \
         finish and build again, or publish elsewhere with --out. (The lock is {}; it is \
         released whenever that build ends, even if it is killed.)",
        out.display(),
        lock.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_one_output_is_refused_until_the_first_is_dropped() {
        let dir = std::env::temp_dir().join(format!("hemiciclo-lock-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let out = dir.join("public");
        let first = BuildLock::acquire(&out).unwrap();
        assert_eq!(first.path(), dir.join(".public.lock"));
        let error = BuildLock::acquire(&out).unwrap_err().to_string();
        assert!(
            error.contains(&format!("process {}", std::process::id())) && error.contains("--out"),
            "{error}"
        );
        BuildLock::acquire(&dir.join("other")).expect("another output is free");
        drop(first);
        BuildLock::acquire(&out).expect("free again once dropped");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
