//! A proxy that forwards nothing: it records the first request line of
//! every connection and answers `502 Bad Gateway`.
//!
//! Chromium is started with `--proxy-server` pointing here. It bypasses
//! proxies for loopback, so requests to the test server never arrive;
//! anything that does arrive was meant for another host, which a
//! self-contained static site must never contact.

use crate::listener::AcceptLoop;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A running trap; it stops when dropped.
#[derive(Debug)]
pub struct TrapProxy {
    accept: AcceptLoop,
    record: Arc<Mutex<Vec<String>>>,
}

impl TrapProxy {
    pub fn start() -> Self {
        let record = Arc::new(Mutex::new(Vec::new()));
        let accept = {
            let record = Arc::clone(&record);
            AcceptLoop::start(move |stream| {
                // Recorded before answering, so whoever sees the 502 can
                // rely on the record already holding the request.
                let line = request_line(&stream);
                record.lock().unwrap_or_else(|e| e.into_inner()).push(line);
                refuse(&stream);
            })
        };
        TrapProxy { accept, record }
    }

    /// The value for Chromium's `--proxy-server` flag.
    pub fn proxy_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.accept.port())
    }

    /// The first request line of every connection so far
    /// (e.g. `GET http://example.com/ HTTP/1.1`, `CONNECT example.com:443 HTTP/1.1`).
    pub fn recorded(&self) -> Vec<String> {
        self.record
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

fn request_line(stream: &TcpStream) -> String {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut line = String::new();
    match BufReader::new(stream).read_line(&mut line) {
        Ok(n) if n > 0 => line.trim_end().to_string(),
        _ => "<connection without a request line>".to_string(),
    }
}

fn refuse(mut stream: &TcpStream) {
    let _ = stream
        .write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}

#[cfg(test)]
mod tests {
    use super::TrapProxy;
    use std::io::{Read, Write};
    use std::net::TcpStream;

    #[test]
    fn records_the_request_line_and_answers_502() {
        let trap = TrapProxy::start();
        let mut stream = TcpStream::connect(("127.0.0.1", trap.accept.port())).unwrap();
        stream
            .write_all(b"GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\n\r\n")
            .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        assert!(response.starts_with("HTTP/1.1 502"), "{response}");
        assert_eq!(trap.recorded(), ["GET http://example.com/ HTTP/1.1"]);
    }
}
