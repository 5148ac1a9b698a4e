//! Offline after one visit: the service worker keeps the build's quiz, so
//! a citizen who played once can play again — another deck, in another
//! language, to the results — with the site's server gone. And a build is
//! kept whole or not at all: a worker that meets a file of another build
//! keeps nothing.
//!
//! Needs the site built (`cargo xtask site`), `chromedriver` and Chromium.

use fantoccini::Client;
use hemiciclo_e2e::page::{open_and_start, shown_scores, wait_for_card, wait_visible, WAIT};
use hemiciclo_e2e::paths;
use hemiciclo_e2e::server::StaticServer;
use hemiciclo_e2e::session::in_browser;
use std::path::Path;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_one_visit_the_quiz_and_its_results_work_with_the_network_off() {
    let server = StaticServer::start(&paths::site_dir(), "/");
    let base = server.base_url();
    let origin = server.origin();
    in_browser("offline", |client| async move {
        play(&client, &format!("{base}?seed=3&cartas=3")).await;
        wait_visible(&client, "#quiz[data-offline=ready]").await;
        assert_eq!(worker_state(&client).await, "activated");

        // The network is cut: the server is gone.
        let address = origin.trim_start_matches("http://").to_owned();
        drop(server);
        assert!(
            std::net::TcpStream::connect(&address).is_err(),
            "the server still answers at {address}"
        );

        let scores = play(&client, &format!("{base}?seed=4&cartas=3")).await;
        assert!(!scores.is_empty(), "results offline");
        let english = play(&client, &format!("{base}en/?seed=5&cartas=2")).await;
        assert!(!english.is_empty(), "results offline in English");
        let heading = wait_visible(&client, "#results-title")
            .await
            .text()
            .await
            .expect("read the heading");
        assert_eq!(heading, "Who voted like you");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_that_meets_another_builds_file_keeps_nothing() {
    let copy = paths::scratch_dir("mixed-build-site");
    copy_quiz_files(&paths::site_dir(), &copy);
    // One shard changed after the worker's list was written, as when a new
    // build is published while a visitor's worker is fetching the old one.
    let shard = copy.join("data/cards/0.json");
    let mut bytes = std::fs::read(&shard).expect("read a shard");
    bytes.push(b'\n');
    std::fs::write(&shard, bytes).expect("change a shard");

    let server = StaticServer::start(&copy, "/");
    let base = server.base_url();
    in_browser("mixed-build", |client| async move {
        // The quiz itself still works online.
        let scores = play(&client, &format!("{base}?seed=3&cartas=3")).await;
        assert!(!scores.is_empty());
        wait_visible(&client, "#quiz[data-offline=failed]").await;
        let registered = client
            .execute_async(
                "navigator.serviceWorker.getRegistration().then((r) => arguments[0](Boolean(r && r.active)));",
                vec![],
            )
            .await
            .expect("ask for the registration");
        assert_eq!(registered, serde_json::json!(false), "no worker serves the site");
        let kept = client
            .execute_async(
                "caches.keys().then((names) => arguments[0](names.filter((n) => n.startsWith('hemiciclo '))));",
                vec![],
            )
            .await
            .expect("list the caches");
        assert_eq!(kept, serde_json::json!([]), "nothing of the build is kept");
    })
    .await;
}

/// Plays the deck at `url`, answering "for" to every card; the scores.
async fn play(client: &Client, url: &str) -> Vec<(String, String)> {
    open_and_start(client, url).await;
    for k in 1.. {
        let card = tokio::select! {
            card = wait_for_card(client, k) => Some(card),
            _ = wait_visible(client, "[data-testid=results]") => None,
        };
        let Some(card) = card else { break };
        card.find(fantoccini::Locator::Css("[data-testid=answer-for]"))
            .await
            .expect("an answer button")
            .click()
            .await
            .expect("answer");
    }
    shown_scores(client).await
}

/// The service worker's state once it has settled: `activated` (the build
/// is kept) or `redundant`.
async fn worker_state(client: &Client) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let state = client
            .execute_async(
                r#"const done = arguments[0];
                navigator.serviceWorker.getRegistration().then((reg) => {
                  const worker = reg && (reg.installing || reg.waiting || reg.active);
                  if (!worker) return done("none");
                  const settled = () => worker.state === "activated" || worker.state === "redundant";
                  if (settled()) return done(worker.state);
                  worker.addEventListener("statechange", () => settled() && done(worker.state));
                }, () => done("none"));"#,
                vec![],
            )
            .await
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .unwrap_or_default();
        if state == "activated" || state == "redundant" {
            return state;
        }
        assert!(
            Instant::now() < deadline,
            "no service worker settled: {state:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Copies what the quiz serves (not the thousands of proposal pages).
fn copy_quiz_files(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the copy");
    for entry in std::fs::read_dir(from).expect("list the site") {
        let entry = entry.expect("an entry");
        let name = entry.file_name();
        if name == "p" || name == "l" {
            continue;
        }
        let target = to.join(&name);
        if entry.path().is_dir() {
            copy_quiz_files(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}
