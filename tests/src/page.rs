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
