//! A votes table (CSV) read by configuration alone.
//!
//! Parliaments and city councils publish their votes as tables that all
//! look alike (one row per vote, one column per party group) and all differ
//! in the details: the delimiter, the column names, the date format, the
//! words for "yes" and "no", the names of the phases. [`TableConfig`] is
//! what an operator writes under `[source.table]` in `site.toml` to describe
//! one such table, so that a new one ingests without code changes; the AR
//! votes CSV is a built-in preset of it ([`TableConfig::ar_preset`]).
//!
//! Following the pipeline rules, a table that cannot be read at all (not
//! UTF-8, a configured column missing from the header, no rows) is an
//! error, while a bad row is put in quarantine with its line and reason and
//! the other rows go on. No input makes this module panic.
//!
//! Vocabulary (position, result, unanimity and phase words) is matched
//! ignoring case and surrounding spaces; every cell is trimmed.

mod config;
mod date;
#[cfg(test)]
mod tests;

pub use config::{ActorColumns, ColumnNames, Phases, TableConfig, Values};

use super::{Parsed, Quarantined};
use crate::error::{Error, Result};
use date::{DateError, DateFormat};
use hemiciclo_core::{Actor, ActorKind, Date, Outcome, PhaseKind, Position, Proposal, Venue, Vote};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A cell we keep may hold at most this many bytes; a longer one almost
/// always means a quote was left open and swallowed the lines after it.
const MAX_CELL_BYTES: usize = 1 << 20;

/// Parses the bytes of a votes table as `config` describes it; `origin`
/// names the source in messages.
pub fn parse(bytes: &[u8], origin: &str, config: &TableConfig) -> Result<Parsed> {
    let rules = Rules::compile(config).map_err(|e| {
        Error::Config(format!(
            "{origin}: the table configuration cannot be used: {e}"
        ))
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Unreadable(format!(
            "{origin}: the file is empty; a votes table needs a header row naming its columns, \
             then one row per vote"
        )));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(rules.delimiter)
        .flexible(true)
        .from_reader(bytes);
    let headers = read_header(&mut reader, origin)?;
    let unclosed_quote = ends_inside_quotes(bytes, rules.delimiter);
    let mut records = reader.into_byte_records().peekable();
    if records.peek().is_none() && unclosed_quote {
        return Err(Error::Unreadable(format!(
            "{origin}:1: the header row opens a quoted field that is never closed; add the \
             missing quote"
        )));
    }
    let layout = Layout::find(&headers, config, origin)?;
    if records.peek().is_none() {
        return Err(Error::Unreadable(format!(
            "{origin}: the file has a header row but no votes; check that the export is complete"
        )));
    }

    let mut ingest = Ingest::new(origin, &layout, &rules);
    while let Some(record) = records.next() {
        let record = record.map_err(|source| Error::Csv {
            doing: format!("{origin}: the file cannot be read"),
            source,
        })?;
        let swallowed_rest = unclosed_quote && records.peek().is_none();
        ingest.row(&record, swallowed_rest);
    }
    Ok(ingest.finish())
}

/// The header names, trimmed; an error when they are not text.
fn read_header(reader: &mut csv::Reader<&[u8]>, origin: &str) -> Result<Vec<String>> {
    let header = reader.byte_headers().map_err(|source| Error::Csv {
        doing: format!("{origin}:1: cannot read the header row"),
        source,
    })?;
    header
        .iter()
        .enumerate()
        .map(|(i, name)| match std::str::from_utf8(name) {
            Ok(name) => Ok(name.trim().to_owned()),
            Err(_) => Err(Error::Unreadable(format!(
                "{origin}:1: the header's column {} is not valid UTF-8; save the file as UTF-8",
                i + 1
            ))),
        })
        .collect()
}

/// Whether the text ends inside a quoted field, by the same rules the CSV
/// reader follows: a quote opens a field only at its start, and `""`
/// inside a quoted field is a literal quote. The reader itself silently
/// takes such a field to the end of the file.
fn ends_inside_quotes(bytes: &[u8], delimiter: u8) -> bool {
    let mut in_quotes = false;
    let mut field_start = true;
    let mut escaped_quote = false;
    for (i, &byte) in bytes.iter().enumerate() {
        if escaped_quote {
            escaped_quote = false;
        } else if in_quotes {
            if byte == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    escaped_quote = true;
                } else {
                    in_quotes = false;
                }
            }
        } else if field_start && byte == b'"' {
            in_quotes = true;
            field_start = false;
        } else {
            field_start = byte == delimiter || byte == b'\n' || byte == b'\r';
        }
    }
    in_quotes
}

