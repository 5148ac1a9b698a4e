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
//!   [`objects`] undoes both list shapes.
//! - Ids are text in one dialect and numbers in the other.
//! - Votes live in two places: `IniEventos[].Votacao[]` (plenary sittings)
//!   and `IniEventos[].Comissao[].Votacao[]` (committee meetings); see
//!   [`Place`].
//! - How each group voted is only in the `detalhe` text, parsed by
//!   [`detalhe`].
//! - The files the AR publishes may start with a byte order mark.

use super::{Parsed, Quarantined};
use crate::error::{Error, IoContext, Result};
use hemiciclo_core::{Actor, ActorKind, Date, Outcome, PhaseKind, Proposal, Venue, Vote};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

type Object = serde_json::Map<String, Value>;

/// One element of a list field: the object and its JSON path, or its path
/// and why it is not an object.
type Element<'a> = Result<(String, &'a Object), (String, String)>;

/// Suffix the AR gives a member who sits alone; it is part of their actor id.
const NON_ATTACHED_SUFFIX: &str = " (Ninsc)";

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

fn header(object: &Object) -> Result<Header, String> {
    let title = text(object, "IniTitulo")?;
    if title.is_empty() {
        return Err(
            "the initiative has no title (IniTitulo); the quiz cannot show it \
                    without one"
                .into(),
        );
    }
    let link = text(object, "IniLinkTexto")?;
    Ok(Header {
        title,
        number: text(object, "IniNr")?,
        kind: text(object, "IniDescTipo")?,
        legislature: text(object, "IniLeg")?,
        link: Some(link).filter(|l| !l.is_empty()),
        authors: authors(object)?,
    })
}

/// The authors, named as the AR votes CSVs name them: a group's code, a
/// non-attached member's actor id (`Nome (Ninsc)`), or the name of another
/// author ("Governo", a regional assembly, "Cidadãos", ...).
fn authors(object: &Object) -> Result<Vec<String>, String> {
    let mut authors: Vec<String> = Vec::new();
    for group in listed(object, "IniAutorGruposParlamentares")? {
        push_new(&mut authors, text(group, "GP")?);
    }
    // Members stand for their group, as in the CSVs; a non-attached one has no group.
    for member in listed(object, "IniAutorDeputados")? {
        let (name, group) = (text(member, "nome")?, text(member, "GP")?);
        let author = match group.as_str() {
            _ if name.is_empty() => group,
            "" => name,
            ninsc if ninsc.eq_ignore_ascii_case("Ninsc") => non_attached_id(&name),
            _ => group,
        };
        push_new(&mut authors, author);
    }
    // "Grupos Parlamentares" and "Deputados" only say which of the lists above to read.
    let specific = !authors.is_empty();
    for other in listed(object, "IniAutorOutros")? {
        let name = text(other, "nome")?;
        let generic = name.eq_ignore_ascii_case("Grupos Parlamentares")
            || name.eq_ignore_ascii_case("Deputados");
        if !(specific && generic) {
            push_new(&mut authors, name);
        }
    }
    Ok(authors)
}

fn push_new(authors: &mut Vec<String>, author: String) {
    if !author.is_empty() && !authors.contains(&author) {
        authors.push(author);
    }
}

/// The objects of a list field of an initiative; any bad element is an error.
fn listed<'a>(object: &'a Object, name: &str) -> Result<Vec<&'a Object>, String> {
    list(object, name, "")
        .map_err(|(_, reason)| reason)?
        .into_iter()
        .map(|element| element.map(|(_, o)| o).map_err(|(_, reason)| reason))
        .collect()
}

