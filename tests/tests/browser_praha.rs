//! The Prague example (`examples/praha`, a Popolo export of a city
//! council), its quiz played end to end in headless Chromium.
//!
//! The test answers ten cards with a fixed pattern and checks every score
//! the results show against scores it computes here from the Popolo CSVs
//! by its own few lines, not through any hemiciclo crate: a member's group
//! is their `party` (with the two spellings of ANO as one, and the "bez PP"
//! members each on their own, as the example's site.toml says); a group's
//! position is what most of its voting members did, none when its top
//! sides are even; a document's card stands for its latest vote event (an
//! event whose stated totals differ from its votes left out); agreement is
//! 1 for the same side, ½ when either abstained, 0 for opposite sides; a
//! score is the mean over the answered cards where the group took a side.
//!
//! Needs `cargo xtask test` (which builds the example with the quiz module
//! and passes `HEMICICLO_PRAHA_SITE`), `chromedriver` and Chromium.

use fantoccini::{Client, Locator};
use hemiciclo_e2e::chromedriver::ChromeDriver;
use hemiciclo_e2e::diagnostics;
use hemiciclo_e2e::page::{wait_visible, WAIT};
use hemiciclo_e2e::paths;
use hemiciclo_e2e::server::StaticServer;
use hemiciclo_e2e::trap::TrapProxy;
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    For,
    Against,
    Abstain,
}

/// `None` is a skip.
const ANSWERS: [Option<Side>; 10] = [
    Some(Side::For),
    Some(Side::Against),
    Some(Side::Abstain),
    Some(Side::For),
    None,
    Some(Side::Against),
    Some(Side::For),
    Some(Side::For),
    Some(Side::Abstain),
    Some(Side::Against),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_prague_quiz_scores_the_clubs_as_their_members_voted() {
    in_browser("praha", "?seed=2016", &ANSWERS).await;
}

/// Cards where one club's members split evenly (Piráti two to two on
/// 33079, ANO 2011 on 33205, ČSSD on 33609): a random deck never has one,
/// since it draws among votes every seated club took a side on, but a
/// journalist's deck may, and the split club is scored without that card.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_split_club_is_not_scored_on_that_card() {
    let council = Council::load();
    for (card, club) in [
        ("33079", "Piráti"),
        ("33205", "ANO 2011"),
        ("33609", "ČSSD"),
    ] {
        let sides = council.sides(council.decisive(card));
        assert!(
            !sides.contains_key(club),
            "{club} split on {card}: {sides:?}"
        );
        assert!(sides.len() >= 5, "the other clubs took sides on {card}");
    }
    const ANSWERS: [Option<Side>; 3] = [Some(Side::For), Some(Side::Against), Some(Side::Abstain)];
    in_browser("praha-split", "?propostas=33079,33205,33609", &ANSWERS).await;
}

/// Serves the example, plays `query` with `answers` in a fresh browser and
/// checks the scores; the browser is closed on every path, and no request
/// may have left for another host.
async fn in_browser(label: &str, query: &str, answers: &'static [Option<Side>]) {
    let site = paths::praha_site_dir();
    let server = StaticServer::start(&site, "/");
    let url = format!("{}{query}", server.base_url());
    let trap = TrapProxy::start();
    let driver = ChromeDriver::spawn(label);
    let client = driver.connect(&trap.proxy_url()).await;
    let outcome = tokio::spawn(play_and_check(client.clone(), url, answers)).await;
    if outcome.is_err() {
        eprintln!("{}", diagnostics::page_report(&client).await);
    }
    let _ = client.close().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
    let recorded = trap.recorded();
    assert!(
        recorded.is_empty(),
        "requests to other hosts: {recorded:#?}"
    );
}

async fn play_and_check(client: Client, url: String, answers: &'static [Option<Side>]) {
    let council = Council::load();
    client.goto(&url).await.expect("open the quiz");
    wait_visible(&client, "[data-testid=start]:enabled")
        .await
        .click()
        .await
        .expect("start");
    let mut answered = Vec::new();
    for (i, answer) in answers.iter().enumerate() {
        let css = format!(
            "[data-testid=card][data-state=ready][data-card-index=\"{}\"]",
            i + 1
        );
        let card = wait_visible(&client, &css).await;
        let id = card
            .attr("data-proposal-id")
            .await
            .expect("read the card's id")
            .expect("the card has a proposal id");
        let title = client
            .execute(
                "return document.getElementById('card-title').textContent;",
                vec![],
            )
            .await
            .expect("read the title");
        let event = council.decisive(&id);
        assert_eq!(
            title.as_str(),
            Some(council.events[event].motion.as_str()),
            "card {id}: the title is the decisive event's motion"
        );
        let button = match answer {
            Some(Side::For) => "answer-for",
            Some(Side::Against) => "answer-against",
            Some(Side::Abstain) => "answer-abstain",
            None => "answer-skip",
        };
        card.find(Locator::Css(&format!("[data-testid={button}]")))
            .await
            .expect("the card has its answer buttons")
            .click()
            .await
            .expect("answer");
        if let Some(side) = answer {
            answered.push((event.to_owned(), *side));
        }
    }
    wait_visible(&client, "[data-testid=results]").await;
    let shown = shown_scores(&client).await;
    let expected = council.scores(&answered);
    assert!(expected.len() >= 5, "most clubs are scored: {expected:?}");
    let shown_actors: Vec<&String> = shown.keys().collect();
    let expected_actors: Vec<&String> = expected.keys().collect();
    assert_eq!(shown_actors, expected_actors, "who is scored");
    for (actor, (score, covered)) in &expected {
        let (shown_score, shown_covered) = &shown[actor];
        let shown_score: f64 = shown_score.parse().expect("data-score is a number");
        assert!(
            (shown_score - score).abs() < 5e-4,
            "{actor}: shown {shown_score}, expected {score:.4}"
        );
        assert_eq!(
            shown_covered,
            &covered.to_string(),
            "{actor}: cards counted"
        );
    }
    println!("{} scores as computed from the Popolo CSVs", expected.len());
}

