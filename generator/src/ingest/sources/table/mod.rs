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
//!
//! Before a row is read, its derived columns are appended (`derive.rs`)
//! and its filters decide whether it is a vote at all (`filter.rs`): what
//! tables that give every amendment its own row, titled only by the report
//! it amends, need to be grouped and sorted like any other.

mod config;
mod date;
mod derive;
mod filter;
mod layout;
mod rows;
pub(in crate::ingest::sources) mod rules;
#[cfg(test)]
mod tests;

pub(crate) use config::string_or_list;
pub use config::{
    ActorColumns, ColumnNames, Derive, Filter, Phases, TableConfig, Unmatched, Values,
};

use super::{Parsed, Quarantined};
use crate::error::{Error, Result};
use layout::Layout;
use rows::Ingest;
use rules::Rules;

/// A cell we keep may hold at most this many bytes; a longer one almost
/// always means a quote was left open and swallowed the lines after it.
const MAX_CELL_BYTES: usize = 1 << 20;

/// The trimmed text of the cell `bytes` of column `name`; an error saying
/// what to do when it is not UTF-8 or longer than a cell can be. Shared
/// by every adapter that reads CSV cells.
pub(crate) fn cell_text<'r>(bytes: &'r [u8], name: &str) -> std::result::Result<&'r str, String> {
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

/// Parses the bytes of a votes table as `config` describes it; `origin`
/// names the source in messages.
pub fn parse(bytes: &[u8], origin: &str, config: &TableConfig) -> Result<Parsed> {
    let rules = rules(config, origin)?;
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
    let mut lines = LineCounter::new(bytes);
    while let Some(record) = records.next() {
        let record = record.map_err(|source| Error::Csv {
            doing: format!("{origin}: the file cannot be read"),
            source,
        })?;
        let swallowed_rest = unclosed_quote && records.peek().is_none();
        let line = lines.line_at(record.position().map_or(0, csv::Position::byte));
        ingest.row(&record, swallowed_rest, line);
    }
    if ingest.by_initiative.is_empty() && ingest.quarantine.is_empty() {
        return Err(Error::Unreadable(format!(
            "{origin}: the filters dropped every row ({}); check the patterns of its \
             [[source.table.filter]] entries",
            ingest.dropped
        )));
    }
    Ok(ingest.finish())
}

/// Checks a table configuration before any file is read: the delimiter,
/// the date format, the vocabularies, the patterns, and that every
/// proposal gets a legislature. `origin` names the source in messages.
pub fn check(config: &TableConfig, origin: &str) -> Result<()> {
    rules(config, origin).map(drop)
}

fn rules(config: &TableConfig, origin: &str) -> Result<Rules> {
    let constant = config.legislature.as_deref().map(str::trim);
    if config.columns.legislature.is_none() && constant.is_none_or(str::is_empty) {
        return Err(Error::Config(format!(
            "source {origin} has no legislature: map [source.table.columns] legislature or set \
             legislature = \"...\" under [source.table]"
        )));
    }
    Rules::compile(config).map_err(|e| {
        Error::Config(format!(
            "{origin}: the table configuration cannot be used: {e}"
        ))
    })
}

/// Line numbers as an editor shows them, for rows read in order: the csv
/// crate's own count is one short in files with CRLF line ends. A line
/// ends at `\n`, `\r\n` or a lone `\r`.
pub(in crate::ingest::sources) struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    pub(in crate::ingest::sources) fn new(bytes: &'a [u8]) -> LineCounter<'a> {
        LineCounter {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    /// The line of the record the csv crate places at byte `offset`;
    /// offsets must not go back. With CRLF ends that offset is the `\n` of
    /// the line before, so line breaks there are stepped over first.
    pub(in crate::ingest::sources) fn line_at(&mut self, offset: u64) -> u64 {
        let mut end = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        while matches!(self.bytes.get(end), Some(b'\r' | b'\n')) {
            end += 1;
        }
        while self.offset < end {
            let byte = self.bytes[self.offset];
            let lone_cr = byte == b'\r' && self.bytes.get(self.offset + 1) != Some(&b'\n');
            if byte == b'\n' || lone_cr {
                self.line += 1;
            }
            self.offset += 1;
        }
        self.line
    }
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
