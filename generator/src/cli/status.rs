//! `hemiciclo status`: the last ingest, told in plain text.

use crate::ingest::merge::Conflict;
use crate::ingest::IngestReport;
use std::fmt::Write;

/// How many quarantined records or conflicts the text lists before summarising.
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
    for warning in &report.warnings {
        let _ = writeln!(text, "warning: {warning}");
    }
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
    let _ = writeln!(text, "\nsnapshots kept (oldest first):");
    for id in snapshots {
        let current = if *id == report.snapshot {
            " (current)"
        } else {
            ""
        };
        let _ = writeln!(text, "  {id}{current}");
    }
    let _ = writeln!(text, "\nquarantine: {} records", report.quarantine.len());
    list(&mut text, report.quarantine.iter().map(ToString::to_string));
    let _ = writeln!(
        text,
        "conflicts between sources: {}",
        report.conflicts.len()
    );
    list(&mut text, report.conflicts.iter().map(conflict_text));
    let _ = write!(text, "\nchanges in this snapshot: {}", report.changes);
    text
}

/// Writes the first [`LIST_LIMIT`] lines, indented, then how many are left.
fn list(text: &mut String, lines: impl ExactSizeIterator<Item = String>) {
    let total = lines.len();
    for line in lines.take(LIST_LIMIT) {
        let _ = writeln!(text, "  {line}");
    }
    if total > LIST_LIMIT {
        let _ = writeln!(text, "  ... and {} more", total - LIST_LIMIT);
    }
}

/// One conflict on a line: `proposal 100, vote 7: result: kept a.json:
/// Some(Approved), not b.csv: Some(Rejected)`.
fn conflict_text(conflict: &Conflict) -> String {
    let vote = conflict
        .vote
        .as_ref()
        .map(|v| format!(", vote {v}"))
        .unwrap_or_default();
    format!(
        "proposal {}{vote}: {}: kept {}, not {}",
        conflict.proposal, conflict.field, conflict.kept, conflict.other
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::changelog::ChangeLog;
    use crate::ingest::sources::Quarantined;

    fn report(quarantined: usize, conflicts: usize) -> IngestReport {
        IngestReport {
            snapshot: "bbbb".into(),
            previous: Some("aaaa".into()),
            sources: Vec::new(),
            proposals: 3,
            votes: 4,
            quarantine: (0..quarantined)
                .map(|i| Quarantined {
                    source: "votes.csv".into(),
                    location: format!("line {}", i + 2),
                    record: Some(i.to_string()),
                    reason: "unknown position \"Talvez\"".into(),
                })
                .collect(),
            conflicts: (0..conflicts)
                .map(|i| Conflict {
                    proposal: format!("{}", 100 + i),
                    vote: (i % 2 == 0).then(|| "7".to_owned()),
                    field: "result".into(),
                    kept: "ar.json: Some(Approved)".into(),
                    other: "votes.csv: Some(Rejected)".into(),
                })
                .collect(),
            changes: ChangeLog::default(),
            recent: Vec::new(),
            origins: Default::default(),
            stages: Vec::new(),
            millis: 5,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn lists_conflicts_like_the_quarantine_and_every_snapshot() {
        let snapshots = ["aaaa", "bbbb", "cccc"].map(String::from);
        let text = render_text(&report(0, 23), &snapshots);
        assert!(text.contains("conflicts between sources: 23"), "{text}");
        assert!(
            text.contains(
                "  proposal 100, vote 7: result: kept ar.json: Some(Approved), \
                 not votes.csv: Some(Rejected)\n"
            ),
            "{text}"
        );
        assert!(text.contains("  proposal 101: result: kept"), "{text}");
        assert!(text.contains("  proposal 119: result"), "{text}");
        assert!(!text.contains("proposal 120"), "only the first 20: {text}");
        assert!(text.contains("  ... and 3 more\n"), "{text}");
        assert!(
            text.contains("snapshots kept (oldest first):\n  aaaa\n  bbbb (current)\n  cccc\n"),
            "{text}"
        );

        let text = render_text(&report(21, 2), &snapshots);
        assert!(text.contains("quarantine: 21 records"), "{text}");
        assert_eq!(text.matches("... and 1 more").count(), 1, "{text}");
        assert!(text.contains("  proposal 101: result"), "{text}");
    }
}