/// `data-actor` → (`data-score`, `data-covered`) of every score shown.
async fn shown_scores(client: &Client) -> BTreeMap<String, (String, String)> {
    const READ: &str = "return Array.from(document.querySelectorAll(\
        '[data-testid=results] [data-testid=party-score]')).map(e => [\
        e.getAttribute('data-actor'), e.getAttribute('data-score'), \
        e.getAttribute('data-covered')]);";
    let deadline = Instant::now() + WAIT;
    loop {
        let value = client.execute(READ, vec![]).await.expect("read the scores");
        let rows: Vec<[String; 3]> = serde_json::from_value(value).expect("three attributes");
        if !rows.is_empty() || Instant::now() >= deadline {
            return rows
                .into_iter()
                .map(|[actor, score, covered]| (actor, (score, covered)))
                .collect();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

// ---------------------------------------------------------------------------
// The expected scores, from the Popolo CSVs.
// ---------------------------------------------------------------------------

#[derive(Debug)]
struct Event {
    date: String,
    id: u64,
    motion: String,
    document: String,
    stated: [String; 3],
}

#[derive(Debug)]
struct Council {
    events: HashMap<String, Event>,
    /// Per event, each member's group and option.
    votes: HashMap<String, Vec<(String, String)>>,
}

impl Council {
    fn load() -> Council {
        let dir = paths::praha_data_dir();
        let read = |name: &str| {
            let mut reader = csv::Reader::from_path(dir.join(name)).expect(name);
            let headers = reader.headers().expect("a header").clone();
            let rows: Vec<HashMap<String, String>> = reader
                .records()
                .map(|r| {
                    let r = r.expect("a row");
                    headers
                        .iter()
                        .zip(r.iter())
                        .map(|(h, c)| (h.to_owned(), c.trim().to_owned()))
                        .collect()
                })
                .collect();
            rows
        };
        let mut group = HashMap::new();
        for voter in read("voters.csv") {
            let actor = match voter["party"].as_str() {
                "bez PP" => voter["name"].clone(),
                "ANO" => "ANO 2011".to_owned(),
                party => party.to_owned(),
            };
            group.insert(voter["id"].clone(), actor);
        }
        let mut votes: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for vote in read("votes.csv") {
            votes
                .entry(vote["vote_event_id"].clone())
                .or_default()
                .push((group[&vote["voter_id"]].clone(), vote["option"].clone()));
        }
        let events = read("vote_events.csv")
            .into_iter()
            .map(|e| {
                let event = Event {
                    date: e["start_date"].clone(),
                    id: e["id"].parse().expect("numeric event ids"),
                    motion: e["motion:name"].clone(),
                    document: e["motion:document"].clone(),
                    stated: ["yes", "no", "abstain"]
                        .map(|o| e[&format!("counts:option:{o}")].clone()),
                };
                (e["id"].clone(), event)
            })
            .collect();
        Council { events, votes }
    }

    /// The vote event a card stands for: the event itself, or the latest
    /// event on the document (of those whose totals match their votes).
    fn decisive(&self, card: &str) -> &str {
        self.events
            .iter()
            .filter(|(id, e)| (e.document == card || id.as_str() == card) && self.totals_match(id))
            .max_by_key(|(_, e)| (e.date.as_str(), e.id))
            .map(|(id, _)| id.as_str())
            .unwrap_or_else(|| panic!("no vote event for the card {card}"))
    }

    fn totals_match(&self, event: &str) -> bool {
        let options = ["yes", "no", "abstain"];
        options
            .iter()
            .zip(&self.events[event].stated)
            .all(|(option, stated)| {
                let counted = self.votes[event]
                    .iter()
                    .filter(|(_, o)| o == option)
                    .count();
                stated.is_empty() || stated.parse() == Ok(counted)
            })
    }

    /// Each group's side in an event: what most of its voting members did;
    /// none when no member voted or the top sides are even.
    fn sides(&self, event: &str) -> BTreeMap<&str, Side> {
        let mut tallies: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
        for (group, option) in &self.votes[event] {
            let slot = match option.as_str() {
                "yes" => Some(0),
                "no" => Some(1),
                "abstain" => Some(2),
                _ => None,
            };
            let tally = tallies.entry(group.as_str()).or_default();
            if let Some(slot) = slot {
                tally[slot] += 1;
            }
        }
        tallies
            .into_iter()
            .filter_map(|(group, tally)| {
                let most = *tally.iter().max().expect("three counts");
                let top: Vec<usize> = (0..3).filter(|&i| tally[i] == most).collect();
                let side = [Side::For, Side::Against, Side::Abstain];
                (most > 0 && top.len() == 1).then(|| (group, side[top[0]]))
            })
            .collect()
    }

    /// Each group's (mean agreement, cards counted) over the answers.
    fn scores(&self, answered: &[(String, Side)]) -> BTreeMap<String, (f64, usize)> {
        let mut sums: BTreeMap<String, (f64, usize)> = BTreeMap::new();
        for (event, mine) in answered {
            for (group, theirs) in self.sides(event) {
                let agreement = if *mine == theirs {
                    1.0
                } else if *mine == Side::Abstain || theirs == Side::Abstain {
                    0.5
                } else {
                    0.0
                };
                let entry = sums.entry(group.to_owned()).or_default();
                entry.0 += agreement;
                entry.1 += 1;
            }
        }
        sums.into_iter()
            .map(|(group, (sum, n))| (group, (sum / n as f64, n)))
            .collect()
    }
}
