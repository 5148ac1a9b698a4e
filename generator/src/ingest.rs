//! The ingest pipeline: fetch -> parse -> merge -> enrich -> dataset.
//!
//! Each stage reads the outputs of the one before from the work
//! directory's object store and records what it made (see [`crate::stages`]),
//! so an unchanged stage is skipped and an interrupted ingest resumes where
//! it stopped. Fetched sources are kept under their content hash and never
//! overwritten; every dataset that differs from the last becomes a new
//! snapshot with a change log against the one before. Bad records are
//! quarantined with their location and the rest goes on; a source that
//! cannot be read at all stops the ingest with a message naming it.

use crate::changelog::{self, ChangeLog};
use crate::config::{Site, SourceConfig, SourceFormat};
use crate::dataset::Dataset;
use crate::enrich::{self, Topics};
use crate::fetch::{self, FetchOptions, Location};
use crate::merge::{self, Conflict, Ranked};
use crate::raw_store::RawStore;
use crate::sources::{ar_csv, ar_json, table, Parsed, Quarantined};
use crate::stages::{hash_parts, write_atomically, StageOutput, StageRun, Stages};
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Bumped when a stage's code changes what it outputs, so old records are redone.
const PARSE_VERSION: u32 = 1;
const MERGE_VERSION: u32 = 2;
const ENRICH_VERSION: u32 = 2;

/// The file, in the work directory, naming the current snapshot.
const CURRENT: &str = "current";
/// The file, in the work directory, describing the latest ingest.
const LAST_INGEST: &str = "last-ingest.json";
/// The folder, in the work directory, of the history of the current snapshot.
const HISTORY: &str = "history";

#[derive(Debug, Default)]
pub struct IngestOptions {
    /// Fail when any record is quarantined.
    pub strict: bool,
    /// Log each stage's timing to stderr.
    pub verbose: bool,
    /// Where to keep the pipeline's work; default `.hemiciclo` in the site.
    pub work_dir: Option<PathBuf>,
    pub fetch: FetchOptions,
}

/// What an ingest did: shown by `hemiciclo status` and the site's status page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IngestReport {
    /// Id of the dataset snapshot the ingest ended with.
    pub snapshot: String,
    /// The snapshot before that one.
    pub previous: Option<String>,
    pub sources: Vec<SourceSummary>,
    pub proposals: usize,
    pub votes: usize,
    pub quarantine: Vec<Quarantined>,
    pub conflicts: Vec<Conflict>,
    /// What the current snapshot changed against the previous one.
    pub changes: ChangeLog,
    pub stages: Vec<StageRun>,
    pub millis: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceSummary {
    pub location: String,
    pub format: String,
    /// sha256 of the fetched bytes: their name in the raw store.
    pub sha256: String,
    pub bytes: u64,
}

