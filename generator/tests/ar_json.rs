//! The AR's official Iniciativas JSON samples, parsed for real.
//!
//! The expected counts were taken by hand from the files (with a few lines
//! of Python walking `IniEventos[].Votacao[]` and
//! `IniEventos[].Comissao[].Votacao[]`), not from this parser's output.

use hemiciclo::ingest::sources::{ar_json, Parsed};
use hemiciclo_core::{ActorKind, Outcome, PhaseKind, Position, Tally, Venue, Vote};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/ar-official")
        .join(name)
}

fn parse(name: &str) -> Parsed {
    ar_json::read(&sample(name)).unwrap_or_else(|e| panic!("{name}: {}", e.chain_text()))
}

fn vote<'a>(parsed: &'a Parsed, id: &str) -> &'a Vote {
    parsed
        .proposals
        .iter()
        .flat_map(|p| &p.votes)
        .find(|v| v.id == id)
        .unwrap_or_else(|| panic!("vote {id}"))
}

fn positions(pairs: &[(&str, Position)]) -> BTreeMap<String, Position> {
    pairs.iter().map(|(a, p)| (a.to_string(), *p)).collect()
}

#[test]
fn every_sample_ingests_with_the_counts_taken_by_hand() {
    // (file, proposals, votes, initiatives put aside)
    for (file, proposals, votes, put_aside) in [
        ("parlamento-app_example_iniciativa.json", 1, 4, 0),
        ("ric2b_empty_example.json", 0, 0, 0),
        ("ric2b_minimal_example.json", 1, 1, 0),
        ("ric2b_minimal_example_approved_and_rejected.json", 2, 2, 0),
        ("ric2b_multiple_approved_sorted.json", 3, 3, 0),
        // These two trimmed samples have no IniId: the initiative is put aside.
        ("ric2b_nil_ini_eventos.json", 0, 0, 1),
        ("ric2b_nil_vote_detail.json", 0, 0, 1),
    ] {
        let parsed = parse(file);
        assert_eq!(parsed.proposals.len(), proposals, "{file}");
        let vote_count: usize = parsed.proposals.iter().map(|p| p.votes.len()).sum();
        assert_eq!(vote_count, votes, "{file}");
        assert_eq!(
            parsed.quarantine.len(),
            put_aside,
            "{file}: {:#?}",
            parsed.quarantine
        );
        for quarantined in &parsed.quarantine {
            assert_eq!(quarantined.location, "$[0]", "{file}");
            assert!(quarantined.reason.contains("IniId"), "{quarantined}");
        }
    }
}

#[test]
fn parlamento_app_example_has_three_plenary_votes_and_one_in_committee() {
    let parsed = parse("parlamento-app_example_iniciativa.json");
    let proposal = &parsed.proposals[0];
    assert_eq!(proposal.id, "356278");
    assert_eq!(proposal.number, "62");
    assert_eq!(proposal.legislature, "XVII");
    assert_eq!(proposal.kind, "Proposta de Lei");
    assert!(proposal
        .title
        .starts_with("Altera a Lei Eleitoral do Presidente"));
    assert_eq!(proposal.authors, ["Governo"]);
    let committee = "Comissão de Assuntos Constitucionais, Direitos, Liberdades e Garantias";
    assert_eq!(proposal.committee.as_deref(), Some(committee));

    let venues: Vec<(&str, &Venue)> = proposal
        .votes
        .iter()
        .map(|v| (v.id.as_str(), &v.venue))
        .collect();
    let in_committee = Venue::Committee(Some(committee.into()));
    assert_eq!(
        venues,
        [
            ("171340", &in_committee),
            ("171449", &Venue::Plenary),
            ("172170", &Venue::Plenary),
            ("172171", &Venue::Plenary),
        ],
        "chronological order"
    );
    let plenary = proposal
        .votes
        .iter()
        .filter(|v| v.venue == Venue::Plenary)
        .count();
    assert_eq!((plenary, proposal.votes.len() - plenary), (3, 1));
    assert_eq!(proposal.decisive_vote().unwrap().id, "172171");
}

#[test]
fn parlamento_app_final_vote_carries_member_counts() {
    let parsed = parse("parlamento-app_example_iniciativa.json");
    let vote = vote(&parsed, "172171");
    assert_eq!(vote.phase, "Votação final global");
    assert_eq!(vote.phase_kind, PhaseKind::FinalGlobal);
    assert_eq!(vote.date.to_string(), "2026-06-12");
    assert_eq!(vote.result, Some(Outcome::Approved));
    assert!(!vote.unanimous);
    assert!(vote
        .description
        .starts_with("Texto final, apresentado pela Comissão"));
    let counts: Vec<(&str, u32)> = vote
        .counts
        .iter()
        .map(|(group, tally)| {
            assert_eq!(
                *tally,
                Tally {
                    in_favour: tally.in_favour,
                    ..Tally::default()
                },
                "{group}: all in favour"
            );
            (group.as_str(), tally.in_favour)
        })
        .collect();
    assert_eq!(
        counts,
        [
            ("BE", 1),
            ("CDS-PP", 1),
            ("CH", 58),
            ("IL", 9),
            ("JPP", 1),
            ("L", 6),
            ("PAN", 1),
            ("PCP", 3),
            ("PS", 56),
            ("PSD", 77),
        ]
    );
    assert!(vote.positions.values().all(|p| *p == Position::For));
    assert_eq!(vote.positions.len(), 10);
    assert!(vote.members.is_empty());
}

