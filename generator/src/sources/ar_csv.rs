//! The AR votes CSV: one row per plenary vote, one column per party group.
//!
//! The three legislature files differ in column order and in which parties
//! and non-attached members have a column, so columns are found by name:
//! the known metadata columns are read as such and every other column is
//! an actor. Rows of the same initiative (`iniId`) become one proposal.

use super::Parsed;
use anyhow::{bail, Context, Result};
use hemiciclo_core::{Actor, ActorKind, Date, Outcome, PhaseKind, Position, Proposal, Venue, Vote};
use std::collections::BTreeMap;
use std::path::Path;

/// Columns that describe the initiative or the vote rather than an actor.
const METADATA_COLUMNS: &[&str] = &[
    "iniNr",
    "id",
    "Tipo",
    "iniTipo",
    "iniDescTipo",
    "iniLeg",
    "iniSel",
    "dataInicioleg",
    "dataFimleg",
    "iniTitulo",
    "iniTextoSubst",
    "iniLinkTexto",
    "iniciativasOriginadas",
    "iniEventos",
    "iniAutorDeputados",
    "iniAutorOutros",
    "iniId",
    "iniAutorGruposParlamentares",
    "fase",
    "iniAutorOutros_sigla",
    "iniAutorOutros_nome",
    "autor",
    "idComissao",
    "nomeComissao",
    "competenteComissao",
    "resultado",
    "descricao",
    "reuniao",
    "tipoReuniao",
    "data",
    "iniAnexos",
    "unanime",
    "iniTextoSubstCampo",
    "iniObs",
    "publicacao",
    "ausencias",
    "peticoes",
    "iniciativasOrigem",
    "ano",
    "leg",
];

/// Columns every file must have.
const REQUIRED_COLUMNS: &[&str] = &[
    "iniId",
    "iniNr",
    "iniDescTipo",
    "iniLeg",
    "iniTitulo",
    "id",
    "fase",
    "data",
    "resultado",
];

/// Suffix of the column of a member who sits alone.
const NON_ATTACHED_SUFFIX: &str = " (Ninsc)";

/// Reads and parses one AR votes CSV file.
pub fn read(path: &Path) -> Result<Parsed> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read the votes file {}", path.display()))?;
    parse(&bytes, &path.display().to_string())
}

/// Parses the bytes of an AR votes CSV; `origin` names it in messages.
pub fn parse(bytes: &[u8], origin: &str) -> Result<Parsed> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let headers = reader
        .headers()
        .with_context(|| format!("{origin}:1: cannot read the header row"))?
        .clone();
    let columns = Columns::find(&headers, origin)?;

    let mut rows_by_initiative: BTreeMap<String, Vec<(Row, Vote)>> = BTreeMap::new();
    for record in reader.records() {
        let record = record.with_context(|| format!("{origin}: malformed CSV"))?;
        let line = record.position().map_or(0, |p| p.line());
        let at = |what: &str| format!("{origin}:{line}: {what}");
        let row = columns.row(&record);
        if row.initiative.is_empty() {
            bail!(
                "{}",
                at("the row has no initiative id (column iniId); fix or remove the row")
            );
        }
        let vote = columns.vote(&record).map_err(|e| {
            anyhow::anyhow!(at(&format!(
                "initiative {}, vote {}: {e}",
                row.initiative,
                record.get(columns.vote_id).unwrap_or_default()
            )))
        })?;
        rows_by_initiative
            .entry(row.initiative.clone())
            .or_default()
            .push((row, vote));
    }

    let proposals = rows_by_initiative
        .into_values()
        .map(into_proposal)
        .collect();
    Ok(Parsed {
        actors: columns
            .actors
            .iter()
            .map(|(_, actor)| actor.clone())
            .collect(),
        proposals,
        quarantine: Vec::new(),
    })
}

/// Where each field lives in this file.
#[derive(Debug)]
struct Columns {
    initiative: usize,
    number: usize,
    kind: usize,
    legislature: usize,
    title: usize,
    vote_id: usize,
    phase: usize,
    date: usize,
    result: usize,
    link: Option<usize>,
    author: Option<usize>,
    author_other: Option<usize>,
    committee: Option<usize>,
    description: Option<usize>,
    unanimous: Option<usize>,
    actors: Vec<(usize, Actor)>,
}

