//! The three lookup files read into records: vote events, voters and
//! groups, each by its id. A row that cannot stand (no id, an id already
//! seen, a bad date or result, a shifted row) is quarantined with its file
//! and line; the others go on.

use super::file::CsvFile;
use super::rules::Rules;
use super::{PopoloConfig, Quarantines};
use crate::error::Result;
use hemiciclo_core::{Date, Outcome};
use std::collections::{BTreeMap, HashMap};

/// One vote event.
#[derive(Debug)]
pub(super) struct Event {
    pub(super) line: u64,
    pub(super) date: Date,
    pub(super) motion: String,
    pub(super) number: String,
    pub(super) document: String,
    pub(super) link: String,
    pub(super) result: Option<Outcome>,
    pub(super) legislature: String,
    /// The totals of yes, no and abstain the event states, where it does.
    pub(super) stated: [Option<u32>; 3],
    pub(super) excluded: bool,
}

/// One voter.
#[derive(Debug)]
pub(super) struct Voter {
    pub(super) line: u64,
    pub(super) name: String,
    /// Their group for votes that name none; may be empty.
    pub(super) party: String,
}

/// Reads vote_events.csv. Returns the good events by id, and the ids of
/// those set aside (their votes are then skipped without a word).
pub(super) fn events(
    file: &CsvFile,
    config: &PopoloConfig,
    rules: &Rules,
    quarantine: &mut Quarantines,
) -> Result<(BTreeMap<String, Event>, Vec<String>)> {
    let c = &config.vote_event_columns;
    let key = |k: &str| format!("vote-event-columns.{k}");
    let id = file.required(&c.id, &key("id"))?;
    let date = file.required(&c.date, &key("date"))?;
    let motion = file.required(&c.motion, &key("motion"))?;
    let number = file.optional(&c.number, &key("number"))?;
    let document = file.optional(&c.document, &key("document"))?;
    let link = file.optional(&c.link, &key("link"))?;
    let result = file.optional(&c.result, &key("result"))?;
    let legislature = match c.legislature.trim() {
        "" => None,
        name => Some(file.required(name, &key("legislature"))?),
    };
    let counts = [
        file.optional(&c.yes_count, &key("yes-count"))?,
        file.optional(&c.no_count, &key("no-count"))?,
        file.optional(&c.abstain_count, &key("abstain-count"))?,
    ];

    let mut events = BTreeMap::new();
    let mut set_aside = Vec::new();
    for (line, record) in &file.rows {
        let line = *line;
        let event_id = file
            .check_width(record)
            .and_then(|()| file.cell(record, id))
            .ok()
            .filter(|id| !id.is_empty())
            .map(str::to_owned);
        let read = || -> Result<(String, Event), Refused> {
            file.check_width(record)?;
            let Some(event_id) = event_id.clone() else {
                return Err(Refused::Row(format!(
                    "the row has no vote event id (column {:?}); fill it in or remove the row",
                    c.id
                )));
            };
            let date_text = file.cell(record, date)?;
            let day = parse_date(date_text).ok_or_else(|| {
                format!(
                    "the date {date_text:?} (column {:?}) is not a day written YYYY-MM-DD; \
                     correct it",
                    c.date
                )
            })?;
            let motion = file.cell(record, motion)?;
            if motion.is_empty() {
                return Err(Refused::NoMotion(format!(
                    "the vote event has no motion name (column {:?}), so nothing says what was \
                     voted; fill it in",
                    c.motion
                )));
            }
            let result_text = file.optional_cell(record, result)?;
            let result = match rules.results.get(result_text) {
                Some(outcome) => Some(outcome),
                None if result_text.is_empty() => None,
                None => {
                    return Err(Refused::Row(format!(
                        "unknown result {result_text:?} (column {:?}); expected {} \
                         ([source.popolo.results] pass, fail)",
                        c.result,
                        rules.results.expected()
                    )))
                }
            };
            let mut legislature_text = file.optional_cell(record, legislature)?.to_owned();
            if legislature_text.is_empty() {
                legislature_text.clone_from(&rules.legislature);
            }
            if legislature_text.is_empty() {
                return Err(Refused::Row(format!(
                    "the vote event gives no legislature (column {:?}); fill it in, or add \
                     legislature = \"...\" under [source.popolo] for events without one",
                    c.legislature
                )));
            }
            let mut stated = [None; 3];
            for (slot, column) in stated.iter_mut().zip(counts) {
                let text = file.optional_cell(record, column)?;
                if !text.is_empty() {
                    *slot = Some(text.parse().map_err(|_| {
                        format!(
                            "the count {text:?} (column {:?}) is not a whole number; correct it \
                             or leave it empty",
                            file.headers[column.unwrap_or_default()]
                        )
                    })?);
                }
            }
            Ok((
                event_id,
                Event {
                    line,
                    date: day,
                    motion: motion.to_owned(),
                    number: file.optional_cell(record, number)?.to_owned(),
                    document: file.optional_cell(record, document)?.to_owned(),
                    link: file.optional_cell(record, link)?.to_owned(),
                    result,
                    legislature: legislature_text,
                    stated,
                    excluded: rules.excluded(motion),
                },
            ))
        };
        match read() {
            Ok((id, _)) if events.contains_key(&id) => {
                let first: &Event = &events[&id];
                quarantine.push(
                    file.at(line),
                    Some(id.clone()),
                    format!(
                        "the vote event id {id} already appears on line {}; this second row \
                         is set aside, give each vote event its own id",
                        first.line
                    ),
                );
            }
            Ok((id, event)) => {
                events.insert(id, event);
            }
            Err(Refused::Row(reason)) => {
                let reason = format!("{reason}; its votes are left out");
                quarantine.push(file.at(line), event_id.clone(), reason);
                set_aside.extend(event_id);
            }
            Err(Refused::NoMotion(reason)) => {
                let reason = format!("{reason}; its votes are left out");
                quarantine.push_repeated(
                    "no motion".into(),
                    file.at(line),
                    event_id.clone(),
                    reason,
                );
                set_aside.extend(event_id);
            }
        }
    }
    // An id set aside once but also read well elsewhere keeps its votes.
    set_aside.retain(|id| !events.contains_key(id));
    Ok((events, set_aside))
}

