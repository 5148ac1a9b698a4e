//! The AR's official "Iniciativas" JSON: every initiative of a legislature,
//! with every event of its life and the votes taken at each.
//!
//! This is the source the CSVs are derived from, and the only one that has
//! committee votes, member counts (`77-PSD`) and named members. It is also
//! the least regular, so it is read as a [`serde_json::Value`] and walked by
//! hand rather than deserialised into structs: an odd field puts aside the
//! initiative or the vote that holds it, never the file. The quirks met:
//!
//! - Two dialects. The current one is PascalCase (`IniId`, `IniEventos`,
//!   `Fase`); the older one, a conversion of the AR's XML, is camelCase
//!   (`iniId`, `iniEventos`, `fase`), wraps each list in an object with a
//!   single `pt_gov_ar_objectos_...` key, and writes a one-element list as
//!   the bare element. So field names are matched ignoring ASCII case, and
//!   [`fields::objects`] undoes both list shapes.
//! - Ids are text in one dialect and numbers in the other.
//! - Votes live in two places: `IniEventos[].Votacao[]` (plenary sittings)
//!   and `IniEventos[].Comissao[].Votacao[]` (committee meetings); see
//!   [`Place`].
//! - How each group voted is only in the `detalhe` text, parsed by
//!   [`detalhe`].
//! - The files the AR publishes may start with a byte order mark.

use super::{Parsed, Quarantined, AR_NON_ATTACHED_SUFFIX as NON_ATTACHED_SUFFIX};
use crate::error::{Error, IoContext, Result};
use fields::{actor, header, kind, list, objects, text, vote, wrapped};
use hemiciclo_core::{Proposal, Vote};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

type Object = serde_json::Map<String, Value>;

/// One element of a list field: the object and its JSON path, or its path
/// and why it is not an object.
type Element<'a> = Result<(String, &'a Object), (String, String)>;

/// Longest excerpt of the data quoted in a message.
const QUOTE_LIMIT: usize = 80;

/// Reads and parses one AR Iniciativas JSON file.
pub fn read(path: &Path) -> Result<Parsed> {
    let bytes = std::fs::read(path)
        .doing(|| format!("cannot read the initiatives file {}", path.display()))?;
    parse(&bytes, &path.display().to_string())
}

/// Parses the bytes of an AR Iniciativas JSON; `origin` names it in messages.
///
/// Fails only when nothing can be read: not UTF-8, not JSON, or not an
/// array (or a single object) of initiatives. Every other problem puts the
/// initiative or the vote aside in [`Parsed::quarantine`].
pub fn parse(bytes: &[u8], origin: &str) -> Result<Parsed> {
    let root = read_json(bytes, origin)?;
    let mut reader = Reader {
        origin,
        parsed: Parsed::default(),
        seen: HashMap::new(),
    };
    for initiative in initiatives(&root, origin)? {
        match initiative {
            Ok((path, object)) => reader.initiative(&path, object),
            Err((path, reason)) => reader.put_aside(path, None, reason),
        }
    }
    Ok(reader.parsed)
}

fn read_json(bytes: &[u8], origin: &str) -> Result<Value> {
    // The AR's downloads sometimes carry a UTF-8 byte order mark.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(Error::Unreadable(format!(
            "{origin}: not UTF-8 text (invalid byte at offset {}); the AR publishes its \
             Iniciativas JSON in UTF-8, so download the file again or convert it with \
             `iconv -t UTF-8`",
            e.valid_up_to()
        )));
    }
    serde_json::from_slice(bytes).map_err(|e| {
        Error::Unreadable(format!(
            "{origin}: not valid JSON ({e}); a download that stopped early ends mid-record, \
             so download the file again"
        ))
    })
}