/// The configuration made ready to apply: the vocabulary by its matching
/// key, the date format parsed.
#[derive(Debug)]
struct Rules {
    delimiter: u8,
    date_format: DateFormat,
    positions: Vocabulary<Position>,
    results: Vocabulary<Outcome>,
    unanimous: Vocabulary<()>,
    phases: Vocabulary<PhaseKind>,
    legislature: String,
    author_separator: Option<String>,
}

impl Rules {
    fn compile(config: &TableConfig) -> Result<Rules, String> {
        let delimiter = u8::try_from(config.delimiter)
            .ok()
            .filter(u8::is_ascii)
            .ok_or_else(|| {
                format!(
                    "the delimiter {:?} is not a single ASCII character",
                    config.delimiter
                )
            })?;
        if delimiter == b'"' || delimiter == b'\n' || delimiter == b'\r' {
            return Err(format!(
                "the delimiter {:?} cannot be a quote or a line break",
                config.delimiter
            ));
        }
        let date_format = DateFormat::compile(&config.date_format)
            .map_err(|e| format!("date-format {:?}: {e}", config.date_format))?;
        let values = &config.values;
        let phases = &config.phases;
        Ok(Rules {
            delimiter,
            date_format,
            positions: Vocabulary::new(&[
                ("for", &values.in_favour, Position::For),
                ("against", &values.against, Position::Against),
                ("abstain", &values.abstain, Position::Abstain),
                ("absent", &values.absent, Position::Absent),
            ])?,
            results: Vocabulary::new(&[
                ("approved", &values.approved, Outcome::Approved),
                ("rejected", &values.rejected, Outcome::Rejected),
            ])?,
            unanimous: Vocabulary::new(&[("unanimous", &values.unanimous, ())])?,
            phases: Vocabulary::new(&[
                ("final", &phases.final_global, PhaseKind::FinalGlobal),
                ("general", &phases.general, PhaseKind::General),
                (
                    "deliberation",
                    &phases.deliberation,
                    PhaseKind::Deliberation,
                ),
            ])?,
            legislature: config.legislature.clone().unwrap_or_default(),
            author_separator: config.author_separator.clone().filter(|s| !s.is_empty()),
        })
    }
}

/// Words of one kind of cell, matched ignoring case and surrounding spaces.
#[derive(Debug)]
struct Vocabulary<T> {
    meanings: HashMap<String, T>,
    /// The words as configured, for messages.
    words: Vec<String>,
}

impl<T: Copy + PartialEq> Vocabulary<T> {
    /// Builds it from `(setting name, words, meaning)`; a word with two
    /// meanings is an error.
    fn new(lists: &[(&str, &Vec<String>, T)]) -> Result<Vocabulary<T>, String> {
        let mut vocabulary = Vocabulary {
            meanings: HashMap::new(),
            words: Vec::new(),
        };
        let mut settings: HashMap<String, &str> = HashMap::new();
        for (setting, words, meaning) in lists {
            for word in *words {
                let key = match_key(word);
                if let Some(other) = settings.get(&key).filter(|other| *other != setting) {
                    return Err(format!(
                        "{word:?} is listed both under {other} and under {setting}"
                    ));
                }
                settings.insert(key.clone(), setting);
                vocabulary.meanings.insert(key, *meaning);
                vocabulary.words.push(word.clone());
            }
        }
        Ok(vocabulary)
    }

    fn get(&self, cell: &str) -> Option<T> {
        self.meanings.get(&match_key(cell)).copied()
    }

    /// `"A", "B" or empty`, for messages.
    fn expected(&self) -> String {
        let words: Vec<String> = self
            .words
            .iter()
            .filter(|w| !w.trim().is_empty())
            .map(|w| format!("{w:?}"))
            .collect();
        match words.as_slice() {
            [] => "an empty cell".into(),
            _ => format!("{} or an empty cell", words.join(", ")),
        }
    }
}

fn match_key(word: &str) -> String {
    word.trim().to_lowercase()
}

