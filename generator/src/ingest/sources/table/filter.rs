//! Row filters (`[[source.table.filter]]`): rows kept or dropped by a
//! regular expression on one of their cells.
//!
//! Tables often mix votes the quiz should never see with the ones it
//! should: procedural votes, requests to postpone, roll calls. Dropping
//! them by configuration keeps the file as published; a dropped row is not
//! a vote at all, so it is neither read nor quarantined.

use super::config::Filter;
use regex::Regex;

/// One `[[source.table.filter]]`, its pattern compiled.
#[derive(Debug)]
pub(super) struct FilterRule {
    pattern: Regex,
    /// Keep the matching rows (else drop them).
    keep: bool,
}

impl FilterRule {
    /// Compiles the filters; an error names the filter and says what is
    /// wrong with it.
    pub(super) fn compile(filters: &[Filter]) -> Result<Vec<FilterRule>, String> {
        filters
            .iter()
            .map(|filter| {
                let name = format!("[[source.table.filter]] column = {:?}", filter.column);
                let (pattern, keep) = match (&filter.keep, &filter.drop) {
                    (Some(keep), None) => (keep, true),
                    (None, Some(drop)) => (drop, false),
                    (Some(_), Some(_)) => {
                        return Err(format!(
                            "{name} has both keep and drop; write one filter for each"
                        ))
                    }
                    (None, None) => {
                        return Err(format!(
                            "{name} has neither keep nor drop; add keep = \"pattern\" (rows \
                             that match are kept) or drop = \"pattern\" (rows that match are \
                             dropped)"
                        ))
                    }
                };
                let pattern = Regex::new(pattern).map_err(|e| {
                    format!(
                        "{name}: the pattern {pattern:?} is not a valid regular expression: {e}"
                    )
                })?;
                Ok(FilterRule { pattern, keep })
            })
            .collect()
    }

    /// Whether a row whose cell in this filter's column is `cell`
    /// (trimmed) is read.
    pub(super) fn passes(&self, cell: &str) -> bool {
        self.pattern.is_match(cell) == self.keep
    }
}
