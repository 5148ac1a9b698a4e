//! The quiz, played end to end in headless Chromium against the built site.
//!
//! Each test serves the site, opens `index.html?seed=N`, swaps the first
//! card, marks the second important, answers the ten cards with a fixed
//! pattern and checks the party scores the page shows
//! against scores recomputed here, independently, from the project's vote
//! CSVs (deliberately not through any hemiciclo crate, so a bug shared by
//! the generator and the scorer cannot hide). It also checks that the deck
//! is reproducible from its seed and that the page never contacts another
//! host. The flow runs twice: with the site at `/` and under `/hemiciclo/`,
//! because the site promises to work under any sub-path.
//!
//! The results' share link is then given to `hemiciclo explain` (the
//! generator's library, the code the command runs), which must find the
//! same deck, scores and intervals; the link opened in the browser must
//! show the same results, and a damaged link a clear message.
//!
//! Needs the site built (`cargo xtask site`), `chromedriver` and Chromium.

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use hemiciclo_e2e::chromedriver::ChromeDriver;
use hemiciclo_e2e::diagnostics;
use hemiciclo_e2e::page::{open_all_details, wait_visible, WAIT};
use hemiciclo_e2e::paths;
use hemiciclo_e2e::server::StaticServer;
use hemiciclo_e2e::session::in_browser;
use hemiciclo_e2e::trap::TrapProxy;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const DECK_SIZE: usize = 10;

/// The card (0-based) marked important, which counts double; card 0 is
/// swapped before it is answered.
const IMPORTANT_CARD: usize = 1;

/// The answers given to cards 1..=10.
const ANSWERS: [Answer; DECK_SIZE] = [
    Answer::Vote(Position::For),
    Answer::Vote(Position::Against),
    Answer::Vote(Position::Abstain),
    Answer::Vote(Position::For),
    Answer::Skip,
    Answer::Vote(Position::Against),
    Answer::Vote(Position::For),
    Answer::Vote(Position::Against),
    Answer::Vote(Position::Abstain),
    Answer::Vote(Position::For),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiz_at_site_root() {
    run_scenario("root", "/", 20_240_425).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiz_under_sub_path() {
    run_scenario("subpath", "/hemiciclo/", 7).await;
}

/// A journalist's deck from the address: `?propostas=A,B,C` asks those
/// proposals in that order, and its share link explains to the same cards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curated_deck_from_the_address() {
    let site = paths::site_dir();
    let index: serde_json::Value = serde_json::from_slice(
        &std::fs::read(site.join("data/ids.json")).expect("the bundle's ids.json"),
    )
    .expect("ids.json is JSON");
    let ids = index["ids"].as_array().expect("an ids list");
    let chosen: Vec<String> = [ids.len() - 1, 7, ids.len() / 2]
        .iter()
        .map(|&i| ids[i].as_str().expect("an id").to_owned())
        .collect();
    let server = StaticServer::start(&site, "/");
    let url = format!("{}?propostas={}", server.base_url(), chosen.join(","));
    in_browser("curated", |client| async move {
        open_and_start(&client, &url).await;
        let mut asked = Vec::new();
        for k in 1..=chosen.len() {
            let card = wait_for_card(&client, k).await;
            asked.push(proposal_id(&card).await);
            answer_card(&card, k, Answer::Vote(Position::For)).await;
        }
        assert_eq!(asked, chosen, "the curated deck, in order");
        wait_visible(&client, "[data-testid=results]").await;
        let link = share_link(&client).await;
        let audit = hemiciclo::cli::audit::explain(
            &paths::site_dir(),
            &link,
            hemiciclo_core::Rule::Default,
        )
        .expect("explain the curated link");
        let explained: Vec<&str> = audit.cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(explained, chosen);
    })
    .await;
}

/// The editors' summary of a proposal shows under its card's title, in
/// the data's language; a card without one shows none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editors_summary_shows_under_its_cards_title() {
    let site = paths::site_dir();
    let mut summarised = None;
    let mut plain = None;
    for entry in std::fs::read_dir(site.join("data/cards")).expect("the bundle's shards") {
        let shard: serde_json::Value =
            serde_json::from_slice(&std::fs::read(entry.expect("a shard").path()).unwrap())
                .expect("a shard is JSON");
        for card in shard["cards"].as_array().expect("a shard's cards") {
            let id = card["id"].as_str().unwrap().to_owned();
            match card["summary"].as_str() {
                Some(summary) => summarised = Some((id, summary.to_owned())),
                None => plain = Some(id),
            }
        }
    }
    let (id, summary) = summarised.expect("the default site summarises a quiz card");
    let plain = plain.expect("a card without a summary");
    let server = StaticServer::start(&site, "/");
    let url = format!("{}?propostas={id},{plain}", server.base_url());
    in_browser("summary", |client| async move {
        open_and_start(&client, &url).await;
        let card = wait_for_card(&client, 1).await;
        let shown = wait_visible(&client, "#card-summary").await;
        assert_eq!(shown.text().await.unwrap(), summary);
        assert_eq!(
            shown.attr("lang").await.unwrap(),
            None,
            "the data's language is the page's"
        );
        answer_card(&card, 1, Answer::Vote(Position::For)).await;
        wait_for_card(&client, 2).await;
        let hidden = client.find(Locator::Css("#card-summary")).await.unwrap();
        assert!(
            !hidden.is_displayed().await.unwrap(),
            "no summary on a card without one"
        );
    })
    .await;
}

