//! Each party's voting record per legislature, and how often each pair of
//! parties voted alike: the numbers behind the party pages and the "who
//! votes with whom" heatmap.
//!
//! Pure counting over the dataset's plenary votes (every phase, not only
//! the quiz's decisive ones), kept apart from rendering so that it is
//! tested on its own. A party counts in a legislature when it took a
//! position (for, against, abstain) in at least one of its votes.

use crate::ingest::dataset::Dataset;
use hemiciclo_core::{Outcome, Position, Proposal, Venue};
use std::collections::BTreeMap;

/// One party's votes in one legislature.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Record {
    pub for_: u32,
    pub against: u32,
    pub abstain: u32,
    /// Votes it missed (recorded absent, or not recorded while others voted).
    pub absent: u32,
    /// Votes where its members split evenly.
    pub split: u32,
    /// Votes with a known result where it took a position.
    pub decided: u32,
    /// Of those, the votes where it voted as the result went: for what was
    /// approved, against what was rejected.
    pub with_result: u32,
}

impl Record {
    /// Votes where it took a position.
    pub fn took_part(&self) -> u32 {
        self.for_ + self.against + self.abstain
    }
}

/// How often two parties took the same position, on the votes where both
/// took one.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Agreement {
    pub same: u32,
    pub both: u32,
}

impl Agreement {
    /// The share of the votes both took part in where they agreed.
    pub fn share(&self) -> Option<f64> {
        (self.both > 0).then(|| f64::from(self.same) / f64::from(self.both))
    }
}

/// What one legislature's plenary votes say of its parties.
#[derive(Debug, Clone, PartialEq)]
pub struct LegislatureRecords {
    pub name: String,
    /// Plenary votes counted.
    pub votes: u32,
    /// Per actor id (those that took part at least once), its record.
    pub records: BTreeMap<String, Record>,
    /// Per pair of actor ids (`a < b`), how often they agreed.
    pub pairs: BTreeMap<(String, String), Agreement>,
    /// Per actor id, the proposals of this legislature it authored.
    pub authored: BTreeMap<String, Vec<String>>,
}

impl LegislatureRecords {
    /// How often `a` and `b` agreed, in either order.
    pub fn agreement(&self, a: &str, b: &str) -> Agreement {
        let key = if a < b { (a, b) } else { (b, a) };
        self.pairs
            .get(&(key.0.to_owned(), key.1.to_owned()))
            .copied()
            .unwrap_or_default()
    }
}

/// Every legislature's records, in the dataset's legislature order.
pub fn records(dataset: &Dataset) -> Vec<LegislatureRecords> {
    dataset
        .by_legislature()
        .into_iter()
        .map(|(name, proposals)| legislature(name, &proposals))
        .collect()
}

