//! Size check: what a visitor downloads before the first question can show.
//!
//! DESIGN.md's budget for the home page is at most 50 KB compressed in at
//! most 6 requests, favicon included, with the whole default dataset
//! behind it. This test loads the real site in Chromium from a server that
//! sends gzip, takes every request made until the start button is enabled
//! (clicking it then shows the first card without any further request) —
//! whatever its answer, so a favicon's 404 counts — and weighs each file
//! as a host sends it with gzip and without. It prints the breakdown and
//! fails when the budget with gzip is exceeded.

use fantoccini::Locator;
use hemiciclo_e2e::chromedriver::ChromeDriver;
use hemiciclo_e2e::paths;
use hemiciclo_e2e::server::StaticServer;
use hemiciclo_e2e::trap::TrapProxy;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use xtask::measure::gzipped_len;

const BUDGET_BYTES: usize = 50_000;
const BUDGET_REQUESTS: usize = 6;
/// DESIGN.md's budget for the WASM module the first question needs: 40 KB
/// gzipped (read as KiB).
const BUDGET_WASM_BYTES: usize = 40 * 1024;
/// The results module, fetched once the first card is on screen: scores,
/// verdict, share codes, continuing a deck, and checking every bundle file
/// against the checksum list (SHA-256) before a verdict.
const BUDGET_RESULTS_WASM_BYTES: usize = 64 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_question_fits_the_transfer_budget() {
    let site = paths::site_dir();
    let server = StaticServer::start_gzip(&site, "/");
    let trap = TrapProxy::start();
    let driver = ChromeDriver::spawn("budget");
    let client = driver.connect(&trap.proxy_url()).await;

    client
        .goto(&format!("{}?seed=1", server.base_url()))
        .await
        .expect("open the home page");
    let deadline = Instant::now() + Duration::from_secs(30);
    while client
        .find(Locator::Css("[data-testid=start]:enabled"))
        .await
        .is_err()
    {
        assert!(Instant::now() < deadline, "the quiz never became ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let log = server.request_log();
    client.close().await.expect("close the browser");

    let fetched: Vec<PathBuf> = log
        .iter()
        .filter_map(|line| served_file(&site, line))
        .collect();
    let mut total = 0;
    let mut plain = 0;
    println!(
        "{:<40} {:>9} {:>9}",
        "before the first question", "bytes", "gzipped"
    );
    for path in &fetched {
        let bytes = std::fs::read(path).expect("a served file exists");
        let compressed = gzipped_len(&bytes);
        total += compressed;
        plain += bytes.len();
        let name = path
            .strip_prefix(&site)
            .unwrap_or(path)
            .display()
            .to_string();
        println!("{name:<40} {:>9} {compressed:>9}", bytes.len());
    }
    // The deck decides which card shard comes first: weigh the largest too.
    let worst_shard = largest_gzipped_shard(&site);
    let shard_fetched = fetched
        .iter()
        .find(|p| p.starts_with(site.join("data/cards")))
        .map(|p| gzipped_len(&std::fs::read(p).expect("shard exists")))
        .expect("the first card's shard is fetched before the first question");
    let worst_total = total - shard_fetched + worst_shard;
    println!(
        "total: {} requests; {total} bytes gzipped ({worst_total} with the largest shard); \
         {plain} bytes without gzip",
        log.len()
    );

    assert!(
        log.len() <= BUDGET_REQUESTS,
        "{} requests before the first question, budget {BUDGET_REQUESTS}: {log:?}",
        log.len()
    );
    assert_eq!(fetched.len(), log.len(), "a request failed: {log:?}");
    let wasm = gzipped_len(
        &std::fs::read(site.join(paths::hashed(&site, "pkg/hemiciclo_web_bg.wasm")))
            .expect("the site has the module"),
    );
    assert!(
        wasm <= BUDGET_WASM_BYTES,
        "the WASM module is {wasm} bytes gzipped, budget {BUDGET_WASM_BYTES}"
    );
    assert!(
        !fetched
            .iter()
            .any(|p| p.ends_with("hemiciclo_results_bg.wasm")),
        "the results module is fetched before the first question"
    );
    let results = gzipped_len(
        &std::fs::read(site.join(paths::hashed(&site, "pkg/hemiciclo_results_bg.wasm")))
            .expect("the site has the results module"),
    );
    println!("after the first question: pkg/hemiciclo_results_bg.wasm {results} gzipped");
    assert!(
        results <= BUDGET_RESULTS_WASM_BYTES,
        "the results module is {results} bytes gzipped, budget {BUDGET_RESULTS_WASM_BYTES}"
    );
    assert!(
        worst_total <= BUDGET_BYTES,
        "{worst_total} bytes gzipped before the first question, budget {BUDGET_BYTES}"
    );
}

/// The site file a `STATUS METHOD TARGET` log line served, if it served one.
fn served_file(site: &Path, line: &str) -> Option<PathBuf> {
    let mut parts = line.split(' ');
    let (status, target) = (parts.next()?, parts.nth(1)?);
    if status != "200" {
        return None;
    }
    let path = target.split(['?', '#']).next()?.trim_start_matches('/');
    let file = site.join(path);
    Some(if path.is_empty() || path.ends_with('/') {
        file.join("index.html")
    } else {
        file
    })
}

fn largest_gzipped_shard(site: &Path) -> usize {
    std::fs::read_dir(site.join("data/cards"))
        .expect("the bundle has card shards")
        .map(|entry| {
            gzipped_len(&std::fs::read(entry.expect("list shards").path()).expect("read shard"))
        })
        .max()
        .expect("at least one shard")
}
