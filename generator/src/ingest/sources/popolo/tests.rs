//! The Popolo adapter on small exports: a good one, then a corpus of
//! malformed ones, each giving a clear error or a quarantine entry that
//! names the file and line.

use super::*;
use crate::ingest::sources::Quarantined;
use hemiciclo_core::{ActorKind, Outcome, PhaseKind, Position, Proposal, Tally};

const EVENTS: &str = "\
id,start_date,motion:name,motion:number,motion:document,sources:link:url,result,counts:option:yes,counts:option:no,counts:option:abstain
1,2015-01-22,k návrhu rozpočtu - pozměňovací návrh,5,Z-1,https://example.org/1,fail,1,3,0
2,2015-01-22,procedurální návrh o přestávce,,,,pass,2,2,0
3,2015-02-19,k návrhu rozpočtu,5,Z-1,https://example.org/3,pass,,,
";

const VOTERS: &str = "\
id,name,party
10,Eva Malá,ODS
11,Jan Velký,ODS
12,Petr Dlouhý,Piráti
13,Ota Krátký,Piráti
";

const VOTES: &str = "\
vote_event_id,voter_id,option
1,10,yes
1,11,no
1,12,no
1,13,no
2,10,yes
2,11,yes
2,12,no
2,13,no
3,10,yes
3,11,yes
3,12,no
3,13,not voting
";

/// [`EVENTS`] without the stated totals, for votes that differ from them.
fn events_untotalled() -> String {
    EVENTS
        .replace(",1,3,0\n", ",,,\n")
        .replace(",2,2,0\n", ",,,\n")
}

fn config() -> PopoloConfig {
    toml::from_str(
        r#"
        legislature = "2014–2018"
        exclude-motions = ["^procedurální"]
        "#,
    )
    .unwrap()
}

fn blob(files: &[(&str, &[u8])]) -> Vec<u8> {
    frame::frame(files.iter().copied())
}

fn parse_files(files: &[(&str, &[u8])]) -> Result<Parsed> {
    parse(&blob(files), "data/praha", &config())
}

/// The standard three files, with one of them replaced.
fn with(name: &str, bytes: &[u8]) -> Result<Parsed> {
    let mut files: Vec<(&str, &[u8])> = vec![
        ("vote_events.csv", EVENTS.as_bytes()),
        ("votes.csv", VOTES.as_bytes()),
        ("voters.csv", VOTERS.as_bytes()),
    ];
    match files.iter_mut().find(|(n, _)| *n == name) {
        Some(file) => file.1 = bytes,
        None => files.push((name, bytes)),
    }
    parse_files(&files)
}

fn error(name: &str, bytes: &[u8]) -> String {
    with(name, bytes).unwrap_err().chain_text()
}

/// The one quarantine entry of an export with one file replaced.
fn set_aside(name: &str, bytes: &[u8]) -> (Parsed, Quarantined) {
    let parsed = with(name, bytes).unwrap();
    match parsed.quarantine.as_slice() {
        [entry] => {
            assert_eq!(entry.source, "data/praha");
            let entry = entry.clone();
            (parsed, entry)
        }
        other => panic!("expected one quarantine entry, got {other:#?}"),
    }
}

fn proposal<'p>(parsed: &'p Parsed, id: &str) -> &'p Proposal {
    parsed
        .proposals
        .iter()
        .find(|p| p.id == id)
        .unwrap_or_else(|| panic!("no proposal {id}: {:#?}", parsed.proposals))
}

