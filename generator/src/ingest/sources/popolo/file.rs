//! One CSV file of a Popolo export, read as a whole: its header checked,
//! its rows with the line each starts on (as an editor counts them, CRLF
//! files included), and cells read as trimmed UTF-8.
//!
//! A file that is not a table at all (empty, a header only, a required
//! column missing, a header that is not text) is an error naming the file
//! and the column; a bad row is the caller's to quarantine.

use crate::error::{Error, Result};
use crate::ingest::sources::table::{cell_text, LineCounter};

/// A CSV file's header and rows.
#[derive(Debug)]
pub(super) struct CsvFile {
    /// The file's name inside the source, as messages show it.
    pub(super) name: String,
    pub(super) headers: Vec<String>,
    /// Each row with the line it starts on.
    pub(super) rows: Vec<(u64, csv::ByteRecord)>,
}

impl CsvFile {
    /// Reads `bytes` as the file `name`, which holds `what` (for messages:
    /// "vote events", "votes", ...).
    pub(super) fn read(name: &str, bytes: &[u8], what: &str) -> Result<CsvFile> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(Error::Unreadable(format!(
                "{name}: the file is empty; it needs a header row naming its columns, then one \
                 row per {what}"
            )));
        }
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
        let header = reader.byte_headers().map_err(|source| Error::Csv {
            doing: format!("{name}:1: cannot read the header row"),
            source,
        })?;
        let headers = header
            .iter()
            .enumerate()
            .map(|(i, cell)| match std::str::from_utf8(cell) {
                Ok(text) => Ok(text.trim().to_owned()),
                Err(_) => Err(Error::Unreadable(format!(
                    "{name}:1: the header's column {} is not valid UTF-8; save the file as UTF-8",
                    i + 1
                ))),
            })
            .collect::<Result<Vec<_>>>()?;
        let mut lines = LineCounter::new(bytes);
        let mut rows = Vec::new();
        for record in reader.into_byte_records() {
            let record = record.map_err(|source| Error::Csv {
                doing: format!("{name}: the file cannot be read"),
                source,
            })?;
            if record.iter().all(<[u8]>::is_empty) {
                continue;
            }
            let line = lines.line_at(record.position().map_or(0, csv::Position::byte));
            rows.push((line, record));
        }
        if rows.is_empty() {
            return Err(Error::Unreadable(format!(
                "{name}: the file has a header row but no {what}; check that the export is \
                 complete"
            )));
        }
        Ok(CsvFile {
            name: name.to_owned(),
            headers,
            rows,
        })
    }

    /// The column named `column`, which the setting `key` names; an error
    /// naming the file, the column and the setting when it is missing.
    pub(super) fn required(&self, column: &str, key: &str) -> Result<usize> {
        self.find(column, key)?.ok_or_else(|| {
            let setting = match key.split_once('.') {
                Some((section, name)) => format!("[source.popolo.{section}] {name}"),
                None => format!("[source.popolo] {key}"),
            };
            Error::Unreadable(format!(
                "{}:1: the column {column:?} ({key}) is missing from the header row, which has \
                 [{}]; check that this is the right file, or set {setting} = \"...\" to the \
                 name the file gives it",
                self.name,
                self.headers
                    .iter()
                    .take(30)
                    .map(|h| format!("{h:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    }

    /// The column named `column` if the file has it; `""` names none.
    pub(super) fn optional(&self, column: &str, key: &str) -> Result<Option<usize>> {
        if column.trim().is_empty() {
            return Ok(None);
        }
        self.find(column, key)
    }

    fn find(&self, column: &str, key: &str) -> Result<Option<usize>> {
        let mut found = self
            .headers
            .iter()
            .enumerate()
            .filter(|(_, h)| h.as_str() == column.trim())
            .map(|(i, _)| i);
        let first = found.next();
        if found.next().is_some() {
            return Err(Error::Unreadable(format!(
                "{}:1: the column {column:?} ({key}) appears more than once in the header; \
                 rename the copies",
                self.name
            )));
        }
        Ok(first)
    }

    /// `file line N`, as a quarantine location.
    pub(super) fn at(&self, line: u64) -> String {
        format!("{} line {line}", self.name)
    }

    /// Whether a row has as many fields as the header; the reason when not.
    pub(super) fn check_width(&self, record: &csv::ByteRecord) -> Result<(), String> {
        let (fields, expected) = (record.len(), self.headers.len());
        if fields == expected {
            Ok(())
        } else {
            Err(format!(
                "the row has {fields} fields where the header has {expected}; a comma or a \
                 quote is missing or extra"
            ))
        }
    }

    /// The trimmed text of a cell; an error when it is not UTF-8 or too long.
    pub(super) fn cell<'r>(
        &self,
        record: &'r csv::ByteRecord,
        column: usize,
    ) -> Result<&'r str, String> {
        cell_text(
            record.get(column).unwrap_or_default(),
            self.headers.get(column).map_or("?", String::as_str),
        )
    }

    /// Like [`CsvFile::cell`], empty for a column the file does not have.
    pub(super) fn optional_cell<'r>(
        &self,
        record: &'r csv::ByteRecord,
        column: Option<usize>,
    ) -> Result<&'r str, String> {
        column.map_or(Ok(""), |c| self.cell(record, c))
    }
}
