//! `hemiciclo quiz` and `hemiciclo explain` on a site built from the real data.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The default site, built once for these tests.
fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("hemiciclo-audit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let output = hemiciclo(&["build", "--config"])
            .arg(root.join("site.toml"))
            .arg("--out")
            .arg(dir.join("public"))
            .arg("--work-dir")
            .arg(dir.join("work"))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        dir.join("public")
    })
}

fn hemiciclo(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hemiciclo"));
    command.args(args);
    command
}

fn run(args: &[&str]) -> Output {
    hemiciclo(args).arg("--site").arg(site()).output().unwrap()
}

fn json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn a_share_code_explains_to_the_same_deck_and_scores() {
    let quiz = json(&run(&[
        "quiz",
        "--seed",
        "42",
        "--answers",
        "FANF!SAFANF",
        "--json",
    ]));
    assert_eq!(quiz["cards"].as_array().unwrap().len(), 10);
    assert_eq!(quiz["cards"][3]["response"]["important"], true);
    let link = quiz["link"].as_str().unwrap();
    assert!(link.len() <= 40, "{link}");

    let explained = json(&run(&[
        "explain",
        &format!("https://example.org/#{link}"),
        "--json",
    ]));
    assert_eq!(explained["cards"], quiz["cards"]);
    assert_eq!(explained["ranking"], quiz["ranking"]);
    assert_eq!(explained["seed"], 42);

    let exact = json(&run(&["explain", link, "--rule", "exact", "--json"]));
    assert_eq!(exact["rule"], "exact");
    assert_eq!(exact["cards"], quiz["cards"]);
}

