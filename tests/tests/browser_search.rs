//! Search: a word of a proposal's title finds it, in either language, and
//! its result leads to its page; once the reader has used the search, it
//! works with the network gone. A site too large for one index is searched
//! in parts, and finds what every part holds.
//!
//! Needs the site built (`cargo xtask site`), `chromedriver` and Chromium;
//! the parts test builds a synthetic site with the `hemiciclo` command.

use fantoccini::{Client, Locator};
use hemiciclo::site::search::PART_SIZE;
use hemiciclo_e2e::page::{wait_visible, WAIT};
use hemiciclo_e2e::paths;
use hemiciclo_e2e::server::StaticServer;
use hemiciclo_e2e::session::in_browser;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use xtask::synth;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_word_of_a_title_finds_the_proposal_and_leads_to_its_page() {
    let site = paths::site_dir();
    let (id, title, word) = proposal_with_a_word_of_its_own(&site);
    let server = StaticServer::start(&site, "/");
    let base = server.base_url();
    in_browser("search", |client| async move {
        for tree in ["", "en/"] {
            client
                .goto(&format!("{base}{tree}s/"))
                .await
                .expect("open the search page");
            let field = wait_visible(&client, "#q").await;
            field.send_keys(&word).await.expect("type the word");
            let link = result_link(&client, &format!("{base}{tree}p/{id}/")).await;
            assert_eq!(link.text().await.expect("read the result"), title);
            let status = wait_visible(&client, "#search-status")
                .await
                .text()
                .await
                .unwrap();
            assert!(
                status.contains(&word),
                "the status names the query: {status}"
            );
            assert!(
                client.current_url().await.unwrap().as_str().contains("?q="),
                "the query is in the address"
            );
            link.click().await.expect("follow the result");
            let heading = wait_visible(&client, "main h1").await.text().await.unwrap();
            assert_eq!(heading, title, "the result leads to the proposal's page");
        }
        // A word no title has finds nothing, and says so.
        client.goto(&format!("{base}s/?q=zzxqvw")).await.unwrap();
        let status = wait_until_text(&client, "#search-status").await;
        assert!(status.contains("Nenhuma"), "{status}");
        let shown = client
            .find_all(Locator::Css("#search-results li"))
            .await
            .unwrap();
        assert!(shown.is_empty());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn once_used_the_search_works_with_the_network_off() {
    let site = paths::site_dir();
    let (id, title, word) = proposal_with_a_word_of_its_own(&site);
    let server = StaticServer::start(&site, "/");
    let base = server.base_url();
    let address = server.origin().trim_start_matches("http://").to_owned();
    in_browser("search-offline", |client| async move {
        client.goto(&format!("{base}s/")).await.unwrap();
        // Turning to the field starts keeping the search; it is kept by
        // the time the worker controls the page.
        wait_visible(&client, "#q").await.click().await.unwrap();
        wait_for_control(&client).await;
        wait_visible(&client, "#q")
            .await
            .send_keys(&word)
            .await
            .unwrap();
        result_link(&client, &format!("{base}p/{id}/")).await;

        drop(server);
        assert!(
            std::net::TcpStream::connect(&address).is_err(),
            "the server still answers at {address}"
        );
        client
            .goto(&format!("{base}s/?q={word}"))
            .await
            .expect("open the search page offline");
        let link = result_link(&client, &format!("{base}p/{id}/")).await;
        assert_eq!(link.text().await.unwrap(), title);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_indexed_in_parts_finds_what_every_part_holds() {
    // Half again as many proposals as a part holds: two parts.
    let n = PART_SIZE * 3 / 2;
    let dir = paths::scratch_dir("search-parts-site");
    let parties = synth::parties(synth::DEFAULT_PARTIES);
    synth::write_site(&dir.join("site"), n, &parties, 1).expect("write the synthetic site");
    let site = dir.join("public");
    let status = Command::new(paths::hemiciclo_bin())
        .arg("build")
        .arg("--config")
        .arg(dir.join("site/site.toml"))
        .arg("--out")
        .arg(&site)
        .arg("--work-dir")
        .arg(dir.join("work"))
        .stdout(Stdio::null())
        .status()
        .expect("run hemiciclo build");
    assert!(status.success(), "the synthetic site did not build");
    let part_of = parts_of_pages(&site);
    assert_eq!(part_of.len(), n, "every proposal is in one part");
    assert_eq!(
        part_of.values().collect::<BTreeSet<_>>().len(),
        2,
        "two parts"
    );

    let proposals = synth::proposals(n, &parties, 1);
    // A title whose every word only its own proposals have together (its
    // tail, after a comma, says so), held by both parts.
    let mut by_title: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for p in &proposals {
        by_title.entry(&p.title).or_default().push(p.id);
    }
    let (title, ids) = by_title
        .iter()
        .filter(|(title, ids)| title.contains(", ") && ids.len() <= 20)
        .find(|(_, ids)| {
            let parts: BTreeSet<_> = ids.iter().map(|id| part_of[&format!("p/{id}/")]).collect();
            parts.len() == 2
        })
        .expect("a title in both parts");
    let (title, ids) = (title.to_string(), ids.clone());
    // A word of one object, in as many titles as that object.
    let word = "companhia";
    let with_word = proposals.iter().filter(|p| p.title.contains(word)).count();

    let server = StaticServer::start(&site, "/");
    let base = server.base_url();
    in_browser("search-parts", |client| async move {
        client
            .goto(&format!("{base}s/?q={word}"))
            .await
            .expect("open the search page");
        let status = wait_until_text(&client, "#search-status").await;
        assert!(
            status.starts_with(&format!("{with_word} ")),
            "{with_word} proposals have {word:?}: {status}"
        );

        let field = wait_visible(&client, "#q").await;
        field.clear().await.unwrap();
        field.send_keys(&title).await.expect("type the title");
        let wanted: BTreeSet<String> = ids.iter().map(|id| format!("{base}p/{id}/")).collect();
        let deadline = Instant::now() + WAIT;
        loop {
            let mut shown = BTreeSet::new();
            for link in client
                .find_all(Locator::Css("#search-results a"))
                .await
                .unwrap_or_default()
            {
                if let Ok(Some(href)) = link.prop("href").await {
                    shown.insert(href);
                }
            }
            if shown == wanted {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{title:?} shows {shown:?}, not its proposals {wanted:?}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    })
    .await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// Which part of the index each page is in (by its address, `p/123/`):
/// 0 for `pagefind/`, 1 for `pagefind/1/`, ...
fn parts_of_pages(site: &Path) -> BTreeMap<String, usize> {
    let mut parts = BTreeMap::new();
    for part in 0.. {
        let folder = match part {
            0 => site.join("pagefind"),
            _ => site.join(format!("pagefind/{part}")),
        };
        let Ok(fragments) = std::fs::read_dir(folder.join("fragment")) else {
            break;
        };
        for fragment in fragments {
            let bytes = std::fs::read(fragment.expect("list the fragments").path())
                .expect("read a fragment");
            let mut text = String::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut text)
                .expect("a gzipped fragment");
            let json = text
                .strip_prefix("pagefind_dcd")
                .expect("Pagefind's signature");
            let fragment: serde_json::Value =
                serde_json::from_str(json).expect("a fragment's JSON");
            let url = fragment["url"].as_str().expect("a fragment's page");
            assert!(parts.insert(url.to_owned(), part).is_none(), "{url} twice");
        }
    }
    parts
}

/// Waits for the result that links to `href`.
async fn result_link(client: &Client, href: &str) -> fantoccini::elements::Element {
    let deadline = Instant::now() + WAIT;
    loop {
        for link in client
            .find_all(Locator::Css("#search-results a"))
            .await
            .unwrap_or_default()
        {
            if link.prop("href").await.ok().flatten().as_deref() == Some(href) {
                return link;
            }
        }
        let status = client.find(Locator::Css("#search-status")).await.ok();
        let status = match status {
            Some(s) => s.text().await.unwrap_or_default(),
            None => String::new(),
        };
        assert!(
            Instant::now() < deadline,
            "no result links to {href}; the page says {status:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The text of `css` once it has any.
async fn wait_until_text(client: &Client, css: &str) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let text = wait_visible(client, css)
            .await
            .text()
            .await
            .unwrap_or_default();
        if !text.is_empty() && !text.contains('…') {
            return text;
        }
        assert!(Instant::now() < deadline, "`{css}` stays empty");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the service worker controls the page.
async fn wait_for_control(client: &Client) {
    let deadline = Instant::now() + WAIT;
    loop {
        let controlled = client
            .execute(
                "return Boolean(navigator.serviceWorker.controller);",
                vec![],
            )
            .await
            .expect("ask for the controller");
        if controlled == serde_json::json!(true) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "no service worker took over the page"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A proposal of the built site with a word in its title that no other
/// title has (ASCII letters, at least nine): (id, title, word).
fn proposal_with_a_word_of_its_own(site: &Path) -> (String, String, String) {
    let mut titles = BTreeMap::new();
    for entry in std::fs::read_dir(site.join("p")).expect("list the proposal pages") {
        let entry = entry.expect("read the folder");
        let html = std::fs::read_to_string(entry.path().join("index.html")).expect("read a page");
        let title = html
            .split_once("<h1")
            .and_then(|(_, rest)| rest.split_once('>'))
            .and_then(|(_, rest)| rest.split_once("</h1>"))
            .map(|(title, _)| title.to_owned())
            .expect("a proposal page has a title");
        titles.insert(entry.file_name().to_string_lossy().into_owned(), title);
    }
    let words = |title: &str| -> Vec<String> {
        title
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() >= 9 && w.chars().all(|c| c.is_ascii_alphabetic()))
            .map(str::to_lowercase)
            .collect()
    };
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for title in titles.values() {
        for word in words(title) {
            *count.entry(word).or_default() += 1;
        }
    }
    titles
        .iter()
        .filter(|(_, title)| !title.contains('&'))
        .find_map(|(id, title)| {
            words(title)
                .into_iter()
                .find(|w| count[w] == 1)
                .map(|w| (id.clone(), title.clone(), w))
        })
        .expect("some title has a word of its own")
}
