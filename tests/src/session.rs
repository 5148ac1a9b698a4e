//! One browser session per test flow: a trap proxy that records any
//! request to another host, chromedriver, the page's state printed when
//! the flow panics, and the browser closed on every path.

use crate::chromedriver::ChromeDriver;
use crate::diagnostics;
use crate::trap::TrapProxy;
use fantoccini::Client;
use std::future::Future;

/// Runs `flow` in a fresh browser and returns what it returns; fails when
/// the page tried to reach any host but 127.0.0.1.
pub async fn in_browser<F, Flow, T>(label: &str, flow: F) -> T
where
    F: FnOnce(Client) -> Flow,
    Flow: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let trap = TrapProxy::start();
    let driver = ChromeDriver::spawn(label);
    let client = driver.connect(&trap.proxy_url()).await;
    let outcome = tokio::spawn(flow(client.clone())).await;
    if outcome.is_err() {
        eprintln!("{}", diagnostics::page_report(&client).await);
    }
    let _ = client.close().await;
    let value = match outcome {
        Ok(value) => value,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    };
    let recorded = trap.recorded();
    assert!(
        recorded.is_empty(),
        "the browser tried to reach other hosts (via the trap proxy): {recorded:#?}"
    );
    value
}
