//! votes.csv: each member's vote filed under its vote event and the group
//! the member voted in. The group comes from the vote row when it names
//! one (members change groups during a term), else from the voter's own
//! row.
//!
//! A row that cannot be used is quarantined. Problems that repeat on every
//! row of one thing (an unknown vote event, voter, group or option word)
//! are one entry naming the first line and how many rows share it, so a
//! missing voter does not bury the status page under a thousand lines.

use super::file::CsvFile;
use super::records::{Event, Voter};
use super::rules::Rules;
use super::{PopoloConfig, Quarantines};
use crate::error::Result;
use hemiciclo_core::{Actor, ActorKind, Position, Tally};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The members of one group in one vote event.
#[derive(Debug, Default)]
pub(super) struct Side {
    pub(super) tally: Tally,
    /// Each member's name and position.
    pub(super) members: Vec<(String, Position)>,
}

/// One vote event's votes: each actor with its members' votes.
pub(super) type EventVotes = BTreeMap<String, Side>;

/// What votes.csv held: the votes of each event, and every actor.
#[derive(Debug, Default)]
pub(super) struct Votes {
    pub(super) by_event: BTreeMap<String, EventVotes>,
    pub(super) actors: BTreeMap<String, Actor>,
}

/// The lookups a vote row is resolved against.
pub(super) struct Lookups<'a> {
    pub(super) events: &'a BTreeMap<String, Event>,
    /// Events set aside: their votes are skipped without a word.
    pub(super) set_aside: &'a HashSet<String>,
    pub(super) voters: &'a HashMap<String, Voter>,
    /// The groups file's names by id; `None` when there is no groups file,
    /// and a vote row's group id is then the group's name.
    pub(super) groups: Option<&'a HashMap<String, String>>,
    /// The groups file's name, for messages.
    pub(super) groups_file: &'a str,
    pub(super) voters_file: &'a str,
    pub(super) events_file: &'a str,
}

pub(super) fn read(
    file: &CsvFile,
    config: &PopoloConfig,
    rules: &Rules,
    lookups: &Lookups,
    quarantine: &mut Quarantines,
) -> Result<Votes> {
    let c = &config.vote_columns;
    let event_column = file.required(&c.vote_event, "vote-columns.vote-event")?;
    let voter_column = file.required(&c.voter, "vote-columns.voter")?;
    let option_column = file.required(&c.option, "vote-columns.option")?;
    let group_column = file.optional(&c.group, "vote-columns.group")?;

    let mut votes = Votes::default();
    let mut seen: HashMap<(String, String), u64> = HashMap::new();
    for (line, record) in &file.rows {
        let line = *line;
        let at = file.at(line);
        let cells = file.check_width(record).and_then(|()| {
            Ok((
                file.cell(record, event_column)?,
                file.cell(record, voter_column)?,
                file.cell(record, option_column)?,
                file.optional_cell(record, group_column)?,
            ))
        });
        let (event_id, voter_id, option, group_id) = match cells {
            Ok(cells) => cells,
            Err(reason) => {
                quarantine.push(at, None, reason);
                continue;
            }
        };
        let record = Some(format!("{event_id}/{voter_id}"));
        if event_id.is_empty() || voter_id.is_empty() {
            quarantine.push(
                at,
                record,
                format!(
                    "the row has no vote event id (column {:?}) or no voter id (column {:?}); \
                     fill them in or remove the row",
                    c.vote_event, c.voter
                ),
            );
            continue;
        }
        if lookups.set_aside.contains(event_id) {
            continue;
        }
        if !lookups.events.contains_key(event_id) {
            quarantine.push_repeated(
                format!("event {event_id}"),
                at,
                Some(event_id.to_owned()),
                format!(
                    "a vote for the vote event {event_id}, which is not in {}; add the event \
                     or check its id",
                    lookups.events_file
                ),
            );
            continue;
        }
        let Some(voter) = lookups.voters.get(voter_id) else {
            quarantine.push_repeated(
                format!("voter {voter_id}"),
                at,
                Some(voter_id.to_owned()),
                format!(
                    "a vote by the voter {voter_id}, who is not in {}; add them or check the \
                     id; their votes are left out",
                    lookups.voters_file
                ),
            );
            continue;
        };
        let Some(position) = rules.options.get(option) else {
            quarantine.push_repeated(
                format!("option {}", option.to_lowercase()),
                at,
                record,
                format!(
                    "unknown option {option:?} (column {:?}); expected {} ([source.popolo.options] \
                     yes, no, abstain, absent); add the word there or correct the row",
                    c.option,
                    rules.options.expected()
                ),
            );
            continue;
        };
        let group = match group_of(voter_id, voter, group_id, lookups) {
            Ok(group) => group,
            Err((key, reason)) => {
                quarantine.push_repeated(key, at, Some(voter_id.to_owned()), reason);
                continue;
            }
        };
        if let Some(first) = seen.get(&(event_id.to_owned(), voter_id.to_owned())) {
            quarantine.push(
                at,
                record,
                format!(
                    "the voter {voter_id} ({}) already voted in the vote event {event_id} on \
                     line {first}; this second row is set aside, keep one row per member and \
                     vote",
                    voter.name
                ),
            );
            continue;
        }
        seen.insert((event_id.to_owned(), voter_id.to_owned()), line);
        let actor = actor_for(&group, voter, rules);
        let side = votes
            .by_event
            .entry(event_id.to_owned())
            .or_default()
            .entry(actor.id.clone())
            .or_default();
        side.tally.add(position, 1);
        side.members.push((voter.name.clone(), position));
        votes.actors.entry(actor.id.clone()).or_insert(actor);
    }
    Ok(votes)
}

/// The name of the group a member voted in; the quarantine key and
/// reason when there is none.
fn group_of(
    voter_id: &str,
    voter: &Voter,
    group_id: &str,
    lookups: &Lookups,
) -> Result<String, (String, String)> {
    if !group_id.is_empty() {
        return match lookups.groups {
            None => Ok(group_id.to_owned()),
            Some(groups) => groups.get(group_id).cloned().ok_or_else(|| {
                (
                    format!("group {group_id}"),
                    format!(
                        "the group id {group_id:?} is not in {}; add the group there or \
                         correct the id",
                        lookups.groups_file
                    ),
                )
            }),
        };
    }
    if voter.party.is_empty() {
        return Err((
            format!("no group {voter_id}"),
            format!(
                "the voter {voter_id} ({}) has no group: their row in {} (line {}) gives no \
                 party and the vote row no group id; fill one in; their votes are left out",
                voter.name, lookups.voters_file, voter.line
            ),
        ));
    }
    Ok(voter.party.clone())
}

/// The actor a member's vote counts for: their group, renamed as
/// configured, or the member alone when the group is one of those listed
/// as non-attached.
fn actor_for(group: &str, voter: &Voter, rules: &Rules) -> Actor {
    let group = rules.rename_groups.get(group).map_or(group, String::as_str);
    if rules.non_attached.contains(group) {
        Actor {
            id: voter.name.clone(),
            name: voter.name.clone(),
            kind: ActorKind::NonAttached,
        }
    } else {
        Actor {
            id: group.to_owned(),
            name: group.to_owned(),
            kind: ActorKind::Party,
        }
    }
}
