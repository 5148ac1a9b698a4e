//! Every file of a build passes through here, then lands on disk at once.
//!
//! Rendering fills an in-memory [`Output`]; only [`Output::publish`]
//! touches the output folder. It writes a complete copy beside it and
//! swaps it in, so a failed build leaves the published site as it was and
//! readers never see half a site.

use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

#[derive(Debug, Default)]
pub struct Output {
    files: BTreeMap<String, Vec<u8>>,
}

impl Output {
    /// Adds a file at `path` (relative, `/`-separated); a later add of the
    /// same path replaces it.
    pub fn add(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }

    pub fn file_count(&self) -> usize {
        self.files.len()
    }

    pub fn total_bytes(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// Writes everything to `out`, replacing what was there in one swap.
    pub fn publish(&self, out: &Path) -> Result<()> {
        let name = out
            .file_name()
            .with_context(|| format!("{} cannot be an output folder", out.display()))?
            .to_string_lossy()
            .into_owned();
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
        let previous = parent.join(format!(".{name}.previous-{}", std::process::id()));
        remove_if_present(&staging)?;

        let written = self.write_all(&staging);
        if let Err(error) = written {
            let _ = fs::remove_dir_all(&staging);
            return Err(error);
        }
        let had_previous = out.exists();
        if had_previous {
            fs::rename(out, &previous)
                .with_context(|| format!("cannot move the old site {} aside", out.display()))?;
        }
        if let Err(error) = fs::rename(&staging, out) {
            if had_previous {
                let _ = fs::rename(&previous, out);
            }
            return Err(error).with_context(|| format!("cannot publish to {}", out.display()));
        }
        if had_previous {
            remove_if_present(&previous)?;
        }
        Ok(())
    }

    fn write_all(&self, root: &Path) -> Result<()> {
        for (path, bytes) in &self.files {
            let target: PathBuf = root.join(path);
            if let Some(dir) = target.parent() {
                fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            fs::write(&target, bytes)
                .with_context(|| format!("cannot write {}", target.display()))?;
        }
        Ok(())
    }
}

fn remove_if_present(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot remove {}", path.display()))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("hemiciclo-output-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn publish_replaces_the_old_site_whole() {
        let dir = temp_dir("replace");
        let out = dir.join("public");
        let mut first = Output::default();
        first.add("old.html", "old");
        first.add("a/b.html", "1");
        first.publish(&out).unwrap();
        let mut second = Output::default();
        second.add("a/b.html", "2");
        second.publish(&out).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/b.html")).unwrap(), "2");
        assert!(!out.join("old.html").exists(), "stale files go");
        let leftovers: Vec<_> = fs::read_dir(&dir).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left behind");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_write_leaves_the_published_site_untouched() {
        let dir = temp_dir("fail");
        let out = dir.join("public");
        let mut good = Output::default();
        good.add("index.html", "good");
        good.publish(&out).unwrap();
        let mut bad = Output::default();
        bad.add("x", "file");
        bad.add("x/y", "a file cannot also be a folder");
        assert!(bad.publish(&out).is_err());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "good");
        fs::remove_dir_all(&dir).unwrap();
    }
}
