//! Tests of the schema and the reader: what serde writes reads back.

use super::reader::read_card;
use super::*;
use crate::date::Date;
use crate::json::{self, Reader};
use crate::model::{Actor, ActorKind, Outcome, Position};
use crate::sampler::Stratum;
use crate::seating::Seating;

fn manifest() -> Manifest {
    Manifest {
        schema_version: SCHEMA_VERSION,
        dataset_id: "abc".into(),
        layout_id: "lay".into(),
        actors: vec![Actor {
            id: "PS".into(),
            name: "PS".into(),
            kind: ActorKind::Party,
        }],
        card_count: 25,
        shard_size: 10,
        sampling: Sampling {
            runs: vec![
                ("XIV".into(), "g91".into(), 3),
                ("XIV".into(), "o00".into(), 17),
                ("XV".into(), "g51".into(), 5),
            ],
        },
        seating: vec![Seating {
            legislature: "XV".into(),
            seated: vec![0],
            same: Vec::new(),
        }],
        deck_size: 12,
        checksums: "0000000000000000".into(),
    }
}

#[test]
fn the_sampling_table_packs_and_unpacks_every_card() {
    let metas = manifest().card_metas().unwrap();
    assert_eq!(metas.len(), 25);
    assert_eq!(metas[19].legislature, "XIV");
    assert_eq!(metas[20].legislature, "XV");
    assert_eq!(metas[0].stratum(), Stratum::Government);
    assert_eq!(metas[3].stratum(), Stratum::Other);
    assert_eq!(metas[2].informativeness, 1.0);
    assert_eq!(metas[3].informativeness, 0.0);
    assert!(metas[0].complete && !metas[3].complete && metas[24].complete);
    assert!(metas
        .iter()
        .enumerate()
        .all(|(i, m)| m.index == i as u32 && m.eligible));
    assert_eq!(Sampling::pack(&metas), manifest().sampling);
}

#[test]
fn the_card_id_index_finds_cards_and_names_unknown_ids() {
    let index = CardIds {
        schema_version: SCHEMA_VERSION,
        dataset_id: "abc".into(),
        ids: (0..25).map(|i| format!("p{i}")).collect(),
    };
    let read = CardIds::from_json(&serde_json::to_string(&index).unwrap()).unwrap();
    assert_eq!(read, index);
    assert!(read.belongs_to(&manifest()));
    let wanted = |ids: &[&str]| ids.iter().map(|id| id.to_string()).collect::<Vec<_>>();
    assert_eq!(read.cards_of(&wanted(&["p7", "p0"])), Ok(vec![7, 0]));
    assert_eq!(
        read.cards_of(&wanted(&["p7", "x", "p99"])),
        Err(wanted(&["x", "p99"]))
    );
    let mut other = manifest();
    other.card_count = 24;
    assert!(!read.belongs_to(&other));
}

#[test]
fn a_sampling_table_of_another_length_or_code_is_refused() {
    for broken in [
        r#""runs":[["XV","g51",24]]"#,
        r#""runs":[["XV","g51",20],["XV","o51",6]]"#,
        r#""runs":[["XV","x51",25]]"#,
        r#""runs":[["XV","ga1",25]]"#,
        r#""runs":[["XV","g52",25]]"#,
        r#""runs":[["XV","g5",25]]"#,
        r#""runs":[["XV","g51",25,1]]"#,
        r#""runs":[["XV",25]]"#,
        r#""runs":[["XV","g51",4294967295],["XV","g51",26]]"#,
    ] {
        let text = format!(
            r#"{{"schema_version":{SCHEMA_VERSION},"dataset_id":"a","actors":[],"card_count":25,"shard_size":10,"sampling":{{{broken}}}}}"#
        );
        let error = Manifest::from_json(&text).unwrap_err();
        assert!(
            matches!(error, BundleError::Malformed(_)),
            "{broken}: {error}"
        );
    }
}

#[test]
fn a_seating_that_names_unknown_actors_or_does_not_fit_is_refused() {
    let mut unknown = manifest();
    unknown.seating[0].seated = vec![0, 7];
    unknown.seating[0].same = vec![5_000];
    let error = Manifest::from_json(&serde_json::to_string(&unknown).unwrap()).unwrap_err();
    assert!(error.to_string().contains("legislature XV"), "{error}");
    let mut short = manifest();
    short.seating[0].seated = vec![0, 0];
    let error = Manifest::from_json(&serde_json::to_string(&short).unwrap()).unwrap_err();
    assert!(error.to_string().contains("`same` table"), "{error}");
}

