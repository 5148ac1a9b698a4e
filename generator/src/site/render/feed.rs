//! The feed's entries: the votes the pipeline's change log says are new or
//! corrected, dated when the ingest saw them, then the latest votes by
//! their own day. A reader is told of a vote the day the site learns of
//! it, and again when the record of it is corrected.

use super::listings::{latest_votes, vote_words};
use super::views::{outcome_label, SiteView};
use super::vote_anchor;
use crate::ingest::dataset::Dataset;
use crate::ingest::Transition;
use crate::site::discovery::Entry;
use hemiciclo_core::{Proposal, Vote};
use std::collections::{BTreeMap, BTreeSet};

/// How many entries the feed holds.
pub const FEED_ENTRIES: usize = 50;

/// What the change log says of one vote.
enum News<'a> {
    New,
    Corrected(&'a crate::ingest::changelog::VoteChange),
}

/// The feed's entries, newest first: from `recent` (the latest changes of
/// the dataset, oldest first) the votes they added or corrected that the
/// dataset still has, then the latest votes by day, up to [`FEED_ENTRIES`].
/// The dataset's first ingest (everything new) announces nothing by itself.
pub fn entries(
    site: &SiteView,
    home: &str,
    dataset: &Dataset,
    recent: &[Transition],
) -> Vec<Entry> {
    let proposals: BTreeMap<&str, &Proposal> = dataset
        .proposals
        .iter()
        .map(|p| (p.id.as_str(), p))
        .collect();
    let find = |proposal: &str, vote: &str| -> Option<(&Vote, &Proposal)> {
        let p = proposals.get(proposal)?;
        p.votes.iter().find(|v| v.id == vote).map(|v| (v, *p))
    };
    let mut entries = Vec::new();
    let mut announced = BTreeSet::new();
    for transition in recent.iter().rev() {
        let (Some(_), Some(recorded)) = (&transition.previous, &transition.recorded) else {
            continue;
        };
        let changes = &transition.changes;
        let mut news: Vec<(&str, &str, News)> = Vec::new();
        for id in &changes.added {
            if let Some(p) = proposals.get(id.as_str()) {
                news.extend(
                    p.votes
                        .iter()
                        .map(|v| (id.as_str(), v.id.as_str(), News::New)),
                );
            }
        }
        for change in &changes.changed {
            let proposal = change.proposal.as_str();
            news.extend(
                change
                    .votes_added
                    .iter()
                    .map(|v| (proposal, v.as_str(), News::New)),
            );
            news.extend(
                change
                    .votes_changed
                    .iter()
                    .map(|c| (proposal, c.vote.as_str(), News::Corrected(c))),
            );
        }
        for (proposal, vote_id, what) in news {
            let Some((vote, p)) = find(proposal, vote_id) else {
                continue;
            };
            // Vote ids are unique within their proposal only.
            if !announced.insert((p.id.clone(), vote.id.clone())) {
                continue;
            }
            let mut entry = entry(site, home, vote, p, recorded.clone());
            if let News::Corrected(change) = what {
                entry.id = format!("{}.{}", entry.url, transition.snapshot);
                entry.summary = correction(site, vote, change);
            }
            entries.push(entry);
        }
    }
    let by_day = latest_votes(&dataset.proposals, FEED_ENTRIES)
        .into_iter()
        .filter(|(vote, p)| !announced.contains(&(p.id.clone(), vote.id.clone())))
        .map(|(vote, p)| entry(site, home, vote, p, format!("{}T00:00:00Z", vote.date)));
    entries.extend(by_day);
    // Newest first; equal times keep the order above.
    entries.sort_by(|a, b| b.updated.cmp(&a.updated));
    entries.truncate(FEED_ENTRIES);
    entries
}

/// An entry for `vote` of `p`, updated at `updated`.
fn entry(site: &SiteView, home: &str, vote: &Vote, p: &Proposal, updated: String) -> Entry {
    let url = format!(
        "{home}{}#{}",
        site.names.proposal_dir(&p.id),
        vote_anchor(&vote.id)
    );
    Entry {
        title: p.title.clone(),
        id: url.clone(),
        url,
        updated,
        summary: summary(site, vote),
    }
}

/// "Votação final global: Aprovado".
fn summary(site: &SiteView, vote: &Vote) -> String {
    let (phase, _, result) = vote_words(site, vote);
    match result {
        Some(result) => format!("{phase}: {result}"),
        None => phase.to_owned(),
    }
}

/// What a correction changed: the result before, or whose positions.
fn correction(
    site: &SiteView,
    vote: &Vote,
    change: &crate::ingest::changelog::VoteChange,
) -> String {
    let language = &site.language;
    let now = summary(site, vote);
    match change.result {
        Some((before, _)) => {
            let before = before.map_or("—", |o| language.text(outcome_label(o).0));
            language.fill(
                "feed.corrected_result",
                &[("now", &now), ("before", before)],
            )
        }
        None => {
            let actors: Vec<&str> = change.positions.iter().map(|(a, ..)| a.as_str()).collect();
            language.fill(
                "feed.corrected_positions",
                &[("now", &now), ("actors", &actors.join(", "))],
            )
        }
    }
}
