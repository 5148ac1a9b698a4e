//! The ingest: fetch -> parse -> merge -> enrich -> dataset snapshot.
//!
//! Each stage reads the outputs of the one before from the work
//! directory's object store and records what it made (see [`stages`]), so
//! an unchanged stage is skipped and an interrupted ingest resumes where it
//! stopped. Fetched sources are kept under their content hash and never
//! overwritten ([`raw_store`]); every dataset that differs from the last
//! becomes a new snapshot with a change log against the one before
//! ([`snapshot`]). Bad records are quarantined with their location and the
//! rest goes on; a source that cannot be read at all stops the ingest with
//! a message naming it, and one that shrinks is a warning ([`shrink`]).

pub mod changelog;
pub mod dataset;
pub mod enrich;
pub mod fetch;
pub mod frame;
pub mod merge;
mod progress;
pub mod raw_store;
pub mod shrink;
pub mod snapshot;
pub mod sources;
pub mod stages;

pub use snapshot::{last_report, read_history, snapshot_ids, Transition};

use crate::config::{Site, SourceConfig, SourceFormat};
use crate::error::{Error, IoContext, Result};
use dataset::Dataset;
use enrich::Topics;
use fetch::{FetchOptions, Location};
use hemiciclo_core::compare_ids;
use merge::{Conflict, Ranked};
use progress::{Log, Progress};
use raw_store::RawStore;
use serde::{Deserialize, Serialize};
use sources::popolo::PopoloConfig;
use sources::{Parsed, Quarantined};
use stages::{hash_parts, StageOutput, StageRecord, StageRun, Stages};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

/// Bumped when a stage's code changes what it outputs, so old records are redone.
/// Parse 4 names sources without URL secrets, counts votes and notes
/// where each proposal was read.
const PARSE_VERSION: u32 = 4;
/// Merge 4 names sources in conflicts without URL secrets.
const MERGE_VERSION: u32 = 4;
const ENRICH_VERSION: u32 = 3;

#[derive(Debug, Default)]
pub struct IngestOptions {
    /// Fail when any record is quarantined or a source shrinks.
    pub strict: bool,
    /// Log each stage's timing to stderr.
    pub verbose: bool,
    /// Where to keep the pipeline's work; default `.hemiciclo` in the site.
    pub work_dir: Option<PathBuf>,
    /// Only looking (`check`, `serve`): a shrinking source is reported, but
    /// its counts do not become what later ingests compare with, so a
    /// shrink seen by `check` still stops the next `build --strict`.
    pub look_only: bool,
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
    pub changes: changelog::ChangeLog,
    /// The latest changes of the current snapshot, oldest first, up to
    /// [`RECENT_TRANSITIONS`]: what the feed announces.
    #[serde(skip)]
    pub recent: Vec<snapshot::Transition>,
    /// Where each proposal was first read, by id: (source, location in it,
    /// empty when the source's format does not say), so that a problem
    /// found after the ingest still names the record's source and line.
    #[serde(skip)]
    pub origins: BTreeMap<String, (String, String)>,
    pub stages: Vec<StageRun>,
    pub millis: u64,
    /// What the ingest warns of: sources that shrank ([`shrink`]).
    #[serde(default)]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceSummary {
    /// As shown: a URL without credentials or query secrets
    /// ([`SourceConfig::shown`]).
    pub location: String,
    pub format: String,
    /// sha256 of the fetched bytes: their name in the raw store.
    pub sha256: String,
    pub bytes: u64,
    /// Proposals and votes the source gave, counted by its parse; `None`
    /// in reports from before they were counted.
    #[serde(default)]
    pub proposals: Option<u64>,
    #[serde(default)]
    pub votes: Option<u64>,
}

/// How many of the latest changes of the dataset the report carries.
pub const RECENT_TRANSITIONS: usize = 20;

