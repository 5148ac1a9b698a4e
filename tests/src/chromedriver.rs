//! A chromedriver process and a WebDriver session on it.
//!
//! chromedriver starts Chromium as its child. If a test panics before the
//! session is closed, killing chromedriver alone would orphan Chromium, so
//! chromedriver runs in its own process group and the whole group gets
//! SIGTERM on drop. Chromium's profile dirs go to a scratch `TMPDIR`
//! that is deleted afterwards (they are ~10 MB per session).

use crate::paths;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running chromedriver; its process group is killed when dropped.
#[derive(Debug)]
pub struct ChromeDriver {
    child: Child,
    port: u16,
    tmpdir: PathBuf,
}

impl ChromeDriver {
    /// Spawns `chromedriver` (or `$CHROMEDRIVER`) on a free port.
    /// `label` names its scratch dir.
    pub fn spawn(label: &str) -> Self {
        let tmpdir = paths::scratch_dir(label);
        let port = free_port();
        let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let child = Command::new(&binary)
            .arg(format!("--port={port}"))
            .env("TMPDIR", &tmpdir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {binary}: {e}"));
        ChromeDriver {
            child,
            port,
            tmpdir,
        }
    }

    /// Opens a headless Chromium session whose proxy is `proxy_url`.
    /// Retries for up to 10 s while chromedriver is starting.
    pub async fn connect(&self, proxy_url: &str) -> Client {
        let webdriver = format!("http://127.0.0.1:{}", self.port);
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities(proxy_url));
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match builder.connect(&webdriver).await {
                Ok(client) => return client,
                Err(e) if Instant::now() >= deadline => {
                    panic!("no WebDriver session from chromedriver at {webdriver}: {e}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        signal_group("-TERM", &group);
        let _ = self.child.wait();
        // Give Chromium's processes a moment to exit before removing
        // the profile dirs they write to.
        let deadline = Instant::now() + Duration::from_secs(5);
        while signal_group("-0", &group) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        signal_group("-KILL", &group);
        let _ = std::fs::remove_dir_all(&self.tmpdir);
    }
}

/// Sends a signal to a process group; true if some process received it.
fn signal_group(signal: &str, group: &str) -> bool {
    Command::new("kill")
        .args([signal, "--", group])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A port that was free a moment ago (chromedriver needs a number).
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

/// `/usr/bin/chromium`, else the first `chromium`/`chromium-browser` on PATH.
fn chromium_binary() -> PathBuf {
    let default = PathBuf::from("/usr/bin/chromium");
    if default.is_file() {
        return default;
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .flat_map(|dir| [dir.join("chromium"), dir.join("chromium-browser")])
        .find(|candidate| candidate.is_file())
        .expect("Chromium not found (looked for /usr/bin/chromium and chromium on PATH)")
}

/// Chromium's own background traffic, switched off or pointed at a dead
/// loopback port so that the trap proxy only ever sees requests made by
/// pages. Without these, Chromium 156 (Debian) still sends, despite
/// `--disable-background-networking`: a network-time query
/// (clients2.google.com), component-updater checks (update.googleapis.com;
/// `--disable-component-update` alone does not stop the on-demand ones),
/// optimization-guide fetches, and the profile's Google-account listing
/// (accounts.google.com/ListAccounts, which has no off switch, hence
/// `--gaia-url`), and, once a page has a text field, autofill's queries
/// (content-autofill.googleapis.com). Each was seen in the trap's record
/// during development.
const QUIET_BROWSER: [&str; 5] = [
    "--disable-component-update",
    "--component-updater=url-source=http://127.0.0.1:9/",
    "--gaia-url=http://127.0.0.1:9/",
    "--disable-domain-reliability",
    "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,Translate,MediaRouter,AutofillServerCommunication",
];

fn capabilities(proxy_url: &str) -> serde_json::Map<String, serde_json::Value> {
    let mut args: Vec<String> = [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--window-size=1024,768",
    ]
    .map(String::from)
    .to_vec();
    args.extend(QUIET_BROWSER.map(String::from));
    args.push(format!("--proxy-server={proxy_url}"));
    let caps = json!({
        "goog:chromeOptions": { "binary": chromium_binary(), "args": args },
        // Lets `diagnostics::console_log` read the page's console.
        "goog:loggingPrefs": { "browser": "ALL" },
    });
    match caps {
        serde_json::Value::Object(map) => map,
        _ => unreachable!("capabilities are a JSON object"),
    }
}