/// A copy of the site whose one shard had a title changed after the
/// build: the page asks both cards of a curated deck, then refuses to give
/// a verdict and names the changed file, in the page's language.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shard_changed_after_the_build_is_refused_before_the_verdict() {
    let site = paths::site_dir();
    let copy = paths::scratch_dir("tampered-site");
    link_tree(&site, &copy);
    let shard_path = copy.join("data/cards/0.json");
    let text = std::fs::read_to_string(&shard_path).expect("shard 0");
    let shard: serde_json::Value = serde_json::from_str(&text).expect("a shard is JSON");
    let ids: Vec<String> = shard["cards"].as_array().unwrap()[..2]
        .iter()
        .map(|card| card["id"].as_str().unwrap().to_owned())
        .collect();
    let title = shard["cards"][0]["title"].as_str().unwrap();
    // Unlinked first: the copy's files are hard links to the built site's.
    std::fs::remove_file(&shard_path).unwrap();
    std::fs::write(
        &shard_path,
        text.replacen(title, &format!("{title} (alterado)"), 1),
    )
    .unwrap();

    let server = StaticServer::start(&copy, "/");
    let url = format!("{}?propostas={}", server.base_url(), ids.join(","));
    in_browser("tampered", |client| async move {
        open_and_start(&client, &url).await;
        for k in 1..=2 {
            let card = wait_for_card(&client, k).await;
            answer_card(&card, k, Answer::Vote(Position::For)).await;
        }
        let deadline = Instant::now() + WAIT;
        let status = loop {
            let status = status_text(&client).await;
            if status.contains("cards/0.json") || Instant::now() > deadline {
                break status;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert!(
            status.contains("não é o que esta página esperava") && status.contains("cards/0.json"),
            "the page names the changed file: {status:?}"
        );
        assert!(
            !hemiciclo_e2e::page::results_shown(&client).await,
            "no verdict from a changed file"
        );
    })
    .await;
    std::fs::remove_dir_all(&copy).ok();
}

/// `to` as a tree of hard links to the files of `from`.
fn link_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            link_tree(&entry.path(), &target);
        } else {
            std::fs::hard_link(entry.path(), &target)
                .or_else(|_| std::fs::copy(entry.path(), &target).map(drop))
                .unwrap();
        }
    }
}

/// A citizen who answers every card as one party voted, on a deck whose
/// first ten cards leave the verdict open: the page offers to continue,
/// asks cards chosen to separate the leaders, and stops at a clear verdict
/// naming that party; `hemiciclo explain` of the page's own link gives the
/// same cards, scores and verdict.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_party_faithful_citizen_continues_to_a_clear_verdict() {
    const PARTY: &str = "PS";
    let site = paths::site_dir();
    let server = StaticServer::start(&site, "/");
    let base = server.base_url();
    in_browser("continue", |client| async move {
        // The first seed from 42 whose ten cards leave the verdict open.
        for seed in 42..52 {
            open_and_start(&client, &format!("{base}?seed={seed}")).await;
            let mut deck = Vec::new();
            for k in 1..=DECK_SIZE {
                let card = wait_for_card(&client, k).await;
                let id = proposal_id(&card).await;
                answer_card(&card, k, party_answer(PARTY, &id)).await;
                deck.push(id);
            }
            wait_visible(&client, "[data-testid=results]").await;
            let offer = client
                .find(Locator::Css("[data-testid=continue-offer]"))
                .await
                .expect("the results have a continue offer");
            if !offer.is_displayed().await.unwrap_or(false) {
                println!("seed {seed}: clear after {DECK_SIZE} cards, next seed");
                continue;
            }
            let verdict = verdict_shown(&client).await;
            assert_eq!(
                verdict.0, "too-close-to-call",
                "an offer means an open verdict"
            );
            click(&client, "[data-testid=continue]").await;
            // Continued cards until the results come back.
            let mut k = DECK_SIZE + 1;
            loop {
                let shown = wait_card_or_results(&client, k).await;
                let Some(card) = shown else { break };
                let progress = client
                    .find(Locator::Css("[data-testid=card-progress]"))
                    .await
                    .expect("the card shows its place")
                    .text()
                    .await
                    .expect("read the progress");
                assert_eq!(progress, format!("{k} de até 40"));
                let id = proposal_id(&card).await;
                assert!(!deck.contains(&id), "{id} asked twice");
                answer_card(&card, k, party_answer(PARTY, &id)).await;
                deck.push(id);
                k += 1;
                assert!(k <= 41, "more cards than the cap");
            }
            let (kind, actors) = verdict_shown(&client).await;
            assert!(
                kind == "leader" || kind == "alike",
                "a clear verdict at the end, not {kind} ({actors})"
            );
            assert!(
                actors.split(',').any(|a| a == PARTY),
                "the verdict names {PARTY}: {kind} {actors}"
            );
            assert!(deck.len() > DECK_SIZE, "the deck continued");
            let shown = shown_scores(&client).await;
            let link = share_link(&client).await;
            check_explain_agrees(&link, &deck, &shown);
            let audit = hemiciclo::cli::audit::explain(
                &paths::site_dir(),
                &link,
                hemiciclo_core::Rule::Default,
            )
            .expect("explain the continued deck's link");
            let explained = audit.ranking.verdict.actors();
            let explained: Vec<&str> = explained
                .iter()
                .map(|&a| audit.actors[a].0.as_str())
                .collect();
            assert_eq!(explained.join(","), actors, "explain's verdict");
            assert!(audit.ranking.verdict.is_clear());
            let (shared, code) = link.split_once('#').expect("a share link has a code");
            let here = client.current_url().await.expect("url");
            assert_eq!(
                here.fragment(),
                Some(code),
                "the address bar keeps the results"
            );
            if kind == "leader" {
                // A clear verdict is shared as its party's landing, which
                // previews as the party and shows the same results.
                assert_eq!(shared, format!("{base}v/{PARTY}/"));
                client.goto(&link).await.expect("open the shared link");
                wait_visible(&client, "[data-testid=results]").await;
                assert_eq!(verdict_shown(&client).await, (kind.clone(), actors.clone()));
                let image = client
                    .find(Locator::Css("meta[property='og:image']"))
                    .await
                    .expect("the landing has a preview image")
                    .attr("content")
                    .await
                    .unwrap()
                    .unwrap();
                assert!(image.ends_with(&format!("og/{PARTY}.png")), "{image}");
                assert!(paths::site_dir().join(format!("og/{PARTY}.png")).is_file());
            } else {
                assert_eq!(shared, base);
            }
            println!("seed {seed}: {kind} {actors} after {} cards", deck.len());
            return;
        }
        panic!("no deck of seeds 42-51 left the verdict open after ten cards");
    })
    .await;
}

