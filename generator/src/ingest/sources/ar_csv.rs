//! The AR votes CSV: one row per plenary vote, one column per party group.
//!
//! It is a [`table`](super::table) with a built-in configuration,
//! [`TableConfig::ar_preset`]. The three legislature files differ in column
//! order and in which parties and non-attached members have a column, so
//! columns are found by name: the known metadata columns are read as such
//! and every other column is an actor. Rows of the same initiative
//! (`iniId`) become one proposal.

use super::table::{self, ActorColumns, ColumnNames, Phases, TableConfig, Values};
use super::Parsed;
use crate::error::{IoContext, Result};
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

/// Columns some AR files lack; every other configured column is required.
const OPTIONAL_COLUMNS: &[&str] = &[
    "iniLinkTexto",
    "autor",
    "iniAutorOutros_nome",
    "nomeComissao",
    "descricao",
    "unanime",
];

/// Reads and parses one AR votes CSV file.
pub fn read(path: &Path) -> Result<Parsed> {
    let bytes =
        std::fs::read(path).doing(|| format!("cannot read the votes file {}", path.display()))?;
    parse(&bytes, &path.display().to_string())
}

/// Parses the bytes of an AR votes CSV; `origin` names it in messages.
pub fn parse(bytes: &[u8], origin: &str) -> Result<Parsed> {
    table::parse(bytes, origin, &TableConfig::ar_preset())
}

impl TableConfig {
    /// The AR votes CSV as a table: Portuguese words, ISO dates, the
    /// AR's phase names (as [`hemiciclo_core::PhaseKind::from_ar_label`]).
    pub fn ar_preset() -> TableConfig {
        let names = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect();
        let name = |name: &str| Some(name.to_owned());
        TableConfig {
            delimiter: ',',
            date_format: "%Y-%m-%d".into(),
            legislature: None,
            author_separator: None,
            optional_columns: names(OPTIONAL_COLUMNS),
            columns: ColumnNames {
                initiative: "iniId".into(),
                title: "iniTitulo".into(),
                date: "data".into(),
                vote_id: name("id"),
                kind: name("iniDescTipo"),
                author: names(&["autor", "iniAutorOutros_nome"]),
                phase: name("fase"),
                result: name("resultado"),
                committee: name("nomeComissao"),
                topic: None,
                legislature: name("iniLeg"),
                number: name("iniNr"),
                link: name("iniLinkTexto"),
                description: name("descricao"),
                unanimous: name("unanime"),
                count_for: None,
                count_against: None,
                count_abstain: None,
                count_absent: None,
            },
            actors: ActorColumns {
                columns: None,
                ignore: names(METADATA_COLUMNS),
                non_attached_suffix: name(super::AR_NON_ATTACHED_SUFFIX),
            },
            values: Values {
                in_favour: names(&["A Favor"]),
                against: names(&["Contra"]),
                abstain: names(&["Abstenção"]),
                absent: names(&["Ausência"]),
                split: Vec::new(),
                approved: names(&["Aprovado"]),
                rejected: names(&["Rejeitado"]),
                unanimous: names(&["unanime"]),
            },
            phases: Phases {
                final_global: names(&["Votação final global", "Votação global"]),
                general: names(&["Votação na generalidade"]),
                deliberation: names(&["Votação Deliberação"]),
            },
            derive: Vec::new(),
            filter: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hemiciclo_core::{ActorKind, Outcome, PhaseKind, Position};

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
    fn a_bad_row_is_set_aside_with_its_line_record_and_reason() {
        let parsed = parse_rows(
            "1,11,Projeto de Lei,XIV,T,100,Votação na generalidade,PS,Aprovado,2020-01-02,,,A Favor,\n\
             2,12,Projeto de Lei,XIV,T,101,Votação na generalidade,PS,Aprovado,2020-01-02,,,Talvez,\n\
             3,13,Projeto de Lei,XIV,T,102,Votação na generalidade,PS,Aprovado,2020-02-30,,,A Favor,\n",
        )
        .unwrap();
        let ids: Vec<&str> = parsed.proposals.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["100"], "the good row still becomes a proposal");
        let [talvez, february] = parsed.quarantine.as_slice() else {
            panic!("{:#?}", parsed.quarantine)
        };
        assert_eq!(talvez.source, "test.csv");
        assert_eq!(talvez.location, "line 3");
        assert_eq!(talvez.record.as_deref(), Some("12"));
        assert!(
            talvez
                .reason
                .starts_with("initiative 101: unknown position \"Talvez\" in column \"PS\""),
            "{talvez}"
        );
        assert_eq!(february.location, "line 4");
        assert_eq!(february.record.as_deref(), Some("13"));
        assert!(february.reason.contains("\"2020-02-30\""), "{february}");
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
    fn a_row_with_a_wrong_number_of_fields_is_set_aside_not_a_panic() {
        let parsed = parse_rows("1,11\n").unwrap();
        assert!(parsed.proposals.is_empty());
        let [entry] = parsed.quarantine.as_slice() else {
            panic!("{:#?}", parsed.quarantine)
        };
        assert_eq!(
            (entry.location.as_str(), entry.record.as_deref()),
            ("line 2", None)
        );
        assert!(
            entry.reason.contains("2 fields where the header has 14"),
            "{entry}"
        );
    }

    #[test]
    fn the_preset_reads_the_ar_vocabulary() {
        let parsed = parse_rows(
            "1,11,Projeto de Lei,XIV,T,100,Votação global,,Rejeitado,2020-01-02,,,Abstenção,Ausência\n",
        )
        .unwrap();
        let vote = &parsed.proposals[0].votes[0];
        assert_eq!(vote.phase_kind, PhaseKind::FinalGlobal);
        assert_eq!(vote.result, Some(Outcome::Rejected));
        assert_eq!(vote.positions["PS"], Position::Abstain);
        assert_eq!(vote.positions["Ana Silva (Ninsc)"], Position::Absent);
        assert!(parsed.proposals[0].authors.is_empty());
    }
}
