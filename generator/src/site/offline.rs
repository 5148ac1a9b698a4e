//! What makes the quiz work offline and installable: the service worker
//! (`sw.js`) with the list of files it keeps, and a web manifest per
//! language.
//!
//! The worker is the theme's `static/sw.js` with two values written in:
//! the files to keep (every language's quiz and embed pages, the scripts,
//! the modules and the whole quiz bundle) and a version, the hash of those
//! files' bytes. A new build whose quiz files differ gets a new version,
//! which browsers install beside the old one and switch to only once no
//! page of the old one is open — so a visitor never mixes two builds'
//! shards. Proposal pages are not kept ahead (thousands of them); the
//! worker keeps those a visitor opens.

use crate::error::{Error, Result};
use crate::files::sha256_hex;
use crate::site::fingerprint;
use crate::site::output::Output;
use crate::site::render::{EMBED_DIR, RESULTS_PART, SEARCH_DIR};
use crate::site::search;
use hemiciclo_core::bundle::BUNDLE_DIR;

/// Where the worker lives: the site's root, so that its scope covers every language.
pub const WORKER: &str = "sw.js";
/// Each language tree's web manifest.
pub const WEB_MANIFEST: &str = "app.webmanifest";
/// Hex digits of each kept file's SHA-256 the worker checks (64 bits).
const HASH_DIGITS: usize = 16;
const FILES_SLOT: &str = "/*FILES*/[]";
const VERSION_SLOT: &str = "/*VERSION*/\"\"";

/// The theme's files the worker keeps, beside pages, modules and bundle.
const KEPT_ASSETS: &[&str] = &[
    "style.css",
    "results.css",
    "embed.css",
    "quiz.js",
    "results.js",
    "frame.js",
    "pages.css",
    "search.js",
    "icon.svg",
    "icon-192.png",
    "icon-512.png",
];

/// One language tree's manifest: what an installed site is called.
#[derive(Debug)]
pub struct AppName<'a> {
    /// `""` for the first language, `"en/"`, ...
    pub prefix: &'a str,
    pub lang: &'a str,
    pub title: &'a str,
    pub description: &'a str,
}

/// Adds `app.webmanifest` to each tree, then `sw.js` listing what to keep.
/// Call it last: the worker's version hashes the files already in `output`.
pub fn add_offline_files(trees: &[AppName], output: &mut Output) -> Result<()> {
    for tree in trees {
        output.add(format!("{}{WEB_MANIFEST}", tree.prefix), web_manifest(tree));
    }
    let prefixes: Vec<&str> = trees.iter().map(|t| t.prefix).collect();
    let kept = kept_files(&prefixes, output);
    // Each file's SHA-256: its start goes to the worker, which checks it;
    // all of them, with the paths, make the version.
    let hashes: Vec<(&String, String)> = kept
        .iter()
        .map(|path| (path, sha256_hex(&output.get(path).unwrap_or_default())))
        .collect();
    let listing: String = hashes
        .iter()
        .map(|(path, hash)| format!("{path}\n{hash}\n"))
        .collect();
    let version = sha256_hex(listing.as_bytes())[..12].to_owned();
    let files: Vec<(String, String)> = hashes
        .iter()
        .map(|(path, hash)| (url_of(path), hash[..HASH_DIGITS].to_owned()))
        .collect();
    let template = output
        .get(WORKER)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default();
    if !template.contains(FILES_SLOT) || !template.contains(VERSION_SLOT) {
        return Err(Error::Output(format!(
            "static/{WORKER} must keep the slots {FILES_SLOT} and {VERSION_SLOT}, \
             where the build writes the files to keep offline and their version"
        )));
    }
    let worker = template
        .replace(
            FILES_SLOT,
            &serde_json::to_string(&files).expect("strings are JSON"),
        )
        .replace(VERSION_SLOT, &format!("\"{version}\""));
    output.add(WORKER, worker);
    Ok(())
}

/// The files the worker keeps, in `output`'s (sorted) order.
fn kept_files(prefixes: &[&str], output: &Output) -> Vec<String> {
    let pages: Vec<String> = prefixes
        .iter()
        .flat_map(|p| {
            [
                format!("{p}index.html"),
                format!("{p}{EMBED_DIR}index.html"),
                format!("{p}{WEB_MANIFEST}"),
                format!("{p}{RESULTS_PART}"),
                format!("{p}{SEARCH_DIR}index.html"),
            ]
        })
        .collect();
    output
        .paths()
        .into_iter()
        .filter(|path| {
            pages.iter().any(|p| p == path)
                || KEPT_ASSETS.contains(&fingerprint::original(path).as_str())
                || path.starts_with("pkg/")
                || path.starts_with(&format!("{BUNDLE_DIR}/"))
                // Pagefind's scripts, module and the index's entries and
                // metadata; the chunks a search needs are kept as it loads them.
                || search::kept_ahead(path)
        })
        .collect()
}

