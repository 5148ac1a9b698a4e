//! Joining the sources into one dataset.
//!
//! The same initiative may come from several sources (the AR's official
//! JSON and a CSV export of it, say). The rule, applied field by field:
//! sources rank by authority — the official JSON first, then the others in
//! the order `site.toml` lists them — and the highest-ranked source that
//! has a value wins. Votes are matched by their id: a vote only one source
//! has is kept; a vote several have is taken from the highest-ranked one,
//! and every difference in its result or positions is reported as a
//! conflict, so an operator can see where the sources disagree.

use crate::ingest::dataset::Dataset;
use crate::ingest::sources::Parsed;
use hemiciclo_core::{compare_ids, Proposal, Vote};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One source's records, with its rank (lower wins).
#[derive(Debug)]
pub struct Ranked {
    pub rank: usize,
    /// How the source is named in conflicts (its location).
    pub name: String,
    pub parsed: Parsed,
}

/// Where two sources disagree, and what was kept.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Conflict {
    pub proposal: String,
    pub vote: Option<String>,
    pub field: String,
    /// `source: value` of the value kept.
    pub kept: String,
    /// `source: value` of the value set aside.
    pub other: String,
}

/// Merges the sources into one dataset and the list of conflicts.
pub fn merge(mut sources: Vec<Ranked>) -> (Dataset, Vec<Conflict>) {
    sources.sort_by_key(|s| s.rank);
    let mut actors = Vec::new();
    let mut proposals: BTreeMap<String, Merging> = BTreeMap::new();
    let mut conflicts = Vec::new();
    for source in sources {
        actors.extend(source.parsed.actors);
        for proposal in source.parsed.proposals {
            match proposals.get_mut(&proposal.id) {
                None => {
                    let votes = proposal
                        .votes
                        .iter()
                        .map(|v| (v.id.clone(), source.name.clone()))
                        .collect();
                    let merging = Merging {
                        source: source.name.clone(),
                        votes,
                        proposal,
                    };
                    proposals.insert(merging.proposal.id.clone(), merging);
                }
                Some(kept) => join(kept, proposal, &source.name, &mut conflicts),
            }
        }
    }
    // By proposal and vote in natural order ("2" before "10"), then as a whole.
    conflicts.sort_by(|a, b| {
        compare_ids(&a.proposal, &b.proposal)
            .then_with(|| {
                compare_ids(
                    a.vote.as_deref().unwrap_or_default(),
                    b.vote.as_deref().unwrap_or_default(),
                )
            })
            .then_with(|| a.cmp(b))
    });
    let proposals = proposals.into_values().map(|m| m.proposal).collect();
    (Dataset::new(actors, proposals), conflicts)
}

/// A proposal being merged, with where its fields and each vote came from.
#[derive(Debug)]
struct Merging {
    proposal: Proposal,
    /// The source of the proposal's own fields: the highest-ranked one that had it.
    source: String,
    /// Vote id -> the source the kept record of that vote came from.
    votes: BTreeMap<String, String>,
}

/// Adds what `other` (from a lower-ranked source) knows to `kept`.
fn join(kept: &mut Merging, other: Proposal, source: &str, conflicts: &mut Vec<Conflict>) {
    let id = other.id.clone();
    let mut conflict =
        |vote: Option<&str>, field: &str, value: String, from: &str, theirs: String| {
            conflicts.push(Conflict {
                proposal: id.clone(),
                vote: vote.map(str::to_owned),
                field: field.to_owned(),
                kept: format!("{from}: {value}"),
                other: format!("{source}: {theirs}"),
            });
        };
    let from = kept.source.clone();
    let fields = &mut kept.proposal;
    fill(&mut fields.title, &other.title, |a, b| {
        conflict(None, "title", a, &from, b)
    });
    fill(&mut fields.kind, &other.kind, |a, b| {
        conflict(None, "kind", a, &from, b)
    });
    fill(&mut fields.number, &other.number, |_, _| {});
    fill(&mut fields.legislature, &other.legislature, |a, b| {
        conflict(None, "legislature", a, &from, b)
    });
    if fields.authors.is_empty() {
        fields.authors = other.authors.clone();
    }
    if fields.committee.is_none() {
        fields.committee = other.committee.clone();
    }
    if fields.link.is_none() {
        fields.link = other.link.clone();
    }
    if fields.topics.is_empty() {
        fields.topics = other.topics.clone();
    }
    for vote in other.votes {
        match fields.votes.iter_mut().find(|v| v.id == vote.id) {
            None => {
                kept.votes.insert(vote.id.clone(), source.to_owned());
                fields.votes.push(vote);
            }
            Some(existing) => {
                let vote_from = kept.votes.get(&vote.id).cloned().unwrap_or_default();
                for (field, a, b) in vote_differences(existing, &vote) {
                    conflict(Some(&vote.id), &field, a, &vote_from, b);
                }
                // Field by field: what the kept record lacks, the other fills.
                for (actor, position) in vote.positions {
                    existing.positions.entry(actor).or_insert(position);
                }
                for (actor, tally) in vote.counts {
                    existing.counts.entry(actor).or_insert(tally);
                }
                if existing.members.is_empty() {
                    existing.members = vote.members;
                }
                if existing.result.is_none() {
                    existing.result = vote.result;
                }
                if existing.totals.is_none() {
                    existing.totals = vote.totals;
                }
                if existing.description.is_empty() {
                    existing.description = vote.description;
                }
            }
        }
    }
    fields.sort_votes();
}