/// Runs the pipeline for `site` and returns the current dataset.
pub fn ingest(site: &Site, options: &IngestOptions) -> Result<(Dataset, IngestReport)> {
    let started = Instant::now();
    let work = options.work_dir.clone().unwrap_or_else(|| site.work_dir());
    snapshot::sweep_temporaries(&work);
    let shrink_percent = site.shrink_warning_percent()?;
    let before = snapshot::source_counts(&work);
    let mut run = Run {
        site,
        options,
        stages: Stages::open(&work)?,
        raw: RawStore::open(&work.join("raw"))?,
        log: Log::new(options.verbose),
        runs: Vec::new(),
    };
    let sources = site.sources()?;
    let mut fetched = run.fetch(&sources)?;
    let (parsed, quarantine, origins) = run.parse(&sources, &mut fetched)?;
    let shrinks = shrink::shrinks(
        before.as_deref().unwrap_or_default(),
        &fetched,
        shrink_percent,
    );
    let warnings: Vec<String> = shrinks.iter().map(shrink::warning).collect();
    if options.strict && !shrinks.is_empty() {
        return Err(Error::Shrank(shrink::strict_error(&shrinks)));
    }
    if options.strict && !quarantine.is_empty() {
        return Err(Error::Strict { quarantine });
    }
    let (merged, conflicts) = run.merge(&sources, &parsed)?;
    let enriched = run.enrich(&merged)?;
    let (snapshot, dataset) = run.snapshot(&work, &enriched, &quarantine)?;

    // The report speaks of the transition that made the current snapshot
    // current, whichever ingest recorded it.
    let mut history = read_history(&work)?;
    let recent = history.split_off(history.len().saturating_sub(RECENT_TRANSITIONS));
    let (previous, changes) = recent
        .last()
        .map(|t| (t.previous.clone(), t.changes.clone()))
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
        recent,
        origins,
        stages: run.runs,
        millis: started.elapsed().as_millis() as u64,
        warnings,
    };
    snapshot::write_last_report(&work, &report)?;
    if !options.look_only {
        snapshot::write_source_counts(&work, &report.sources)?;
    }
    Ok((dataset, report))
}

/// One ingest in progress: what every stage needs, and the stage runs so far.
struct Run<'a> {
    site: &'a Site,
    options: &'a IngestOptions,
    stages: Stages,
    raw: RawStore,
    log: Log,
    runs: Vec<StageRun>,
}