/// The initiative-level fields of one row.
#[derive(Debug)]
struct Row {
    initiative: String,
    number: String,
    kind: String,
    legislature: String,
    title: String,
    link: String,
    author: String,
    committee: String,
}

impl Columns {
    fn find(headers: &csv::StringRecord, origin: &str) -> Result<Columns> {
        let index = |name: &str| headers.iter().position(|h| h.trim() == name);
        let required = |name: &str| {
            index(name).with_context(|| {
                format!("{origin}:1: the column {name:?} is missing; an AR votes file needs {REQUIRED_COLUMNS:?}")
            })
        };
        let actors = headers
            .iter()
            .enumerate()
            .filter(|(_, h)| !h.trim().is_empty() && !METADATA_COLUMNS.contains(&h.trim()))
            .map(|(i, h)| (i, actor_from_column(h.trim())))
            .collect();
        Ok(Columns {
            initiative: required("iniId")?,
            number: required("iniNr")?,
            kind: required("iniDescTipo")?,
            legislature: required("iniLeg")?,
            title: required("iniTitulo")?,
            vote_id: required("id")?,
            phase: required("fase")?,
            date: required("data")?,
            result: required("resultado")?,
            link: index("iniLinkTexto"),
            author: index("autor"),
            author_other: index("iniAutorOutros_nome"),
            committee: index("nomeComissao"),
            description: index("descricao"),
            unanimous: index("unanime"),
            actors,
        })
    }

    fn row(&self, record: &csv::StringRecord) -> Row {
        let get = |i: usize| field(record, i);
        let optional = |i: Option<usize>| i.map(get).unwrap_or_default();
        let author = Some(optional(self.author))
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| optional(self.author_other));
        Row {
            initiative: get(self.initiative),
            number: get(self.number),
            kind: get(self.kind),
            legislature: get(self.legislature),
            title: get(self.title),
            link: optional(self.link),
            author,
            committee: optional(self.committee),
        }
    }

    fn vote(&self, record: &csv::StringRecord) -> Result<Vote, String> {
        let get = |i: usize| field(record, i);
        let id = get(self.vote_id);
        if id.is_empty() {
            return Err("the vote has no id (column id)".into());
        }
        let date_text = get(self.date);
        let date = Date::parse_iso(&date_text)
            .ok_or_else(|| format!("the date {date_text:?} is not a valid YYYY-MM-DD date"))?;
        let result = match get(self.result).as_str() {
            "Aprovado" => Some(Outcome::Approved),
            "Rejeitado" => Some(Outcome::Rejected),
            "" => None,
            other => {
                return Err(format!(
                    "unknown result {other:?}; expected \"Aprovado\", \"Rejeitado\" or empty"
                ))
            }
        };
        let mut positions = BTreeMap::new();
        for (column, actor) in &self.actors {
            let cell = get(*column);
            let position = match cell.as_str() {
                "A Favor" => Position::For,
                "Contra" => Position::Against,
                "Abstenção" => Position::Abstain,
                "Ausência" => Position::Absent,
                "" => continue,
                other => {
                    return Err(format!(
                        "unknown position {other:?} in column {:?}; expected \"A Favor\", \
                         \"Contra\", \"Abstenção\", \"Ausência\" or empty",
                        actor.id
                    ))
                }
            };
            positions.insert(actor.id.clone(), position);
        }
        let phase = get(self.phase);
        Ok(Vote {
            id,
            phase_kind: PhaseKind::from_ar_label(&phase),
            phase,
            date,
            result,
            unanimous: self
                .unanimous
                .is_some_and(|i| get(i).eq_ignore_ascii_case("unanime")),
            description: self.description.map(get).unwrap_or_default(),
            venue: Venue::Plenary,
            positions,
            counts: BTreeMap::new(),
            members: Vec::new(),
        })
    }
}

/// A trimmed field; absent fields read as empty.
fn field(record: &csv::StringRecord, index: usize) -> String {
    record.get(index).unwrap_or_default().trim().to_owned()
}

fn actor_from_column(column: &str) -> Actor {
    match column.strip_suffix(NON_ATTACHED_SUFFIX) {
        Some(name) => Actor {
            id: column.to_owned(),
            name: name.trim().to_owned(),
            kind: ActorKind::NonAttached,
        },
        None => Actor {
            id: column.to_owned(),
            name: column.to_owned(),
            kind: ActorKind::Party,
        },
    }
}

