//! A European-Parliament-style table built into a site end to end
//! (`tests/fixtures/ep/`): each amendment and each part of a report is its
//! own row, and only the title says which report and which part. Derived
//! columns group the amendments under their report, a filter drops the
//! procedural votes, count columns give the totals, a split group is
//! shown as such, and the vote on the text as a whole decides.

use hemiciclo::config::Site;
use hemiciclo::ingest::{ingest, IngestOptions};
use hemiciclo::site::{build, BuildOptions};
use hemiciclo_core::{PhaseKind, Position, Tally};
use std::fs;
use std::path::PathBuf;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ep/site.toml")
}

#[test]
fn amendments_group_under_their_report_and_the_final_vote_decides() {
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("hemiciclo-ep-{}", std::process::id()));
    let _ = fs::remove_dir_all(&out);
    let ingest_options = || IngestOptions {
        work_dir: Some(out.join("work")),
        ..IngestOptions::default()
    };
    let report = build(&BuildOptions {
        config: fixture(),
        config_explicit: true,
        env: None,
        out: out.join("public"),
        wasm: None,
        ingest: ingest_options(),
    })
    .unwrap();
    assert_eq!(report.proposals, 3);
    assert_eq!(report.cards, 3, "every final vote split the groups");

    // The one bad count is quarantined with its line and column.
    let [bad] = report.ingest.quarantine.as_slice() else {
        panic!("{:#?}", report.ingest.quarantine)
    };
    assert_eq!(bad.location, "line 10");
    assert_eq!(bad.record.as_deref(), Some("32"));
    assert!(
        bad.reason
            .contains("the count \"n/a\" in column \"For\" is not a whole number"),
        "{bad}"
    );

    // The same pipeline, read back (every stage is unchanged).
    let site = Site::load(&fixture(), true).unwrap();
    let (dataset, _) = ingest(&site, &ingest_options()).unwrap();
    let ids: Vec<&str> = dataset.proposals.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["A9-0188/2023", "A9-0220/2023", "A9-0319/2023"]);
    let nature = &dataset.proposals[1];
    assert_eq!(nature.title, "Nature restoration");
    assert_eq!(nature.legislature, "9");
    let votes: Vec<(&str, &str)> = nature
        .votes
        .iter()
        .map(|v| (v.id.as_str(), v.phase.as_str()))
        .collect();
    assert_eq!(
        votes,
        [
            ("9", "Amendment 12"),
            ("11", "Amendment 131"),
            ("12", "Vote: text as a whole"),
        ],
        "the procedural vote is dropped; ids in natural order"
    );
    let decisive = nature.decisive_vote().unwrap();
    assert_eq!(decisive.id, "12");
    assert_eq!(decisive.phase_kind, PhaseKind::FinalGlobal);
    assert_eq!(decisive.positions["EPP"], Position::Against);
    assert_eq!(decisive.positions["Renew"], Position::Split);
    assert_eq!(
        decisive.totals,
        Some(Tally {
            in_favour: 336,
            against: 300,
            abstain: 13,
            absent: 0
        })
    );
    assert!(nature.is_quiz_eligible());
    let packaging = &dataset.proposals[2];
    let phases: Vec<&str> = packaging.votes.iter().map(|v| v.phase.as_str()).collect();
    assert_eq!(
        phases,
        ["Vote: text as a whole"],
        "one dropped, one quarantined"
    );

    // The proposal page: its own votes only, the totals, the split group.
    let page = fs::read_to_string(out.join("public/p/A9-0220~2F2023/index.html")).unwrap();
    for shown in [
        "Nature restoration",
        "Amendment 12",
        "Amendment 131",
        "Vote: text as a whole",
        "Votes cast: 336 for · 300 against · 13 abstained",
        "<td class=\"pos split\">Split</td>",
        "<html lang=\"en\">",
    ] {
        assert!(page.contains(shown), "{shown:?} missing from the page");
    }
    assert!(!page.contains("procedural"), "dropped rows are not shown");
    assert!(!page.contains("Artificial Intelligence"), "another report");
    let ids = fs::read_to_string(out.join("public/data/ids.json")).unwrap();
    // Every report is a card (in the order the sampler's classes give).
    for id in ["A9-0188/2023", "A9-0220/2023", "A9-0319/2023"] {
        assert!(ids.contains(&format!("\"{id}\"")), "{ids}");
    }
    assert_eq!(ids.matches("A9-").count(), 3, "{ids}");
    fs::remove_dir_all(&out).unwrap();
}