/// Where each configured field is in this file's header.
#[derive(Debug)]
struct Layout {
    headers: Vec<String>,
    initiative: usize,
    title: usize,
    date: usize,
    vote_id: Option<usize>,
    kind: Option<usize>,
    authors: Vec<usize>,
    phase: Option<usize>,
    result: Option<usize>,
    committee: Option<usize>,
    topic: Option<usize>,
    legislature: Option<usize>,
    number: Option<usize>,
    link: Option<usize>,
    description: Option<usize>,
    unanimous: Option<usize>,
    actors: Vec<(usize, Actor)>,
}

impl Layout {
    fn find(headers: &[String], config: &TableConfig, origin: &str) -> Result<Layout> {
        let finder = ColumnFinder {
            headers,
            optional: &config.optional_columns,
            origin,
        };
        let c = &config.columns;
        let authors = c
            .author
            .iter()
            .map(|name| finder.optional(Some(name), "author"))
            .collect::<Result<Vec<_>>>()?;
        Ok(Layout {
            headers: headers.to_vec(),
            initiative: finder.required(&c.initiative, "initiative")?,
            title: finder.required(&c.title, "title")?,
            date: finder.required(&c.date, "date")?,
            vote_id: finder.optional(c.vote_id.as_ref(), "vote-id")?,
            kind: finder.optional(c.kind.as_ref(), "kind")?,
            authors: authors.into_iter().flatten().collect(),
            phase: finder.optional(c.phase.as_ref(), "phase")?,
            result: finder.optional(c.result.as_ref(), "result")?,
            committee: finder.optional(c.committee.as_ref(), "committee")?,
            topic: finder.optional(c.topic.as_ref(), "topic")?,
            legislature: finder.optional(c.legislature.as_ref(), "legislature")?,
            number: finder.optional(c.number.as_ref(), "number")?,
            link: finder.optional(c.link.as_ref(), "link")?,
            description: finder.optional(c.description.as_ref(), "description")?,
            unanimous: finder.optional(c.unanimous.as_ref(), "unanimous")?,
            actors: finder.actors(config)?,
        })
    }

    fn name(&self, column: usize) -> &str {
        self.headers.get(column).map_or("?", String::as_str)
    }
}

/// Finds configured columns in a header, with messages that say what to do.
struct ColumnFinder<'a> {
    headers: &'a [String],
    optional: &'a [String],
    origin: &'a str,
}

impl ColumnFinder<'_> {
    fn required(&self, name: &str, field: &str) -> Result<usize> {
        self.index(name, field)?
            .ok_or_else(|| Error::Config(self.missing(name, field)))
    }

    fn optional(&self, name: Option<&String>, field: &str) -> Result<Option<usize>> {
        let Some(name) = name else { return Ok(None) };
        match self.index(name, field)? {
            Some(index) => Ok(Some(index)),
            None if self.optional.iter().any(|o| o.trim() == name.trim()) => Ok(None),
            None => Err(Error::Config(self.missing(name, field))),
        }
    }

    /// The column named `name`; an error when two columns have that name.
    fn index(&self, name: &str, field: &str) -> Result<Option<usize>> {
        let mut found = self
            .headers
            .iter()
            .enumerate()
            .filter(|(_, h)| h.as_str() == name.trim())
            .map(|(i, _)| i);
        let first = found.next();
        if found.next().is_some() {
            return Err(Error::Unreadable(format!(
                "{}:1: the column {name:?} ({field}) appears more than once in the header; \
                 rename the copies",
                self.origin
            )));
        }
        Ok(first)
    }

    fn missing(&self, name: &str, field: &str) -> String {
        const SHOWN: usize = 30;
        let mut shown: Vec<String> = self
            .headers
            .iter()
            .take(SHOWN)
            .map(|h| format!("{h:?}"))
            .collect();
        if self.headers.len() > SHOWN {
            shown.push("...".into());
        }
        format!(
            "{}:1: the column {name:?} ({field}) is missing from the header row, which has [{}]; \
             check that this is the right file and that [source.table.columns] names its \
             columns (or list the column under optional-columns)",
            self.origin,
            shown.join(", ")
        )
    }

    fn actors(&self, config: &TableConfig) -> Result<Vec<(usize, Actor)>> {
        let suffix = config.actors.non_attached_suffix.as_deref();
        let columns = match &config.actors.columns {
            Some(listed) => listed
                .iter()
                .map(|name| self.optional(Some(name), "actor"))
                .collect::<Result<Vec<_>>>()?
                .into_iter()
                .flatten()
                .collect(),
            None => self.other_columns(config)?,
        };
        Ok(columns
            .into_iter()
            .map(|i| (i, actor_from_column(&self.headers[i], suffix)))
            .collect())
    }

    /// Every named column that no field reads and that is not ignored.
    fn other_columns(&self, config: &TableConfig) -> Result<Vec<usize>> {
        let c = &config.columns;
        let mapped = [&c.initiative, &c.title, &c.date]
            .into_iter()
            .chain(
                [
                    &c.vote_id,
                    &c.kind,
                    &c.phase,
                    &c.result,
                    &c.committee,
                    &c.topic,
                    &c.legislature,
                    &c.number,
                    &c.link,
                    &c.description,
                    &c.unanimous,
                ]
                .into_iter()
                .flatten(),
            )
            .chain(&c.author)
            .chain(&config.actors.ignore);
        let excluded: HashSet<&str> = mapped.map(|name| name.trim()).collect();
        let columns: Vec<usize> = (0..self.headers.len())
            .filter(|&i| {
                let name = self.headers[i].as_str();
                !name.is_empty() && !excluded.contains(name)
            })
            .collect();
        for &i in &columns {
            self.index(&self.headers[i], "actor")?;
        }
        Ok(columns)
    }
}

