//! Where each configured column is in a file's header, with messages that
//! name a missing or repeated column and list the ones that are there.

use super::TableConfig;
use crate::error::{Error, Result};
use crate::ingest::sources::actor_named;
use hemiciclo_core::Actor;
use std::collections::HashSet;

/// Where each configured field is in this file's header. Derived columns
/// come after the file's own, in the order they are configured.
#[derive(Debug)]
pub(super) struct Layout {
    /// The file's header, then the derived columns' names.
    pub(super) headers: Vec<String>,
    /// How many columns the file itself has.
    pub(super) file_columns: usize,
    /// For each derived column, the column it is taken from (`None`: an
    /// optional column the file lacks, read as empty).
    pub(super) derive_from: Vec<Option<usize>>,
    /// For each filter, the column it tests (`None` as above).
    pub(super) filters: Vec<Option<usize>>,
    pub(super) initiative: usize,
    pub(super) title: usize,
    pub(super) date: usize,
    pub(super) vote_id: Option<usize>,
    pub(super) kind: Option<usize>,
    pub(super) authors: Vec<usize>,
    pub(super) phase: Option<usize>,
    pub(super) result: Option<usize>,
    pub(super) committee: Option<usize>,
    pub(super) topic: Option<usize>,
    pub(super) legislature: Option<usize>,
    pub(super) number: Option<usize>,
    pub(super) link: Option<usize>,
    pub(super) description: Option<usize>,
    pub(super) unanimous: Option<usize>,
    /// The whole vote's totals: for, against, abstain, absent.
    pub(super) counts: [Option<usize>; 4],
    pub(super) actors: Vec<(usize, Actor)>,
    /// Whether the actor columns were inferred (every column no field
    /// reads) rather than listed in `[source.table.actors] columns`.
    pub(super) actors_inferred: bool,
}

impl Layout {
    pub(super) fn find(headers: &[String], config: &TableConfig, origin: &str) -> Result<Layout> {
        let mut all = headers.to_vec();
        let mut derive_from = Vec::new();
        for derive in &config.derive {
            let finder = ColumnFinder {
                headers: &all,
                optional: &config.optional_columns,
                origin,
            };
            let name = derive.column.trim();
            if finder.index(name, "derived")?.is_some() {
                return Err(Error::Config(format!(
                    "{origin}:1: the derived column {name:?} has the name of a column the file \
                     already has; give it another name in its [[source.table.derive]]"
                )));
            }
            derive_from.push(finder.optional(Some(&derive.from), "derived from")?);
            all.push(name.to_owned());
        }
        let finder = ColumnFinder {
            headers: &all,
            optional: &config.optional_columns,
            origin,
        };
        let filters = config
            .filter
            .iter()
            .map(|filter| finder.optional(Some(&filter.column), "filter"))
            .collect::<Result<Vec<_>>>()?;
        let c = &config.columns;
        let authors = c
            .author
            .iter()
            .map(|name| finder.optional(Some(name), "author"))
            .collect::<Result<Vec<_>>>()?;
        Ok(Layout {
            headers: all.clone(),
            file_columns: headers.len(),
            derive_from,
            filters,
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
            counts: [
                finder.optional(c.count_for.as_ref(), "count-for")?,
                finder.optional(c.count_against.as_ref(), "count-against")?,
                finder.optional(c.count_abstain.as_ref(), "count-abstain")?,
                finder.optional(c.count_absent.as_ref(), "count-absent")?,
            ],
            actors: finder.actors(config, headers.len())?,
            actors_inferred: config.actors.columns.is_none(),
        })
    }

    pub(super) fn name(&self, column: usize) -> &str {
        self.headers.get(column).map_or("?", String::as_str)
    }
}

/// Finds configured columns in a header, with messages that say what to do.
pub(super) struct ColumnFinder<'a> {
    pub(super) headers: &'a [String],
    pub(super) optional: &'a [String],
    pub(super) origin: &'a str,
}

impl ColumnFinder<'_> {
    pub(super) fn required(&self, name: &str, field: &str) -> Result<usize> {
        self.index(name, field)?
            .ok_or_else(|| Error::Config(self.missing(name, field)))
    }

    pub(super) fn optional(&self, name: Option<&String>, field: &str) -> Result<Option<usize>> {
        let Some(name) = name else { return Ok(None) };
        match self.index(name, field)? {
            Some(index) => Ok(Some(index)),
            None if self.optional.iter().any(|o| o.trim() == name.trim()) => Ok(None),
            None => Err(Error::Config(self.missing(name, field))),
        }
    }

    /// The column named `name`; an error when two columns have that name.
    pub(super) fn index(&self, name: &str, field: &str) -> Result<Option<usize>> {
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

    pub(super) fn missing(&self, name: &str, field: &str) -> String {
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

    /// The actor columns, among the first `file_columns` (a derived
    /// column is never an actor).
    pub(super) fn actors(
        &self,
        config: &TableConfig,
        file_columns: usize,
    ) -> Result<Vec<(usize, Actor)>> {
        let suffix = config.actors.non_attached_suffix.as_deref();
        let columns = match &config.actors.columns {
            Some(listed) => listed
                .iter()
                .map(|name| self.optional(Some(name), "actor"))
                .collect::<Result<Vec<_>>>()?
                .into_iter()
                .flatten()
                .collect(),
            None => self.other_columns(config, file_columns)?,
        };
        Ok(columns
            .into_iter()
            .map(|i| (i, actor_named(&self.headers[i], suffix)))
            .collect())
    }

    /// Every named column of the file that no field, derived column or
    /// filter reads and that is not ignored.
    pub(super) fn other_columns(
        &self,
        config: &TableConfig,
        file_columns: usize,
    ) -> Result<Vec<usize>> {
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
                    &c.count_for,
                    &c.count_against,
                    &c.count_abstain,
                    &c.count_absent,
                ]
                .into_iter()
                .flatten(),
            )
            .chain(&c.author)
            .chain(config.derive.iter().map(|d| &d.from))
            .chain(config.filter.iter().map(|f| &f.column))
            .chain(&config.actors.ignore);
        let excluded: HashSet<&str> = mapped.map(|name| name.trim()).collect();
        let columns: Vec<usize> = (0..file_columns.min(self.headers.len()))
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
