use super::date::{DateError, DateFormat};
use super::*;
use hemiciclo_core::{ActorKind, Date, Outcome, PhaseKind, Position, Tally};
use std::collections::BTreeMap;

/// A small council table: `;`, German words, dates as `dd.mm.yyyy`.
const CONFIG: &str = r#"
    delimiter = ";"
    date-format = "%d.%m.%Y"
    legislature = "2020-2026"
    [columns]
    initiative = "Vorlage"
    vote-id = "Nr"
    title = "Betreff"
    date = "Datum"
    phase = "Art"
    result = "Ergebnis"
    [actors]
    non-attached-suffix = " (fraktionslos)"
    [values]
    for = "Ja"
    against = "Nein"
    abstain = "Enthaltung"
    absent = ["abwesend", "fehlt"]
    approved = "angenommen"
    rejected = "abgelehnt"
    [phases]
    final = "Schlussabstimmung"
    deliberation = ["Beschluss", ""]
"#;

const HEADER: &str = "Vorlage;Nr;Betreff;Datum;Art;Ergebnis;SPD;CSU;Eva Roth (fraktionslos)\n";

const GOOD_ROW: &str = "V1;1;Radweg;14.03.2023;Beschluss;angenommen;Ja;Nein;Ja\n";

fn config() -> TableConfig {
    toml::from_str(CONFIG).unwrap()
}

fn parse_with(config: &TableConfig, text: &[u8]) -> Result<Parsed> {
    parse(text, "rat.csv", config)
}

fn parse_rows(rows: &str) -> Result<Parsed> {
    parse_with(&config(), format!("{HEADER}{rows}").as_bytes())
}

fn error(config: &TableConfig, text: &[u8]) -> String {
    parse_with(config, text).unwrap_err().chain_text()
}

/// The single quarantine entry of rows that hold one bad row after a
/// good one, which must still be read.
fn set_aside(bad_row: &[u8]) -> Quarantined {
    let mut text = format!("{HEADER}{GOOD_ROW}").into_bytes();
    text.extend_from_slice(bad_row);
    let parsed = parse_with(&config(), &text).unwrap();
    assert_eq!(parsed.proposals.len(), 1, "the good row is kept");
    assert_eq!(parsed.proposals[0].votes[0].id, "1");
    match parsed.quarantine.as_slice() {
        [entry] => {
            assert_eq!(entry.source, "rat.csv");
            entry.clone()
        }
        other => panic!("expected one quarantine entry, got {other:#?}"),
    }
}

#[test]
fn reads_rows_by_configuration() {
    let parsed = parse_rows(
        "V1;2;Radweg;09.05.2023;Schlussabstimmung;ANGENOMMEN;ja; Enthaltung ;\n\
         V1;1;Radweg;14.03.2023;Beschluss;abgelehnt;Ja;Nein;fehlt\n\
         V2;3;\"Haushalt; Teil 2\";01.06.2023;;;Nein;Nein;Nein\n",
    )
    .unwrap();
    assert!(parsed.quarantine.is_empty(), "{:#?}", parsed.quarantine);
    let [v1, v2] = parsed.proposals.as_slice() else {
        panic!("{:#?}", parsed.proposals)
    };
    assert_eq!(v1.legislature, "2020-2026", "the constant fills in");
    let ids: Vec<&str> = v1.votes.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, ["1", "2"], "votes in date order");
    let last = &v1.votes[1];
    assert_eq!(last.phase_kind, PhaseKind::FinalGlobal);
    assert_eq!(last.result, Some(Outcome::Approved), "case does not matter");
    assert_eq!(
        last.positions,
        BTreeMap::from([
            ("SPD".to_owned(), Position::For),
            ("CSU".to_owned(), Position::Abstain),
        ]),
        "an empty cell is no position"
    );
    assert_eq!(
        v1.votes[0].positions["Eva Roth (fraktionslos)"],
        Position::Absent
    );
    assert_eq!(v1.decisive_vote().unwrap().id, "2");
    assert_eq!(v2.title, "Haushalt; Teil 2");
    assert_eq!(
        v2.votes[0].phase_kind,
        PhaseKind::Deliberation,
        "\"\" is listed"
    );
    assert_eq!(v2.votes[0].result, None);
    let eva = parsed.actors.iter().find(|a| a.name == "Eva Roth").unwrap();
    assert_eq!(eva.kind, ActorKind::NonAttached);
    assert_eq!(parsed.actors.len(), 3);
}

