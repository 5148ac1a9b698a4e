//! Accessibility: every kind of page the site has, checked in headless
//! Chromium with axe-core against WCAG 2.0 and 2.1, levels A and AA (axe's
//! rule tags `wcag2a`, `wcag2aa`, `wcag21a`, `wcag21aa`; its best-practice
//! rules are not required). Any violation fails the test, which then lists,
//! page by page, each rule broken, its impact, what it asks for and the
//! first nodes that break it.
//!
//! The quiz is checked in three states (before it starts, mid-deck, the
//! results with every disclosure open), then the pages a reader reaches
//! from the header and the footer (a legislature's listing, a proposal
//! from it, the status page), the English home and the quiz for news
//! articles (`embed/`, mid-deck and its results in the dark theme). Another page is one
//! more line in [`PAGES`].
//!
//! axe-core is injected through WebDriver, which the pages' Content-Security-
//! Policy does not govern; [`axe_runs_under_a_strict_content_security_policy`]
//! keeps that true.
//!
//! Needs the site built (`cargo xtask site`), axe-core (`cargo xtask test`
//! installs it and sets `HEMICICLO_AXE`), `chromedriver` and Chromium.

use fantoccini::{Client, Locator};
use hemiciclo_e2e::axe::{Axe, WCAG21_AA};
use hemiciclo_e2e::page::{open_all_details, results_shown, wait_visible, WAIT};
use hemiciclo_e2e::paths;
use hemiciclo_e2e::server::StaticServer;
use hemiciclo_e2e::session::in_browser;
use std::time::{Duration, Instant};

/// The pages checked, each with how the test reaches it from the site's
/// home. Paths are relative to the home; `Follow` links are CSS selectors.
const PAGES: &[(&str, Visit)] = &[
    ("home, before the quiz", Visit::open("", QUIZ_READY)),
    ("quiz, card 3 of 10", Visit::play("?seed=1", Some(2))),
    ("results, 3 cards", Visit::play("?seed=1&cartas=3", None)),
    ("legislature listing", Visit::follow("", &[LEGISLATURE])),
    ("proposal", Visit::follow("", &[LEGISLATURE, PROPOSAL])),
    ("status", Visit::open("status/", "main")),
    ("method", Visit::open("m/", "main")),
    ("parties and heatmaps", Visit::follow("", &[PARTIES])),
    ("a party", Visit::follow("", &[PARTIES, PARTY])),
    (
        "search, with results",
        Visit::open("s/?q=habita%C3%A7%C3%A3o", SEARCH_RESULTS),
    ),
    ("English home", Visit::open("en/", QUIZ_READY)),
    ("embed, card 2", Visit::play("embed/?size=4", Some(1))),
    (
        "embed, results, dark",
        Visit::play("embed/?size=2&theme=dark", None),
    ),
];

/// The home page is settled once its quiz module is ready to start.
const QUIZ_READY: &str = "[data-testid=start]:enabled";
/// The search page once its results are on screen.
const SEARCH_RESULTS: &str = "#search-results li a";
/// The first legislature in the header's navigation.
const LEGISLATURE: &str = ".site-header nav a[href*='l/']";
/// The parties' page in the header's navigation.
const PARTIES: &str = ".site-header nav a[href$='g/']";
/// The first party the parties' page links to.
const PARTY: &str = ".party-list a";
/// The first proposal a listing links to.
const PROPOSAL: &str = "main a[href*='p/']";

/// How the test reaches a page.
#[derive(Debug)]
enum Visit {
    /// Opens `path` and waits until `ready` is shown.
    Open {
        path: &'static str,
        ready: &'static str,
    },
    /// Opens `path`, then follows the first link matching each selector in
    /// turn.
    Follow {
        path: &'static str,
        links: &'static [&'static str],
    },
    /// Opens the quiz at `path` (a seed, a deck size) and starts it; answers
    /// that many cards and waits for the next one, or with `None` answers
    /// the whole deck and waits for the results.
    Play {
        path: &'static str,
        answers: Option<usize>,
    },
}

impl Visit {
    const fn open(path: &'static str, ready: &'static str) -> Self {
        Visit::Open { path, ready }
    }