fn vote(id: String, object: &Object, context: &Context) -> Result<Vote, String> {
    let own_date = text(object, "data")?;
    let date_text = if own_date.is_empty() {
        &context.phase_date
    } else {
        &own_date
    };
    let date = parse_date(date_text)?;
    let result = outcome(object)?;
    let unanimous = unanimous(object)?;
    let venue = match &context.place {
        Place::Committee(name) => Venue::Committee(name.clone()),
        Place::Event { committee } => match text(object, "tipoReuniao")?.as_str() {
            "" | "RP" => Venue::Plenary,
            _ => Venue::Committee(committee.clone()),
        },
    };
    let detail = text(object, "detalhe")?;
    let sections = detalhe::parse(&detail).map_err(|e| format!("detalhe: {e}"))?;
    let mut votes = detalhe::resolve(&sections).map_err(|e| format!("detalhe: {e}"))?;
    let mut absent = Vec::new();
    for entry in strings(object, "ausencias")? {
        absent.extend(detalhe::entries(&entry).map_err(|e| format!("ausencias: {e}"))?);
    }
    votes.add_absences(&absent);
    Ok(Vote {
        id,
        phase_kind: PhaseKind::from_ar_label(&context.phase),
        phase: context.phase.clone(),
        date,
        result,
        unanimous,
        description: text(object, "descricao")?,
        venue,
        positions: votes.positions,
        counts: votes.counts,
        members: votes.members,
    })
}

/// A date as the AR writes it: `YYYY-MM-DD`, sometimes with a time of day
/// (`2026-03-09T00:00:00`) that means nothing for a vote.
fn parse_date(text: &str) -> Result<Date, String> {
    if text.is_empty() {
        return Err("the vote has no date (neither its data nor its event's DataFase)".into());
    }
    let day = text.split_once('T').map_or(text, |(day, _)| day);
    Date::parse_iso(day)
        .ok_or_else(|| format!("the date {} is not a valid YYYY-MM-DD date", quote(text)))
}

/// `resultado`: "Aprovado" or "Rejeitado" (in either gender, sometimes
/// followed by more words); another word ("Prejudicado", "Retirado") is no
/// outcome; anything else is garbage.
fn outcome(object: &Object) -> Result<Option<Outcome>, String> {
    let result = text(object, "resultado")?;
    let first = result
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_lowercase();
    match first.as_str() {
        "aprovado" | "aprovada" => Ok(Some(Outcome::Approved)),
        "rejeitado" | "rejeitada" => Ok(Some(Outcome::Rejected)),
        _ if result
            .chars()
            .all(|c| c.is_alphabetic() || c.is_whitespace()) =>
        {
            Ok(None)
        }
        _ => Err(format!(
            "unknown result {}; expected \"Aprovado\", \"Rejeitado\" or another word",
            quote(&result)
        )),
    }
}

/// `unanime`: the word "unanime" when the vote was unanimous, else nothing.
fn unanimous(object: &Object) -> Result<bool, String> {
    match field(object, "unanime") {
        None => Ok(false),
        Some((_, Value::Bool(flag))) => Ok(*flag),
        Some((key, Value::String(word))) => match word.trim().to_lowercase().as_str() {
            "" => Ok(false),
            "unanime" | "unânime" => Ok(true),
            _ => Err(format!(
                "unknown {key} {}; expected \"unanime\" or nothing",
                quote(word)
            )),
        },
        Some((key, other)) => Err(format!(
            "the field {key} should be \"unanime\" or nothing, found {}",
            kind(other)
        )),
    }
}

/// A field that holds a list of texts, a text, or (older dialect) a
/// wrapper object around either.
fn strings(object: &Object, name: &str) -> Result<Vec<String>, String> {
    fn collect(value: &Value, key: &str, into: &mut Vec<String>) -> Result<(), String> {
        match value {
            Value::Null => Ok(()),
            Value::String(s) => {
                into.push(s.clone());
                Ok(())
            }
            Value::Array(items) => items.iter().try_for_each(|item| match item {
                Value::Array(_) => Err(format!("the field {key} holds a list inside a list")),
                item => collect(item, key, into),
            }),
            Value::Object(object) => match object.iter().next() {
                Some((inner, value))
                    if object.len() == 1 && (is_wrapper_key(inner) || inner == "string") =>
                {
                    collect(value, key, into)
                }
                _ => Err(format!(
                    "the field {key} should be a list of texts, found an object"
                )),
            },
            other => Err(format!(
                "the field {key} should be a list of texts, found {}",
                kind(other)
            )),
        }
    }
    let mut found = Vec::new();
    if let Some((key, value)) = field(object, name) {
        collect(value, key, &mut found)?;
    }
    Ok(found)
}

