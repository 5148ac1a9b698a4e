//! The normalised dataset a site is built from: every actor and proposal.

use hemiciclo_core::{Actor, Date, Proposal};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// Parties first, then non-attached members, each alphabetically.
    pub actors: Vec<Actor>,
    /// Ordered by initiative id.
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
        proposals.sort_by(|a, b| (a.id.len(), &a.id).cmp(&(b.id.len(), &b.id)));
        Dataset { actors, proposals }
    }

    /// Legislatures in chronological order, with the proposals of each
    /// newest first.
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
            proposals.sort_by(|a, b| b.date().cmp(&a.date()).then_with(|| b.id.cmp(&a.id)));
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