#[test]
fn without_a_vote_id_column_votes_are_named_by_initiative_date_phase_and_order() {
    let mut config = config();
    config.columns.vote_id = None;
    config.actors.ignore = vec!["Nr".into()];
    let text = format!(
        "{HEADER}V1;;T;14.03.2023;Beschluss;;Ja;Nein;\n\
         V1;;T;14.03.2023;Beschluss;;Nein;Nein;\n\
         V1;;T;15.03.2023;Beschluss;;Ja;Ja;\n"
    );
    let parsed = parse_with(&config, text.as_bytes()).unwrap();
    let ids: Vec<&str> = parsed.proposals[0]
        .votes
        .iter()
        .map(|v| v.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "V1/2023-03-14/Beschluss/1",
            "V1/2023-03-14/Beschluss/2",
            "V1/2023-03-15/Beschluss/1"
        ]
    );
    assert_eq!(
        parsed.proposals[0].votes[1].positions["SPD"],
        Position::Against
    );
    assert_eq!(parsed.actors.len(), 3, "Nr is ignored, not an actor");
}

#[test]
fn explicit_actors_authors_and_optional_columns() {
    let config: TableConfig = toml::from_str(
        r#"
        author-separator = ","
        optional-columns = ["Link", "Grüne"]
        legislature = "2019-2024"
        [columns]
        initiative = "id"
        title = "title"
        date = "date"
        author = ["by", "by group"]
        link = "Link"
        [actors]
        columns = ["A", "Grüne"]
        [values]
        for = "y"
        against = "n"
        "#,
    )
    .unwrap();
    let parsed = parse_with(
        &config,
        b"id,title,date,by,by group,A,B\n\
          1,t,2023-01-02,,\"X, Y\",y,?\n\
          1,t,2023-01-03,Z,W,n,?\n",
    )
    .unwrap();
    assert!(parsed.quarantine.is_empty(), "{:#?}", parsed.quarantine);
    let actors: Vec<&str> = parsed.actors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(actors, ["A"], "B is not listed, Grüne is optional");
    let proposal = &parsed.proposals[0];
    assert_eq!(proposal.authors, ["X", "Y", "Z"]);
    assert_eq!(proposal.link, None);
    assert_eq!(proposal.legislature, "2019-2024", "the constant");
}

#[test]
fn date_formats() {
    let date = |format: &str, text: &str| DateFormat::compile(format).unwrap().parse(text);
    let day = Date::new(2023, 3, 4).unwrap();
    assert_eq!(date("%Y-%m-%d", "2023-03-04"), Ok(day));
    assert_eq!(date("%d/%m/%Y", "04/03/2023"), Ok(day));
    assert_eq!(date("%d.%m.%Y", "04.03.2023"), Ok(day));
    assert_eq!(date("%-d.%-m.%Y", "4.3.2023"), Ok(day));
    assert_eq!(date("%-d.%-m.%Y", "04.03.2023"), Ok(day));
    assert_eq!(date("%Y%m%d", "20230304"), Ok(day));
    assert_eq!(date("%d.%m.%Y %%", "04.03.2023 %"), Ok(day));
    assert_eq!(date("%d.%m.%Y", "4.3.2023"), Err(DateError::Format));
    assert_eq!(date("%d.%m.%Y", "04.03.2023 10:00"), Err(DateError::Format));
    assert_eq!(date("%d.%m.%Y", "04.03.23"), Err(DateError::Format));
    assert_eq!(date("%d.%m.%Y", "04.03.２０２３"), Err(DateError::Format));
    assert_eq!(date("%d.%m.%Y", "29.02.2023"), Err(DateError::NoSuchDay));
    assert_eq!(date("%d.%m.%Y", "01.13.2023"), Err(DateError::NoSuchDay));
    assert_eq!(date("%d.%m.%Y", ""), Err(DateError::Format));
    for bad in ["%Y-%m", "%Y-%m-%d-%d", "%H:%M", "%Y-%m-%", "%Y-%-x-%d", ""] {
        assert!(DateFormat::compile(bad).is_err(), "{bad}");
    }
}

#[test]
fn unusable_configurations_are_errors() {
    let mut config = config();
    config.date_format = "%d.%m.%y".into();
    assert!(error(&config, HEADER.as_bytes()).contains("date-format"));
    let mut config = self::config();
    config.delimiter = '§';
    assert!(error(&config, HEADER.as_bytes()).contains("ASCII"));
    let mut config = self::config();
    config.values.against.push("JA".into());
    let message = error(&config, HEADER.as_bytes());
    assert!(
        message.contains("\"JA\" is listed both under for and under against"),
        "{message}"
    );
    let typo = toml::from_str::<TableConfig>(&CONFIG.replace("date-format", "date-fromat"));
    assert!(typo.unwrap_err().to_string().contains("date-fromat"));
}

// Malformed input: each is an error with a clear message or a
// quarantine entry, never a panic.

