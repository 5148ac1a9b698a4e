//! `cargo xtask bench`: the quiz engine's benchmarks (`core/benches/engine.rs`), first natively
//! with criterion, then the same code compiled to WASM and timed in headless Chromium by
//! `wasm-bindgen-test-runner`, and a table of both with the WASM/native ratio.
//!
//! Criterion keeps its results in `target/criterion/<group>/<size>/`; the WASM results (and the
//! baseline the next run compares against) go to `target/bench/wasm.json`.

use crate::{cargo, run, system, target_dir, test, wasm};
use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Instant, SystemTime};

const USAGE: &str = "usage: cargo xtask bench engine [--quick] [GROUP]

  --quick   short warm-up and measurement (a smoke run; the figures are rough)
  GROUP     only the benchmarks whose group name contains GROUP
            (draw_stratified, rank, adaptive_next_card, shard_from_json, and
            bundle: the default dataset's bundle decoded by the site's WASM
            module in Chromium and natively)";

/// Read by `core/benches/engine.rs` at build time.
const QUICK_ENV: &str = "HEMICICLO_BENCH_QUICK";

/// The whole WASM run must finish within this (the runner's default is 20 s for everything).
const WASM_TIMEOUT_SECS: &str = "1800";

/// Chromium as the end-to-end tests start it; the runner adds its own `headless`,
/// `no-sandbox` and `disable-dev-shm-usage` besides.
const CHROMIUM_ARGS: [&str; 6] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
];

pub(crate) fn all(args: &[&str]) -> Result<()> {
    let mut quick = false;
    let mut filter = None;
    for &arg in args {
        match arg {
            "--quick" => quick = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            _ if arg.starts_with('-') || filter.is_some() => bail!("unexpected `{arg}`\n{USAGE}"),
            _ => filter = Some(arg),
        }
    }
    let started = Instant::now();
    let since = SystemTime::now();

    // `bundle` names the bundle decode run alone, not a criterion group.
    let engine = filter != Some("bundle");
    if engine {
        engine_benches(quick, filter)?;
    }
    if filter.is_none_or(|f| f == "bundle") {
        bundle_bench()?;
    }
    if engine {
        summary(
            &target_dir().join("criterion"),
            since,
            &target_dir().join("bench").join("wasm.json"),
        )?;
    }
    println!("\nbenchmarks done in {:.1?}", started.elapsed());
    Ok(())
}

/// The criterion benchmarks, natively and then in WASM in Chromium.
fn engine_benches(quick: bool, filter: Option<&str>) -> Result<()> {
    test::step("native benchmarks (criterion)", || {
        let mut bench = engine_bench(quick);
        bench.args(["--", "--noplot"]).args(filter);
        run(&mut bench)
    })?;

    test::step("wasm32 target", wasm::ensure_target)?;
    let chromedriver = test::step("system packages", system::ensure_browser)?;
    let runner = test::step("build wasm-bindgen-test-runner", test::build_runner)?;
    let dir = target_dir().join("bench");
    // Chromium's profile; not `target/tmp`, which `cargo xtask test` empties.
    let tmp = dir.join("tmp");
    test::recreate(&tmp)?;
    let webdriver = dir.join("webdriver.json");
    fs::write(&webdriver, webdriver_json())
        .with_context(|| format!("writing {}", webdriver.display()))?;
    let results = dir.join("wasm.json");
    test::step("wasm benchmarks (headless chromium)", || {
        let mut bench = engine_bench(quick);
        bench.args(["--target", wasm::TARGET]);
        if let Some(filter) = filter {
            bench.args(["--", filter]);
        }
        run(bench
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", &runner)
            .env("CHROMEDRIVER", &chromedriver)
            .env("TMPDIR", &tmp)
            .env("WASM_BINDGEN_TEST_TIMEOUT", WASM_TIMEOUT_SECS)
            .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &webdriver)
            .env("WASM_BINDGEN_BENCH_RESULT", &results))
    })?;

    Ok(())
}

/// The default dataset's bundle decoded by the site's WASM module in
/// Chromium and natively (`tests/src/bin/bundle_bench.rs`).
fn bundle_bench() -> Result<()> {
    let chromedriver = test::step("system packages", system::ensure_browser)?;
    let dir = target_dir().join("bench");
    let tmp = dir.join("tmp");
    test::recreate(&tmp)?;
    let site = dir.join("site");
    test::step("build the default site", || {
        test::recreate(&site)?;
        crate::site::build(&site).map(drop)
    })?;
    test::step("bundle decode, wasm in chromium vs native", || {
        run(cargo([
            "run",
            "--release",
            "-q",
            "-p",
            "hemiciclo-e2e",
            "--bin",
            "bundle_bench",
        ])
        .env("HEMICICLO_SITE", &site)
        .env("CHROMEDRIVER", &chromedriver)
        .env("TMPDIR", &tmp))
    })?;
    Ok(())
}

/// `cargo bench` of the engine benchmarks, shortened by `quick`.
fn engine_bench(quick: bool) -> Command {
    let mut bench = cargo(["bench", "-p", "hemiciclo-core", "--bench", "engine"]);
    if quick {
        bench.env(QUICK_ENV, "1");
    }
    bench
}

