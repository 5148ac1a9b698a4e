//! A static file server for the built site, on `127.0.0.1:<ephemeral>`.
//!
//! It serves the site under a configurable prefix (`/` or `/hemiciclo/`),
//! answering 404 outside it, so a page that uses an absolute URL breaks in
//! the sub-path test exactly as it would on a real sub-path host. It logs
//! every request for failure reports. One request per connection
//! (`Connection: close`): simple, and plenty for a test. Every answer has
//! `Content-Length` and `Cache-Control: no-store`; HEAD gets GET's headers
//! without the body, other methods 405.

use crate::listener::{Handler, HttpServer};
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderName, HeaderValue, CACHE_CONTROL, CONNECTION, CONTENT_TYPE, LOCATION};
use hyper::{Method, Request, Response, StatusCode};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

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
        assert!(
            prefix.starts_with('/') && prefix.ends_with('/'),
            "prefix must look like `/` or `/sub/`, got {prefix:?}"
        );
        let log = Arc::new(Mutex::new(Vec::new()));
        let site = Site {
            root: root.to_path_buf(),
            prefix: prefix.to_string(),
            log: Arc::clone(&log),
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

struct Site {
    root: PathBuf,
    prefix: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Handler for Site {
    fn respond(&self, request: &Request<Incoming>) -> Answer {
        let method = request.method();
        // The request target as sent: path and query, or an absolute URL.
        let target = request.uri().to_string();
        let response = match *method {
            // hyper sends HEAD's headers, `Content-Length` included, without the body.
            Method::GET | Method::HEAD => self.answer(&target),
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
    fn answer(&self, target: &str) -> Answer {
        match self.resolve(target) {
            Target::File(path) => match std::fs::read(&path) {
                Ok(body) => {
                    let content_type = HeaderValue::from_static(content_type(&path));
                    answer(StatusCode::OK, Some((CONTENT_TYPE, content_type)), body)
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
