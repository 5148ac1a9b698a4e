//! Derived columns (`[[source.table.derive]]`): a cell taken out of another
//! cell by a regular expression, before the row is read.
//!
//! Some parliaments publish every part of a text as its own row and put
//! what groups them only inside a title: "Report X - Amendment 12",
//! "Report X - Vote: text as a whole". A derived column ("Report X",
//! "Amendment 12") is then mapped as the initiative or the phase like any
//! column of the file, so the amendments group under the text they amend
//! without editing the file.

use super::config::{Derive, Unmatched};
use regex::Regex;

/// One `[[source.table.derive]]`, its pattern compiled.
#[derive(Debug)]
pub(super) struct DeriveRule {
    pub(super) column: String,
    pub(super) from: String,
    pattern: Regex,
    /// The capture group whose text is the value: `value`, else 1, else 0.
    group: Group,
    unmatched: Unmatched,
}

#[derive(Debug)]
enum Group {
    Named,
    Index(usize),
}

/// The name of the capture group that holds the value, when there is one.
const VALUE_GROUP: &str = "value";

/// What one rule makes of one cell.
#[derive(Debug, PartialEq)]
pub(super) enum Derived<'a> {
    Value(&'a str),
    /// No match, and the rule says to quarantine the row: the reason.
    Refused(String),
}

impl DeriveRule {
    /// Compiles the rules in order; an error names the rule and says what
    /// is wrong with it.
    pub(super) fn compile(derives: &[Derive]) -> Result<Vec<DeriveRule>, String> {
        let mut rules: Vec<DeriveRule> = Vec::new();
        for derive in derives {
            let column = derive.column.trim();
            let name = format!("[[source.table.derive]] column = {:?}", derive.column);
            if column.is_empty() {
                return Err(
                    "a [[source.table.derive]] has an empty column name; name the new column"
                        .to_owned(),
                );
            }
            if rules.iter().any(|r| r.column == column) {
                return Err(format!(
                    "{name} is derived twice; give each derived column its own name"
                ));
            }
            let pattern = Regex::new(&derive.pattern).map_err(|e| {
                format!(
                    "{name}: the pattern {:?} is not a valid regular expression: {e}",
                    derive.pattern
                )
            })?;
            let group = if pattern.capture_names().flatten().any(|n| n == VALUE_GROUP) {
                Group::Named
            } else {
                Group::Index(usize::from(pattern.captures_len() > 1))
            };
            rules.push(DeriveRule {
                column: column.to_owned(),
                from: derive.from.trim().to_owned(),
                pattern,
                group,
                unmatched: derive.unmatched,
            });
        }
        Ok(rules)
    }

    /// The derived cell of `cell` (trimmed); a group that took no part in
    /// the match gives an empty cell.
    pub(super) fn apply<'a>(&self, cell: &'a str) -> Derived<'a> {
        let Some(captures) = self.pattern.captures(cell) else {
            return match self.unmatched {
                Unmatched::Whole => Derived::Value(cell),
                Unmatched::Empty => Derived::Value(""),
                Unmatched::Quarantine => Derived::Refused(format!(
                    "the cell {cell:?} in column {:?} does not match the pattern {:?} that \
                     derives the column {:?}; correct the cell or the pattern, or set \
                     unmatched = \"whole\" or \"empty\" in that [[source.table.derive]]",
                    self.from,
                    self.pattern.as_str(),
                    self.column
                )),
            };
        };
        let group = match self.group {
            Group::Named => captures.name(VALUE_GROUP),
            Group::Index(i) => captures.get(i),
        };
        Derived::Value(group.map_or("", |m| m.as_str().trim()))
    }
}