#[test]
fn the_votes_table_reads_back_and_knows_its_manifest() {
    let table = VotesTable {
        schema_version: SCHEMA_VERSION,
        dataset_id: "abc".into(),
        votes: (0..25)
            .map(|i| if i % 2 == 0 { "F" } else { "." }.into())
            .collect(),
    };
    let read = VotesTable::from_json(&serde_json::to_string(&table).unwrap()).unwrap();
    assert_eq!(read, table);
    assert!(read.belongs_to(&manifest()));
    let mut short = table.clone();
    short.votes.pop();
    assert!(!short.belongs_to(&manifest()));
}

#[test]
fn manifest_round_trips() {
    let text = serde_json::to_string(&manifest()).unwrap();
    assert_eq!(Manifest::from_json(&text).unwrap(), manifest());
    assert_eq!(manifest().shard_count(), 3);
    assert_eq!(manifest().legislatures(), ["XIV", "XV"]);
    assert_eq!(manifest().shard_of(19), 1);
}

#[test]
fn refuses_unknown_schema_version_with_a_clear_message() {
    let mut m = manifest();
    m.schema_version = SCHEMA_VERSION + 1;
    let error = Manifest::from_json(&serde_json::to_string(&m).unwrap()).unwrap_err();
    assert_eq!(
        error,
        BundleError::UnsupportedVersion {
            found: SCHEMA_VERSION + 1
        }
    );
    let message = error.to_string();
    let found = format!("version {}", SCHEMA_VERSION + 1);
    let reads = format!("only reads version {SCHEMA_VERSION}");
    assert!(message.contains(&found), "{message}");
    assert!(message.contains(&reads), "{message}");
}