#[test]
fn a_missing_configured_column_is_an_error_naming_it_and_the_file() {
    let message = error(
        &config(),
        b"Vorlage;Nr;Titel;Datum;Art;Ergebnis;SPD\nV1;1;T;01.01.2023;;;Ja\n",
    );
    assert!(
        message.starts_with("rat.csv:1: the column \"Betreff\" (title) is missing"),
        "{message}"
    );
    assert!(
        message.contains("\"Titel\""),
        "the header is shown: {message}"
    );
    assert!(
        message.contains("[source.table.columns]"),
        "what to do: {message}"
    );
}

#[test]
fn an_empty_file_is_an_error() {
    for text in [&b""[..], b"\n\n  \r\n", b"\xEF\xBB\xBF"] {
        let message = error(&config(), text);
        assert!(
            message.starts_with("rat.csv: the file is empty"),
            "{message}"
        );
    }
}

#[test]
fn a_header_without_rows_is_an_error() {
    let message = error(&config(), HEADER.as_bytes());
    assert!(
        message.contains("rat.csv: the file has a header row but no votes"),
        "{message}"
    );
}

#[test]
fn ragged_rows_are_set_aside() {
    let short = set_aside(b"V2;2;T;01.01.2023\n");
    assert_eq!(short.location, "line 3");
    assert_eq!(short.record, None, "shifted fields are not trusted as ids");
    assert!(
        short.reason.contains("4 fields where the header has 9"),
        "{short}"
    );
    let long = set_aside(b"V2;2;T;01.01.2023;Beschluss;angenommen;Ja;Ja;Ja;Ja\n");
    assert!(
        long.reason.contains("10 fields where the header has 9"),
        "{long}"
    );
}

#[test]
fn invalid_utf8_in_a_row_is_set_aside() {
    let entry = set_aside(b"V2;2;Stra\xdfe;01.01.2023;Beschluss;angenommen;Ja;Ja;Ja\n");
    assert_eq!(entry.location, "line 3");
    assert_eq!(entry.record.as_deref(), Some("2"));
    assert_eq!(
        entry.reason,
        "initiative V2: the cell in column \"Betreff\" is not valid UTF-8; save the file as UTF-8"
    );
}

#[test]
fn invalid_utf8_in_the_header_is_an_error() {
    let message = error(&config(), b"Vorlage;Nr;Betreff;Stra\xdfe\nV1;1;T;x\n");
    assert_eq!(
        message,
        "rat.csv:1: the header's column 4 is not valid UTF-8; save the file as UTF-8"
    );
}

#[test]
fn an_unknown_position_is_set_aside() {
    let entry = set_aside(b"V2;2;T;01.01.2023;Beschluss;angenommen;Ja;vielleicht;Ja\n");
    assert_eq!(entry.record.as_deref(), Some("2"));
    assert_eq!(
        entry.reason,
        "initiative V2: unknown position \"vielleicht\" in column \"CSU\"; expected \"Ja\", \
         \"Nein\", \"Enthaltung\", \"abwesend\", \"fehlt\" or an empty cell (values.for, \
         values.against, values.abstain, values.absent, values.split); if \"CSU\" is not a party or member \
         but another column (a remark, a count), list it under [source.table.actors] ignore"
    );
    // Actor columns listed by name: no such hint.
    let mut listed = config();
    listed.actors.columns = Some(vec![
        "SPD".into(),
        "CSU".into(),
        "Eva Roth (fraktionslos)".into(),
    ]);
    let mut text = format!("{HEADER}{GOOD_ROW}").into_bytes();
    text.extend_from_slice(b"V2;2;T;01.01.2023;Beschluss;angenommen;Ja;vielleicht;Ja\n");
    let parsed = parse_with(&listed, &text).unwrap();
    assert!(
        parsed.quarantine[0].reason.ends_with("values.split)"),
        "{:?}",
        parsed.quarantine
    );
}

#[test]
fn an_unknown_result_is_set_aside() {
    let entry = set_aside(b"V2;2;T;01.01.2023;Beschluss;vertagt;Ja;Ja;Ja\n");
    assert!(
        entry
            .reason
            .contains("unknown result \"vertagt\" in column \"Ergebnis\""),
        "{entry}"
    );
}

#[test]
fn an_impossible_date_is_set_aside() {
    let mut config = config();
    config.date_format = "%Y-%m-%d".into();
    let text = format!("{HEADER}V1;1;T;2023-02-28;;;Ja;;\nV2;2;T;2023-02-30;;;Ja;;\n");
    let parsed = parse_with(&config, text.as_bytes()).unwrap();
    assert_eq!(parsed.proposals.len(), 1);
    let entry = &parsed.quarantine[0];
    assert_eq!(
        (entry.location.as_str(), entry.record.as_deref()),
        ("line 3", Some("2"))
    );
    assert_eq!(
        entry.reason,
        "initiative V2: the date \"2023-02-30\" is not a day of the calendar"
    );
}

