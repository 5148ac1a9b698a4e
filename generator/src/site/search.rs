//! The search index: Pagefind's, built from each proposal's title, number,
//! authors and the editors' summary, with the browser side Pagefind ships.
//! Searching then needs no server: the page loads Pagefind's module and
//! the few index chunks a query's words fall in, and the service worker
//! keeps what was loaded for use offline.
//!
//! Every language's search page uses the one index, in the data's
//! language (whose stemming it gets). The index is built on a thread of
//! its own while the pages render.

use crate::content::Content;
use crate::error::{Error, Result};
use crate::ingest::dataset::Dataset;
use crate::site::render::SiteNames;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use std::collections::BTreeMap;

/// Folder of the index and Pagefind's scripts, at the site's root.
pub const SEARCH_BUNDLE_DIR: &str = "pagefind/";

/// One proposal as the index sees it.
#[derive(Debug, Clone)]
pub struct SearchRecord {
    /// Its page, from a language tree's root (`p/123/`).
    pub url: String,
    pub title: String,
    /// The words searched besides the title: kind and number, authors,
    /// the editors' summary.
    pub text: String,
    /// Shown under the title in results: kind and number, as the data has them.
    pub heading: String,
    /// `YYYY-MM-DD`, or empty.
    pub date: String,
}

/// What the index holds of each proposal of `dataset`.
pub fn records(dataset: &Dataset, content: &Content, names: &SiteNames) -> Vec<SearchRecord> {
    dataset
        .proposals
        .iter()
        .map(|p| {
            let heading = format!("{} {}", p.kind.trim(), p.number.trim())
                .trim()
                .to_owned();
            let mut text = vec![heading.clone(), p.authors.join(", ")];
            if let Some(note) = content.proposals.get(&p.id) {
                text.push(note.summary_text.clone());
                text.push(note.tags.join(", "));
            }
            SearchRecord {
                url: names.proposal_dir(&p.id),
                title: p.title.clone(),
                text: text.join(". "),
                heading,
                date: p.date().map(|d| d.to_string()).unwrap_or_default(),
            }
        })
        .collect()
}

/// The index of `records` in `language` (an ISO 639-1 code), as files
/// under [`SEARCH_BUNDLE_DIR`]; only what a search page loads.
pub fn index(records: Vec<SearchRecord>, language: &str) -> Result<Vec<(String, Vec<u8>)>> {
    let failed = |error: anyhow::Error| Error::Search(format!("{error:#}"));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| Error::Search(e.to_string()))?;
    runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .force_language(language.to_owned())
            .build();
        let mut index = PagefindIndex::new(Some(config)).map_err(failed)?;
        for record in records {
            let meta = BTreeMap::from([
                ("title".to_owned(), record.title.clone()),
                ("heading".to_owned(), record.heading),
                ("date".to_owned(), record.date),
            ]);
            let content = format!("{}. {}", record.title, record.text);
            index
                .add_custom_record(
                    record.url,
                    content,
                    language.to_owned(),
                    Some(meta),
                    None,
                    None,
                )
                .await
                .map_err(failed)?;
        }
        let files = index.get_files().await.map_err(failed)?;
        let files: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .map(|file| {
                (
                    file.filename.to_string_lossy().replace('\\', "/"),
                    file.contents,
                )
            })
            .collect();
        let wasm = loaded_modules(&files);
        Ok(files
            .into_iter()
            .filter(|(name, _)| loaded(name, &wasm))
            .map(|(name, bytes)| (format!("{SEARCH_BUNDLE_DIR}{name}"), bytes))
            .collect())
    })
}

/// The language modules (`wasm.pt.pagefind`) the entry file names.
fn loaded_modules(files: &[(String, Vec<u8>)]) -> Vec<String> {
    let entry = files
        .iter()
        .find(|(name, _)| name == "pagefind-entry.json")
        .and_then(|(_, bytes)| serde_json::from_slice::<serde_json::Value>(bytes).ok());
    let Some(languages) = entry.as_ref().and_then(|e| e["languages"].as_object()) else {
        return Vec::new();
    };
    // A language Pagefind has no stemmer for names none: the browser then
    // loads the language-neutral module.
    languages
        .values()
        .map(|l| l["wasm"].as_str().unwrap_or("unknown"))
        .map(|w| format!("wasm.{w}.pagefind"))
        .collect()
}

/// Whether a search page loads `name`: not Pagefind's own interfaces (the
/// site has its own), its playground, or a language module left unused.
fn loaded(name: &str, wasm: &[String]) -> bool {
    if name.starts_with("wasm.") {
        return wasm.iter().any(|w| w == name);
    }
    let interface = name.contains("-ui.") || name.starts_with("pagefind-highlight");
    !interface && !name.starts_with("playground/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, title: &str) -> SearchRecord {
        SearchRecord {
            url: format!("p/{id}/"),
            title: title.to_owned(),
            text: String::new(),
            heading: "Projeto de Lei".to_owned(),
            date: "2025-01-02".to_owned(),
        }
    }

    #[test]
    fn the_index_is_pagefinds_without_its_interfaces_and_the_same_twice() {
        let records = vec![
            record("1", "Habitação a custos controlados"),
            record("2", "Proteção dos animais de companhia"),
        ];
        let files = index(records.clone(), "pt").unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        for needed in [
            "pagefind/pagefind.js",
            "pagefind/pagefind-worker.js",
            "pagefind/pagefind-entry.json",
            "pagefind/wasm.pt.pagefind",
        ] {
            assert!(names.contains(&needed), "{needed} missing from {names:?}");
        }
        assert!(names.iter().any(|n| n.ends_with(".pf_meta")), "{names:?}");
        assert!(names.iter().any(|n| n.starts_with("pagefind/fragment/")));
        assert!(
            !names
                .iter()
                .any(|n| n.contains("-ui.") || n.contains("wasm.unknown")),
            "{names:?}"
        );
        assert_eq!(files, index(records.clone(), "pt").unwrap());
    }

    #[test]
    fn a_language_without_a_stemmer_keeps_the_neutral_module() {
        let files = index(vec![record("1", "Rozpočet hlavního města")], "cs").unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        let entry: serde_json::Value = serde_json::from_slice(
            &files
                .iter()
                .find(|(n, _)| n == "pagefind/pagefind-entry.json")
                .unwrap()
                .1,
        )
        .unwrap();
        let module = entry["languages"]["cs"]["wasm"]
            .as_str()
            .unwrap_or("unknown");
        assert!(
            names.contains(&format!("pagefind/wasm.{module}.pagefind").as_str()),
            "{module} missing from {names:?}"
        );
    }
}
