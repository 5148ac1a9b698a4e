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
use anyhow::{bail, Result};
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
        .map_err(|e| anyhow::anyhow!("cannot read the initiatives file {}: {e}", path.display()))?;
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
        bail!(
            "{origin}: not UTF-8 text (invalid byte at offset {}); the AR publishes its \
             Iniciativas JSON in UTF-8, so download the file again or convert it with \
             `iconv -t UTF-8`",
            e.valid_up_to()
        );
    }
    serde_json::from_slice(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{origin}: not valid JSON ({e}); a download that stopped early ends mid-record, \
             so download the file again"
        )
    })
}

/// The initiatives of the file: a top-level array, the older dialect's
/// wrapper object, or one initiative on its own.
fn initiatives<'a>(root: &'a Value, origin: &str) -> Result<Vec<Element<'a>>> {
    let what = "expected the AR's Iniciativas JSON: an array of initiatives (or one initiative)";
    match root {
        Value::Object(object) if wrapped(object).is_none() && !looks_like_initiative(object) => {
            bail!(
                "{origin}: the top-level object is not an initiative (it has no IniId, \
                 IniTitulo, IniNr or IniEventos field); {what}"
            )
        }
        Value::Array(_) | Value::Object(_) => {
            objects(root, "$").map_err(|e| anyhow::anyhow!("{origin}: at $: {e}; {what}"))
        }
        other => bail!("{origin}: found {} at the top level; {what}", kind(other)),
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

/// The `detalhe` text of a vote: how each group, and sometimes each member,
/// voted.
///
/// Its shape: `A Favor: <I>77-PSD</I>, <I> PS</I><BR>Contra:<I>CH</I>, <I>
/// Ana Silva (PS)</I>` — sections separated by `<BR>`, each a label, a
/// colon and a comma-separated list whose entries are usually wrapped in
/// `<I>`. An entry is a group code (`PS`), a count of a group's members
/// (`77-PSD`), a named member and their group (`Ana Silva (PS)`), or a
/// non-attached member (`Ana Silva (Ninsc)`). The AR is not consistent
/// about spaces or the case of tags and labels, so neither matters here;
/// anything else unexpected is an error that quotes the fragment.
pub mod detalhe {
    use super::{non_attached_id, quote};
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
            if let (false, Some(majority)) = (votes.positions.contains_key(group), tally.majority())
            {
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
                    Entry::Member { name, group }
                        if !self.members.iter().any(|m| m.name == *name) =>
                    {
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
            Position::Absent => "Ausência",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::detalhe::{self, Entry, Section};
    use super::*;
    use hemiciclo_core::{Position, Tally};
    use serde_json::json;
    use std::collections::BTreeMap;

    fn parse_value(value: &Value) -> Parsed {
        parse(value.to_string().as_bytes(), "test.json").unwrap()
    }

    /// A valid initiative of the current dialect with one plenary event
    /// holding `votes`.
    fn initiative(id: &str, votes: Value) -> Value {
        json!({
            "IniId": id,
            "IniNr": "7",
            "IniDescTipo": "Projeto de Lei",
            "IniLeg": "XVII",
            "IniTitulo": "Um título",
            "IniLinkTexto": "http://example.com/7",
            "IniAutorGruposParlamentares": [{"GP": "PS"}],
            "IniEventos": [{
                "Fase": "Votação na generalidade",
                "DataFase": "2025-07-01",
                "Votacao": votes,
            }],
        })
    }

    fn plenary_vote(id: &str, detail: &str) -> Value {
        json!({
            "id": id,
            "data": "2025-07-02",
            "resultado": "Aprovado",
            "tipoReuniao": "RP",
            "detalhe": detail,
        })
    }

    /// The only quarantine entry of a source.
    fn only_quarantined(parsed: &Parsed) -> &Quarantined {
        assert_eq!(parsed.quarantine.len(), 1, "{:#?}", parsed.quarantine);
        &parsed.quarantine[0]
    }

    fn error(bytes: &[u8]) -> String {
        format!("{:#}", parse(bytes, "bad.json").unwrap_err())
    }

    fn positions(pairs: &[(&str, Position)]) -> BTreeMap<String, Position> {
        pairs.iter().map(|(a, p)| (a.to_string(), *p)).collect()
    }

    // --- Whole sources that cannot be read ---

    #[test]
    fn truncated_json_is_an_error_naming_the_source() {
        let text = initiative("1", json!([plenary_vote("10", "")])).to_string();
        let message = error(&text.as_bytes()[..text.len() / 2]);
        assert!(message.starts_with("bad.json: not valid JSON"), "{message}");
        assert!(message.contains("download the file again"), "{message}");
    }

    #[test]
    fn a_top_level_scalar_is_an_error() {
        for (text, found) in [
            ("42", "a number"),
            ("\"x\"", "text"),
            ("null", "null"),
            ("true", "true or false"),
        ] {
            let message = error(text.as_bytes());
            assert!(
                message.contains("bad.json") && message.contains(found),
                "{message}"
            );
            assert!(message.contains("array of initiatives"), "{message}");
        }
    }

    #[test]
    fn an_empty_object_is_not_an_initiative() {
        let message = error(b"{}");
        assert!(message.contains("not an initiative"), "{message}");
        let message = error(br#"{"foo": 1}"#);
        assert!(message.contains("not an initiative"), "{message}");
    }

    #[test]
    fn invalid_utf8_is_an_error_with_the_offset() {
        let mut bytes = br#"[{"IniId": "1", "IniTitulo": "Caf"#.to_vec();
        let offset = bytes.len();
        bytes.push(0xE9); // "é" in Latin-1
        bytes.extend_from_slice(br#""}]"#);
        let message = error(&bytes);
        assert!(message.contains("not UTF-8"), "{message}");
        assert!(message.contains(&format!("offset {offset}")), "{message}");
    }

    #[test]
    fn deeply_nested_junk_is_an_error_or_a_quarantine_never_a_panic() {
        // Past serde_json's nesting limit: the file cannot be read.
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let message = error(deep.as_bytes());
        assert!(message.contains("not valid JSON"), "{message}");
        // Deep but within the limit, inside one initiative: only it is put aside.
        let junk: Value =
            serde_json::from_str(&format!("{}1{}", "[".repeat(100), "]".repeat(100))).unwrap();
        let mut bad = initiative("1", json!([]));
        bad["IniEventos"] = junk;
        let parsed = parse_value(&json!([bad, initiative("2", json!([]))]));
        assert_eq!(parsed.proposals.len(), 2, "the bad event is left out");
        let quarantined = only_quarantined(&parsed);
        assert_eq!(quarantined.location, "$[0].IniEventos[0]");
        assert!(quarantined.reason.contains("found a list"), "{quarantined}");
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(json!([initiative("1", json!([]))]).to_string().as_bytes());
        assert_eq!(parse(&bytes, "bom.json").unwrap().proposals.len(), 1);
    }

    // --- Records put aside ---

    #[test]
    fn an_initiative_id_of_the_wrong_type_puts_the_initiative_aside() {
        let mut bad = initiative("1", json!([plenary_vote("10", "")]));
        bad["IniId"] = json!({"id": 1});
        let parsed = parse_value(&json!([bad, initiative("2", json!([]))]));
        assert_eq!(parsed.proposals.len(), 1);
        let quarantined = only_quarantined(&parsed);
        assert_eq!(quarantined.location, "$[0]");
        assert_eq!(quarantined.record, None);
        assert!(
            quarantined.reason.contains("IniId") && quarantined.reason.contains("an object"),
            "{quarantined}"
        );
    }

    #[test]
    fn events_that_are_not_a_list_put_the_initiative_aside() {
        let mut bad = initiative("1", json!([]));
        bad["IniEventos"] = json!("Votação na generalidade");
        let parsed = parse_value(&json!([bad]));
        assert!(parsed.proposals.is_empty());
        let quarantined = only_quarantined(&parsed);
        assert_eq!(quarantined.location, "$[0].IniEventos");
        assert_eq!(quarantined.record.as_deref(), Some("1"));
        assert!(quarantined.reason.contains("found text"), "{quarantined}");
    }

    #[test]
    fn a_missing_id_or_title_puts_the_initiative_aside() {
        let mut no_id = initiative("1", json!([]));
        no_id.as_object_mut().unwrap().remove("IniId");
        let mut no_title = initiative("2", json!([]));
        no_title["IniTitulo"] = json!("  ");
        let parsed = parse_value(&json!([no_id, no_title]));
        assert!(parsed.proposals.is_empty());
        assert_eq!(parsed.quarantine.len(), 2);
        assert!(parsed.quarantine[0].reason.contains("no id (IniId)"));
        assert_eq!(parsed.quarantine[1].record.as_deref(), Some("2"));
        assert!(parsed.quarantine[1].reason.contains("no title (IniTitulo)"));
    }

    #[test]
    fn an_impossible_date_puts_the_vote_aside() {
        let mut bad = plenary_vote("11", "A Favor: <I>PS</I>");
        bad["data"] = json!("2023-02-29");
        let parsed = parse_value(&json!([initiative(
            "1",
            json!([plenary_vote("10", ""), bad])
        )]));
        assert_eq!(parsed.proposals[0].votes.len(), 1, "the other vote stays");
        let quarantined = only_quarantined(&parsed);
        assert_eq!(quarantined.location, "$[0].IniEventos[0].Votacao[1]");
        assert_eq!(quarantined.record.as_deref(), Some("11"));
        assert!(quarantined.reason.contains("2023-02-29"), "{quarantined}");
    }

    #[test]
    fn an_unknown_section_puts_the_vote_aside_quoting_it() {
        let parsed = parse_value(&json!([initiative(
            "1",
            json!([plenary_vote(
                "10",
                "A Favor: <I>PS</I><BR>Talvez: <I>CH</I>"
            )])
        )]));
        assert!(parsed.proposals[0].votes.is_empty());
        let quarantined = only_quarantined(&parsed);
        assert!(
            quarantined.reason.contains("unknown section \"Talvez\""),
            "{quarantined}"
        );
    }

    #[test]
    fn garbage_detalhe_puts_the_vote_aside_quoting_the_fragment() {
        for (detail, quoted) in [
            ("<script>alert(1)</script>", "<script>"),
            ("A Favor: <I>PS</I>, <I>@@@</I>", "\"@@@\""),
            ("A Favor: PS, 77-", "\"77-\""),
            ("A Favor: <I>PS", ""),
            (
                "A Favor: <I>PS</I><BR>Contra: <I>PS</I>",
                "both as A Favor and as Contra",
            ),
            ("apenas texto", "no label"),
            ("A Favor: <I PS", "not closed"),
            ("A Favor: 99999999999-PS", "too large"),
            ("A Favor: Ninsc", "bare \"Ninsc\""),
        ] {
            let parsed = parse_value(&json!([initiative(
                "1",
                json!([plenary_vote("10", detail)])
            )]));
            if quoted.is_empty() {
                // `A Favor: <I>PS` is missing a closing tag but says all it needs to.
                assert_eq!(parsed.proposals[0].votes.len(), 1, "{detail}");
                continue;
            }
            let quarantined = only_quarantined(&parsed);
            assert!(quarantined.reason.starts_with("detalhe: "), "{quarantined}");
            assert!(
                quarantined.reason.contains(quoted),
                "{detail}: {quarantined}"
            );
        }
    }

    #[test]
    fn a_repeated_initiative_id_keeps_the_first_copy() {
        let first = initiative("1", json!([plenary_vote("10", "")]));
        let mut second = initiative("1", json!([]));
        second["IniTitulo"] = json!("Outro título");
        let parsed = parse_value(&json!([first, second]));
        assert_eq!(parsed.proposals.len(), 1);
        assert_eq!(parsed.proposals[0].title, "Um título");
        let quarantined = only_quarantined(&parsed);
        assert_eq!(quarantined.location, "$[1]");
        assert!(
            quarantined.reason.contains("appears again (first at $[0])"),
            "{quarantined}"
        );
    }

    #[test]
    fn a_vote_with_no_id_is_put_aside_under_its_initiative() {
        let mut no_id = plenary_vote("", "");
        no_id.as_object_mut().unwrap().remove("id");
        let parsed = parse_value(&json!([initiative(
            "1",
            json!([no_id, plenary_vote("10", "")])
        )]));
        assert_eq!(parsed.proposals[0].votes.len(), 1);
        let quarantined = only_quarantined(&parsed);
        assert_eq!(quarantined.record.as_deref(), Some("1"));
        assert_eq!(quarantined.location, "$[0].IniEventos[0].Votacao[0]");
        assert!(quarantined.reason.contains("no id"), "{quarantined}");
    }

    #[test]
    fn odd_vote_fields_put_only_that_vote_aside() {
        let mut bad_result = plenary_vote("11", "");
        bad_result["resultado"] = json!("Aprovado?!");
        let mut bad_unanimous = plenary_vote("12", "");
        bad_unanimous["unanime"] = json!(3);
        let mut bad_absences = plenary_vote("13", "");
        bad_absences["ausencias"] = json!([{"a": 1, "b": 2}]);
        let mut other_word = plenary_vote("14", "");
        other_word["resultado"] = json!("Prejudicado");
        let parsed = parse_value(&json!([initiative(
            "1",
            json!([bad_result, bad_unanimous, bad_absences, other_word, 5])
        )]));
        let votes = &parsed.proposals[0].votes;
        assert_eq!(votes.len(), 1);
        assert_eq!(votes[0].result, None, "another word is no outcome");
        let reasons: Vec<_> = parsed
            .quarantine
            .iter()
            .map(|q| q.reason.as_str())
            .collect();
        assert_eq!(reasons.len(), 4, "{reasons:#?}");
        assert!(reasons[0].contains("unknown result \"Aprovado?!\""));
        assert!(reasons[1].contains("unanime"));
        assert!(reasons[2].contains("ausencias"));
        assert!(reasons[3].contains("found a number"));
    }

    #[test]
    fn an_event_with_a_bad_phase_or_vote_list_loses_only_its_votes() {
        let mut parsed_value = initiative("1", json!([plenary_vote("10", "")]));
        let events = parsed_value["IniEventos"].as_array_mut().unwrap();
        events.push(json!({"Fase": ["x"], "Votacao": [plenary_vote("11", "")]}));
        events.push(json!({"Fase": "Votação final global", "Votacao": "sim"}));
        let parsed = parse_value(&json!([parsed_value]));
        assert_eq!(parsed.proposals[0].votes.len(), 1);
        assert_eq!(parsed.quarantine.len(), 2);
        assert_eq!(parsed.quarantine[0].location, "$[0].IniEventos[1]");
        assert_eq!(parsed.quarantine[1].location, "$[0].IniEventos[2].Votacao");
    }

    #[test]
    fn a_fifty_megabyte_string_field_is_read_or_put_aside_without_trouble() {
        let huge = "x".repeat(50 * 1024 * 1024);
        let mut title = initiative("1", json!([plenary_vote("10", "")]));
        title["IniTitulo"] = json!(huge);
        let detail = initiative("2", json!([plenary_vote("20", &huge)]));
        let parsed = parse_value(&json!([title, detail]));
        assert_eq!(parsed.proposals.len(), 2);
        assert_eq!(parsed.proposals[0].title.len(), huge.len());
        let quarantined = only_quarantined(&parsed);
        assert_eq!(quarantined.record.as_deref(), Some("20"));
        assert!(
            quarantined.reason.len() < 300,
            "the message quotes only the start"
        );
    }

    // --- What is read ---

    #[test]
    fn reads_a_vote_with_its_fields() {
        let mut vote = plenary_vote(
            "10",
            "A Favor: <I>PS</I>, <I> BE</I><BR>Contra:<I>PSD</I><BR>Abstenção:<I>CH</I>",
        );
        vote["descricao"] = json!("Proposta de alteração");
        vote["unanime"] = json!(null);
        vote["ausencias"] = json!("IL, JPP");
        let parsed = parse_value(&json!([initiative("1", json!([vote]))]));
        let proposal = &parsed.proposals[0];
        assert_eq!(
            (
                proposal.number.as_str(),
                proposal.kind.as_str(),
                proposal.legislature.as_str()
            ),
            ("7", "Projeto de Lei", "XVII")
        );
        assert_eq!(proposal.authors, ["PS"]);
        let vote = &proposal.votes[0];
        assert_eq!(vote.phase_kind, PhaseKind::General);
        assert_eq!(vote.date.to_string(), "2025-07-02");
        assert_eq!(vote.result, Some(Outcome::Approved));
        assert_eq!(vote.description, "Proposta de alteração");
        assert_eq!(
            vote.positions,
            positions(&[
                ("PS", Position::For),
                ("BE", Position::For),
                ("PSD", Position::Against),
                ("CH", Position::Abstain),
                ("IL", Position::Absent),
                ("JPP", Position::Absent),
            ])
        );
        assert!(vote.counts.is_empty() && vote.members.is_empty());
        assert_eq!(parsed.actors.len(), 6);
    }

    #[test]
    fn a_vote_without_a_date_takes_its_events() {
        let mut vote = plenary_vote("10", "");
        vote.as_object_mut().unwrap().remove("data");
        let parsed = parse_value(&json!([initiative("1", json!([vote]))]));
        assert_eq!(parsed.proposals[0].votes[0].date.to_string(), "2025-07-01");
    }

    #[test]
    fn reads_the_older_dialect_with_wrappers_bare_objects_and_numeric_ids() {
        let file = json!({
            "ArrayOfPt_gov_ar_objectos_iniciativas_DetalhePesquisaIniciativasOut": {
                "pt_gov_ar_objectos_iniciativas_DetalhePesquisaIniciativasOut": {
                    "iniId": 44059,
                    "iniNr": 3,
                    "iniTitulo": "Um título",
                    "iniLeg": "XIV",
                    "iniAutorDeputados": {"pt_gov_ar_objectos_iniciativas_AutoresDeputadosOut":
                        {"nome": "Joacine Katar Moreira", "GP": "Ninsc"}},
                    "iniAutorOutros": {"nome": "Deputados", "sigla": "D"},
                    "iniEventos": {"pt_gov_ar_objectos_iniciativas_EventosOut": [
                        {"fase": "Entrada", "dataFase": "2019-10-30"},
                        {
                            "fase": "Votação na generalidade",
                            "dataFase": "2019-11-15",
                            "votacao": {"pt_gov_ar_objectos_VotacaoOut": {
                                "id": 81234,
                                "resultado": "Rejeitado",
                                "tipoReuniao": "RP",
                                "detalhe": "A Favor: <i>BE</i>, <i>Joacine Katar Moreira (Ninsc)</i><br>Contra: <i>PS</i>",
                                "ausencias": {"string": ["PEV"]}
                            }},
                            "comissao": {"pt_gov_ar_objectos_iniciativas_ComissoesIniOut": {
                                "nome": "Comissão de Saúde",
                                "competente": "S",
                                "votacao": {"pt_gov_ar_objectos_VotacaoOut": {
                                    "id": 81200, "data": "2019-11-10", "resultado": "Aprovado",
                                    "unanime": "unanime", "detalhe": null
                                }}
                            }}
                        }
                    ]}
                }
            }
        });
        let parsed = parse_value(&file);
        assert!(parsed.quarantine.is_empty(), "{:#?}", parsed.quarantine);
        let proposal = &parsed.proposals[0];
        assert_eq!(proposal.id, "44059");
        assert_eq!(proposal.number, "3");
        assert_eq!(proposal.authors, ["Joacine Katar Moreira (Ninsc)"]);
        assert_eq!(proposal.committee.as_deref(), Some("Comissão de Saúde"));
        let [committee, plenary] = proposal.votes.as_slice() else {
            panic!("two votes: {:#?}", proposal.votes)
        };
        assert_eq!(committee.id, "81200");
        assert_eq!(
            committee.venue,
            Venue::Committee(Some("Comissão de Saúde".into()))
        );
        assert!(committee.unanimous && committee.positions.is_empty());
        assert_eq!(plenary.venue, Venue::Plenary);
        assert_eq!(plenary.result, Some(Outcome::Rejected));
        assert_eq!(
            plenary.positions,
            positions(&[
                ("BE", Position::For),
                ("Joacine Katar Moreira (Ninsc)", Position::For),
                ("PS", Position::Against),
                ("PEV", Position::Absent),
            ])
        );
        let member = parsed
            .actors
            .iter()
            .find(|a| a.kind == ActorKind::NonAttached)
            .unwrap();
        assert_eq!(
            (member.id.as_str(), member.name.as_str()),
            ("Joacine Katar Moreira (Ninsc)", "Joacine Katar Moreira")
        );
    }

    #[test]
    fn a_vote_under_an_event_is_in_committee_when_its_meeting_is_not_plenary() {
        let mut vote = plenary_vote("10", "");
        vote["tipoReuniao"] = json!("RC");
        let mut value = initiative("1", json!([vote]));
        value["IniEventos"][0]["Comissao"] =
            json!([{"Nome": " Comissão de Saúde ", "Competente": "N"}]);
        let parsed = parse_value(&json!([value]));
        let proposal = &parsed.proposals[0];
        assert_eq!(
            proposal.votes[0].venue,
            Venue::Committee(Some("Comissão de Saúde".into()))
        );
        assert_eq!(proposal.committee.as_deref(), Some("Comissão de Saúde"));
    }

    #[test]
    fn authors_from_every_list_in_the_order_given() {
        let mut value = initiative("1", json!([]));
        value["IniAutorGruposParlamentares"] = json!([{"GP": "BE"}, {"GP": "L"}]);
        value["IniAutorDeputados"] = json!([
            {"nome": "Ana Silva", "GP": "BE"},
            {"nome": "Rui Costa", "GP": "Ninsc"}
        ]);
        value["IniAutorOutros"] = json!({"nome": "Grupos Parlamentares", "sigla": "G"});
        let parsed = parse_value(&json!([value.clone()]));
        assert_eq!(
            parsed.proposals[0].authors,
            ["BE", "L", "Rui Costa (Ninsc)"]
        );

        value["IniAutorGruposParlamentares"] = json!(null);
        value["IniAutorDeputados"] = json!([]);
        value["IniAutorOutros"] = json!({"nome": "Governo", "sigla": "V"});
        let parsed = parse_value(&json!([value]));
        assert_eq!(parsed.proposals[0].authors, ["Governo"]);
    }

    // --- The detalhe text ---

    fn resolved(text: &str) -> detalhe::Votes {
        detalhe::resolve(&detalhe::parse(text).unwrap()).unwrap()
    }

    #[test]
    fn detalhe_split_vote_counts_give_each_group_its_majority() {
        // The shape of the AR's counted votes (`NN-GROUP`), with PS split.
        let votes = resolved(
            "A Favor: <I>77-PSD</I>, <I> 2-PS</I><BR>Contra:<I>54-PS</I>, <I> 58-CH</I>\
             <BR>Abstenção:<I>9-IL</I><BR>Ausência: <I>2-PS</I>",
        );
        let tally = |f, a, n, x| Tally {
            in_favour: f,
            against: a,
            abstain: n,
            absent: x,
        };
        assert_eq!(votes.counts["PSD"], tally(77, 0, 0, 0));
        assert_eq!(votes.counts["PS"], tally(2, 54, 0, 2));
        assert_eq!(votes.counts["CH"], tally(0, 58, 0, 0));
        assert_eq!(votes.counts["IL"], tally(0, 0, 9, 0));
        assert_eq!(
            votes.positions,
            positions(&[
                ("PSD", Position::For),
                ("PS", Position::Against),
                ("CH", Position::Against),
                ("IL", Position::Abstain),
            ])
        );
    }

    #[test]
    fn detalhe_named_members_break_with_their_group_or_make_its_tally() {
        let votes = resolved(
            "A Favor: <I>PSD</I>, <I> Ana Silva (PS)</I>, <I> Rui Costa (Ninsc)</I>\
             <BR>Contra:<I>PS</I>, <I> Rita Sousa (CH)</I>, <I> Pedro Reis (CH)</I>\
             <BR>Abstenção:<I>Luís Moura (CH)</I><BR>Ausência: <I>Miguel Arruda (Ninsc)</I>",
        );
        assert_eq!(
            votes.positions,
            positions(&[
                ("PSD", Position::For),
                ("PS", Position::Against),
                ("CH", Position::Against),
                ("Rui Costa (Ninsc)", Position::For),
                ("Miguel Arruda (Ninsc)", Position::Absent),
            ])
        );
        // PS is listed whole: Ana Silva broke with it and it has no tally.
        // CH is only named member by member: its tally is theirs.
        assert_eq!(votes.counts.keys().collect::<Vec<_>>(), ["CH"]);
        assert_eq!(
            (votes.counts["CH"].against, votes.counts["CH"].abstain),
            (2, 1)
        );
        let members: Vec<_> = votes
            .members
            .iter()
            .map(|m| (m.name.as_str(), m.actor.as_str(), m.position))
            .collect();
        assert_eq!(
            members,
            [
                ("Ana Silva", "PS", Position::For),
                ("Rita Sousa", "CH", Position::Against),
                ("Pedro Reis", "CH", Position::Against),
                ("Luís Moura", "CH", Position::Abstain),
            ]
        );
    }

    #[test]
    fn detalhe_named_member_of_a_counted_group_adds_to_its_count() {
        let votes = resolved("A Favor: 3-PS, Ana Silva (PS)<BR>Contra: 3-PS");
        assert_eq!(votes.counts["PS"].in_favour, 4);
        assert_eq!(votes.positions["PS"], Position::For);
    }

    #[test]
    fn detalhe_ignores_spacing_and_case_of_tags_and_labels() {
        let loose = resolved(
            "  a favor :< i >PS< /i >,<I>  BE </I>< br />CONTRA:<I>PSD</I><Br>abstencao: CH,, ",
        );
        let tidy =
            resolved("A Favor: <I>PS</I>, <I> BE</I><BR>Contra:<I>PSD</I><BR>Abstenção:<I>CH</I>");
        assert_eq!(loose, tidy);
        assert_eq!(tidy.positions.len(), 4);
        assert_eq!(detalhe::parse("").unwrap(), []);
        assert_eq!(detalhe::parse(" <BR> ").unwrap(), []);
    }

    #[test]
    fn ausencias_only_fill_in_what_the_text_leaves_out() {
        let mut votes = resolved("A Favor: PS<BR>Ausência: 2-PSD");
        let absent =
            detalhe::entries("PS, PSD, CH, 3-IL, Ana Silva (BE), Rui Costa (Ninsc)").unwrap();
        votes.add_absences(&absent);
        assert_eq!(
            votes.positions,
            positions(&[
                ("PS", Position::For),
                ("PSD", Position::Absent),
                ("CH", Position::Absent),
                ("IL", Position::Absent),
                ("Rui Costa (Ninsc)", Position::Absent),
            ])
        );
        assert_eq!(votes.counts["PSD"].absent, 2, "not counted twice");
        assert_eq!(votes.counts["IL"].absent, 3);
        assert_eq!(votes.members.len(), 1);
        assert!(
            !votes.positions.contains_key("BE"),
            "one member is not the group"
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        const GROUPS: &[&str] = &[
            "PS", "PSD", "BE", "PCP", "CDS-PP", "PAN", "PEV", "CH", "IL", "L", "JPP",
        ];
        const NAMES: &[&str] = &[
            "Ana Silva",
            "João Cotrim de Figueiredo",
            "Joacine Katar Moreira",
            "Miguel Arruda",
            "Inês de Sousa Real",
            "Pedro Delgado-Alves",
        ];

        fn group() -> impl Strategy<Value = String> {
            prop::sample::select(GROUPS).prop_map(String::from)
        }

        fn name() -> impl Strategy<Value = String> {
            prop::sample::select(NAMES).prop_map(String::from)
        }

        fn entry() -> impl Strategy<Value = Entry> {
            prop_oneof![
                group().prop_map(Entry::Group),
                (0u32..300, group()).prop_map(|(members, group)| Entry::Count { members, group }),
                (name(), group()).prop_map(|(name, group)| Entry::Member { name, group }),
                name().prop_map(Entry::NonAttached),
            ]
        }

        fn section() -> impl Strategy<Value = Section> {
            let position = prop::sample::select(vec![
                Position::For,
                Position::Against,
                Position::Abstain,
                Position::Absent,
            ]);
            (position, prop::collection::vec(entry(), 0..6))
                .prop_map(|(position, entries)| Section { position, entries })
        }

        /// Writes sections the way the AR might, each choice of spacing,
        /// case and tag taken from `style`.
        fn render(sections: &[Section], style: &[u8]) -> String {
            let mut choices = style.iter().copied().chain(std::iter::repeat(0)).cycle();
            let mut pick = |options: &[&'static str]| {
                options[usize::from(choices.next().unwrap_or(0)) % options.len()]
            };
            let mut text = String::new();
            for (i, section) in sections.iter().enumerate() {
                if i > 0 {
                    text.push_str(pick(&["<BR>", "<br>", "<BR/>", " <br /> ", "<Br>"]));
                }
                text.push_str(match section.position {
                    Position::For => pick(&["A Favor", "a favor", "A FAVOR", "A  Favor"]),
                    Position::Against => pick(&["Contra", "CONTRA", "contra"]),
                    Position::Abstain => pick(&["Abstenção", "ABSTENÇÃO", "abstencao"]),
                    Position::Absent => pick(&["Ausência", "AUSÊNCIA", "Ausencia"]),
                });
                text.push_str(pick(&[":", ": ", " : ", ":\n"]));
                for (j, entry) in section.entries.iter().enumerate() {
                    if j > 0 {
                        text.push_str(pick(&[", ", ",", " , "]));
                    }
                    let body = match entry {
                        Entry::Group(group) => group.clone(),
                        Entry::Count { members, group } => {
                            format!("{members}{}{group}", pick(&["-", " - "]))
                        }
                        Entry::Member { name, group } => {
                            format!(
                                "{}{}({group})",
                                name.replace(' ', pick(&[" ", "  "])),
                                pick(&[" ", ""])
                            )
                        }
                        Entry::NonAttached(name) => format!("{name} (Ninsc)"),
                    };
                    let (open, close) = match pick(&["plain", "I", "i", "spaced"]) {
                        "plain" => ("", ""),
                        "I" => ("<I>", "</I>"),
                        "i" => ("<i> ", "</i>"),
                        _ => ("< I > ", " < / I >"),
                    };
                    text.push_str(&format!("{open}{body}{close}"));
                }
            }
            text
        }

        proptest! {
            #[test]
            fn any_text_never_panics(text in any::<String>()) {
                if let Ok(sections) = detalhe::parse(&text) {
                    let _ = detalhe::resolve(&sections);
                }
                let _ = detalhe::entries(&text);
            }

            #[test]
            fn detalhe_like_text_never_panics(
                text in "[<>/IiBRr:, A-Za-z0-9()ãçÇ\\-]{0,120}"
            ) {
                if let Ok(sections) = detalhe::parse(&text) {
                    let _ = detalhe::resolve(&sections);
                }
            }

            #[test]
            fn well_formed_detalhe_round_trips(
                sections in prop::collection::vec(section(), 0..6),
                style in prop::collection::vec(any::<u8>(), 0..64),
            ) {
                let text = render(&sections, &style);
                prop_assert_eq!(detalhe::parse(&text), Ok(sections), "{}", text);
            }

            #[test]
            fn counted_groups_take_their_majority(
                counts in prop::collection::btree_map(
                    prop::sample::select(GROUPS),
                    (0u32..100, 0u32..100, 0u32..100),
                    1..6,
                )
            ) {
                let mut text = String::new();
                for (label, pick) in [("A Favor", 0), ("Contra", 1), ("Abstenção", 2)] {
                    let entries: Vec<String> = counts
                        .iter()
                        .map(|(group, (f, a, n))| (group, [f, a, n][pick]))
                        .filter(|(_, count)| **count > 0)
                        .map(|(group, count)| format!("<I>{count}-{group}</I>"))
                        .collect();
                    text.push_str(&format!("{label}: {}<BR>", entries.join(", ")));
                }
                let votes = resolved(&text);
                for (group, (f, a, n)) in &counts {
                    let tally = Tally { in_favour: *f, against: *a, abstain: *n, absent: 0 };
                    prop_assert_eq!(votes.positions.get(*group).copied(), tally.majority());
                }
            }

            #[test]
            fn any_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
                let _ = parse(&bytes, "fuzz.json");
            }

            #[test]
            fn any_value_in_any_field_never_panics(
                field in prop::sample::select(vec![
                    "IniId", "IniTitulo", "IniEventos", "IniAutorOutros", "IniAutorDeputados",
                    "IniAutorGruposParlamentares", "IniNr",
                ]),
                vote_field in prop::sample::select(vec![
                    "id", "data", "detalhe", "resultado", "unanime", "ausencias", "tipoReuniao",
                ]),
                value in json_value(),
            ) {
                let mut vote = plenary_vote("10", "A Favor: PS");
                vote[vote_field] = value.clone();
                let mut value_at_initiative = initiative("1", json!([vote]));
                value_at_initiative[field] = value;
                let _ = parse(json!([value_at_initiative]).to_string().as_bytes(), "fuzz.json");
            }
        }

        fn json_value() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                any::<i64>().prop_map(|n| json!(n)),
                any::<f64>().prop_map(|n| json!(n)),
                "[A-Za-zç<>:, ()0-9-]{0,20}".prop_map(Value::String),
            ];
            leaf.prop_recursive(4, 32, 6, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                    prop::collection::btree_map("[A-Za-z_]{1,12}", inner, 0..6)
                        .prop_map(|m| Value::Object(m.into_iter().collect())),
                ]
            })
        }
    }
}
