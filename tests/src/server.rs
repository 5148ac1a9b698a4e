//! A static file server for the built site, on `127.0.0.1:<ephemeral>`.
//!
//! It serves the site under a configurable prefix (`/` or `/hemiciclo/`),
//! answering 404 outside it, so a page that uses an absolute URL breaks in
//! the sub-path test exactly as it would on a real sub-path host. It logs
//! every request for failure reports. One request per connection
//! (`Connection: close`): simple, and plenty for a test.

use crate::listener::AcceptLoop;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A running server; it stops when dropped.
#[derive(Debug)]
pub struct StaticServer {
    accept: AcceptLoop,
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
        };
        let accept = {
            let log = Arc::clone(&log);
            AcceptLoop::start(move |stream| site.serve(stream, &log))
        };
        StaticServer {
            accept,
            prefix: prefix.to_string(),
            log,
        }
    }

    /// `http://127.0.0.1:<port>`, the origin every page resource must use.
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.accept.port())
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

struct Response {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    fn text(status: u16, body: &str) -> Self {
        Response {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
            body: body.as_bytes().to_vec(),
        }
    }
}

struct Site {
    root: PathBuf,
    prefix: String,
}

impl Site {
    fn serve(&self, stream: TcpStream, log: &Mutex<Vec<String>>) {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let Some((method, target)) = read_request_head(&stream) else {
            return; // Closed or garbled before a request line: nothing to answer.
        };
        let response = match method.as_str() {
            "GET" | "HEAD" => self.answer(&target),
            _ => Response::text(405, "method not allowed"),
        };
        log.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(format!("{} {method} {target}", response.status));
        // The browser may have gone away; nothing useful to do about it.
        let _ = write_response(&stream, &response, method == "HEAD");
    }

    fn answer(&self, target: &str) -> Response {
        match self.resolve(target) {
            Target::File(path) => match std::fs::read(&path) {
                Ok(body) => Response {
                    status: 200,
                    headers: vec![("Content-Type", content_type(&path).into())],
                    body,
                },
                Err(_) => Response::text(404, "not found"),
            },
            Target::Redirect(location) => Response {
                status: 301,
                headers: vec![("Location", location)],
                body: Vec::new(),
            },
            Target::NotFound => Response::text(404, "not found"),
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

/// Reads the request line and skips the headers; `(method, target)`.
fn read_request_head(stream: &TcpStream) -> Option<(String, String)> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next()?.to_string(), parts.next()?.to_string());
    // Headers end at the first empty line; GET and HEAD carry no body.
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(n) if n > 0 && !header.trim_end().is_empty() => continue,
            Ok(_) => return Some((method, target)),
            Err(_) => return None,
        }
    }
}

fn write_response(
    mut stream: &TcpStream,
    response: &Response,
    head_only: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
        response.status,
        reason(response.status),
        response.body.len()
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "",
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

    /// `(status, content type, location)` of a raw `GET path`.
    fn get(server: &StaticServer, path: &str) -> (u16, String, String) {
        let mut stream = connect(server);
        write!(stream, "GET {path} HTTP/1.1\r\nHost: test\r\n\r\n").expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
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
        let stream = TcpStream::connect(("127.0.0.1", server.accept.port())).expect("connect");
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

    /// The reason this server is not tiny_http: many simultaneous
    /// connections that stay open must all be answered.
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
