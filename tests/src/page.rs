//! Waiting on the page: what every browser test polls for.

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use std::time::{Duration, Instant};

/// Upper bound for any single wait; generous because CI machines are slow
/// and nothing here asserts on timing.
pub const WAIT: Duration = Duration::from_secs(30);

/// Polls until an element matching `css` exists and is displayed.
pub async fn wait_visible(client: &Client, css: &str) -> Element {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Ok(element) = client.find(Locator::Css(css)).await {
            if element.is_displayed().await.unwrap_or(false) {
                return element;
            }
        }
        assert!(
            Instant::now() < deadline,
            "no visible `{css}` after {WAIT:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Opens `url` and clicks Start once the first question is ready.
pub async fn open_and_start(client: &Client, url: &str) {
    client
        .goto(url)
        .await
        .unwrap_or_else(|e| panic!("open {url}: {e}"));
    wait_visible(client, "[data-testid=start]:enabled")
        .await
        .click()
        .await
        .expect("click start");
}

/// Waits until card `k` (1-based) is shown and accepts answers.
pub async fn wait_for_card(client: &Client, k: usize) -> Element {
    wait_visible(
        client,
        &format!("[data-testid=card][data-state=ready][data-card-index=\"{k}\"]"),
    )
    .await
}

/// The proposal id of the card shown.
pub async fn card_id(card: &Element) -> String {
    card.attr("data-proposal-id")
        .await
        .expect("read the card's proposal id")
        .expect("a ready card names its proposal")
}

/// Whether the results are on screen.
pub async fn results_shown(client: &Client) -> bool {
    match client.find(Locator::Css("[data-testid=results]")).await {
        Ok(results) => results.is_displayed().await.unwrap_or(false),
        Err(_) => false,
    }
}

/// The id of the element that has the keyboard focus.
pub async fn focused_id(client: &Client) -> String {
    client
        .execute(
            "return document.activeElement && document.activeElement.id",
            vec![],
        )
        .await
        .expect("read the focused element")
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Types `keys` into whatever has the focus, as a keyboard user would.
pub async fn press(client: &Client, keys: &str) {
    client
        .active_element()
        .await
        .expect("an element has the focus")
        .send_keys(keys)
        .await
        .unwrap_or_else(|e| panic!("type {keys:?}: {e}"));
}

/// The party scores shown, `(actor, score)` in the page's order, once written.
pub async fn shown_scores(client: &Client) -> Vec<(String, String)> {
    wait_visible(
        client,
        "[data-testid=result-list] [data-testid=party-score]",
    )
    .await;
    let value = client
        .execute(
            "return Array.from(document.querySelectorAll('#result-list [data-testid=party-score]'), \
             (li) => [li.dataset.actor, li.dataset.score]);",
            vec![],
        )
        .await
        .expect("read the scores");
    serde_json::from_value(value).expect("pairs of strings")
}

/// Opens every `<details>` (each party's answers, the method), as a reader
/// who wants to see everything would.
pub async fn open_all_details(client: &Client) {
    client
        .execute(
            "document.querySelectorAll('details').forEach((d) => (d.open = true));",
            vec![],
        )
        .await
        .expect("open the details");
}
