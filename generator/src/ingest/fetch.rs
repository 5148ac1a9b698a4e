//! Getting a source's bytes from where site.toml says they are.
//!
//! A `[[source]]` location is either a path (relative to the site folder) or
//! an http(s) URL. This module only gets the bytes: parsing belongs to the
//! adapters, and keeping what was fetched belongs to [`crate::ingest::raw_store`].
//!
//! Why it is careful: a source that cannot be read stops the build (see the
//! pipeline rules), so the message is all the person editing site.toml gets.
//! Every [`FetchError`] therefore names the location and says what to do,
//! and every way a fetch can go wrong is bounded: a server that never
//! answers times out, and a body larger than [`FetchOptions::max_bytes`] is
//! an error rather than an out-of-memory crash.

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Result};

/// What to do when a URL cannot be fetched.
const URL_ADVICE: &str =
    "check the URL in site.toml [[source]] location, or download the file and point to it";
/// What to do when a local file cannot be read.
const PATH_ADVICE: &str =
    "check the path in site.toml [[source]] location (a relative path starts at the site folder)";

/// Where a source's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A local file, already resolved against the site folder.
    Path(PathBuf),
    /// An `http://` or `https://` URL, checked to have a host.
    Url(String),
}

impl Location {
    /// Reads a `[[source]] location` value: an http(s) URL, or else a path
    /// relative to `site_dir`. Other schemes (`ftp:`, `file:`, ...) are
    /// refused rather than mistaken for a file name.
    pub fn parse(text: &str, site_dir: &Path) -> Result<Location> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Error::Config(
                "a [[source]] location is empty: give a path or an http(s) URL".into(),
            ));
        }
        if is_http_url(text) {
            validate_url(text)?;
            return Ok(Location::Url(text.to_string()));
        }
        if let Some(scheme) = url_scheme(text) {
            let text = without_secrets(text);
            return Err(Error::Config(format!(
                "the [[source]] location {text:?} uses the {scheme}: scheme, which is not \
                 supported: give an http(s) URL or a local path (a file name with a colon \
                 in it must start with ./)"
            )));
        }
        Ok(Location::Path(site_dir.join(text)))
    }

    /// The file `name` inside this location, taken as a folder: a path
    /// joined to it, or a URL with `/name` added (one `/` between).
    pub fn join(&self, name: &str) -> Location {
        match self {
            Location::Path(dir) => Location::Path(dir.join(name)),
            Location::Url(base) => Location::Url(format!("{}/{name}", base.trim_end_matches('/'))),
        }
    }

    fn is_https(&self) -> bool {
        matches!(self, Location::Url(url) if has_prefix(url, "https://"))
    }

    /// `text` with every occurrence of this URL shown [`without_secrets`]:
    /// for an HTTP library's message, which may quote the URL it was given.
    fn hide_in(&self, text: String) -> String {
        let Location::Url(url) = self else {
            return text;
        };
        let shown = without_secrets(url);
        if shown == url.as_str() || !text.contains(url.as_str()) {
            return text;
        }
        text.replace(url.as_str(), &shown)
    }

    fn advice(&self) -> &'static str {
        match self {
            Location::Path(_) => PATH_ADVICE,
            Location::Url(_) => URL_ADVICE,
        }
    }
}

/// Shown without credentials or query secrets (see [`without_secrets`]):
/// it names the location in messages.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Path(path) => write!(f, "{}", path.display()),
            Location::Url(url) => f.write_str(&without_secrets(url)),
        }
    }
}

/// What stands for a hidden part of a URL.
const HIDDEN: &str = "…";

/// A source location as it may be shown anywhere (a message, the terminal,
/// the status page): a URL (`scheme://...`) loses its user name and password
/// (`https://user:pass@host/x` -> `https://host/x`), the value of each query
/// parameter (`?token=s3cret` -> `?token=…`; a parameter without `=` is
/// hidden whole) and its fragment, since any of these may be a secret the
/// site's operator put there to reach the data. Scheme, host and path stay,
/// enough to tell sources apart. A path is shown as it is, borrowed.
pub fn without_secrets(location: &str) -> Cow<'_, str> {
    let Some(scheme_end) = location.find("://") else {
        return Cow::Borrowed(location);
    };
    if url_scheme(&location[..scheme_end + 1]) != Some(&location[..scheme_end]) {
        return Cow::Borrowed(location);
    }
    let authority_start = scheme_end + 3;
    let rest = &location[authority_start..];
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host_start = rest[..authority_len].rfind('@').map_or(0, |at| at + 1);
    let after_host = &rest[host_start..];
    let (before_fragment, fragment) = match after_host.split_once('#') {
        Some((before, _)) => (before, Some(HIDDEN)),
        None => (after_host, None),
    };
    let (host_and_path, query) = match before_fragment.split_once('?') {
        Some((host_and_path, query)) => (host_and_path, Some(query)),
        None => (before_fragment, None),
    };
    let hidden_query = query.map(|query| {
        query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, "")) => format!("{key}="),
                Some((key, _)) => format!("{key}={HIDDEN}"),
                None if pair.is_empty() => String::new(),
                None => HIDDEN.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("&")
    });
    let unchanged = host_start == 0 && fragment.is_none() && hidden_query.as_deref() == query;
    if unchanged {
        return Cow::Borrowed(location);
    }
    let mut shown = String::with_capacity(location.len());
    shown.push_str(&location[..authority_start]);
    shown.push_str(host_and_path);
    if let Some(query) = hidden_query {
        shown.push('?');
        shown.push_str(&query);
    }
    if let Some(fragment) = fragment {
        shown.push('#');
        shown.push_str(fragment);
    }
    Cow::Owned(shown)
}