#[test]
fn a_standard_export_reads_with_defaults_alone() {
    let parsed = with("votes.csv", VOTES.as_bytes()).unwrap();
    assert!(parsed.quarantine.is_empty(), "{:#?}", parsed.quarantine);
    let ids: Vec<&str> = parsed.proposals.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["2", "Z-1"], "events 1 and 3 share a document");

    let budget = proposal(&parsed, "Z-1");
    assert_eq!(
        budget.title, "k návrhu rozpočtu",
        "the latest vote's motion"
    );
    assert_eq!(budget.legislature, "2014–2018");
    assert_eq!(budget.number, "5");
    assert_eq!(budget.link.as_deref(), Some("https://example.org/3"));
    let [amendment, whole] = budget.votes.as_slice() else {
        panic!("{:#?}", budget.votes)
    };
    assert_eq!(amendment.id, "1");
    assert_eq!(
        amendment.description,
        "k návrhu rozpočtu - pozměňovací návrh"
    );
    assert_eq!(amendment.result, Some(Outcome::Rejected));
    assert_eq!(whole.description, "", "the whole text");
    assert_eq!(whole.phase_kind, PhaseKind::Deliberation);
    assert_eq!(whole.result, Some(Outcome::Approved));
    assert_eq!(whole.date.to_string(), "2015-02-19");
    assert_eq!(whole.positions["ODS"], Position::For);
    assert_eq!(whole.positions["Piráti"], Position::Against);
    assert_eq!(
        whole.counts["Piráti"],
        Tally {
            in_favour: 0,
            against: 1,
            abstain: 0,
            absent: 1
        }
    );
    assert_eq!(budget.decisive_vote().unwrap().id, "3");
    assert!(budget.is_quiz_eligible());

    // Event 1: ODS split one to one; Piráti against as one.
    assert_eq!(amendment.positions["ODS"], Position::Split);
    assert!(
        amendment.members.is_empty(),
        "a split group has no line to break"
    );

    let actors: Vec<(&str, ActorKind)> = parsed
        .actors
        .iter()
        .map(|a| (a.id.as_str(), a.kind))
        .collect();
    assert_eq!(
        actors,
        [("ODS", ActorKind::Party), ("Piráti", ActorKind::Party)]
    );
}

#[test]
fn an_excluded_motion_keeps_its_page_but_is_never_a_quiz_card() {
    let parsed = with("votes.csv", VOTES.as_bytes()).unwrap();
    let procedural = proposal(&parsed, "2");
    assert_eq!(procedural.title, "procedurální návrh o přestávce");
    assert_eq!(procedural.votes[0].phase_kind, PhaseKind::Other);
    assert!(procedural.votes[0].is_contested(), "it split the groups");
    assert!(procedural.decisive_vote().is_none());
    assert!(!procedural.is_quiz_eligible());
    // Without the pattern the same vote is a card.
    let mut config = config();
    config.exclude_motions.clear();
    let files = blob(&[
        ("vote_events.csv", EVENTS.as_bytes()),
        ("votes.csv", VOTES.as_bytes()),
        ("voters.csv", VOTERS.as_bytes()),
    ]);
    let parsed = parse(&files, "data/praha", &config).unwrap();
    assert!(proposal(&parsed, "2").is_quiz_eligible());
}

#[test]
fn without_grouping_every_vote_event_is_a_proposal() {
    let mut config = config();
    config.group_by_document = false;
    let files = blob(&[
        ("vote_events.csv", EVENTS.as_bytes()),
        ("votes.csv", VOTES.as_bytes()),
        ("voters.csv", VOTERS.as_bytes()),
    ]);
    let parsed = parse(&files, "data/praha", &config).unwrap();
    let ids: Vec<&str> = parsed.proposals.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3"]);
}