#[test]
fn a_date_in_another_format_is_set_aside() {
    let entry = set_aside(b"V2;2;T;2023-01-01;Beschluss;angenommen;Ja;Ja;Ja\n");
    assert_eq!(
        entry.reason,
        "initiative V2: the date \"2023-01-01\" is not written as \"%d.%m.%Y\" (date-format)"
    );
}

#[test]
fn a_second_row_of_the_same_vote_is_set_aside() {
    let entry = set_aside(b"V1;1;Radweg;14.03.2023;Beschluss;angenommen;Nein;Nein;Nein\n");
    assert_eq!(
        (entry.location.as_str(), entry.record.as_deref()),
        ("line 3", Some("1"))
    );
    assert!(
        entry
            .reason
            .contains("the vote 1 already appears on line 2"),
        "{entry}"
    );
}

#[test]
fn a_row_without_initiative_or_vote_id_is_set_aside() {
    let entry = set_aside(b" ;2;T;01.01.2023;Beschluss;angenommen;Ja;Ja;Ja\n");
    assert_eq!(entry.record.as_deref(), Some("2"));
    assert!(
        entry
            .reason
            .contains("no initiative id (column \"Vorlage\")"),
        "{entry}"
    );
    let entry = set_aside(b";;T;01.01.2023;Beschluss;angenommen;Ja;Ja;Ja\n");
    assert_eq!(entry.record, None);
    let entry = set_aside(b"V2;;T;01.01.2023;Beschluss;angenommen;Ja;Ja;Ja\n");
    assert_eq!(entry.record.as_deref(), Some("V2"));
    assert_eq!(entry.reason, "the row has no vote id (column \"Nr\")");
}

#[test]
fn a_50_mb_line_is_set_aside() {
    let mut line = b"V2;2;".to_vec();
    line.resize(line.len() + 50 * 1024 * 1024, b'x');
    line.extend_from_slice(b";01.01.2023;Beschluss;angenommen;Ja;Ja;Ja\n");
    let entry = set_aside(&line);
    assert_eq!(entry.location, "line 3");
    assert!(
        entry
            .reason
            .contains("column \"Betreff\" holds 52428800 bytes"),
        "{}",
        &entry.reason[..entry.reason.len().min(300)]
    );
    // The same line as the only line of a file is a header without the
    // configured columns.
    let message = error(&config(), &line);
    assert!(message.contains("the column \"Vorlage\" (initiative) is missing"));
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let text = format!("\u{feff}{HEADER}{GOOD_ROW}");
    let parsed = parse_with(&config(), text.as_bytes()).unwrap();
    assert!(parsed.quarantine.is_empty(), "{:#?}", parsed.quarantine);
    assert_eq!(parsed.proposals[0].id, "V1");
}

#[test]
fn a_quote_never_closed_is_set_aside() {
    let mut text =
        format!("{HEADER}{GOOD_ROW}V2;2;\"Haushalt;01.01.2023;;;Ja;Ja;Ja\n").into_bytes();
    text.extend_from_slice(b"V3;3;T;01.01.2023;;;Ja;Ja;Ja\n");
    let parsed = parse_with(&config(), &text).unwrap();
    assert_eq!(parsed.proposals.len(), 1);
    let entry = &parsed.quarantine[0];
    assert_eq!(
        (entry.location.as_str(), entry.record.as_deref()),
        ("line 3", None)
    );
    assert!(entry.reason.contains("never closed"), "{entry}");
    // When the open quote is in the last column the row still lines up.
    let entry = set_aside(b"V2;2;T;01.01.2023;;;Ja;Ja;\"Ja\nV3;3;T;01.01.2023;;;Ja;Ja;Ja\n");
    assert!(entry.reason.contains("never closed"), "{entry}");
    assert_eq!(entry.record.as_deref(), Some("2"));
    // In the header, nothing can be read.
    let message = error(&config(), b"Vorlage;\"Nr\nV1;1\n");
    assert!(
        message.contains("rat.csv:1: the header row opens a quoted field"),
        "{message}"
    );
}

#[test]
fn a_column_named_twice_is_an_error() {
    let message = error(&config(), format!("SPD;{HEADER}").as_bytes());
    assert!(
        message.contains("the column \"SPD\" (actor) appears more than once"),
        "{message}"
    );
    let message = error(&config(), format!("Nr;{HEADER}").as_bytes());
    assert!(message.contains("\"Nr\" (vote-id)"), "{message}");
}

#[test]
fn no_input_makes_it_panic() {
    let seed = format!(
        "\u{feff}{HEADER}{GOOD_ROW}V2;2;\"a\"\"b\";29.02.2024;Schlussabstimmung;abgelehnt;Nein;;abwesend\r\n"
    );
    let alphabet = b";\"\n\r.0123456789JaNein \xff\xc3\xa4";
    mutations_never_panic(&config(), &seed, alphabet, 0x9E37_79B9_7F4A_7C15, 3000);
}