fn is_http_url(text: &str) -> bool {
    has_prefix(text, "http://") || has_prefix(text, "https://")
}

/// Case-insensitive `starts_with`, as schemes are case-insensitive.
fn has_prefix(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

/// The scheme of `text` if it looks like `scheme:...`. One letter is not a
/// scheme, so a Windows drive (`C:\data`) stays a path.
fn url_scheme(text: &str) -> Option<&str> {
    let (scheme, _) = text.split_once(':')?;
    let mut chars = scheme.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    (starts_with_letter && rest_ok && scheme.len() > 1).then_some(scheme)
}

fn validate_url(text: &str) -> Result<()> {
    let shown = without_secrets(text);
    let uri: ureq::http::Uri = text.parse().map_err(|e| {
        Error::Config(format!(
            "the [[source]] location {shown:?} is not a valid URL ({e})"
        ))
    })?;
    if uri.host().is_none_or(str::is_empty) {
        return Err(Error::Config(format!(
            "the [[source]] location {shown:?} is a URL without a host"
        )));
    }
    Ok(())
}

/// Limits on one fetch.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// How long to wait to connect, and for each read (a stalled server).
    /// It does not cap a large download that keeps making progress.
    pub timeout: Duration,
    /// The largest source accepted; a larger one is an error.
    pub max_bytes: u64,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(30),
            max_bytes: 512 * 1024 * 1024,
        }
    }
}

/// Why a source could not be fetched. The message names the location and
/// says what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    #[error("source {location}: no such file; {advice}", advice = location.advice())]
    NotFound { location: Location },
    #[error("source {location}: permission denied; {advice}", advice = location.advice())]
    PermissionDenied { location: Location },
    #[error("source {location}: is a folder, not a file; {advice}", advice = location.advice())]
    IsDirectory { location: Location },
    #[error("source {location}: could not be read ({source}); {advice}", advice = location.advice())]
    Read {
        location: Location,
        source: io::Error,
    },
    #[error(
        "source {location}: larger than the limit of {max_bytes} bytes; {advice}",
        advice = location.advice()
    )]
    TooLarge { location: Location, max_bytes: u64 },
    #[error("source {location}: the server answered HTTP {status}; {URL_ADVICE}")]
    HttpStatus { location: Location, status: u16 },
    #[error("source {location}: connection refused (is the server up?); {URL_ADVICE}")]
    ConnectionRefused { location: Location },
    #[error("source {location}: host not found; {URL_ADVICE}")]
    HostNotFound { location: Location },
    #[error("source {location}: no answer within {} s; {URL_ADVICE}", timeout.as_secs_f32())]
    Timeout {
        location: Location,
        timeout: Duration,
    },
    #[error(
        "source {location}: the download was cut off before the announced length; \
         try again later, or {URL_ADVICE}"
    )]
    Truncated { location: Location },
    #[error("source {location}: too many redirects (a redirect loop?); {URL_ADVICE}")]
    TooManyRedirects { location: Location },
    #[error(
        "source {location}: the server did not answer with valid HTTP ({detail}); {URL_ADVICE}"
    )]
    NotHttp { location: Location, detail: String },
    #[error("source {location}: the secure (TLS) connection failed ({detail}); {URL_ADVICE}")]
    Tls { location: Location, detail: String },
    #[error("source {location}: download failed ({detail}); {URL_ADVICE}")]
    Network { location: Location, detail: String },
}

impl FetchError {
    /// Whether the file is simply not there (no such file, HTTP 404 or
    /// 410), as an optional file may not be.
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            FetchError::NotFound { .. }
                | FetchError::HttpStatus {
                    status: 404 | 410,
                    ..
                }
        )
    }
}

