//! The `detalhe` text of a vote: how each group, and sometimes each member,
//! voted.
//!
//! Its shape: `A Favor: <I>77-PSD</I>, <I> PS</I><BR>Contra:<I>CH</I>, <I>
//! Ana Silva (PS)</I>` — sections separated by `<BR>`, each a label, a
//! colon and a comma-separated list whose entries are usually wrapped in
//! `<I>`. An entry is a group code (`PS`), a count of a group's members
//! (`77-PSD`), a named member and their group (`Ana Silva (PS)`), or a
//! non-attached member (`Ana Silva (Ninsc)`). The AR is not consistent
//! about spaces or the case of tags and labels, so neither matters here;
//! anything else unexpected is an error that quotes the fragment.

use super::fields::{non_attached_id, quote};
use hemiciclo_core::{MemberVote, Position, Tally};
use std::collections::{BTreeMap, BTreeSet};

/// One entry of a section's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A whole group (`PS`).
    Group(String),
    /// Some of a group's members (`77-PSD`).
    Count { members: u32, group: String },
    /// A member named with their group (`Ana Silva (PS)`).
    Member { name: String, group: String },
    /// A member who sits alone (`Ana Silva (Ninsc)`), by name.
    NonAttached(String),
}

/// One `Label: entries` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub position: Position,
    pub entries: Vec<Entry>,
}

/// Positions, counts and named members of a vote, ready for [`hemiciclo_core::Vote`].
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Votes {
    pub positions: BTreeMap<String, Position>,
    pub counts: BTreeMap<String, Tally>,
    pub members: Vec<MemberVote>,
}

/// Splits the text into its sections, in order; an empty text has none.
pub fn parse(text: &str) -> Result<Vec<Section>, String> {
    let mut sections = Vec::new();
    for raw in split_sections(text)? {
        if raw.trim_matches(is_blank).is_empty() {
            continue;
        }
        let (label, list) = raw.split_once(':').ok_or_else(|| {
            format!(
                "a section has no label such as \"A Favor:\": {}",
                quote(raw.trim_matches(is_blank))
            )
        })?;
        sections.push(Section {
            position: position(label)?,
            entries: entries(list)?,
        });
    }
    Ok(sections)
}

/// The entries of a comma-separated list (also the form of `ausencias`).
pub fn entries(list: &str) -> Result<Vec<Entry>, String> {
    list.split(',')
        .map(|fragment| fragment.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|fragment| !fragment.is_empty())
        .map(|fragment| entry(&fragment))
        .collect()
}

/// The text of each section, with `<I>` and `</I>` turned into commas:
/// the AR puts a comma between entries, and an entry never holds one.
fn split_sections(text: &str) -> Result<Vec<String>, String> {
    let mut sections = Vec::new();
    let mut current = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        current.push_str(&rest[..open]);
        let tag_and_rest = &rest[open..];
        let close = tag_and_rest
            .find('>')
            .ok_or_else(|| format!("a tag is not closed: {}", quote(tag_and_rest)))?;
        let tag = &tag_and_rest[1..close];
        let name = tag
            .trim()
            .trim_start_matches('/')
            .trim_end_matches('/')
            .trim();
        if name.eq_ignore_ascii_case("br") {
            sections.push(std::mem::take(&mut current));
        } else if name.eq_ignore_ascii_case("i") {
            current.push(',');
        } else {
            return Err(format!(
                "unknown tag {}; expected <BR> or <I>",
                quote(&tag_and_rest[..=close])
            ));
        }
        rest = &tag_and_rest[close + 1..];
    }
    current.push_str(rest);
    sections.push(current);
    Ok(sections)
}

fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == ','
}

/// A section label, whatever its case, spacing or accents.
fn position(label: &str) -> Result<Position, String> {
    let folded: String = label
        .split(|c: char| is_blank(c))
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .chars()
        .map(unaccented)
        .collect();
    match folded.as_str() {
        "a favor" => Ok(Position::For),
        "contra" => Ok(Position::Against),
        "abstencao" | "abstencoes" => Ok(Position::Abstain),
        "ausencia" | "ausencias" => Ok(Position::Absent),
        _ => Err(format!(
            "unknown section {}; expected \"A Favor\", \"Contra\", \"Abstenção\" or \"Ausência\"",
            quote(label.trim_matches(is_blank))
        )),
    }
}

fn unaccented(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ã' => 'a',
        'é' | 'ê' => 'e',
        'í' => 'i',
        'ó' | 'ô' | 'õ' => 'o',
        'ú' => 'u',
        'ç' => 'c',
        c => c,
    }
}

/// One entry; `fragment` is trimmed, with single spaces.
fn entry(fragment: &str) -> Result<Entry, String> {
    let unreadable = || {
        format!(
            "cannot read {} as a group (PS), a member count (77-PSD) or a member \
             (Nome (PS), Nome (Ninsc))",
            quote(fragment)
        )
    };
    if let Some(inner) = fragment.strip_suffix(')') {
        let (name, group) = inner.rsplit_once('(').ok_or_else(unreadable)?;
        let (name, group) = (name.trim(), group.trim());
        if !is_name(name) {
            return Err(unreadable());
        }
        return if group.eq_ignore_ascii_case("Ninsc") {
            Ok(Entry::NonAttached(name.to_owned()))
        } else if is_code(group) {
            Ok(Entry::Member {
                name: name.to_owned(),
                group: group.to_owned(),
            })
        } else {
            Err(unreadable())
        };
    }
    if let Some((count, group)) = fragment.split_once('-') {
        let (count, group) = (count.trim(), group.trim());
        if !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit()) {
            let members = count
                .parse()
                .map_err(|_| format!("the member count in {} is too large", quote(fragment)))?;
            return if is_code(group) {
                Ok(Entry::Count {
                    members,
                    group: group.to_owned(),
                })
            } else {
                Err(unreadable())
            };
        }
    }
    if is_code(fragment) {
        Ok(Entry::Group(fragment.to_owned()))
    } else if fragment.eq_ignore_ascii_case("Ninsc") {
        Err("a bare \"Ninsc\" does not say which non-attached member it is".into())
    } else {
        Err(unreadable())
    }
}