#[test]
fn line_numbers_are_right_in_files_with_crlf_line_ends() {
    let text = format!("{HEADER}{GOOD_ROW}V2;2;T;01.01.2023\n").replace('\n', "\r\n");
    let parsed = parse_with(&config(), text.as_bytes()).unwrap();
    assert_eq!(parsed.proposals.len(), 1);
    let locations: Vec<&str> = parsed
        .quarantine
        .iter()
        .map(|q| q.location.as_str())
        .collect();
    assert_eq!(locations, ["line 3"]);
}

#[test]
fn line_numbers_are_right_in_files_with_lf_or_lone_cr_line_ends_too() {
    for end in ["\n", "\r"] {
        let text = format!("{HEADER}{GOOD_ROW}V2;2;T;01.01.2023\n").replace('\n', end);
        let parsed = parse_with(&config(), text.as_bytes()).unwrap();
        let locations: Vec<&str> = parsed
            .quarantine
            .iter()
            .map(|q| q.location.as_str())
            .collect();
        assert_eq!(locations, ["line 3"], "{end:?}");
    }
}

// The legislature: a table must say where it comes from.

#[test]
fn a_table_without_a_legislature_is_a_configuration_error() {
    let expected = "source rat.csv has no legislature: map [source.table.columns] legislature \
                    or set legislature = \"...\" under [source.table]";
    for constant in [None, Some("  ".to_owned())] {
        let mut config = config();
        config.legislature = constant;
        assert_eq!(error(&config, HEADER.as_bytes()), expected);
        let checked = check(&config, "rat.csv").unwrap_err().chain_text();
        assert_eq!(checked, expected, "found before any file is read");
    }
    let mut column = config();
    column.legislature = None;
    column.columns.legislature = Some("Wahlperiode".into());
    assert!(check(&column, "rat.csv").is_ok());
    assert!(check(&config(), "rat.csv").is_ok());
}

#[test]
fn a_row_whose_legislature_is_empty_without_a_constant_is_set_aside() {
    let mut config = config();
    config.legislature = None;
    config.columns.legislature = Some("WP".into());
    let text =
        format!("WP;{HEADER}7;{GOOD_ROW} ;V2;2;T;01.01.2023;Beschluss;angenommen;Ja;Ja;Ja\n");
    let parsed = parse_with(&config, text.as_bytes()).unwrap();
    assert_eq!(parsed.proposals.len(), 1);
    assert_eq!(parsed.proposals[0].legislature, "7");
    let [entry] = parsed.quarantine.as_slice() else {
        panic!("{:#?}", parsed.quarantine)
    };
    assert_eq!(
        (entry.location.as_str(), entry.record.as_deref()),
        ("line 3", Some("2"))
    );
    assert_eq!(
        entry.reason,
        "initiative V2: the row has no legislature (column \"WP\" is empty); fill it in, or set \
         legislature = \"...\" under [source.table] for the rows without one"
    );
    // A legislature column the file may lack, and lacks.
    let mut optional = config.clone();
    optional.optional_columns = vec!["Wahlperiode".into()];
    optional.columns.legislature = Some("Wahlperiode".into());
    let entry = &parse_with(&optional, text.as_bytes()).unwrap().quarantine[0];
    assert!(
        entry
            .reason
            .contains("no legislature (the file lacks its column)"),
        "{entry}"
    );
    // With a constant, the empty cell takes it.
    let mut constant = config.clone();
    constant.legislature = Some("2020-2026".into());
    let parsed = parse_with(&constant, text.as_bytes()).unwrap();
    assert!(parsed.quarantine.is_empty(), "{:#?}", parsed.quarantine);
    let legislatures: Vec<&str> = parsed
        .proposals
        .iter()
        .map(|p| p.legislature.as_str())
        .collect();
    assert_eq!(legislatures, ["7", "2020-2026"]);
}

// Split groups and whole-vote totals.

#[test]
fn a_split_cell_is_a_group_without_a_common_line() {
    let mut config = config();
    config.values.split = vec!["geteilt".into(), "gespalten".into()];
    let parsed = parse_rows_with(
        &config,
        "V1;1;Radweg;14.03.2023;Beschluss;angenommen;Ja;GETEILT;gespalten\n",
    );
    let positions = &parsed.proposals[0].votes[0].positions;
    assert_eq!(positions["CSU"], Position::Split);
    assert_eq!(positions["Eva Roth (fraktionslos)"], Position::Split);
    assert_eq!(positions["SPD"], Position::For);
    // A word cannot be split and absent at once.
    config.values.absent.push("Geteilt".into());
    let message = error(&config, HEADER.as_bytes());
    assert!(
        message.contains("\"geteilt\" is listed both under absent and under split"),
        "{message}"
    );
}