    const fn follow(path: &'static str, links: &'static [&'static str]) -> Self {
        Visit::Follow { path, links }
    }

    const fn play(path: &'static str, answers: Option<usize>) -> Self {
        Visit::Play { path, answers }
    }

    async fn go(&self, client: &Client, base: &str) {
        match *self {
            Visit::Open { path, ready } => {
                open(client, &format!("{base}{path}")).await;
                wait_visible(client, ready).await;
            }
            Visit::Follow { path, links } => {
                open(client, &format!("{base}{path}")).await;
                for &link in links {
                    let href = wait_visible(client, link)
                        .await
                        .prop("href")
                        .await
                        .unwrap_or_else(|e| panic!("read the href of {link}: {e}"))
                        .unwrap_or_else(|| panic!("{link} has no href"));
                    open(client, &href).await;
                    wait_visible(client, "main").await;
                }
            }
            Visit::Play { path, answers } => {
                open(client, &format!("{base}{path}")).await;
                wait_visible(client, QUIZ_READY)
                    .await
                    .click()
                    .await
                    .expect("click start");
                play(client, answers).await;
            }
        }
    }
}

async fn open(client: &Client, url: &str) {
    client
        .goto(url)
        .await
        .unwrap_or_else(|e| panic!("open {url}: {e}"));
}

/// Answers cards, for and skip in turn, as [`Visit::Play`] says.
async fn play(client: &Client, answers: Option<usize>) {
    for k in 1.. {
        let card = format!("[data-testid=card][data-state=ready][data-card-index=\"{k}\"]");
        if answers == Some(k - 1) {
            wait_visible(client, &card).await;
            return;
        }
        wait_card_or_results(client, &card).await;
        if results_shown(client).await {
            break;
        }
        let answer = ["answer-for", "answer-skip"][(k - 1) % 2];
        let button = format!("{card} [data-testid={answer}]");
        wait_visible(client, &button)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {answer} on card {k}: {e}"));
    }
    assert!(
        answers.is_none(),
        "the results came before card {answers:?}"
    );
    // The results are complete once their scores and share link are written.
    wait_visible(
        client,
        "[data-testid=result-list] [data-testid=party-score]",
    )
    .await;
    wait_visible(client, "[data-testid=share-link][href*='#']").await;
    // What the disclosures hide (each party's answers, the method) is
    // checked too: axe leaves out what is not rendered.
    open_all_details(client).await;
}

/// Waits until `card` or the results are shown.
async fn wait_card_or_results(client: &Client, card: &str) {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Ok(element) = client.find(Locator::Css(card)).await {
            if element.is_displayed().await.unwrap_or(false) {
                return;
            }
        }
        if results_shown(client).await {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "neither {card} nor the results after {WAIT:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Every page in [`PAGES`] passes axe's WCAG 2.1 A and AA rules.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_page_meets_wcag_21_aa() {
    let axe = Axe::load();
    let site = paths::site_dir();
    let server = StaticServer::start(&site, "/");
    let base = server.base_url();
    let failures = in_browser("a11y", move |client| async move {
        let mut failures = Vec::new();
        for (name, visit) in PAGES {
            visit.go(&client, &base).await;
            let url = client.current_url().await.expect("the page's address");
            let outcome = axe.run(&client, &WCAG21_AA).await;
            println!(
                "{name} ({url}): axe-core {}, {} violation(s){}",
                outcome.version,
                outcome.violations.len(),
                if outcome.incomplete.is_empty() {
                    String::new()
                } else {
                    format!("; to review by hand: {}", outcome.incomplete.join(", "))
                }
            );
            if !outcome.violations.is_empty() {
                let rules: String = outcome.violations.iter().map(ToString::to_string).collect();
                failures.push(format!("{name} ({url}):\n{rules}"));
            }
        }
        failures
    })
    .await;
    assert!(
        failures.is_empty(),
        "WCAG 2.1 A/AA violations (axe-core) on {} page(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The strict policy the pages are to carry.
const CSP: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; \
                   script-src 'self' 'wasm-unsafe-eval'\">";

/// A copy of the home page with that policy, an inline script (which the
/// policy blocks) and an image without a text alternative: axe still gets
/// in through WebDriver, runs, and finds the image.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_runs_under_a_strict_content_security_policy() {
    let axe = Axe::load();
    let site = paths::site_dir();
    // Not the label of the browser's own scratch dir, which starts afresh.
    let copy = paths::scratch_dir("a11y-csp-site");
    let html = std::fs::read_to_string(site.join("index.html")).expect("read the home page");
    let charset = "<meta charset=\"utf-8\">";
    assert!(html.contains(charset), "the home page declares its charset");
    let inline = "<script>document.documentElement.dataset.inline = 'ran';</script>";
    let style = paths::hashed(&site, "style.css");
    let html = html
        .replacen(charset, &format!("{charset}\n{CSP}\n{inline}"), 1)
        .replacen(
            "</main>",
            &format!("<img id=\"planted\" src=\"{style}\"></main>"),
            1,
        );
    std::fs::write(copy.join("index.html"), html).expect("write the copy");
    std::fs::copy(site.join(&style), copy.join(&style)).expect("copy the style");
    let server = StaticServer::start(&copy, "/");
    let url = server.base_url();
    let outcome = in_browser("a11y-csp", move |client| async move {
        open(&client, &url).await;
        wait_visible(&client, "main").await;
        let state = client
            .execute(
                "return [!!document.querySelector('meta[http-equiv=Content-Security-Policy]'), \
                 document.documentElement.dataset.inline || null];",
                vec![],
            )
            .await
            .expect("read the page");
        assert_eq!(
            state,
            serde_json::json!([true, null]),
            "the copy has the policy, and the policy blocked its inline script"
        );
        axe.run(&client, &WCAG21_AA).await
    })
    .await;
    let _ = std::fs::remove_dir_all(&copy);
    let planted = outcome
        .violations
        .iter()
        .find(|v| v.id == "image-alt")
        .unwrap_or_else(|| panic!("axe missed the image without alt: {outcome:#?}"));
    assert_eq!(planted.targets, ["#planted"], "{planted}");
    println!(
        "axe-core {} ran under the policy and found the planted image:\n{planted}",
        outcome.version
    );
}