/// Runs the pipeline for `site` and returns the current dataset.
pub fn ingest(site: &Site, options: &IngestOptions) -> Result<(Dataset, IngestReport)> {
    let started = Instant::now();
    let work = options.work_dir.clone().unwrap_or_else(|| site.work_dir());
    sweep_temporaries(&work);
    let stages = Stages::open(&work)?;
    let raw = RawStore::open(&work.join("raw"))?;
    let log = Log::new(options.verbose);
    let mut runs = Vec::new();

    // fetch: always looks, since only looking tells whether a source changed.
    let sources = site.sources()?;
    let progress = Progress::new(sources.len() as u64, "fetch");
    let mut fetched = Vec::new();
    let fetch_started = Instant::now();
    for source in &sources {
        progress.message(&source.location);
        let location = Location::parse(&source.location, &site.dir)?;
        let bytes = fetch::fetch(&location, &options.fetch).map_err(|e| {
            anyhow::anyhow!(
                "the source {} cannot be read, so nothing was built and the published site is \
                 unchanged: {e}",
                source.location
            )
        })?;
        let sha256 = raw.store(&bytes)?;
        fetched.push(SourceSummary {
            location: source.location.clone(),
            format: source.format.name().to_owned(),
            sha256,
            bytes: bytes.len() as u64,
        });
        progress.advance();
    }
    progress.finish();
    runs.push(StageRun {
        stage: "fetch".into(),
        ran: true,
        millis: fetch_started.elapsed().as_millis() as u64,
        counts: [("sources".into(), fetched.len() as u64)].into(),
    });
    log.stage(runs.last().expect("just pushed"));

    // parse: one record per source, redone only when its bytes change.
    let progress = Progress::new(sources.len() as u64, "parse");
    let mut parsed_hashes = Vec::new();
    let mut quarantine = Vec::new();
    for (source, summary) in sources.iter().zip(&fetched) {
        progress.message(&source.location);
        let key = format!("parse {}", source.location);
        let table = format!("{:?}", source.table);
        let inputs = hash_parts([
            source.format.name().as_bytes(),
            table.as_bytes(),
            summary.sha256.as_bytes(),
        ]);
        let (record, run) = stages.run(&key, PARSE_VERSION, &inputs, || {
            let bytes = raw.get(&summary.sha256)?;
            let parsed = parse_source(source, &bytes)?;
            Ok(StageOutput {
                counts: [
                    ("proposals".into(), parsed.proposals.len() as u64),
                    ("quarantined".into(), parsed.quarantine.len() as u64),
                ]
                .into(),
                outputs: vec![
                    ("quarantine".into(), to_json(&parsed.quarantine)),
                    ("parsed".into(), to_json(&parsed)),
                ],
            })
        })?;
        let records: Vec<Quarantined> = from_json(&stages.output(&record, "quarantine")?)?;
        quarantine.extend(records);
        parsed_hashes.push(output_hash(&record, "parsed")?.to_owned());
        log.stage(&run);
        runs.push(run);
        progress.advance();
    }
    progress.finish();
    quarantine.sort();
    if options.strict && !quarantine.is_empty() {
        bail!(
            "--strict: {} records were quarantined, so nothing was built:\n{}",
            quarantine.len(),
            quarantine
                .iter()
                .map(|q| format!("  {q}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }

    // merge: one dataset from all sources, with the conflicts it resolved.
    let ranks: Vec<String> = sources.iter().map(|s| rank(s).to_string()).collect();
    let inputs = hash_parts(
        parsed_hashes
            .iter()
            .zip(&ranks)
            .flat_map(|(hash, rank)| [hash.as_bytes(), rank.as_bytes()]),
    );
    let (merged, run) = stages.run("merge", MERGE_VERSION, &inputs, || {
        let mut ranked = Vec::new();
        for ((source, hash), order) in sources.iter().zip(&parsed_hashes).zip(0..) {
            ranked.push(Ranked {
                rank: rank(source) * 1000 + order,
                name: source.location.clone(),
                parsed: from_json(&stages.objects.get(hash)?)?,
            });
        }
        let (dataset, conflicts) = merge::merge(ranked);
        Ok(StageOutput {
            counts: [
                ("proposals".into(), dataset.proposals.len() as u64),
                ("conflicts".into(), conflicts.len() as u64),
            ]
            .into(),
            outputs: vec![
                ("dataset".into(), to_json(&dataset)),
                ("conflicts".into(), to_json(&conflicts)),
            ],
        })
    })?;
    let conflicts: Vec<Conflict> = from_json(&stages.output(&merged, "conflicts")?)?;
    log.stage(&run);
    runs.push(run);

    // enrich: topics, proposer kinds.
    let mut topic_hashes = Vec::new();
    for file in site.topic_files()? {
        let bytes = std::fs::read(&file)
            .with_context(|| format!("cannot read the topic file {}", file.display()))?;
        topic_hashes.push((file.display().to_string(), raw.store(&bytes)?));
    }
    let governments = serde_json::to_vec(&site.config.governments).expect("config serialises");
    let inputs = hash_parts(
        [
            output_hash(&merged, "dataset")?.as_bytes(),
            governments.as_slice(),
        ]
        .into_iter()
        .chain(topic_hashes.iter().map(|(_, h)| h.as_bytes())),
    );
    let (enriched, run) = stages.run("enrich", ENRICH_VERSION, &inputs, || {
        let mut dataset: Dataset = from_json(&stages.output(&merged, "dataset")?)?;
        let mut topics = Topics::new();
        for (name, hash) in &topic_hashes {
            enrich::parse_topics(&raw.get(hash)?, name, &mut topics)?;
        }
        enrich::enrich(&mut dataset, &topics, &site.config.governments);
        let with_topic = dataset
            .proposals
            .iter()
            .filter(|p| !p.topics.is_empty())
            .count();
        Ok(StageOutput {
            counts: [("with topic".into(), with_topic as u64)].into(),
            outputs: vec![("dataset".into(), to_json(&dataset))],
        })
    })?;
    log.stage(&run);
    runs.push(run);

    // dataset: a new snapshot when the content differs from the current
    // one, and an entry in the history for every change of the current one.
    let dataset_started = Instant::now();
    let snapshot = output_hash(&enriched, "dataset")?[..16].to_owned();
    let bytes = stages.output(&enriched, "dataset")?;
    let dataset: Dataset = from_json(&bytes)?;
    let current = read_current(&work);
    let moved = current.as_deref() != Some(snapshot.as_str());
    if moved {
        write_snapshot(&work, &snapshot, &bytes, &quarantine)?;
        record_transition(&work, current.as_deref(), &snapshot, &dataset)?;
        write_atomically(&work.join(CURRENT), snapshot.as_bytes())?;
    }
    // The report speaks of the transition that made the current snapshot
    // current, whichever ingest recorded it.
    let transition = read_history(&work)?.pop();
    runs.push(StageRun {
        stage: "dataset".into(),
        ran: moved,
        millis: dataset_started.elapsed().as_millis() as u64,
        counts: [("proposals".into(), dataset.proposals.len() as u64)].into(),
    });
    log.stage(runs.last().expect("just pushed"));

    let (previous, changes) = transition
        .map(|t| (t.previous, t.changes))
        .unwrap_or_default();
    let report = IngestReport {
        snapshot,
        previous,
        sources: fetched,
        proposals: dataset.proposals.len(),
        votes: dataset.proposals.iter().map(|p| p.votes.len()).sum(),
        quarantine,
        conflicts,
        changes,
        stages: runs,
        millis: started.elapsed().as_millis() as u64,
    };
    write_atomically(
        &work.join(LAST_INGEST),
        &serde_json::to_vec_pretty(&report).expect("report serialises"),
    )?;
    Ok((dataset, report))
}

/// Removes what killed ingests left half-written: hidden `*.tmp` files and
/// folders. Only one ingest may run in a work directory at a time.
fn sweep_temporaries(work: &Path) {
    for dir in [
        work.to_path_buf(),
        work.join("stages"),
        work.join(HISTORY),
        work.join("snapshots"),
    ] {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') && name.ends_with(".tmp") {
                let path = entry.path();
                let _ = std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path));
            }
        }
    }
}

