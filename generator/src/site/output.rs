//! Every file of a build passes through here, then lands on disk at once.
//!
//! Rendering adds files to an [`Output`]. Kept in memory ([`Output::default`],
//! as `hemiciclo check` and the tests use it), nothing touches the disk. Made
//! with [`Output::staged`], it writes into a staging copy beside the output
//! folder: pages go out as they are rendered ([`Output::stream`]), so the
//! build does not hold them all, and [`Output::finish`] swaps the copy in
//! with one atomic step ([`swap`]). A failed build leaves the published site
//! as it was; a build holds the output's [`BuildLock`] throughout.
//!
//! A file whose bytes equal the published one's is not written again: the
//! staging copy gets a hard link to it, so its modification time and inode
//! stay, and tools that sync by them (`aws s3 sync`, rsync) send only what
//! changed.

use crate::error::{Error, IoContext, Result};
use crate::site::lock::BuildLock;
use crate::site::{discovery, fault, swap};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// What a build wrote; see [`Output::finish`].
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Files whose bytes are new or changed.
    pub written: usize,
    /// Files carried over from the published site unchanged.
    pub unchanged: usize,
}

#[derive(Debug, Default)]
pub struct Output {
    /// Files kept in memory until the publish.
    held: Mutex<BTreeMap<String, Vec<u8>>>,
    /// Every file's size and whether a search engine should list it.
    index: Mutex<BTreeMap<String, Entry>>,
    stage: Option<Stage>,
    /// This build's files named by their content (see [`Output::lasting`]).
    lasting: Mutex<Vec<String>>,
    written: AtomicUsize,
    unchanged: AtomicUsize,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    len: usize,
    listed: bool,
}

/// The staging copy and the site it will replace.
#[derive(Debug)]
struct Stage {
    out: PathBuf,
    dir: PathBuf,
    previous: PathBuf,
    /// The published site, whose unchanged files are linked, not rewritten.
    published: Option<PathBuf>,
    finished: bool,
    /// Held until the output is dropped: one build at a time per output.
    _lock: BuildLock,
}

impl Drop for Stage {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

impl Output {
    /// An output that writes into a staging copy beside `out` and replaces
    /// `out` with it on [`finish`](Self::finish); `out` and `lock` come
    /// from [`prepare`].
    pub fn staged(out: &Path, lock: BuildLock) -> Result<Output> {
        let (parent, name) = parent_and_name(out)?;
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        let previous = parent.join(format!(".{name}.previous-{}", std::process::id()));
        remove_if_present(&dir)?;
        fs::create_dir_all(&dir).doing(|| format!("cannot create {}", dir.display()))?;
        let published = out.join(MARKER).is_file().then(|| out.to_path_buf());
        Ok(Output {
            stage: Some(Stage {
                out: out.to_path_buf(),
                dir,
                previous,
                published,
                finished: false,
                _lock: lock,
            }),
            ..Output::default()
        })
    }

    /// Adds a file at `path` (relative, `/`-separated), kept in memory
    /// until the publish; a later add of the same path replaces it.
    pub fn add(&self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        let (path, bytes) = (path.into(), bytes.into());
        self.note(&path, &bytes);
        lock(&self.held).insert(path, bytes);
    }

    /// Names this build's files whose names carry their content's hash.
    /// The next build keeps them beside its own, so a page of this build
    /// still open after a publish can load its scripts (they load late,
    /// after the first answer); the build after that drops them.
    pub fn lasting(&self, paths: impl IntoIterator<Item = String>) {
        lock(&self.lasting).extend(paths);
    }

    /// Takes a file kept in memory out of the output.
    pub fn remove(&self, path: &str) {
        lock(&self.held).remove(path);
        lock(&self.index).remove(path);
    }