#[test]
fn members_who_broke_with_their_group_are_named() {
    let votes = "vote_event_id,voter_id,option\n3,10,yes\n3,11,yes\n3,12,abstain\n3,13,no\n\
                 3,14,yes\n1,10,no\n2,10,no\n";
    let voters = format!("{VOTERS}14,Iva Nová,Piráti\n");
    let events = events_untotalled();
    let parsed = parse_files(&[
        ("vote_events.csv", events.as_bytes()),
        ("votes.csv", votes.as_bytes()),
        ("voters.csv", voters.as_bytes()),
    ])
    .unwrap();
    let vote = &proposal(&parsed, "Z-1").votes[1];
    assert_eq!(
        vote.positions["Piráti"],
        Position::Split,
        "1 for, 1 against, 1 abstain"
    );
    let votes = "vote_event_id,voter_id,option\n3,10,yes\n3,11,no\n3,12,no\n3,13,no\n\
                 3,14,abstain\n1,10,no\n2,10,no\n";
    let parsed = parse_files(&[
        ("vote_events.csv", events.as_bytes()),
        ("votes.csv", votes.as_bytes()),
        ("voters.csv", voters.as_bytes()),
    ])
    .unwrap();
    let vote = &proposal(&parsed, "Z-1").votes[1];
    assert_eq!(vote.positions["Piráti"], Position::Against);
    assert_eq!(vote.positions["ODS"], Position::Split);
    let broke: Vec<(&str, &str, Position)> = vote
        .members
        .iter()
        .map(|m| (m.name.as_str(), m.actor.as_str(), m.position))
        .collect();
    assert_eq!(broke, [("Iva Nová", "Piráti", Position::Abstain)]);
}

#[test]
fn a_group_on_the_vote_row_wins_over_the_voters_party() {
    // Jan moved from ODS to the Pirates between the two votes on Z-1.
    let votes = "vote_event_id,voter_id,option,group_id\n\
                 1,10,yes,g-ods\n1,11,yes,g-ods\n1,12,no,\n1,13,no,\n\
                 2,10,yes,\n2,12,no,\n\
                 3,10,yes,g-ods\n3,11,no,g-pir\n3,12,no,\n3,13,no,g-pir\n";
    let groups = "id,name\ng-ods,ODS\ng-pir,Piráti\n";
    let events = events_untotalled();
    let (parsed, groups_file) = (
        parse_files(&[
            ("vote_events.csv", events.as_bytes()),
            ("votes.csv", votes.as_bytes()),
            ("voters.csv", VOTERS.as_bytes()),
            ("groups.csv", groups.as_bytes()),
        ])
        .unwrap(),
        "groups.csv",
    );
    assert!(
        parsed.quarantine.is_empty(),
        "{groups_file}: {:#?}",
        parsed.quarantine
    );
    let budget = proposal(&parsed, "Z-1");
    assert_eq!(budget.votes[0].counts["ODS"].in_favour, 2);
    let whole = &budget.votes[1];
    assert_eq!(whole.counts["ODS"].in_favour, 1, "only Eva is left in ODS");
    assert_eq!(
        whole.counts["Piráti"].against, 3,
        "Jan votes with the Pirates"
    );
    assert_eq!(whole.positions["ODS"], Position::For);
}

#[test]
fn non_attached_members_stand_alone_and_groups_can_be_renamed() {
    let voters = "id,name,party\n10,Eva Malá,ODS\n11,Jan Velký,bez PP\n12,Petr Dlouhý,Piráti\n\
                  13,Ota Krátký,PIRATI\n";
    let mut config = config();
    config.non_attached = vec!["bez PP".into()];
    config.rename_groups = [("PIRATI".to_owned(), "Piráti".to_owned())].into();
    let files = blob(&[
        ("vote_events.csv", EVENTS.as_bytes()),
        ("votes.csv", VOTES.as_bytes()),
        ("voters.csv", voters.as_bytes()),
    ]);
    let parsed = parse(&files, "data/praha", &config).unwrap();
    let actors: Vec<(&str, ActorKind)> = parsed
        .actors
        .iter()
        .map(|a| (a.id.as_str(), a.kind))
        .collect();
    assert_eq!(
        actors,
        [
            ("Jan Velký", ActorKind::NonAttached),
            ("ODS", ActorKind::Party),
            ("Piráti", ActorKind::Party)
        ]
    );
    let whole = &proposal(&parsed, "Z-1").votes[1];
    assert_eq!(whole.positions["Jan Velký"], Position::For);
    assert_eq!(
        whole.counts["Piráti"].absent, 1,
        "Ota counts with the Pirates"
    );
}

// ---- The malformed corpus: errors -------------------------------------

