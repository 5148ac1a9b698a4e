//! Time to the first question on a slow phone connection, site against site.
//!
//! What a visitor on a phone waits for is the first question: the page,
//! its script, the WASM module, the manifest and the first card's shard,
//! over a slow network. This tool measures that wait for one or more
//! built sites (typically the current build against an earlier copy), so
//! a change to what loads first can be judged by a number rather than by
//! byte counts. It is a measurement tool, not a test: nothing is asserted
//! about the times, and they depend on the machine.
//!
//! ```text
//! CHROMEDRIVER=/usr/bin/chromedriver TMPDIR=/work/main/target/tmp \
//!   cargo run --release -p hemiciclo-e2e --bin first-question-time -- \
//!   [--runs 5] NAME=SITE_DIR [NAME=SITE_DIR ...]
//! ```
//!
//! Each site is served from its folder on 127.0.0.1 with gzip, as a static
//! host serves it ([`StaticServer::start_gzip`]). Every run opens a fresh
//! headless Chromium session (empty cache) throttled to "slow 4G" through
//! chromedriver's `chromium/network_conditions` (1.6 Mbit/s down,
//! 750 kbit/s up, 150 ms latency per request), then opens `<site>?seed=1`.
//! A script that Chromium runs in the new document before any of the
//! page's own (CDP `Page.addScriptToEvaluateOnNewDocument`) watches the DOM
//! with a `MutationObserver` and records `performance.now()`, the time
//! since navigation start, as soon as the first question can be shown:
//! the start button `[data-testid=start]` is enabled, or (a page without
//! one) the card `[data-testid=card][data-state=ready]` is not hidden,
//! whichever comes first. It also counts the requests finished by then
//! and their bytes on the wire (gzipped) and decoded.
//!
//! Sites take turns (A, B, A, B, ...) so that all see the same machine
//! conditions. One unthrottled run per site comes first, as a warm-up
//! (gzip cache, disk cache) and as the baseline that shows the
//! throttling applies; a throttled run faster than its bytes could
//! arrive at 1.6 Mbit/s stops the tool, since its numbers would mean
//! nothing. The report gives every run, then per site the median, min,
//! max and the ratio of medians to the first site's.
//!
//! The server answers one request per connection over HTTP/1.1, where a
//! real host would use HTTP/2; Chromium's throttling adds its latency per
//! request, not per connection, so this matters little, and equally for
//! every site.

use fantoccini::wd::{TimeoutConfiguration, WebDriverCompatibleCommand};
use fantoccini::Client;
use hemiciclo_e2e::chromedriver::ChromeDriver;
use hemiciclo_e2e::server::StaticServer;
use hemiciclo_e2e::trap::TrapProxy;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use xtask::measure::median;

const USAGE: &str = "usage: first-question-time [--runs N] NAME=SITE_DIR [NAME=SITE_DIR ...]";

const DEFAULT_RUNS: usize = 5;

/// "Slow 4G": 150 ms latency, 1.6 Mbit/s down, 750 kbit/s up (bytes/s).
const LATENCY_MS: f64 = 150.0;
const DOWNLOAD_BYTES_PER_S: f64 = 200_000.0;
const UPLOAD_BYTES_PER_S: f64 = 93_750.0;

/// The longest a run may take before it counts as failed.
const RUN_TIMEOUT: Duration = Duration::from_secs(120);

/// The page can show its first question: whichever matches first.
const READY: &str =
    "[data-testid=start]:enabled, [data-testid=card][data-state=ready]:not([hidden])";

/// Where the probe leaves its record in the page.
const RECORD: &str = "__hemicicloFirstQuestion";

/// Runs in every new document before the page's scripts; `{READY}` and
/// `{RECORD}` are filled in. A mutation observer's callback runs in the
/// microtask right after the change, so the time is that of the change.
const PROBE: &str = r#"(() => {
  const ready = {READY};
  const observer = new MutationObserver(() => {
    const element = document.querySelector(ready);
    if (!element || window[{RECORD}]) return;
    window[{RECORD}] = {
      ms: performance.now(),
      signal: element.matches("[data-testid=start]") ? "start" : "card",
    };
    observer.disconnect();
  });
  observer.observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["disabled", "hidden", "data-state"],
  });
})();"#;

/// Waits for the probe's record and adds what had loaded by then.
const COLLECT: &str = r#"
const [record, timeoutMs, done] = arguments;
const deadline = performance.now() + timeoutMs;
(function poll() {
  const found = window[record];
  if (!found) {
    if (performance.now() > deadline) done({ error: "no first question after " + timeoutMs + " ms" });
    else setTimeout(poll, 10);
    return;
  }
  const entries = [
    ...performance.getEntriesByType("navigation"),
    ...performance.getEntriesByType("resource"),
  ].filter((e) => e.responseEnd > 0 && e.responseEnd <= found.ms);
  const sum = (key) => entries.reduce((n, e) => n + (e[key] || 0), 0);
  done({
    ms: found.ms,
    signal: found.signal,
    requests: entries.length,
    transferred: sum("transferSize"),
    encoded: sum("encodedBodySize"),
    decoded: sum("decodedBodySize"),
  });
})();
"#;