/// Words of the Portuguese interface that English pages must not show.
/// Text from the data (titles, committees, parties' full names) is in
/// Portuguese too, so elements marked with another `lang` are left out.
const PORTUGUESE: &[&str] = &[
    "Legislatura",
    "Votações",
    "Votação",
    "Autoria",
    "Proponente",
    "Resultado",
    "Aprovado",
    "Rejeitado",
    "Abstenção",
    "Ausente",
    "Dividido",
    "Começar",
    "Saltar",
    "votaria",
    "Baralho",
    "proposta",
    "propostas",
    "partido",
    "partidos",
    "você",
    "não",
    "dados",
    "Temas",
    "Ligação",
    "regra",
    "Continuar",
    "unanimidade",
    "divisão",
    "oposição",
    "Governo",
    "Fase",
    "Contra",
    "favor",
    "Comissão",
    "Fonte",
    "Etapas",
    "quarentena",
    "Nenhum",
    "iniciativas",
    "Trocar",
    "Importante",
    "Quem",
    "Partilhar",
    "Jogar",
    "comparamos",
    "Resposta",
    "ficou",
    "votaram",
    "janeiro",
    "fevereiro",
    "março",
    "abril",
    "maio",
    "junho",
    "julho",
    "agosto",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
];

/// The Portuguese interface words in `text`.
fn portuguese_words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| PORTUGUESE.contains(word))
        .map(str::to_owned)
        .collect()
}

/// The text of a page the generator wrote, without its head, its scripts
/// and the elements marked as another language than English.
fn english_text(html: &str) -> String {
    let body = html.split("</head>").nth(1).unwrap_or(html);
    let mut text = String::new();
    let mut rest = body;
    // Element names whose closing tag ends the part to leave out, innermost last.
    let mut skipping: Vec<String> = Vec::new();
    while let Some(open) = rest.find('<') {
        if skipping.is_empty() {
            text.push_str(&rest[..open]);
        }
        let close = rest[open..].find('>').map_or(rest.len(), |i| open + i + 1);
        let tag = &rest[open + 1..close.saturating_sub(1)];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if let Some(inner) = tag.strip_prefix('/') {
            if skipping
                .last()
                .is_some_and(|s| inner.starts_with(s.as_str()))
            {
                skipping.pop();
            }
        } else {
            // Inside a part left out, every element that has a closing tag
            // nests; outside, a part starts at another language or a script.
            let nests = !skipping.is_empty()
                && !tag.ends_with('/')
                && !["br", "meta", "link", "input"].contains(&name.as_str());
            let other_language = tag.contains(" lang=\"") && !tag.contains(" lang=\"en");
            if nests || other_language || name == "script" {
                skipping.push(name);
            }
        }
        text.push(' ');
        rest = &rest[close..];
    }
    text.push_str(rest);
    text
}

