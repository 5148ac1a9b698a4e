//! The table configuration: what an operator writes under `[source.table]`
//! in `site.toml` to describe one votes table, with its defaults and the
//! settings that take one word or a list of words.

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;

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
    /// (or where it is empty). A table needs this or a mapped
    /// `legislature` column.
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
    /// Columns taken out of other columns by a pattern
    /// (`[[source.table.derive]]`), in order: one may read an earlier one.
    #[serde(default)]
    pub derive: Vec<Derive>,
    /// Rows kept or dropped by a pattern (`[[source.table.filter]]`); a
    /// row is read only when it passes every filter.
    #[serde(default)]
    pub filter: Vec<Filter>,
}

/// `[[source.table.derive]]`: a new column, named `column`, whose cell is
/// taken out of the cell of `from` by the regular expression `pattern`;
/// `[source.table.columns]` maps it, and filters read it, as any column.
/// The value is the group named `value` if the pattern has one, else its
/// first group, else the whole match; trimmed.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Derive {
    /// The new column's name; no column of the file may have it.
    pub column: String,
    /// The column it is taken from (of the file, or derived before).
    pub from: String,
    /// A regular expression (Rust `regex` syntax), searched anywhere in
    /// the cell unless anchored with `^` / `$`.
    pub pattern: String,
    /// What a row whose cell does not match gets.
    #[serde(default)]
    pub unmatched: Unmatched,
}

/// What a derived column holds when its pattern does not match.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unmatched {
    /// The row is quarantined, naming the column, the cell and the pattern.
    #[default]
    Quarantine,
    /// The whole cell it is taken from.
    Whole,
    /// An empty cell.
    Empty,
}

/// `[[source.table.filter]]`: keeps only the rows whose `column` matches
/// `keep`, or drops those whose `column` matches `drop` (one of the two).
/// Dropped rows are not votes: they are neither read nor quarantined.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Filter {
    /// The column tested (of the file, or derived).
    pub column: String,
    /// A regular expression: rows whose cell matches are kept, others dropped.
    #[serde(default)]
    pub keep: Option<String>,
    /// A regular expression: rows whose cell matches are dropped.
    #[serde(default)]
    pub drop: Option<String>,
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
    /// How many members voted for, in the whole vote: a whole number, or
    /// empty (0 when another count of the row is filled, else no totals).
    /// Read into [`Vote::totals`](hemiciclo_core::Vote::totals).
    #[serde(default)]
    pub count_for: Option<String>,
    /// How many voted against, as `count-for`.
    #[serde(default)]
    pub count_against: Option<String>,
    /// How many abstained, as `count-for`.
    #[serde(default)]
    pub count_abstain: Option<String>,
    /// How many were absent, as `count-for`.
    #[serde(default)]
    pub count_absent: Option<String>,
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
    /// A group with no common line (as many members on one side as on
    /// another): [`Position::Split`], which counts for no one's score.
    ///
    /// [`Position::Split`]: hemiciclo_core::Position::Split
    #[serde(default, deserialize_with = "string_or_list")]
    pub split: Vec<String>,
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
///
/// [`Proposal::decisive_vote`]: hemiciclo_core::Proposal::decisive_vote
/// [`PhaseKind::Other`]: hemiciclo_core::PhaseKind::Other
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

/// Reads a setting written as one string or as a list of strings (the
/// Popolo configuration reads its lists the same way).
pub(crate) fn string_or_list<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<String>, D::Error> {
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
