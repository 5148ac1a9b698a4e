//! `cargo xtask site`: the WASM package plus the generator's pages, in one command. `cargo xtask
//! test` calls the same function, so the end-to-end tests see exactly what gets deployed, and
//! builds the example sites (`examples/*/site.toml`) with the same module.

use crate::{cargo, run, wasm};
use anyhow::{Context, Result};
use std::path::Path;
use xtask::measure::gzipped_len;

/// Builds an example site, whose configuration is `config`, into `out` with the quiz module of
/// `pkg`; the pipeline's work goes to `work`, so nothing is written inside the repository.
pub(crate) fn build_example(
    pkg: &wasm::Package,
    config: &Path,
    out: &Path,
    work: &Path,
) -> Result<()> {
    let mut generate = cargo(["run", "-p", "hemiciclo", "--release", "--", "build"]);
    generate
        .arg("--config")
        .arg(config)
        .arg("--out")
        .arg(out)
        .arg("--work-dir")
        .arg(work)
        .arg("--wasm")
        .arg(&pkg.dir);
    run(&mut generate)
}

/// Builds the whole site into `out` and prints a size summary; returns the quiz module's
/// package, for the example sites.
pub(crate) fn build(out: &Path) -> Result<wasm::Package> {
    let pkg = wasm::package()?;
    let mut generate = cargo([
        "run",
        "-p",
        "hemiciclo",
        "--release",
        "--",
        "build",
        "--out",
    ]);
    generate.arg(out).arg("--wasm").arg(&pkg.dir);
    run(&mut generate)?;

    println!();
    for (label, path) in [("wasm", &pkg.wasm), ("results wasm", &pkg.results_wasm)] {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        println!(
            "{label}: {} bytes, {} gzipped{}",
            bytes.len(),
            gzipped_len(&bytes),
            if pkg.optimized {
                " (wasm-opt -Oz)"
            } else {
                " (not optimised by wasm-opt)"
            }
        );
    }
    println!("site: {}", out.display());
    Ok(pkg)
}