/// Sets an empty `kept` from `other`; reports when both have different values.
fn fill(kept: &mut String, other: &str, mut report: impl FnMut(String, String)) {
    if kept.is_empty() {
        *kept = other.to_owned();
    } else if !other.is_empty() && kept.trim() != other.trim() {
        report(kept.clone(), other.to_owned());
    }
}

/// (field, kept value, other value) for every difference between two
/// records of the same vote.
fn vote_differences(kept: &Vote, other: &Vote) -> Vec<(String, String, String)> {
    let mut differences = Vec::new();
    if kept.result.is_some() && other.result.is_some() && kept.result != other.result {
        differences.push((
            "result".into(),
            format!("{:?}", kept.result),
            format!("{:?}", other.result),
        ));
    }
    if let (Some(a), Some(b)) = (kept.totals, other.totals) {
        if a != b {
            differences.push(("totals".into(), format!("{a:?}"), format!("{b:?}")));
        }
    }
    if kept.date != other.date {
        differences.push(("date".into(), kept.date.to_string(), other.date.to_string()));
    }
    let actors: std::collections::BTreeSet<&String> = kept
        .positions
        .keys()
        .chain(other.positions.keys())
        .collect();
    for actor in actors {
        let (a, b) = (kept.positions.get(actor), other.positions.get(actor));
        // A source that does not record an actor at all does not contradict one that does.
        if let (Some(a), Some(b)) = (a, b) {
            if a != b {
                differences.push((
                    format!("position of {actor}"),
                    format!("{a:?}"),
                    format!("{b:?}"),
                ));
            }
        }
    }
    differences
}

#[cfg(test)]
mod tests {
    use super::*;
    use hemiciclo_core::{Date, Outcome, PhaseKind, Position};

    fn vote(id: &str, result: Outcome, ps: Position) -> Vote {
        Vote {
            result: Some(result),
            positions: [("PS".to_owned(), ps)].into(),
            ..Vote::new(
                id,
                "Votação na generalidade",
                PhaseKind::General,
                Date::parse_iso("2024-05-02").unwrap(),
            )
        }
    }

    fn proposal(title: &str, link: Option<&str>, votes: Vec<Vote>) -> Proposal {
        Proposal {
            number: "1".into(),
            authors: vec!["PS".into()],
            link: link.map(str::to_owned),
            votes,
            ..Proposal::new("100", "XVI", "Projeto de Lei", title)
        }
    }

    fn source(rank: usize, name: &str, proposal: Proposal) -> Ranked {
        Ranked {
            rank,
            name: name.into(),
            parsed: Parsed {
                proposals: vec![proposal],
                ..Parsed::default()
            },
        }
    }

    #[test]
    fn one_initiative_from_two_sources_becomes_one_record() {
        let official = proposal(
            "Título",
            None,
            vec![vote("1", Outcome::Approved, Position::For)],
        );
        let csv = proposal(
            "Título",
            Some("https://example.org"),
            vec![
                vote("1", Outcome::Approved, Position::For),
                vote("2", Outcome::Rejected, Position::Against),
            ],
        );
        let (dataset, conflicts) = merge(vec![
            source(1, "votes.csv", csv),
            source(0, "ar.json", official),
        ]);
        assert_eq!(dataset.proposals.len(), 1);
        let p = &dataset.proposals[0];
        assert_eq!(p.votes.len(), 2, "votes of both sources, once each");
        assert_eq!(
            p.link.as_deref(),
            Some("https://example.org"),
            "gaps are filled"
        );
        assert!(conflicts.is_empty(), "{conflicts:?}");
    }

