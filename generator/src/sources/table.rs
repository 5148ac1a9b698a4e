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

use super::{Parsed, Quarantined};
use anyhow::{bail, ensure, Context, Result};
use hemiciclo_core::{Actor, ActorKind, Date, Outcome, PhaseKind, Position, Proposal, Venue, Vote};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

/// A cell we keep may hold at most this many bytes; a longer one almost
/// always means a quote was left open and swallowed the lines after it.
const MAX_CELL_BYTES: usize = 1 << 20;

/// How to read one votes table: `[source.table]` in `site.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TableConfig {
    /// The byte between fields: `","`, `";"`, `"\t"`, ...
    #[serde(default = "default_delimiter")]
    pub delimiter: char,
    /// How the date column is written, with `%Y` (four digits), `%m`,
    /// `%d` (two digits), `%-m`, `%-d` (one or two digits) and `%%`; any
    /// other character must appear as is. E.g. `"%d.%m.%Y"`.
    #[serde(default = "default_date_format")]
    pub date_format: String,
    /// The legislature of every proposal, for a file without such a column
    /// (or where it is empty).
    #[serde(default)]
    pub legislature: Option<String>,
    /// Splits an author cell holding several authors (`"SPD, Grüne"`).
    #[serde(default)]
    pub author_separator: Option<String>,
    /// Configured columns a file may lack (their fields are then empty);
    /// any other configured column missing from the header is an error.
    #[serde(default, deserialize_with = "string_or_list")]
    pub optional_columns: Vec<String>,
    /// Where each field is.
    pub columns: ColumnNames,
    /// Which columns hold how each actor voted.
    #[serde(default)]
    pub actors: ActorColumns,
    /// The words the cells use.
    pub values: Values,
    /// Which phase names decide a proposal.
    #[serde(default)]
    pub phases: Phases,
}

/// `[source.table.columns]`: the header name of each field.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ColumnNames {
    /// The initiative's id; rows with the same id are one proposal.
    pub initiative: String,
    pub title: String,
    /// The day of the vote, written as `date-format` says.
    pub date: String,
    /// The vote's own id. Without it, a vote is named
    /// `initiative/date/phase/n`, `n` counting the rows of that initiative,
    /// date and phase in file order.
    #[serde(default)]
    pub vote_id: Option<String>,
    /// The kind of initiative ("Projeto de Lei", "Antrag", ...).
    #[serde(default)]
    pub kind: Option<String>,
    /// Author columns; the first non-empty one of a row names its author.
    #[serde(default, deserialize_with = "string_or_list")]
    pub author: Vec<String>,
    /// The phase of the vote, classified by `[source.table.phases]`.
    #[serde(default)]
    pub phase: Option<String>,
    #[serde(default)]
    pub result: Option<String>,
    /// The committee that handled the initiative.
    #[serde(default)]
    pub committee: Option<String>,
    /// A topic the source itself gives.
    #[serde(default)]
    pub topic: Option<String>,
    #[serde(default)]
    pub legislature: Option<String>,
    /// The initiative's number within its legislature.
    #[serde(default)]
    pub number: Option<String>,
    /// A link to the initiative's text.
    #[serde(default)]
    pub link: Option<String>,
    /// What exactly was voted when not the whole text (an amendment, ...).
    #[serde(default)]
    pub description: Option<String>,
    /// A cell holding one of `values.unanimous` when the vote was unanimous.
    #[serde(default)]
    pub unanimous: Option<String>,
}

/// `[source.table.actors]`: the columns that are party groups or members.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ActorColumns {
    /// The actor columns. When left out, every column that is neither
    /// configured above nor listed in `ignore` is an actor, which suits
    /// tables whose parties change from one file to the next.
    #[serde(deserialize_with = "option_string_or_list")]
    pub columns: Option<Vec<String>>,
    /// Columns that are not actors although no field reads them.
    #[serde(deserialize_with = "string_or_list")]
    pub ignore: Vec<String>,
    /// Ending of the column of a member who sits alone, e.g. `" (Ninsc)"`.
    pub non_attached_suffix: Option<String>,
}