fn parse_rows_with(config: &TableConfig, rows: &str) -> Parsed {
    let parsed = parse_with(config, format!("{HEADER}{rows}").as_bytes()).unwrap();
    assert!(parsed.quarantine.is_empty(), "{:#?}", parsed.quarantine);
    parsed
}

/// The test table with count columns after the actors, which are listed.
fn counted() -> (TableConfig, String) {
    let mut config = config();
    config.columns.count_for = Some("Dafür".into());
    config.columns.count_against = Some("Dagegen".into());
    config.columns.count_abstain = Some("Enthalten".into());
    let header = HEADER.replace('\n', ";Dafür;Dagegen;Enthalten\n");
    (config, header)
}

#[test]
fn count_columns_give_the_whole_vote_totals() {
    let (config, header) = counted();
    let text = format!(
        "{header}V1;1;T;14.03.2023;Beschluss;angenommen;Ja;Nein;Ja;320;200;40\n\
         V1;2;T;15.03.2023;Beschluss;angenommen;Ja;Nein;Ja; 31 ;;\n\
         V1;3;T;16.03.2023;Beschluss;angenommen;Ja;Nein;Ja;;;\n"
    );
    let parsed = parse_with(&config, text.as_bytes()).unwrap();
    assert!(parsed.quarantine.is_empty(), "{:#?}", parsed.quarantine);
    assert_eq!(parsed.actors.len(), 3, "count columns are not actors");
    let totals: Vec<Option<Tally>> = parsed.proposals[0].votes.iter().map(|v| v.totals).collect();
    let tally = |in_favour, against, abstain| Tally {
        in_favour,
        against,
        abstain,
        absent: 0,
    };
    assert_eq!(
        totals,
        [Some(tally(320, 200, 40)), Some(tally(31, 0, 0)), None],
        "an empty count among others is 0; all empty is no totals"
    );
}

#[test]
fn a_count_that_is_not_a_whole_number_is_set_aside_with_its_column() {
    let (config, header) = counted();
    for (bad, shown) in [
        ("dreißig", "\"dreißig\""),
        ("-3", "\"-3\""),
        ("3.5", "\"3.5\""),
        ("99999999999", "\"99999999999\""),
    ] {
        let text = format!(
            "{header}V1;1;T;14.03.2023;Beschluss;angenommen;Ja;Nein;Ja;1;2;3\n\
             V2;2;T;14.03.2023;Beschluss;angenommen;Ja;Nein;Ja;1;{bad};3\n"
        );
        let parsed = parse_with(&config, text.as_bytes()).unwrap();
        assert_eq!(parsed.proposals.len(), 1);
        let [entry] = parsed.quarantine.as_slice() else {
            panic!("{:#?}", parsed.quarantine)
        };
        assert_eq!(
            (entry.location.as_str(), entry.record.as_deref()),
            ("line 3", Some("2"))
        );
        assert_eq!(
            entry.reason,
            format!(
                "initiative V2: the count {shown} in column \"Dagegen\" is not a whole number \
                 of members; write it with digits only (320) or leave the cell empty"
            )
        );
    }
}

// Derived columns and filters: a European-Parliament-like table, where
// each amendment and each part of a report is its own row.

const EP_CONFIG: &str = r#"
    legislature = "9"
    date-format = "%d/%m/%Y"
    [[derive]]
    column = "Report"
    from = "Title"
    pattern = '^(?P<value>.*?) - '
    unmatched = "whole"
    [[derive]]
    column = "Part"
    from = "Title"
    pattern = ' - (.*)$'
    unmatched = "empty"
    [[filter]]
    column = "Part"
    drop = '(?i)^vote: procedural'
    [columns]
    initiative = "Report"
    title = "Report"
    date = "Date"
    phase = "Part"
    [values]
    for = "+"
    against = "-"
    abstain = "0"
    [phases]
    final = "Vote: text as a whole"
"#;

const EP_HEADER: &str = "Title,Date,EPP,S&D\n";

fn ep_config() -> TableConfig {
    toml::from_str(EP_CONFIG).unwrap()
}

fn ep(rows: &str) -> Result<Parsed> {
    parse_with(&ep_config(), format!("{EP_HEADER}{rows}").as_bytes())
}

