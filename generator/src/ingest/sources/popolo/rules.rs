//! The Popolo configuration made ready to apply: the option and result
//! words keyed for matching that ignores case, the motion patterns
//! compiled, and the settings that must be there checked, each failure a
//! configuration error that names the setting and says what to write.

use super::PopoloConfig;
use crate::ingest::sources::table::rules::Vocabulary;
use hemiciclo_core::{Outcome, Position};
use regex::{Regex, RegexBuilder};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug)]
pub(super) struct Rules {
    pub(super) options: Vocabulary<Position>,
    pub(super) results: Vocabulary<Outcome>,
    /// The compiled `exclude-motions`, with the pattern as written.
    pub(super) exclude: Vec<(String, Regex)>,
    pub(super) legislature: String,
    pub(super) non_attached: BTreeSet<String>,
    pub(super) rename_groups: BTreeMap<String, String>,
}

impl Rules {
    pub(super) fn compile(config: &PopoloConfig) -> Result<Rules, String> {
        let legislature = config
            .legislature
            .as_deref()
            .map(str::trim)
            .unwrap_or_default();
        if legislature.is_empty() && config.vote_event_columns.legislature.trim().is_empty() {
            return Err(
                "no legislature: a Popolo export does not say which term its votes belong to; \
                 add legislature = \"2014–2018\" (the term's name) under [source.popolo], or \
                 name the vote events' column that gives it as \
                 [source.popolo.vote-event-columns] legislature"
                    .into(),
            );
        }
        let o = &config.options;
        let options = Vocabulary::new(&[
            ("options.yes", &o.yes, Position::For),
            ("options.no", &o.no, Position::Against),
            ("options.abstain", &o.abstain, Position::Abstain),
            ("options.absent", &o.absent, Position::Absent),
        ])?;
        let results = Vocabulary::new(&[
            ("results.pass", &config.results.pass, Outcome::Approved),
            ("results.fail", &config.results.fail, Outcome::Rejected),
        ])?;
        let exclude = config
            .exclude_motions
            .iter()
            .map(|pattern| {
                RegexBuilder::new(pattern)
                    .case_insensitive(true)
                    .build()
                    .map(|regex| (pattern.clone(), regex))
                    .map_err(|e| {
                        format!(
                            "exclude-motions: the pattern {pattern:?} is not a valid regular \
                             expression: {e}"
                        )
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(Rules {
            options,
            results,
            exclude,
            legislature: legislature.to_owned(),
            non_attached: config
                .non_attached
                .iter()
                .map(|g| g.trim().to_owned())
                .collect(),
            rename_groups: config
                .rename_groups
                .iter()
                .map(|(from, to)| (from.trim().to_owned(), to.trim().to_owned()))
                .collect(),
        })
    }

    /// Whether a motion is left out of the quiz.
    pub(super) fn excluded(&self, motion: &str) -> bool {
        self.exclude.iter().any(|(_, regex)| regex.is_match(motion))
    }
}