    /// Adds a file no later step reads: a staged output writes it now.
    pub fn stream(&self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Result<()> {
        let (path, bytes) = (path.into(), bytes.into());
        match &self.stage {
            Some(stage) => {
                self.note(&path, &bytes);
                lock(&self.held).remove(&path);
                let written = self.write(stage, &path, &bytes);
                if written.is_err() {
                    // Not in the site: not in its sitemap or counts either.
                    lock(&self.index).remove(&path);
                }
                written
            }
            None => {
                self.add(path, bytes);
                Ok(())
            }
        }
    }

    fn note(&self, path: &str, bytes: &[u8]) {
        let entry = Entry {
            len: bytes.len(),
            listed: discovery::listed(path, bytes),
        };
        lock(&self.index).insert(path.to_owned(), entry);
    }

    pub fn file_count(&self) -> usize {
        lock(&self.index).len()
    }

    pub fn total_bytes(&self) -> usize {
        lock(&self.index).values().map(|e| e.len).sum()
    }

    /// Every file's path, in sorted order.
    pub fn paths(&self) -> Vec<String> {
        lock(&self.index).keys().cloned().collect()
    }

    /// The pages a search engine should list, in sorted order.
    pub fn listed_pages(&self) -> Vec<String> {
        lock(&self.index)
            .iter()
            .filter(|(_, e)| e.listed)
            .map(|(p, _)| p.clone())
            .collect()
    }

    /// A file's bytes, if it is kept in memory (every file but those
    /// [`stream`](Self::stream)ed into a staged output).
    pub fn get(&self, path: &str) -> Option<Vec<u8>> {
        lock(&self.held).get(path).cloned()
    }

    /// The files kept in memory, by path.
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        std::mem::take(&mut *lock(&self.held))
    }

    /// Writes everything to `out`, replacing what was there in one swap.
    pub fn publish(&self, out: &Path) -> Result<Written> {
        let (out, build_lock) = prepare(out)?;
        let staged = Output::staged(&out, build_lock)?;
        for (path, bytes) in lock(&self.held).iter() {
            staged.add(path.clone(), bytes.clone());
        }
        staged.finish()
    }

    /// Writes the files kept in memory and the marker into the staging
    /// copy, then puts it in place of the published site.
    pub fn finish(mut self) -> Result<Written> {
        let Some(stage) = &self.stage else {
            return Err(Error::Output(
                "an in-memory output has nowhere to go".into(),
            ));
        };
        let held = std::mem::take(&mut *lock(&self.held));
        let lasting = lock(&self.lasting).clone();
        let marker = marker_text(&lasting);
        for (path, bytes) in held
            .iter()
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .chain(std::iter::once((MARKER, marker.as_bytes())))
        {
            self.write(stage, path, bytes)?;
        }
        self.carry_lasting_files(stage);
        let Stage {
            out, dir, previous, ..
        } = stage;
        fault::point("publish-before-swap");
        let swapped = swap::replace(dir, out, previous)
            .doing(|| format!("cannot publish to {}", out.display()))?;
        fault::point("publish-after-swap");
        // The new site is in place: a copy of the old one that will not go
        // away now is removed by the next build.
        let _ = match swapped {
            swap::Swapped::Exchanged => remove_if_present(dir),
            swap::Swapped::MovedAside => remove_if_present(previous),
            swap::Swapped::Placed => Ok(()),
        };
        if let Some(stage) = &mut self.stage {
            stage.finished = true;
        }
        Ok(Written {
            written: self.written.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
        })
    }

    /// Links the previous build's lasting files that this build does not
    /// have into the staging copy (best effort: a page of that build may
    /// still want them).
    fn carry_lasting_files(&self, stage: &Stage) {
        let Some(published) = &stage.published else {
            return;
        };
        let index = lock(&self.index);
        let text = fs::read_to_string(published.join(MARKER)).unwrap_or_default();
        for path in text.lines().filter_map(|l| l.strip_prefix(LASTING)) {
            let Ok(relative) = checked_relative(path) else {
                continue;
            };
            let target = stage.dir.join(relative);
            if index.contains_key(path) || target.exists() {
                continue;
            }
            if let Some(dir) = target.parent() {
                let _ = fs::create_dir_all(dir);
            }
            let _ = fs::hard_link(published.join(relative), &target);
        }
    }

