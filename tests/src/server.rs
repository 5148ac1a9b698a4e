//! A static file server for the built site, on `127.0.0.1:<ephemeral>`.
//!
//! It serves the site under a configurable prefix (`/` or `/hemiciclo/`),
//! answering 404 outside it, so a page that uses an absolute URL breaks in
//! the sub-path test exactly as it would on a real sub-path host. It logs
//! every request for failure reports. One request per connection
//! (`Connection: close`): simple, and plenty for a test. Every answer has
//! `Content-Length` and `Cache-Control: no-store`; HEAD gets GET's headers
//! without the body, other methods 405.
//!
//! Bodies go as they are on disk. [`StaticServer::start_gzip`] is the
//! opt-in for measurements that need what a real static host sends: text
//! and WASM gzipped (`Content-Encoding: gzip`) for a client that accepts it.

use crate::listener::{Handler, HttpServer};
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{
    HeaderName, HeaderValue, ACCEPT_ENCODING, CACHE_CONTROL, CONNECTION, CONTENT_ENCODING,
    CONTENT_TYPE, LOCATION, VARY,
};
use hyper::{Method, Request, Response, StatusCode};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// A client that has not sent its request head by then is dropped.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// A running server; it stops when dropped.
#[derive(Debug)]
pub struct StaticServer {
    http: HttpServer,
    prefix: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl StaticServer {
    /// Serves `root` under `prefix`, which must start and end with `/`.
    pub fn start(root: &Path, prefix: &str) -> Self {
        Self::start_with(root, prefix, None)
    }

    /// Like [`StaticServer::start`], but a request whose `Accept-Encoding`
    /// has `gzip` gets text, JSON, SVG and WASM files gzipped, with
    /// `Content-Encoding: gzip` and `Vary: Accept-Encoding`, as static hosts
    /// send them. Each file is compressed once (level 6, as nginx and most
    /// hosts do it on the fly) and kept until its size or mtime changes, so
    /// compressing does not slow the answers being measured.
    pub fn start_gzip(root: &Path, prefix: &str) -> Self {
        Self::start_with(root, prefix, Some(Mutex::default()))
    }

    fn start_with(root: &Path, prefix: &str, gzip: Option<Mutex<GzipCache>>) -> Self {
        assert!(
            prefix.starts_with('/') && prefix.ends_with('/'),
            "prefix must look like `/` or `/sub/`, got {prefix:?}"
        );
        let log = Arc::new(Mutex::new(Vec::new()));
        let site = Site {
            root: root.to_path_buf(),
            prefix: prefix.to_string(),
            log: Arc::clone(&log),
            gzip,
        };
        StaticServer {
            http: HttpServer::start(site, HEADER_TIMEOUT),
            prefix: prefix.to_string(),
            log,
        }
    }

    /// `http://127.0.0.1:<port>`, the origin every page resource must use.
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.http.port())
    }

    /// The URL of the site's home: origin plus prefix.
    pub fn base_url(&self) -> String {
        format!("{}{}", self.origin(), self.prefix)
    }

    /// Every request so far, as `STATUS METHOD TARGET`.
    pub fn request_log(&self) -> Vec<String> {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// What one request resolves to.
enum Target {
    File(PathBuf),
    Redirect(String),
    NotFound,
}

type Answer = Response<Full<Bytes>>;

/// A response with the headers every answer carries.
fn answer(status: StatusCode, header: Option<(HeaderName, HeaderValue)>, body: Vec<u8>) -> Answer {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(CONNECTION, HeaderValue::from_static("close"));
    if let Some((name, value)) = header {
        headers.insert(name, value);
    }
    response
}

fn text(status: StatusCode, body: &str) -> Answer {
    let content_type = HeaderValue::from_static("text/plain; charset=utf-8");
    answer(
        status,
        Some((CONTENT_TYPE, content_type)),
        body.as_bytes().to_vec(),
    )
}

/// Gzipped bodies by file, with the size and mtime they were made from.
type GzipCache = HashMap<PathBuf, (u64, SystemTime, Vec<u8>)>;

struct Site {
    root: PathBuf,
    prefix: String,
    log: Arc<Mutex<Vec<String>>>,
    /// `Some` when started by [`StaticServer::start_gzip`].
    gzip: Option<Mutex<GzipCache>>,
}

impl Handler for Site {
    fn respond(&self, request: &Request<Incoming>) -> Answer {
        let method = request.method();
        // The request target as sent: path and query, or an absolute URL.
        let target = request.uri().to_string();
        let response = match *method {
            // hyper sends HEAD's headers, `Content-Length` included, without the body.
            Method::GET | Method::HEAD => self.answer(&target, self.gzip_for(request)),
            _ => text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed"),
        };
        self.log
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(format!("{} {method} {target}", response.status().as_u16()));
        response
    }
}

impl Site {
    /// The gzip cache, if this server gzips and the request accepts it.
    fn gzip_for(&self, request: &Request<Incoming>) -> Option<&Mutex<GzipCache>> {
        let accepts = request
            .headers()
            .get_all(ACCEPT_ENCODING)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .any(|coding| {
                let mut parts = coding.split(';').map(str::trim);
                let gzip = parts.next().is_some_and(|c| c.eq_ignore_ascii_case("gzip"));
                // `gzip;q=0` (or `q=0.0`) refuses it.
                let refused = |p: &str| {
                    let q = p.strip_prefix("q=").or_else(|| p.strip_prefix("Q="));
                    q.and_then(|q| q.trim().parse::<f32>().ok()) == Some(0.0)
                };
                gzip && !parts.any(refused)
            });
        self.gzip.as_ref().filter(|_| accepts)
    }

    fn answer(&self, target: &str, gzip: Option<&Mutex<GzipCache>>) -> Answer {
        match self.resolve(target) {
            Target::File(path) => match std::fs::read(&path) {
                Ok(body) => {
                    let mime = content_type(&path);
                    let content_type = HeaderValue::from_static(mime);
                    match gzip.filter(|_| compressible(mime)) {
                        Some(cache) => {
                            let body = gzipped(cache, &path, body);
                            let mut response =
                                answer(StatusCode::OK, Some((CONTENT_TYPE, content_type)), body);
                            let headers = response.headers_mut();
                            headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                            headers.insert(VARY, HeaderValue::from_static("Accept-Encoding"));
                            response
                        }
                        None => answer(StatusCode::OK, Some((CONTENT_TYPE, content_type)), body),
                    }
                }
                Err(_) => text(StatusCode::NOT_FOUND, "not found"),
            },
            // `from_bytes`, not `from_str`: a decoded path may hold UTF-8.
            Target::Redirect(location) => match HeaderValue::from_bytes(location.as_bytes()) {
                Ok(location) => answer(
                    StatusCode::MOVED_PERMANENTLY,
                    Some((LOCATION, location)),
                    Vec::new(),
                ),
                // A control character: no such folder can be served anyway.
                Err(_) => text(StatusCode::NOT_FOUND, "not found"),
            },
            Target::NotFound => text(StatusCode::NOT_FOUND, "not found"),
        }
    }

    /// Maps a request target to a file under the root, refusing anything
    /// outside the prefix and any `..` segment.
    fn resolve(&self, target: &str) -> Target {
        let path = target.split(['?', '#']).next().unwrap_or("");
        let Some(path) = percent_decode(path) else {
            return Target::NotFound;
        };
        if format!("{path}/") == self.prefix {
            return Target::Redirect(self.prefix.clone());
        }
        let Some(relative) = path.strip_prefix(&self.prefix) else {
            return Target::NotFound;
        };
        if relative
            .split('/')
            .any(|seg| seg == ".." || seg.contains('\\'))
        {
            return Target::NotFound;
        }
        let mut file = self.root.join(relative);
        if relative.is_empty() || relative.ends_with('/') {
            file.push("index.html");
        } else if file.is_dir() {
            return Target::Redirect(format!("{path}/"));
        }
        if file.is_file() {
            Target::File(file)
        } else {
            Target::NotFound
        }
    }
}

/// Whether a static host would gzip this type: text, JSON, XML, SVG, WASM.
fn compressible(mime: &str) -> bool {
    mime.starts_with("text/")
        || [
            "application/json",
            "application/wasm",
            "application/xml",
            "image/svg+xml",
        ]
        .contains(&mime)
}

/// `body`, the contents of `path`, gzipped: from the cache while the
/// file's size and mtime are those it was compressed from.
fn gzipped(cache: &Mutex<GzipCache>, path: &Path, body: Vec<u8>) -> Vec<u8> {
    let stamp = std::fs::metadata(path)
        .and_then(|m| Ok((m.len(), m.modified()?)))
        .ok();
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let (Some((len, mtime)), Some((cached_len, cached_mtime, gzipped))) =
        (stamp, cache.get(path))
    {
        if (len, mtime) == (*cached_len, *cached_mtime) && len == body.len() as u64 {
            return gzipped.clone();
        }
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    encoder.write_all(&body).expect("gzip into memory");
    let gzipped = encoder.finish().expect("gzip into memory");
    if let Some((len, mtime)) = stamp {
        cache.insert(path.to_path_buf(), (len, mtime, gzipped.clone()));
    }
    gzipped
}

/// Decodes `%XX` escapes; `None` for malformed escapes or non-UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `Content-Type` for a file; browsers insist on `application/wasm`
/// for streaming WASM compilation and on a JS type for module scripts.
fn content_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    //! The server's contract, checked without a browser.

    use super::StaticServer;
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::Duration;

    /// The whole response to a raw request, read until the server closes.
    fn exchange(server: &StaticServer, request: &str) -> String {
        let mut stream = connect(server);
        stream.write_all(request.as_bytes()).expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        response
    }

    /// `(status, content type, location)` of a raw `GET path`.
    fn get(server: &StaticServer, path: &str) -> (u16, String, String) {
        let response = exchange(
            server,
            &format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n"),
        );
        let status = response[9..12].parse().expect("status code");
        let header = |name: &str| {
            response
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        (status, header("Content-Type:"), header("Location:"))
    }

    fn connect(server: &StaticServer) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", server.http.port())).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        stream
    }

    /// A site in a scratch dir, with a file just outside it.
    fn fixture(label: &str) -> std::path::PathBuf {
        let dir = crate::paths::scratch_dir(label);
        let root = dir.join("site");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        for file in ["index.html", "app.js", "m.wasm", "d.json", "s.css", "i.svg"] {
            std::fs::write(root.join(file), "x").unwrap();
        }
        std::fs::write(root.join("sub/index.html"), "x").unwrap();
        std::fs::write(dir.join("secret.txt"), "x").unwrap();
        dir
    }

    #[test]
    fn serves_the_site_only_under_its_prefix() {
        let dir = fixture("server-prefix");
        let server = StaticServer::start(&dir.join("site"), "/hemiciclo/");

        let ok = |path: &str, mime: &str| {
            let (status, content_type, _) = get(&server, path);
            assert_eq!((status, content_type.as_str()), (200, mime), "{path}");
        };
        ok("/hemiciclo/?seed=1", "text/html; charset=utf-8");
        ok("/hemiciclo/index.html", "text/html; charset=utf-8");
        ok("/hemiciclo/app.js", "text/javascript; charset=utf-8");
        ok("/hemiciclo/m.wasm", "application/wasm");
        ok("/hemiciclo/d.json", "application/json");
        ok("/hemiciclo/s.css", "text/css; charset=utf-8");
        ok("/hemiciclo/i.svg", "image/svg+xml");
        ok("/hemiciclo/sub/", "text/html; charset=utf-8");
        ok("/hemiciclo/%61pp.js", "text/javascript; charset=utf-8");

        assert_eq!(get(&server, "/hemiciclo").2, "/hemiciclo/");
        assert_eq!(get(&server, "/hemiciclo/sub").2, "/hemiciclo/sub/");
        for path in [
            "/",
            "/index.html",
            "/app.js",
            "/hemiciclo/missing.js",
            "/hemiciclo/../secret.txt",
            "/hemiciclo/%2e%2e/secret.txt",
            "/hemiciclo/sub/../../secret.txt",
            "/hemiciclo/%zz",
        ] {
            assert_eq!(get(&server, path).0, 404, "{path}");
        }
        assert_eq!(server.request_log().len(), 19);
        drop(server);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn head_gets_the_headers_of_get_and_other_methods_405() {
        let dir = fixture("server-head");
        let server = StaticServer::start(&dir.join("site"), "/");
        let get = exchange(&server, "GET /app.js HTTP/1.1\r\nHost: t\r\n\r\n");
        let head = exchange(&server, "HEAD /app.js HTTP/1.1\r\nHost: t\r\n\r\n");
        let (get_head, get_body) = get.split_once("\r\n\r\n").expect("a head");
        let mut lines: Vec<&str> = get_head.lines().collect();
        lines[1..].sort_unstable();
        assert_eq!(
            lines,
            [
                "HTTP/1.1 200 OK",
                "Cache-Control: no-store",
                "Connection: close",
                "Content-Length: 1",
                "Content-Type: text/javascript; charset=utf-8",
            ]
        );
        assert_eq!(get_body, "x");
        assert_eq!(head, format!("{get_head}\r\n\r\n"));

        let post = exchange(
            &server,
            "POST /app.js HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n",
        );
        assert!(
            post.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"),
            "{post}"
        );
        assert!(post.ends_with("\r\n\r\nmethod not allowed"), "{post}");
        let moved = exchange(&server, "GET /sub HTTP/1.1\r\nHost: t\r\n\r\n");
        assert!(
            moved.starts_with("HTTP/1.1 301 Moved Permanently\r\n"),
            "{moved}"
        );
        assert!(moved.contains("\r\nContent-Length: 0\r\n"), "{moved}");
        assert_eq!(
            server.request_log(),
            [
                "200 GET /app.js",
                "200 HEAD /app.js",
                "405 POST /app.js",
                "301 GET /sub"
            ]
        );
        drop(server);
        let _ = std::fs::remove_dir_all(dir);
    }

    /// `start_gzip` gzips what a static host would, for a client that
    /// accepts gzip only; `start` never does.
    #[test]
    fn gzips_only_when_opted_in_and_accepted() {
        let dir = fixture("server-gzip");
        let js = "let x = 1;\n".repeat(200);
        std::fs::write(dir.join("site/app.js"), &js).unwrap();
        std::fs::write(dir.join("site/i.png"), "x").unwrap();
        let raw = |server: &StaticServer, path: &str, accept: &str| {
            let mut stream = connect(server);
            let request = format!("GET {path} HTTP/1.1\r\nHost: t\r\n{accept}\r\n");
            stream.write_all(request.as_bytes()).expect("send");
            let mut response = Vec::new();
            stream.read_to_end(&mut response).expect("read");
            let split = response
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .expect("a head");
            let head = String::from_utf8(response[..split].to_vec()).expect("a text head");
            (head, response[split + 4..].to_vec())
        };
        let gzip = StaticServer::start_gzip(&dir.join("site"), "/");
        for _ in 0..2 {
            // The second answer comes from the cache.
            let (head, body) = raw(&gzip, "/app.js", "Accept-Encoding: gzip, deflate\r\n");
            assert!(head.contains("\r\nContent-Encoding: gzip\r\n"), "{head}");
            assert!(head.contains("\r\nVary: Accept-Encoding\r\n"), "{head}");
            assert!(body.len() < js.len() / 10, "{} bytes", body.len());
            let mut unzipped = String::new();
            flate2::read::GzDecoder::new(&body[..])
                .read_to_string(&mut unzipped)
                .expect("gzip");
            assert_eq!(unzipped, js);
        }
        for (path, accept) in [
            ("/app.js", ""),
            ("/app.js", "Accept-Encoding: gzip;q=0, deflate\r\n"),
            ("/app.js", "Accept-Encoding: deflate, gzip; q=0.0\r\n"),
            ("/i.png", "Accept-Encoding: gzip\r\n"),
        ] {
            let (head, _) = raw(&gzip, path, accept);
            assert!(
                !head.contains("Content-Encoding"),
                "{path} {accept}: {head}"
            );
        }
        let plain = StaticServer::start(&dir.join("site"), "/");
        let (head, body) = raw(&plain, "/app.js", "Accept-Encoding: gzip\r\n");
        assert!(!head.contains("Content-Encoding"), "{head}");
        assert_eq!(body, js.as_bytes());
        drop((gzip, plain));
        let _ = std::fs::remove_dir_all(dir);
    }

    /// The reason this server is not tiny_http (see `listener`): many
    /// simultaneous connections that stay open must all be answered.
    #[test]
    fn answers_many_open_connections_at_once() {
        let dir = fixture("server-burst");
        let server = StaticServer::start(&dir.join("site"), "/");
        let mut open: Vec<TcpStream> = (0..12).map(|_| connect(&server)).collect();
        for stream in &mut open {
            stream
                .write_all(b"GET /d.json HTTP/1.1\r\nHost: t\r\nConnection: keep-alive\r\n\r\n")
                .unwrap();
        }
        for stream in &mut open {
            let mut response = String::new();
            stream.read_to_string(&mut response).expect("an answer");
            assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        }
        drop(server);
        let _ = std::fs::remove_dir_all(dir);
    }
}