#[test]
fn m01_an_empty_file_is_an_error_naming_it() {
    for name in ["vote_events.csv", "votes.csv", "voters.csv"] {
        let message = error(name, b"");
        assert!(
            message.starts_with(&format!("{name}: the file is empty")),
            "{message}"
        );
        let message = error(name, b" \r\n\n");
        assert!(message.contains("is empty"), "{message}");
    }
}

#[test]
fn m02_a_header_only_file_is_an_error_naming_it() {
    let message = error("votes.csv", b"vote_event_id,voter_id,option\n");
    assert!(
        message.starts_with("votes.csv: the file has a header row but no member's vote"),
        "{message}"
    );
    let message = error("vote_events.csv", EVENTS.lines().next().unwrap().as_bytes());
    assert!(message.starts_with("vote_events.csv: "), "{message}");
}

#[test]
fn m03_a_missing_required_column_names_the_file_the_column_and_the_setting() {
    let message = error("votes.csv", b"vote_event_id,person_id,option\n1,10,yes\n");
    assert!(
        message.starts_with("votes.csv:1: the column \"voter_id\""),
        "{message}"
    );
    assert!(
        message.contains("set [source.popolo.vote-columns] voter = "),
        "{message}"
    );
    assert!(
        message.contains("\"person_id\""),
        "lists the columns there: {message}"
    );
    let message = error("voters.csv", b"id,party\n10,ODS\n");
    assert!(
        message.starts_with("voters.csv:1: the column \"name\""),
        "{message}"
    );
    let message = error("groups.csv", b"id,title\ng,ODS\n");
    assert!(
        message.starts_with("groups.csv:1: the column \"name\""),
        "{message}"
    );
}

#[test]
fn m04_a_header_that_is_not_utf8_is_an_error() {
    let message = error("voters.csv", b"id,n\xe1me,party\n10,Eva,ODS\n");
    assert!(
        message.starts_with("voters.csv:1: the header's column 2"),
        "{message}"
    );
}

#[test]
fn m05_no_legislature_is_a_config_error_saying_what_to_add() {
    let files = blob(&[
        ("vote_events.csv", EVENTS.as_bytes()),
        ("votes.csv", VOTES.as_bytes()),
        ("voters.csv", VOTERS.as_bytes()),
    ]);
    let message = parse(&files, "data/praha", &PopoloConfig::default())
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("the source data/praha: [source.popolo]"),
        "{message}"
    );
    assert!(message.contains("add legislature = "), "{message}");
}

#[test]
fn m06_an_invalid_exclude_pattern_is_a_config_error_naming_it() {
    let mut config = config();
    config.exclude_motions = vec!["ok".into(), "(procedurální".into()];
    let message = parse(&blob(&[]), "data/praha", &config)
        .unwrap_err()
        .to_string();
    assert!(message.contains("exclude-motions"), "{message}");
    assert!(message.contains("\"(procedurální\""), "{message}");
}

#[test]
fn m07_a_damaged_stored_blob_is_an_error_not_a_panic() {
    let message = parse(b"id,name\n", "data/praha", &config())
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("data/praha: the stored copy"),
        "{message}"
    );
}

// ---- The malformed corpus: quarantine ---------------------------------

#[test]
fn m08_a_vote_for_an_unknown_event_is_set_aside_once_with_a_count() {
    let votes = format!("{VOTES}99,10,yes\n99,11,no\n");
    let (_, entry) = set_aside("votes.csv", votes.as_bytes());
    assert_eq!(entry.location, "votes.csv line 14 (and 1 more row)");
    assert_eq!(entry.record.as_deref(), Some("99"));
    assert!(
        entry
            .reason
            .contains("vote event 99, which is not in vote_events.csv"),
        "{entry}"
    );
}

#[test]
fn m09_a_vote_by_an_unknown_voter_is_set_aside() {
    let votes = format!("{VOTES}3,77,yes\n");
    let (parsed, entry) = set_aside("votes.csv", votes.as_bytes());
    assert_eq!(entry.location, "votes.csv line 14");
    assert_eq!(entry.record.as_deref(), Some("77"));
    assert!(entry.reason.contains("not in voters.csv"), "{entry}");
    assert_eq!(proposal(&parsed, "Z-1").votes[1].counts["ODS"].in_favour, 2);
}