/// A group code: capitals and digits, maybe with `-`, `/` or `.` (`CDS-PP`).
fn is_code(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(char::is_uppercase)
        && text.chars().count() <= 20
        && chars.all(|c| {
            (c.is_alphabetic() && !c.is_lowercase())
                || c.is_ascii_digit()
                || matches!(c, '-' | '/' | '.')
        })
}

/// A person's name: letters, spaces and the punctuation names carry.
fn is_name(text: &str) -> bool {
    text.chars().any(char::is_alphabetic)
        && text
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '-' | '\'' | '’'))
}

/// Turns the sections into positions, counts and named members.
///
/// - A group listed whole (`PS`) takes that position, whatever else is
///   said of its members. A non-attached member (`Nome (Ninsc)`) is an
///   actor of their own and gets a position the same way, not an entry
///   in `members`.
/// - Counts (`77-PSD`) add up per group and position.
/// - A named member (`Ana Silva (PS)`) is kept in `members`. The member
///   also counts 1 toward the group's tally when the group has counts (the
///   member was not among the numbers), or when the group is never listed
///   whole (a roll-call vote names every member); when the group is
///   listed whole the member is one who broke with it, and the group's own
///   position stands.
/// - A group with no position of its own takes its tally's majority.
///
/// Listing one actor or member under two positions is an error.
pub fn resolve(sections: &[Section]) -> Result<Votes, String> {
    let mut votes = Votes::default();
    for section in sections {
        for entry in &section.entries {
            votes.record(entry, section.position)?;
        }
    }
    let counted: BTreeSet<String> = votes.counts.keys().cloned().collect();
    for member in &votes.members {
        if counted.contains(&member.actor) || !votes.positions.contains_key(&member.actor) {
            votes
                .counts
                .entry(member.actor.clone())
                .or_default()
                .add(member.position, 1);
        }
    }
    for (group, tally) in &votes.counts {
        if let (false, Some(majority)) = (votes.positions.contains_key(group), tally.majority()) {
            votes.positions.insert(group.clone(), majority);
        }
    }
    Ok(votes)
}

impl Votes {
    fn record(&mut self, entry: &Entry, position: Position) -> Result<(), String> {
        match entry {
            Entry::Group(group) => self.declare(group, position),
            Entry::NonAttached(name) => self.declare(&non_attached_id(name), position),
            Entry::Count { members, group } => {
                self.counts
                    .entry(group.clone())
                    .or_default()
                    .add(position, *members);
                Ok(())
            }
            Entry::Member { name, group } => {
                if self.members.iter().any(|m| m.name == *name) {
                    return Err(format!("the member {} is listed twice", quote(name)));
                }
                self.members.push(MemberVote {
                    name: name.clone(),
                    actor: group.clone(),
                    position,
                });
                Ok(())
            }
        }
    }

    fn declare(&mut self, actor: &str, position: Position) -> Result<(), String> {
        match self.positions.insert(actor.to_owned(), position) {
            Some(earlier) if earlier != position => Err(format!(
                "{} is listed both as {} and as {}",
                quote(actor),
                label(earlier),
                label(position)
            )),
            _ => Ok(()),
        }
    }

    /// Adds the vote's `ausencias`: those the text does not mention are
    /// absent. The list mostly repeats the text's "Ausência" section,
    /// and where the two disagree the text, which is more detailed, wins.
    pub fn add_absences(&mut self, entries: &[Entry]) {
        for entry in entries {
            match entry {
                Entry::Group(group) if !self.mentions(group) => {
                    self.positions.insert(group.clone(), Position::Absent);
                }
                Entry::Count { members, group } if !self.mentions(group) => {
                    let tally = self.counts.entry(group.clone()).or_default();
                    tally.add(Position::Absent, *members);
                    self.positions.insert(group.clone(), Position::Absent);
                }
                Entry::NonAttached(name) => {
                    self.positions
                        .entry(non_attached_id(name))
                        .or_insert(Position::Absent);
                }
                Entry::Member { name, group } if !self.members.iter().any(|m| m.name == *name) => {
                    self.members.push(MemberVote {
                        name: name.clone(),
                        actor: group.clone(),
                        position: Position::Absent,
                    });
                }
                _ => {}
            }
        }
    }

    fn mentions(&self, group: &str) -> bool {
        self.positions.contains_key(group) || self.counts.contains_key(group)
    }
}

/// The label the AR gives a position.
pub fn label(position: Position) -> &'static str {
    match position {
        Position::For => "A Favor",
        Position::Against => "Contra",
        Position::Abstain => "Abstenção",
        Position::Absent | Position::Split => "Ausência",
    }
}
