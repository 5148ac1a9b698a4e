//! Rows into proposals: each row's cells read by the layout and the rules,
//! rows of one initiative gathered, bad rows quarantined with their line.

use super::date::DateError;
use super::derive::Derived;
use super::layout::Layout;
use super::rules::Rules;
use super::{cell_text, Parsed, Quarantined};
use hemiciclo_core::{
    compare_ids, Date, Outcome, PhaseKind, Position, Proposal, Tally, Venue, Vote,
};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

/// The initiative-level fields of one row.
#[derive(Debug)]
pub(super) struct Initiative {
    pub(super) id: String,
    pub(super) number: String,
    pub(super) kind: String,
    pub(super) legislature: String,
    pub(super) title: String,
    pub(super) link: String,
    pub(super) committee: String,
    pub(super) topic: String,
    pub(super) authors: Vec<String>,
}

/// One good row: its initiative's fields and its vote.
#[derive(Debug)]
pub(super) struct Entry {
    pub(super) initiative: Initiative,
    pub(super) vote: Vote,
}

/// The cells of one row, checked as they are read.
pub(super) struct Cells<'a> {
    pub(super) record: &'a csv::ByteRecord,
    pub(super) layout: &'a Layout,
}

impl<'a> Cells<'a> {
    /// The trimmed text of a column; an error when it is not UTF-8 or
    /// longer than a cell can be.
    pub(super) fn get(&self, column: usize) -> Result<&'a str, String> {
        cell_text(
            self.record.get(column).unwrap_or_default(),
            self.layout.name(column),
        )
    }

    /// Like [`Cells::get`], empty for a column the file does not have.
    pub(super) fn optional(&self, column: Option<usize>) -> Result<&'a str, String> {
        column.map_or(Ok(""), |c| self.get(c))
    }

    /// A readable, non-empty id, for naming a bad row.
    pub(super) fn id(&self, column: Option<usize>) -> Option<String> {
        self.optional(column)
            .ok()
            .filter(|id| !id.is_empty())
            .map(str::to_owned)
    }
}

/// Turns rows into proposals, setting bad ones aside.
pub(super) struct Ingest<'a> {
    pub(super) origin: &'a str,
    pub(super) layout: &'a Layout,
    pub(super) rules: &'a Rules,
    pub(super) by_initiative: BTreeMap<String, Vec<Entry>>,
    /// Line of the first row of each `(initiative, vote id)`.
    pub(super) seen: HashMap<(String, String), u64>,
    /// Rows so far of each `(initiative, date, phase)`, for derived vote ids.
    pub(super) ordinals: HashMap<(String, Date, String), u32>,
    pub(super) quarantine: Vec<Quarantined>,
    /// Line of the first row of each initiative.
    pub(super) origins: BTreeMap<String, String>,
    /// Rows a `[[source.table.filter]]` dropped.
    pub(super) dropped: usize,
}

