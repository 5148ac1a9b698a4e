//! The normalised dataset a site is built from: every actor and proposal.

use hemiciclo_core::{compare_ids, Actor, Date, Proposal};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// Parties first, then non-attached members, each alphabetically.
    pub actors: Vec<Actor>,
    /// Ordered by initiative id, in natural order ("2" before "10").
    pub proposals: Vec<Proposal>,
}

impl Dataset {
    /// Puts actors and proposals in their canonical order, so that the same
    /// content always serialises to the same bytes. An actor id that comes
    /// more than once (two sources naming or classing it differently) is
    /// kept once: its first occurrence in that order.
    pub fn new(actors: impl IntoIterator<Item = Actor>, proposals: Vec<Proposal>) -> Dataset {
        let mut actors: Vec<Actor> = actors.into_iter().collect();
        actors.sort_by(|a, b| (a.kind, &a.name, &a.id).cmp(&(b.kind, &b.name, &b.id)));
        let mut seen = BTreeSet::new();
        actors.retain(|actor| seen.insert(actor.id.clone()));
        let mut proposals = proposals;
        proposals.sort_by(|a, b| compare_ids(&a.id, &b.id));
        Dataset { actors, proposals }
    }

    /// Legislatures in chronological order, with the proposals of each
    /// newest first (on one day, the highest id first).
    pub fn by_legislature(&self) -> Vec<(&str, Vec<&Proposal>)> {
        let mut groups: BTreeMap<&str, Vec<&Proposal>> = BTreeMap::new();
        for proposal in &self.proposals {
            groups
                .entry(&proposal.legislature)
                .or_default()
                .push(proposal);
        }
        let mut groups: Vec<(&str, Vec<&Proposal>)> = groups.into_iter().collect();
        for (_, proposals) in &mut groups {
            proposals.sort_by(|a, b| {
                b.date()
                    .cmp(&a.date())
                    .then_with(|| compare_ids(&b.id, &a.id))
            });
        }
        let first_date = |proposals: &Vec<&Proposal>| -> Option<Date> {
            proposals.iter().filter_map(|p| p.date()).min()
        };
        groups.sort_by_key(|(name, proposals)| (first_date(proposals), name.to_string()));
        groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hemiciclo_core::ActorKind;

    fn actor(id: &str, name: &str, kind: ActorKind) -> Actor {
        Actor {
            id: id.into(),
            name: name.into(),
            kind,
        }
    }

    #[test]
    fn proposals_sort_by_id_in_natural_order_everywhere() {
        use hemiciclo_core::{PhaseKind, Vote};
        let dated = |id: &str, day: &str| Proposal {
            votes: vec![Vote::new(
                "1",
                "final",
                PhaseKind::FinalGlobal,
                Date::parse_iso(day).unwrap(),
            )],
            ..Proposal::new(id, "XV", "Projeto de Lei", "t")
        };
        let dataset = Dataset::new(
            vec![],
            vec![
                dated("PL/10/XV", "2024-01-02"),
                dated("10", "2024-01-02"),
                dated("PL/9/XV", "2024-01-02"),
                dated("2", "2024-01-02"),
                dated("1", "2024-01-01"),
            ],
        );
        let ids: Vec<&str> = dataset.proposals.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["1", "2", "10", "PL/9/XV", "PL/10/XV"]);
        let [(_, listed)] = dataset.by_legislature().try_into().unwrap();
        let ids: Vec<&str> = listed.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(
            ids,
            ["PL/10/XV", "PL/9/XV", "10", "2", "1"],
            "newest first, then the highest id"
        );
    }

    #[test]
    fn an_actor_id_is_kept_once_whatever_the_input_order() {
        let actors = vec![
            actor("Ana (Ninsc)", "Ana", ActorKind::NonAttached),
            actor("PS", "PS", ActorKind::Party),
            actor("Ana (Ninsc)", "Ana (Ninsc)", ActorKind::Party),
            actor("BE", "Bloco", ActorKind::Party),
            actor("PS", "Partido Socialista", ActorKind::Party),
            actor("BE", "BE", ActorKind::Party),
        ];
        let expected = vec![
            actor("Ana (Ninsc)", "Ana (Ninsc)", ActorKind::Party),
            actor("BE", "BE", ActorKind::Party),
            actor("PS", "PS", ActorKind::Party),
        ];
        assert_eq!(Dataset::new(actors.clone(), vec![]).actors, expected);
        let mut reversed = actors;
        reversed.reverse();
        assert_eq!(Dataset::new(reversed, vec![]).actors, expected);
    }
}
