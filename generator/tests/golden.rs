//! Golden tests: a small fixture site (`tests/fixtures/golden/`) is built
//! and the meaningful part of each kind of page — the `<main>` element of
//! a page, the whole of a feed, sitemap or robots file — is compared with
//! the expected file in `tests/golden/`. A change to what a page says
//! shows up as a diff to review; when it is intended, accept it with
//!
//! ```sh
//! HEMICICLO_BLESS=1 cargo test -p hemiciclo --test golden
//! ```
//!
//! which rewrites the expected files.

use hemiciclo::ingest::IngestOptions;
use hemiciclo::site::{build, BuildOptions};
use std::fs;
use std::path::PathBuf;

/// (expected file, built file) for each kind of page.
const PAGES: &[(&str, &str)] = &[
    ("home.html", "index.html"),
    ("home-en.html", "en/index.html"),
    ("proposal.html", "p/100/index.html"),
    ("proposal-en.html", "en/p/100/index.html"),
    ("legislature.html", "l/XV/index.html"),
    ("topics.html", "t/index.html"),
    ("author.html", "a/BE/index.html"),
    ("recent.html", "r/index.html"),
    ("party.html", "g/PS/index.html"),
    ("parties.html", "g/index.html"),
    ("method.html", "m/index.html"),
    ("not-found.html", "404.html"),
    ("feed.xml", "feed.xml"),
    ("sitemap.xml", "sitemap.xml"),
    ("robots.txt", "robots.txt"),
    ("deck.html", "d/teste/index.html"),
    ("decks.html", "d/index.html"),
    ("page.html", "sobre/index.html"),
    ("search.html", "s/index.html"),
    ("search-en.html", "en/s/index.html"),
];

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What a built file is compared by: an HTML page's `<main>`, any other
/// file whole.
fn meaningful(path: &str, text: &str) -> String {
    if !path.ends_with(".html") {
        return text.to_owned();
    }
    let start = text
        .find("<main")
        .unwrap_or_else(|| panic!("{path} has no <main>"));
    let end = text[start..]
        .find("</main>")
        .map(|i| start + i + "</main>".len())
        .unwrap_or_else(|| panic!("{path} has no </main>"));
    format!("{}\n", &text[start..end])
}

#[test]
fn every_kind_of_page_says_what_its_golden_file_says() {
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("hemiciclo-golden-{}", std::process::id()));
    let _ = fs::remove_dir_all(&out);
    let options = BuildOptions {
        config: manifest_dir().join("tests/fixtures/golden/site.toml"),
        config_explicit: true,
        env: None,
        out: out.join("site"),
        wasm: None,
        ingest: IngestOptions {
            work_dir: Some(out.join("work")),
            ..IngestOptions::default()
        },
    };
    build(&options).expect("the fixture site builds");
    let bless = std::env::var_os("HEMICICLO_BLESS").is_some_and(|v| !v.is_empty());
    let golden = manifest_dir().join("tests/golden");
    let mut differ = Vec::new();
    for (expected, built) in PAGES {
        let text = fs::read_to_string(out.join("site").join(built))
            .unwrap_or_else(|e| panic!("{built}: {e}"));
        let actual = meaningful(built, &text);
        let file = golden.join(expected);
        if bless {
            fs::create_dir_all(&golden).unwrap();
            fs::write(&file, &actual).unwrap();
            continue;
        }
        let wanted = fs::read_to_string(&file).unwrap_or_default();
        if wanted != actual {
            let line = wanted
                .lines()
                .zip(actual.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| wanted.lines().count().min(actual.lines().count()));
            differ.push(format!(
                "{built} differs from tests/golden/{expected} at line {}:\n  expected: {}\n  built:    {}",
                line + 1,
                wanted.lines().nth(line).unwrap_or("(end)"),
                actual.lines().nth(line).unwrap_or("(end)"),
            ));
        }
    }
    let _ = fs::remove_dir_all(&out);
    assert!(
        differ.is_empty(),
        "{}\n\nIf the change is intended: HEMICICLO_BLESS=1 cargo test -p hemiciclo --test golden",
        differ.join("\n")
    );
}