    /// Writes one file into the staging copy, or links the published
    /// site's copy when its bytes are the same.
    fn write(&self, stage: &Stage, path: &str, bytes: &[u8]) -> Result<()> {
        let relative = checked_relative(path)?;
        let target = stage.dir.join(relative);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir).doing(|| format!("cannot create {}", dir.display()))?;
        }
        // A path written twice (or two names one case-insensitive disk
        // takes for one) may already be a link to a published file: writing
        // through it would change the published site. Start afresh.
        match fs::remove_file(&target) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).doing(|| format!("cannot replace {}", target.display()));
            }
            _ => {}
        }
        if let Some(published) = &stage.published {
            let old = published.join(relative);
            if same_bytes(&old, bytes) && fs::hard_link(&old, &target).is_ok() {
                self.unchanged.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
        }
        fs::write(&target, bytes).doing(|| format!("cannot write {}", target.display()))?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// Whether the file at `path` holds exactly `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere cannot leave a map half-changed: take it as it is.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The file that marks a folder as a site hemiciclo published.
pub const MARKER: &str = ".hemiciclo-site";
/// How the marker lists a lasting file (see [`Output::lasting`]).
const LASTING: &str = "lasting: ";

/// The marker's text, listing this build's lasting files.
fn marker_text(lasting: &[String]) -> String {
    let mut text = String::from_utf8_lossy(MARKER_TEXT).into_owned();
    for path in lasting {
        text.push_str(LASTING);
        text.push_str(path);
        text.push('\n');
    }
    text
}
const MARKER_TEXT: &[u8] =
    b"This folder is published by hemiciclo and replaced as a whole by each build.\n";

/// `path` as a relative path inside the output, refusing anything that
/// could point elsewhere (`..`, an absolute path, an empty segment).
fn checked_relative(path: &str) -> Result<&Path> {
    let safe = !path.contains('\\')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..");
    if !safe {
        return Err(Error::Output(format!(
            "refusing to write {path:?}: an output path must stay inside the output folder"
        )));
    }
    Ok(Path::new(path))
}

/// Readies the output folder `out` for a build before any data is read:
/// resolves what `out` names (see [`resolve_out`]), takes its
/// [`BuildLock`], finishes what an interrupted build left beside it, and
/// refuses a folder that is not a site hemiciclo published. Returns the
/// folder to publish to and the held lock.
pub fn prepare(out: &Path) -> Result<(PathBuf, BuildLock)> {
    let out = resolve_out(out)?;
    let (parent, name) = parent_and_name(&out)?;
    fs::create_dir_all(parent).doing(|| format!("cannot create {}", parent.display()))?;
    let lock = BuildLock::acquire(&out)?;
    recover_interrupted(parent, &name, &out)?;
    refuse_foreign_folder(&out)?;
    Ok((out, lock))
}

/// The folder a build publishes to for `--out PATH`: PATH itself when it is
/// a folder or does not exist yet; for a symlink, the folder it points to
/// when that is a site hemiciclo published or an empty folder, so the link
/// stays a link and shows the new site. Anything else is refused rather
/// than replaced: a file, a link to a file or to nothing, a link to a
/// folder of something else.
pub fn resolve_out(out: &Path) -> Result<PathBuf> {
    // `public/` or `./public/.`: the name itself, so that a link is seen as
    // a link and the lock and staging copy go beside the folder.
    let out: PathBuf = out.components().collect();
    let out = out.as_path();
    let meta = match fs::symlink_metadata(out) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out.to_path_buf()),
        other => other.doing(|| format!("cannot read the output folder {}", out.display()))?,
    };
    if meta.is_dir() {
        return Ok(out.to_path_buf());
    }
    if !meta.file_type().is_symlink() {
        return Err(Error::Output(format!(
            "refusing to publish to {}: it is a file, not a folder, and a build would replace \
             it; choose a folder with --out",
            out.display()
        )));
    }
    let target = fs::read_link(out).unwrap_or_default();
    let real = match fs::canonicalize(out) {
        Ok(real) if real.is_dir() => real,
        Ok(_) => {
            return Err(Error::Output(format!(
                "refusing to publish to {}: it is a symlink to {}, which is not a folder; \
                 point it at a folder or choose another --out",
                out.display(),
                target.display()
            )))
        }
        Err(_) => {
            return Err(Error::Output(format!(
                "refusing to publish to {}: it is a symlink to {}, which does not exist; \
                 create that folder or choose another --out",
                out.display(),
                target.display()
            )))
        }
    };
    refuse_foreign_folder(&real).map_err(|_| {
        Error::Output(format!(
            "refusing to publish to {}: it is a symlink to {}, a folder hemiciclo did not \
             publish (there is no {MARKER} file in it) and that is not empty; point it at a \
             published or empty folder, or choose another --out",
            out.display(),
            real.display()
        ))
    })?;
    Ok(real)
}

