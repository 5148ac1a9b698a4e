//! Decoding the default dataset's bundle: WASM in Chromium against native.
//!
//! `cargo xtask bench` builds the site and runs this. It serves the site on
//! 127.0.0.1, opens it in headless Chromium, and times, with the site's own
//! WASM module, what a visitor's browser does with the real bundle:
//! reading the manifest and drawing the deck (`new QuizEngine`), then
//! reading every shard (`addShard`). The same steps then run natively
//! through `hemiciclo-core`, in this process, so the WASM/native ratio
//! comes from one run on one machine. Medians of [`SAMPLES`] runs after
//! [`WARM_UP`]; nothing is asserted.

use hemiciclo_core::bundle::{shard_path, BUNDLE_DIR, MANIFEST_FILE};
use hemiciclo_core::{Manifest, Quiz};
use hemiciclo_e2e::chromedriver::ChromeDriver;
use hemiciclo_e2e::paths;
use hemiciclo_e2e::server::StaticServer;
use hemiciclo_e2e::trap::TrapProxy;
use std::time::Instant;

const WARM_UP: usize = 3;
const SAMPLES: usize = 21;
const SEED: u64 = 42;

/// Runs in the page: fetches the bundle, then times the two steps.
const IN_PAGE: &str = r#"
const [warmUp, samples, seed, glue, done] = arguments;
(async () => {
  const wasm = await import("./" + glue);
  await wasm.default();
  const text = async (path) => (await fetch("data/" + path)).text();
  const manifest = await text("manifest.json");
  const { card_count, shard_size } = JSON.parse(manifest);
  const count = Math.ceil(card_count / shard_size);
  const shards = await Promise.all([...Array(count).keys()].map((i) => text(`cards/${i}.json`)));
  const manifestMs = [], shardsMs = [];
  for (let run = 0; run < warmUp + samples; run++) {
    const t0 = performance.now();
    const engine = new wasm.QuizEngine(manifest, BigInt(seed));
    const t1 = performance.now();
    for (const shard of shards) engine.addShard(shard);
    const t2 = performance.now();
    engine.free();
    if (run >= warmUp) { manifestMs.push(t1 - t0); shardsMs.push(t2 - t1); }
  }
  return { manifestMs, shardsMs, shards: count, bytes: manifest.length + shards.reduce((n, s) => n + s.length, 0) };
})().then(done, (e) => done({ error: String(e) }));
"#;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let site = paths::site_dir();
    let server = StaticServer::start(&site, "/");
    let trap = TrapProxy::start();
    let driver = ChromeDriver::spawn("bundle-bench");
    let client = driver.connect(&trap.proxy_url()).await;
    client
        .goto(&server.base_url())
        .await
        .expect("open the site");
    let args = vec![
        serde_json::json!(WARM_UP),
        serde_json::json!(SAMPLES),
        serde_json::json!(SEED),
        serde_json::json!(hemiciclo_e2e::paths::hashed(&site, "pkg/hemiciclo_web.js")),
    ];
    let value = client
        .execute_async(IN_PAGE, args)
        .await
        .expect("run the in-page benchmark");
    let _ = client.close().await;
    if let Some(error) = value.get("error") {
        panic!("the in-page benchmark failed: {error}");
    }
    let times = |key: &str| -> Vec<f64> {
        serde_json::from_value(value[key].clone()).expect("a list of milliseconds")
    };
    let wasm_manifest = median(times("manifestMs"));
    let wasm_shards = median(times("shardsMs"));

    let (native_manifest, native_shards) = native(&site);
    println!(
        "\ndefault dataset bundle: {} shards, {} bytes of JSON; median of {SAMPLES} runs",
        value["shards"], value["bytes"]
    );
    println!(
        "{:<34} {:>12} {:>12} {:>10}",
        "", "wasm", "native", "wasm/native"
    );
    for (label, wasm, native) in [
        (
            "manifest + deck (new QuizEngine)",
            wasm_manifest,
            native_manifest,
        ),
        ("every shard (addShard)", wasm_shards, native_shards),
    ] {
        println!(
            "{label:<34} {:>9.2} ms {:>9.2} ms {:>10.2}",
            wasm,
            native,
            wasm / native
        );
    }
    println!(
        "(Chromium rounds performance.now() to 0.1 ms; the shard figure sums {} calls)",
        value["shards"]
    );
}

/// The same two steps, natively.
fn native(site: &std::path::Path) -> (f64, f64) {
    let dir = site.join(BUNDLE_DIR);
    let read = |path: &str| {
        std::fs::read_to_string(dir.join(path))
            .unwrap_or_else(|e| panic!("read {}: {e}", dir.join(path).display()))
    };
    let manifest_text = read(MANIFEST_FILE);
    let manifest = Manifest::from_json(&manifest_text).expect("the site's manifest");
    let shards: Vec<String> = (0..manifest.shard_count())
        .map(|i| read(&shard_path(i)))
        .collect();
    let (mut manifest_ms, mut shards_ms) = (Vec::new(), Vec::new());
    for run in 0..WARM_UP + SAMPLES {
        let t0 = Instant::now();
        let manifest = Manifest::from_json(&manifest_text).expect("the site's manifest");
        let mut quiz = Quiz::new(manifest, SEED).expect("a deck");
        let t1 = Instant::now();
        for shard in &shards {
            quiz.add_shard(shard).expect("a shard of the site");
        }
        let t2 = Instant::now();
        std::hint::black_box(&quiz);
        if run >= WARM_UP {
            manifest_ms.push((t1 - t0).as_secs_f64() * 1e3);
            shards_ms.push((t2 - t1).as_secs_f64() * 1e3);
        }
    }
    (median(manifest_ms), median(shards_ms))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}