#[test]
fn m10_a_voter_without_a_group_is_set_aside_naming_their_row() {
    let voters = "id,name,party\n10,Eva Malá,ODS\n11,Jan Velký,ODS\n12,Petr Dlouhý,Piráti\n\
                  13,Ota Krátký,\n";
    let parsed = parse_files(&[
        ("vote_events.csv", events_untotalled().as_bytes()),
        ("votes.csv", VOTES.as_bytes()),
        ("voters.csv", voters.as_bytes()),
    ])
    .unwrap();
    let [entry] = parsed.quarantine.as_slice() else {
        panic!("{:#?}", parsed.quarantine)
    };
    assert_eq!(entry.location, "votes.csv line 5 (and 2 more rows)");
    assert!(
        entry.reason.contains("voter 13 (Ota Krátký) has no group"),
        "{entry}"
    );
    assert!(entry.reason.contains("voters.csv (line 5)"), "{entry}");
}

#[test]
fn m11_a_group_id_not_in_groups_csv_is_set_aside() {
    let votes = "vote_event_id,voter_id,option,group_id\n1,10,yes,g1\n1,11,no,g1\n\
                 3,10,yes,g1\n3,11,no,g9\n2,10,no,g1\n";
    let events = events_untotalled();
    // No groups.csv: the ids are the groups' names, so nothing is unknown.
    let parsed = parse_files(&[
        ("vote_events.csv", events.as_bytes()),
        ("votes.csv", votes.as_bytes()),
        ("voters.csv", VOTERS.as_bytes()),
    ])
    .unwrap();
    assert!(parsed.quarantine.is_empty(), "{:#?}", parsed.quarantine);
    assert_eq!(
        proposal(&parsed, "Z-1").votes[1].positions["g9"],
        Position::Against
    );
    let parsed = parse_files(&[
        ("vote_events.csv", events.as_bytes()),
        ("votes.csv", votes.as_bytes()),
        ("voters.csv", VOTERS.as_bytes()),
        ("groups.csv", b"id,name\ng1,ODS\n"),
    ])
    .unwrap();
    let [entry] = parsed.quarantine.as_slice() else {
        panic!("{:#?}", parsed.quarantine)
    };
    assert_eq!(entry.location, "votes.csv line 5");
    assert!(
        entry
            .reason
            .contains("group id \"g9\" is not in groups.csv"),
        "{entry}"
    );
}

#[test]
fn m12_an_unknown_option_is_set_aside_naming_the_words_expected() {
    let votes = VOTES.replace("3,13,not voting", "3,13,maybe");
    let (parsed, entry) = set_aside("votes.csv", votes.as_bytes());
    assert_eq!(entry.location, "votes.csv line 13");
    assert_eq!(entry.record.as_deref(), Some("3/13"));
    assert!(
        entry.reason.starts_with("unknown option \"maybe\""),
        "{entry}"
    );
    assert!(entry.reason.contains("\"not voting\""), "{entry}");
    let whole = &proposal(&parsed, "Z-1").votes[1];
    assert_eq!(whole.counts["Piráti"].absent, 0, "the row is left out");
}

#[test]
fn m13_the_same_member_twice_in_one_vote_keeps_the_first() {
    let votes = format!("{VOTES}3,11,no\n");
    let (parsed, entry) = set_aside("votes.csv", votes.as_bytes());
    assert_eq!(entry.location, "votes.csv line 14");
    assert!(
        entry
            .reason
            .contains("already voted in the vote event 3 on line 11"),
        "{entry}"
    );
    assert_eq!(
        proposal(&parsed, "Z-1").votes[1].positions["ODS"],
        Position::For
    );
}