/// The folder that holds `out` and `out`'s own name.
fn parent_and_name(out: &Path) -> Result<(&Path, String)> {
    let name = out
        .file_name()
        .ok_or_else(|| Error::Output(format!("{} cannot be an output folder", out.display())))?
        .to_string_lossy()
        .into_owned();
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok((parent, name))
}

/// Refuses to replace a non-empty folder that hemiciclo did not publish.
fn refuse_foreign_folder(out: &Path) -> Result<()> {
    let Ok(mut entries) = fs::read_dir(out) else {
        return Ok(()); // Absent (or not a folder: the rename will say so).
    };
    if entries.next().is_some() && !out.join(MARKER).exists() {
        return Err(Error::Output(format!(
            "refusing to replace {}: it is not empty and hemiciclo did not publish it (there is \
             no {MARKER} file in it); choose a new or empty output folder with --out",
            out.display()
        )));
    }
    Ok(())
}

/// Finishes what a killed publish left: puts a moved-aside site back when
/// none is published, and removes half-written copies and old sites an
/// exchange left. Called with the output's lock held, so no other build is
/// writing any of them.
fn recover_interrupted(parent: &Path, name: &str, out: &Path) -> Result<()> {
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    let mut leftovers: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let file = p.file_name().unwrap_or_default().to_string_lossy();
            file.starts_with(&format!(".{name}.staging-"))
                || file.starts_with(&format!(".{name}.previous-"))
        })
        .collect();
    leftovers.sort();
    for path in leftovers {
        let file = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let aside = file.starts_with(&format!(".{name}.previous-"));
        if aside && is_empty_or_absent(out) {
            // The interrupted build left no site: the one it moved aside
            // is the last good one.
            let _ = fs::remove_dir(out);
            fs::rename(&path, out).doing(|| {
                format!(
                    "cannot restore the site {} moved aside by an interrupted build",
                    out.display()
                )
            })?;
        } else if aside && !out.join(MARKER).is_file() {
            return Err(Error::Output(format!(
                "{} holds the last site an interrupted build moved aside, and {} is now a \
                 folder hemiciclo did not publish; move one of them away and build again",
                path.display(),
                out.display()
            )));
        } else {
            remove_if_present(&path)?;
        }
    }
    Ok(())
}

/// Whether `path` does not exist or is an empty folder.
fn is_empty_or_absent(path: &Path) -> bool {
    match fs::read_dir(path) {
        Ok(mut entries) => entries.next().is_none(),
        Err(_) => !path.exists(),
    }
}

