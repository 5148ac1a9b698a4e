//! Dataset snapshots and the history of the current one: "keep, don't
//! update". Every distinct dataset is kept in `snapshots/<id>/` (named by
//! its content, written once); `current` names the one in use; every change
//! of it, a revert included, is logged in `history/` with a change log
//! against the one before. Each write is atomic, so a killed ingest leaves
//! either the old state or the new, and the next run sweeps what it left.

use crate::error::{Error, IoContext, Result};
use crate::files::{is_temporary, temporary_name, write_atomically};
use crate::ingest::changelog::{self, ChangeLog};
use crate::ingest::dataset::Dataset;
use crate::ingest::sources::Quarantined;
use crate::ingest::{IngestReport, SourceSummary};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The file, in the work directory, naming the current snapshot.
const CURRENT: &str = "current";
/// The file, in the work directory, describing the latest ingest.
const LAST_INGEST: &str = "last-ingest.json";
/// The file, in the work directory, of each source's counts as the last
/// ingest that was not only looking read them: what a shrink is measured
/// against ([`crate::ingest::shrink`]).
const SOURCE_COUNTS: &str = "source-counts.json";
/// The folder, in the work directory, of the history of the current snapshot.
const HISTORY: &str = "history";
/// The folder, in the work directory, of the snapshots.
const SNAPSHOTS: &str = "snapshots";

/// One change of the current snapshot: from which, to which, and what changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transition {
    pub sequence: u64,
    pub snapshot: String,
    pub previous: Option<String>,
    pub changes: ChangeLog,
    /// When it was logged, `YYYY-MM-DDTHH:MM:SSZ`: the feed dates the
    /// votes it brought by it. Entries logged before it was kept have none.
    #[serde(default)]
    pub recorded: Option<String>,
}

/// Makes snapshot `id` (the bytes of `dataset`) current: writes it unless
/// it exists, logs the move in the history, then names it in `current`.
/// Returns whether the current snapshot moved.
pub(crate) fn make_current(
    work: &Path,
    id: &str,
    bytes: &[u8],
    dataset: &Dataset,
    quarantine: &[Quarantined],
) -> Result<bool> {
    let current = read_current(work);
    if current.as_deref() == Some(id) {
        return Ok(false);
    }
    write_snapshot(work, id, bytes, quarantine)?;
    record_transition(work, current.as_deref(), id, dataset)?;
    write_atomically(&work.join(CURRENT), id.as_bytes())?;
    Ok(true)
}

/// Removes what killed ingests left half-written: hidden `*.tmp` files and
/// folders. Only one ingest may run in a work directory at a time.
pub(crate) fn sweep_temporaries(work: &Path) {
    for dir in [
        work.to_path_buf(),
        work.join("stages"),
        work.join(HISTORY),
        work.join(SNAPSHOTS),
    ] {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if is_temporary(&entry.file_name().to_string_lossy()) {
                let path = entry.path();
                let _ = std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path));
            }
        }
    }
}

/// Keeps `report` as the description of the latest ingest.
pub(crate) fn write_last_report(work: &Path, report: &IngestReport) -> Result<()> {
    write_atomically(
        &work.join(LAST_INGEST),
        &serde_json::to_vec_pretty(report).expect("report serialises"),
    )
}

/// The report of the latest ingest in `work`, if there was one.
pub fn last_report(work: &Path) -> Option<IngestReport> {
    serde_json::from_slice(&std::fs::read(work.join(LAST_INGEST)).ok()?).ok()
}

/// Each source's counts to measure a shrink against: those last recorded
/// with [`write_source_counts`], else (a work directory from before they
/// were kept apart) those of the latest ingest.
pub(crate) fn source_counts(work: &Path) -> Option<Vec<SourceSummary>> {
    match std::fs::read(work.join(SOURCE_COUNTS)) {
        Ok(bytes) => serde_json::from_slice(&bytes).ok(),
        Err(_) => last_report(work).map(|report| report.sources),
    }
}

pub(crate) fn write_source_counts(work: &Path, sources: &[SourceSummary]) -> Result<()> {
    write_atomically(
        &work.join(SOURCE_COUNTS),
        &serde_json::to_vec_pretty(sources).expect("source counts serialise"),
    )
}

