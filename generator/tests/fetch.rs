//! Fetching over real HTTP, from a tiny server on 127.0.0.1 that misbehaves
//! on purpose, and from local paths. Every failure must be a typed error
//! whose message names the location; none may hang (timeouts are 1 s here).
//!
//! The server is hand-written on `std::net` rather than hyper on purpose:
//! hyper only ever sends well-formed HTTP, and these tests need a server
//! that answers with garbage, with a body shorter than its Content-Length,
//! with nothing at all, or never.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use hemiciclo::ingest::fetch::{fetch, FetchError, FetchOptions, Location};

/// What the server does with one request, given its path.
type Handler = dyn Fn(&str, &mut TcpStream) + Send + Sync;

/// Starts a server on a free port; each connection gets its own thread.
/// Returns the base URL (`http://127.0.0.1:PORT`).
fn serve(handler: impl Fn(&str, &mut TcpStream) + Send + Sync + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handler: Arc<Handler> = Arc::new(handler);
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let handler = Arc::clone(&handler);
            thread::spawn(move || {
                if let Some(path) = read_request_path(&stream) {
                    handler(&path, &mut stream);
                }
            });
        }
    });
    base
}

/// Reads a request's head and returns its path.
fn read_request_path(stream: &TcpStream) -> Option<String> {
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    let path = request_line.split_whitespace().nth(1)?.to_string();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 || line == "\r\n" {
            return Some(path);
        }
    }
}

fn respond(stream: &mut TcpStream, status: &str, headers: &[&str], body: &[u8]) {
    let mut head = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    for header in headers {
        head.push_str(header);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
}

fn ok(stream: &mut TcpStream, body: &[u8]) {
    let length = format!("Content-Length: {}", body.len());
    respond(stream, "200 OK", &[&length], body);
}

/// Bytes that are not text, so nothing is decoded or normalised on the way.
fn payload(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 256) as u8).collect()
}

fn quick() -> FetchOptions {
    FetchOptions {
        timeout: Duration::from_secs(1),
        ..FetchOptions::default()
    }
}

fn url(text: String) -> Location {
    Location::Url(text)
}

/// Fetches `location`, expecting an error whose message names it.
fn fetch_err(location: &Location, options: &FetchOptions) -> FetchError {
    let error = fetch(location, options).expect_err("the fetch should fail");
    let message = error.to_string();
    assert!(
        message.contains(&location.to_string()),
        "message does not name {location}: {message}"
    );
    error
}

#[test]
fn a_good_response_gives_the_exact_bytes() {
    let body = payload(100_000);
    let expected = body.clone();
    let base = serve(move |_, stream| ok(stream, &body));
    let bytes = fetch(&url(format!("{base}/votes.json")), &quick()).unwrap();
    assert_eq!(bytes, expected);
}

