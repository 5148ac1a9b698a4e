//! Popolo roll-call votes: the Popolo project's vote-event model
//! (popoloproject.com) as CSV files in one folder — vote events, one row
//! per member's vote, the voters, and optionally the groups.
//!
//! A source is a folder (a path or an http(s) base URL); `[source.popolo]`
//! names its files and columns, with the standard Popolo names as
//! defaults. The fetch stage frames the files into one blob
//! ([`crate::ingest::frame`]), which [`parse`] unframes.
//!
//! Each party group's position in a vote is its members' common line, with
//! the tally kept and the members who broke with it named ([`lines`]);
//! events on one document are one proposal ([`proposals`]). Following the
//! pipeline rules, a file that cannot be read as the table it should be
//! (empty, a header only, a required column missing) is an error naming
//! the file and the column, while a bad row is quarantined with its file
//! and line and the rest goes on. No input makes this module panic.

mod config;
mod file;
mod lines;
mod proposals;
mod records;
mod rules;
#[cfg(test)]
mod tests;
mod votes;

pub use config::{
    GroupColumns, Options, PopoloConfig, Results, VoteColumns, VoteEventColumns, VoterColumns,
};

use super::{Parsed, Quarantined};
use crate::error::{Error, Result};
use crate::ingest::frame;
use file::CsvFile;
use rules::Rules;
use std::collections::{BTreeMap, HashSet};

/// Checks `config` when the site loads: a legislature, valid patterns, no
/// word with two meanings; the error says what to write.
pub fn check(config: &PopoloConfig, origin: &str) -> Result<()> {
    rules(config, origin).map(drop)
}

fn rules(config: &PopoloConfig, origin: &str) -> Result<Rules> {
    Rules::compile(config)
        .map_err(|e| Error::Config(format!("the source {origin}: [source.popolo]: {e}")))
}

/// Parses a framed Popolo source as `config` describes it; `origin` names
/// the source (its folder) in messages.
pub fn parse(blob: &[u8], origin: &str, config: &PopoloConfig) -> Result<Parsed> {
    let rules = rules(config, origin)?;
    let files = frame::unframe(blob, origin)?;
    let get = |name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, bytes)| *bytes)
    };
    let required = |name: &str, what: &str| {
        let bytes = get(name).ok_or_else(|| {
            Error::Unreadable(format!(
                "{origin}: the stored copy of this source has no {name}; build again"
            ))
        })?;
        CsvFile::read(name, bytes, what)
    };
    let events_file = required(&config.vote_events, "vote event")?;
    let votes_file = required(&config.votes, "member's vote")?;
    let voters_file = required(&config.voters, "voter")?;
    let (groups_name, _) = config.groups_file();
    let groups_file = get(groups_name)
        .map(|bytes| CsvFile::read(groups_name, bytes, "group"))
        .transpose()?;

    let mut quarantine = Quarantines::new(origin);
    let (events, set_aside) = records::events(&events_file, config, &rules, &mut quarantine)?;
    let voters = records::voters(&voters_file, config, &mut quarantine)?;
    let groups = groups_file
        .as_ref()
        .map(|file| records::groups(file, config, &mut quarantine))
        .transpose()?;
    let set_aside: HashSet<String> = set_aside.into_iter().collect();
    let lookups = votes::Lookups {
        events: &events,
        set_aside: &set_aside,
        voters: &voters,
        groups: groups.as_ref(),
        groups_file: groups_name,
        voters_file: &config.voters,
        events_file: &config.vote_events,
    };
    let votes = votes::read(&votes_file, config, &rules, &lookups, &mut quarantine)?;
    let actors = votes.actors.into_values().collect();
    let proposals = proposals::build(
        events,
        votes.by_event,
        config,
        &config.vote_events,
        &mut quarantine,
    );
    Ok(Parsed {
        actors,
        proposals,
        quarantine: quarantine.finish(),
        origins: Default::default(),
    })
}

/// The quarantine of one source, where a problem that repeats on many rows
/// of one thing (an unknown voter, say) is one entry with a count.
#[derive(Debug)]
pub(super) struct Quarantines {
    origin: String,
    entries: Vec<Quarantined>,
    /// Per repeated problem's key: its entry, and how many more rows had it.
    repeated: BTreeMap<String, (usize, u64)>,
}

impl Quarantines {
    fn new(origin: &str) -> Quarantines {
        Quarantines {
            origin: origin.to_owned(),
            entries: Vec::new(),
            repeated: BTreeMap::new(),
        }
    }

    /// Sets aside one record at `location` (`votes.csv line 42`).
    pub(super) fn push(&mut self, location: String, record: Option<String>, reason: String) {
        self.entries.push(Quarantined {
            source: self.origin.clone(),
            location,
            record,
            reason,
        });
    }

    /// Like [`Quarantines::push`], but only the first row with `key` gets
    /// an entry; the others are counted in it.
    pub(super) fn push_repeated(
        &mut self,
        key: String,
        location: String,
        record: Option<String>,
        reason: String,
    ) {
        match self.repeated.get_mut(&key) {
            Some((_, more)) => *more += 1,
            None => {
                self.repeated.insert(key, (self.entries.len(), 0));
                self.push(location, record, reason);
            }
        }
    }

    fn finish(mut self) -> Vec<Quarantined> {
        for (index, more) in self.repeated.into_values() {
            if more > 0 {
                let entry = &mut self.entries[index];
                let rows = if more == 1 { "row" } else { "rows" };
                entry.location = format!("{} (and {more} more {rows})", entry.location);
            }
        }
        self.entries
    }
}
