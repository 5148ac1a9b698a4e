//! A group's position in a vote, from its members' votes: the common line
//! (what most of its voting members did; an even split is
//! [`Position::Split`]), the tally behind it, and the members who broke
//! with it. Only those are named, not every member, so that a proposal's
//! page stays small.

use super::votes::EventVotes;
use hemiciclo_core::{MemberVote, Position, Tally};
use std::collections::BTreeMap;

/// Every actor's position, tally and breakaway members in one vote.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Lines {
    pub(super) positions: BTreeMap<String, Position>,
    pub(super) counts: BTreeMap<String, Tally>,
    /// Members who took a side other than their group's line, by group
    /// then name. Nobody breaks with a split group: it has no line.
    pub(super) members: Vec<MemberVote>,
}

pub(super) fn lines(votes: &EventVotes) -> Lines {
    let mut lines = Lines::default();
    for (actor, side) in votes {
        let Some(line) = side.tally.common_line() else {
            continue;
        };
        lines.positions.insert(actor.clone(), line);
        lines.counts.insert(actor.clone(), side.tally);
        if line.is_cast() {
            let mut broke: Vec<MemberVote> = side
                .members
                .iter()
                .filter(|(_, position)| position.is_cast() && *position != line)
                .map(|(name, position)| MemberVote {
                    name: name.clone(),
                    actor: actor.clone(),
                    position: *position,
                })
                .collect();
            broke.sort_by(|a, b| a.name.cmp(&b.name));
            lines.members.extend(broke);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::super::votes::Side;
    use super::*;

    fn side(members: &[(&str, Position)]) -> Side {
        let mut side = Side::default();
        for (name, position) in members {
            side.tally.add(*position, 1);
            side.members.push(((*name).to_owned(), *position));
        }
        side
    }

    #[test]
    fn a_group_takes_the_side_most_of_its_voting_members_took() {
        use Position::*;
        let votes = EventVotes::from([
            (
                "ODS".to_owned(),
                side(&[
                    ("Eva", For),
                    ("Jan", For),
                    ("Petr", Against),
                    ("Ivan", Absent),
                    ("Ota", Absent),
                    ("Zdena", Absent),
                ]),
            ),
            (
                "KSČM".to_owned(),
                side(&[("Marta", Absent), ("Karel", Absent)]),
            ),
            (
                "Piráti".to_owned(),
                side(&[("Adam", Abstain), ("Jakub", Abstain), ("Ondřej", For)]),
            ),
        ]);
        let lines = lines(&votes);
        assert_eq!(lines.positions["ODS"], For, "absent members do not count");
        assert_eq!(lines.positions["KSČM"], Absent);
        assert_eq!(lines.positions["Piráti"], Abstain);
        assert_eq!(
            lines.counts["ODS"],
            Tally {
                in_favour: 2,
                against: 1,
                abstain: 0,
                absent: 3
            }
        );
        let broke: Vec<(&str, &str, Position)> = lines
            .members
            .iter()
            .map(|m| (m.name.as_str(), m.actor.as_str(), m.position))
            .collect();
        assert_eq!(
            broke,
            [("Petr", "ODS", Against), ("Ondřej", "Piráti", For)],
            "only members who broke with their line, absent ones not"
        );
    }

    #[test]
    fn an_even_split_is_split_and_names_no_one() {
        use Position::*;
        let votes = EventVotes::from([(
            "TOP 09".to_owned(),
            side(&[
                ("A", For),
                ("B", Against),
                ("C", Abstain),
                ("D", For),
                ("E", Against),
            ]),
        )]);
        let lines = lines(&votes);
        assert_eq!(lines.positions["TOP 09"], Split);
        assert_eq!(lines.counts["TOP 09"].in_favour, 2);
        assert!(lines.members.is_empty(), "{:?}", lines.members);
    }
}