#[test]
fn m14_a_bad_date_sets_the_event_and_its_votes_aside() {
    let events = EVENTS.replace("3,2015-02-19", "3,2015-02-30");
    let (parsed, entry) = set_aside("vote_events.csv", events.as_bytes());
    assert_eq!(entry.location, "vote_events.csv line 4");
    assert_eq!(entry.record.as_deref(), Some("3"));
    assert!(entry.reason.contains("\"2015-02-30\""), "{entry}");
    assert!(entry.reason.ends_with("its votes are left out"), "{entry}");
    assert_eq!(proposal(&parsed, "Z-1").votes.len(), 1);
    // A time after the day is fine.
    let events = EVENTS.replace("3,2015-02-19", "3,2015-02-19T10:30:00");
    assert!(with("vote_events.csv", events.as_bytes())
        .unwrap()
        .quarantine
        .is_empty());
}

#[test]
fn m15_a_bad_result_word_is_set_aside() {
    let events = EVENTS.replace(",pass,2,2,0", ",passed,2,2,0");
    let (_, entry) = set_aside("vote_events.csv", events.as_bytes());
    assert_eq!(entry.location, "vote_events.csv line 3");
    assert!(
        entry.reason.starts_with("unknown result \"passed\""),
        "{entry}"
    );
    assert!(entry.reason.contains("\"pass\", \"fail\""), "{entry}");
}

#[test]
fn m16_an_event_with_no_votes_is_set_aside() {
    let votes: String = VOTES
        .lines()
        .filter(|l| !l.starts_with("2,"))
        .map(|l| format!("{l}\n"))
        .collect();
    let (parsed, entry) = set_aside("votes.csv", votes.as_bytes());
    assert_eq!(entry.location, "vote_events.csv line 3");
    assert_eq!(entry.record.as_deref(), Some("2"));
    assert!(
        entry
            .reason
            .starts_with("no member's vote for this vote event is in votes.csv"),
        "{entry}"
    );
    assert_eq!(parsed.proposals.len(), 1);
}

#[test]
fn m17_a_duplicated_event_id_keeps_the_first_row() {
    let events = format!("{EVENTS}2,2016-01-01,jiný návrh,,,,pass,,,\n");
    let (parsed, entry) = set_aside("vote_events.csv", events.as_bytes());
    assert_eq!(entry.location, "vote_events.csv line 5");
    assert!(
        entry.reason.contains("already appears on line 3"),
        "{entry}"
    );
    assert_eq!(
        proposal(&parsed, "2").title,
        "procedurální návrh o přestávce"
    );
}

#[test]
fn m18_bytes_that_are_not_utf8_set_the_row_aside() {
    let mut voters = VOTERS.as_bytes().to_vec();
    voters.extend_from_slice(b"14,Iva Nov\xe1,ODS\n");
    let (_, entry) = set_aside("voters.csv", &voters);
    assert_eq!(entry.location, "voters.csv line 6");
    assert!(
        entry.reason.contains("column \"name\" is not valid UTF-8"),
        "{entry}"
    );
}

#[test]
fn m19_crlf_line_ends_give_the_lines_an_editor_shows() {
    let votes = format!("{VOTES}3,11,yes\n99,10,yes\n").replace('\n', "\r\n");
    let parsed = with("votes.csv", votes.as_bytes()).unwrap();
    let locations: Vec<&str> = parsed
        .quarantine
        .iter()
        .map(|q| q.location.as_str())
        .collect();
    assert_eq!(locations, ["votes.csv line 14", "votes.csv line 15"]);
}

#[test]
fn m20_a_quoted_newline_does_not_shift_the_lines_after_it() {
    let events = EVENTS.replace(
        "procedurální návrh o přestávce",
        "\"procedurální návrh\no přestávce\"",
    ) + "4,2015-13-01,x,,,,pass,,,\n";
    let (parsed, entry) = set_aside("vote_events.csv", events.as_bytes());
    assert_eq!(entry.location, "vote_events.csv line 6", "{entry}");
    assert_eq!(
        proposal(&parsed, "2").title,
        "procedurální návrh\no přestávce"
    );
    assert!(!proposal(&parsed, "2").is_quiz_eligible(), "still excluded");
}

