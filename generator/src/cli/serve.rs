//! `hemiciclo serve`: build, serve the site on 127.0.0.1, rebuild when the
//! site's files change and reload the open pages.
//!
//! A small HTTP/1.1 server on the standard library, one thread per
//! connection: it is for one operator's browser, not for the public. Pages
//! get one extra script, `__hemiciclo/reload.js`, which listens to a
//! server-sent event stream and reloads when a rebuild succeeded. The
//! site's service worker is replaced by one that removes itself, so the
//! browser never answers from an older build's cache. A failed rebuild
//! prints its error and keeps the last good site served.

use crate::error::{Error, IoContext, Result};
use crate::site::{self, BuildOptions};
use crate::terminal;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// The folders of a site whose changes trigger a rebuild (besides its
/// configuration file).
pub const WATCHED: &[&str] = &["data", "templates", "static", "content", "i18n"];

/// Where the live-reload script and event stream live, under the sub-path.
const RELOAD_DIR: &str = "__hemiciclo/";

const RELOAD_JS: &str = r#"// hemiciclo serve: reload this page when the site is rebuilt.
(() => {
  let seen = null;
  const events = new EventSource(new URL("events", document.currentScript.src));
  events.onmessage = (event) => {
    if (seen !== null && event.data !== seen) location.reload();
    seen = event.data;
  };
})();
"#;

/// Served instead of the site's worker: it empties its caches and removes
/// itself, so no page comes from an older build.
const NO_WORKER: &str = r#"self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.map((key) => caches.delete(key))))
      .then(() => self.registration.unregister()),
  );
});
"#;

#[derive(Debug)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub port: u16,
    /// The sub-path the site is served under, `/` or `/name/`.
    pub base_path: String,
}

/// `--base-path`: `/`, or `/a/b/` with the slashes added where missing.
pub fn normalize_base_path(path: &str) -> std::result::Result<String, String> {
    let trimmed = path.trim_matches('/');
    if trimmed.split('/').any(|part| part == "." || part == "..")
        || trimmed.contains(['?', '#', '\\', ' '])
    {
        return Err(format!(
            "{path:?} is not a sub-path; give one like /hemiciclo/"
        ));
    }
    Ok(if trimmed.is_empty() {
        "/".to_owned()
    } else {
        format!("/{trimmed}/")
    })
}

/// Builds, then serves and rebuilds until the process is stopped.
pub fn serve(options: ServeOptions) -> Result<()> {
    let site_dir = options
        .build
        .config
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let version = Arc::new(AtomicU64::new(0));
    let mut stamp = fingerprint(&site_dir, &options.build.config);
    rebuild(&options.build, &version);
    let listener = TcpListener::bind(("127.0.0.1", options.port))
        .doing(|| format!("cannot listen on 127.0.0.1:{}", options.port))?;
    let address = listener
        .local_addr()
        .doing(|| "cannot read the server's address".to_owned())?;
    let serving = format!(
        "serving {} at http://{address}{}\nwatching {} and {}/{{{}}}; stop with Ctrl-C",
        options.build.out.display(),
        options.base_path,
        options.build.config.display(),
        site_dir.display(),
        WATCHED.join(",")
    );
    println!("{}", terminal::text(&serving));
    let _ = std::io::stdout().flush();
    let root = Arc::new(Served {
        dir: options.build.out.clone(),
        base_path: options.base_path.clone(),
        version: Arc::clone(&version),
    });
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = Arc::clone(&root);
            std::thread::spawn(move || {
                let _ = root.answer(stream);
            });
        }
    });
    loop {
        std::thread::sleep(Duration::from_millis(250));
        let now = fingerprint(&site_dir, &options.build.config);
        if now != stamp {
            // Let an editor finish saving, then build what is there.
            std::thread::sleep(Duration::from_millis(150));
            stamp = fingerprint(&site_dir, &options.build.config);
            rebuild(&options.build, &version);
        }
    }
}

fn rebuild(options: &BuildOptions, version: &AtomicU64) {
    let started = Instant::now();
    match site::build(options) {
        Ok(report) => {
            version.fetch_add(1, Ordering::SeqCst);
            for warning in report.ingest.warnings.iter().chain(&report.warnings) {
                eprintln!("warning: {}", terminal::text(warning));
            }
            println!(
                "built {} proposals in {:.2} s: {} files written, {} unchanged",
                report.proposals,
                started.elapsed().as_secs_f64(),
                report.written.written,
                report.written.unchanged
            );
        }
        Err(error) => {
            eprintln!("error: {}", terminal::text(&error.to_string()));
            let mut cause = std::error::Error::source(&error);
            while let Some(inner) = cause {
                eprintln!("  caused by: {}", terminal::text(&inner.to_string()));
                cause = inner.source();
            }
            eprintln!("the last good build is still served; fix the error and save again");
        }
    }
    let _ = std::io::stdout().flush();
}

