//! The files that tell the world about the site: `sitemap.xml` and every
//! language's `feed.xml` parse as XML, and every address in them is a page
//! of the built site (a vote's fragment an element of its page); the
//! robots file names the sitemap.
//!
//! Needs the site built (`cargo xtask site`).

use hemiciclo_e2e::paths;
use std::path::{Path, PathBuf};

/// The site's base URL, as the robots file gives the sitemap's address.
fn base_url(site: &Path) -> String {
    let robots = std::fs::read_to_string(site.join("robots.txt")).expect("the site has robots.txt");
    let sitemap = robots
        .lines()
        .find_map(|line| line.strip_prefix("Sitemap: "))
        .expect("robots.txt names the sitemap");
    sitemap
        .strip_suffix("sitemap.xml")
        .expect("the sitemap is at the site's root")
        .to_owned()
}

/// The file an address of the site is served from, and its fragment.
fn file_of(site: &Path, base: &str, url: &str) -> (PathBuf, Option<String>) {
    let path = url
        .strip_prefix(base)
        .unwrap_or_else(|| panic!("{url} is not under the site's address {base}"));
    let (path, fragment) = match path.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment.to_owned())),
        None => (path, None),
    };
    let file = if path.is_empty() || path.ends_with('/') {
        site.join(path).join("index.html")
    } else {
        site.join(path)
    };
    (file, fragment)
}

#[test]
fn the_sitemap_parses_and_lists_only_pages_that_exist() {
    let site = paths::site_dir();
    let base = base_url(&site);
    let text = std::fs::read_to_string(site.join("sitemap.xml")).expect("read the sitemap");
    let doc = roxmltree::Document::parse(&text).expect("the sitemap is XML");
    let urls: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(urls.len() > 3_000, "only {} addresses", urls.len());
    for url in &urls {
        let (file, _) = file_of(&site, &base, url);
        assert!(file.is_file(), "{url}: no {}", file.display());
    }
    for page in ["", "en/", "g/", "t/", "r/", "m/", "l/XV/2/"] {
        let url = format!("{base}{page}");
        assert!(urls.contains(&url.as_str()), "{url} is not in the sitemap");
    }
    assert!(!urls
        .iter()
        .any(|u| u.contains("embed/") || u.ends_with("404.html")));
}

#[test]
fn every_feed_parses_and_links_votes_that_exist() {
    let site = paths::site_dir();
    let base = base_url(&site);
    for feed in ["feed.xml", "en/feed.xml"] {
        let text = std::fs::read_to_string(site.join(feed)).expect("read the feed");
        let doc = roxmltree::Document::parse(&text).expect("the feed is XML");
        let root = doc.root_element();
        assert!(
            root.has_tag_name(("http://www.w3.org/2005/Atom", "feed")),
            "{feed}"
        );
        let entries: Vec<_> = root
            .children()
            .filter(|n| n.has_tag_name("entry"))
            .collect();
        assert!(entries.len() >= 10, "{feed}: {} entries", entries.len());
        let mut last = String::from("9999");
        for entry in entries {
            let child = |name: &str| {
                entry
                    .children()
                    .find(|n| n.has_tag_name(name))
                    .unwrap_or_else(|| panic!("{feed}: an entry without {name}"))
            };
            let updated = child("updated").text().unwrap_or_default().to_owned();
            assert!(updated <= last, "{feed}: entries newest first");
            last = updated;
            let url = child("link").attribute("href").expect("a link");
            let (file, fragment) = file_of(&site, &base, url);
            let page = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("{feed}: {url}: {}: {e}", file.display()));
            let fragment = fragment.expect("a vote's fragment");
            assert!(
                page.contains(&format!("id=\"{fragment}\"")),
                "{feed}: {url}: the page has no #{fragment}"
            );
        }
    }
}
