use super::detalhe::{self, Entry, Section};
use super::*;
use hemiciclo_core::{ActorKind, Outcome, PhaseKind, Position, Tally, Venue};
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
    parse(bytes, "bad.json").unwrap_err().chain_text()
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
    let absent = detalhe::entries("PS, PSD, CH, 3-IL, Ana Silva (BE), Rui Costa (Ninsc)").unwrap();
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
                Position::Absent | Position::Split => pick(&["Ausência", "AUSÊNCIA", "Ausencia"]),
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