fn remove_if_present(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).doing(|| format!("cannot remove {}", path.display()))
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
        let first = Output::default();
        first.add("old.html", "old");
        first.add("a/b.html", "1");
        first.publish(&out).unwrap();
        let second = Output::default();
        second.add("a/b.html", "2");
        second.publish(&out).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/b.html")).unwrap(), "2");
        assert!(!out.join("old.html").exists(), "stale files go");
        assert_eq!(leftovers(&dir).len(), 1, "no staging folders left behind");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_a_published_or_empty_folder_is_replaced() {
        let dir = temp_dir("foreign");
        let out = dir.join("site");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("site.toml"), "precious").unwrap();
        let output = Output::default();
        output.add("index.html", "x");
        let error = output.publish(&out).unwrap_err().to_string();
        assert!(
            error.contains("refusing to replace") && error.contains(MARKER),
            "{error}"
        );
        assert_eq!(
            fs::read_to_string(out.join("site.toml")).unwrap(),
            "precious"
        );
        output.publish(&dir.join("empty")).unwrap();
        output.publish(&dir.join("empty")).unwrap();
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn paths_cannot_leave_the_output_folder() {
        let dir = temp_dir("escape");
        for bad in ["../x", "a/../../x", "/etc/x", "a//b", "./x", ""] {
            let output = Output::default();
            output.add(bad, "x");
            let error = output.publish(&dir.join("out")).unwrap_err().to_string();
            assert!(error.contains("refusing to write"), "{bad}: {error}");
        }
        assert!(!dir.join("x").exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_site_moved_aside_by_a_killed_build_is_restored() {
        let dir = temp_dir("restore");
        let first = Output::default();
        first.add("index.html", "old");
        first.publish(&dir.join("public")).unwrap();
        // As if killed between moving the old site aside and putting the new one in place.
        fs::rename(dir.join("public"), dir.join(".public.previous-4194999")).unwrap();
        fs::create_dir_all(dir.join(".public.staging-4194999")).unwrap();
        let failing = Output::default();
        failing.add("x", "file");
        failing.add("x/y", "a file cannot also be a folder");
        assert!(failing.publish(&dir.join("public")).is_err());
        assert_eq!(
            fs::read_to_string(dir.join("public/index.html")).unwrap(),
            "old"
        );
        assert_eq!(leftovers(&dir), ["public"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_site_moved_aside_is_never_dropped_for_an_empty_or_foreign_output() {
        let dir = temp_dir("aside");
        let out = dir.join("public");
        let first = Output::default();
        first.add("index.html", "old");
        first.publish(&out).unwrap();
        let aside = dir.join(".public.previous-4194999");
        fs::rename(&out, &aside).unwrap();
        // Someone drops a placeholder where the site was.
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("index.html"), "placeholder").unwrap();
        let next = Output::default();
        next.add("index.html", "new");
        let error = next.publish(&out).unwrap_err().to_string();
        assert!(error.contains("moved aside"), "{error}");
        assert!(
            aside.join("index.html").exists(),
            "the last good site stays"
        );
        // An empty folder in its place: the old site comes back, then the new one.
        fs::remove_file(out.join("index.html")).unwrap();
        next.publish(&out).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
        assert_eq!(leftovers(&dir), ["public"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_path_written_twice_never_writes_through_to_the_published_file() {
        let dir = temp_dir("twice");
        let out = dir.join("public");
        let first = Output::default();
        first.add("a.html", "old");
        first.publish(&out).unwrap();
        let (out, lock) = prepare(&out).unwrap();
        let staged = Output::staged(&out, lock).unwrap();
        staged.stream("a.html", "old").unwrap(); // linked to the published file
        staged.stream("a.html", "new").unwrap();
        drop(staged); // the build fails before its publish
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "old");
        assert_eq!(leftovers(&dir), ["public"], "the staging copy went");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_build_that_holds_the_lock_keeps_its_staging_copy_and_a_dead_ones_goes() {
        let dir = temp_dir("running");
        let out = dir.join("public");
        let (_, held) = prepare(&out).unwrap();
        let other = Output::staged(&out, held).unwrap();
        other.stream("index.html", "other").unwrap();
        let output = Output::default();
        output.add("index.html", "x");
        let error = output.publish(&out).unwrap_err().to_string();
        assert!(error.contains("another hemiciclo build"), "{error}");
        assert_eq!(leftovers(&dir).len(), 1, "the running build's copy stays");
        drop(other); // the build ends, its lock with it; its copy is gone
        let dead = dir.join(".public.staging-4194999");
        fs::create_dir_all(&dead).unwrap();
        output.publish(&out).unwrap();
        assert!(!dead.exists(), "a dead build's copy goes");
        assert_eq!(leftovers(&dir), ["public"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_out_that_is_a_file_or_a_foreign_symlink_is_refused_and_kept() {
        let dir = temp_dir("kinds");
        let output = Output::default();
        output.add("index.html", "new");
        fs::write(dir.join("votes.csv"), "precious").unwrap();
        let error = output
            .publish(&dir.join("votes.csv"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("is a file, not a folder"), "{error}");
        assert_eq!(
            fs::read_to_string(dir.join("votes.csv")).unwrap(),
            "precious"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            let cases = [
                ("to-file", dir.join("votes.csv"), "not a folder"),
                ("dangling", dir.join("absent"), "does not exist"),
                ("to-foreign", dir.join("foreign"), "did not publish"),
            ];
            fs::create_dir_all(dir.join("foreign")).unwrap();
            fs::write(dir.join("foreign/site.toml"), "precious").unwrap();
            for (link, target, says) in cases {
                symlink(&target, dir.join(link)).unwrap();
                let error = output.publish(&dir.join(link)).unwrap_err().to_string();
                assert!(error.contains(says), "{link}: {error}");
                assert!(fs::symlink_metadata(dir.join(link))
                    .unwrap()
                    .file_type()
                    .is_symlink());
            }
            assert_eq!(
                fs::read_to_string(dir.join("foreign/site.toml")).unwrap(),
                "precious"
            );
            assert!(!dir.join("absent").exists());
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_out_is_followed_to_its_site_and_stays_a_link() {
        let dir = temp_dir("symlink");
        let real = dir.join("sites/public");
        let first = Output::default();
        first.add("index.html", "old");
        first.publish(&real).unwrap();
        std::os::unix::fs::symlink("sites/public", dir.join("public")).unwrap();
        let second = Output::default();
        second.add("index.html", "new");
        second.publish(&dir.join("public")).unwrap();
        assert!(fs::symlink_metadata(dir.join("public"))
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(real.join("index.html")).unwrap(), "new");
        assert_eq!(leftovers(&dir.join("sites")), ["public"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    /// What `dir` holds but the lock files.
    fn leftovers(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| !name.ends_with(".lock"))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_previous_builds_lasting_files_stay_one_more_build() {
        let dir = temp_dir("lasting");
        let out = dir.join("public");
        let build = |name: &str| {
            let (out, lock) = prepare(&out).unwrap();
            let output = Output::staged(&out, lock).unwrap();
            output.stream(name, name).unwrap();
            output.lasting([name.to_owned()]);
            output.finish().unwrap();
        };
        build("quiz.00000001.js");
        build("quiz.00000002.js");
        assert!(out.join("quiz.00000001.js").exists(), "kept for open pages");
        assert!(out.join("quiz.00000002.js").exists());
        build("quiz.00000003.js");
        assert!(
            !out.join("quiz.00000001.js").exists(),
            "two builds back: gone"
        );
        assert!(out.join("quiz.00000002.js").exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_write_leaves_the_published_site_untouched() {
        let dir = temp_dir("fail");
        let out = dir.join("public");
        let good = Output::default();
        good.add("index.html", "good");
        good.publish(&out).unwrap();
        let bad = Output::default();
        bad.add("x", "file");
        bad.add("x/y", "a file cannot also be a folder");
        assert!(bad.publish(&out).is_err());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "good");
        fs::remove_dir_all(&dir).unwrap();
    }
}