/// Gets the bytes at `location`, within `options`' limits.
pub fn fetch(location: &Location, options: &FetchOptions) -> Result<Vec<u8>, FetchError> {
    match location {
        Location::Path(path) => read_file(location, path, options.max_bytes),
        Location::Url(url) => download(location, url, options),
    }
}

fn read_file(location: &Location, path: &Path, max_bytes: u64) -> Result<Vec<u8>, FetchError> {
    let file_error = |source: io::Error| file_error(location, source);
    let file = File::open(path).map_err(file_error)?;
    let metadata = file.metadata().map_err(file_error)?;
    if metadata.is_dir() {
        return Err(FetchError::IsDirectory {
            location: location.clone(),
        });
    }
    if metadata.len() > max_bytes {
        return Err(too_large(location, max_bytes));
    }
    // `take` guards against a file that grows between the check and the read.
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(file_error)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large(location, max_bytes));
    }
    Ok(bytes)
}

fn file_error(location: &Location, source: io::Error) -> FetchError {
    let location = location.clone();
    match source.kind() {
        io::ErrorKind::NotFound => FetchError::NotFound { location },
        io::ErrorKind::PermissionDenied => FetchError::PermissionDenied { location },
        io::ErrorKind::IsADirectory => FetchError::IsDirectory { location },
        _ => FetchError::Read { location, source },
    }
}

fn too_large(location: &Location, max_bytes: u64) -> FetchError {
    FetchError::TooLarge {
        location: location.clone(),
        max_bytes,
    }
}

/// Which part of the exchange an error happened in: the same early end of
/// the connection means "not HTTP" before the headers and "truncated" after.
#[derive(Clone, Copy)]
enum Phase {
    Response,
    Body,
}

fn download(location: &Location, url: &str, options: &FetchOptions) -> Result<Vec<u8>, FetchError> {
    let http_error = |phase, error| http_error(location, options, phase, error);
    let mut response = agent(options)
        .get(url)
        .call()
        .map_err(|e| http_error(Phase::Response, e))?;
    let body = response.body_mut();
    if body.content_length().is_some_and(|n| n > options.max_bytes) {
        return Err(too_large(location, options.max_bytes));
    }
    body.with_config()
        .limit(options.max_bytes)
        .read_to_vec()
        .map_err(|e| http_error(Phase::Body, e))
}

fn agent(options: &FetchOptions) -> ureq::Agent {
    let timeout = Some(options.timeout);
    ureq::Agent::config_builder()
        .user_agent(concat!("hemiciclo/", env!("CARGO_PKG_VERSION")))
        .timeout_resolve(timeout)
        .timeout_connect(timeout)
        .timeout_send_request(timeout)
        .timeout_recv_response(timeout)
        .timeout_per_read(timeout)
        .max_redirects(10)
        .build()
        .into()
}

fn http_error(
    location: &Location,
    options: &FetchOptions,
    phase: Phase,
    error: ureq::Error,
) -> FetchError {
    let location = location.clone();
    let detail = |text: String| location.hide_in(text);
    match error {
        ureq::Error::StatusCode(status) => FetchError::HttpStatus { location, status },
        ureq::Error::Timeout(_) => FetchError::Timeout {
            location,
            timeout: options.timeout,
        },
        ureq::Error::HostNotFound => FetchError::HostNotFound { location },
        ureq::Error::TooManyRedirects => FetchError::TooManyRedirects { location },
        ureq::Error::BodyExceedsLimit(_) => too_large(&location, options.max_bytes),
        ureq::Error::Protocol(protocol) => FetchError::NotHttp {
            detail: detail(protocol.to_string()),
            location,
        },
        ureq::Error::Io(io) => io_error(location, options, phase, io),
        ureq::Error::ConnectionFailed => FetchError::ConnectionRefused { location },
        ureq::Error::Rustls(_) | ureq::Error::Tls(_) => FetchError::Tls {
            detail: detail(error.to_string()),
            location,
        },
        other => FetchError::Network {
            detail: detail(other.to_string()),
            location,
        },
    }
}

