//! The table configuration made ready to apply: the delimiter checked, the
//! date format parsed, the patterns compiled, and each vocabulary
//! (positions, results, phases) keyed for matching that ignores case and
//! surrounding spaces.

use super::date::DateFormat;
use super::derive::DeriveRule;
use super::filter::FilterRule;
use super::TableConfig;
use hemiciclo_core::{Outcome, PhaseKind, Position};
use std::collections::HashMap;

/// The configuration made ready to apply: the vocabulary by its matching
/// key, the date format parsed.
#[derive(Debug)]
pub(super) struct Rules {
    pub(super) delimiter: u8,
    pub(super) date_format: DateFormat,
    pub(super) positions: Vocabulary<Position>,
    pub(super) results: Vocabulary<Outcome>,
    pub(super) unanimous: Vocabulary<()>,
    pub(super) phases: Vocabulary<PhaseKind>,
    /// The constant legislature, empty when the table has a column for it.
    pub(super) legislature: String,
    pub(super) author_separator: Option<String>,
    pub(super) derive: Vec<DeriveRule>,
    pub(super) filters: Vec<FilterRule>,
}

impl Rules {
    pub(super) fn compile(config: &TableConfig) -> Result<Rules, String> {
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
                ("split", &values.split, Position::Split),
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
            legislature: config
                .legislature
                .as_deref()
                .map(str::trim)
                .unwrap_or_default()
                .to_owned(),
            author_separator: config.author_separator.clone().filter(|s| !s.is_empty()),
            derive: DeriveRule::compile(&config.derive)?,
            filters: FilterRule::compile(&config.filter)?,
        })
    }
}

/// Words of one kind of cell, matched ignoring case and surrounding spaces.
#[derive(Debug)]
pub(in crate::ingest::sources) struct Vocabulary<T> {
    pub(super) meanings: HashMap<String, T>,
    /// The words as configured, for messages.
    pub(super) words: Vec<String>,
}

impl<T: Copy + PartialEq> Vocabulary<T> {
    /// Builds it from `(setting name, words, meaning)`; a word with two
    /// meanings is an error.
    pub(in crate::ingest::sources) fn new(
        lists: &[(&str, &Vec<String>, T)],
    ) -> Result<Vocabulary<T>, String> {
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

    pub(in crate::ingest::sources) fn get(&self, cell: &str) -> Option<T> {
        self.meanings.get(&match_key(cell)).copied()
    }

    /// `"A", "B" or empty`, for messages.
    pub(in crate::ingest::sources) fn expected(&self) -> String {
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

pub(super) fn match_key(word: &str) -> String {
    word.trim().to_lowercase()
}
