//! `cargo xtask size`: what the WASM module weighs, and what each crate costs.
//!
//! Builds the module exactly as the site ships it (raw and gzipped bytes),
//! then a copy that keeps function names, and asks twiggy (installed with
//! `cargo install twiggy` when missing) for every item's size. Items are
//! summed per crate from their mangled paths, so a change that drags in a
//! dependency (float formatting, a Debug impl, a JSON library) shows up
//! by name.

use crate::{run, wasm};
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::process::Command;

pub(crate) fn report() -> Result<()> {
    let shipped = wasm::package()?;
    let bytes = std::fs::read(&shipped.wasm)
        .with_context(|| format!("reading {}", shipped.wasm.display()))?;
    let named = wasm::package_with_names()?;
    let twiggy = twiggy()?;
    let output = Command::new(&twiggy)
        .args(["top", "-n", "1000000", "--format", "csv"])
        .arg(&named.wasm)
        .output()
        .context("running twiggy")?;
    if !output.status.success() {
        bail!("twiggy failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let by_crate = per_crate(&String::from_utf8_lossy(&output.stdout));
    let total: u64 = by_crate.values().sum();
    let mut rows: Vec<(&String, &u64)> = by_crate.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    println!(
        "\nshipped module: {} bytes, {} gzipped{}",
        bytes.len(),
        xtask::measure::gzipped_len(&bytes),
        if shipped.optimized {
            " (wasm-opt -Oz)"
        } else {
            " (no wasm-opt)"
        }
    );
    println!("\nper crate, in the same module with names kept ({total} bytes of items):");
    for (name, size) in rows {
        println!(
            "  {name:<28} {size:>8} bytes  {:>5.1}%",
            *size as f64 * 100.0 / total.max(1) as f64
        );
    }
    Ok(())
}

/// Sums twiggy's CSV rows (`Name,ShallowSize,...`) per crate.
fn per_crate(csv: &str) -> BTreeMap<String, u64> {
    let mut sums = BTreeMap::new();
    for line in csv.lines().skip(1) {
        // Names may contain commas; the size is the first field after the last quote.
        let (name, rest) = match line.strip_prefix('"') {
            Some(quoted) => match quoted.rsplit_once("\",") {
                Some((name, rest)) => (name.to_owned(), rest),
                None => continue,
            },
            None => match line.split_once(',') {
                Some((name, rest)) => (name.to_owned(), rest),
                None => continue,
            },
        };
        let Some(size) = rest.split(',').next().and_then(|s| s.parse::<u64>().ok()) else {
            continue;
        };
        *sums.entry(crate_of(&name)).or_insert(0) += size;
    }
    sums
}

/// The crate an item belongs to, from its demangled name.
fn crate_of(name: &str) -> String {
    if name.starts_with("data[") || name.starts_with("data segment") {
        return "(data: strings, tables)".into();
    }
    if name.ends_with("multivalue shim") {
        // An exported method with the core code inlined into it.
        return "hemiciclo_web (exports)".into();
    }
    if name.starts_with("custom section") || name.contains("subsection") {
        return "(names, custom sections)".into();
    }
    let path = name
        .trim_start_matches(['<', '&', '*', ' ', '(', '['])
        .trim_start_matches("mut ")
        .trim_start_matches("dyn ");
    // `<T as Trait>::f`: the type's crate when it has a path, else the trait's.
    let path = match path.split_once(" as ") {
        Some((ty, _)) if ty.contains("::") => ty,
        Some((_, tr)) => tr,
        None => path,
    };
    let first = path.split("::").next().unwrap_or(path);
    // `core[c5930c85a12de822]` -> `core`.
    let first = first.split('[').next().unwrap_or(first);
    let is_crate = !first.is_empty() && first.chars().all(|c| c.is_alphanumeric() || c == '_');
    if path.contains("::") && is_crate {
        first.to_owned()
    } else if name.starts_with('<') {
        // A method on a built-in type (`<char>::…`, `<[T]>::…`).
        "core".into()
    } else if name.starts_with("code[") || name.starts_with("elem[") || name.starts_with("table[") {
        "(unnamed code)".into()
    } else if name.starts_with("import ") || name.starts_with("export ") || name.contains("_bg") {
        "(imports, exports)".into()
    } else {
        // wasm-bindgen's exported shims and glue.
        "(wasm-bindgen glue)".into()
    }
}

/// twiggy on PATH or in cargo's bin folder, installed when missing.
fn twiggy() -> Result<std::path::PathBuf> {
    if let Some(path) = crate::system::which("twiggy") {
        return Ok(path);
    }
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cargo")))
        .map(|home| home.join("bin").join("twiggy"));
    if let Some(path) = cargo_bin.filter(|p| p.is_file()) {
        return Ok(path);
    }
    // Not `--locked`: the registry mirror can lag behind twiggy's lock file.
    run(Command::new("cargo").args(["install", "twiggy"]))?;
    crate::system::which("twiggy").context("twiggy installed but not on PATH")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_summed_per_crate() {
        let csv = "Name,ShallowSize,ShallowSizePercent\n\
            hemiciclo_core::quiz::Quiz::new::h1,100,1.0\n\
            \"<char as core[c59]::fmt::Debug>::fmt\",30,0.3\n\
            core[c59]::fmt::write,20,0.2\n\
            data[0],50,0.5\n\
            \"custom section 'name'\",7,0.1\n";
        let sums = per_crate(csv);
        assert_eq!(sums["hemiciclo_core"], 100);
        assert_eq!(sums["core"], 50, "{sums:?}");
        assert_eq!(sums["(data: strings, tables)"], 50);
    }
}