impl<'a> Ingest<'a> {
    pub(super) fn new(origin: &'a str, layout: &'a Layout, rules: &'a Rules) -> Ingest<'a> {
        Ingest {
            origin,
            layout,
            rules,
            by_initiative: BTreeMap::new(),
            seen: HashMap::new(),
            ordinals: HashMap::new(),
            quarantine: Vec::new(),
            origins: BTreeMap::new(),
            dropped: 0,
        }
    }

    /// Takes one row, which starts on `line`; `swallowed_rest` when it
    /// opens a quote that the end of the file closed.
    pub(super) fn row(&mut self, record: &csv::ByteRecord, swallowed_rest: bool, line: u64) {
        let fields = record.len();
        let expected = self.layout.file_columns;
        let (record, derived) = if fields == expected && !self.rules.derive.is_empty() {
            let (record, derived) = self.derive(record);
            (Cow::Owned(record), derived)
        } else {
            (Cow::Borrowed(record), Ok(()))
        };
        let cells = Cells {
            record: &record,
            layout: self.layout,
        };
        let result = if swallowed_rest {
            Err(
                "a quoted field opened in this row is never closed, so the rest of the file was \
                 read into it; add the missing quote"
                    .to_owned(),
            )
        } else if fields != expected {
            Err(format!(
                "the row has {fields} fields where the header has {expected}; a delimiter or a \
                 quote is missing or extra"
            ))
        } else {
            match self.filtered_out(&cells) {
                Ok(true) => {
                    self.dropped += 1;
                    return;
                }
                Ok(false) => derived.and_then(|()| self.read(&cells)),
                Err(reason) => Err(reason),
            }
        };
        // In a row whose fields are shifted, no id can be trusted.
        let named = (fields == expected).then_some(&cells);
        match result {
            Ok(entry) => self.accept(entry, line),
            Err(reason) => self.set_aside(line, named, reason),
        }
    }

    /// The row with its derived cells appended (empty where one could not
    /// be derived), and the first reason one could not.
    fn derive(&self, record: &csv::ByteRecord) -> (csv::ByteRecord, Result<(), String>) {
        let mut record = record.clone();
        let mut refused = Ok(());
        for (rule, from) in self.rules.derive.iter().zip(&self.layout.derive_from) {
            let cells = Cells {
                record: &record,
                layout: self.layout,
            };
            let value = match cells.optional(*from) {
                Ok(cell) => match rule.apply(cell) {
                    Derived::Value(value) => Ok(value.to_owned()),
                    Derived::Refused(reason) => Err(reason),
                },
                Err(reason) => Err(reason),
            };
            match value {
                Ok(value) => record.push_field(value.as_bytes()),
                Err(reason) => {
                    record.push_field(b"");
                    if refused.is_ok() {
                        refused = Err(reason);
                    }
                }
            }
        }
        (record, refused)
    }

    /// Whether a filter drops the row; an error when a cell it tests
    /// cannot be read.
    fn filtered_out(&self, cells: &Cells) -> Result<bool, String> {
        for (filter, column) in self.rules.filters.iter().zip(&self.layout.filters) {
            if !filter.passes(cells.optional(*column)?) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Reads a row whose fields line up with the header.
    pub(super) fn read(&self, cells: &Cells) -> Result<Entry, String> {
        let layout = self.layout;
        let initiative = self.initiative(cells)?;
        let date = self.date(cells)?;
        let id = cells.optional(layout.vote_id)?;
        if let (Some(column), "") = (layout.vote_id, id) {
            return Err(format!(
                "the row has no vote id (column {:?})",
                layout.name(column)
            ));
        }
        let phase = cells.optional(layout.phase)?;
        let vote = Vote {
            id: id.to_owned(),
            phase: phase.to_owned(),
            phase_kind: self.rules.phases.get(phase).unwrap_or(PhaseKind::Other),
            date,
            result: self.result(cells)?,
            unanimous: self
                .rules
                .unanimous
                .get(cells.optional(layout.unanimous)?)
                .is_some(),
            description: cells.optional(layout.description)?.to_owned(),
            venue: Venue::Plenary,
            positions: self.positions(cells)?,
            counts: BTreeMap::new(),
            members: Vec::new(),
            totals: self.totals(cells)?,
        };
        Ok(Entry { initiative, vote })
    }

    pub(super) fn initiative(&self, cells: &Cells) -> Result<Initiative, String> {
        let layout = self.layout;
        let id = cells.get(layout.initiative)?;
        if id.is_empty() {
            return Err(format!(
                "the row has no initiative id (column {:?}); fill it in or remove the row",
                layout.name(layout.initiative)
            ));
        }
        let text = |column: Option<usize>| cells.optional(column).map(str::to_owned);
        let legislature = text(layout.legislature)?;
        if legislature.is_empty() && self.rules.legislature.is_empty() {
            let cell = match layout.legislature {
                Some(column) => format!("column {:?} is empty", layout.name(column)),
                None => "the file lacks its column".to_owned(),
            };
            return Err(format!(
                "the row has no legislature ({cell}); fill it in, or set legislature = \"...\" \
                 under [source.table] for the rows without one"
            ));
        }
        Ok(Initiative {
            id: id.to_owned(),
            number: text(layout.number)?,
            kind: text(layout.kind)?,
            legislature,
            title: text(Some(layout.title))?,
            link: text(layout.link)?,
            committee: text(layout.committee)?,
            topic: text(layout.topic)?,
            authors: self.authors(cells)?,
        })
    }

    pub(super) fn date(&self, cells: &Cells) -> Result<Date, String> {
        let text = cells.get(self.layout.date)?;
        let format = &self.rules.date_format;
        format.parse(text).map_err(|error| match error {
            DateError::Format => format!(
                "the date {text:?} is not written as {:?} (date-format)",
                format.text
            ),
            DateError::NoSuchDay => format!("the date {text:?} is not a day of the calendar"),
        })
    }

    /// The first non-empty author column, split when it lists several.
    pub(super) fn authors(&self, cells: &Cells) -> Result<Vec<String>, String> {
        let mut cell = "";
        for &column in &self.layout.authors {
            cell = cells.get(column)?;
            if !cell.is_empty() {
                break;
            }
        }
        let authors = match &self.rules.author_separator {
            Some(separator) => cell.split(separator.as_str()).collect(),
            None => vec![cell],
        };
        Ok(authors
            .into_iter()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect())
    }

    pub(super) fn result(&self, cells: &Cells) -> Result<Option<Outcome>, String> {
        let cell = cells.optional(self.layout.result)?;
        match self.rules.results.get(cell) {
            Some(outcome) => Ok(Some(outcome)),
            None if cell.is_empty() => Ok(None),
            None => Err(format!(
                "unknown result {cell:?} in column {:?}; expected {} (values.approved, \
                 values.rejected)",
                self.layout.name(self.layout.result.unwrap_or_default()),
                self.rules.results.expected()
            )),
        }
    }

    /// The whole vote's totals from the count columns: `None` when the
    /// table has none or they are all empty; an empty one among others
    /// is 0.
    pub(super) fn totals(&self, cells: &Cells) -> Result<Option<Tally>, String> {
        let mut tally = Tally::default();
        let mut any = false;
        let slots = [
            &mut tally.in_favour,
            &mut tally.against,
            &mut tally.abstain,
            &mut tally.absent,
        ];
        for (column, slot) in self.layout.counts.iter().zip(slots) {
            let Some(column) = *column else { continue };
            let cell = cells.get(column)?;
            if cell.is_empty() {
                continue;
            }
            *slot = parse_count(cell).ok_or_else(|| {
                format!(
                    "the count {cell:?} in column {:?} is not a whole number of members; write \
                     it with digits only (320) or leave the cell empty",
                    self.layout.name(column)
                )
            })?;
            any = true;
        }
        Ok(any.then_some(tally))
    }

    pub(super) fn positions(&self, cells: &Cells) -> Result<BTreeMap<String, Position>, String> {
        let mut positions = BTreeMap::new();
        for (column, actor) in &self.layout.actors {
            let cell = cells.get(*column)?;
            match self.rules.positions.get(cell) {
                Some(position) => {
                    positions.insert(actor.id.clone(), position);
                }
                None if cell.is_empty() => {}
                None => {
                    let hint = if self.layout.actors_inferred {
                        format!(
                            "; if {:?} is not a party or member but another column (a remark, \
                             a count), list it under [source.table.actors] ignore",
                            actor.id
                        )
                    } else {
                        String::new()
                    };
                    return Err(format!(
                        "unknown position {cell:?} in column {:?}; expected {} (values.for, \
                         values.against, values.abstain, values.absent, values.split){hint}",
                        actor.id,
                        self.rules.positions.expected()
                    ));
                }
            }
        }
        Ok(positions)
    }

    /// Files a good row under its initiative, naming its vote when the
    /// table has no vote ids, and setting aside a second row of one vote.
    pub(super) fn accept(&mut self, mut entry: Entry, line: u64) {
        let initiative = entry.initiative.id.clone();
        if self.layout.vote_id.is_none() {
            let key = (
                initiative.clone(),
                entry.vote.date,
                entry.vote.phase.clone(),
            );
            let ordinal = self.ordinals.entry(key).or_default();
            *ordinal += 1;
            entry.vote.id = format!(
                "{initiative}/{}/{}/{ordinal}",
                entry.vote.date, entry.vote.phase
            );
        } else {
            let key = (initiative.clone(), entry.vote.id.clone());
            if let Some(first) = self.seen.get(&key) {
                let reason = format!(
                    "initiative {initiative}: the vote {} already appears on line {first}; this \
                     second row is set aside, give each vote its own id",
                    entry.vote.id
                );
                let record = Some(entry.vote.id);
                self.push(line, record, reason);
                return;
            }
            self.seen.insert(key, line);
        }
        self.origins
            .entry(initiative.clone())
            .or_insert_with(|| format!("line {line}"));
        self.by_initiative
            .entry(initiative)
            .or_default()
            .push(entry);
    }

    /// Quarantines a row, naming it by its vote id (and initiative) when
    /// they can be read.
    pub(super) fn set_aside(&mut self, line: u64, cells: Option<&Cells>, reason: String) {
        let vote = cells.and_then(|c| c.id(self.layout.vote_id));
        let initiative = cells.and_then(|c| c.id(Some(self.layout.initiative)));
        let (record, reason) = match (vote, initiative) {
            (Some(vote), Some(initiative)) => {
                (Some(vote), format!("initiative {initiative}: {reason}"))
            }
            (vote, initiative) => (vote.or(initiative), reason),
        };
        self.push(line, record, reason);
    }

    pub(super) fn push(&mut self, line: u64, record: Option<String>, reason: String) {
        self.quarantine.push(Quarantined {
            source: self.origin.to_owned(),
            location: format!("line {line}"),
            record,
            reason,
        });
    }

    pub(super) fn finish(self) -> Parsed {
        let legislature = &self.rules.legislature;
        let mut proposals: Vec<Proposal> = self
            .by_initiative
            .into_values()
            .map(|entries| into_proposal(entries, legislature))
            .collect();
        proposals.sort_by(|a, b| compare_ids(&a.id, &b.id));
        Parsed {
            actors: self.layout.actors.iter().map(|(_, a)| a.clone()).collect(),
            proposals,
            quarantine: self.quarantine,
            origins: self.origins,
        }
    }
}

/// Joins the rows of one initiative; each field comes from its first row
/// that has it, the authors and topics from all of them.
pub(super) fn into_proposal(entries: Vec<Entry>, default_legislature: &str) -> Proposal {
    let first = |get: fn(&Initiative) -> &str| {
        entries
            .iter()
            .map(|entry| get(&entry.initiative))
            .find(|value| !value.is_empty())
            .unwrap_or_default()
            .to_owned()
    };
    let non_empty = |s: String| Some(s).filter(|s| !s.is_empty());
    let mut authors: Vec<String> = Vec::new();
    let mut topics: Vec<String> = Vec::new();
    for entry in &entries {
        let initiative = &entry.initiative;
        for author in &initiative.authors {
            push_new(&mut authors, author);
        }
        push_new(&mut topics, &initiative.topic);
    }
    let legislature =
        non_empty(first(|i| &i.legislature)).unwrap_or_else(|| default_legislature.to_owned());
    let mut proposal = Proposal {
        id: first(|i| &i.id),
        legislature,
        number: first(|i| &i.number),
        kind: first(|i| &i.kind),
        title: first(|i| &i.title),
        authors,
        committee: non_empty(first(|i| &i.committee)),
        link: non_empty(first(|i| &i.link)),
        topics,
        proposer: None,
        votes: entries.into_iter().map(|entry| entry.vote).collect(),
    };
    proposal.sort_votes();
    proposal
}

/// A count written with ASCII digits only, that fits a `u32`.
fn parse_count(cell: &str) -> Option<u32> {
    if cell.is_empty() || !cell.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    cell.parse().ok()
}

/// Appends a non-empty value not there yet.
pub(super) fn push_new(values: &mut Vec<String>, value: &str) {
    if !value.is_empty() && !values.iter().any(|v| v == value) {
        values.push(value.to_owned());
    }
}
