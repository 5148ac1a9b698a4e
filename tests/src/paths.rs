//! Locations the tests depend on, resolved from this crate's manifest dir
//! so they do not depend on the current directory.

use std::path::PathBuf;

/// The workspace root (the parent of this crate's dir).
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .expect("the e2e crate lives inside the workspace")
        .to_path_buf()
}

/// The built site under test: `$HEMICICLO_SITE`, else `<workspace>/public`.
///
/// Panics with a hint when the site has not been built, because every
/// browser test would otherwise fail with a confusing 404.
pub fn site_dir() -> PathBuf {
    let dir = match std::env::var_os("HEMICICLO_SITE") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => workspace_root().join("public"),
    };
    if !dir.join("index.html").is_file() {
        panic!(
            "site not built: run `cargo xtask site` (or `cargo xtask test`) \
             (looked for {})",
            dir.join("index.html").display()
        );
    }
    dir
}

/// The Prague example site built for the tests: `$HEMICICLO_PRAHA_SITE`
/// (`cargo xtask test` builds it into the target dir), else
/// `<target>/test-site/praha`.
pub fn praha_site_dir() -> PathBuf {
    let dir = match std::env::var_os("HEMICICLO_PRAHA_SITE") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => target_dir().join("test-site").join("praha"),
    };
    if !dir.join("index.html").is_file() {
        panic!(
            "the Prague example site is not built: run `cargo xtask test`, or build \
             examples/praha/site.toml with --wasm and set HEMICICLO_PRAHA_SITE (looked for {})",
            dir.join("index.html").display()
        );
    }
    dir
}

/// The Prague example's Popolo export.
pub fn praha_data_dir() -> PathBuf {
    workspace_root().join("examples").join("praha").join("data")
}

/// The project's own copy of the vote CSVs.
pub fn votes_dir() -> PathBuf {
    workspace_root().join("data").join("ar-votes")
}

/// Cargo's target dir: `$CARGO_TARGET_DIR` (relative to the workspace
/// if relative), else `<workspace>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => workspace_root().join(dir),
        _ => workspace_root().join("target"),
    }
}

/// A fresh scratch dir `<target>/tmp/e2e-<label>-<pid>`, inside the
/// build tree so that it never litters the system's `/tmp`.
pub fn scratch_dir(label: &str) -> PathBuf {
    let dir = target_dir()
        .join("tmp")
        .join(format!("e2e-{label}-{}", std::process::id()));
    // A leftover from an earlier run with the same pid is stale.
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// The `hemiciclo` command `cargo xtask site` builds: `$HEMICICLO_BIN`,
/// else `<target>/release/hemiciclo`.
pub fn hemiciclo_bin() -> PathBuf {
    let bin = match std::env::var_os("HEMICICLO_BIN") {
        Some(bin) if !bin.is_empty() => PathBuf::from(bin),
        _ => target_dir().join("release").join("hemiciclo"),
    };
    if !bin.is_file() {
        panic!(
            "the hemiciclo command is not built: run `cargo xtask site` (looked for {})",
            bin.display()
        );
    }
    bin
}

/// The path, relative to `site`, of a file the build names by its content:
/// `style.css` → `style.1a2b3c4d.css` (or the name itself when the site
/// has it as it is).
pub fn hashed(site: &std::path::Path, original: &str) -> String {
    if site.join(original).is_file() {
        return original.to_owned();
    }
    let (dir, name) = original.rsplit_once('/').unwrap_or(("", original));
    let (stem, ext) = name
        .rsplit_once('.')
        .expect("a file name with an extension");
    let folder = site.join(dir);
    let entries = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", folder.display()));
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let hash = file
            .strip_prefix(&format!("{stem}."))
            .and_then(|rest| rest.strip_suffix(&format!(".{ext}")));
        if hash.is_some_and(|h| h.len() == 8 && h.bytes().all(|b| b.is_ascii_hexdigit())) {
            return if dir.is_empty() {
                file
            } else {
                format!("{dir}/{file}")
            };
        }
    }
    panic!("{} has no {original}, hashed or not", site.display());
}
