//! The Popolo configuration: what an operator writes under
//! `[source.popolo]` in `site.toml`. Every key has a default equal to the
//! Popolo project's own CSV names, so a standard export needs only its
//! `legislature`; an export that names things otherwise maps them here.

use crate::ingest::sources::table::string_or_list;
use serde::Deserialize;

/// How to read one Popolo roll-call source: `[source.popolo]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct PopoloConfig {
    /// The file of vote events (one row per vote), inside the source's folder.
    pub vote_events: String,
    /// The file of votes (one row per member per vote event).
    pub votes: String,
    /// The file of voters (people), with each one's group when the votes
    /// do not give it.
    pub voters: String,
    /// The file of groups (`id`, `name`). When left out, `groups.csv` is
    /// read if the folder has one; when given, the file must be there.
    pub groups: Option<String>,
    /// The legislature (term) of every vote event, e.g. `"2014–2018"`,
    /// unless `vote-event-columns.legislature` names a column for it.
    pub legislature: Option<String>,
    /// Regular expressions (matched ignoring case) on the motion's name:
    /// a vote event whose motion matches one keeps its page but is never a
    /// quiz card (procedural motions, breaks, the agenda).
    #[serde(deserialize_with = "string_or_list")]
    pub exclude_motions: Vec<String>,
    /// Vote events on the same `motion:document` are one proposal (the
    /// document) with several votes, the latest deciding; `false` makes
    /// every vote event a proposal of its own.
    pub group_by_document: bool,
    /// Group names (as voters.csv or groups.csv give them) of members who
    /// sit alone, such as "Independent" or "bez PP": each such member is a
    /// non-attached actor of their own rather than one group.
    #[serde(deserialize_with = "string_or_list")]
    pub non_attached: Vec<String>,
    /// Group names to replace, as `"ANO" = "ANO 2011"`: for one group the
    /// data spells two ways.
    pub rename_groups: std::collections::BTreeMap<String, String>,
    pub vote_event_columns: VoteEventColumns,
    pub vote_columns: VoteColumns,
    pub voter_columns: VoterColumns,
    pub group_columns: GroupColumns,
    /// The words of the `option` column.
    pub options: Options,
    /// The words of the `result` column.
    pub results: Results,
}

/// `[source.popolo.vote-event-columns]`. An optional column set to `""`
/// is not read.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct VoteEventColumns {
    pub id: String,
    /// The day of the vote, `YYYY-MM-DD` (a time after it is ignored).
    pub date: String,
    /// What was voted: the card's title.
    pub motion: String,
    /// Optional: the motion's number (an agenda item).
    pub number: String,
    /// Optional: the document the motion is about; see `group-by-document`.
    pub document: String,
    /// Optional: the official record of the vote.
    pub link: String,
    /// Optional: whether the motion passed.
    pub result: String,
    /// Optional: the legislature of each event; empty cells take the
    /// `legislature` constant. No column is read unless one is named.
    pub legislature: String,
    /// Optional: the totals the event states, checked against the votes.
    pub yes_count: String,
    pub no_count: String,
    pub abstain_count: String,
}

/// `[source.popolo.vote-columns]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct VoteColumns {
    pub vote_event: String,
    pub voter: String,
    pub option: String,
    /// Optional: the member's group at that vote (an id of groups.csv);
    /// when the file has no such column, or the cell is empty, the
    /// voter's own `party` is their group.
    pub group: String,
}

/// `[source.popolo.voter-columns]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct VoterColumns {
    pub id: String,
    pub name: String,
    /// Optional: the member's group for every vote that names none.
    pub party: String,
}

/// `[source.popolo.group-columns]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct GroupColumns {
    pub id: String,
    pub name: String,
}

/// `[source.popolo.options]`: each a word or a list of words, matched
/// ignoring case and surrounding spaces.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    #[serde(deserialize_with = "string_or_list")]
    pub yes: Vec<String>,
    #[serde(deserialize_with = "string_or_list")]
    pub no: Vec<String>,
    #[serde(deserialize_with = "string_or_list")]
    pub abstain: Vec<String>,
    /// Present or not, the member took no side.
    #[serde(deserialize_with = "string_or_list")]
    pub absent: Vec<String>,
}

/// `[source.popolo.results]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Results {
    #[serde(deserialize_with = "string_or_list")]
    pub pass: Vec<String>,
    #[serde(deserialize_with = "string_or_list")]
    pub fail: Vec<String>,
}

impl Default for PopoloConfig {
    fn default() -> PopoloConfig {
        PopoloConfig {
            vote_events: "vote_events.csv".into(),
            votes: "votes.csv".into(),
            voters: "voters.csv".into(),
            groups: None,
            legislature: None,
            exclude_motions: Vec::new(),
            group_by_document: true,
            non_attached: Vec::new(),
            rename_groups: Default::default(),
            vote_event_columns: VoteEventColumns::default(),
            vote_columns: VoteColumns::default(),
            voter_columns: VoterColumns::default(),
            group_columns: GroupColumns::default(),
            options: Options::default(),
            results: Results::default(),
        }
    }
}

impl Default for VoteEventColumns {
    fn default() -> VoteEventColumns {
        VoteEventColumns {
            id: "id".into(),
            date: "start_date".into(),
            motion: "motion:name".into(),
            number: "motion:number".into(),
            document: "motion:document".into(),
            link: "sources:link:url".into(),
            result: "result".into(),
            legislature: String::new(),
            yes_count: "counts:option:yes".into(),
            no_count: "counts:option:no".into(),
            abstain_count: "counts:option:abstain".into(),
        }
    }
}

impl Default for VoteColumns {
    fn default() -> VoteColumns {
        VoteColumns {
            vote_event: "vote_event_id".into(),
            voter: "voter_id".into(),
            option: "option".into(),
            group: "group_id".into(),
        }
    }
}

impl Default for VoterColumns {
    fn default() -> VoterColumns {
        VoterColumns {
            id: "id".into(),
            name: "name".into(),
            party: "party".into(),
        }
    }
}

impl Default for GroupColumns {
    fn default() -> GroupColumns {
        GroupColumns {
            id: "id".into(),
            name: "name".into(),
        }
    }
}

impl Default for Options {
    fn default() -> Options {
        let words = |list: &[&str]| list.iter().map(|w| (*w).to_owned()).collect();
        Options {
            yes: words(&["yes", "aye"]),
            no: words(&["no", "nay"]),
            abstain: words(&["abstain", "abstention"]),
            absent: words(&["absent", "not voting", "excused", "paired"]),
        }
    }
}

impl Default for Results {
    fn default() -> Results {
        Results {
            pass: vec!["pass".into()],
            fail: vec!["fail".into()],
        }
    }
}

impl PopoloConfig {
    /// The groups file to read, and whether it must exist.
    pub fn groups_file(&self) -> (&str, bool) {
        match &self.groups {
            Some(name) => (name, true),
            None => ("groups.csv", false),
        }
    }
}
