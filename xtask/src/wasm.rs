//! Turning `hemiciclo-web` into the files a browser loads: compile to wasm32, generate the JS
//! glue with wasm-bindgen (as a library, so its version is pinned by Cargo.lock together with
//! the `wasm-bindgen` crate and can never drift), then shrink it with wasm-opt if we can.

use crate::{cargo, run, target_dir};
use anyhow::{bail, Context, Result};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) const TARGET: &str = "wasm32-unknown-unknown";
const CRATE: &str = "hemiciclo-web";
const LIB: &str = "hemiciclo_web";

/// What the WASM build produced.
#[derive(Debug)]
pub(crate) struct Package {
    /// Directory holding `hemiciclo_web.js` and `hemiciclo_web_bg.wasm`.
    pub dir: PathBuf,
    /// The final `.wasm` file inside `dir`.
    pub wasm: PathBuf,
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
    let raw = build()?;
    let dir = dir.to_path_buf();
    bindgen(&raw, &dir, keep_names)?;
    let wasm = dir.join(format!("{LIB}_bg.wasm"));
    let optimized = optimize(&wasm, keep_names)?;
    Ok(Package {
        dir,
        wasm,
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

/// Compiles the cdylib with the size-optimised `wasm` profile; returns the raw module.
fn build() -> Result<PathBuf> {
    run(&mut cargo([
        "build",
        "-p",
        CRATE,
        "--profile",
        "wasm",
        "--target",
        TARGET,
    ]))?;
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
    // Stale files from an older build (renamed exports, snippets) must not reach the site.
    if out.exists() {
        fs::remove_dir_all(out).with_context(|| format!("removing {}", out.display()))?;
    }
    fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
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