/// One run's result.
#[derive(Debug, Clone)]
struct Run {
    ms: f64,
    signal: String,
    requests: u64,
    /// Bytes on the wire, headers included; body bytes as sent (gzipped) and decoded.
    transferred: u64,
    encoded: u64,
    decoded: u64,
}

impl Run {
    fn summary(&self) -> String {
        format!(
            "{:>8.1} ms  ({}, {} requests, {:.1} kB sent, {:.1} kB decoded)",
            self.ms,
            self.signal,
            self.requests,
            self.transferred as f64 / 1e3,
            self.decoded as f64 / 1e3
        )
    }
}

#[derive(Debug)]
struct Site {
    name: String,
    dir: PathBuf,
    server: StaticServer,
    unthrottled: Option<Run>,
    runs: Vec<Run>,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    let (runs, sites) = match parse_args(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut sites: Vec<Site> = sites
        .into_iter()
        .map(|(name, dir)| Site {
            server: StaticServer::start_gzip(&dir, "/"),
            name,
            dir,
            unthrottled: None,
            runs: Vec::new(),
        })
        .collect();
    let trap = TrapProxy::start();
    let driver = ChromeDriver::spawn("first-question-time");

    println!(
        "first question, {runs} runs per site in turn; slow 4G: {} kbit/s down, {} kbit/s up, \
         {LATENCY_MS} ms latency; gzip; a fresh Chromium per run",
        DOWNLOAD_BYTES_PER_S * 8.0 / 1e3,
        UPLOAD_BYTES_PER_S * 8.0 / 1e3
    );
    for site in &sites {
        println!("  {} = {}", site.name, site.dir.display());
    }

    println!("\nunthrottled (warm-up and baseline):");
    for site in &mut sites {
        match run(&driver, &trap, &site.server, false).await {
            Ok(result) => {
                println!("  {:<12} {}", site.name, result.summary());
                site.unthrottled = Some(result);
            }
            Err(e) => return failed(&site.name, &e),
        }
    }

    println!("\nslow 4G:");
    for round in 1..=runs {
        for site in &mut sites {
            let result = match run(&driver, &trap, &site.server, true).await {
                Ok(result) => result,
                Err(e) => return failed(&site.name, &e),
            };
            println!("  run {round:<3} {:<12} {}", site.name, result.summary());
            // Bodies cannot arrive faster than the throttled bandwidth, after
            // at least one latency: a faster run was not throttled.
            let floor = LATENCY_MS + result.encoded as f64 / DOWNLOAD_BYTES_PER_S * 1e3;
            if result.ms < floor * 0.9 {
                eprintln!(
                    "\nthe throttling did not apply: {:.1} ms for {} body bytes, which take \
                     at least {floor:.0} ms at {} kbit/s; the numbers would mean nothing",
                    result.ms,
                    result.encoded,
                    DOWNLOAD_BYTES_PER_S * 8.0 / 1e3
                );
                return ExitCode::FAILURE;
            }
            site.runs.push(result);
        }
    }

    report(&sites);
    let outside = trap.recorded();
    if !outside.is_empty() {
        println!(
            "\nnote: the pages tried to reach other hosts (answered 502 by the trap proxy):\n  {}",
            outside.join("\n  ")
        );
    }
    ExitCode::SUCCESS
}

fn failed(site: &str, error: &str) -> ExitCode {
    eprintln!("\n{site}: {error}");
    ExitCode::FAILURE
}

/// `--runs N` (or `--runs=N`) and the `NAME=DIR` pairs, in order.
fn parse_args(
    mut args: impl Iterator<Item = String>,
) -> Result<(usize, Vec<(String, PathBuf)>), String> {
    let mut runs = DEFAULT_RUNS;
    let mut sites = Vec::new();
    while let Some(arg) = args.next() {
        let runs_value = match arg.strip_prefix("--runs") {
            Some("") => Some(args.next().ok_or("--runs needs a number")?),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => None,
        };
        if let Some(value) = runs_value {
            runs = value
                .parse()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| format!("--runs: not a positive number: {value:?}"))?;
            continue;
        }
        if arg == "-h" || arg == "--help" {
            return Err(
                "first-question-time: time to the first question, site against site".into(),
            );
        }
        let Some((name, dir)) = arg.split_once('=').filter(|(n, _)| !n.starts_with('-')) else {
            return Err(format!("not NAME=SITE_DIR: {arg:?}"));
        };
        let dir = PathBuf::from(dir);
        if !dir.join("index.html").is_file() {
            return Err(format!("{name}: no index.html in {}", dir.display()));
        }
        sites.push((name.to_string(), dir));
    }
    if sites.is_empty() {
        return Err("no site given".into());
    }
    Ok((runs, sites))
}