/// A summary of every watched file's path, size and modification time.
fn fingerprint(site_dir: &Path, config: &Path) -> u64 {
    let mut hasher = DefaultHasher::new();
    stamp_file(config, &mut hasher);
    for dir in WATCHED {
        stamp_tree(&site_dir.join(dir), &mut hasher);
    }
    hasher.finish()
}

fn stamp_file(path: &Path, hasher: &mut DefaultHasher) {
    path.hash(hasher);
    if let Ok(meta) = std::fs::metadata(path) {
        meta.len().hash(hasher);
        meta.modified()
            .unwrap_or(SystemTime::UNIX_EPOCH)
            .hash(hasher);
    }
}

fn stamp_tree(dir: &Path, hasher: &mut DefaultHasher) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        // A linked folder is not walked: a link to one of its own parents
        // would never end.
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            stamp_tree(&path, hasher);
        } else {
            stamp_file(&path, hasher);
        }
    }
}

/// What the server answers from.
#[derive(Debug)]
struct Served {
    dir: PathBuf,
    base_path: String,
    version: Arc<AtomicU64>,
}

impl Served {
    fn answer(&self, stream: TcpStream) -> std::io::Result<()> {
        // A connection that sends nothing does not keep its thread.
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        let mut reader = BufReader::new(stream.try_clone()?);
        let mut request = String::new();
        reader.read_line(&mut request)?;
        let mut local = true;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.trim().eq_ignore_ascii_case("host") {
                    local = is_local_host(value.trim());
                }
            }
        }
        let mut parts = request.split_whitespace();
        let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
        let mut stream = stream;
        if method != "GET" && method != "HEAD" {
            return respond(
                &mut stream,
                405,
                "text/plain",
                b"only GET and HEAD\n",
                method,
            );
        }
        // A page of another site that points a name of its own at 127.0.0.1
        // (DNS rebinding) gets nothing.
        if !local {
            return respond(
                &mut stream,
                403,
                "text/plain",
                b"only for 127.0.0.1\n",
                method,
            );
        }
        let path = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
        let Some(inside) = path.strip_prefix(&self.base_path) else {
            if path == "/" || format!("{path}/") == self.base_path {
                return redirect(&mut stream, &self.base_path);
            }
            return self.not_found(&mut stream, method);
        };
        if inside == format!("{RELOAD_DIR}reload.js") {
            return respond(
                &mut stream,
                200,
                "text/javascript",
                RELOAD_JS.as_bytes(),
                method,
            );
        }
        if inside == format!("{RELOAD_DIR}events") {
            return self.events(&mut stream, method);
        }
        if inside == "sw.js" {
            return respond(
                &mut stream,
                200,
                "text/javascript",
                NO_WORKER.as_bytes(),
                method,
            );
        }
        if !plain_path(inside) {
            return self.not_found(&mut stream, method);
        }
        let mut file = self.dir.join(inside);
        if file.is_dir() {
            if !inside.is_empty() && !inside.ends_with('/') {
                return redirect(&mut stream, &format!("{path}/"));
            }
            file = file.join("index.html");
        }
        match std::fs::read(&file) {
            Ok(bytes) => {
                let kind = content_type(&file);
                let body = if kind.starts_with("text/html") {
                    self.with_reload(bytes)
                } else {
                    bytes
                };
                respond(&mut stream, 200, kind, &body, method)
            }
            Err(_) => self.not_found(&mut stream, method),
        }
    }

    /// The page with the live-reload script before `</body>`.
    fn with_reload(&self, bytes: Vec<u8>) -> Vec<u8> {
        let script = format!(
            "<script src=\"{}{RELOAD_DIR}reload.js\" defer></script>",
            self.base_path
        );
        let page = String::from_utf8_lossy(&bytes);
        match page.rfind("</body>") {
            Some(at) => format!("{}{script}{}", &page[..at], &page[at..]).into_bytes(),
            None => format!("{page}{script}").into_bytes(),
        }
    }

    fn not_found(&self, stream: &mut TcpStream, method: &str) -> std::io::Result<()> {
        let page = std::fs::read(self.dir.join("404.html"))
            .map(|bytes| self.with_reload(bytes))
            .unwrap_or_else(|_| b"not found\n".to_vec());
        respond(stream, 404, "text/html; charset=utf-8", &page, method)
    }

    /// The build's version now and at every change, as server-sent events.
    /// A comment now and then finds out when the page has gone.
    fn events(&self, stream: &mut TcpStream, method: &str) -> std::io::Result<()> {
        stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\r\n",
        )?;
        if method == "HEAD" {
            return Ok(());
        }
        let mut sent = None;
        let mut quiet = Instant::now();
        loop {
            let now = self.version.load(Ordering::SeqCst);
            if sent != Some(now) {
                stream.write_all(format!("data: {now}\n\n").as_bytes())?;
                stream.flush()?;
                sent = Some(now);
                quiet = Instant::now();
            } else if quiet.elapsed() > Duration::from_secs(5) {
                stream.write_all(b": still here\n\n")?;
                stream.flush()?;
                quiet = Instant::now();
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

fn respond(
    stream: &mut TcpStream,
    status: u16,
    kind: &str,
    body: &[u8],
    method: &str,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        403 => "Forbidden",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(body)?;
    }
    stream.flush()
}

fn redirect(stream: &mut TcpStream, to: &str) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 301 Moved Permanently\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes())
}