/// The report of the latest ingest in `work`, if there was one.
pub fn last_report(work: &Path) -> Option<IngestReport> {
    serde_json::from_slice(&std::fs::read(work.join(LAST_INGEST)).ok()?).ok()
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

/// Lower ranks win in the merge: the official JSON before any table.
fn rank(source: &SourceConfig) -> usize {
    match source.format {
        SourceFormat::ArJson => 0,
        SourceFormat::ArCsv | SourceFormat::Table => 1,
    }
}

fn parse_source(source: &SourceConfig, bytes: &[u8]) -> Result<Parsed> {
    match source.format {
        SourceFormat::ArCsv => ar_csv::parse(bytes, &source.location),
        SourceFormat::ArJson => ar_json::parse(bytes, &source.location),
        SourceFormat::Table => match &source.table {
            Some(config) => table::parse(bytes, &source.location, config),
            None => bail!(
                "the source {} has no [source.table] section",
                source.location
            ),
        },
    }
}

/// One change of the current snapshot: from which, to which, and what changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transition {
    pub sequence: u64,
    pub snapshot: String,
    pub previous: Option<String>,
    pub changes: ChangeLog,
}

/// Writes snapshot `id` unless it exists: complete in a hidden folder, then
/// renamed into place. A snapshot's content never changes once written.
fn write_snapshot(work: &Path, id: &str, dataset: &[u8], quarantine: &[Quarantined]) -> Result<()> {
    let snapshots = work.join("snapshots");
    let target = snapshots.join(id);
    if target.exists() {
        return Ok(());
    }
    let staging = snapshots.join(format!(".{id}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging)
        .with_context(|| format!("cannot create {}", staging.display()))?;
    write_atomically(&staging.join("dataset.json"), dataset)?;
    write_atomically(&staging.join("quarantine.json"), &to_json(&quarantine))?;
    std::fs::rename(&staging, &target)
        .with_context(|| format!("cannot create the snapshot {}", target.display()))
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
            let path = work.join("snapshots").join(id).join("dataset.json");
            let bytes = std::fs::read(&path)
                .with_context(|| format!("cannot read the previous snapshot {}", path.display()))?;
            from_json(&bytes)?
        }
        None => Dataset::default(),
    };
    let transition = Transition {
        sequence: history.len() as u64,
        snapshot: snapshot.to_owned(),
        previous: previous.map(str::to_owned),
        changes: changelog::diff(&before, after),
    };
    let path = work
        .join(HISTORY)
        .join(format!("{:06}.json", transition.sequence));
    write_atomically(
        &path,
        &serde_json::to_vec_pretty(&transition).expect("history serialises"),
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
                .with_context(|| format!("cannot read the history entry {}", path.display()))?;
            from_json(&bytes)
                .with_context(|| format!("the history entry {} is damaged", path.display()))
        })
        .collect()
}