/// Why a vote event row was refused: most reasons are the row's own; a
/// missing motion name is often systematic (an export's untitled votes)
/// and is reported once with a count.
enum Refused {
    Row(String),
    NoMotion(String),
}

impl From<String> for Refused {
    fn from(reason: String) -> Refused {
        Refused::Row(reason)
    }
}

/// `YYYY-MM-DD`, alone or followed by a time (`T10:00:00`, ` 10:00`).
fn parse_date(text: &str) -> Option<Date> {
    let day = text.get(..10)?;
    let rest = &text[10..];
    if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
        return None;
    }
    Date::parse_iso(day)
}

/// Reads voters.csv: the good voters by id.
pub(super) fn voters(
    file: &CsvFile,
    config: &PopoloConfig,
    quarantine: &mut Quarantines,
) -> Result<HashMap<String, Voter>> {
    let c = &config.voter_columns;
    let id = file.required(&c.id, "voter-columns.id")?;
    let name = file.required(&c.name, "voter-columns.name")?;
    let party = file.optional(&c.party, "voter-columns.party")?;
    let mut voters: HashMap<String, Voter> = HashMap::new();
    for (line, record) in &file.rows {
        let read = || -> Result<(String, Voter), String> {
            file.check_width(record)?;
            let voter_id = file.cell(record, id)?;
            if voter_id.is_empty() {
                return Err(format!(
                    "the row has no voter id (column {:?}); fill it in or remove the row",
                    c.id
                ));
            }
            let voter_name = file.cell(record, name)?;
            Ok((
                voter_id.to_owned(),
                Voter {
                    line: *line,
                    name: if voter_name.is_empty() {
                        voter_id.to_owned()
                    } else {
                        voter_name.to_owned()
                    },
                    party: file.optional_cell(record, party)?.to_owned(),
                },
            ))
        };
        match read() {
            Ok((voter_id, _)) if voters.contains_key(&voter_id) => {
                let first = voters[&voter_id].line;
                quarantine.push(
                    file.at(*line),
                    Some(voter_id.clone()),
                    format!(
                        "the voter id {voter_id} already appears on line {first}; this second \
                         row is set aside, give each voter one row"
                    ),
                );
            }
            Ok((voter_id, voter)) => {
                voters.insert(voter_id, voter);
            }
            Err(reason) => quarantine.push(
                file.at(*line),
                None,
                format!("{reason}; votes naming this voter are left out"),
            ),
        }
    }
    Ok(voters)
}

/// Reads groups.csv: each group's name by its id.
pub(super) fn groups(
    file: &CsvFile,
    config: &PopoloConfig,
    quarantine: &mut Quarantines,
) -> Result<HashMap<String, String>> {
    let c = &config.group_columns;
    let id = file.required(&c.id, "group-columns.id")?;
    let name = file.required(&c.name, "group-columns.name")?;
    let mut groups = HashMap::new();
    let mut lines: HashMap<String, u64> = HashMap::new();
    for (line, record) in &file.rows {
        let read = || -> Result<(String, String), String> {
            file.check_width(record)?;
            let group_id = file.cell(record, id)?;
            if group_id.is_empty() {
                return Err(format!(
                    "the row has no group id (column {:?}); fill it in or remove the row",
                    c.id
                ));
            }
            let group_name = file.cell(record, name)?;
            let group_name = if group_name.is_empty() {
                group_id
            } else {
                group_name
            };
            Ok((group_id.to_owned(), group_name.to_owned()))
        };
        match read() {
            Ok((group_id, _)) if lines.contains_key(&group_id) => quarantine.push(
                file.at(*line),
                Some(group_id.clone()),
                format!(
                    "the group id {group_id} already appears on line {}; this second row is \
                     set aside, give each group one row",
                    lines[&group_id]
                ),
            ),
            Ok((group_id, group_name)) => {
                lines.insert(group_id.clone(), *line);
                groups.insert(group_id, group_name);
            }
            Err(reason) => quarantine.push(file.at(*line), None, reason),
        }
    }
    Ok(groups)
}