/// The URL the worker asks for a file: a folder's page by its folder.
fn url_of(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some("") => "./".to_owned(),
        Some(folder) => folder.to_owned(),
        None => path.to_owned(),
    }
}

fn web_manifest(tree: &AppName) -> String {
    let up = "../".repeat(tree.prefix.matches('/').count());
    let icon = |name: &str, sizes: &str, kind: &str| serde_json::json!({"src": format!("{up}{name}"), "sizes": sizes, "type": kind});
    let manifest = serde_json::json!({
        "name": tree.title,
        "short_name": tree.title,
        "description": tree.description,
        "lang": tree.lang,
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5cad",
        "icons": [
            icon("icon.svg", "any", "image/svg+xml"),
            icon("icon-192.png", "192x192", "image/png"),
            icon("icon-512.png", "512x512", "image/png"),
        ],
    });
    serde_json::to_string_pretty(&manifest).expect("a JSON value")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Output {
        let output = Output::default();
        for path in [
            "index.html",
            "embed/index.html",
            "en/index.html",
            "en/embed/index.html",
            "p/1/index.html",
            "en/p/1/index.html",
            "status/index.html",
            "style.css",
            "quiz.js",
            "results.js",
            "pkg/hemiciclo_web.js",
            "data/manifest.json",
            "data/cards/0.json",
        ] {
            output.add(path, path.as_bytes().to_vec());
        }
        output.add(WORKER, include_bytes!("../../../static/sw.js").to_vec());
        output
    }

    fn trees() -> Vec<AppName<'static>> {
        ["", "en/"]
            .into_iter()
            .map(|prefix| AppName {
                prefix,
                lang: "pt-PT",
                title: "Site",
                description: "d",
            })
            .collect()
    }

    fn worker(output: &Output) -> String {
        String::from_utf8(output.get(WORKER).unwrap().to_vec()).unwrap()
    }

    #[test]
    fn the_worker_keeps_quiz_pages_modules_and_bundle_not_proposal_pages() {
        let mut output = site();
        add_offline_files(&trees(), &mut output).unwrap();
        let worker = worker(&output);
        let files = worker
            .split_once("const FILES = ")
            .and_then(|(_, rest)| rest.split_once(';'))
            .map(|(list, _)| serde_json::from_str::<Vec<(String, String)>>(list).unwrap())
            .expect("the list is written in");
        let hash = sha256_hex(b"quiz.js");
        assert!(files.contains(&("quiz.js".into(), hash[..16].to_owned())));
        let files: Vec<&str> = files.iter().map(|(url, _)| url.as_str()).collect();
        assert_eq!(
            files,
            [
                "app.webmanifest",
                "data/cards/0.json",
                "data/manifest.json",
                "embed/",
                "en/app.webmanifest",
                "en/embed/",
                "en/",
                "./",
                "pkg/hemiciclo_web.js",
                "quiz.js",
                "results.js",
                "style.css",
            ]
        );
        assert!(!worker.contains("/*VERSION*/"), "{worker}");
        assert!(output.get("en/app.webmanifest").is_some());
    }

    #[test]
    fn the_version_changes_with_any_kept_file_and_only_then() {
        let version = |output: &mut Output| {
            add_offline_files(&trees(), output).unwrap();
            let worker = worker(output);
            worker
                .split_once("const VERSION = \"")
                .map(|(_, rest)| rest[..12].to_owned())
                .unwrap()
        };
        let first = version(&mut site());
        assert_eq!(version(&mut site()), first, "deterministic");
        let mut other_page = site();
        other_page.add("p/1/index.html", b"changed".to_vec());
        assert_eq!(version(&mut other_page), first);
        let mut other_shard = site();
        other_shard.add("data/cards/0.json", b"changed".to_vec());
        assert_ne!(version(&mut other_shard), first);
    }

    #[test]
    fn the_manifest_of_a_tree_points_at_the_shared_icons() {
        let manifest: serde_json::Value = serde_json::from_str(&web_manifest(&AppName {
            prefix: "en/",
            lang: "en",
            title: "How they vote",
            description: "d",
        }))
        .unwrap();
        assert_eq!(manifest["name"], "How they vote");
        assert_eq!(manifest["icons"][1]["src"], "../icon-192.png");
        assert_eq!(manifest["start_url"], "./");
    }
}