#[test]
fn english_text_leaves_out_other_languages_and_markup() {
    let html = "<head><title>Votação</title></head><body><p>Votes <span lang=\"pt\">Votação <b>não</b></span> \
                <br>of <a href=\"x\" lang=\"en\">you</a></p><script>não</script></body>";
    let text = english_text(html);
    assert!(portuguese_words(&text).is_empty(), "{text}");
    assert!(
        text.contains("Votes") && text.contains("of") && text.contains("you"),
        "{text}"
    );
    assert_eq!(
        portuguese_words("Resultado: Contra, favor"),
        ["Contra", "Resultado", "favor"].map(String::from).into()
    );
}

/// Every page of the English tree, and the quiz played there up to its
/// results, shows no word of the Portuguese interface.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_english_site_speaks_english_only() {
    let site = paths::site_dir();
    let english = site.join("en");
    assert!(
        english.join("index.html").is_file(),
        "the default site builds an en/ tree"
    );
    let mut pages = 0;
    let mut folders = vec![english.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("list the English tree") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                let html = std::fs::read_to_string(&path).expect("read a page");
                assert!(html.contains("<html lang=\"en\">"), "{}", path.display());
                let found = portuguese_words(&english_text(&html));
                assert!(found.is_empty(), "{}: {found:?}", path.display());
                pages += 1;
            }
        }
    }
    assert!(pages > 3_000, "only {pages} English pages");

    let server = StaticServer::start(&site, "/");
    let url = format!("{}en/?seed=42", server.base_url());
    in_browser("english", |client| async move {
        // The page's text as a reader hears it: other languages left out.
        const SHOWN_TEXT: &str = "const page = document.body.cloneNode(true); \
            page.querySelectorAll('script, [lang]:not([lang^=en])').forEach((e) => e.remove()); \
            return page.textContent;";
        let english_only = |screen: &'static str| {
            let client = client.clone();
            async move {
                let text = client
                    .execute(SHOWN_TEXT, vec![])
                    .await
                    .expect("read the page");
                let text = text.as_str().unwrap_or_default().to_owned();
                let found = portuguese_words(&text);
                assert!(found.is_empty(), "{screen}: {found:?} in {text}");
            }
        };
        client.goto(&url).await.expect("open the English quiz");
        wait_visible(&client, "[data-testid=start]:not([disabled])").await;
        english_only("the intro").await;
        click(&client, "[data-testid=start]").await;
        let focused = || {
            let client = client.clone();
            async move {
                let id = client
                    .execute("return document.activeElement.id;", vec![])
                    .await
                    .expect("read the focus");
                id.as_str().unwrap_or_default().to_owned()
            }
        };
        let mut k = 1;
        while let Some(card) = wait_card_or_results(&client, k).await {
            english_only("a card").await;
            // A keyboard or screen-reader user lands on each new card.
            assert_eq!(focused().await, "card-title", "focus on card {k}");
            let id = proposal_id(&card).await;
            answer_card(&card, k, party_answer("PSD", &id)).await;
            k += 1;
            if k == DECK_SIZE + 3 {
                click(&client, "[data-testid=stop]").await;
            }
            if k == DECK_SIZE + 1 {
                wait_card_or_results(&client, k).await;
                if let Ok(offer) = client
                    .find(Locator::Css("[data-testid=continue-offer]"))
                    .await
                {
                    if offer.is_displayed().await.unwrap_or(false) {
                        english_only("the results with an offer to continue").await;
                        click(&client, "[data-testid=continue]").await;
                    }
                }
            }
        }
        open_all_details(&client).await;
        english_only("the results").await;
        assert_eq!(focused().await, "results-title", "focus on the results");
        let verdict = wait_visible(&client, "[data-testid=verdict]")
            .await
            .text()
            .await
            .expect("verdict");
        assert!(!verdict.is_empty());
        // A damaged link is explained in English too.
        let link = share_link(&client).await;
        let damaged = format!("{}x", &link[..link.len() - 1]);
        client.goto("about:blank").await.expect("leave the quiz");
        client.goto(&damaged).await.expect("open a damaged link");
        wait_visible(&client, "[data-testid=start]:enabled").await;
        let status = status_text(&client).await;
        assert!(portuguese_words(&status).is_empty(), "{status}");
        assert!(status.contains("results link"), "{status}");
    })
    .await;
}

/// How a citizen who always votes as `party` answers proposal `id`: the
/// party's position in the decisive vote, read from the CSVs; skip when it
/// had none.
fn party_answer(party: &str, id: &str) -> Answer {
    let rows = &votes().by_initiative[id];
    match decisive(rows).and_then(|vote| vote.positions.get(party)) {
        Some(&position) => Answer::Vote(position),
        None => Answer::Skip,
    }
}

/// The verdict's kind and the ids it names, as the page marks them.
async fn verdict_shown(client: &Client) -> (String, String) {
    let verdict = wait_visible(client, "[data-testid=verdict][data-verdict]").await;
    let kind = verdict
        .attr("data-verdict")
        .await
        .expect("read the verdict");
    let actors = verdict.attr("data-actors").await.expect("read the verdict");
    (kind.unwrap_or_default(), actors.unwrap_or_default())
}

