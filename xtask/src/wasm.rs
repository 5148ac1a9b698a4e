//! Turning `hemiciclo-web` into the files a browser loads: compile to wasm32, generate the JS
//! glue with wasm-bindgen (as a library, so its version is pinned by Cargo.lock together with
//! the `wasm-bindgen` crate and can never drift), then shrink it with wasm-opt if we can.
//!
//! The crate is built twice: without its `results` feature into `hemiciclo_web` (the small
//! module that asks the first cards, inside the first-question budget), and with it into
//! `hemiciclo_results` (scores, verdict, share codes, continuing), which the page loads once
//! the first card is on screen.

use crate::{cargo, run, target_dir};
use anyhow::{bail, Context, Result};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) const TARGET: &str = "wasm32-unknown-unknown";
const CRATE: &str = "hemiciclo-web";
const LIB: &str = "hemiciclo_web";
/// The module built with the `results` feature.
const RESULTS_LIB: &str = "hemiciclo_results";

/// What the WASM build produced.
#[derive(Debug)]
pub(crate) struct Package {
    /// Directory holding `hemiciclo_web.js`, `hemiciclo_web_bg.wasm` and the same two files
    /// of `hemiciclo_results`.
    pub dir: PathBuf,
    /// The final `.wasm` file of the first-question module inside `dir`.
    pub wasm: PathBuf,
    /// The final `.wasm` file of the results module inside `dir`.
    pub results_wasm: PathBuf,
    /// Whether wasm-opt ran.
    pub optimized: bool,
}

/// Builds the browser package into `target/wasm-pkg`.
pub(crate) fn package() -> Result<Package> {
    package_into(&target_dir().join("wasm-pkg"), false)
}

/// The same package with function names kept (for size breakdowns), into
/// `target/wasm-names`; otherwise built exactly as [`package`] builds it.
pub(crate) fn package_with_names() -> Result<Package> {
    package_into(&target_dir().join("wasm-names"), true)
}

fn package_into(dir: &Path, keep_names: bool) -> Result<Package> {
    ensure_target()?;
    let dir = dir.to_path_buf();
    // Stale files from an older build (renamed exports, snippets) must not reach the site.
    if dir.exists() {
        fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let staging = target_dir().join("wasm-raw");
    fs::create_dir_all(&staging).with_context(|| format!("creating {}", staging.display()))?;
    let mut optimized = true;
    let mut built = Vec::new();
    for (lib, features) in [(LIB, false), (RESULTS_LIB, true)] {
        // wasm-bindgen names its output after the input file.
        let raw = staging.join(format!("{lib}.wasm"));
        fs::copy(build(features)?, &raw).with_context(|| format!("writing {}", raw.display()))?;
        bindgen(&raw, &dir, keep_names)?;
        let wasm = dir.join(format!("{lib}_bg.wasm"));
        optimized &= optimize(&wasm, keep_names)?;
        built.push(wasm);
    }
    let results_wasm = built.pop().unwrap_or_default();
    let wasm = built.pop().unwrap_or_default();
    Ok(Package {
        dir,
        wasm,
        results_wasm,
        optimized,
    })
}

/// Installs the wasm32 target through rustup when it is missing.
pub(crate) fn ensure_target() -> Result<()> {
    let output = match Command::new("rustup")
        .args(["target", "list", "--installed"])
        .current_dir(crate::root())
        .output()
    {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "rustup not found: install rustup (https://rustup.rs), \
             then run `rustup target add {TARGET}`"
        ),
        Err(e) => return Err(e).context("could not run `rustup target list --installed`"),
    };
    if !output.status.success() {
        bail!(
            "`rustup target list --installed` failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    if String::from_utf8_lossy(&output.stdout)
        .lines()
        .any(|l| l.trim() == TARGET)
    {
        return Ok(());
    }
    run(Command::new("rustup")
        .args(["target", "add", TARGET])
        .current_dir(crate::root()))
}

/// Compiles the cdylib with the size-optimised `wasm` profile, with or without the `results`
/// feature; returns the raw module.
fn build(results: bool) -> Result<PathBuf> {
    let mut command = cargo([
        "build",
        "-p",
        CRATE,
        "--profile",
        "wasm",
        "--target",
        TARGET,
    ]);
    if !results {
        command.arg("--no-default-features");
    }
    run(&mut command)?;
    let wasm = target_dir()
        .join(TARGET)
        .join("wasm")
        .join(format!("{LIB}.wasm"));
    if !wasm.is_file() {
        bail!("the build succeeded but {} is missing", wasm.display());
    }
    Ok(wasm)
}

/// Runs wasm-bindgen like `wasm-bindgen --target web --no-typescript
/// --remove-name-section --remove-producers-section --out-dir <out> <input>`.
fn bindgen(input: &Path, out: &Path, keep_names: bool) -> Result<()> {
    println!(
        "$ wasm-bindgen (library) {} -> {}",
        input.display(),
        out.display()
    );
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(input)
        .web(true)?
        .typescript(false)
        // The CLI's default: `init()` then finds the .wasm next to the JS without a URL.
        .omit_default_module_path(false)
        .remove_name_section(!keep_names)
        .remove_producers_section(true)
        .generate(out)
        .with_context(|| format!("wasm-bindgen on {}", input.display()))
}

/// Shrinks `wasm` in place with `wasm-opt -Oz` from npm's binaryen@132.
///
/// Debian's binaryen (108) is deliberately not used: its output throws in current Chromium.
/// wasm-opt is only an optimisation, so without npm we warn and keep the module as it is.
fn optimize(wasm: &Path, keep_names: bool) -> Result<bool> {
    let prefix = target_dir().join("tools").join("npm");
    let wasm_opt = prefix.join("node_modules").join(".bin").join("wasm-opt");
    if !wasm_opt.exists() {
        if crate::system::which("npm").is_none() {
            warn("npm not found; skipping wasm-opt (install nodejs and npm for a smaller module)");
            return Ok(false);
        }
        fs::create_dir_all(&prefix).with_context(|| format!("creating {}", prefix.display()))?;
        let mut install = Command::new("npm");
        install.arg("install").arg("--prefix").arg(&prefix).args([
            "--no-audit",
            "--no-fund",
            "binaryen@132",
        ]);
        if let Err(e) = run(&mut install) {
            warn(&format!("{e:#}; skipping wasm-opt"));
            return Ok(false);
        }
        if !wasm_opt.exists() {
            warn(&format!(
                "npm installed binaryen but {} is missing; skipping wasm-opt",
                wasm_opt.display()
            ));
            return Ok(false);
        }
    }
    let tmp = wasm.with_extension("opt.wasm");
    let mut command = Command::new(&wasm_opt);
    command.arg("-Oz");
    if keep_names {
        command.arg("--debuginfo");
    }
    run(command.arg(wasm).arg("-o").arg(&tmp))?;
    fs::rename(&tmp, wasm).with_context(|| format!("replacing {}", wasm.display()))?;
    Ok(true)
}

fn warn(message: &str) {
    eprintln!("warning: {message}");
}
