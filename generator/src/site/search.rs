//! The search index: Pagefind's, built from each proposal's title, number,
//! authors and the editors' summary, with the browser side Pagefind ships.
//! Searching then needs no server: the page loads Pagefind's module and
//! the few index chunks a query's words fall in, and the service worker
//! keeps what was loaded for use offline.
//!
//! Every language's search page uses the one index, in the data's
//! language (whose stemming it gets). The index is built on a thread of
//! its own while the pages render.
//!
//! Pagefind's indexer holds everything it was given, some 27 KB a
//! proposal, until it writes its files. So a site of more than
//! [`PART_SIZE`] proposals is indexed in parts, one after another, each
//! written and dropped before the next begins: the first in `pagefind/`
//! with Pagefind's scripts and module, the others in `pagefind/1/`,
//! `pagefind/2/`, ... with only their entry, metadata, chunks and
//! fragments. The search page merges them (Pagefind's `mergeIndex`), which
//! searches every part and orders all results by score. Proposal `i` goes
//! to part `i % parts`, so every part is a like sample of the whole and
//! their word statistics, and so their scores, agree. A site of up to
//! [`PART_SIZE`] proposals keeps one index and asks for nothing more.

use crate::content::Content;
use crate::error::{Error, Result};
use crate::ingest::dataset::Dataset;
use crate::site::render::SiteNames;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use std::collections::BTreeMap;

/// Folder of the index and Pagefind's scripts, at the site's root.
pub const SEARCH_BUNDLE_DIR: &str = "pagefind/";

/// The most proposals one part of the index holds: its indexer's peak is
/// some 140 MB, beside the rest of a build (100,000 proposals build
/// within 1 GiB).
pub const PART_SIZE: usize = 5_000;

/// How many parts the index of `proposals` proposals is built in.
pub fn parts(proposals: usize) -> usize {
    proposals.div_ceil(PART_SIZE).max(1)
}

/// Whether the service worker keeps `path`, a file of the site, ahead of
/// a search: Pagefind's scripts and module, and each part's entry and
/// metadata; the chunks and fragments a search needs it keeps as they load.
pub fn kept_ahead(path: &str) -> bool {
    let Some(name) = path.strip_prefix(SEARCH_BUNDLE_DIR) else {
        return false;
    };
    let name = match name.split_once('/') {
        Some((part, rest)) if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) => rest,
        _ => name,
    };
    !name.contains('/')
}

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
/// under [`SEARCH_BUNDLE_DIR`]; only what a search page loads. It is in
/// [`parts`]`(records.len())` parts.
pub fn index(records: Vec<SearchRecord>, language: &str) -> Result<Vec<(String, Vec<u8>)>> {
    index_in_parts(records, language, PART_SIZE)
}

/// [`index`] with at most `part_size` records a part.
fn index_in_parts(
    records: Vec<SearchRecord>,
    language: &str,
    part_size: usize,
) -> Result<Vec<(String, Vec<u8>)>> {
    let count = records.len().div_ceil(part_size.max(1)).max(1);
    let mut parts: Vec<Vec<SearchRecord>> = (0..count)
        .map(|_| Vec::with_capacity(records.len() / count + 1))
        .collect();
    for (i, record) in records.into_iter().enumerate() {
        parts[i % count].push(record);
    }
    // Pagefind indexes each record on a blocking thread. With more than
    // one, a record often lands on a new thread (the last is not idle yet),
    // each with its own allocator arena, where a dropped part's memory is
    // not reused for the next: one thread does all.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .max_blocking_threads(1)
        .build()
        .map_err(|e| Error::Search(e.to_string()))?;
    let mut files = Vec::new();
    for (i, records) in parts.into_iter().enumerate() {
        let folder = match i {
            0 => SEARCH_BUNDLE_DIR.to_owned(),
            i => format!("{SEARCH_BUNDLE_DIR}{i}/"),
        };
        let part = runtime.block_on(index_part(records, language))?;
        let wasm = loaded_modules(&part);
        files.extend(
            part.into_iter()
                // The first part has the scripts and module for all.
                .filter(|(name, _)| loaded(name, &wasm) && (i == 0 || index_file(name)))
                .map(|(name, bytes)| (format!("{folder}{name}"), bytes)),
        );
    }
    Ok(files)
}