fn legislature(name: &str, proposals: &[&Proposal]) -> LegislatureRecords {
    let plenary = || {
        proposals
            .iter()
            .flat_map(|p| &p.votes)
            .filter(|v| v.venue == Venue::Plenary)
    };
    // Who took part at all: an actor never seen voting is not of this legislature.
    let mut records: BTreeMap<String, Record> = BTreeMap::new();
    for vote in plenary() {
        for (actor, position) in &vote.positions {
            if matches!(
                position,
                Position::For | Position::Against | Position::Abstain
            ) {
                records.entry(actor.clone()).or_default();
            }
        }
    }
    let mut pairs: BTreeMap<(String, String), Agreement> = BTreeMap::new();
    let mut votes = 0;
    for vote in plenary() {
        votes += 1;
        for (actor, record) in &mut records {
            let position = vote.positions.get(actor).unwrap_or(&Position::Absent);
            match position {
                Position::For => record.for_ += 1,
                Position::Against => record.against += 1,
                Position::Abstain => record.abstain += 1,
                Position::Absent => record.absent += 1,
                Position::Split => record.split += 1,
            }
            let took = matches!(
                position,
                Position::For | Position::Against | Position::Abstain
            );
            if let (Some(result), true) = (vote.result, took) {
                record.decided += 1;
                let with = matches!(
                    (result, position),
                    (Outcome::Approved, Position::For) | (Outcome::Rejected, Position::Against)
                );
                record.with_result += u32::from(with);
            }
        }
        let taken: Vec<(&String, &Position)> = vote
            .positions
            .iter()
            .filter(|(_, p)| matches!(p, Position::For | Position::Against | Position::Abstain))
            .collect();
        for (i, (a, pa)) in taken.iter().enumerate() {
            for (b, pb) in &taken[i + 1..] {
                let entry = pairs.entry(((*a).clone(), (*b).clone())).or_default();
                entry.both += 1;
                entry.same += u32::from(pa == pb);
            }
        }
    }
    let mut authored: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for proposal in proposals {
        for author in &proposal.authors {
            if records.contains_key(author) {
                authored
                    .entry(author.clone())
                    .or_default()
                    .push(proposal.id.clone());
            }
        }
    }
    LegislatureRecords {
        name: name.to_owned(),
        votes,
        records,
        pairs,
        authored,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hemiciclo_core::{Actor, ActorKind, Date, PhaseKind, Vote};

    fn vote(result: Option<Outcome>, positions: &[(&str, Position)]) -> Vote {
        let mut vote = Vote::new(
            "v",
            "final",
            PhaseKind::FinalGlobal,
            Date::parse_iso("2024-01-02").unwrap(),
        );
        vote.result = result;
        vote.positions = positions
            .iter()
            .map(|(a, p)| ((*a).to_owned(), *p))
            .collect();
        vote
    }

    fn dataset(votes: Vec<Vote>, authors: &[&str]) -> Dataset {
        let actors = ["A", "B", "C"].map(|id| Actor {
            id: id.into(),
            name: id.into(),
            kind: ActorKind::Party,
        });
        let proposal = Proposal {
            votes,
            authors: authors.iter().map(|a| (*a).to_owned()).collect(),
            ..Proposal::new("1", "XV", "Projeto de Lei", "t")
        };
        Dataset::new(actors, vec![proposal])
    }

    #[test]
    fn positions_results_and_pairs_are_counted_per_party() {
        use Position::*;
        let data = dataset(
            vec![
                vote(
                    Some(Outcome::Approved),
                    &[("A", For), ("B", Against), ("C", For)],
                ),
                vote(
                    Some(Outcome::Rejected),
                    &[("A", Against), ("B", Against), ("C", Abstain)],
                ),
                vote(None, &[("A", For), ("B", Split)]),
            ],
            &["A", "Governo"],
        );
        let [xv] = records(&data).try_into().unwrap();
        assert_eq!(xv.votes, 3);
        let a = &xv.records["A"];
        assert_eq!((a.for_, a.against, a.abstain, a.absent), (2, 1, 0, 0));
        assert_eq!((a.decided, a.with_result), (2, 2));
        let b = &xv.records["B"];
        assert_eq!((b.against, b.split, b.decided, b.with_result), (2, 1, 2, 1));
        let c = &xv.records["C"];
        assert_eq!((c.absent, c.took_part()), (1, 2), "unrecorded is absent");
        assert_eq!(xv.agreement("B", "A"), Agreement { same: 1, both: 2 });
        assert_eq!(xv.agreement("A", "C"), Agreement { same: 1, both: 2 });
        assert_eq!(xv.agreement("A", "C").share(), Some(0.5));
        assert_eq!(xv.authored["A"], ["1"]);
        assert!(
            !xv.authored.contains_key("Governo"),
            "only parties that voted"
        );
    }

    #[test]
    fn committee_votes_and_parties_that_never_voted_are_left_out() {
        use Position::*;
        let mut committee = vote(Some(Outcome::Approved), &[("A", For), ("B", For)]);
        committee.venue = Venue::Committee(None);
        let data = dataset(
            vec![committee, vote(None, &[("A", For), ("C", Absent)])],
            &[],
        );
        let [xv] = records(&data).try_into().unwrap();
        assert_eq!(xv.votes, 1);
        assert_eq!(xv.records.keys().collect::<Vec<_>>(), ["A"]);
        assert_eq!(xv.agreement("A", "B").share(), None);
    }
}
