//! What changed between two datasets: the change log each ingest keeps.
//!
//! Data is never updated in place; instead every ingest that produces a
//! different dataset records what is new, what changed and what is gone,
//! so an operator (and the site's readers) can see how the record evolves.

use crate::ingest::dataset::Dataset;
use hemiciclo_core::{Outcome, Position, Proposal, Vote};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangeLog {
    /// Proposals that were not in the previous dataset.
    pub added: Vec<String>,
    /// Proposals that are no longer in any source.
    pub removed: Vec<String>,
    /// Proposals present in both whose votes differ.
    pub changed: Vec<ProposalChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalChange {
    pub proposal: String,
    pub votes_added: Vec<String>,
    pub votes_removed: Vec<String>,
    pub votes_changed: Vec<VoteChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoteChange {
    pub vote: String,
    /// (before, after) when the result changed.
    pub result: Option<(Option<Outcome>, Option<Outcome>)>,
    /// (actor, before, after) for every position that changed.
    pub positions: Vec<(String, Option<Position>, Option<Position>)>,
}

impl ChangeLog {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Compares `before` with `after`.
pub fn diff(before: &Dataset, after: &Dataset) -> ChangeLog {
    let index = |d: &Dataset| -> BTreeMap<String, Proposal> {
        d.proposals
            .iter()
            .map(|p| (p.id.clone(), p.clone()))
            .collect()
    };
    let (old, new) = (index(before), index(after));
    let mut log = ChangeLog::default();
    for (id, proposal) in &new {
        match old.get(id) {
            None => log.added.push(id.clone()),
            Some(previous) => {
                if let Some(change) = proposal_change(previous, proposal) {
                    log.changed.push(change);
                }
            }
        }
    }
    log.removed = old
        .keys()
        .filter(|id| !new.contains_key(*id))
        .cloned()
        .collect();
    log
}

fn proposal_change(before: &Proposal, after: &Proposal) -> Option<ProposalChange> {
    let votes = |p: &Proposal| -> BTreeMap<String, Vote> {
        p.votes.iter().map(|v| (v.id.clone(), v.clone())).collect()
    };
    let (old, new) = (votes(before), votes(after));
    let change = ProposalChange {
        proposal: after.id.clone(),
        votes_added: new
            .keys()
            .filter(|v| !old.contains_key(*v))
            .cloned()
            .collect(),
        votes_removed: old
            .keys()
            .filter(|v| !new.contains_key(*v))
            .cloned()
            .collect(),
        votes_changed: new
            .iter()
            .filter_map(|(id, vote)| old.get(id).and_then(|o| vote_change(o, vote)))
            .collect(),
    };
    let unchanged = change.votes_added.is_empty()
        && change.votes_removed.is_empty()
        && change.votes_changed.is_empty();
    (!unchanged).then_some(change)
}

fn vote_change(before: &Vote, after: &Vote) -> Option<VoteChange> {
    let actors: BTreeSet<&String> = before
        .positions
        .keys()
        .chain(after.positions.keys())
        .collect();
    let positions: Vec<_> = actors
        .into_iter()
        .filter_map(|actor| {
            let (a, b) = (
                before.positions.get(actor).copied(),
                after.positions.get(actor).copied(),
            );
            (a != b).then(|| (actor.clone(), a, b))
        })
        .collect();
    let result = (before.result != after.result).then_some((before.result, after.result));
    (result.is_some() || !positions.is_empty()).then(|| VoteChange {
        vote: after.id.clone(),
        result,
        positions,
    })
}

impl fmt::Display for ChangeLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return writeln!(f, "no changes");
        }
        writeln!(
            f,
            "{} new proposals, {} changed, {} removed",
            self.added.len(),
            self.changed.len(),
            self.removed.len()
        )?;
        for change in &self.changed {
            writeln!(f, "  proposal {}:", change.proposal)?;
            for vote in &change.votes_added {
                writeln!(f, "    new vote {vote}")?;
            }
            for vote in &change.votes_removed {
                writeln!(f, "    vote {vote} removed")?;
            }
            for vote in &change.votes_changed {
                if let Some((a, b)) = vote.result {
                    writeln!(
                        f,
                        "    vote {}: result {} -> {}",
                        vote.vote,
                        label(a),
                        label(b)
                    )?;
                }
                for (actor, a, b) in &vote.positions {
                    writeln!(
                        f,
                        "    vote {}: {actor} {} -> {}",
                        vote.vote,
                        position(*a),
                        position(*b)
                    )?;
                }
            }
        }
        Ok(())
    }
}

fn label(outcome: Option<Outcome>) -> &'static str {
    match outcome {
        Some(Outcome::Approved) => "approved",
        Some(Outcome::Rejected) => "rejected",
        None => "none",
    }
}

fn position(position: Option<Position>) -> &'static str {
    match position {
        Some(Position::For) => "for",
        Some(Position::Against) => "against",
        Some(Position::Abstain) => "abstain",
        Some(Position::Absent) => "absent",
        Some(Position::Split) => "split",
        None => "no position",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hemiciclo_core::{Date, PhaseKind};

    fn proposal(id: &str, result: Outcome, ps: Position) -> Proposal {
        Proposal {
            number: "1".into(),
            votes: vec![Vote {
                result: Some(result),
                positions: [("PS".to_owned(), ps)].into(),
                ..Vote::new(
                    format!("v{id}"),
                    "p",
                    PhaseKind::General,
                    Date::parse_iso("2023-01-01").unwrap(),
                )
            }],
            ..Proposal::new(id, "XV", "k", "t")
        }
    }

    #[test]
    fn reports_new_changed_and_removed() {
        let before = Dataset::new(
            [],
            vec![
                proposal("1", Outcome::Approved, Position::For),
                proposal("2", Outcome::Approved, Position::For),
            ],
        );
        let after = Dataset::new(
            [],
            vec![
                proposal("1", Outcome::Rejected, Position::Against),
                proposal("3", Outcome::Approved, Position::For),
            ],
        );
        let log = diff(&before, &after);
        assert_eq!(log.added, ["3"]);
        assert_eq!(log.removed, ["2"]);
        assert_eq!(log.changed.len(), 1);
        let vote = &log.changed[0].votes_changed[0];
        assert_eq!(
            vote.result,
            Some((Some(Outcome::Approved), Some(Outcome::Rejected)))
        );
        assert_eq!(
            vote.positions,
            [(
                "PS".to_owned(),
                Some(Position::For),
                Some(Position::Against)
            )]
        );
        let text = log.to_string();
        assert!(
            text.contains("vote v1: result approved -> rejected"),
            "{text}"
        );
        assert!(diff(&after, &after).is_empty());
    }
}