fn actor_from_column(column: &str, non_attached_suffix: Option<&str>) -> Actor {
    match non_attached_suffix.and_then(|suffix| column.strip_suffix(suffix)) {
        Some(name) => Actor {
            id: column.to_owned(),
            name: name.trim().to_owned(),
            kind: ActorKind::NonAttached,
        },
        None => Actor {
            id: column.to_owned(),
            name: column.to_owned(),
            kind: ActorKind::Party,
        },
    }
}

/// The initiative-level fields of one row.
#[derive(Debug)]
struct Initiative {
    id: String,
    number: String,
    kind: String,
    legislature: String,
    title: String,
    link: String,
    committee: String,
    topic: String,
    authors: Vec<String>,
}

/// One good row: its initiative's fields and its vote.
#[derive(Debug)]
struct Entry {
    initiative: Initiative,
    vote: Vote,
}

/// The cells of one row, checked as they are read.
struct Cells<'a> {
    record: &'a csv::ByteRecord,
    layout: &'a Layout,
}

impl<'a> Cells<'a> {
    /// The trimmed text of a column; an error when it is not UTF-8 or
    /// longer than a cell can be.
    fn get(&self, column: usize) -> Result<&'a str, String> {
        let bytes = self.record.get(column).unwrap_or_default();
        let name = self.layout.name(column);
        if bytes.len() > MAX_CELL_BYTES {
            return Err(format!(
                "the cell in column {name:?} holds {} bytes, more than the {MAX_CELL_BYTES} a \
                 cell may hold; a quote is probably left open",
                bytes.len()
            ));
        }
        std::str::from_utf8(bytes).map(str::trim).map_err(|_| {
            format!("the cell in column {name:?} is not valid UTF-8; save the file as UTF-8")
        })
    }

    /// Like [`Cells::get`], empty for a column the file does not have.
    fn optional(&self, column: Option<usize>) -> Result<&'a str, String> {
        column.map_or(Ok(""), |c| self.get(c))
    }

    /// A readable, non-empty id, for naming a bad row.
    fn id(&self, column: Option<usize>) -> Option<String> {
        self.optional(column)
            .ok()
            .filter(|id| !id.is_empty())
            .map(str::to_owned)
    }
}

/// Turns rows into proposals, setting bad ones aside.
struct Ingest<'a> {
    origin: &'a str,
    layout: &'a Layout,
    rules: &'a Rules,
    by_initiative: BTreeMap<String, Vec<Entry>>,
    /// Line of the first row of each `(initiative, vote id)`.
    seen: HashMap<(String, String), u64>,
    /// Rows so far of each `(initiative, date, phase)`, for derived vote ids.
    ordinals: HashMap<(String, Date, String), u32>,
    quarantine: Vec<Quarantined>,
}