#[test]
fn text_output_names_cards_scores_and_the_code() {
    let output = run(&[
        "quiz",
        "--seed",
        "7",
        "--answers",
        "for,against,abstain,skip,for,for,against,against,abstain,for",
    ]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(text.contains("seed 7, rule default"), "{text}");
    assert!(
        text.contains("interval") && text.contains("coverage"),
        "{text}"
    );
    assert!(text.contains("share code: C"), "{text}");
}

#[test]
fn bad_links_and_answers_get_clear_messages() {
    let quiz = json(&run(&[
        "quiz",
        "--seed",
        "42",
        "--answers",
        "FFFFFFFFFF",
        "--json",
    ]));
    let link = quiz["link"].as_str().unwrap().to_owned();
    let mut corrupted = link.clone().into_bytes();
    corrupted[5] = if corrupted[5] == b'A' { b'B' } else { b'A' };
    let corrupted = String::from_utf8(corrupted).unwrap();
    for (args, expected) in [
        (
            vec!["explain", corrupted.as_str()],
            "the link cannot be read",
        ),
        (vec!["explain", "B$$"], "the link cannot be read"),
        (
            vec!["quiz", "--seed", "1", "--answers", "FAN"],
            "give one per card",
        ),
        (
            vec!["quiz", "--seed", "1", "--answers", "FANXFANFAN"],
            "answer 4 is \"x\"",
        ),
    ] {
        let output = run(&args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    // An unknown rule is a usage error, which lists the rules.
    let output = run(&["quiz", "--seed", "1", "--answers", "F", "--rule", "fair"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("'fair'") && stderr.contains("default, exact, abstain-disagree"),
        "{stderr}"
    );
    let missing = hemiciclo(&["explain", &link, "--site", "/nonexistent"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&missing.stderr).contains("is /nonexistent a site built by"));
}

#[test]
fn a_deck_of_one_legislature_explains_to_the_same_cards() {
    let quiz = json(&run(&[
        "quiz",
        "--seed",
        "5",
        "--legislature",
        "XVII",
        "--answers",
        "FFFFFAAAAA",
        "--json",
    ]));
    let ids: Vec<&str> = quiz["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    // Every card's page lives under its proposal; check the legislature
    // on the bundle card through `explain`'s own reading of the link.
    let link = quiz["link"].as_str().unwrap();
    let explained = json(&run(&["explain", link, "--json"]));
    let again: Vec<&str> = explained["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(again, ids);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site().join("data/manifest.json")).unwrap()).unwrap();
    // Card numbers of XVII are the last runs of the sampling table.
    let runs = manifest["sampling"]["runs"].as_array().unwrap();
    let before: u64 = runs
        .iter()
        .take_while(|r| r[0] != "XVII")
        .map(|r| r[2].as_u64().unwrap())
        .sum();
    assert!(runs
        .iter()
        .skip_while(|r| r[0] != "XVII")
        .all(|r| r[0] == "XVII"));
    for card in quiz["cards"].as_array().unwrap() {
        assert!(card["index"].as_u64().unwrap() >= before, "{card}");
    }

    let unknown = run(&[
        "quiz",
        "--seed",
        "5",
        "--legislature",
        "XC",
        "--answers",
        "F",
    ]);
    assert!(!unknown.status.success());
    let message = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        message.contains("no quiz cards of legislature \"XC\""),
        "{message}"
    );
    assert!(message.contains("XIV, XV, XVII"), "{message}");
}

#[test]
fn a_curated_deck_asks_the_chosen_proposals_in_order_and_names_unknown_ones() {
    // Three proposals of the default data whose decisive votes split the parties.
    let drawn = json(&run(&[
        "quiz",
        "--seed",
        "11",
        "--answers",
        "FFFFFFFFFF",
        "--json",
    ]));
    let chosen: Vec<&str> = drawn["cards"].as_array().unwrap()[..3]
        .iter()
        .rev()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let list = chosen.join(",");
    let quiz = json(&run(&[
        "quiz",
        "--seed",
        "1",
        "--proposals",
        &list,
        "--answers",
        "FAN",
        "--json",
    ]));
    let ids: Vec<&str> = quiz["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, chosen);
    let explained = json(&run(&["explain", quiz["link"].as_str().unwrap(), "--json"]));
    assert_eq!(explained["cards"], quiz["cards"]);

    let unknown = run(&[
        "quiz",
        "--seed",
        "1",
        "--proposals",
        &format!("{},999999999", chosen[0]),
        "--answers",
        "FF",
    ]);
    assert!(!unknown.status.success());
    let message = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        message.contains("not quiz cards on this site: 999999999"),
        "{message}"
    );
}

#[test]
fn answers_past_the_deck_continue_it_as_the_page_does_and_the_link_keeps_every_card() {
    // Abstaining everywhere never separates the parties: the deck goes on
    // to the cap, and not one card further.
    let all = "N".repeat(40);
    let quiz = json(&run(&["quiz", "--seed", "5", "--answers", &all, "--json"]));
    let cards = quiz["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 40);
    assert_eq!(quiz["cap"], 40);
    assert_eq!(quiz["compared_in"], "XVII");
    assert_eq!(quiz["ranking"]["verdict"]["kind"], "too-close-to-call");
    let link = quiz["link"].as_str().unwrap();
    let explained = json(&run(&["explain", link, "--json"]));
    assert_eq!(explained["cards"], quiz["cards"]);
    assert_eq!(explained["ranking"], quiz["ranking"]);

    let output = run(&["quiz", "--seed", "5", "--answers", &"N".repeat(41)]);
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("stops at 40 cards") && message.contains("the most a deck asks"),
        "{message}"
    );
    let output = run(&["quiz", "--seed", "5", "--answers", "FAN"]);
    assert!(!output.status.success());
}

#[test]
fn the_simulation_reports_every_seated_party_with_fractions_that_add_up() {
    let outcomes = json(&run(&["simulate", "--runs", "4", "--json"]));
    let outcomes = outcomes.as_array().unwrap();
    let parties: Vec<&str> = outcomes
        .iter()
        .map(|o| o["party"].as_str().unwrap())
        .collect();
    assert_eq!(
        parties,
        ["BE", "CDS-PP", "CH", "IL", "JPP", "L", "PAN", "PCP", "PS", "PSD"]
    );
    for outcome in outcomes {
        assert_eq!(outcome["runs"], 4);
        let share = |key: &str| outcome[key].as_f64().unwrap();
        let total = share("clear_correct") + share("clear_wrong") + share("undecided");
        assert!((total - 1.0).abs() < 1e-9, "{outcome}");
        let cards = share("mean_cards");
        assert!((10.0..=40.0).contains(&cards), "{outcome}");
    }
    let output = run(&["simulate", "--fidelity", "1.5"]);
    assert!(!output.status.success());
    // Capped at the deck's ten: never continued.
    let capped = json(&run(&["simulate", "--runs", "2", "--cap", "10", "--json"]));
    for outcome in capped.as_array().unwrap() {
        assert_eq!(outcome["mean_cards"], 10.0, "{outcome}");
    }
}

#[test]
fn a_tampered_bundle_file_is_refused_by_quiz_and_explain_naming_it() {
    let quiz = json(&run(&[
        "quiz",
        "--seed",
        "7",
        "--answers",
        "FAFAFAFAFA",
        "--json",
    ]));
    let link = quiz["link"].as_str().unwrap().to_owned();
    let first_card = quiz["cards"][0]["index"].as_u64().unwrap();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site().join("data/manifest.json")).unwrap()).unwrap();
    let shard = first_card / manifest["shard_size"].as_u64().unwrap();
    let name = format!("cards/{shard}.json");

    // A copy of the bundle whose first card's title was changed in place.
    let copy = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("hemiciclo-tampered-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&copy);
    std::fs::create_dir_all(copy.join("data/cards")).unwrap();
    for entry in std::fs::read_dir(site().join("data")).unwrap().flatten() {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), copy.join("data").join(entry.file_name())).unwrap();
        }
    }
    for entry in std::fs::read_dir(site().join("data/cards"))
        .unwrap()
        .flatten()
    {
        std::fs::copy(
            entry.path(),
            copy.join("data/cards").join(entry.file_name()),
        )
        .unwrap();
    }
    let path = copy.join("data").join(&name);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("\"title\":\"", "\"title\":\"Não ", 1)).unwrap();
    let in_copy = |args: &[&str]| hemiciclo(args).arg("--site").arg(&copy).output().unwrap();
    let refused = |output: Output, file: &str| {
        assert!(!output.status.success(), "a tampered {file} was accepted");
        let message = String::from_utf8_lossy(&output.stderr);
        assert!(
            message.contains(file) && message.contains("is not the file the site's build wrote"),
            "{message}"
        );
    };
    refused(
        in_copy(&["quiz", "--seed", "7", "--answers", "FAFAFAFAFA"]),
        &name,
    );
    refused(in_copy(&["explain", &link]), &name);

    // Put back, the copy explains to the same scores; a changed votes
    // table or checksum list is refused too.
    std::fs::write(&path, &text).unwrap();
    let explained = json(&in_copy(&["explain", &link, "--json"]));
    assert_eq!(explained["ranking"], quiz["ranking"]);
    let votes = copy.join("data/votes.json");
    let table = std::fs::read_to_string(&votes).unwrap();
    std::fs::write(&votes, table.replacen("\"votes\":[\"", "\"votes\":[\"F", 1)).unwrap();
    refused(
        in_copy(&[
            "quiz",
            "--seed",
            "7",
            "--answers",
            "FAFAFAFAFAFAFAFAFAFAFAFA",
        ]),
        "votes.json",
    );
    std::fs::write(&votes, &table).unwrap();
    let list = copy.join("data/checksums.json");
    let sums = std::fs::read_to_string(&list).unwrap();
    std::fs::write(&list, sums.replacen("\"shards\":[\"", "\"shards\":[\"0", 1)).unwrap();
    refused(in_copy(&["explain", &link]), "checksums.json");
    std::fs::remove_dir_all(&copy).unwrap();
}
