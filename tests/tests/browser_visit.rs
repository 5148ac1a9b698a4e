//! A citizen's visit as it really goes: interrupted by a reload, a look at
//! a proposal's page and Back, played with the keyboard alone, its results
//! link taken from the address bar. Nothing of their work may be lost, and
//! the very same answers must give the very same results.
//!
//! Needs the site built (`cargo xtask site`), `chromedriver` and Chromium.

use fantoccini::{Client, Locator};
use hemiciclo_e2e::page::{
    card_id, focused_id, open_and_start, press, results_shown, shown_scores, wait_for_card,
    wait_visible,
};
use hemiciclo_e2e::paths;
use hemiciclo_e2e::server::StaticServer;
use hemiciclo_e2e::session::in_browser;

/// The answers given, card by card, in both plays of the same deck.
const ANSWERS: [&str; 10] = [
    "for", "against", "skip", "for", "against", "abstain", "for", "for", "against", "skip",
];
const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";

/// A reload at card 4 and Back from a proposal's page at card 6 both land
/// on the same card with the answers kept; the finished quiz has the same
/// results link as one played without a break; "forget my answers" leaves
/// nothing in the browser and starts afresh.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_or_back_carries_on_and_forgetting_starts_afresh() {
    let server = StaticServer::start(&paths::site_dir(), "/");
    let url = format!("{}?seed=5", server.base_url());
    in_browser("visit", |client| async move {
        let straight = play(&client, &url, &[]).await;
        clear_storage(&client).await;
        let interrupted = play(&client, &url, &[Break::Reload(4), Break::Back(6)]).await;
        assert_eq!(
            interrupted, straight,
            "the same answers, interrupted, must give the same results link"
        );

        // After the results a reload keeps them, and forgetting clears all.
        let scores = shown_scores(&client).await;
        client.refresh().await.expect("reload the results");
        assert_eq!(
            shown_scores(&client).await,
            scores,
            "a reload keeps the results"
        );
        assert!(results_shown(&client).await);
        wait_visible(&client, "[data-testid=forget]")
            .await
            .click()
            .await
            .expect("click forget");
        wait_visible(&client, "[data-testid=start]:enabled").await;
        assert_eq!(
            kept_items(&client).await,
            0,
            "forgetting leaves nothing kept"
        );
        let cookies = client
            .execute("return document.cookie;", vec![])
            .await
            .expect("read the cookies");
        assert_eq!(cookies, "", "the site sets no cookie");
        let address = client.current_url().await.expect("the address");
        assert_eq!(
            address.fragment(),
            None,
            "the results link left the address bar"
        );
    })
    .await;
}

/// With the keyboard alone: Tab to Start, Enter, keys 1 to 4 on each card
/// (the focus on each card's title, then on the results' heading); the
/// address bar then holds the results link, which reopened elsewhere shows
/// the same scores.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyboard_only_and_the_link_from_the_address_bar() {
    let server = StaticServer::start(&paths::site_dir(), "/");
    let url = format!("{}?seed=9&cartas=4", server.base_url());
    in_browser("keyboard", |client| async move {
        client.goto(&url).await.expect("open the quiz");
        wait_visible(&client, "[data-testid=start]:enabled").await;
        let mut tabs = 0;
        while focused_id(&client).await != "start" {
            press(&client, TAB).await;
            tabs += 1;
            assert!(tabs < 30, "Tab never reached the start button");
        }
        press(&client, ENTER).await;
        for (k, key) in ["1", "2", "3", "4"].into_iter().enumerate() {
            wait_for_card(&client, k + 1).await;
            assert_eq!(focused_id(&client).await, "card-title", "card {}", k + 1);
            press(&client, key).await;
        }
        wait_visible(&client, "[data-testid=results]").await;
        let scores = shown_scores(&client).await;
        assert_eq!(focused_id(&client).await, "results-title");
        let answers: Vec<String> = client
            .execute(
                "return Array.from(document.querySelectorAll('#result-list li:first-child .answer-list li'), (li) => li.textContent);",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        assert_eq!(answers.len(), 4, "four answers listed: {answers:?}");

        let address = client.current_url().await.expect("the address").to_string();
        let share = wait_visible(&client, "[data-testid=share-link][href*='#']")
            .await
            .attr("href")
            .await
            .expect("read the share link")
            .expect("a share link");
        assert_eq!(address, share, "the address bar holds the results link");

        // Elsewhere: nothing kept, the link alone.
        clear_storage(&client).await;
        client.goto("about:blank").await.expect("leave");
        client.goto(&address).await.expect("open the link");
        assert_eq!(shown_scores(&client).await, scores);
    })
    .await;
}

/// Where the play is interrupted: a reload or a visit to the card's
/// proposal page and Back, when card `k` is on screen.
#[derive(Clone, Copy, PartialEq)]
enum Break {
    Reload(usize),
    Back(usize),
}

/// Plays the deck at `url` with [`ANSWERS`], interrupted as `breaks` say;
/// returns the results link.
async fn play(client: &Client, url: &str, breaks: &[Break]) -> String {
    open_and_start(client, url).await;
    for (i, answer) in ANSWERS.iter().enumerate() {
        let k = i + 1;
        let mut card = wait_for_card(client, k).await;
        let id = card_id(&card).await;
        if breaks.contains(&Break::Reload(k)) {
            client.refresh().await.expect("reload");
            card = wait_for_card(client, k).await;
            wait_visible(client, "[data-testid=saved]").await;
        }
        if breaks.contains(&Break::Back(k)) {
            card.find(Locator::Id("card-link"))
                .await
                .expect("the card links its proposal")
                .click()
                .await
                .expect("open the proposal's page");
            wait_visible(client, "main.proposal").await;
            client.back().await.expect("Back");
            card = wait_for_card(client, k).await;
        }
        assert_eq!(
            card_id(&card).await,
            id,
            "card {k} is the same after a break"
        );
        card.find(Locator::Css(&format!("[data-testid=answer-{answer}]")))
            .await
            .expect("an answer button")
            .click()
            .await
            .unwrap_or_else(|e| panic!("answer card {k}: {e}"));
    }
    wait_visible(client, "[data-testid=results]").await;
    wait_visible(client, "[data-testid=share-link][href*='#']")
        .await
        .attr("data-code")
        .await
        .expect("read the code")
        .expect("a results code")
}

async fn clear_storage(client: &Client) {
    client
        .execute("localStorage.clear();", vec![])
        .await
        .expect("clear the storage");
}

/// How many items this site keeps in localStorage.
async fn kept_items(client: &Client) -> u64 {
    client
        .execute("return localStorage.length;", vec![])
        .await
        .expect("read the storage")
        .as_u64()
        .expect("a count")
}