/// The initiatives of the file: a top-level array, the older dialect's
/// wrapper object, or one initiative on its own.
fn initiatives<'a>(root: &'a Value, origin: &str) -> Result<Vec<Element<'a>>> {
    let what = "expected the AR's Iniciativas JSON: an array of initiatives (or one initiative)";
    match root {
        Value::Object(object) if wrapped(object).is_none() && !looks_like_initiative(object) => {
            Err(Error::Unreadable(format!(
                "{origin}: the top-level object is not an initiative (it has no IniId, \
                 IniTitulo, IniNr or IniEventos field); {what}"
            )))
        }
        Value::Array(_) | Value::Object(_) => objects(root, "$")
            .map_err(|e| Error::Unreadable(format!("{origin}: at $: {e}; {what}"))),
        other => Err(Error::Unreadable(format!(
            "{origin}: found {} at the top level; {what}",
            kind(other)
        ))),
    }
}

fn looks_like_initiative(object: &Object) -> bool {
    ["IniId", "IniTitulo", "IniNr", "IniEventos"]
        .iter()
        .any(|name| object.keys().any(|key| key.eq_ignore_ascii_case(name)))
}

/// What one source holds so far.
struct Reader<'o> {
    origin: &'o str,
    parsed: Parsed,
    /// Where each initiative id was first seen, to catch a repeated one.
    seen: HashMap<String, String>,
}

/// The initiative-level fields.
struct Header {
    title: String,
    number: String,
    kind: String,
    legislature: String,
    link: Option<String>,
    authors: Vec<String>,
}

/// The committee that handled an initiative: the first one marked
/// competent (`Competente: "S"`), else the first one named.
#[derive(Default)]
struct Committee {
    competent: Option<String>,
    first: Option<String>,
}

impl Committee {
    fn saw(&mut self, name: &str, competent: bool) {
        if name.is_empty() {
            return;
        }
        if competent && self.competent.is_none() {
            self.competent = Some(name.to_owned());
        }
        if self.first.is_none() {
            self.first = Some(name.to_owned());
        }
    }

    fn name(self) -> Option<String> {
        self.competent.or(self.first)
    }
}

/// What a vote takes from the event it belongs to.
struct Context<'a> {
    initiative: &'a str,
    phase: String,
    /// `DataFase`, the date of a vote that has none of its own.
    phase_date: String,
    place: Place,
}

/// Where a vote sits in the file, which says where it took place.
///
/// The parlamento-app sample settles it: each vote listed directly under an
/// event has `tipoReuniao: "RP"` (reunião plenária), while the one vote
/// taken in committee sits under the event's `Comissao` entry, with
/// `tipoReuniao: null`. So a vote under `Comissao` is a committee vote,
/// named after that committee; a vote under the event is plenary when
/// `tipoReuniao` is "RP" or missing (the ric2b samples omit it), and a
/// committee vote when it names another kind of meeting.
enum Place {
    Event {
        /// The event's committee, when it names exactly one.
        committee: Option<String>,
    },
    Committee(Option<String>),
}

