//! The quiz embedded in a news article: an article page served from a
//! second 127.0.0.1 port pastes `embed.js`, which creates the iframe of the
//! site's `embed/` page; the quiz inside posts its height and the loader
//! resizes the iframe — but only on messages from the quiz's origin and
//! frame, never on a message the article's own origin posts.
//!
//! Needs the site built (`cargo xtask site`), `chromedriver` and Chromium.

use fantoccini::{Client, Locator};
use hemiciclo_e2e::page::{open_and_start, shown_scores, wait_for_card, wait_visible, WAIT};
use hemiciclo_e2e::paths;
use hemiciclo_e2e::server::StaticServer;
use hemiciclo_e2e::session::in_browser;
use serde_json::Value;
use std::time::{Duration, Instant};

/// Records every message the article receives, for the test to read.
const RECORDER: &str =
    "window.heard = []; addEventListener('message', (e) => window.heard.push({origin: e.origin, data: e.data}));";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_article_embeds_the_quiz_and_fits_it_to_its_height() {
    let site = StaticServer::start(&paths::site_dir(), "/");
    let quiz_origin = site.origin();
    let article_dir = paths::scratch_dir("embed-article");
    std::fs::write(article_dir.join("recorder.js"), RECORDER).expect("write the recorder");
    std::fs::write(
        article_dir.join("index.html"),
        format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>An article</title>\
             <script src=\"recorder.js\"></script></head><body><h1>News of the day</h1><p>Before the quiz.</p>\
             <div data-hemiciclo data-lang=\"en\" data-size=\"3\" data-seed=\"5\" data-title=\"How would you vote?\"></div>\
             <p>After the quiz.</p><script src=\"{quiz_origin}/embed.js\" async></script></body></html>"
        ),
    )
    .expect("write the article");
    let article = StaticServer::start(&article_dir, "/");
    let article_url = article.base_url();
    let article_origin = article.origin();
    assert_ne!(article_origin, quiz_origin, "two origins");

    in_browser("embed", |client| async move {
        client.goto(&article_url).await.expect("open the article");
        let frame = wait_visible(&client, "[data-hemiciclo] iframe").await;
        let src = frame.attr("src").await.expect("read src").expect("a src");
        assert_eq!(src, format!("{quiz_origin}/en/embed/?size=3&seed=5"));
        assert_eq!(
            frame.attr("title").await.expect("read title").as_deref(),
            Some("How would you vote?")
        );
        let first = fitted_height(&client, &quiz_origin, 0).await;

        // The article's own origin posts a height: the loader ignores it.
        client
            .execute(
                "window.postMessage({type: 'hemiciclo:height', height: 7}, '*');",
                vec![],
            )
            .await
            .expect("post a foreign message");
        wait_heard(&client, &article_origin).await;
        assert_eq!(
            iframe_height(&client).await,
            first,
            "a foreign message resized the quiz"
        );

        // The quiz, played inside the frame, in English, to its results.
        frame.enter_frame().await.expect("enter the quiz's frame");
        wait_visible(&client, "[data-testid=start]:enabled")
            .await
            .click()
            .await
            .expect("start");
        for k in 1..=3 {
            wait_for_card(&client, k)
                .await
                .find(Locator::Css("[data-testid=answer-against]"))
                .await
                .expect("an answer")
                .click()
                .await
                .expect("answer");
        }
        assert!(!shown_scores(&client).await.is_empty());
        let heading = wait_visible(&client, "#results-title")
            .await
            .text()
            .await
            .expect("heading");
        assert_eq!(heading, "Who voted like you");
        let share = wait_visible(&client, "[data-testid=share-link][href*='#']")
            .await
            .attr("href")
            .await
            .expect("read the link")
            .expect("a link");
        assert!(
            share.starts_with(&format!("{quiz_origin}/en/#")),
            "an embed's results link opens the site itself: {share}"
        );
        client
            .enter_parent_frame()
            .await
            .expect("back to the article");

        // The results are taller than the intro: the iframe grew to fit.
        let last = fitted_height(&client, &quiz_origin, first).await;
        assert!(last > first, "the iframe did not grow: {first} then {last}");
    })
    .await;

    // The same quiz page can be opened straight, as the loader's fallback.
    let direct = format!("{}embed/?size=2&seed=1&theme=dark", site.base_url());
    in_browser("embed-direct", |client| async move {
        open_and_start(&client, &direct).await;
        wait_for_card(&client, 1).await;
        let theme = client
            .execute("return document.documentElement.dataset.theme;", vec![])
            .await
            .expect("read the theme");
        assert_eq!(theme, "dark");
    })
    .await;
}

/// The iframe's height in CSS pixels, as the loader set it.
async fn iframe_height(client: &Client) -> u64 {
    let value = client
        .execute(
            "return parseInt(document.querySelector('[data-hemiciclo] iframe').style.height, 10) || 0;",
            vec![],
        )
        .await
        .expect("read the iframe's height");
    value.as_u64().unwrap_or_default()
}

/// The messages the article heard, as `(origin, data)`.
async fn heard(client: &Client) -> Vec<(String, Value)> {
    let value = client
        .execute("return window.heard || [];", vec![])
        .await
        .expect("read the messages");
    value
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|m| {
            (
                m["origin"].as_str().unwrap_or_default().to_owned(),
                m["data"].clone(),
            )
        })
        .collect()
}

async fn wait_heard(client: &Client, origin: &str) {
    let deadline = Instant::now() + WAIT;
    while !heard(client).await.iter().any(|(o, _)| o == origin) {
        assert!(Instant::now() < deadline, "no message from {origin}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the quiz's latest height message (other than `not`) is the
/// iframe's height; returns it. Checks each message's form on the way.
async fn fitted_height(client: &Client, quiz_origin: &str, not: u64) -> u64 {
    let deadline = Instant::now() + WAIT;
    loop {
        let heights: Vec<u64> = heard(client)
            .await
            .into_iter()
            .filter(|(origin, _)| origin == quiz_origin)
            .map(|(_, data)| {
                assert_eq!(
                    data["type"], "hemiciclo:height",
                    "a message of another form: {data}"
                );
                data["height"]
                    .as_u64()
                    .unwrap_or_else(|| panic!("a height in whole pixels: {data}"))
            })
            .collect();
        let shown = iframe_height(client).await;
        if let Some(&last) = heights.last() {
            if last != not && last == shown {
                return last;
            }
        }
        assert!(
            Instant::now() < deadline,
            "the iframe ({shown}px) never fitted the heights posted: {heights:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
