//! The AR votes CSVs shipped as the default dataset, parsed for real.

use hemiciclo::ingest::merge::{merge, Ranked};
use hemiciclo::ingest::sources::ar_csv;
use hemiciclo_core::{ActorKind, Outcome, PhaseKind, Position};
use std::path::PathBuf;

fn data_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../data/ar-votes")
        .join(name)
}

fn parse(name: &str) -> hemiciclo::ingest::sources::Parsed {
    ar_csv::read(&data_file(name)).unwrap_or_else(|e| panic!("{name}: {}", e.chain_text()))
}

#[test]
fn every_initiative_of_each_legislature_becomes_one_proposal() {
    for (file, initiatives, votes) in [
        ("l14.csv", 1984, 4181),
        ("l15.csv", 1544, 2272),
        ("l17.csv", 371, 483),
    ] {
        let parsed = parse(file);
        assert!(
            parsed.quarantine.is_empty(),
            "{file}: {} rows set aside, the first: {}",
            parsed.quarantine.len(),
            parsed.quarantine[0]
        );
        assert_eq!(parsed.proposals.len(), initiatives, "{file}");
        let vote_count: usize = parsed.proposals.iter().map(|p| p.votes.len()).sum();
        assert_eq!(vote_count, votes, "{file}: every row is a vote");
    }
}

#[test]
fn initiative_44059_general_vote_was_rejected_with_the_right_sides() {
    let parsed = parse("l14.csv");
    let proposal = parsed.proposals.iter().find(|p| p.id == "44059").unwrap();
    let vote = proposal
        .votes
        .iter()
        .find(|v| v.phase_kind == PhaseKind::General && v.date.to_string() == "2019-11-15")
        .expect("a vote on the general principle on 2019-11-15");
    assert_eq!(vote.result, Some(Outcome::Rejected));
    let with = |position: Position| -> Vec<&str> {
        vote.positions
            .iter()
            .filter(|(_, p)| **p == position)
            .map(|(actor, _)| actor.as_str())
            .collect()
    };
    assert_eq!(
        with(Position::Against),
        ["CDS-PP", "IL", "PAN", "PS", "PSD"]
    );
    assert_eq!(with(Position::For), ["BE", "CH", "L", "PCP", "PEV"]);
    assert!(with(Position::Abstain).is_empty());
    assert_eq!(
        proposal.decisive_vote().map(|v| v.id.as_str()),
        Some(vote.id.as_str())
    );
    assert!(proposal.is_quiz_eligible());
}

#[test]
fn legislature_specific_parties_and_non_attached_members_are_actors() {
    let l14 = parse("l14.csv");
    let l17 = parse("l17.csv");
    let ids = |p: &hemiciclo::ingest::sources::Parsed| -> Vec<String> {
        p.actors.iter().map(|a| a.id.clone()).collect()
    };
    assert!(ids(&l14).contains(&"PEV".to_owned()));
    assert!(!ids(&l17).contains(&"PEV".to_owned()));
    assert!(ids(&l17).contains(&"JPP".to_owned()));
    let members: Vec<&str> = l14
        .actors
        .iter()
        .filter(|a| a.kind == ActorKind::NonAttached)
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(members, ["Cristina Rodrigues", "Joacine Katar Moreira"]);
    // A non-attached member's vote is read from their own column.
    let voted = l14
        .proposals
        .iter()
        .flat_map(|p| &p.votes)
        .any(|v| v.positions.contains_key("Joacine Katar Moreira (Ninsc)"));
    assert!(voted);
}

#[test]
fn quirks_of_the_files_are_handled() {
    let l14 = parse("l14.csv");
    // iniEventos holds only whitespace and newlines in l14: it must not leak
    // into any field we keep, and titles spanning lines stay whole.
    assert!(l14.proposals.iter().all(|p| !p.title.is_empty()));
    // The 23 rows of l15 where every party cell is empty are votes with no
    // positions, and such a vote never becomes a quiz card.
    let l15 = parse("l15.csv");
    let empty: Vec<_> = l15
        .proposals
        .iter()
        .flat_map(|p| p.votes.iter().map(move |v| (p, v)))
        .filter(|(_, v)| v.positions.is_empty())
        .collect();
    assert_eq!(empty.len(), 23);
    let (proposal, _) = empty.iter().find(|(p, _)| p.id == "121390").unwrap();
    assert!(proposal.decisive_vote().unwrap().positions.is_empty());
    assert!(!proposal.is_quiz_eligible());
    // Votes of an initiative are in chronological order.
    for p in &l14.proposals {
        assert!(
            p.votes.windows(2).all(|w| w[0].date <= w[1].date),
            "{}",
            p.id
        );
    }
}

#[test]
fn the_default_dataset_joins_three_legislatures() {
    let sources = ["l14.csv", "l15.csv", "l17.csv"].into_iter().enumerate();
    let ranked = sources
        .map(|(rank, name)| Ranked {
            rank,
            name: name.into(),
            parsed: parse(name),
        })
        .collect();
    let (dataset, conflicts) = merge(ranked);
    assert!(
        conflicts.is_empty(),
        "the three legislatures do not overlap"
    );
    assert_eq!(dataset.proposals.len(), 1984 + 1544 + 371);
    let legislatures: Vec<&str> = dataset.by_legislature().iter().map(|(l, _)| *l).collect();
    assert_eq!(legislatures, ["XIV", "XV", "XVII"]);
    let eligible = dataset
        .proposals
        .iter()
        .filter(|p| p.is_quiz_eligible())
        .count();
    // 2871 at the time of writing: about 640 initiatives whose decisive
    // vote was only on a part of the text (an amendment, a point) are not
    // asked, nor are those on which every party agreed.
    assert!((2800..3899).contains(&eligible), "{eligible} quiz cards");
    // Parties come before non-attached members in every listing.
    let first_member = dataset
        .actors
        .iter()
        .position(|a| a.kind == ActorKind::NonAttached)
        .unwrap();
    assert!(dataset.actors[first_member..]
        .iter()
        .all(|a| a.kind == ActorKind::NonAttached));
}