#[test]
fn parlamento_app_committee_vote_is_unanimous_among_those_present() {
    let parsed = parse("parlamento-app_example_iniciativa.json");
    let vote = vote(&parsed, "171340");
    assert_eq!(vote.phase_kind, PhaseKind::Other);
    assert_eq!(
        vote.date.to_string(),
        "2026-04-08",
        "its own date, not the event's"
    );
    assert!(vote.unanimous);
    assert_eq!(
        vote.positions,
        positions(&[
            ("PSD", Position::For),
            ("CH", Position::For),
            ("PS", Position::For),
            ("IL", Position::For),
            ("L", Position::Absent),
            ("PCP", Position::Absent),
            ("CDS-PP", Position::Absent),
            ("BE", Position::Absent),
            ("PAN", Position::Absent),
            ("JPP", Position::Absent),
        ])
    );
    assert!(vote.counts.is_empty());
}

#[test]
fn parlamento_app_unanimous_vote_without_detail_has_no_positions() {
    let parsed = parse("parlamento-app_example_iniciativa.json");
    let vote = vote(&parsed, "172170");
    assert_eq!(vote.phase_kind, PhaseKind::Other);
    assert!(vote.unanimous);
    assert!(vote.positions.is_empty());
    assert_eq!(vote.venue, Venue::Plenary);
}

#[test]
fn ric2b_votes_have_the_sides_of_their_detail() {
    let parsed = parse("ric2b_minimal_example_approved_and_rejected.json");
    let rejected = vote(&parsed, "126496");
    assert_eq!(rejected.result, Some(Outcome::Rejected));
    assert_eq!(rejected.phase_kind, PhaseKind::Deliberation);
    assert_eq!(
        rejected.positions,
        positions(&[
            ("IL", Position::For),
            ("BE", Position::For),
            ("PCP", Position::For),
            ("L", Position::For),
            ("PAN", Position::For),
            ("PSD", Position::Against),
            ("PS", Position::Against),
            ("CDS-PP", Position::Against),
            ("CH", Position::Abstain),
        ])
    );
    assert!(rejected.is_contested());
    let approved = vote(&parsed, "126516");
    assert_eq!(approved.result, Some(Outcome::Approved));
    assert_eq!(approved.phase_kind, PhaseKind::General);
    assert_eq!(approved.positions["IL"], Position::Abstain);
    assert_eq!(
        parsed.proposals[1].authors,
        ["PS"],
        "not \"Grupos Parlamentares\""
    );
    assert!(parsed.actors.iter().all(|a| a.kind == ActorKind::Party));
    assert_eq!(parsed.actors.len(), 9);
}

#[test]
fn ric2b_multiple_keeps_one_proposal_per_initiative_in_file_order() {
    let parsed = parse("ric2b_multiple_approved_sorted.json");
    let ids: Vec<(&str, &str)> = parsed
        .proposals
        .iter()
        .map(|p| (p.id.as_str(), p.votes[0].id.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("300001", "200001"),
            ("300002", "200002"),
            ("300003", "200003")
        ]
    );
    assert_eq!(
        parsed.proposals[2].link.as_deref(),
        Some("http://app.parlamento.pt/webutils/docs/doc3.pdf")
    );
}

/// The two trimmed samples lack an IniId; given one, they read as intended.
fn with_an_id(name: &str) -> Parsed {
    let bytes = std::fs::read(sample(name)).unwrap();
    let mut value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    value[0]["IniId"] = "999".into();
    ar_json::parse(value.to_string().as_bytes(), name).unwrap()
}

#[test]
fn null_events_make_a_proposal_without_votes() {
    let parsed = with_an_id("ric2b_nil_ini_eventos.json");
    assert!(parsed.quarantine.is_empty());
    assert_eq!(parsed.proposals.len(), 1);
    assert!(parsed.proposals[0].votes.is_empty());
    assert_eq!(parsed.proposals[0].authors, ["PS"]);
}

#[test]
fn null_detail_makes_a_vote_without_positions() {
    let parsed = with_an_id("ric2b_nil_vote_detail.json");
    assert!(parsed.quarantine.is_empty());
    let vote = vote(&parsed, "171247");
    assert!(vote.positions.is_empty() && vote.counts.is_empty());
    assert_eq!(vote.result, Some(Outcome::Rejected));
    assert_eq!(vote.date.to_string(), "2026-03-26");
    assert_eq!(vote.venue, Venue::Plenary, "no tipoReuniao under an event");
}