/// A field by name, whatever the dialect's capitalisation, with its key as
/// written; a `null` field is a missing one.
fn field<'a>(object: &'a Object, name: &str) -> Option<(&'a str, &'a Value)> {
    object
        .iter()
        .find(|(key, value)| key.eq_ignore_ascii_case(name) && !value.is_null())
        .map(|(key, value)| (key.as_str(), value))
}

/// A scalar field as trimmed text, "" when missing. Ids are text in one
/// dialect and numbers in the other.
fn text(object: &Object, name: &str) -> Result<String, String> {
    match field(object, name) {
        None => Ok(String::new()),
        Some((_, Value::String(s))) => Ok(s.trim().to_owned()),
        Some((_, Value::Number(n))) => Ok(n.to_string()),
        Some((key, other)) => Err(format!(
            "the field {key} should be text or a number, found {}",
            kind(other)
        )),
    }
}

/// The elements of a list field; a missing field is an empty list.
fn list<'a>(
    object: &'a Object,
    name: &str,
    path: &str,
) -> Result<Vec<Element<'a>>, (String, String)> {
    match field(object, name) {
        None => Ok(Vec::new()),
        Some((key, value)) => {
            let at = child(path, key);
            objects(value, &at).map_err(|reason| (at, format!("{key}: {reason}")))
        }
    }
}

/// The elements of a value that should be a list of objects. The older
/// dialect writes a one-element list as the bare object and may wrap a list
/// in an object whose only key is the XML element name
/// (`{"pt_gov_ar_objectos_VotacaoOut": [...]}`); both are undone here.
fn objects<'a>(value: &'a Value, path: &str) -> Result<Vec<Element<'a>>, String> {
    match value {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => Ok(items
            .iter()
            .enumerate()
            .filter(|(_, item)| !item.is_null())
            .map(|(i, item)| {
                let at = format!("{path}[{i}]");
                match item {
                    Value::Object(object) => Ok((at, object)),
                    other => Err((at, format!("expected an object, found {}", kind(other)))),
                }
            })
            .collect()),
        Value::Object(object) => match wrapped(object) {
            Some((key, inner)) => objects(inner, &child(path, key)),
            None => Ok(vec![Ok((path.to_owned(), object))]),
        },
        other => Err(format!("expected a list of objects, found {}", kind(other))),
    }
}

/// The content of an older-dialect wrapper object.
fn wrapped(object: &Object) -> Option<(&str, &Value)> {
    match object.iter().next() {
        Some((key, value)) if object.len() == 1 && is_wrapper_key(key) => {
            Some((key.as_str(), value))
        }
        _ => None,
    }
}

fn is_wrapper_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.starts_with("pt_gov_ar_") || key.starts_with("arrayof")
}

/// `path.key`, or `path["key"]` for a key that is not a plain name.
fn child(path: &str, key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!("{path}.{key}")
    } else {
        format!("{path}[{key:?}]")
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A bit of the data for a message, cut short when long.
fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTE_LIMIT) {
        Some((end, _)) => format!("{:?}…", &text[..end]),
        None => format!("{text:?}"),
    }
}

fn non_attached_id(name: &str) -> String {
    format!("{name}{NON_ATTACHED_SUFFIX}")
}

fn actor(id: &str) -> Actor {
    match id.strip_suffix(NON_ATTACHED_SUFFIX) {
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

pub mod detalhe;

#[cfg(test)]
mod tests;
