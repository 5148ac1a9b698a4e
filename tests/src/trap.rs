//! A proxy that forwards nothing: it records the request line of every
//! request and answers `502 Bad Gateway`.
//!
//! Chromium is started with `--proxy-server` pointing here. It bypasses
//! proxies for loopback, so requests to the test server never arrive;
//! anything that does arrive was meant for another host, which a
//! self-contained static site must never contact. A connection that
//! brings no request it could record (nothing within 2 s, or nothing
//! HTTP) is recorded too, as a placeholder, so it fails the check as well.

use crate::listener::{Handler, HttpServer};
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, CONNECTION};
use hyper::{Request, Response, StatusCode};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A connection that has not sent its request head by then counts as one
/// without a request.
const HEADER_TIMEOUT: Duration = Duration::from_secs(2);

/// What [`TrapProxy::recorded`] holds for a connection without a request.
pub const NO_REQUEST: &str = "<connection without a request line>";

/// A running trap; it stops when dropped.
#[derive(Debug)]
pub struct TrapProxy {
    http: HttpServer,
    record: Arc<Mutex<Vec<String>>>,
}

impl TrapProxy {
    pub fn start() -> Self {
        let record = Arc::new(Mutex::new(Vec::new()));
        let trap = Trap {
            record: Arc::clone(&record),
        };
        TrapProxy {
            http: HttpServer::start(trap, HEADER_TIMEOUT),
            record,
        }
    }

    /// The value for Chromium's `--proxy-server` flag.
    pub fn proxy_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.http.port())
    }

    /// The request line of every request so far
    /// (e.g. `GET http://example.com/ HTTP/1.1`, `CONNECT example.com:443 HTTP/1.1`),
    /// and [`NO_REQUEST`] for each connection that brought none.
    pub fn recorded(&self) -> Vec<String> {
        self.record
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

struct Trap {
    record: Arc<Mutex<Vec<String>>>,
}

impl Trap {
    fn push(&self, line: String) {
        self.record
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(line);
    }
}

impl Handler for Trap {
    fn respond(&self, request: &Request<Incoming>) -> Response<Full<Bytes>> {
        // Recorded before answering, so whoever sees the 502 can rely on
        // the record already holding the request.
        self.push(format!(
            "{} {} {:?}",
            request.method(),
            request.uri(),
            request.version()
        ));
        let mut response = Response::new(Full::default());
        *response.status_mut() = StatusCode::BAD_GATEWAY;
        response
            .headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
        response
    }

    fn unanswered_connection(&self) {
        self.push(NO_REQUEST.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::{TrapProxy, NO_REQUEST};
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::{Duration, Instant};

    fn send(trap: &TrapProxy, request: &[u8]) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", trap.http.port())).unwrap();
        stream.write_all(request).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    }

    #[test]
    fn records_the_request_line_and_answers_502() {
        let trap = TrapProxy::start();
        let response = send(
            &trap,
            b"GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\n\r\n",
        );
        assert!(
            response.starts_with("HTTP/1.1 502 Bad Gateway\r\n"),
            "{response}"
        );
        assert!(response.contains("\r\nContent-Length: 0\r\n"), "{response}");
        let response = send(
            &trap,
            b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
        );
        assert!(response.starts_with("HTTP/1.1 502"), "{response}");
        assert_eq!(
            trap.recorded(),
            [
                "GET http://example.com/ HTTP/1.1",
                "CONNECT example.com:443 HTTP/1.1"
            ]
        );
    }

    #[test]
    fn records_a_connection_without_a_request() {
        let trap = TrapProxy::start();
        drop(TcpStream::connect(("127.0.0.1", trap.http.port())).unwrap());
        let deadline = Instant::now() + Duration::from_secs(5);
        while trap.recorded().is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(trap.recorded(), [NO_REQUEST]);
    }
}