#[test]
fn not_found_is_an_http_status_error_with_advice() {
    let base = serve(|_, stream| respond(stream, "404 Not Found", &["Content-Length: 0"], b""));
    let location = url(format!("{base}/missing.json"));
    let error = fetch_err(&location, &quick());
    assert!(
        matches!(error, FetchError::HttpStatus { status: 404, .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("site.toml [[source]] location"),
        "{message}"
    );
}

#[test]
fn a_server_error_is_an_http_status_error() {
    let base = serve(|_, stream| {
        respond(
            stream,
            "500 Internal Server Error",
            &["Content-Length: 4"],
            b"oops",
        )
    });
    let error = fetch_err(&url(format!("{base}/votes.json")), &quick());
    assert!(
        matches!(error, FetchError::HttpStatus { status: 500, .. }),
        "{error:?}"
    );
}

#[test]
fn a_server_that_never_answers_times_out() {
    // Holds the connection open, reading until the client gives up.
    let base = serve(|_, stream| {
        let _ = stream.read_to_end(&mut Vec::new());
    });
    let started = Instant::now();
    let error = fetch_err(&url(format!("{base}/slow.json")), &quick());
    assert!(matches!(error, FetchError::Timeout { .. }), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_closed_port_is_connection_refused() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let error = fetch_err(&url(format!("http://{address}/votes.json")), &quick());
    assert!(
        matches!(error, FetchError::ConnectionRefused { .. }),
        "{error:?}"
    );
}

#[test]
fn garbage_instead_of_http_is_reported_as_not_http() {
    let base = serve(|_, stream| {
        let _ = stream.write_all(b"\x00\x01\x02 this is not HTTP at all\r\n\r\n");
    });
    let error = fetch_err(&url(format!("{base}/votes.json")), &quick());
    assert!(matches!(error, FetchError::NotHttp { .. }), "{error:?}");
}

#[test]
fn a_connection_closed_without_any_answer_is_reported_as_not_http() {
    let base = serve(|_, stream| {
        let _ = stream.shutdown(std::net::Shutdown::Both);
    });
    let error = fetch_err(&url(format!("{base}/votes.json")), &quick());
    assert!(matches!(error, FetchError::NotHttp { .. }), "{error:?}");
}

#[test]
fn https_to_a_server_without_tls_is_an_error_not_a_panic() {
    // Proves the TLS stack is built in and wired up (no crypto provider
    // panic): the handshake runs and fails cleanly against plain HTTP.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let location = url(format!(
        "https://{}/votes.json",
        listener.local_addr().unwrap()
    ));
    thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        ok(&mut stream, b"plain HTTP, no TLS");
        let _ = stream.read_to_end(&mut Vec::new());
    });
    let started = Instant::now();
    let error = fetch_err(&location, &quick());
    assert!(matches!(error, FetchError::Tls { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_body_shorter_than_its_content_length_is_truncated() {
    let base = serve(|_, stream| respond(stream, "200 OK", &["Content-Length: 1000"], b"short"));
    let error = fetch_err(&url(format!("{base}/votes.json")), &quick());
    assert!(matches!(error, FetchError::Truncated { .. }), "{error:?}");
}

#[test]
fn a_chunked_body_is_reassembled() {
    let base = serve(|_, stream| {
        let body = b"5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n";
        respond(stream, "200 OK", &["Transfer-Encoding: chunked"], body);
    });
    let bytes = fetch(&url(format!("{base}/votes.json")), &quick()).unwrap();
    assert_eq!(bytes, b"hello, world");
}

#[test]
fn a_redirect_is_followed() {
    let base = serve(|path, stream| match path {
        "/old.json" => respond(
            stream,
            "302 Found",
            &["Location: /new.json", "Content-Length: 0"],
            b"",
        ),
        "/new.json" => ok(stream, b"moved here"),
        _ => respond(stream, "404 Not Found", &["Content-Length: 0"], b""),
    });
    let bytes = fetch(&url(format!("{base}/old.json")), &quick()).unwrap();
    assert_eq!(bytes, b"moved here");
}

#[test]
fn a_redirect_loop_is_an_error() {
    let base = serve(|_, stream| {
        let headers = ["Location: /loop.json", "Content-Length: 0"];
        respond(stream, "302 Found", &headers, b"")
    });
    let error = fetch_err(&url(format!("{base}/loop.json")), &quick());
    assert!(
        matches!(error, FetchError::TooManyRedirects { .. }),
        "{error:?}"
    );
}

#[test]
fn a_body_over_max_bytes_is_an_error_whether_announced_or_not() {
    let base = serve(|path, stream| {
        let body = payload(5_000);
        if path == "/announced.json" {
            ok(stream, &body);
        } else {
            // No Content-Length: the body ends when the connection closes.
            respond(stream, "200 OK", &[], &body);
        }
    });
    let options = FetchOptions {
        max_bytes: 1_000,
        ..quick()
    };
    for path in ["/announced.json", "/streamed.json"] {
        let error = fetch_err(&url(format!("{base}{path}")), &options);
        assert!(
            matches!(
                error,
                FetchError::TooLarge {
                    max_bytes: 1_000,
                    ..
                }
            ),
            "{path}: {error:?}"
        );
    }
}

#[test]
fn a_body_exactly_max_bytes_is_accepted() {
    let base = serve(|_, stream| ok(stream, &payload(1_000)));
    let options = FetchOptions {
        max_bytes: 1_000,
        ..quick()
    };
    let bytes = fetch(&url(format!("{base}/votes.json")), &options).unwrap();
    assert_eq!(bytes, payload(1_000));
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("hemiciclo-fetch-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_local_file_is_read_relative_to_the_site_folder() {
    let site = scratch("file");
    fs::create_dir_all(site.join("data")).unwrap();
    fs::write(site.join("data/votes.csv"), payload(3_000)).unwrap();
    let location = Location::parse("data/votes.csv", &site).unwrap();
    assert_eq!(fetch(&location, &quick()).unwrap(), payload(3_000));
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn local_path_failures_are_clear() {
    let site = scratch("path-errors");
    fs::write(site.join("big.csv"), payload(2_000)).unwrap();

    let missing = Location::parse("data/missing.csv", &site).unwrap();
    let error = fetch_err(&missing, &quick());
    assert!(matches!(error, FetchError::NotFound { .. }), "{error:?}");

    let folder = Location::parse(".", &site).unwrap();
    let error = fetch_err(&folder, &quick());
    assert!(matches!(error, FetchError::IsDirectory { .. }), "{error:?}");

    let big = Location::parse("big.csv", &site).unwrap();
    let options = FetchOptions {
        max_bytes: 1_000,
        ..quick()
    };
    let error = fetch_err(&big, &options);
    assert!(matches!(error, FetchError::TooLarge { .. }), "{error:?}");
    fs::remove_dir_all(&site).unwrap();
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_permission_denied() {
    use std::os::unix::fs::PermissionsExt;
    let site = scratch("permission");
    let path = site.join("secret.csv");
    fs::write(&path, b"x").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&path).is_ok() {
        // Running as root: permissions are not enforced, nothing to test.
        fs::remove_dir_all(&site).unwrap();
        return;
    }
    let error = fetch_err(&Location::Path(path), &quick());
    assert!(
        matches!(error, FetchError::PermissionDenied { .. }),
        "{error:?}"
    );
    fs::remove_dir_all(&site).unwrap();
}
