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

    fn advice(&self) -> &'static str {
        match self {
            Location::Path(_) => PATH_ADVICE,
            Location::Url(_) => URL_ADVICE,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Path(path) => write!(f, "{}", path.display()),
            Location::Url(url) => f.write_str(url),
        }
    }
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
    let uri: ureq::http::Uri = text.parse().map_err(|e| {
        Error::Config(format!(
            "the [[source]] location {text:?} is not a valid URL ({e})"
        ))
    })?;
    if uri.host().is_none_or(str::is_empty) {
        return Err(Error::Config(format!(
            "the [[source]] location {text:?} is a URL without a host"
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
    match error {
        ureq::Error::StatusCode(status) => FetchError::HttpStatus { location, status },
        ureq::Error::Timeout(_) => FetchError::Timeout {
            location,
            timeout: options.timeout,
        },
        ureq::Error::HostNotFound => FetchError::HostNotFound { location },
        ureq::Error::TooManyRedirects => FetchError::TooManyRedirects { location },
        ureq::Error::BodyExceedsLimit(_) => too_large(&location, options.max_bytes),
        ureq::Error::Protocol(detail) => FetchError::NotHttp {
            location,
            detail: detail.to_string(),
        },
        ureq::Error::Io(io) => io_error(location, options, phase, io),
        ureq::Error::ConnectionFailed => FetchError::ConnectionRefused { location },
        ureq::Error::Rustls(_) | ureq::Error::Tls(_) => FetchError::Tls {
            location,
            detail: error.to_string(),
        },
        other => FetchError::Network {
            location,
            detail: other.to_string(),
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
            location,
            detail: io.to_string(),
        },
        (io::ErrorKind::UnexpectedEof, Phase::Body) => FetchError::Truncated { location },
        (io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset, Phase::Response) => {
            FetchError::NotHttp {
                location,
                detail: "the connection closed before a complete response".to_string(),
            }
        }
        _ => FetchError::Network {
            location,
            detail: io.to_string(),
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