/// `[source.table.values]`: the words of the table's cells. Each entry is
/// a word or a list of words. A position cell holding none of them is an
/// error in that row; an empty cell is no position unless `""` is listed.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Values {
    #[serde(rename = "for", deserialize_with = "string_or_list")]
    pub in_favour: Vec<String>,
    #[serde(deserialize_with = "string_or_list")]
    pub against: Vec<String>,
    #[serde(default, deserialize_with = "string_or_list")]
    pub abstain: Vec<String>,
    #[serde(default, deserialize_with = "string_or_list")]
    pub absent: Vec<String>,
    /// Results meaning the proposal passed; any other non-empty result,
    /// unless listed in `rejected`, is an error in that row.
    #[serde(default, deserialize_with = "string_or_list")]
    pub approved: Vec<String>,
    #[serde(default, deserialize_with = "string_or_list")]
    pub rejected: Vec<String>,
    /// What the unanimity column holds for a unanimous vote; anything else
    /// there means not unanimous.
    #[serde(default, deserialize_with = "string_or_list")]
    pub unanimous: Vec<String>,
}

/// `[source.table.phases]`: the phase names that can decide a proposal
/// (see [`Proposal::decisive_vote`]); any other is [`PhaseKind::Other`].
/// A table without a phase column has empty phases: list `""` under
/// `deliberation` to make each of its votes count.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Phases {
    /// The final vote on the whole text.
    #[serde(rename = "final", deserialize_with = "string_or_list")]
    pub final_global: Vec<String>,
    /// The vote on the general principle.
    #[serde(deserialize_with = "string_or_list")]
    pub general: Vec<String>,
    /// The single vote on a resolution or motion.
    #[serde(deserialize_with = "string_or_list")]
    pub deliberation: Vec<String>,
}

fn default_delimiter() -> char {
    ','
}

fn default_date_format() -> String {
    "%Y-%m-%d".into()
}

/// Parses the bytes of a votes table as `config` describes it; `origin`
/// names the source in messages.
pub fn parse(bytes: &[u8], origin: &str, config: &TableConfig) -> Result<Parsed> {
    let rules = Rules::compile(config)
        .with_context(|| format!("{origin}: the table configuration cannot be used"))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    ensure!(
        !bytes.iter().all(u8::is_ascii_whitespace),
        "{origin}: the file is empty; a votes table needs a header row naming its columns, \
         then one row per vote"
    );
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(rules.delimiter)
        .flexible(true)
        .from_reader(bytes);
    let headers = read_header(&mut reader, origin)?;
    let unclosed_quote = ends_inside_quotes(bytes, rules.delimiter);
    let mut records = reader.into_byte_records().peekable();
    if records.peek().is_none() {
        ensure!(
            !unclosed_quote,
            "{origin}:1: the header row opens a quoted field that is never closed; add the \
             missing quote"
        );
    }
    let layout = Layout::find(&headers, config, origin)?;
    ensure!(
        records.peek().is_some(),
        "{origin}: the file has a header row but no votes; check that the export is complete"
    );

    let mut ingest = Ingest::new(origin, &layout, &rules);
    while let Some(record) = records.next() {
        let record = record.with_context(|| format!("{origin}: the file cannot be read"))?;
        let swallowed_rest = unclosed_quote && records.peek().is_none();
        ingest.row(&record, swallowed_rest);
    }
    Ok(ingest.finish())
}

