//! `hemiciclo status`: the last ingest, told in plain text.

use crate::ingest::IngestReport;
use std::fmt::Write;

/// How many quarantined records the text lists before summarising.
const LIST_LIMIT: usize = 20;

/// The report as `hemiciclo status` prints it; `snapshots` are every
/// snapshot id of the work directory, oldest first.
pub fn render_text(report: &IngestReport, snapshots: &[String]) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "snapshot {} ({} proposals, {} votes), {} snapshots kept{}",
        report.snapshot,
        report.proposals,
        report.votes,
        snapshots.len(),
        report
            .previous
            .as_ref()
            .map(|p| format!(", previous {p}"))
            .unwrap_or_default()
    );
    let _ = writeln!(text, "\nsources:");
    for source in &report.sources {
        let _ = writeln!(
            text,
            "  {} ({}, {} bytes, sha256 {})",
            source.location,
            source.format,
            source.bytes,
            &source.sha256[..16.min(source.sha256.len())]
        );
    }
    let _ = writeln!(text, "\nstages (last ingest, {} ms in all):", report.millis);
    for run in &report.stages {
        let state = if run.ran { "ran" } else { "unchanged" };
        let counts: Vec<String> = run.counts.iter().map(|(k, v)| format!("{k} {v}")).collect();
        let _ = writeln!(
            text,
            "  {:<32} {state:<10} {:>6} ms  {}",
            run.stage,
            run.millis,
            counts.join(", ")
        );
    }
    let _ = writeln!(text, "\nquarantine: {} records", report.quarantine.len());
    for entry in report.quarantine.iter().take(LIST_LIMIT) {
        let _ = writeln!(text, "  {entry}");
    }
    if report.quarantine.len() > LIST_LIMIT {
        let _ = writeln!(
            text,
            "  ... and {} more",
            report.quarantine.len() - LIST_LIMIT
        );
    }
    let _ = writeln!(
        text,
        "conflicts between sources: {}",
        report.conflicts.len()
    );
    let _ = write!(text, "\nchanges in this snapshot: {}", report.changes);
    text
}
