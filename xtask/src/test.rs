//! `cargo xtask test`: every check the project has, cheapest first, stopping at the first
//! failure. One command for developers and CI alike, so "works on my machine" means the same
//! thing in both places.

use crate::{axe, cargo, fuzz, root, run, site, system, target_dir, wasm};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The cargo profile for the test runner. The dev profile builds it in ~40 s but then spends
/// ~5.5 s per test module in unoptimised walrus/DWARF code; optimising just those hot crates
/// gets a run down to ~1.8 s while building in about half the time of an optimised profile
/// (measured on 2 cores). Passed with `--config` to keep tool-only profiles out of Cargo.toml.
const RUNNER_PROFILE: &str = "test-runner";
const RUNNER_PROFILE_CONFIG: [&str; 7] = [
    "profile.test-runner.inherits=\"dev\"",
    "profile.test-runner.debug=false",
    "profile.test-runner.package.walrus.opt-level=2",
    "profile.test-runner.package.wasmparser.opt-level=2",
    "profile.test-runner.package.wasm-encoder.opt-level=2",
    "profile.test-runner.package.gimli.opt-level=2",
    "profile.test-runner.package.wasm-bindgen-cli-support.opt-level=2",
];

/// Seconds each fuzz target runs for in `cargo xtask test`: a short smoke run on every change
/// (nine targets, two at a time on two cores, so under two minutes after a build of about five);
/// `cargo xtask fuzz` runs longer.
const FUZZ_SECONDS: u64 = 20;

pub(crate) fn all() -> Result<()> {
    let started = Instant::now();
    step("rustfmt", || {
        run(&mut cargo(["fmt", "--all", "--", "--check"]))
    })?;
    step("clippy (native)", || {
        run(&mut cargo([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    step("clippy (wasm32)", || {
        wasm::ensure_target()?;
        // With the `results` feature (and the tests), then without it: the
        // first-question module.
        for features in ["--all-targets", "--no-default-features"] {
            run(&mut cargo([
                "clippy",
                "-p",
                "hemiciclo-web",
                "--target",
                wasm::TARGET,
                features,
                "--",
                "-D",
                "warnings",
            ]))?;
        }
        Ok(())
    })?;
    let chromedriver = step("system packages", system::ensure_browser)?;

    // Tests write their scratch sites, and Chromium ~10 MB of profile per session, to TMPDIR
    // (integration tests to the same `target/tmp`, Cargo's CARGO_TARGET_TMPDIR): emptied here
    // so that runs do not pile up.
    let tmp = target_dir().join("tmp");
    recreate(&tmp)?;

    step("native tests", || {
        run(cargo([
            "test",
            "--workspace",
            "--exclude",
            "hemiciclo-web",
            "--exclude",
            "hemiciclo-e2e",
        ])
        .env("TMPDIR", &tmp))
    })?;

    let runner = step("build wasm-bindgen-test-runner", build_runner)?;
    step("wasm tests (headless chromium)", || {
        // No `-q`: the runner rejects `--quiet`.
        run(
            cargo(["test", "-p", "hemiciclo-web", "--target", wasm::TARGET])
                .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", &runner)
                .env("CHROMEDRIVER", &chromedriver)
                .env("TMPDIR", &tmp),
        )
    })?;

    let site_dir = target_dir().join("test-site").join("public");
    let praha_dir = target_dir().join("test-site").join("praha");
    step("build site", || {
        recreate(&site_dir)?;
        let pkg = site::build(&site_dir)?;
        // The Popolo example (a city council), played by its own browser test.
        recreate(&praha_dir)?;
        site::build_example(
            &pkg,
            &root().join("examples/praha/site.toml"),
            &praha_dir,
            &target_dir().join("test-site").join("praha-work"),
        )
    })?;
    let axe = step("install axe-core (accessibility tests)", axe::install)?;
    step("end-to-end tests", || {
        run(cargo(["test", "-p", "hemiciclo-e2e"])
            .env("HEMICICLO_SITE", &site_dir)
            .env("HEMICICLO_AXE", &axe)
            .env("HEMICICLO_PRAHA_SITE", &praha_dir)
            .env(
                "HEMICICLO_BIN",
                target_dir().join("release").join("hemiciclo"),
            )
            .env("CHROMEDRIVER", &chromedriver)
            .env("TMPDIR", &tmp))
    })?;

    // Last, so that the bundle of the site built above seeds the bundle target.
    step("fuzz targets", || fuzz::all(FUZZ_SECONDS, &[]))?;

    println!("\nall checks passed in {:.1?}", started.elapsed());
    Ok(())
}

/// Builds `wasm-bindgen-test-runner` from the `wasm-bindgen-cli` library at the pinned version,
/// instead of relying on a `cargo install`ed binary whose version may not match.
pub(crate) fn build_runner() -> Result<PathBuf> {
    let mut build = cargo(["build", "-p", "xtask", "--bin", "wasm-bindgen-test-runner"]);
    build.args(["--features", "test-runner", "--profile", RUNNER_PROFILE]);
    for setting in RUNNER_PROFILE_CONFIG {
        build.args(["--config", setting]);
    }
    run(&mut build)?;
    Ok(target_dir()
        .join(RUNNER_PROFILE)
        .join("wasm-bindgen-test-runner"))
}

/// Runs one named step, printing its duration and the disk space left where it builds; a
/// failure names the step, and says so when the disk was the likely cause.
pub(crate) fn step<T>(name: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    println!("\n==> {name}");
    let started = Instant::now();
    let result = f().with_context(|| format!("step `{name}` failed"));
    let verdict = if result.is_ok() { "done" } else { "FAILED" };
    let free = free_bytes(&target_dir());
    let disk = free.map_or_else(String::new, |free| {
        format!(" ({:.1} GB free on disk)", free as f64 / 1e9)
    });
    println!("<== {name}: {verdict} in {:.1?}{disk}", started.elapsed());
    match free {
        Some(free) if result.is_err() && free < LOW_DISK_BYTES => result.context(format!(
            "only {} MB are free where the build writes ({}); free some space and run again",
            free / 1_000_000,
            target_dir().display()
        )),
        _ => result,
    }
}

/// Below this, a failed step is most likely a full disk (a test build needs several GB).
const LOW_DISK_BYTES: u64 = 1_000_000_000;

/// Bytes free on the file system holding `path` (the nearest existing ancestor), from POSIX
/// `df`; `None` where `df` is missing or says something else.
fn free_bytes(path: &Path) -> Option<u64> {
    let existing = path.ancestors().find(|dir| dir.exists())?;
    let output = std::process::Command::new("df")
        .args(["-Pk"])
        .arg(existing)
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    // POSIX format: a header, then "filesystem blocks used available capacity mount".
    let kib: u64 = text
        .lines()
        .nth(1)?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()?;
    Some(kib * 1024)
}

/// Empties `dir`, creating it if needed.
pub(crate) fn recreate(dir: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
}