/// One index of `records`, as Pagefind names its files; the indexer and
/// all it held are dropped on return.
async fn index_part(records: Vec<SearchRecord>, language: &str) -> Result<Vec<(String, Vec<u8>)>> {
    let failed = |error: anyhow::Error| Error::Search(format!("{error:#}"));
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
    Ok(files
        .into_iter()
        .map(|file| {
            (
                file.filename.to_string_lossy().replace('\\', "/"),
                file.contents,
            )
        })
        .collect())
}

/// Whether `name` is of the index itself (its entry, metadata, chunks,
/// fragments, filters), not a script or module.
fn index_file(name: &str) -> bool {
    name == "pagefind-entry.json" || name.ends_with(".pf_meta") || name.contains('/')
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

    /// Each part's `page_count`, from its entry file.
    fn page_counts(files: &[(String, Vec<u8>)]) -> BTreeMap<String, u64> {
        files
            .iter()
            .filter_map(|(name, bytes)| {
                let folder = name.strip_suffix("pagefind-entry.json")?;
                let entry: serde_json::Value = serde_json::from_slice(bytes).unwrap();
                Some((
                    folder.to_owned(),
                    entry["languages"]["pt"]["page_count"].as_u64()?,
                ))
            })
            .collect()
    }

    #[test]
    fn many_records_are_indexed_in_parts_that_share_the_scripts() {
        let records: Vec<SearchRecord> = (1..=5)
            .map(|i| record(&i.to_string(), &format!("Proposta número {i}")))
            .collect();
        let files = index_in_parts(records.clone(), "pt", 2).unwrap();
        // Records 1 and 4, 2 and 5, then 3.
        assert_eq!(
            page_counts(&files),
            BTreeMap::from([
                ("pagefind/".to_owned(), 2),
                ("pagefind/1/".to_owned(), 2),
                ("pagefind/2/".to_owned(), 1),
            ])
        );
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        for part in ["pagefind/1/", "pagefind/2/"] {
            let mine: Vec<&str> = names.iter().filter_map(|n| n.strip_prefix(part)).collect();
            assert!(mine.iter().any(|n| n.ends_with(".pf_meta")), "{mine:?}");
            assert_eq!(
                mine.iter().filter(|n| n.starts_with("fragment/")).count(),
                page_counts(&files)[part] as usize,
                "{mine:?}"
            );
            assert!(
                mine.iter()
                    .all(|n| !n.ends_with(".js") && !n.starts_with("wasm.")),
                "{mine:?}"
            );
        }
        assert!(names.contains(&"pagefind/pagefind.js"));
        assert!(names.contains(&"pagefind/wasm.pt.pagefind"));
        assert_eq!(files, index_in_parts(records.clone(), "pt", 2).unwrap());
        // As many as a part holds stay one index.
        let one = index_in_parts(records, "pt", 5).unwrap();
        assert_eq!(
            page_counts(&one),
            BTreeMap::from([("pagefind/".to_owned(), 5)])
        );
    }

    #[test]
    fn parts_hold_at_most_a_part_of_proposals() {
        assert_eq!(parts(0), 1);
        assert_eq!(parts(PART_SIZE), 1);
        assert_eq!(parts(PART_SIZE + 1), 2);
        assert_eq!(parts(10 * PART_SIZE), 10);
    }

    #[test]
    fn the_worker_keeps_ahead_the_scripts_and_each_parts_entry_and_metadata() {
        for kept in [
            "pagefind/pagefind.js",
            "pagefind/pagefind-entry.json",
            "pagefind/pagefind.pt_1a.pf_meta",
            "pagefind/3/pagefind-entry.json",
            "pagefind/12/pagefind.pt_1a.pf_meta",
        ] {
            assert!(kept_ahead(kept), "{kept}");
        }
        for loaded in [
            "pagefind/index/pt_1.pf_index",
            "pagefind/fragment/pt_1.pf_fragment",
            "pagefind/3/index/pt_1.pf_index",
            "pagefind/3/fragment/pt_1.pf_fragment",
            "pagefind/x/pagefind-entry.json",
            "p/1/index.html",
        ] {
            assert!(!kept_ahead(loaded), "{loaded}");
        }
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