/// The hash of output `name` of `record`, or an error saying the work
/// directory is inconsistent.
fn output_hash<'r>(record: &'r crate::stages::StageRecord, name: &str) -> Result<&'r str> {
    record.outputs.get(name).map(String::as_str).with_context(|| {
        format!(
            "the record of stage {} has no output {name}; delete the work directory (.hemiciclo) and ingest again",
            record.stage
        )
    })
}

fn read_current(work: &Path) -> Option<String> {
    let id = std::fs::read_to_string(work.join(CURRENT)).ok()?;
    let id = id.trim().to_owned();
    work.join("snapshots")
        .join(&id)
        .join("dataset.json")
        .exists()
        .then_some(id)
}

fn to_json(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(value).expect("pipeline values serialise")
}

fn from_json<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).context("a stored pipeline object is damaged; delete the work directory (.hemiciclo) and ingest again")
}

/// Stage timings on stderr with `--verbose`.
#[derive(Debug)]
struct Log {
    verbose: bool,
}

impl Log {
    fn new(verbose: bool) -> Log {
        Log { verbose }
    }

    fn stage(&self, run: &StageRun) {
        if self.verbose {
            let what = if run.ran { "ran" } else { "unchanged, skipped" };
            eprintln!("{:<32} {what:<18} {:>6} ms", run.stage, run.millis);
        }
    }
}

/// A progress bar on a terminal, nothing otherwise.
#[derive(Debug)]
struct Progress(indicatif::ProgressBar);

impl Progress {
    fn new(length: u64, stage: &str) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress(indicatif::ProgressBar::hidden());
        }
        let bar = indicatif::ProgressBar::new(length);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{prefix:>6} [{bar:30}] {pos}/{len} {wide_msg}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(stage.to_owned());
        Progress(bar)
    }

    fn message(&self, text: &str) {
        self.0.set_message(text.to_owned());
    }

    fn advance(&self) {
        self.0.inc(1);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
