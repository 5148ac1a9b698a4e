//! System packages the browser tests need. Cargo cannot provide a browser, so on a fresh CI
//! machine (root, Debian) we install them with apt; anywhere else we say exactly what is missing
//! rather than guess at the local package manager.

use crate::run;
use anyhow::{bail, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Debian packages, installed together so that chromium and its driver share a version.
const PACKAGES: [&str; 3] = ["chromium", "chromium-driver", "fonts-dejavu-core"];

/// Screenshots in the end-to-end tests need a real font; this file comes from fonts-dejavu-core.
const FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

/// Makes sure chromium, chromedriver and the fonts are present; returns chromedriver's path.
pub(crate) fn ensure_browser() -> Result<PathBuf> {
    let missing = what_is_missing();
    if missing.is_empty() {
        return chromedriver();
    }
    let install = format!(
        "apt-get install --no-install-recommends {}",
        PACKAGES.join(" ")
    );
    if !is_root() || which("apt-get").is_none() {
        bail!(
            "missing {}; install the Debian packages {} (e.g. `{install}` as root)",
            missing.join(", "),
            PACKAGES.join(" "),
        );
    }
    println!(
        "missing {}; installing {}",
        missing.join(", "),
        PACKAGES.join(" ")
    );
    run(Command::new("apt-get").arg("update"))?;
    run(Command::new("apt-get")
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args(["install", "-y", "--no-install-recommends"])
        .args(PACKAGES))?;
    let still = what_is_missing();
    if !still.is_empty() {
        bail!("still missing {} after `{install}`", still.join(", "));
    }
    chromedriver()
}

fn what_is_missing() -> Vec<&'static str> {
    let mut missing = Vec::new();
    for program in ["chromium", "chromedriver"] {
        if which(program).is_none() {
            missing.push(program);
        }
    }
    if !Path::new(FONT).is_file() {
        missing.push("fonts-dejavu-core");
    }
    missing
}

fn chromedriver() -> Result<PathBuf> {
    which("chromedriver").ok_or_else(|| anyhow::anyhow!("chromedriver not found on PATH"))
}

/// The first executable called `name` on PATH.
pub(crate) fn which(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| {
            p.metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.status.success() && o.stdout.trim_ascii() == b"0")
}