#[test]
fn m21_a_row_with_too_few_fields_is_set_aside() {
    let votes = format!("{VOTES}3,11\n");
    let (_, entry) = set_aside("votes.csv", votes.as_bytes());
    assert_eq!(entry.location, "votes.csv line 14");
    assert!(
        entry.reason.contains("2 fields where the header has 3"),
        "{entry}"
    );
}

#[test]
fn m22_totals_that_differ_from_the_votes_set_the_event_aside() {
    let events = EVENTS.replace(",fail,1,3,0", ",fail,1,3,512");
    let (_, entry) = set_aside("vote_events.csv", events.as_bytes());
    assert_eq!(entry.location, "vote_events.csv line 2");
    assert!(
        entry.reason.contains("512 abstain stated, 0 in the votes"),
        "{entry}"
    );
    let events = EVENTS.replace(",fail,1,3,0", ",fail,one,3,0");
    let (_, entry) = set_aside("vote_events.csv", events.as_bytes());
    assert!(entry.reason.contains("\"one\""), "{entry}");
}

#[test]
fn m23_a_duplicated_voter_and_an_empty_voter_id_are_set_aside() {
    let voters = format!("{VOTERS}10,Eva Jiná,ODS\n,Bez Id,ODS\n");
    let parsed = with("voters.csv", voters.as_bytes()).unwrap();
    let entries: Vec<(&str, &str)> = parsed
        .quarantine
        .iter()
        .map(|q| (q.location.as_str(), q.reason.as_str()))
        .collect();
    assert_eq!(entries.len(), 2, "{entries:#?}");
    assert_eq!(entries[0].0, "voters.csv line 6");
    assert!(
        entries[0].1.contains("already appears on line 2"),
        "{entries:#?}"
    );
    assert_eq!(entries[1].0, "voters.csv line 7");
    assert!(entries[1].1.contains("no voter id"), "{entries:#?}");
}

#[test]
fn m24_untitled_events_are_one_entry_with_a_count() {
    let events = format!("{EVENTS}4,2015-03-01,,,,,pass,,,\n5,2015-03-01,  ,,,,pass,,,\n");
    let (_, entry) = set_aside("vote_events.csv", events.as_bytes());
    assert_eq!(entry.location, "vote_events.csv line 5 (and 1 more row)");
    assert!(entry.reason.contains("no motion name"), "{entry}");
}

#[test]
fn m25_every_quarantine_is_deterministic() {
    let votes = format!("{VOTES}99,10,yes\n3,77,yes\n3,13,maybe\n3,11,no\n");
    let first = with("votes.csv", votes.as_bytes()).unwrap();
    let again = with("votes.csv", votes.as_bytes()).unwrap();
    assert_eq!(first.quarantine, again.quarantine);
    assert_eq!(first.quarantine.len(), 4, "{:#?}", first.quarantine);
    assert_eq!(
        serde_json::to_string(&first.proposals).unwrap(),
        serde_json::to_string(&again.proposals).unwrap()
    );
}

#[test]
fn m26_no_cut_or_changed_byte_of_any_file_panics() {
    // Every prefix of each file, and each file with bytes replaced by
    // ones that matter to CSV (a seeded walk, so a failure replays):
    // each parse returns a result or an error, and never panics.
    let bytes_that_matter = [b',', b'"', b'\n', b'\r', b' ', 0xff, b'1', b'x'];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |bound: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % bound
    };
    let groups = "id,name\ng1,ODS\n";
    for (name, text) in [
        ("vote_events.csv", EVENTS),
        ("votes.csv", VOTES),
        ("voters.csv", VOTERS),
        ("groups.csv", groups),
    ] {
        let text = text.as_bytes();
        for end in 0..=text.len() {
            let _ = with(name, &text[..end]);
        }
        for _ in 0..300 {
            let mut changed = text.to_vec();
            for _ in 0..1 + next(3) {
                let at = next(changed.len());
                changed[at] = bytes_that_matter[next(bytes_that_matter.len())];
            }
            let _ = with(name, &changed);
        }
    }
}
