//! A table the code knows nothing about, ingested by configuration alone:
//! a German city council's votes (`tests/fixtures/table/`), mapped by the
//! `[source.table]` snippet of its `site.toml`.

use hemiciclo::config::Config;
use hemiciclo::ingest::sources::table::{self, TableConfig};
use hemiciclo::ingest::sources::{Parsed, Quarantined};
use hemiciclo_core::{ActorKind, Outcome, PhaseKind, Position, Vote};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/table")
        .join(name)
}

fn council() -> Parsed {
    let toml = std::fs::read_to_string(fixture("site.toml")).unwrap();
    let site: Config = toml::from_str(&toml).unwrap();
    let config: TableConfig = site.sources[0]
        .table
        .clone()
        .expect("a [source.table] section");
    let csv = std::fs::read(fixture("stadtrat.csv")).unwrap();
    table::parse(&csv, "stadtrat.csv", &config).unwrap()
}

/// A vote in one line: `date phase-kind result [unanimous] positions`, the
/// positions as one-letter codes in the file's column order (`-` for none).
fn summary(vote: &Vote) -> String {
    const GROUPS: [&str; 7] = [
        "CSU",
        "SPD",
        "Grüne",
        "FDP",
        "AfD",
        "Linke",
        "Erika Mustermann (fraktionslos)",
    ];
    let codes: String = GROUPS
        .iter()
        .map(|g| vote.positions.get(*g).map_or('-', |p| p.code()))
        .collect();
    let result = match vote.result {
        Some(Outcome::Approved) => "approved",
        Some(Outcome::Rejected) => "rejected",
        None => "-",
    };
    let unanimous = if vote.unanimous { " unanimous" } else { "" };
    format!(
        "{} {:?} {result}{unanimous} {codes}",
        vote.date, vote.phase_kind
    )
}

#[test]
fn a_city_council_table_ingests_by_configuration_alone() {
    let parsed = council();
    let ids: Vec<&str> = parsed.proposals.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["V-2023-014", "V-2023-021", "V-2024-003"]);

    let radweg = &parsed.proposals[0];
    assert_eq!(radweg.title, "Radweg Hauptstraße");
    assert_eq!(radweg.kind, "Antrag");
    assert_eq!(radweg.authors, ["Grüne"]);
    assert_eq!(radweg.committee.as_deref(), Some("Bauausschuss"));
    assert_eq!(radweg.legislature, "2020-2026");
    assert_eq!(radweg.number, "");
    // Without vote ids in the file, votes are named by initiative, date,
    // phase and order; on one day they sort by that name.
    let vote_ids: Vec<&str> = radweg.votes.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(
        vote_ids,
        [
            "V-2023-014/2023-03-14/Grundsatzbeschluss/1",
            "V-2023-014/2023-05-09/Schlussabstimmung/1",
            "V-2023-014/2023-05-09/Änderungsantrag/1",
        ]
    );
    let votes: Vec<String> = radweg.votes.iter().map(summary).collect();
    assert_eq!(
        votes,
        [
            "2023-03-14 General approved AFFNAFF",
            "2023-05-09 FinalGlobal approved AFFAAFF",
            "2023-05-09 Other rejected FAAFFAX",
        ]
    );
    assert_eq!(
        radweg.votes[2].description,
        "Änderungsantrag der FDP: Parkplätze erhalten"
    );
    let decisive = radweg.decisive_vote().unwrap();
    assert_eq!(decisive.phase, "Schlussabstimmung");
    assert_eq!(decisive.positions["CSU"], Position::Against);
    assert!(
        radweg.is_quiz_eligible(),
        "the final vote split the council"
    );

    let haushalt = &parsed.proposals[1];
    assert_eq!(haushalt.title, "Haushaltssatzung 2024; Stellenplan");
    assert_eq!(haushalt.authors, ["Oberbürgermeisterin"]);
    let votes: Vec<String> = haushalt.votes.iter().map(summary).collect();
    assert_eq!(
        votes,
        [
            "2023-11-23 Other rejected AAAAFAA",
            "2023-12-12 FinalGlobal approved FFNFAAX",
        ],
        "the Sozialticket amendment was set aside"
    );
    assert_eq!(
        haushalt.votes[0].description,
        "Änderungsantrag der AfD: Kürzung der \"Kulturförderung\""
    );

    let partnerschaft = &parsed.proposals[2];
    assert_eq!(partnerschaft.authors, ["CSU", "SPD"]);
    let votes: Vec<String> = partnerschaft.votes.iter().map(summary).collect();
    assert_eq!(
        votes,
        [
            "2024-01-16 Other rejected AAFAFAA",
            "2024-02-06 Deliberation approved unanimous FFFFF-F",
        ]
    );
    assert_eq!(
        partnerschaft.decisive_vote().unwrap().phase_kind,
        PhaseKind::Deliberation
    );
    assert!(!partnerschaft.is_quiz_eligible(), "unanimous");
}

#[test]
fn the_bad_row_is_quarantined_and_remarks_are_not_actors() {
    let parsed = council();
    assert_eq!(
        parsed.quarantine,
        [Quarantined {
            source: "stadtrat.csv".into(),
            location: "line 6".into(),
            record: Some("V-2023-021".into()),
            reason: "unknown position \"vielleicht\" in column \"FDP\"; expected \"Ja\", \
                     \"Nein\", \"Enthaltung\", \"abwesend\" or an empty cell (values.for, \
                     values.against, values.abstain, values.absent, values.split); if \"FDP\" is not a \
                     party or member but another column (a remark, a count), list it under \
                     [source.table.actors] ignore"
                .into(),
        }]
    );
    let actors: Vec<(&str, &str, ActorKind)> = parsed
        .actors
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str(), a.kind))
        .collect();
    assert_eq!(
        actors,
        [
            ("AfD", "AfD", ActorKind::Party),
            ("CSU", "CSU", ActorKind::Party),
            (
                "Erika Mustermann (fraktionslos)",
                "Erika Mustermann",
                ActorKind::NonAttached
            ),
            ("FDP", "FDP", ActorKind::Party),
            ("Grüne", "Grüne", ActorKind::Party),
            ("Linke", "Linke", ActorKind::Party),
            ("SPD", "SPD", ActorKind::Party),
        ]
    );
}

#[test]
fn the_council_site_builds_by_configuration_alone() {
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("hemiciclo-council-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_hemiciclo"))
        .args(["build", "--config"])
        .arg(fixture("site.toml"))
        .arg("--out")
        .arg(out.join("public"))
        .arg("--work-dir")
        .arg(out.join("work"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("1 records were quarantined"), "{stderr}");
    let home = std::fs::read_to_string(out.join("public/index.html")).unwrap();
    assert!(
        home.contains("<title>Stadtrat Musterstadt</title>"),
        "{home}"
    );
    let pages = std::fs::read_dir(out.join("public/p")).unwrap().count();
    assert_eq!(pages, council().proposals.len());
    std::fs::remove_dir_all(&out).unwrap();
}
