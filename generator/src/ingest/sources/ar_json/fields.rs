//! Reading the fields of one initiative or vote: text or number ids in
//! either dialect, dates, results, author lists, and lists in either shape
//! (a list, a wrapper object, or a bare element), each with a message that
//! quotes the data and names its JSON path.

use super::{detalhe, Context, Element, Header, Object, Place, NON_ATTACHED_SUFFIX, QUOTE_LIMIT};
use crate::ingest::sources::actor_named;
use hemiciclo_core::{Actor, Date, Outcome, PhaseKind, Venue, Vote};
use serde_json::Value;

pub(super) fn header(object: &Object) -> Result<Header, String> {
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
pub(super) fn authors(object: &Object) -> Result<Vec<String>, String> {
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

pub(super) fn push_new(authors: &mut Vec<String>, author: String) {
    if !author.is_empty() && !authors.contains(&author) {
        authors.push(author);
    }
}

/// The objects of a list field of an initiative; any bad element is an error.
pub(super) fn listed<'a>(object: &'a Object, name: &str) -> Result<Vec<&'a Object>, String> {
    list(object, name, "")
        .map_err(|(_, reason)| reason)?
        .into_iter()
        .map(|element| element.map(|(_, o)| o).map_err(|(_, reason)| reason))
        .collect()
}

pub(super) fn vote(id: String, object: &Object, context: &Context) -> Result<Vote, String> {
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
        totals: None,
        members: votes.members,
    })
}

/// A date as the AR writes it: `YYYY-MM-DD`, sometimes with a time of day
/// (`2026-03-09T00:00:00`) that means nothing for a vote.
pub(super) fn parse_date(text: &str) -> Result<Date, String> {
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
pub(super) fn outcome(object: &Object) -> Result<Option<Outcome>, String> {
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
pub(super) fn unanimous(object: &Object) -> Result<bool, String> {
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
pub(super) fn strings(object: &Object, name: &str) -> Result<Vec<String>, String> {
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
pub(super) fn field<'a>(object: &'a Object, name: &str) -> Option<(&'a str, &'a Value)> {
    object
        .iter()
        .find(|(key, value)| key.eq_ignore_ascii_case(name) && !value.is_null())
        .map(|(key, value)| (key.as_str(), value))
}

/// A scalar field as trimmed text, "" when missing. Ids are text in one
/// dialect and numbers in the other.
pub(super) fn text(object: &Object, name: &str) -> Result<String, String> {
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
pub(super) fn list<'a>(
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
pub(super) fn objects<'a>(value: &'a Value, path: &str) -> Result<Vec<Element<'a>>, String> {
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
pub(super) fn wrapped(object: &Object) -> Option<(&str, &Value)> {
    match object.iter().next() {
        Some((key, value)) if object.len() == 1 && is_wrapper_key(key) => {
            Some((key.as_str(), value))
        }
        _ => None,
    }
}

pub(super) fn is_wrapper_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.starts_with("pt_gov_ar_") || key.starts_with("arrayof")
}

/// `path.key`, or `path["key"]` for a key that is not a plain name.
pub(super) fn child(path: &str, key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!("{path}.{key}")
    } else {
        format!("{path}[{key:?}]")
    }
}

pub(super) fn kind(value: &Value) -> &'static str {
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
pub(super) fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTE_LIMIT) {
        Some((end, _)) => format!("{:?}…", &text[..end]),
        None => format!("{text:?}"),
    }
}

pub(super) fn non_attached_id(name: &str) -> String {
    format!("{name}{NON_ATTACHED_SUFFIX}")
}

pub(super) fn actor(id: &str) -> Actor {
    actor_named(id, Some(NON_ATTACHED_SUFFIX))
}