#[test]
fn refuses_an_older_shard_and_one_without_layout_id() {
    // Schema 3 shards carried the dataset id instead.
    let text = r#"{"schema_version":3,"dataset_id":"abc","first":0,"cards":[]}"#;
    assert_eq!(
        Shard::from_json(text),
        Err(BundleError::UnsupportedVersion { found: 3 })
    );
    let text = format!(r#"{{"schema_version":{SCHEMA_VERSION},"first":0,"cards":[]}}"#);
    assert!(matches!(
        Shard::from_json(&text),
        Err(BundleError::Malformed(_))
    ));
}

#[test]
fn a_shard_knows_the_manifest_it_belongs_to() {
    let shard = Shard {
        schema_version: SCHEMA_VERSION,
        layout_id: "lay".into(),
        first: 0,
        cards: vec![],
    };
    let text = serde_json::to_string(&shard).unwrap();
    assert!(text.contains(r#""layout_id":"lay""#), "{text}");
    assert!(!text.contains("dataset_id"), "{text}");
    let read = Shard::from_json(&text).unwrap();
    assert_eq!(read, shard);
    assert!(read.belongs_to(&manifest()));
    // Another dataset with cards numbered and packed alike: the same shard fits.
    let mut reworded = manifest();
    reworded.dataset_id = "abd".into();
    assert!(read.belongs_to(&reworded));
    let mut renumbered = manifest();
    renumbered.layout_id = "lax".into();
    assert!(!read.belongs_to(&renumbered));
}

#[test]
fn refuses_garbage() {
    let current = format!("{{\"schema_version\":{SCHEMA_VERSION}}}");
    for text in ["", "[]", "{\"schema_version\":\"2\"}", current.as_str()] {
        assert!(
            matches!(Manifest::from_json(text), Err(BundleError::Malformed(_))),
            "{text}"
        );
    }
}

fn card(title: &str, result: Option<Outcome>) -> Card {
    Card {
        id: "7".into(),
        title: title.into(),
        kind: "Projeto de Lei".into(),
        legislature: "XV".into(),
        date: Date::parse_iso("2024-02-29").unwrap(),
        phase: "Votação final global".into(),
        result,
        page: "p/7/".into(),
        votes: "FA.NX".into(),
        summary: None,
    }
}

fn read_card_json(text: &str) -> json::Result<Card> {
    let mut reader = Reader::new(text);
    let card = read_card(&mut reader)?;
    reader.finish().map(|()| card)
}

#[test]
fn reads_what_serde_json_writes() {
    let mut m = manifest();
    m.actors.push(Actor {
        id: "Joacine Katar Moreira (Ninsc)".into(),
        name: "Joacine \"Katar\" Moreira \u{1f5f3}".into(),
        kind: ActorKind::NonAttached,
    });
    let pretty = serde_json::to_string_pretty(&m).unwrap();
    assert_eq!(Manifest::from_json(&pretty).unwrap(), m);
    let shards = [
        Shard {
            schema_version: SCHEMA_VERSION,
            layout_id: "abc".into(),
            first: 0,
            cards: vec![
                card(
                    "Orçamento \\ \"2024\"\n\t\u{0}\u{1f}",
                    Some(Outcome::Approved),
                ),
                card("", Some(Outcome::Rejected)),
                card("x", None),
            ],
        },
        Shard {
            schema_version: SCHEMA_VERSION,
            layout_id: "abc".into(),
            first: u32::MAX,
            cards: vec![],
        },
    ];
    for shard in shards {
        let text = serde_json::to_string(&shard).unwrap();
        assert_eq!(Shard::from_json(&text).unwrap(), shard, "{text}");
    }
}

#[test]
fn ignores_unknown_fields_and_names_missing_ones() {
    let text = r#"{"schema_version":5,"extra":{"a":[1.5,-2e3,null,true]},"layout_id":"d",
            "first":3,"cards":[{"id":"1","title":"t","kind":"k","legislature":"XV",
            "date":"2020-01-01","phase":"p","page":"p/1/","votes":"F","new":"x"}]}"#;
    let shard = Shard::from_json(text).unwrap();
    assert_eq!(shard.first, 3);
    assert_eq!(shard.cards[0].result, None);
    let missing = text.replace(r#""votes":"F","#, "");
    assert_eq!(
        Shard::from_json(&missing),
        Err(BundleError::Malformed(
            "missing field `votes` at line 2, column 32".into()
        ))
    );
    for (bad, what) in [
        (r#""date":"2020-01-01""#, r#""date":"2020-02-30""#),
        (r#""date":"2020-01-01""#, r#""date":20200101"#),
        (r#""first":3"#, r#""first":4294967296"#),
        (r#""first":3"#, r#""first":-3"#),
        (r#""first":3"#, r#""first":3,"first":3"#),
        (r#""page""#, r#""result":"maybe","page""#),
    ] {
        let text = text.replace(bad, what);
        assert!(
            matches!(Shard::from_json(&text), Err(BundleError::Malformed(_))),
            "{text}"
        );
    }
    let error = Manifest::from_json(r#"{"schema_version":2,"dataset_id":"d","#).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the quiz data is damaged: expected a field name at line 1, column 38"
    );
}

proptest::proptest! {
    #[test]
    fn never_panics_on_any_text(text in proptest::prelude::any::<String>()) {
        let _ = Manifest::from_json(&text);
        let _ = Shard::from_json(&text);
        let _ = read_card_json(&text);
    }

    #[test]
    fn reads_any_title(title in proptest::prelude::any::<String>(), approved: Option<bool>) {
        let result = approved.map(|a| if a { Outcome::Approved } else { Outcome::Rejected });
        let card = card(&title, result);
        let text = serde_json::to_string(&card).unwrap();
        proptest::prop_assert_eq!(read_card_json(&text), Ok(card));
    }

    #[test]
    fn reads_any_quoted_or_control_title(title in "[\"\\\\\u{0}-\u{1f}\u{7f}\u{e9}\u{1f600}a]{0,20}") {
        let card = card(&title, None);
        let text = serde_json::to_string(&card).unwrap();
        proptest::prop_assert_eq!(read_card_json(&text), Ok(card));
    }
}

#[test]
fn cards_unpack_positions() {
    let votes = Card::pack_votes([Some(Position::For), None, Some(Position::Abstain)]);
    assert_eq!(votes, "F.N");
    let card = Card {
        id: "1".into(),
        title: "t".into(),
        kind: "k".into(),
        legislature: "XIV".into(),
        date: Date::parse_iso("2020-01-01").unwrap(),
        phase: "p".into(),
        result: None,
        page: "p/1/".into(),
        votes,
        summary: None,
    };
    assert_eq!(card.position(0), Some(Position::For));
    assert_eq!(card.position(1), None);
    assert_eq!(card.position(2), Some(Position::Abstain));
    assert_eq!(card.position(3), None);
    let shard = Shard {
        schema_version: SCHEMA_VERSION,
        layout_id: "abc".into(),
        first: 20,
        cards: vec![card],
    };
    assert!(shard.card(20).is_some());
    assert!(shard.card(19).is_none());
    assert!(shard.card(21).is_none());
}

#[test]
fn a_card_whose_page_leaves_the_site_is_refused() {
    let good = serde_json::to_string(&card("t", None)).unwrap();
    assert_eq!(read_card_json(&good).unwrap().page, "p/7/");
    assert!(read_card_json(&good.replace("p/7/", "p/A~C3~A7~2F_-x/")).is_ok());
    for bad in [
        "javascript:alert(1)",
        "https://evil.example/",
        "//evil.example/p/7/",
        "/p/7/",
        "../../p/7/",
        "p/../../x",
        "p/7/\\u0000",
        "",
    ] {
        let text = good.replace("p/7/", bad);
        let error = read_card_json(&text).expect_err(bad).to_string();
        assert!(error.contains("page"), "{bad}: {error}");
    }
}