/// Whether a path inside the output names a plain file or folder: no
/// `..`, no hidden files, no empty segment (`//etc/passwd` would join as
/// an absolute path), no backslash.
fn plain_path(inside: &str) -> bool {
    let segments: Vec<&str> = inside.split('/').collect();
    let last = segments.len() - 1;
    segments.iter().enumerate().all(|(i, part)| {
        (!part.is_empty() || i == last) && !part.starts_with('.') && !part.contains('\\')
    })
}

/// Whether a `Host` header names this machine: 127.0.0.1, localhost or
/// [::1], with any port.
fn is_local_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    matches!(name, "127.0.0.1" | "localhost" | "::1")
}

/// The content type a browser needs for each of the site's kinds of file.
pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// `%xx` escapes decoded (a path with invalid ones is taken as it is).
fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(byte) = u8::from_str_radix(hex, 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| path.to_owned())
}

/// The error `serve` gives when its output (or work) folder is inside a
/// folder it watches: every build would start another.
pub fn refuse_output_in_watched(site_dir: &Path, out: &Path) -> Result<()> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let out = absolute(out);
    for dir in WATCHED {
        if out.starts_with(absolute(&site_dir.join(dir))) {
            return Err(Error::Output(format!(
                "{} is inside the watched folder {dir}/: every build would start another; \
                 choose a folder outside it with --out or --work-dir",
                out.display()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths_are_normalized() {
        assert_eq!(normalize_base_path("/").unwrap(), "/");
        assert_eq!(normalize_base_path("hemiciclo").unwrap(), "/hemiciclo/");
        assert_eq!(normalize_base_path("/a/b").unwrap(), "/a/b/");
        assert!(normalize_base_path("/../x").is_err());
    }

    #[test]
    fn only_plain_paths_inside_the_output_are_served() {
        for good in ["", "index.html", "p/1/", "p/1/index.html", "pkg/a.wasm"] {
            assert!(plain_path(good), "{good}");
        }
        for bad in [
            "/etc/passwd",
            "a//b",
            "../x",
            "a/../b",
            ".hemiciclo-site",
            "a\\b",
            "x/.git/",
        ] {
            assert!(!plain_path(bad), "{bad}");
        }
    }

    #[test]
    fn only_this_machine_is_a_host() {
        for host in [
            "127.0.0.1:8000",
            "localhost",
            "localhost:1",
            "[::1]:80",
            "127.0.0.1",
        ] {
            assert!(is_local_host(host), "{host}");
        }
        for host in ["example.org", "evil.example:8000", "127.0.0.2:80", ""] {
            assert!(!is_local_host(host), "{host}");
        }
    }

    #[test]
    fn a_watched_folder_cannot_hold_the_output() {
        let site = Path::new(".");
        assert!(refuse_output_in_watched(site, Path::new("static/preview")).is_err());
        assert!(refuse_output_in_watched(site, Path::new("./data/x")).is_err());
        assert!(refuse_output_in_watched(site, Path::new(".hemiciclo/serve")).is_ok());
    }

    #[test]
    fn escapes_are_decoded() {
        assert_eq!(percent_decode("/p/a%20b/"), "/p/a b/");
        assert_eq!(percent_decode("/a%C3%A7%"), "/aç%");
        assert_eq!(percent_decode("/bad%zz"), "/bad%zz");
    }

    #[test]
    fn pages_get_the_reload_script_before_their_end() {
        let served = Served {
            dir: PathBuf::new(),
            base_path: "/x/".into(),
            version: Arc::default(),
        };
        let page = served.with_reload(b"<html><body>hi</body></html>".to_vec());
        assert_eq!(
            String::from_utf8(page).unwrap(),
            "<html><body>hi<script src=\"/x/__hemiciclo/reload.js\" defer></script></body></html>"
        );
    }
}