/// One page load in a fresh session, throttled or not.
async fn run(
    driver: &ChromeDriver,
    trap: &TrapProxy,
    server: &StaticServer,
    throttled: bool,
) -> Result<Run, String> {
    let client = driver.connect(&trap.proxy_url()).await;
    let result = measure(&client, server, throttled).await;
    let _ = client.close().await;
    result
}

async fn measure(client: &Client, server: &StaticServer, throttled: bool) -> Result<Run, String> {
    client
        .update_timeouts(TimeoutConfiguration::new(
            Some(RUN_TIMEOUT + Duration::from_secs(10)),
            Some(RUN_TIMEOUT),
            None,
        ))
        .await
        .map_err(|e| format!("set the timeouts: {e}"))?;
    if throttled {
        let conditions = json!({ "network_conditions": {
            "offline": false,
            "latency": LATENCY_MS,
            "download_throughput": DOWNLOAD_BYTES_PER_S,
            "upload_throughput": UPLOAD_BYTES_PER_S,
        }});
        client
            .issue_cmd(Vendor::post("chromium/network_conditions", conditions))
            .await
            .map_err(|e| format!("throttle the network: {e}"))?;
    }
    let js_string = |s: &str| Value::from(s).to_string();
    let probe = PROBE
        .replace("{READY}", &js_string(READY))
        .replace("{RECORD}", &js_string(RECORD));
    client
        .issue_cmd(Vendor::post(
            "goog/cdp/execute",
            json!({ "cmd": "Page.addScriptToEvaluateOnNewDocument", "params": { "source": probe } }),
        ))
        .await
        .map_err(|e| format!("install the probe: {e}"))?;
    let url = format!("{}?seed=1", server.base_url());
    client
        .goto(&url)
        .await
        .map_err(|e| format!("open {url}: {e}"))?;
    let value = client
        .execute_async(
            COLLECT,
            vec![json!(RECORD), json!(RUN_TIMEOUT.as_millis() as u64)],
        )
        .await
        .map_err(|e| format!("wait for the first question: {e}"))?;
    if let Some(error) = value.get("error") {
        return Err(format!("{url}: {error}"));
    }
    let number = |key: &str| value[key].as_u64().unwrap_or(0);
    Ok(Run {
        ms: value["ms"].as_f64().ok_or("no time in the record")?,
        signal: value["signal"].as_str().unwrap_or("?").to_string(),
        requests: number("requests"),
        transferred: number("transferred"),
        encoded: number("encoded"),
        decoded: number("decoded"),
    })
}

fn report(sites: &[Site]) {
    println!(
        "\n{:<12} {:>9} {:>9} {:>9} {:>8} {:>9} {:>9} {:>12}",
        "site", "median", "min", "max", "ratio", "requests", "kB sent", "unthrottled"
    );
    let times = |site: &Site| -> Vec<f64> { site.runs.iter().map(|r| r.ms).collect() };
    let base = sites.first().map(|s| median(&times(s)));
    for site in sites {
        let times = times(site);
        let middle = median(&times);
        let typical = middle_run(&site.runs);
        let (min, max) = times
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &t| {
                (lo.min(t), hi.max(t))
            });
        println!(
            "{:<12} {:>6.0} ms {:>6.0} ms {:>6.0} ms {:>8.3} {:>9} {:>9.1} {:>9.0} ms",
            site.name,
            middle,
            min,
            max,
            base.map_or(f64::NAN, |b| middle / b),
            typical.requests,
            typical.transferred as f64 / 1e3,
            site.unthrottled.as_ref().map_or(f64::NAN, |r| r.ms),
        );
    }
    println!(
        "(ratio: median over {}'s; requests and kB: those finished before the first question, \
         in the median run)",
        sites.first().map_or("", |s| s.name.as_str())
    );
}

/// The run with the median time (the upper one of an even count).
fn middle_run(runs: &[Run]) -> Run {
    let mut sorted = runs.to_vec();
    sorted.sort_by(|a, b| a.ms.total_cmp(&b.ms));
    sorted[sorted.len() / 2].clone()
}

/// A chromedriver vendor command: `POST /session/{id}/{path}` with a JSON body.
#[derive(Debug)]
struct Vendor {
    path: &'static str,
    body: Value,
}

impl Vendor {
    fn post(path: &'static str, body: Value) -> Self {
        Vendor { path, body }
    }
}

impl WebDriverCompatibleCommand for Vendor {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or(""),
            self.path
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}