async fn click(client: &Client, css: &str) {
    wait_visible(client, css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
}

/// Card `k` once shown, or `None` once the results are shown instead.
async fn wait_card_or_results(client: &Client, k: usize) -> Option<Element> {
    let card = format!("[data-testid=card][data-state=ready][data-card-index=\"{k}\"]");
    let deadline = Instant::now() + WAIT;
    loop {
        if let Ok(element) = client.find(Locator::Css(&card)).await {
            if element.is_displayed().await.unwrap_or(false) {
                return Some(element);
            }
        }
        if let Ok(results) = client.find(Locator::Css("[data-testid=results]")).await {
            if results.is_displayed().await.unwrap_or(false) {
                return None;
            }
        }
        assert!(
            Instant::now() < deadline,
            "neither card {k} nor the results after {WAIT:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

// ---------------------------------------------------------------------------
// Scenario: set-up, the checked flow, and teardown on every path.
// ---------------------------------------------------------------------------

/// Serves the site under `prefix`, plays the quiz with `seed` and checks it.
/// The client is closed whether the checks pass or panic.
async fn run_scenario(label: &str, prefix: &str, seed: u64) {
    let site = paths::site_dir();
    let server = StaticServer::start(&site, prefix);
    let trap = TrapProxy::start();
    let driver = ChromeDriver::spawn(label);
    let client = driver.connect(&trap.proxy_url()).await;

    let page = Page {
        url: format!("{}?seed={seed}", server.base_url()),
        origin: server.origin(),
        base: server.base_url(),
    };
    // A panic inside the spawned task comes back as an error here, so the
    // report and `close` below still run.
    let outcome = tokio::spawn(check_quiz(client.clone(), page)).await;
    if outcome.is_err() {
        eprintln!("==== {label}: browser test failed ====");
        eprintln!("{}", diagnostics::page_report(&client).await);
        eprintln!(
            "--- static server requests ---\n{}",
            server.request_log().join("\n")
        );
        eprintln!("--- trap proxy record ---\n{:?}", trap.recorded());
    }
    if let Err(e) = client.close().await {
        eprintln!("closing the WebDriver session failed: {e}");
    }
    match outcome {
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => panic!("the browser flow did not finish: {e}"),
        Ok(()) => {}
    }
    // After the browser is gone, so late requests are counted too.
    assert_no_outside_requests(&trap);
}

/// Where the quiz lives on the test server.
#[derive(Debug)]
struct Page {
    /// `<base>?seed=N`.
    url: String,
    /// `http://127.0.0.1:<port>`.
    origin: String,
    /// Origin plus site prefix; every resource must start with it.
    base: String,
}

/// The checked flow; panics on the first failed check.
async fn check_quiz(client: Client, page: Page) {
    let (deck, drawn_first) = play_quiz(&client, &page.url).await;
    check_deck_ids(&deck);

    let shown = shown_scores(&client).await;
    let answered: Vec<(&str, Answer)> = deck.iter().map(String::as_str).zip(ANSWERS).collect();
    let expected = expected_scores(votes(), &answered);
    check_scores(&shown, &expected);
    println!("deck {deck:?}: {} party scores as expected", expected.len());

    check_resources_are_local(&client, &page).await;

    let link = share_link(&client).await;
    check_explain_agrees(&link, &deck, &shown);
    check_link_reopens_the_results(&client, &link, &shown).await;
    check_damaged_link_is_explained(&client, &link).await;

    let first_again = first_card_id(&client, &page.url).await;
    assert_eq!(
        first_again, drawn_first,
        "the same seed must give the same first card ({})",
        page.url
    );
}

// ---------------------------------------------------------------------------
// Driving the page.
// ---------------------------------------------------------------------------

/// Opens the quiz, answers every card with [`ANSWERS`], waits for the
/// results, and returns the deck's proposal ids in order.
async fn play_quiz(client: &Client, url: &str) -> (Vec<String>, String) {
    open_and_start(client, url).await;
    let mut deck = Vec::with_capacity(DECK_SIZE);
    let drawn_first = proposal_id(&wait_for_card(client, 1).await).await;
    for (i, answer) in ANSWERS.iter().enumerate() {
        let mut card = wait_for_card(client, i + 1).await;
        if i == 0 {
            card = swap_card(client, &card, &drawn_first).await;
        }
        if i == IMPORTANT_CARD {
            let mark = card
                .find(Locator::Css("[data-testid=important]"))
                .await
                .expect("the card has an importance mark");
            mark.click().await.expect("mark the card important");
        }
        deck.push(proposal_id(&card).await);
        answer_card(&card, i + 1, *answer).await;
    }
    wait_visible(client, "[data-testid=results]").await;
    (deck, drawn_first)
}

/// Swaps the first card and waits for its replacement to be shown.
async fn swap_card(client: &Client, card: &Element, drawn: &str) -> Element {
    let swap = card
        .find(Locator::Css("[data-testid=swap]"))
        .await
        .expect("the card has a swap button");
    swap.click().await.expect("click swap");
    let deadline = Instant::now() + WAIT;
    loop {
        let card = wait_for_card(client, 1).await;
        if proposal_id(&card).await != drawn {
            return card;
        }
        assert!(
            Instant::now() < deadline,
            "the swap never showed another card"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Loads `url` again, starts and returns the first card's proposal id.
async fn first_card_id(client: &Client, url: &str) -> String {
    open_and_start(client, url).await;
    proposal_id(&wait_for_card(client, 1).await).await
}

async fn open_and_start(client: &Client, url: &str) {
    client.goto(url).await.expect("navigate to the quiz");
    // The button may be shown disabled until the quiz module is ready.
    let start = wait_visible(client, "[data-testid=start]:enabled").await;
    start.click().await.expect("click start");
}

/// Waits until card `k` (1-based) is shown and accepts answers.
async fn wait_for_card(client: &Client, k: usize) -> Element {
    let css = format!("[data-testid=card][data-state=ready][data-card-index=\"{k}\"]");
    wait_visible(client, &css).await
}

async fn answer_card(card: &Element, k: usize, answer: Answer) {
    let css = format!("[data-testid={}]", answer.test_id());
    let button = card
        .find(Locator::Css(&css))
        .await
        .unwrap_or_else(|e| panic!("card {k} has no {css}: {e}"));
    button
        .click()
        .await
        .unwrap_or_else(|e| panic!("cannot click {css} on card {k}: {e}"));
}

async fn proposal_id(card: &Element) -> String {
    card.attr("data-proposal-id")
        .await
        .expect("read data-proposal-id")
        .filter(|id| !id.is_empty())
        .expect("the card has a data-proposal-id")
}

/// A party score as the page shows it.
#[derive(Debug, PartialEq)]
struct ShownScore {
    actor: String,
    score: String,
    covered: String,
    low: String,
    high: String,
}

/// Reads every `party-score` in the results, waiting (bounded) until the
/// list is filled in case the page renders it after showing the panel.
async fn shown_scores(client: &Client) -> Vec<ShownScore> {
    const READ: &str = "return Array.from(document.querySelectorAll(\
        '[data-testid=results] [data-testid=party-score]')).map(e => [\
        e.getAttribute('data-actor'), e.getAttribute('data-score'), e.getAttribute('data-covered'),\
        e.getAttribute('data-low'), e.getAttribute('data-high')]);";
    let deadline = Instant::now() + WAIT;
    loop {
        let value = client
            .execute(READ, vec![])
            .await
            .expect("read party scores");
        let rows: Vec<[Option<String>; 5]> = serde_json::from_value(value)
            .expect("party scores as [actor, score, covered, low, high]");
        if !rows.is_empty() || Instant::now() >= deadline {
            return rows
                .into_iter()
                .map(|[actor, score, covered, low, high]| ShownScore {
                    actor: actor.expect("party-score has data-actor"),
                    score: score.expect("party-score has data-score"),
                    covered: covered.expect("party-score has data-covered"),
                    low: low.expect("party-score has data-low"),
                    high: high.expect("party-score has data-high"),
                })
                .collect();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The results' share link, once the page has written it.
async fn share_link(client: &Client) -> String {
    let link = wait_visible(client, "[data-testid=share-link][href*='#']").await;
    link.attr("href")
        .await
        .expect("read the share link")
        .expect("the share link has an href")
}

/// The page's status line.
async fn status_text(client: &Client) -> String {
    let status = client
        .find(Locator::Id("quiz-status"))
        .await
        .expect("the page has a status line");
    status.text().await.expect("read the status line")
}

// ---------------------------------------------------------------------------
// Checks.
// ---------------------------------------------------------------------------

/// `hemiciclo explain LINK` on the same site recomputes the page's result.
fn check_explain_agrees(link: &str, deck: &[String], shown: &[ShownScore]) {
    use hemiciclo::cli::audit::explain;
    use hemiciclo_core::Rule;
    let audit = explain(&paths::site_dir(), link, Rule::Default)
        .unwrap_or_else(|e| panic!("hemiciclo explain {link}: {e:#}"));
    let ids: Vec<&str> = audit.cards.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, deck, "explain's deck vs the deck the page asked");
    assert!(
        link.ends_with(&format!("#{}", audit.link)),
        "{link} vs {}",
        audit.link
    );
    // The page prints ten-thousandths as the core rounds them.
    let fmt = |x: u32| format!("{}.{:04}", x / 10_000, x % 10_000);
    let explained: Vec<ShownScore> = audit
        .ranking
        .scores
        .iter()
        .chain(&audit.ranking.apart)
        .filter_map(|s| {
            let (low, high) = s.interval_per_ten_thousand();
            Some(ShownScore {
                actor: audit.actors[s.actor].0.clone(),
                score: fmt(s.per_ten_thousand()?),
                covered: s.covered.to_string(),
                low: fmt(low),
                high: fmt(high),
            })
        })
        .collect();
    assert_eq!(explained, shown, "explain vs the page, in ranking order");
}

/// The link opened afresh shows the same results without a question.
async fn check_link_reopens_the_results(client: &Client, link: &str, shown: &[ShownScore]) {
    // From another page: a change of fragment alone would not reload.
    client.goto("about:blank").await.expect("leave the quiz");
    client.goto(link).await.expect("open the share link");
    wait_visible(client, "[data-testid=results]").await;
    // Answer by answer for the first party: one line per card.
    let answers = client
        .find_all(Locator::Css(
            "[data-testid=result-list] [data-testid=party-score]:first-child [data-testid=party-answers] li",
        ))
        .await
        .expect("read the first party's answers");
    assert_eq!(answers.len(), DECK_SIZE, "the first party's answers");
    assert_eq!(
        share_link(client).await,
        link,
        "the reopened page's own link"
    );
    assert_eq!(shown_scores(client).await, shown, "the reopened results");
}

/// One character changed: the page says the link is damaged and offers a
/// new quiz; `explain` refuses it too.
async fn check_damaged_link_is_explained(client: &Client, link: &str) {
    let mut damaged = link.to_owned().into_bytes();
    let last = damaged.len() - 3;
    damaged[last] = if damaged[last] == b'A' { b'B' } else { b'A' };
    let damaged = String::from_utf8(damaged).expect("ASCII link");
    client.goto("about:blank").await.expect("leave the quiz");
    client.goto(&damaged).await.expect("open the damaged link");
    wait_visible(client, "[data-testid=start]:enabled").await;
    let status = status_text(client).await;
    assert!(
        status.contains("danificada") && status.contains("questionário novo"),
        "status for a damaged link: {status:?}"
    );
    let error =
        hemiciclo::cli::audit::explain(&paths::site_dir(), &damaged, hemiciclo_core::Rule::Default)
            .expect_err("explain must refuse a damaged link");
    assert!(format!("{error:#}").contains("damaged"), "{error:#}");
}

fn check_deck_ids(deck: &[String]) {
    assert_eq!(deck.len(), DECK_SIZE, "deck: {deck:?}");
    let distinct: BTreeSet<&String> = deck.iter().collect();
    assert_eq!(
        distinct.len(),
        DECK_SIZE,
        "repeated proposal ids in {deck:?}"
    );
    for id in deck {
        assert!(
            votes().by_initiative.contains_key(id),
            "proposal id {id} is not an iniId in data/ar-votes"
        );
    }
}

fn check_scores(shown: &[ShownScore], expected: &BTreeMap<String, Expected>) {
    let shown_actors: BTreeSet<&str> = shown.iter().map(|s| s.actor.as_str()).collect();
    let expected_actors: BTreeSet<&str> = expected.keys().map(String::as_str).collect();
    assert_eq!(
        shown_actors, expected_actors,
        "actors shown vs expected (expected scores: {expected:?})"
    );
    assert_eq!(
        shown.len(),
        shown_actors.len(),
        "an actor is shown twice: {shown:?}"
    );
    for s in shown {
        let want = &expected[&s.actor];
        let decimals = s.score.split_once('.').map(|(_, d)| d.len());
        assert_eq!(
            decimals,
            Some(4),
            "{}: score {:?} needs 4 decimals",
            s.actor,
            s.score
        );
        let score: f64 = s.score.parse().expect("data-score is a number");
        assert!(
            (score - want.score).abs() < 5e-4,
            "{}: shown score {} but expected {:.4} ({want:?})",
            s.actor,
            s.score,
            want.score
        );
        assert_eq!(
            s.covered,
            want.covered.to_string(),
            "{}: data-covered ({want:?})",
            s.actor
        );
    }
}

/// Every resource the page loaded must come from the test server, under
/// the site's prefix (all site URLs are relative). The one exception is
/// `<origin>/favicon.ico`, which Chromium requests by itself when a page
/// declares no icon.
async fn check_resources_are_local(client: &Client, page: &Page) {
    let value = client
        .execute(
            "return performance.getEntriesByType('resource').map(e => e.name);",
            vec![],
        )
        .await
        .expect("read resource timing entries");
    let names: Vec<String> = serde_json::from_value(value).expect("resource names");
    let browser_favicon = format!("{}/favicon.ico", page.origin);
    let stray: Vec<&String> = names
        .iter()
        .filter(|name| !name.starts_with(&page.base) && **name != browser_favicon)
        .collect();
    assert!(
        stray.is_empty(),
        "resources not under {}: {stray:?}",
        page.base
    );
}

fn assert_no_outside_requests(trap: &TrapProxy) {
    let recorded = trap.recorded();
    assert!(
        recorded.is_empty(),
        "the browser tried to reach other hosts (via the trap proxy): {recorded:#?}"
    );
}

// ---------------------------------------------------------------------------
// Expected scores, recomputed from the CSVs.
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Position {
    For,
    Against,
    Abstain,
}

impl Position {
    /// A CSV cell; `Ausência` and empty are no position.
    fn from_cell(cell: &str) -> Option<Self> {
        match cell {
            "A Favor" => Some(Position::For),
            "Contra" => Some(Position::Against),
            "Abstenção" => Some(Position::Abstain),
            _ => None,
        }
    }

    /// 1 when equal, ½ when exactly one side abstained, 0 when opposite.
    fn agreement(self, other: Position) -> f64 {
        if self == other {
            1.0
        } else if self == Position::Abstain || other == Position::Abstain {
            0.5
        } else {
            0.0
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Answer {
    Vote(Position),
    Skip,
}

impl Answer {
    fn test_id(self) -> &'static str {
        match self {
            Answer::Vote(Position::For) => "answer-for",
            Answer::Vote(Position::Against) => "answer-against",
            Answer::Vote(Position::Abstain) => "answer-abstain",
            Answer::Skip => "answer-skip",
        }
    }
}

/// One actor's expected agreement.
#[derive(Debug)]
struct Expected {
    score: f64,
    covered: usize,
}

/// One CSV row (one plenary vote), reduced to what scoring needs.
#[derive(Debug)]
struct VoteRow {
    phase: String,
    description: String,
    date: String,
    id: u64,
    /// Actor column → position, only for cells holding one.
    positions: HashMap<String, Position>,
}

#[derive(Debug)]
struct Votes {
    by_initiative: HashMap<String, Vec<VoteRow>>,
}

/// The CSVs, parsed once for all tests in this binary.
fn votes() -> &'static Votes {
    static VOTES: OnceLock<Votes> = OnceLock::new();
    VOTES.get_or_init(|| Votes::load(&paths::votes_dir()))
}

impl Votes {
    /// Reads every `*.csv` in `dir`. The files' column sets differ, so
    /// columns are looked up by name in each.
    fn load(dir: &Path) -> Votes {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .map(|entry| entry.expect("directory entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "csv"))
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no CSVs in {}", dir.display());
        let mut by_initiative: HashMap<String, Vec<VoteRow>> = HashMap::new();
        for file in files {
            for (initiative, row) in read_csv(&file) {
                by_initiative.entry(initiative).or_default().push(row);
            }
        }
        Votes { by_initiative }
    }
}

/// `(iniId, row)` for each row of one CSV.
fn read_csv(file: &Path) -> Vec<(String, VoteRow)> {
    /// Values that make a column an actor column ("Ausência" included).
    const VOTE_VALUES: [&str; 4] = ["A Favor", "Contra", "Abstenção", "Ausência"];
    let mut reader =
        csv::Reader::from_path(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let headers = reader.headers().expect("CSV header").clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{}: no column {name}", file.display()))
    };
    let (ini, id, phase, description, date) = (
        column("iniId"),
        column("id"),
        column("fase"),
        column("descricao"),
        column("data"),
    );
    reader
        .records()
        .map(|record| {
            let record = record.unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let positions = headers
                .iter()
                .zip(record.iter())
                .filter(|(_, cell)| VOTE_VALUES.contains(cell))
                .filter_map(|(actor, cell)| Some((actor.to_string(), Position::from_cell(cell)?)))
                .collect();
            let row = VoteRow {
                phase: record[phase].to_string(),
                description: record[description].to_string(),
                date: record[date].to_string(),
                id: record[id].parse().expect("numeric vote id"),
                positions,
            };
            (record[ini].to_string(), row)
        })
        .collect()
}

/// The vote that stands for an initiative: the final (or global) vote, else
/// the vote in general, else the deliberation; within a phase, a vote on
/// the whole text (empty `descricao`) before amendments, then the latest
/// date, then the highest vote id.
fn decisive(rows: &[VoteRow]) -> Option<&VoteRow> {
    const PHASES: [&[&str]; 3] = [
        &["Votação final global", "Votação global"],
        &["Votação na generalidade"],
        &["Votação Deliberação"],
    ];
    PHASES.iter().find_map(|phase| {
        rows.iter()
            .filter(|row| phase.contains(&row.phase.as_str()))
            .max_by_key(|row| (row.description.is_empty(), row.date.as_str(), row.id))
    })
}

/// Mean agreement per actor over the answered (non-skipped) cards on which
/// the actor has a position.
fn expected_scores(votes: &Votes, answered: &[(&str, Answer)]) -> BTreeMap<String, Expected> {
    let mut sums: BTreeMap<String, (f64, f64, usize)> = BTreeMap::new();
    for (place, &(initiative, answer)) in answered.iter().enumerate() {
        let Answer::Vote(mine) = answer else { continue };
        let weight = if place == IMPORTANT_CARD { 2.0 } else { 1.0 };
        let rows = &votes.by_initiative[initiative];
        let Some(vote) = decisive(rows) else { continue };
        for (actor, theirs) in &vote.positions {
            let entry = sums.entry(actor.clone()).or_default();
            entry.0 += weight * mine.agreement(*theirs);
            entry.1 += weight;
            entry.2 += 1;
        }
    }
    sums.into_iter()
        .map(|(actor, (sum, weight, covered))| {
            let score = sum / weight;
            (actor, Expected { score, covered })
        })
        .collect()
}
