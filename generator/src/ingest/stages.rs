//! The bookkeeping that makes the pipeline resumable.
//!
//! Each stage run is described by a record: the stage's version, a hash of
//! its inputs, and the content hashes of its outputs, which live in a
//! content-addressed object store. A stage whose record matches its
//! current inputs (and whose outputs are all still there) is skipped. The
//! record is written last, atomically, after the outputs: an ingest killed
//! at any point leaves either a complete record or none, and the next run
//! redoes exactly the stages that had not finished.

use crate::error::{Error, IoContext, Result};
use crate::files::{hex, write_atomically};
use crate::ingest::raw_store::RawStore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What a stage run produced, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageRecord {
    pub stage: String,
    pub version: u32,
    /// Hash of everything the stage read.
    pub inputs: String,
    /// Output name -> object hash.
    pub outputs: BTreeMap<String, String>,
    /// Whatever the stage counted (records, quarantined, ...).
    pub counts: BTreeMap<String, u64>,
    /// How long the run that produced the outputs took.
    pub millis: u64,
}

/// What a stage's work function returns.
#[derive(Debug, Default)]
pub struct StageOutput {
    pub outputs: Vec<(String, Vec<u8>)>,
    pub counts: BTreeMap<String, u64>,
}

/// One stage as the latest ingest saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageRun {
    pub stage: String,
    /// False when the stage's inputs were unchanged and its outputs reused.
    pub ran: bool,
    pub millis: u64,
    pub counts: BTreeMap<String, u64>,
}

/// The records and the object store of one work directory.
#[derive(Debug)]
pub struct Stages {
    records: PathBuf,
    pub objects: RawStore,
}

impl Stages {
    pub fn open(work_dir: &Path) -> Result<Stages> {
        let records = work_dir.join("stages");
        std::fs::create_dir_all(&records)
            .doing(|| format!("cannot create {}", records.display()))?;
        let objects = RawStore::open(&work_dir.join("objects"))?;
        Ok(Stages { records, objects })
    }

    /// The last complete record of `stage`, if any.
    pub fn record(&self, stage: &str) -> Option<StageRecord> {
        let text = std::fs::read(self.record_path(stage)).ok()?;
        serde_json::from_slice(&text).ok()
    }

    /// Every stored record, by stage name.
    pub fn records(&self) -> Vec<StageRecord> {
        let mut records: Vec<StageRecord> = std::fs::read_dir(&self.records)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| std::fs::read(entry.path()).ok())
            .filter_map(|bytes| serde_json::from_slice(&bytes).ok())
            .collect();
        records.sort_by(|a, b| a.stage.cmp(&b.stage));
        records
    }

    /// Runs `work` unless a record of `stage` at `version` with these
    /// `inputs` exists and all its outputs are stored.
    pub fn run(
        &self,
        stage: &str,
        version: u32,
        inputs: &str,
        work: impl FnOnce() -> Result<StageOutput>,
    ) -> Result<(StageRecord, StageRun)> {
        if let Some(record) = self.record(stage) {
            let complete = record.outputs.values().all(|h| self.objects.contains(h));
            if record.version == version && record.inputs == inputs && complete {
                let run = StageRun {
                    stage: stage.to_owned(),
                    ran: false,
                    millis: 0,
                    counts: record.counts.clone(),
                };
                return Ok((record, run));
            }
        }
        let started = Instant::now();
        let output = work().map_err(|source| Error::Stage {
            stage: stage.to_owned(),
            source: Box::new(source),
        })?;
        let mut outputs = BTreeMap::new();
        for (name, bytes) in &output.outputs {
            outputs.insert(name.clone(), self.objects.store(bytes)?);
        }
        let record = StageRecord {
            stage: stage.to_owned(),
            version,
            inputs: inputs.to_owned(),
            outputs,
            counts: output.counts,
            millis: started.elapsed().as_millis() as u64,
        };
        let bytes = serde_json::to_vec_pretty(&record).expect("records serialise");
        write_atomically(&self.record_path(stage), &bytes)?;
        let run = StageRun {
            stage: stage.to_owned(),
            ran: true,
            millis: record.millis,
            counts: record.counts.clone(),
        };
        Ok((record, run))
    }

    /// The bytes of output `name` of `record`.
    pub fn output(&self, record: &StageRecord, name: &str) -> Result<Vec<u8>> {
        let hash = record
            .outputs
            .get(name)
            .ok_or_else(|| Error::Work(format!("stage {} has no output {name}", record.stage)))?;
        self.objects.get(hash)
    }

    /// Stage names may hold anything (a source's URL); the file is named by
    /// the name itself when that is a safe file name, else by its hash.
    fn record_path(&self, stage: &str) -> PathBuf {
        let safe = !stage.is_empty()
            && stage
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let name = if safe {
            stage.to_owned()
        } else {
            format!("stage-{}", &hash_parts([stage.as_bytes()])[..16])
        };
        self.records.join(format!("{name}.json"))
    }
}

/// Hex sha256 of the parts, each length-prefixed so that boundaries count.
pub fn hash_parts<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part);
    }
    hex(&hash.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_inputs_skip_the_stage_and_changed_ones_rerun_it() {
        let dir = std::env::temp_dir().join(format!("hemiciclo-stages-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let stages = Stages::open(&dir).unwrap();
        let work = |text: &'static str| {
            move || {
                Ok(StageOutput {
                    outputs: vec![("out".into(), text.as_bytes().to_vec())],
                    counts: [("n".into(), 1)].into(),
                })
            }
        };
        let (first, run) = stages.run("s", 1, "in-1", work("a")).unwrap();
        assert!(run.ran);
        let (again, run) = stages
            .run("s", 1, "in-1", || panic!("must not run"))
            .unwrap();
        assert!(!run.ran);
        assert_eq!(again, first);
        assert_eq!(stages.output(&again, "out").unwrap(), b"a");
        let (_, run) = stages.run("s", 1, "in-2", work("b")).unwrap();
        assert!(run.ran, "new inputs");
        let (_, run) = stages.run("s", 2, "in-2", work("b")).unwrap();
        assert!(run.ran, "new stage version");
        assert_ne!(
            hash_parts([b"ab".as_slice(), b"c"]),
            hash_parts([b"a".as_slice(), b"bc"])
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