/// The header names, trimmed; an error when they are not text.
fn read_header(reader: &mut csv::Reader<&[u8]>, origin: &str) -> Result<Vec<String>> {
    let header = reader
        .byte_headers()
        .with_context(|| format!("{origin}:1: cannot read the header row"))?;
    header
        .iter()
        .enumerate()
        .map(|(i, name)| match std::str::from_utf8(name) {
            Ok(name) => Ok(name.trim().to_owned()),
            Err(_) => bail!(
                "{origin}:1: the header's column {} is not valid UTF-8; save the file as UTF-8",
                i + 1
            ),
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
    fn compile(config: &TableConfig) -> Result<Rules> {
        let delimiter = u8::try_from(config.delimiter)
            .ok()
            .filter(u8::is_ascii)
            .with_context(|| {
                format!(
                    "the delimiter {:?} is not a single ASCII character",
                    config.delimiter
                )
            })?;
        ensure!(
            delimiter != b'"' && delimiter != b'\n' && delimiter != b'\r',
            "the delimiter {:?} cannot be a quote or a line break",
            config.delimiter
        );
        let date_format = DateFormat::compile(&config.date_format)
            .map_err(|e| anyhow::anyhow!("date-format {:?}: {e}", config.date_format))?;
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
    fn new(lists: &[(&str, &Vec<String>, T)]) -> Result<Vocabulary<T>> {
        let mut vocabulary = Vocabulary {
            meanings: HashMap::new(),
            words: Vec::new(),
        };
        let mut settings: HashMap<String, &str> = HashMap::new();
        for (setting, words, meaning) in lists {
            for word in *words {
                let key = match_key(word);
                if let Some(other) = settings.get(&key).filter(|other| *other != setting) {
                    bail!("{word:?} is listed both under {other} and under {setting}");
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

/// A `date-format`, parsed once.
#[derive(Debug)]
struct DateFormat {
    text: String,
    pieces: Vec<DatePiece>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum DatePiece {
    Year,
    Month { padded: bool },
    Day { padded: bool },
    Literal(char),
}

/// Why a date cell was refused.
#[derive(Debug, PartialEq)]
enum DateError {
    /// Not written as the format says.
    Format,
    /// Written right, but no such day (2023-02-30).
    NoSuchDay,
}

impl DateFormat {
    fn compile(text: &str) -> Result<DateFormat, String> {
        let mut pieces = Vec::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                pieces.push(DatePiece::Literal(c));
                continue;
            }
            let piece = match (chars.next(), chars.clone().next()) {
                (Some('Y'), _) => DatePiece::Year,
                (Some('m'), _) => DatePiece::Month { padded: true },
                (Some('d'), _) => DatePiece::Day { padded: true },
                (Some('%'), _) => DatePiece::Literal('%'),
                (Some('-'), Some('m')) => DatePiece::Month { padded: false },
                (Some('-'), Some('d')) => DatePiece::Day { padded: false },
                _ => return Err("only %Y, %m, %d, %-m, %-d and %% are understood".into()),
            };
            if matches!(
                piece,
                DatePiece::Month { padded: false } | DatePiece::Day { padded: false }
            ) {
                chars.next();
            }
            pieces.push(piece);
        }
        let count = |wanted: fn(&DatePiece) -> bool| pieces.iter().filter(|p| wanted(p)).count();
        if count(|p| *p == DatePiece::Year) != 1
            || count(|p| matches!(p, DatePiece::Month { .. })) != 1
            || count(|p| matches!(p, DatePiece::Day { .. })) != 1
        {
            return Err("it must hold the year, the month and the day once each".into());
        }
        Ok(DateFormat {
            text: text.to_owned(),
            pieces,
        })
    }

    fn parse(&self, text: &str) -> Result<Date, DateError> {
        let (mut year, mut month, mut day) = (0, 0, 0);
        let mut rest = text;
        for piece in &self.pieces {
            match *piece {
                DatePiece::Year => year = take_digits(&mut rest, 4, 4)?,
                DatePiece::Month { padded } => {
                    month = take_digits(&mut rest, fewest_digits(padded), 2)?
                }
                DatePiece::Day { padded } => {
                    day = take_digits(&mut rest, fewest_digits(padded), 2)?
                }
                DatePiece::Literal(c) => rest = rest.strip_prefix(c).ok_or(DateError::Format)?,
            }
        }
        if !rest.is_empty() {
            return Err(DateError::Format);
        }
        let narrow = |n: u16| u8::try_from(n).map_err(|_| DateError::NoSuchDay);
        Date::new(year, narrow(month)?, narrow(day)?).ok_or(DateError::NoSuchDay)
    }
}

/// The fewest digits a month or day takes.
fn fewest_digits(padded: bool) -> usize {
    if padded {
        2
    } else {
        1
    }
}

/// Reads `min..=max` ASCII digits off the front of `rest`.
fn take_digits(rest: &mut &str, min: usize, max: usize) -> Result<u16, DateError> {
    let n = rest
        .bytes()
        .take(max)
        .take_while(u8::is_ascii_digit)
        .count();
    if n < min {
        return Err(DateError::Format);
    }
    let (digits, tail) = rest.split_at(n);
    *rest = tail;
    digits.parse().map_err(|_| DateError::Format)
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
            .with_context(|| self.missing(name, field))
    }

    fn optional(&self, name: Option<&String>, field: &str) -> Result<Option<usize>> {
        let Some(name) = name else { return Ok(None) };
        match self.index(name, field)? {
            Some(index) => Ok(Some(index)),
            None if self.optional.iter().any(|o| o.trim() == name.trim()) => Ok(None),
            None => Err(anyhow::anyhow!(self.missing(name, field))),
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
        ensure!(
            found.next().is_none(),
            "{}:1: the column {name:?} ({field}) appears more than once in the header; rename \
             the copies",
            self.origin
        );
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

/// Reads a setting written as one string or as a list of strings.
fn string_or_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    struct StringOrList;
    impl<'de> Visitor<'de> for StringOrList {
        type Value = Vec<String>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string or a list of strings")
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<Vec<String>, E> {
            Ok(vec![value.to_owned()])
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut values = Vec::new();
            while let Some(value) = seq.next_element::<String>()? {
                values.push(value);
            }
            Ok(values)
        }
    }
    deserializer.deserialize_any(StringOrList)
}

fn option_string_or_list<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<String>>, D::Error> {
    string_or_list(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small council table: `;`, German words, dates as `dd.mm.yyyy`.
    const CONFIG: &str = r#"
        delimiter = ";"
        date-format = "%d.%m.%Y"
        legislature = "2020-2026"
        [columns]
        initiative = "Vorlage"
        vote-id = "Nr"
        title = "Betreff"
        date = "Datum"
        phase = "Art"
        result = "Ergebnis"
        [actors]
        non-attached-suffix = " (fraktionslos)"
        [values]
        for = "Ja"
        against = "Nein"
        abstain = "Enthaltung"
        absent = ["abwesend", "fehlt"]
        approved = "angenommen"
        rejected = "abgelehnt"
        [phases]
        final = "Schlussabstimmung"
        deliberation = ["Beschluss", ""]
    "#;

    const HEADER: &str = "Vorlage;Nr;Betreff;Datum;Art;Ergebnis;SPD;CSU;Eva Roth (fraktionslos)\n";

    const GOOD_ROW: &str = "V1;1;Radweg;14.03.2023;Beschluss;angenommen;Ja;Nein;Ja\n";

    fn config() -> TableConfig {
        toml::from_str(CONFIG).unwrap()
    }

    fn parse_with(config: &TableConfig, text: &[u8]) -> Result<Parsed> {
        parse(text, "rat.csv", config)
    }

    fn parse_rows(rows: &str) -> Result<Parsed> {
        parse_with(&config(), format!("{HEADER}{rows}").as_bytes())
    }

    fn error(config: &TableConfig, text: &[u8]) -> String {
        format!("{:#}", parse_with(config, text).unwrap_err())
    }

    /// The single quarantine entry of rows that hold one bad row after a
    /// good one, which must still be read.
    fn set_aside(bad_row: &[u8]) -> Quarantined {
        let mut text = format!("{HEADER}{GOOD_ROW}").into_bytes();
        text.extend_from_slice(bad_row);
        let parsed = parse_with(&config(), &text).unwrap();
        assert_eq!(parsed.proposals.len(), 1, "the good row is kept");
        assert_eq!(parsed.proposals[0].votes[0].id, "1");
        match parsed.quarantine.as_slice() {
            [entry] => {
                assert_eq!(entry.source, "rat.csv");
                entry.clone()
            }
            other => panic!("expected one quarantine entry, got {other:#?}"),
        }
    }

    #[test]
    fn reads_rows_by_configuration() {
        let parsed = parse_rows(
            "V1;2;Radweg;09.05.2023;Schlussabstimmung;ANGENOMMEN;ja; Enthaltung ;\n\
             V1;1;Radweg;14.03.2023;Beschluss;abgelehnt;Ja;Nein;fehlt\n\
             V2;3;\"Haushalt; Teil 2\";01.06.2023;;;Nein;Nein;Nein\n",
        )
        .unwrap();
        assert!(parsed.quarantine.is_empty(), "{:#?}", parsed.quarantine);
        let [v1, v2] = parsed.proposals.as_slice() else {
            panic!("{:#?}", parsed.proposals)
        };
        assert_eq!(v1.legislature, "2020-2026", "the constant fills in");
        let ids: Vec<&str> = v1.votes.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(ids, ["1", "2"], "votes in date order");
        let last = &v1.votes[1];
        assert_eq!(last.phase_kind, PhaseKind::FinalGlobal);
        assert_eq!(last.result, Some(Outcome::Approved), "case does not matter");
        assert_eq!(
            last.positions,
            BTreeMap::from([
                ("SPD".to_owned(), Position::For),
                ("CSU".to_owned(), Position::Abstain),
            ]),
            "an empty cell is no position"
        );
        assert_eq!(
            v1.votes[0].positions["Eva Roth (fraktionslos)"],
            Position::Absent
        );
        assert_eq!(v1.decisive_vote().unwrap().id, "2");
        assert_eq!(v2.title, "Haushalt; Teil 2");
        assert_eq!(
            v2.votes[0].phase_kind,
            PhaseKind::Deliberation,
            "\"\" is listed"
        );
        assert_eq!(v2.votes[0].result, None);
        let eva = parsed.actors.iter().find(|a| a.name == "Eva Roth").unwrap();
        assert_eq!(eva.kind, ActorKind::NonAttached);
        assert_eq!(parsed.actors.len(), 3);
    }

    #[test]
    fn without_a_vote_id_column_votes_are_named_by_initiative_date_phase_and_order() {
        let mut config = config();
        config.columns.vote_id = None;
        config.actors.ignore = vec!["Nr".into()];
        let text = format!(
            "{HEADER}V1;;T;14.03.2023;Beschluss;;Ja;Nein;\n\
             V1;;T;14.03.2023;Beschluss;;Nein;Nein;\n\
             V1;;T;15.03.2023;Beschluss;;Ja;Ja;\n"
        );
        let parsed = parse_with(&config, text.as_bytes()).unwrap();
        let ids: Vec<&str> = parsed.proposals[0]
            .votes
            .iter()
            .map(|v| v.id.as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "V1/2023-03-14/Beschluss/1",
                "V1/2023-03-14/Beschluss/2",
                "V1/2023-03-15/Beschluss/1"
            ]
        );
        assert_eq!(
            parsed.proposals[0].votes[1].positions["SPD"],
            Position::Against
        );
        assert_eq!(parsed.actors.len(), 3, "Nr is ignored, not an actor");
    }

    #[test]
    fn explicit_actors_authors_and_optional_columns() {
        let config: TableConfig = toml::from_str(
            r#"
            author-separator = ","
            optional-columns = ["Link", "Grüne"]
            [columns]
            initiative = "id"
            title = "title"
            date = "date"
            author = ["by", "by group"]
            link = "Link"
            [actors]
            columns = ["A", "Grüne"]
            [values]
            for = "y"
            against = "n"
            "#,
        )
        .unwrap();
        let parsed = parse_with(
            &config,
            b"id,title,date,by,by group,A,B\n\
              1,t,2023-01-02,,\"X, Y\",y,?\n\
              1,t,2023-01-03,Z,W,n,?\n",
        )
        .unwrap();
        assert!(parsed.quarantine.is_empty(), "{:#?}", parsed.quarantine);
        let actors: Vec<&str> = parsed.actors.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(actors, ["A"], "B is not listed, Grüne is optional");
        let proposal = &parsed.proposals[0];
        assert_eq!(proposal.authors, ["X", "Y", "Z"]);
        assert_eq!(proposal.link, None);
        assert_eq!(proposal.legislature, "");
    }

    #[test]
    fn date_formats() {
        let date = |format: &str, text: &str| DateFormat::compile(format).unwrap().parse(text);
        let day = Date::new(2023, 3, 4).unwrap();
        assert_eq!(date("%Y-%m-%d", "2023-03-04"), Ok(day));
        assert_eq!(date("%d/%m/%Y", "04/03/2023"), Ok(day));
        assert_eq!(date("%d.%m.%Y", "04.03.2023"), Ok(day));
        assert_eq!(date("%-d.%-m.%Y", "4.3.2023"), Ok(day));
        assert_eq!(date("%-d.%-m.%Y", "04.03.2023"), Ok(day));
        assert_eq!(date("%Y%m%d", "20230304"), Ok(day));
        assert_eq!(date("%d.%m.%Y %%", "04.03.2023 %"), Ok(day));
        assert_eq!(date("%d.%m.%Y", "4.3.2023"), Err(DateError::Format));
        assert_eq!(date("%d.%m.%Y", "04.03.2023 10:00"), Err(DateError::Format));
        assert_eq!(date("%d.%m.%Y", "04.03.23"), Err(DateError::Format));
        assert_eq!(date("%d.%m.%Y", "04.03.２０２３"), Err(DateError::Format));
        assert_eq!(date("%d.%m.%Y", "29.02.2023"), Err(DateError::NoSuchDay));
        assert_eq!(date("%d.%m.%Y", "01.13.2023"), Err(DateError::NoSuchDay));
        assert_eq!(date("%d.%m.%Y", ""), Err(DateError::Format));
        for bad in ["%Y-%m", "%Y-%m-%d-%d", "%H:%M", "%Y-%m-%", "%Y-%-x-%d", ""] {
            assert!(DateFormat::compile(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unusable_configurations_are_errors() {
        let mut config = config();
        config.date_format = "%d.%m.%y".into();
        assert!(error(&config, HEADER.as_bytes()).contains("date-format"));
        let mut config = self::config();
        config.delimiter = '§';
        assert!(error(&config, HEADER.as_bytes()).contains("ASCII"));
        let mut config = self::config();
        config.values.against.push("JA".into());
        let message = error(&config, HEADER.as_bytes());
        assert!(
            message.contains("\"JA\" is listed both under for and under against"),
            "{message}"
        );
        let typo = toml::from_str::<TableConfig>(&CONFIG.replace("date-format", "date-fromat"));
        assert!(typo.unwrap_err().to_string().contains("date-fromat"));
    }

    // Malformed input: each is an error with a clear message or a
    // quarantine entry, never a panic.

    #[test]
    fn a_missing_configured_column_is_an_error_naming_it_and_the_file() {
        let message = error(
            &config(),
            b"Vorlage;Nr;Titel;Datum;Art;Ergebnis;SPD\nV1;1;T;01.01.2023;;;Ja\n",
        );
        assert!(
            message.starts_with("rat.csv:1: the column \"Betreff\" (title) is missing"),
            "{message}"
        );
        assert!(
            message.contains("\"Titel\""),
            "the header is shown: {message}"
        );
        assert!(
            message.contains("[source.table.columns]"),
            "what to do: {message}"
        );
    }

    #[test]
    fn an_empty_file_is_an_error() {
        for text in [&b""[..], b"\n\n  \r\n", b"\xEF\xBB\xBF"] {
            let message = error(&config(), text);
            assert!(
                message.starts_with("rat.csv: the file is empty"),
                "{message}"
            );
        }
    }

    #[test]
    fn a_header_without_rows_is_an_error() {
        let message = error(&config(), HEADER.as_bytes());
        assert!(
            message.contains("rat.csv: the file has a header row but no votes"),
            "{message}"
        );
    }

    #[test]
    fn ragged_rows_are_set_aside() {
        let short = set_aside(b"V2;2;T;01.01.2023\n");
        assert_eq!(short.location, "line 3");
        assert_eq!(short.record, None, "shifted fields are not trusted as ids");
        assert!(
            short.reason.contains("4 fields where the header has 9"),
            "{short}"
        );
        let long = set_aside(b"V2;2;T;01.01.2023;Beschluss;angenommen;Ja;Ja;Ja;Ja\n");
        assert!(
            long.reason.contains("10 fields where the header has 9"),
            "{long}"
        );
    }

    #[test]
    fn invalid_utf8_in_a_row_is_set_aside() {
        let entry = set_aside(b"V2;2;Stra\xdfe;01.01.2023;Beschluss;angenommen;Ja;Ja;Ja\n");
        assert_eq!(entry.location, "line 3");
        assert_eq!(entry.record.as_deref(), Some("2"));
        assert_eq!(
            entry.reason,
            "initiative V2: the cell in column \"Betreff\" is not valid UTF-8; save the file as UTF-8"
        );
    }

    #[test]
    fn invalid_utf8_in_the_header_is_an_error() {
        let message = error(&config(), b"Vorlage;Nr;Betreff;Stra\xdfe\nV1;1;T;x\n");
        assert_eq!(
            message,
            "rat.csv:1: the header's column 4 is not valid UTF-8; save the file as UTF-8"
        );
    }

    #[test]
    fn an_unknown_position_is_set_aside() {
        let entry = set_aside(b"V2;2;T;01.01.2023;Beschluss;angenommen;Ja;vielleicht;Ja\n");
        assert_eq!(entry.record.as_deref(), Some("2"));
        assert_eq!(
            entry.reason,
            "initiative V2: unknown position \"vielleicht\" in column \"CSU\"; expected \"Ja\", \
             \"Nein\", \"Enthaltung\", \"abwesend\", \"fehlt\" or an empty cell (values.for, \
             values.against, values.abstain, values.absent)"
        );
    }

    #[test]
    fn an_unknown_result_is_set_aside() {
        let entry = set_aside(b"V2;2;T;01.01.2023;Beschluss;vertagt;Ja;Ja;Ja\n");
        assert!(
            entry
                .reason
                .contains("unknown result \"vertagt\" in column \"Ergebnis\""),
            "{entry}"
        );
    }

    #[test]
    fn an_impossible_date_is_set_aside() {
        let mut config = config();
        config.date_format = "%Y-%m-%d".into();
        let text = format!("{HEADER}V1;1;T;2023-02-28;;;Ja;;\nV2;2;T;2023-02-30;;;Ja;;\n");
        let parsed = parse_with(&config, text.as_bytes()).unwrap();
        assert_eq!(parsed.proposals.len(), 1);
        let entry = &parsed.quarantine[0];
        assert_eq!(
            (entry.location.as_str(), entry.record.as_deref()),
            ("line 3", Some("2"))
        );
        assert_eq!(
            entry.reason,
            "initiative V2: the date \"2023-02-30\" is not a day of the calendar"
        );
    }

    #[test]
    fn a_date_in_another_format_is_set_aside() {
        let entry = set_aside(b"V2;2;T;2023-01-01;Beschluss;angenommen;Ja;Ja;Ja\n");
        assert_eq!(
            entry.reason,
            "initiative V2: the date \"2023-01-01\" is not written as \"%d.%m.%Y\" (date-format)"
        );
    }

    #[test]
    fn a_second_row_of_the_same_vote_is_set_aside() {
        let entry = set_aside(b"V1;1;Radweg;14.03.2023;Beschluss;angenommen;Nein;Nein;Nein\n");
        assert_eq!(
            (entry.location.as_str(), entry.record.as_deref()),
            ("line 3", Some("1"))
        );
        assert!(
            entry
                .reason
                .contains("the vote 1 already appears on line 2"),
            "{entry}"
        );
    }

    #[test]
    fn a_row_without_initiative_or_vote_id_is_set_aside() {
        let entry = set_aside(b" ;2;T;01.01.2023;Beschluss;angenommen;Ja;Ja;Ja\n");
        assert_eq!(entry.record.as_deref(), Some("2"));
        assert!(
            entry
                .reason
                .contains("no initiative id (column \"Vorlage\")"),
            "{entry}"
        );
        let entry = set_aside(b";;T;01.01.2023;Beschluss;angenommen;Ja;Ja;Ja\n");
        assert_eq!(entry.record, None);
        let entry = set_aside(b"V2;;T;01.01.2023;Beschluss;angenommen;Ja;Ja;Ja\n");
        assert_eq!(entry.record.as_deref(), Some("V2"));
        assert_eq!(entry.reason, "the row has no vote id (column \"Nr\")");
    }

    #[test]
    fn a_50_mb_line_is_set_aside() {
        let mut line = b"V2;2;".to_vec();
        line.resize(line.len() + 50 * 1024 * 1024, b'x');
        line.extend_from_slice(b";01.01.2023;Beschluss;angenommen;Ja;Ja;Ja\n");
        let entry = set_aside(&line);
        assert_eq!(entry.location, "line 3");
        assert!(
            entry
                .reason
                .contains("column \"Betreff\" holds 52428800 bytes"),
            "{}",
            &entry.reason[..entry.reason.len().min(300)]
        );
        // The same line as the only line of a file is a header without the
        // configured columns.
        let message = error(&config(), &line);
        assert!(message.contains("the column \"Vorlage\" (initiative) is missing"));
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let text = format!("\u{feff}{HEADER}{GOOD_ROW}");
        let parsed = parse_with(&config(), text.as_bytes()).unwrap();
        assert!(parsed.quarantine.is_empty(), "{:#?}", parsed.quarantine);
        assert_eq!(parsed.proposals[0].id, "V1");
    }

    #[test]
    fn a_quote_never_closed_is_set_aside() {
        let mut text =
            format!("{HEADER}{GOOD_ROW}V2;2;\"Haushalt;01.01.2023;;;Ja;Ja;Ja\n").into_bytes();
        text.extend_from_slice(b"V3;3;T;01.01.2023;;;Ja;Ja;Ja\n");
        let parsed = parse_with(&config(), &text).unwrap();
        assert_eq!(parsed.proposals.len(), 1);
        let entry = &parsed.quarantine[0];
        assert_eq!(
            (entry.location.as_str(), entry.record.as_deref()),
            ("line 3", None)
        );
        assert!(entry.reason.contains("never closed"), "{entry}");
        // When the open quote is in the last column the row still lines up.
        let entry = set_aside(b"V2;2;T;01.01.2023;;;Ja;Ja;\"Ja\nV3;3;T;01.01.2023;;;Ja;Ja;Ja\n");
        assert!(entry.reason.contains("never closed"), "{entry}");
        assert_eq!(entry.record.as_deref(), Some("2"));
        // In the header, nothing can be read.
        let message = error(&config(), b"Vorlage;\"Nr\nV1;1\n");
        assert!(
            message.contains("rat.csv:1: the header row opens a quoted field"),
            "{message}"
        );
    }

    #[test]
    fn a_column_named_twice_is_an_error() {
        let message = error(&config(), format!("SPD;{HEADER}").as_bytes());
        assert!(
            message.contains("the column \"SPD\" (actor) appears more than once"),
            "{message}"
        );
        let message = error(&config(), format!("Nr;{HEADER}").as_bytes());
        assert!(message.contains("\"Nr\" (vote-id)"), "{message}");
    }

    #[test]
    fn no_input_makes_it_panic() {
        let seed = format!(
            "\u{feff}{HEADER}{GOOD_ROW}V2;2;\"a\"\"b\";29.02.2024;Schlussabstimmung;abgelehnt;Nein;;abwesend\r\n"
        );
        let alphabet = b";\"\n\r.0123456789JaNein \xff\xc3\xa4";
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        let config = config();
        for _ in 0..3000 {
            let mut bytes = seed.clone().into_bytes();
            for _ in 0..1 + next(6) {
                let at = next(bytes.len() + 1);
                match next(3) {
                    0 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    1 if at < bytes.len() => bytes[at] = alphabet[next(alphabet.len())],
                    _ => bytes.insert(at, alphabet[next(alphabet.len())]),
                }
            }
            let cut = next(bytes.len() + 1);
            for text in [&bytes[..], &bytes[..cut]] {
                if let Ok(parsed) = parse_with(&config, text) {
                    let rows: usize = parsed.proposals.iter().map(|p| p.votes.len()).sum();
                    assert!(rows + parsed.quarantine.len() > 0);
                }
            }
        }
    }
}