/// Joins the rows of one initiative; its fields come from its first row
/// that has them.
fn into_proposal(rows: Vec<(Row, Vote)>) -> Proposal {
    let first_non_empty = |get: fn(&Row) -> &str| {
        rows.iter()
            .map(|(row, _)| get(row))
            .find(|value| !value.is_empty())
            .unwrap_or_default()
            .to_owned()
    };
    let mut authors: Vec<String> = Vec::new();
    for (row, _) in &rows {
        if !row.author.is_empty() && !authors.contains(&row.author) {
            authors.push(row.author.clone());
        }
    }
    let non_empty = |s: String| Some(s).filter(|s| !s.is_empty());
    let mut proposal = Proposal {
        id: rows[0].0.initiative.clone(),
        legislature: first_non_empty(|r| &r.legislature),
        number: first_non_empty(|r| &r.number),
        kind: first_non_empty(|r| &r.kind),
        title: first_non_empty(|r| &r.title),
        authors,
        committee: non_empty(first_non_empty(|r| &r.committee)),
        link: non_empty(first_non_empty(|r| &r.link)),
        topics: Vec::new(),
        proposer: None,
        votes: rows.into_iter().map(|(_, vote)| vote).collect(),
    };
    proposal.sort_votes();
    proposal
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "iniNr,id,iniDescTipo,iniLeg,iniTitulo,iniId,fase,autor,resultado,data,descricao,unanime,PS,Ana Silva (Ninsc)\n";

    fn parse_rows(rows: &str) -> Result<Parsed> {
        parse(format!("{HEADER}{rows}").as_bytes(), "test.csv")
    }

    #[test]
    fn groups_rows_of_an_initiative_and_reads_multi_line_fields() {
        let parsed = parse_rows(
            "1,11,Projeto de Lei,XIV,\"Um título\nem duas linhas\",100,Votação na generalidade,PS,Aprovado,2020-01-02,,,A Favor,Contra\n\
             1,12,Projeto de Lei,XIV,\"Um título\nem duas linhas\",100,Votação final global,PS,Aprovado,2020-03-04,,unanime,A Favor,\n",
        )
        .unwrap();
        assert_eq!(parsed.proposals.len(), 1);
        let p = &parsed.proposals[0];
        assert_eq!(p.title, "Um título\nem duas linhas");
        assert_eq!(p.votes.len(), 2);
        assert_eq!(p.decisive_vote().unwrap().id, "12");
        assert!(p.votes[1].unanimous);
        assert_eq!(p.votes[1].positions.len(), 1, "empty cell is no position");
        let member = parsed
            .actors
            .iter()
            .find(|a| a.kind == ActorKind::NonAttached)
            .unwrap();
        assert_eq!(member.name, "Ana Silva");
        assert_eq!(member.id, "Ana Silva (Ninsc)");
    }

    #[test]
    fn bad_values_name_the_file_line_and_record() {
        let error = parse_rows(
            "1,11,Projeto de Lei,XIV,T,100,Votação na generalidade,PS,Aprovado,2020-01-02,,,A Favor,\n\
             2,12,Projeto de Lei,XIV,T,101,Votação na generalidade,PS,Aprovado,2020-01-02,,,Talvez,\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.starts_with("test.csv:3: initiative 101, vote 12:"),
            "{error}"
        );
        assert!(error.contains("\"Talvez\""), "{error}");

        let error = parse_rows(
            "1,11,Projeto de Lei,XIV,T,100,Votação na generalidade,PS,Aprovado,2020-02-30,,,A Favor,\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("test.csv:2:") && error.contains("2020-02-30"),
            "{error}"
        );
    }

    #[test]
    fn a_missing_column_is_named() {
        let error = parse(b"iniNr,id\n1,2\n", "short.csv")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("short.csv:1:") && error.contains("\"iniId\""),
            "{error}"
        );
    }

    #[test]
    fn a_row_with_a_wrong_number_of_fields_is_an_error_not_a_panic() {
        let error = parse_rows("1,11\n").unwrap_err();
        assert!(format!("{error:#}").contains("test.csv"), "{error:#}");
    }
}