    #[test]
    fn a_vote_in_both_sources_takes_what_only_the_lower_one_records() {
        let mut official = proposal(
            "Título",
            None,
            vec![vote("1", Outcome::Approved, Position::For)],
        );
        official.votes[0].result = None;
        let mut csv = proposal(
            "Outro título",
            None,
            vec![vote("1", Outcome::Approved, Position::For)],
        );
        csv.votes[0]
            .positions
            .insert("BE".into(), Position::Against);
        let (dataset, conflicts) = merge(vec![
            source(
                0,
                "ar.json",
                Proposal {
                    votes: vec![],
                    ..official.clone()
                },
            ),
            source(1, "b.csv", official),
            source(2, "votes.csv", csv),
        ]);
        let vote = &dataset.proposals[0].votes[0];
        assert_eq!(vote.positions.get("BE"), Some(&Position::Against));
        assert_eq!(
            vote.result,
            Some(Outcome::Approved),
            "a missing result is filled"
        );
        let title = conflicts.iter().find(|c| c.field == "title").unwrap();
        assert_eq!(
            title.kept, "ar.json: Título",
            "the proposal's own source is named"
        );
    }

    #[test]
    fn totals_fill_in_and_a_difference_is_a_conflict() {
        let tally = |in_favour| hemiciclo_core::Tally {
            in_favour,
            ..Default::default()
        };
        let bare = proposal("T", None, vec![vote("1", Outcome::Approved, Position::For)]);
        let mut counted = bare.clone();
        counted.votes[0].totals = Some(tally(320));
        let (dataset, conflicts) = merge(vec![
            source(0, "a.csv", bare),
            source(1, "b.csv", counted.clone()),
        ]);
        assert_eq!(dataset.proposals[0].votes[0].totals, Some(tally(320)));
        assert!(conflicts.is_empty(), "{conflicts:?}");
        let mut other = counted.clone();
        other.votes[0].totals = Some(tally(321));
        let (dataset, conflicts) =
            merge(vec![source(0, "a.csv", counted), source(1, "b.csv", other)]);
        assert_eq!(dataset.proposals[0].votes[0].totals, Some(tally(320)));
        let fields: Vec<&str> = conflicts.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["totals"]);
    }

    #[test]
    fn conflicts_are_listed_by_proposal_in_natural_order() {
        let numbered = |id: &str, title: &str| Proposal {
            id: id.into(),
            ..proposal(title, None, vec![])
        };
        let (_, conflicts) = merge(vec![
            Ranked {
                rank: 0,
                name: "a".into(),
                parsed: Parsed {
                    proposals: vec![numbered("10", "x"), numbered("9", "x")],
                    ..Parsed::default()
                },
            },
            Ranked {
                rank: 1,
                name: "b".into(),
                parsed: Parsed {
                    proposals: vec![numbered("10", "y"), numbered("9", "y")],
                    ..Parsed::default()
                },
            },
        ]);
        let ids: Vec<&str> = conflicts.iter().map(|c| c.proposal.as_str()).collect();
        assert_eq!(ids, ["9", "10"]);
    }

    #[test]
    fn disagreements_keep_the_official_value_and_are_reported() {
        let official = proposal(
            "Título oficial",
            None,
            vec![vote("1", Outcome::Approved, Position::For)],
        );
        let csv = proposal(
            "Título antigo",
            None,
            vec![vote("1", Outcome::Rejected, Position::Against)],
        );
        let (dataset, conflicts) = merge(vec![
            source(0, "ar.json", official),
            source(1, "votes.csv", csv),
        ]);
        let p = &dataset.proposals[0];
        assert_eq!(p.title, "Título oficial");
        assert_eq!(p.votes[0].result, Some(Outcome::Approved));
        let fields: Vec<&str> = conflicts.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["title", "position of PS", "result"]);
        assert!(conflicts
            .iter()
            .all(|c| c.kept.starts_with("ar.json: ") && c.other.starts_with("votes.csv: ")));
    }
}
