//! Adapters that turn a source's own format into the core model.
//!
//! Each adapter reads the bytes of one source and returns what it could
//! make of them: proposals, the actors that voted, and the records it had
//! to put aside. A bad record never stops the others; only a source that
//! cannot be read at all (not the expected format, a header missing) is an
//! error.

pub mod ar_csv;
pub mod ar_json;
pub mod popolo;
pub mod table;

use crate::config::{SourceConfig, SourceFormat};
use crate::error::{Error, Result};
use hemiciclo_core::{Actor, ActorKind, Proposal};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// What one source holds.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Parsed {
    pub actors: BTreeSet<Actor>,
    pub proposals: Vec<Proposal>,
    pub quarantine: Vec<Quarantined>,
    /// Where in the source each proposal was first read, by id (`line 42`,
    /// `$[3]`), when the adapter says: what a problem found later, such as
    /// a page that cannot be written, names. Kept beside the parsed
    /// records (the ingest's `origins`), not in them.
    #[serde(skip)]
    pub origins: BTreeMap<String, String>,
}

/// A record put aside, with enough to find and fix it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Quarantined {
    /// The source, as the operator named it (a path or a URL).
    pub source: String,
    /// Where in the source: `line 42` for tables, a JSON path such as
    /// `$[3].IniEventos[2].Votacao[0]` for JSON.
    pub location: String,
    /// The record's own id (initiative, vote), when it could be read.
    pub record: Option<String>,
    /// What is wrong, and what would make it right.
    pub reason: String,
}

/// One line for a terminal or a message: every field from the data shown
/// with its control characters, line breaks included, escaped
/// ([`crate::terminal::line`]), so that a record cannot forge a line.
impl fmt::Display for Quarantined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::terminal::line;
        write!(f, "{}: {}", line(&self.source), line(&self.location))?;
        if let Some(record) = &self.record {
            write!(f, ": record {}", line(record))?;
        }
        write!(f, ": {}", line(&self.reason))
    }
}

/// Reads `bytes` with the adapter of `source`'s format.
/// The source is named as [`SourceConfig::shown`] says, in its quarantine
/// and its messages.
pub fn parse(source: &SourceConfig, bytes: &[u8]) -> Result<Parsed> {
    let name = source.shown();
    match source.format {
        SourceFormat::ArCsv => ar_csv::parse(bytes, &name),
        SourceFormat::ArJson => ar_json::parse(bytes, &name),
        SourceFormat::Table => match &source.table {
            Some(config) => table::parse(bytes, &name, config),
            None => Err(Error::Config(format!(
                "the source {name} has no [source.table] section"
            ))),
        },
        SourceFormat::Popolo => {
            let default = popolo::PopoloConfig::default();
            let config = source.popolo.as_ref().unwrap_or(&default);
            popolo::parse(bytes, &name, config)
        }
    }
}

/// Lower ranks win in the merge: the official JSON before any table.
pub fn rank(source: &SourceConfig) -> usize {
    match source.format {
        SourceFormat::ArJson => 0,
        SourceFormat::ArCsv | SourceFormat::Table | SourceFormat::Popolo => 1,
    }
}

/// The suffix the AR gives a member who sits alone (a *deputado não
/// inscrito*); it is part of their actor id, in the CSVs and the JSON alike.
pub const AR_NON_ATTACHED_SUFFIX: &str = " (Ninsc)";

/// The actor a source names `id`: a non-attached member when the id ends
/// with `non_attached_suffix` (their name is the rest), else a party.
pub fn actor_named(id: &str, non_attached_suffix: Option<&str>) -> Actor {
    match non_attached_suffix.and_then(|suffix| id.strip_suffix(suffix)) {
        Some(name) => Actor {
            id: id.to_owned(),
            name: name.trim().to_owned(),
            kind: ActorKind::NonAttached,
        },
        None => Actor {
            id: id.to_owned(),
            name: id.to_owned(),
            kind: ActorKind::Party,
        },
    }
}
