//! `hemiciclo serve`: the open page reloads by itself with the new build
//! after the site's data changes, under a sub-path as GitHub project pages
//! serve it.
//!
//! Needs the `hemiciclo` command built (`cargo xtask site`), `chromedriver`
//! and Chromium.

use hemiciclo_e2e::page::{wait_visible, WAIT};
use hemiciclo_e2e::paths;
use hemiciclo_e2e::session::in_browser;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The server process, stopped when the test ends on any path.
struct Serving(Child);

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `hemiciclo serve` on a free port; returns it with the address it prints.
fn serve(config: &Path) -> (Serving, String) {
    let mut child = Command::new(paths::hemiciclo_bin())
        .args(["serve", "--port", "0", "--base-path", "/sub/", "--config"])
        .arg(config)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start hemiciclo serve");
    let stdout = child.stdout.take().expect("serve's output");
    let serving = Serving(child);
    let mut lines = BufReader::new(stdout).lines();
    let address = loop {
        let line = lines
            .next()
            .expect("serve prints its address")
            .expect("read serve's output");
        println!("serve: {line}");
        if let Some(at) = line.find("http://") {
            break line[at..].trim().to_owned();
        }
    };
    // Keep reading, so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (serving, address)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_reloads_with_the_new_build_after_a_data_change() {
    let dir = paths::scratch_dir("serve-site");
    let status = Command::new(paths::hemiciclo_bin())
        .arg("init")
        .arg(dir.join("site"))
        .stdout(Stdio::null())
        .status()
        .expect("run hemiciclo init");
    assert!(status.success(), "init failed");
    let votes = dir.join("site/data/votes.csv");
    let csv =
        std::fs::read_to_string(&votes).unwrap_or_else(|e| panic!("read {}: {e}", votes.display()));
    let (_server, address) = serve(&dir.join("site/site.toml"));
    assert!(address.ends_with("/sub/"), "{address}");
    // Nothing outside the built site, and nothing for another host name.
    let host = address
        .trim_start_matches("http://")
        .trim_end_matches("/sub/");
    for (target, host_header, status) in [
        ("/sub/index.html", host, "200"),
        ("/sub//etc/passwd", host, "404"),
        ("/sub/%2Fetc/passwd", host, "404"),
        ("/sub/../../etc/passwd", host, "404"),
        ("/sub/.hemiciclo-site", host, "404"),
        ("/sub/index.html", "evil.example", "403"),
    ] {
        let answer = raw_get(host, target, host_header);
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status}")),
            "{target} (Host: {host_header}): {}",
            answer.lines().next().unwrap_or_default()
        );
        assert!(!answer.contains("root:"), "{target}");
    }
    let old = "Cria";
    assert!(csv.contains(old), "the sample has a title with {old:?}");
    let fresh = csv.replacen(old, "Recria", 1);
    in_browser("serve", move |client| async move {
        client.goto(&address).await.expect("open the home page");
        wait_visible(&client, "main").await;
        // Follow the first legislature's listing to its first proposal.
        client
            .goto(&format!("{address}r/"))
            .await
            .expect("open the recent votes");
        let page = find_title_link(&client, old).await;
        client.goto(&page).await.expect("open the proposal");
        let before = wait_visible(&client, "main h1").await.text().await.unwrap();
        assert!(before.contains(old), "{before}");
        client
            .execute("window.hemicicloMark = 1; return 1;", vec![])
            .await
            .unwrap();
        std::fs::write(&votes, &fresh).expect("change the data");
        let started = Instant::now();
        loop {
            let heading = match client.find(fantoccini::Locator::Css("main h1")).await {
                Ok(h) => h.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if heading.contains("Recria") {
                break;
            }
            assert!(
                started.elapsed() < WAIT * 3,
                "the page did not show the new title: {heading:?}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let mark = client
            .execute("return window.hemicicloMark === undefined;", vec![])
            .await
            .unwrap();
        assert_eq!(mark, serde_json::json!(true), "the page itself reloaded");
    })
    .await;
}

/// The server's whole answer to a GET of `target` with that `Host` header.
fn raw_get(address: &str, target: &str, host: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).expect("connect to serve");
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("send the request");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("read the answer");
    String::from_utf8_lossy(&answer).into_owned()
}

/// The address of the first link on the page whose text holds `text`.
async fn find_title_link(client: &fantoccini::Client, text: &str) -> String {
    let started = Instant::now();
    loop {
        let links = client
            .find_all(fantoccini::Locator::Css("main a"))
            .await
            .unwrap();
        for link in links {
            if link.text().await.unwrap_or_default().contains(text) {
                if let Ok(Some(href)) = link.prop("href").await {
                    return href;
                }
            }
        }
        assert!(started.elapsed() < WAIT, "no link with {text:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
