//! Vote events into proposals.
//!
//! Grouping: vote events on the same `motion:document` are one proposal
//! (the document) with one vote per event, since a council votes on
//! amendments and on parts of a resolution (or on each person of an
//! election) before, or instead of, the resolution as a whole, and a quiz
//! that asked the same title ten times would confuse. Every vote is a
//! [`PhaseKind::Deliberation`], so the latest decides: councils vote on
//! the resolution as a whole last. A vote event without a document is a
//! proposal of its own (`group-by-document = false` makes every event
//! one).
//!
//! Exclusion: a vote on a motion that `exclude-motions` matches keeps its
//! page but is [`PhaseKind::Other`], which never decides, so it is never a
//! quiz card.
//!
//! Checks: a vote event that no vote names, or whose stated totals differ
//! from its members' votes, is quarantined, as its record cannot be
//! trusted.

use super::lines::lines;
use super::records::Event;
use super::votes::EventVotes;
use super::{PopoloConfig, Quarantines};
use hemiciclo_core::{compare_ids, PhaseKind, Proposal, Tally, Venue, Vote};
use std::collections::BTreeMap;

/// The proposals of the good vote events; `events_file` names the file
/// in quarantine entries.
pub(super) fn build(
    events: BTreeMap<String, Event>,
    mut votes: BTreeMap<String, EventVotes>,
    config: &PopoloConfig,
    events_file: &str,
    quarantine: &mut Quarantines,
) -> Vec<Proposal> {
    let mut groups: BTreeMap<String, Vec<(String, Event, EventVotes)>> = BTreeMap::new();
    for (id, event) in events {
        let Some(event_votes) = votes.remove(&id) else {
            quarantine.push(
                format!("{events_file} line {}", event.line),
                Some(id),
                format!(
                    "no member's vote for this vote event is in {}; add its votes or remove \
                     the event",
                    config.votes
                ),
            );
            continue;
        };
        if let Some(reason) = totals_differ(&event, &event_votes) {
            quarantine.push(
                format!("{events_file} line {}", event.line),
                Some(id),
                reason,
            );
            continue;
        }
        let key = if config.group_by_document && !event.document.is_empty() {
            event.document.clone()
        } else {
            id.clone()
        };
        groups
            .entry(key)
            .or_default()
            .push((id, event, event_votes));
    }
    groups
        .into_iter()
        .map(|(key, events)| proposal(key, events))
        .collect()
}

/// The stated totals against the members' votes; the reason when they differ.
fn totals_differ(event: &Event, votes: &EventVotes) -> Option<String> {
    let mut counted = [0u32; 3];
    for side in votes.values() {
        counted[0] += side.tally.in_favour;
        counted[1] += side.tally.against;
        counted[2] += side.tally.abstain;
    }
    let differ: Vec<String> = ["yes", "no", "abstain"]
        .iter()
        .zip(event.stated.iter().zip(counted))
        .filter_map(|(word, (stated, counted))| {
            stated
                .filter(|s| *s != counted)
                .map(|s| format!("{s} {word} stated, {counted} in the votes"))
        })
        .collect();
    (!differ.is_empty()).then(|| {
        format!(
            "the vote event's totals differ from its members' votes ({}); correct the totals \
             or the votes (or leave the totals empty)",
            differ.join(", ")
        )
    })
}

/// One proposal of one or more vote events.
fn proposal(key: String, events: Vec<(String, Event, EventVotes)>) -> Proposal {
    // The title is the motion of the vote that decides: the latest one the
    // quiz may ask (else the latest one).
    let latest = |quiz_only: bool| {
        events
            .iter()
            .filter(|(_, e, _)| !quiz_only || !e.excluded)
            .max_by(|(a_id, a, _), (b_id, b, _)| {
                a.date.cmp(&b.date).then_with(|| compare_ids(a_id, b_id))
            })
    };
    let (_, head, _) = latest(true)
        .or_else(|| latest(false))
        .expect("a group has events");
    let mut proposal = Proposal {
        number: head.number.clone(),
        link: Some(head.link.clone()).filter(|l| !l.is_empty()),
        ..Proposal::new(key, head.legislature.clone(), "", head.motion.clone())
    };
    let title = head.motion.clone();
    for (id, event, event_votes) in events {
        let lines = lines(&event_votes);
        let mut totals = Tally::default();
        for side in event_votes.values() {
            totals.in_favour += side.tally.in_favour;
            totals.against += side.tally.against;
            totals.abstain += side.tally.abstain;
            totals.absent += side.tally.absent;
        }
        proposal.votes.push(Vote {
            id,
            phase: String::new(),
            phase_kind: if event.excluded {
                PhaseKind::Other
            } else {
                PhaseKind::Deliberation
            },
            date: event.date,
            result: event.result,
            unanimous: false,
            description: if event.motion == title {
                String::new()
            } else {
                event.motion
            },
            venue: Venue::Plenary,
            positions: lines.positions,
            counts: lines.counts,
            members: lines.members,
            totals: Some(totals),
        });
    }
    proposal.sort_votes();
    proposal
}