fn webdriver_json() -> String {
    let mut options = json!({ "args": CHROMIUM_ARGS });
    if let Some(path) = system::which("chromium") {
        options["binary"] = json!(path.to_string_lossy());
    }
    format!("{}\n", json!({ "goog:chromeOptions": options }))
}

/// Prints native and WASM figures side by side: criterion's estimate per iteration (the slope
/// of a linear sampling, else the mean), for every benchmark criterion ran since `since`.
fn summary(criterion: &Path, since: SystemTime, wasm_results: &Path) -> Result<()> {
    let native = native_estimates(criterion, since)?;
    let wasm = match fs::read_to_string(wasm_results) {
        Ok(text) => serde_json::from_str(&text)
            .with_context(|| format!("reading {}", wasm_results.display()))?,
        Err(e) => {
            eprintln!("warning: no WASM results ({}: {e})", wasm_results.display());
            Value::Null
        }
    };
    let width = native
        .iter()
        .map(|(id, _)| id.len())
        .max()
        .unwrap_or(0)
        .max(9);
    println!(
        "\n{:<width$}  {:>10}  {:>10}  {:>11}",
        "benchmark", "native", "wasm", "wasm/native"
    );
    for (id, native_ns) in &native {
        let wasm_ns = wasm
            .get(id)
            .and_then(|b| b.get("estimates"))
            .and_then(typical);
        let (wasm_text, ratio) = match wasm_ns {
            Some(ns) => (time(ns), format!("{:.2}x", ns / native_ns)),
            None => ("-".to_string(), "-".to_string()),
        };
        println!(
            "{id:<width$}  {:>10}  {wasm_text:>10}  {ratio:>11}",
            time(*native_ns)
        );
    }
    Ok(())
}

/// Criterion's estimate of every benchmark it ran since `since`, sorted.
pub(crate) fn native_estimates(criterion: &Path, since: SystemTime) -> Result<Vec<(String, f64)>> {
    let mut native = Vec::new();
    collect_native(criterion, criterion, since, &mut native)?;
    native.sort_by(|(a, _), (b, _)| sort_key(a).cmp(&sort_key(b)));
    Ok(native)
}

/// `(id, ns)` of every `<id>/new/estimates.json` under `dir` written since `since`.
fn collect_native(
    root: &Path,
    dir: &Path,
    since: SystemTime,
    out: &mut Vec<(String, f64)>,
) -> Result<()> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries {
        let path = entry?.path();
        if !path.is_dir() {
            continue;
        }
        let estimates = path.join("new").join("estimates.json");
        let fresh = fs::metadata(&estimates)
            .and_then(|m| m.modified())
            .is_ok_and(|t| t >= since);
        if fresh {
            let text = fs::read_to_string(&estimates)
                .with_context(|| format!("reading {}", estimates.display()))?;
            let json: Value = serde_json::from_str(&text)
                .with_context(|| format!("reading {}", estimates.display()))?;
            let ns = typical(&json)
                .with_context(|| format!("no estimate in {}", estimates.display()))?;
            let id = path.strip_prefix(root).unwrap_or(&path);
            out.push((id.to_string_lossy().replace('\\', "/"), ns));
        } else if path.file_name().is_some_and(|n| n != "new" && n != "base") {
            collect_native(root, &path, since, out)?;
        }
    }
    Ok(())
}

/// Criterion's "typical" estimate: the slope when it has one, else the mean (nanoseconds).
fn typical(estimates: &Value) -> Option<f64> {
    let slope = estimates.get("slope").filter(|s| !s.is_null());
    slope
        .or_else(|| estimates.get("mean"))?
        .get("point_estimate")?
        .as_f64()
}

/// Group name, then size as a number: `rank/10` before `rank/1000`.
fn sort_key(id: &str) -> (&str, u64, &str) {
    match id.rsplit_once('/') {
        Some((group, size)) => (group, size.parse().unwrap_or(u64::MAX), size),
        None => (id, 0, ""),
    }
}

pub(crate) fn time(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.1} ns")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_criterion_estimates() {
        let mean_only: Value = serde_json::from_str(
            r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,
            "upper_bound":3.0},"point_estimate":2.5e3,"standard_error":0.1},"slope":null}"#,
        )
        .unwrap();
        assert_eq!(typical(&mean_only), Some(2500.0));
        let with_slope: Value =
            serde_json::from_str(r#"{"mean":{"point_estimate":9},"slope":{"point_estimate":7}}"#)
                .unwrap();
        assert_eq!(typical(&with_slope), Some(7.0));
        assert_eq!(typical(&json!({ "median": { "point_estimate": 1 } })), None);
    }

    #[test]
    fn sorts_sizes_as_numbers() {
        let mut ids = ["rank/1000", "rank/10", "draw/100000", "draw/16"];
        ids.sort_by_key(|id| sort_key(id));
        assert_eq!(ids, ["draw/16", "draw/100000", "rank/10", "rank/1000"]);
    }

    #[test]
    fn webdriver_json_lists_the_chromium_args() {
        let caps: Value = serde_json::from_str(&webdriver_json()).unwrap();
        assert_eq!(caps["goog:chromeOptions"]["args"], json!(CHROMIUM_ARGS));
    }
}