impl Reader<'_> {
    fn put_aside(&mut self, location: String, record: Option<String>, reason: String) {
        self.parsed.quarantine.push(Quarantined {
            source: self.origin.to_owned(),
            location,
            record,
            reason,
        });
    }

    fn initiative(&mut self, path: &str, object: &Object) {
        let id = match text(object, "IniId") {
            Ok(id) if !id.is_empty() => id,
            Ok(_) => {
                let reason = "the initiative has no id (IniId); every initiative of the \
                              AR has one, so the record is incomplete: download it again";
                return self.put_aside(path.to_owned(), None, reason.into());
            }
            Err(reason) => return self.put_aside(path.to_owned(), None, reason),
        };
        if let Some(first) = self.seen.get(&id) {
            let reason = format!(
                "the initiative id {id} appears again (first at {first}); this copy was left \
                 out: keep only one of them"
            );
            return self.put_aside(path.to_owned(), Some(id), reason);
        }
        self.seen.insert(id.clone(), path.to_owned());
        let header = match header(object) {
            Ok(header) => header,
            Err(reason) => return self.put_aside(path.to_owned(), Some(id), reason),
        };
        let events = match list(object, "IniEventos", path) {
            Ok(events) => events,
            Err((location, reason)) => return self.put_aside(location, Some(id), reason),
        };
        let mut votes = Vec::new();
        let mut committee = Committee::default();
        for event in events {
            match event {
                Ok((at, event)) => self.event(&id, &at, event, &mut votes, &mut committee),
                Err((at, reason)) => self.put_aside(at, Some(id.clone()), reason),
            }
        }
        for vote in &votes {
            let ids = vote.positions.keys().chain(vote.counts.keys());
            self.parsed.actors.extend(ids.map(|id| actor(id)));
        }
        let mut proposal = Proposal {
            id,
            legislature: header.legislature,
            number: header.number,
            kind: header.kind,
            title: header.title,
            authors: header.authors,
            committee: committee.name(),
            link: header.link,
            topics: Vec::new(),
            proposer: None,
            votes,
        };
        proposal.sort_votes();
        self.parsed
            .origins
            .entry(proposal.id.clone())
            .or_insert_with(|| path.to_owned());
        self.parsed.proposals.push(proposal);
    }

    /// Reads the votes of one event, plenary and committee alike.
    fn event(
        &mut self,
        initiative: &str,
        path: &str,
        event: &Object,
        votes: &mut Vec<Vote>,
        committee: &mut Committee,
    ) {
        let record = Some(initiative.to_owned());
        let (phase, phase_date) = match (text(event, "Fase"), text(event, "DataFase")) {
            (Ok(phase), Ok(date)) => (phase, date),
            (Err(reason), _) | (_, Err(reason)) => {
                let reason = format!("{reason}; the votes of this event were left out");
                return self.put_aside(path.to_owned(), record, reason);
            }
        };
        let committees = match list(event, "Comissao", path) {
            Ok(committees) => committees,
            Err((at, reason)) => return self.put_aside(at, record, reason),
        };
        let mut names = Vec::new();
        for entry in &committees {
            match entry {
                Ok((at, entry)) => match (text(entry, "Nome"), text(entry, "Competente")) {
                    (Ok(name), Ok(competent)) => {
                        committee.saw(&name, competent.eq_ignore_ascii_case("S"));
                        names.push((at.clone(), *entry, name));
                    }
                    (Err(reason), _) | (_, Err(reason)) => {
                        self.put_aside(at.clone(), record.clone(), reason)
                    }
                },
                Err((at, reason)) => self.put_aside(at.clone(), record.clone(), reason.clone()),
            }
        }
        let only_committee = match names.as_slice() {
            [(_, _, name)] if !name.is_empty() => Some(name.clone()),
            _ => None,
        };
        let mut context = Context {
            initiative,
            phase,
            phase_date,
            place: Place::Event {
                committee: only_committee,
            },
        };
        self.votes(event, path, &context, votes);
        for (at, entry, name) in names {
            context.place = Place::Committee(Some(name).filter(|n| !n.is_empty()));
            self.votes(entry, &at, &context, votes);
        }
    }

    /// Reads the `Votacao` list of an event or of a committee entry.
    fn votes(&mut self, holder: &Object, path: &str, context: &Context, votes: &mut Vec<Vote>) {
        let record = || Some(context.initiative.to_owned());
        let elements = match list(holder, "Votacao", path) {
            Ok(elements) => elements,
            Err((at, reason)) => return self.put_aside(at, record(), reason),
        };
        for element in elements {
            let (at, object) = match element {
                Ok(found) => found,
                Err((at, reason)) => {
                    self.put_aside(at, record(), reason);
                    continue;
                }
            };
            match text(object, "id") {
                Ok(id) if !id.is_empty() => match vote(id.clone(), object, context) {
                    Ok(vote) => votes.push(vote),
                    Err(reason) => self.put_aside(at, Some(id), reason),
                },
                Ok(_) => {
                    let reason = format!(
                        "a vote of initiative {} has no id (field id); without it the vote \
                         cannot be told apart from the others",
                        context.initiative
                    );
                    self.put_aside(at, record(), reason);
                }
                Err(reason) => self.put_aside(at, record(), reason),
            }
        }
    }
}

pub mod detalhe;
mod fields;

#[cfg(test)]
mod tests;
