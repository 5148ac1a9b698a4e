//! axe-core, the accessibility engine the browser tests run on each kind of page
//! (`tests/tests/browser_a11y.rs`). `cargo xtask test` installs it from npm at a pinned version
//! into `target/tools/axe` and hands the tests the path of its `axe.min.js` in `HEMICICLO_AXE`.
//! It is a test tool only: nothing of it reaches the site.
//!
//! Unlike wasm-opt (an optimisation, skipped without npm), the accessibility check is a test:
//! without npm the step fails rather than let a run pass without it.

use crate::{run, system, target_dir};
use anyhow::{bail, Context, Result};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The pinned axe-core release. Bump it on purpose: a new release can add or sharpen rules, and
/// so fail a page that passed.
const VERSION: &str = "4.14.1";

/// Makes sure `axe-core@VERSION` is in `target/tools/axe`; returns the path of its
/// `axe.min.js`.
pub(crate) fn install() -> Result<PathBuf> {
    let prefix = target_dir().join("tools").join("axe");
    let package = prefix.join("node_modules").join("axe-core");
    let script = package.join("axe.min.js");
    if installed_version(&package).as_deref() == Some(VERSION) && script.is_file() {
        println!("axe-core {VERSION} already in {}", prefix.display());
        return Ok(script);
    }
    if system::which("npm").is_none() {
        bail!(
            "npm not found: the accessibility tests need axe-core@{VERSION} from the npm \
             registry; install Node.js and npm (Debian: `apt-get install nodejs npm`) and run \
             again"
        );
    }
    fs::create_dir_all(&prefix).with_context(|| format!("creating {}", prefix.display()))?;
    run(Command::new("npm")
        .arg("install")
        .arg("--prefix")
        .arg(&prefix)
        .args([
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
            "--save-exact",
            &format!("axe-core@{VERSION}"),
        ]))?;
    match installed_version(&package) {
        Some(version) if version == VERSION && script.is_file() => Ok(script),
        found => bail!(
            "npm installed axe-core@{VERSION} but {} is {} and {} {}",
            package.display(),
            found.map_or("missing".into(), |v| format!("version {v}")),
            script.display(),
            if script.is_file() {
                "exists"
            } else {
                "is missing"
            },
        ),
    }
}

/// The version in an installed package's `package.json`, if it is there and readable.
fn installed_version(package: &Path) -> Option<String> {
    let text = fs::read_to_string(package.join("package.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["version"].as_str().map(str::to_owned)
}
