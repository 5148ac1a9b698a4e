//! The normalised dataset a site is built from: every actor and proposal.

use crate::sources::Parsed;
use hemiciclo_core::{Actor, Date, Proposal};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Default)]
pub struct Dataset {
    /// Parties first, then non-attached members, each alphabetically.
    pub actors: Vec<Actor>,
    /// Ordered by initiative id.
    pub proposals: Vec<Proposal>,
}

impl Dataset {
    /// Joins what several sources hold; an initiative present in more than
    /// one keeps the fields of the first and the votes of all.
    pub fn merge(parts: Vec<Parsed>) -> Dataset {
        let mut actors = BTreeSet::new();
        let mut proposals: BTreeMap<(usize, String), Proposal> = BTreeMap::new();
        for part in parts {
            actors.extend(part.actors);
            for proposal in part.proposals {
                let key = (proposal.id.len(), proposal.id.clone());
                match proposals.get_mut(&key) {
                    Some(existing) => {
                        existing.votes.extend(proposal.votes);
                        existing.sort_votes();
                    }
                    None => {
                        proposals.insert(key, proposal);
                    }
                }
            }
        }
        let mut actors: Vec<Actor> = actors.into_iter().collect();
        actors.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
        actors.dedup_by(|a, b| a.id == b.id);
        Dataset {
            actors,
            proposals: proposals.into_values().collect(),
        }
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