#[test]
fn derived_columns_group_amendments_under_their_report() {
    let parsed = ep("Report A - Amendment 12,01/02/2023,+,-\n\
         Report A - Vote: procedural motion,01/02/2023,+,+\n\
         Report A - Vote: text as a whole,01/02/2023,-,+\n\
         Report B,02/02/2023,+,0\n")
    .unwrap();
    assert!(parsed.quarantine.is_empty(), "{:#?}", parsed.quarantine);
    let actors: Vec<&str> = parsed.actors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(actors, ["EPP", "S&D"], "Title is read, not an actor");
    let [a, b] = parsed.proposals.as_slice() else {
        panic!("{:#?}", parsed.proposals)
    };
    assert_eq!((a.id.as_str(), a.title.as_str()), ("Report A", "Report A"));
    let phases: Vec<&str> = a.votes.iter().map(|v| v.phase.as_str()).collect();
    assert_eq!(
        phases,
        ["Amendment 12", "Vote: text as a whole"],
        "the procedural vote is dropped"
    );
    let decisive = a.decisive_vote().unwrap();
    assert_eq!(decisive.phase_kind, PhaseKind::FinalGlobal);
    assert_eq!(decisive.positions["EPP"], Position::Against);
    assert_eq!(b.id, "Report B", "unmatched = \"whole\": the whole title");
    assert_eq!(b.votes[0].phase, "", "unmatched = \"empty\"");
}

#[test]
fn a_cell_the_pattern_does_not_match_is_set_aside_naming_the_pattern() {
    let mut config = ep_config();
    config.derive[0].unmatched = Unmatched::Quarantine;
    let text =
        format!("{EP_HEADER}Report A - Amendment 1,01/02/2023,+,-\nReport B,02/02/2023,+,0\n");
    let parsed = parse_with(&config, text.as_bytes()).unwrap();
    assert_eq!(parsed.proposals.len(), 1);
    let [entry] = parsed.quarantine.as_slice() else {
        panic!("{:#?}", parsed.quarantine)
    };
    assert_eq!(
        (entry.location.as_str(), entry.record.as_deref()),
        ("line 3", None)
    );
    assert_eq!(
        entry.reason,
        "the cell \"Report B\" in column \"Title\" does not match the pattern \
         \"^(?P<value>.*?) - \" that derives the column \"Report\"; correct the cell or the \
         pattern, or set unmatched = \"whole\" or \"empty\" in that [[source.table.derive]]"
    );
    // Quarantine is what a derive does by default.
    let default: Derive = toml::from_str("column = \"x\"\nfrom = \"y\"\npattern = \"z\"").unwrap();
    assert_eq!(default.unmatched, Unmatched::Quarantine);
}

#[test]
fn the_value_is_the_named_group_else_the_first_else_the_whole_match() {
    let mut config = ep_config();
    config.derive = vec![
        toml::from_str("column = \"A\"\nfrom = \"Title\"\npattern = '(\\w+) (?P<value>\\d+)'")
            .unwrap(),
        toml::from_str("column = \"B\"\nfrom = \"Title\"\npattern = '(\\w+) (\\d+)'").unwrap(),
        toml::from_str("column = \"C\"\nfrom = \"Title\"\npattern = '\\d+'").unwrap(),
        // From a derived column, with an optional group that took no part.
        toml::from_str("column = \"D\"\nfrom = \"B\"\npattern = '^(x)?Amend'").unwrap(),
    ];
    config.filter.clear();
    config.columns.initiative = "A".into();
    config.columns.title = "B".into();
    config.columns.phase = Some("C".into());
    config.columns.description = Some("D".into());
    let parsed = parse_with(
        &config,
        format!("{EP_HEADER}R - Amendment 12,01/02/2023,+,-\n").as_bytes(),
    )
    .unwrap();
    assert!(parsed.quarantine.is_empty(), "{:#?}", parsed.quarantine);
    let proposal = &parsed.proposals[0];
    assert_eq!(proposal.id, "12");
    assert_eq!(proposal.title, "Amendment");
    assert_eq!(proposal.votes[0].phase, "12");
    assert_eq!(proposal.votes[0].description, "");
}

#[test]
fn unusable_derived_columns_are_errors_naming_them() {
    let derive = |column: &str, from: &str, pattern: &str| Derive {
        column: column.into(),
        from: from.into(),
        pattern: pattern.into(),
        unmatched: Unmatched::Whole,
    };
    let text = format!("{EP_HEADER}R - A,01/02/2023,+,-\n");
    let with = |d: Derive| {
        let mut config = ep_config();
        config.derive.push(d);
        error(&config, text.as_bytes())
    };
    let message = with(derive("X", "Title", "(unclosed"));
    assert!(
        message.starts_with(
            "rat.csv: the table configuration cannot be used: [[source.table.derive]] column = \
             \"X\": the pattern \"(unclosed\" is not a valid regular expression:"
        ),
        "{message}"
    );
    let mut config = ep_config();
    config.derive.push(derive("X", "Title", "(unclosed"));
    assert!(check(&config, "rat.csv").is_err(), "found before reading");
    let message = with(derive("EPP", "Title", "x"));
    assert_eq!(
        message,
        "rat.csv:1: the derived column \"EPP\" has the name of a column the file already has; \
         give it another name in its [[source.table.derive]]"
    );
    let message = with(derive("Part", "Title", "x"));
    assert!(message.contains("\"Part\" is derived twice"), "{message}");
    let message = with(derive("X", "Titel", "x"));
    assert!(
        message.starts_with("rat.csv:1: the column \"Titel\" (derived from) is missing"),
        "{message}"
    );
}