/// Ids of every snapshot in `work`, in the order they first became current.
pub fn snapshot_ids(work: &Path) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for transition in read_history(work).unwrap_or_default() {
        if !ids.contains(&transition.snapshot) {
            ids.push(transition.snapshot);
        }
    }
    ids
}

/// Writes snapshot `id` unless it exists: complete in a hidden folder, then
/// renamed into place. A snapshot's content never changes once written.
fn write_snapshot(work: &Path, id: &str, dataset: &[u8], quarantine: &[Quarantined]) -> Result<()> {
    let snapshots = work.join(SNAPSHOTS);
    let target = snapshots.join(id);
    if target.exists() {
        return Ok(());
    }
    let staging = snapshots.join(temporary_name(id));
    std::fs::create_dir_all(&staging).doing(|| format!("cannot create {}", staging.display()))?;
    write_atomically(&staging.join("dataset.json"), dataset)?;
    write_atomically(
        &staging.join("quarantine.json"),
        &serde_json::to_vec(quarantine).expect("quarantine serialises"),
    )?;
    std::fs::rename(&staging, &target)
        .doing(|| format!("cannot create the snapshot {}", target.display()))
}

/// Appends the move from `previous` to `snapshot` to the history, with its
/// change log, unless a killed ingest already recorded exactly this move.
fn record_transition(
    work: &Path,
    previous: Option<&str>,
    snapshot: &str,
    after: &Dataset,
) -> Result<()> {
    let history = read_history(work)?;
    if let Some(last) = history.last() {
        if last.snapshot == snapshot && last.previous.as_deref() == previous {
            return Ok(());
        }
    }
    let before = match previous {
        Some(id) => {
            let path = work.join(SNAPSHOTS).join(id).join("dataset.json");
            let bytes = std::fs::read(&path)
                .doing(|| format!("cannot read the previous snapshot {}", path.display()))?;
            serde_json::from_slice(&bytes).map_err(|source| Error::StoredObject { source })?
        }
        None => Dataset::default(),
    };
    let transition = Transition {
        sequence: history.len() as u64,
        snapshot: snapshot.to_owned(),
        previous: previous.map(str::to_owned),
        changes: changelog::diff(&before, after),
        recorded: Some(utc_timestamp(std::time::SystemTime::now())),
    };
    let path = work
        .join(HISTORY)
        .join(format!("{:06}.json", transition.sequence));
    write_atomically(
        &path,
        &serde_json::to_vec_pretty(&transition).expect("history serialises"),
    )
}

/// `time` as `YYYY-MM-DDTHH:MM:SSZ` (UTC), as Atom and RFC 3339 write it.
fn utc_timestamp(time: std::time::SystemTime) -> String {
    let seconds = time
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
}

/// Every recorded transition, oldest first.
pub fn read_history(work: &Path) -> Result<Vec<Transition>> {
    let dir = work.join(HISTORY);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| {
            !p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .starts_with('.')
        })
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let bytes = std::fs::read(path)
                .doing(|| format!("cannot read the history entry {}", path.display()))?;
            serde_json::from_slice(&bytes).map_err(|source| {
                Error::Work(format!(
                    "the history entry {} is damaged ({source}); delete the work directory \
                     (.hemiciclo) and ingest again",
                    path.display()
                ))
            })
        })
        .collect()
}

fn read_current(work: &Path) -> Option<String> {
    let id = std::fs::read_to_string(work.join(CURRENT)).ok()?;
    let id = id.trim().to_owned();
    work.join(SNAPSHOTS)
        .join(&id)
        .join("dataset.json")
        .exists()
        .then_some(id)
}

#[cfg(test)]
mod tests {
    use super::utc_timestamp;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn timestamps_are_utc_civil_times() {
        let at = |seconds| utc_timestamp(UNIX_EPOCH + Duration::from_secs(seconds));
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        // 2024-02-29 (a leap day) at 23:59:59, and the second after it.
        assert_eq!(at(1_709_251_199), "2024-02-29T23:59:59Z");
        assert_eq!(at(1_709_251_200), "2024-03-01T00:00:00Z");
        assert_eq!(at(4_102_444_800), "2100-01-01T00:00:00Z");
    }
}