impl<'a> Ingest<'a> {
    fn new(origin: &'a str, layout: &'a Layout, rules: &'a Rules) -> Ingest<'a> {
        Ingest {
            origin,
            layout,
            rules,
            by_initiative: BTreeMap::new(),
            seen: HashMap::new(),
            ordinals: HashMap::new(),
            quarantine: Vec::new(),
        }
    }

    /// Takes one row; `swallowed_rest` when it opens a quote that the end
    /// of the file closed.
    fn row(&mut self, record: &csv::ByteRecord, swallowed_rest: bool) {
        let line = record.position().map_or(0, csv::Position::line);
        let cells = Cells {
            record,
            layout: self.layout,
        };
        let fields = record.len();
        let expected = self.layout.headers.len();
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
            self.read(&cells)
        };
        // In a row whose fields are shifted, no id can be trusted.
        let named = (fields == expected).then_some(&cells);
        match result {
            Ok(entry) => self.accept(entry, line),
            Err(reason) => self.set_aside(line, named, reason),
        }
    }

    /// Reads a row whose fields line up with the header.
    fn read(&self, cells: &Cells) -> Result<Entry, String> {
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
        };
        Ok(Entry { initiative, vote })
    }

    fn initiative(&self, cells: &Cells) -> Result<Initiative, String> {
        let layout = self.layout;
        let id = cells.get(layout.initiative)?;
        if id.is_empty() {
            return Err(format!(
                "the row has no initiative id (column {:?}); fill it in or remove the row",
                layout.name(layout.initiative)
            ));
        }
        let text = |column: Option<usize>| cells.optional(column).map(str::to_owned);
        Ok(Initiative {
            id: id.to_owned(),
            number: text(layout.number)?,
            kind: text(layout.kind)?,
            legislature: text(layout.legislature)?,
            title: text(Some(layout.title))?,
            link: text(layout.link)?,
            committee: text(layout.committee)?,
            topic: text(layout.topic)?,
            authors: self.authors(cells)?,
        })
    }

    fn date(&self, cells: &Cells) -> Result<Date, String> {
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
    fn authors(&self, cells: &Cells) -> Result<Vec<String>, String> {
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

    fn result(&self, cells: &Cells) -> Result<Option<Outcome>, String> {
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

    fn positions(&self, cells: &Cells) -> Result<BTreeMap<String, Position>, String> {
        let mut positions = BTreeMap::new();
        for (column, actor) in &self.layout.actors {
            let cell = cells.get(*column)?;
            match self.rules.positions.get(cell) {
                Some(position) => {
                    positions.insert(actor.id.clone(), position);
                }
                None if cell.is_empty() => {}
                None => {
                    return Err(format!(
                        "unknown position {cell:?} in column {:?}; expected {} (values.for, \
                         values.against, values.abstain, values.absent)",
                        actor.id,
                        self.rules.positions.expected()
                    ))
                }
            }
        }
        Ok(positions)
    }

    /// Files a good row under its initiative, naming its vote when the
    /// table has no vote ids, and setting aside a second row of one vote.
    fn accept(&mut self, mut entry: Entry, line: u64) {
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
        self.by_initiative
            .entry(initiative)
            .or_default()
            .push(entry);
    }

    /// Quarantines a row, naming it by its vote id (and initiative) when
    /// they can be read.
    fn set_aside(&mut self, line: u64, cells: Option<&Cells>, reason: String) {
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

    fn push(&mut self, line: u64, record: Option<String>, reason: String) {
        self.quarantine.push(Quarantined {
            source: self.origin.to_owned(),
            location: format!("line {line}"),
            record,
            reason,
        });
    }

    fn finish(self) -> Parsed {
        let legislature = &self.rules.legislature;
        Parsed {
            actors: self.layout.actors.iter().map(|(_, a)| a.clone()).collect(),
            proposals: self
                .by_initiative
                .into_values()
                .map(|entries| into_proposal(entries, legislature))
                .collect(),
            quarantine: self.quarantine,
        }
    }
}

/// Joins the rows of one initiative; each field comes from its first row
/// that has it, the authors and topics from all of them.
fn into_proposal(entries: Vec<Entry>, default_legislature: &str) -> Proposal {
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

/// Appends a non-empty value not there yet.
fn push_new(values: &mut Vec<String>, value: &str) {
    if !value.is_empty() && !values.iter().any(|v| v == value) {
        values.push(value.to_owned());
    }
}