fn io_error(location: Location, options: &FetchOptions, phase: Phase, io: io::Error) -> FetchError {
    match (io.kind(), phase) {
        (io::ErrorKind::ConnectionRefused, _) => FetchError::ConnectionRefused { location },
        (io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock, _) => FetchError::Timeout {
            location,
            timeout: options.timeout,
        },
        // Over https every byte passes through rustls first, and it reports
        // a failed handshake or a bad record as invalid data.
        (io::ErrorKind::InvalidData, _) if location.is_https() => FetchError::Tls {
            detail: location.hide_in(io.to_string()),
            location,
        },
        (io::ErrorKind::UnexpectedEof, Phase::Body) => FetchError::Truncated { location },
        (io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset, Phase::Response) => {
            FetchError::NotHttp {
                location,
                detail: "the connection closed before a complete response".to_string(),
            }
        }
        _ => FetchError::Network {
            detail: location.hide_in(io.to_string()),
            location,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Location> {
        Location::parse(text, Path::new("/site"))
    }

    #[test]
    fn http_and_https_are_urls() {
        assert_eq!(
            parse("https://example.org/votes.json").unwrap(),
            Location::Url("https://example.org/votes.json".into())
        );
        assert_eq!(
            parse(" HTTP://example.org/a.csv ").unwrap(),
            Location::Url("HTTP://example.org/a.csv".into())
        );
    }

    #[test]
    fn anything_else_is_a_path_from_the_site_folder() {
        assert_eq!(
            parse("data/votes.csv").unwrap(),
            Location::Path("/site/data/votes.csv".into())
        );
        assert_eq!(
            parse("/srv/votes.csv").unwrap(),
            Location::Path("/srv/votes.csv".into())
        );
        assert_eq!(
            parse("./votes:2024.csv").unwrap(),
            Location::Path("/site/./votes:2024.csv".into())
        );
    }

    #[test]
    fn other_schemes_are_refused_naming_the_text() {
        for text in ["ftp://example.org/votes.csv", "file:///tmp/votes.csv"] {
            let message = parse(text).unwrap_err().to_string();
            assert!(message.contains(text), "{message}");
            assert!(message.contains("not supported"), "{message}");
        }
    }

    #[test]
    fn a_url_without_a_host_or_with_spaces_is_refused() {
        for text in ["http://", "https:///votes.json", "https://exa mple.org/"] {
            let message = parse(text).unwrap_err().chain_text();
            assert!(message.contains(text), "{message}");
        }
    }

    #[test]
    fn an_empty_location_is_refused() {
        assert!(parse("  ").is_err());
    }

    #[test]
    fn urls_are_shown_without_credentials_or_query_secrets() {
        for (location, shown) in [
            ("https://user:pass@example.org/x", "https://example.org/x"),
            ("https://user@example.org", "https://example.org"),
            (
                "http://a:b@c@example.org:8080/v.csv",
                "http://example.org:8080/v.csv",
            ),
            (
                "https://example.org/v.json?token=s3cret&format=json",
                "https://example.org/v.json?token=…&format=…",
            ),
            ("https://example.org/?s3cret", "https://example.org/?…"),
            (
                "https://example.org/?a=&&b=1",
                "https://example.org/?a=&&b=…",
            ),
            (
                "https://example.org/v#key=s3cret",
                "https://example.org/v#…",
            ),
            (
                "https://example.org?token=s3cret",
                "https://example.org?token=…",
            ),
            ("https://u:p@example.org#f", "https://example.org#…"),
            ("HTTPS://U:P@Example.org/a@b", "HTTPS://Example.org/a@b"),
            ("ftp://u:p@example.org/v.csv", "ftp://example.org/v.csv"),
        ] {
            assert_eq!(without_secrets(location), shown, "{location}");
        }
        for unchanged in [
            "https://example.org/votes.json",
            "https://example.org/a@b/c",
            "data/ar-votes/x?y=z.csv",
            "data/a://b?c=d",
            "",
        ] {
            assert!(
                matches!(without_secrets(unchanged), Cow::Borrowed(s) if s == unchanged),
                "{unchanged}"
            );
        }
    }

    #[test]
    fn fetch_messages_show_no_credentials() {
        let location = parse("https://user:pa55@example.org/v.json?token=s3cret").unwrap();
        let message = FetchError::HttpStatus {
            location: location.clone(),
            status: 401,
        }
        .to_string();
        assert!(
            message.contains("https://example.org/v.json?token=…"),
            "{message}"
        );
        let detail = location
            .hide_in("bad uri https://user:pa55@example.org/v.json?token=s3cret: nope".into());
        assert_eq!(detail, "bad uri https://example.org/v.json?token=…: nope");
        for text in [
            "ftp://user:pa55@example.org/?token=s3cret",
            "https://user:pa55@exa mple.org/?token=s3cret",
        ] {
            let message = parse(text).unwrap_err().chain_text();
            assert!(!message.contains("pa55"), "{message}");
            assert!(!message.contains("s3cret"), "{message}");
        }
    }

    #[test]
    fn messages_name_the_location_and_the_fix() {
        let url = Location::Url("https://example.org/v.json".into());
        let message = FetchError::HttpStatus {
            location: url,
            status: 404,
        }
        .to_string();
        assert!(message.contains("https://example.org/v.json"), "{message}");
        assert!(message.contains("404"), "{message}");
        assert!(message.contains(URL_ADVICE), "{message}");
    }
}