impl Run<'_> {
    /// fetch: always looks, since only looking tells whether a source
    /// changed; keeps the bytes in the raw store.
    fn fetch(&mut self, sources: &[SourceConfig]) -> Result<Vec<SourceSummary>> {
        let progress = Progress::new(sources.len() as u64, "fetch");
        let mut fetched = Vec::new();
        let started = Instant::now();
        for source in sources {
            progress.message(&source.shown());
            let bytes = self.fetch_source(source)?;
            let sha256 = self.raw.store(&bytes)?;
            fetched.push(SourceSummary {
                location: source.shown().into_owned(),
                format: source.format.name().to_owned(),
                sha256,
                bytes: bytes.len() as u64,
                proposals: None,
                votes: None,
            });
            progress.advance();
        }
        progress.finish();
        self.record(StageRun {
            stage: "fetch".into(),
            ran: true,
            millis: started.elapsed().as_millis() as u64,
            counts: [("sources".into(), fetched.len() as u64)].into(),
        });
        Ok(fetched)
    }

    /// The bytes of one source: its file, or for a Popolo folder its files
    /// framed as one blob. A failure names the file that failed.
    fn fetch_source(&self, source: &SourceConfig) -> Result<Vec<u8>> {
        let location = Location::parse(&source.location, &self.site.dir)?;
        let failed = |cause| Error::Fetch {
            location: source.shown().into_owned(),
            cause,
        };
        if source.format != SourceFormat::Popolo {
            return fetch::fetch(&location, &self.options.fetch).map_err(failed);
        }
        let default = PopoloConfig::default();
        let config = source.popolo.as_ref().unwrap_or(&default);
        let (groups, groups_required) = config.groups_file();
        let mut files = Vec::new();
        for (name, required) in [
            (config.vote_events.as_str(), true),
            (config.votes.as_str(), true),
            (config.voters.as_str(), true),
            (groups, groups_required),
        ] {
            if name.trim().is_empty() || name.contains(['\n', '\r']) {
                return Err(Error::Config(format!(
                    "the source {}: [source.popolo] names a file {name:?}; give a file name",
                    source.shown()
                )));
            }
            match fetch::fetch(&location.join(name), &self.options.fetch) {
                Ok(bytes) => files.push((name, bytes)),
                Err(cause) if !required && cause.is_not_found() => {}
                Err(cause) => return Err(failed(cause)),
            }
        }
        Ok(frame::frame(
            files.iter().map(|(name, bytes)| (*name, bytes.as_slice())),
        ))
    }

    /// parse: one record per source, redone only when its bytes change.
    /// Returns the hash of each source's parsed records, the quarantine,
    /// and where each proposal was first read (the first source that has
    /// it); notes in `fetched` how many proposals and votes each gave.
    #[allow(clippy::type_complexity)]
    fn parse(
        &mut self,
        sources: &[SourceConfig],
        fetched: &mut [SourceSummary],
    ) -> Result<(
        Vec<String>,
        Vec<Quarantined>,
        BTreeMap<String, (String, String)>,
    )> {
        let progress = Progress::new(sources.len() as u64, "parse");
        let mut parsed_hashes = Vec::new();
        let mut quarantine = Vec::new();
        let mut origins = BTreeMap::new();
        for (source, summary) in sources.iter().zip(fetched) {
            progress.message(&source.shown());
            // The record keeps the whole location, so that two sources
            // differing only in a query do not share one.
            let key = format!("parse {}", source.location);
            let mut table = format!("{:?}", source.table);
            if let Some(popolo) = &source.popolo {
                table.push_str(&format!("{popolo:?}"));
            }
            let inputs = hash_parts([
                source.format.name().as_bytes(),
                table.as_bytes(),
                summary.sha256.as_bytes(),
            ]);
            let (record, run) = self
                .stages
                .run(&key, PARSE_VERSION, &inputs, || {
                    let bytes = self.raw.get(&summary.sha256)?;
                    let parsed = sources::parse(source, &bytes)?;
                    // Every proposal of the source, at its location when known.
                    let mut read_at = parsed.origins.clone();
                    for proposal in &parsed.proposals {
                        read_at.entry(proposal.id.clone()).or_default();
                    }
                    Ok(StageOutput {
                        counts: [
                            ("proposals".into(), parsed.proposals.len() as u64),
                            (
                                "votes".into(),
                                parsed.proposals.iter().map(|p| p.votes.len() as u64).sum(),
                            ),
                            ("quarantined".into(), parsed.quarantine.len() as u64),
                        ]
                        .into(),
                        outputs: vec![
                            ("quarantine".into(), to_json(&parsed.quarantine)),
                            ("parsed".into(), to_json(&parsed)),
                            ("origins".into(), to_json(&read_at)),
                        ],
                    })
                })
                // The stage's key holds the whole location; its error shows it
                // without credentials or query secrets.
                .map_err(|error| match error {
                    Error::Stage { source: cause, .. } => Error::Stage {
                        stage: format!("parse {}", source.shown()),
                        source: cause,
                    },
                    other => other,
                })?;
            let records: Vec<Quarantined> = from_json(&self.stages.output(&record, "quarantine")?)?;
            quarantine.extend(records);
            let read_at: BTreeMap<String, String> =
                from_json(&self.stages.output(&record, "origins")?)?;
            for (id, location) in read_at {
                origins
                    .entry(id)
                    .or_insert_with(|| (source.shown().into_owned(), location));
            }
            parsed_hashes.push(output_hash(&record, "parsed")?.to_owned());
            summary.proposals = run.counts.get("proposals").copied();
            summary.votes = run.counts.get("votes").copied();
            self.record(StageRun {
                stage: format!("parse {}", source.shown()),
                ..run
            });
            progress.advance();
        }
        progress.finish();
        // "line 9" before "line 10": locations in natural order.
        quarantine.sort_by(|a, b| {
            a.source
                .cmp(&b.source)
                .then_with(|| compare_ids(&a.location, &b.location))
                .then_with(|| a.cmp(b))
        });
        Ok((parsed_hashes, quarantine, origins))
    }

    /// merge: one dataset from all sources, with the conflicts it resolved.
    fn merge(
        &mut self,
        sources: &[SourceConfig],
        parsed_hashes: &[String],
    ) -> Result<(StageRecord, Vec<Conflict>)> {
        let ranks: Vec<String> = sources
            .iter()
            .map(|s| sources::rank(s).to_string())
            .collect();
        let inputs = hash_parts(
            parsed_hashes
                .iter()
                .zip(&ranks)
                .flat_map(|(hash, rank)| [hash.as_bytes(), rank.as_bytes()]),
        );
        let (merged, run) = self.stages.run("merge", MERGE_VERSION, &inputs, || {
            let mut ranked = Vec::new();
            for ((source, hash), order) in sources.iter().zip(parsed_hashes).zip(0..) {
                let parsed: Parsed = from_json(&self.stages.objects.get(hash)?)?;
                ranked.push(Ranked {
                    rank: sources::rank(source) * 1000 + order,
                    name: source.shown().into_owned(),
                    parsed,
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
        let conflicts = from_json(&self.stages.output(&merged, "conflicts")?)?;
        self.record(run);
        Ok((merged, conflicts))
    }

    /// enrich: topics, proposer kinds, how split each vote was.
    fn enrich(&mut self, merged: &StageRecord) -> Result<StageRecord> {
        let mut topic_hashes = Vec::new();
        for file in self.site.topic_files()? {
            let bytes = std::fs::read(&file)
                .doing(|| format!("cannot read the topic file {}", file.display()))?;
            topic_hashes.push((file.display().to_string(), self.raw.store(&bytes)?));
        }
        let governments = enrich::Governments {
            periods: &self.site.config.governments,
            author: self.site.config.government_author.as_deref(),
        };
        let governments_json = serde_json::to_vec(&(governments.periods, governments.author))
            .expect("config serialises");
        let inputs = hash_parts(
            [
                output_hash(merged, "dataset")?.as_bytes(),
                governments_json.as_slice(),
            ]
            .into_iter()
            .chain(topic_hashes.iter().map(|(_, h)| h.as_bytes())),
        );
        let (enriched, run) = self.stages.run("enrich", ENRICH_VERSION, &inputs, || {
            let mut dataset: Dataset = from_json(&self.stages.output(merged, "dataset")?)?;
            let mut topics = Topics::new();
            for (name, hash) in &topic_hashes {
                enrich::parse_topics(&self.raw.get(hash)?, name, &mut topics)?;
            }
            enrich::enrich(&mut dataset, &topics, governments);
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
        self.record(run);
        Ok(enriched)
    }

    /// dataset: a new snapshot when the content differs from the current
    /// one, and an entry in the history for every change of the current one.
    fn snapshot(
        &mut self,
        work: &std::path::Path,
        enriched: &StageRecord,
        quarantine: &[Quarantined],
    ) -> Result<(String, Dataset)> {
        let started = Instant::now();
        let id = output_hash(enriched, "dataset")?[..16].to_owned();
        let bytes = self.stages.output(enriched, "dataset")?;
        let dataset: Dataset = from_json(&bytes)?;
        let moved = snapshot::make_current(work, &id, &bytes, &dataset, quarantine)?;
        self.record(StageRun {
            stage: "dataset".into(),
            ran: moved,
            millis: started.elapsed().as_millis() as u64,
            counts: [("proposals".into(), dataset.proposals.len() as u64)].into(),
        });
        Ok((id, dataset))
    }

    fn record(&mut self, run: StageRun) {
        self.log.stage(&run);
        self.runs.push(run);
    }
}

/// The hash of output `name` of `record`, or an error saying the work
/// directory is inconsistent.
fn output_hash<'r>(record: &'r StageRecord, name: &str) -> Result<&'r str> {
    record.outputs.get(name).map(String::as_str).ok_or_else(|| {
        Error::Work(format!(
            "the record of stage {} has no output {name}; delete the work directory (.hemiciclo) \
             and ingest again",
            record.stage
        ))
    })
}

fn to_json(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(value).expect("pipeline values serialise")
}

fn from_json<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|source| Error::StoredObject { source })
}