#[test]
fn filters_keep_or_drop_rows_and_say_when_they_drop_them_all() {
    let rows = "Report A - Amendment 1,01/02/2023,+,-\n\
                Report A - Vote: text as a whole,01/02/2023,-,+\n\
                Report C - Vote: text as a whole,03/02/2023,-,-\n";
    let with = |filters: &str| {
        let mut config = ep_config();
        config.filter = toml::from_str::<toml::Table>(filters).unwrap()["filter"]
            .clone()
            .try_into()
            .unwrap();
        parse_with(&config, format!("{EP_HEADER}{rows}").as_bytes())
    };
    let parsed = with(
        "[[filter]]\ncolumn = \"Title\"\nkeep = 'text as a whole$'\n\
         [[filter]]\ncolumn = \"Report\"\ndrop = '^Report C$'",
    )
    .unwrap();
    let votes: Vec<(&str, &str)> = parsed
        .proposals
        .iter()
        .flat_map(|p| p.votes.iter().map(|v| (p.id.as_str(), v.phase.as_str())))
        .collect();
    assert_eq!(
        votes,
        [("Report A", "Vote: text as a whole")],
        "a row is read only when it passes every filter"
    );
    assert!(
        parsed.quarantine.is_empty(),
        "dropped rows are not quarantined"
    );

    let message = with("[[filter]]\ncolumn = \"Title\"\nkeep = '^Nothing'")
        .unwrap_err()
        .chain_text();
    assert_eq!(
        message,
        "rat.csv: the filters dropped every row (3); check the patterns of its \
         [[source.table.filter]] entries"
    );
    let message = with("[[filter]]\ncolumn = \"Title\"\nkeep = 'a'\ndrop = 'b'")
        .unwrap_err()
        .chain_text();
    assert!(
        message.ends_with(
            "[[source.table.filter]] column = \"Title\" has both keep and drop; write one \
             filter for each"
        ),
        "{message}"
    );
    let message = with("[[filter]]\ncolumn = \"Title\"")
        .unwrap_err()
        .chain_text();
    assert!(message.contains("has neither keep nor drop"), "{message}");
    let message = with("[[filter]]\ncolumn = \"Title\"\ndrop = '['")
        .unwrap_err()
        .chain_text();
    assert!(
        message.contains(
            "[[source.table.filter]] column = \"Title\": the pattern \"[\" is not a valid \
             regular expression"
        ),
        "{message}"
    );
    let message = with("[[filter]]\ncolumn = \"Titel\"\ndrop = 'x'")
        .unwrap_err()
        .chain_text();
    assert!(
        message.starts_with("rat.csv:1: the column \"Titel\" (filter) is missing"),
        "{message}"
    );
    let typo = toml::from_str::<Filter>("column = \"x\"\ndorp = \"y\"");
    assert!(typo.unwrap_err().to_string().contains("dorp"));
}

#[test]
fn no_input_makes_derived_columns_or_filters_panic() {
    let seed = format!(
        "{EP_HEADER}Report A - Amendment 1,01/02/2023,+,-\r\n\
         Report A - Vote: procedural,01/02/2023,+,+\n\
         \"Report B - Vote: text as a whole\",02/02/2023,0,-\n"
    );
    let alphabet = b",\"\n\r-/ 0123456789+Report\xff\xc3\xa4";
    let mut config = ep_config();
    config.derive[0].unmatched = Unmatched::Quarantine;
    mutations_never_panic(&config, &seed, alphabet, 0x2545_F491_4F6C_DD1D, 1500);
}

/// Parses `rounds` mutations of `seed` (bytes of `alphabet` removed,
/// changed or inserted, then the text cut short), drawn from `state`: each
/// is read or refused, never a panic, and a text read yields something.
fn mutations_never_panic(
    config: &TableConfig,
    seed: &str,
    alphabet: &[u8],
    state: u64,
    rounds: usize,
) {
    let mut state = state;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    for _ in 0..rounds {
        let mut bytes = seed.as_bytes().to_vec();
        for _ in 0..1 + next(6) {
            let at = next(bytes.len() + 1);
            match next(3) {
                0 if at < bytes.len() => {
                    bytes.remove(at);
                }
                1 if at < bytes.len() => bytes[at] = alphabet[next(alphabet.len())],
                _ => bytes.insert(at, alphabet[next(alphabet.len())]),
            }
        }
        let cut = next(bytes.len() + 1);
        for text in [&bytes[..], &bytes[..cut]] {
            if let Ok(parsed) = parse_with(config, text) {
                let rows: usize = parsed.proposals.iter().map(|p| p.votes.len()).sum();
                assert!(rows + parsed.quarantine.len() > 0);
            }
        }
    }
}
