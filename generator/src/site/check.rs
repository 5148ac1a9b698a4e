//! `hemiciclo check`'s verdict on a site rendered in memory: broken links
//! and anchors, and pages over the size budget.
//!
//! A broken link is invisible in a build that succeeds, and a page that
//! grew past the budget only shows on a slow phone; this finds both before
//! anything is published. It is pure — files in, problems out — so the
//! command line does the rendering and the printing, and the tests here
//! need no site. Every page is scanned once, for its links and its ids
//! together, then every link is resolved against the files.

use flate2::{write::GzEncoder, Compression};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::io::Write;

/// The most a page may weigh gzipped, in bytes: what the home page's first
/// question is allowed in all, so no page should need more by itself.
pub const PAGE_BUDGET: usize = 50_000;

/// One thing wrong with one file of the site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The file's path in the site (`en/p/123/index.html`); empty when the
    /// message names the file itself, as a failed render's does.
    pub file: String,
    pub message: String,
}

impl Problem {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            file: file.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.file.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

/// What the site looks like from outside the files.
#[derive(Debug, Clone)]
pub struct Setting<'a> {
    /// The path the site is published under (`/hemiciclo/`, from
    /// `base-url`; `/` without one). Only the 404 pages link from the
    /// server's root, by design, since a host serves them at any address;
    /// their links are resolved from this path.
    pub site_path: &'a str,
    /// Files the published site will have that the rendered one does not
    /// (the quiz module, when no `--wasm` was given): links to them are
    /// taken as found.
    pub present_later: &'a [String],
}

impl Default for Setting<'_> {
    fn default() -> Self {
        Setting {
            site_path: "/",
            present_later: &[],
        }
    }
}

/// What [`check`] found.
#[derive(Debug, Default)]
pub struct Report {
    /// HTML pages scanned.
    pub pages: usize,
    /// Links resolved within the site (external ones are not counted).
    pub links: usize,
    /// Sorted, each once.
    pub problems: Vec<Problem>,
}

/// Checks every `.html` file of `files` (path, bytes): each internal link
/// (`href`, `src`, `srcset`) must reach a file of `files` and each
/// fragment an `id` or `name` on its page, and each page must stay within
/// [`PAGE_BUDGET`] gzipped.
pub fn check(files: &[(&str, &[u8])], setting: &Setting) -> Report {
    let pages: Vec<(&str, &[u8])> = files
        .iter()
        .copied()
        .filter(|(path, _)| path.ends_with(".html"))
        .collect();
    // Scanning and compressing are most of the time: one half on each core.
    let half = pages.len().div_ceil(2);
    let (mut scanned, rest) = std::thread::scope(|scope| {
        let (first, second) = pages.split_at(half);
        let other = scope.spawn(|| scan_all(second));
        let mine = scan_all(first);
        (
            mine,
            other.join().expect("the page scanner stopped unexpectedly"),
        )
    });
    scanned.extend(rest);

    let mut problems = BTreeSet::new();
    let known: HashSet<&str> = files
        .iter()
        .map(|(path, _)| *path)
        .chain(setting.present_later.iter().map(String::as_str))
        .collect();
    let ids: HashMap<&str, &HashSet<String>> = scanned
        .iter()
        .map(|(path, page)| (*path, &page.ids))
        .collect();
    let mut links = 0;
    for (path, page) in &scanned {
        if let Some(size) = page.gzipped {
            problems.insert(Problem::new(
                *path,
                format!("{size} bytes gzipped, over the page budget of {PAGE_BUDGET} bytes"),
            ));
        }
        for link in &page.links {
            let Some(outcome) = check_link(path, link, setting, &known, &ids) else {
                continue;
            };
            links += 1;
            if let Err(message) = outcome {
                problems.insert(Problem::new(*path, message));
            }
        }
    }
    Report {
        pages: scanned.len(),
        links,
        problems: problems.into_iter().collect(),
    }
}

fn scan_all<'a>(pages: &[(&'a str, &[u8])]) -> Vec<(&'a str, Scanned)> {
    pages
        .iter()
        .map(|(path, bytes)| {
            let mut page = scan(&String::from_utf8_lossy(bytes));
            page.gzipped = over_budget(bytes);
            (*path, page)
        })
        .collect()
}

/// The page's gzipped size when it is over the budget. A page whose raw
/// size is well under it cannot be, so it is not compressed at all.
fn over_budget(bytes: &[u8]) -> Option<usize> {
    // gzip adds at most 18 bytes of header and trailer and 5 per stored block.
    if bytes.len() + bytes.len() / 1000 + 64 <= PAGE_BUDGET {
        return None;
    }
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(bytes).ok()?;
    let size = gz.finish().ok()?.len();
    (size > PAGE_BUDGET).then_some(size)
}

/// `None` for a link that is not checked (another site, `#` alone);
/// otherwise whether it reaches something.
fn check_link(
    page: &str,
    link: &str,
    setting: &Setting,
    known: &HashSet<&str>,
    ids: &HashMap<&str, &HashSet<String>>,
) -> Option<Result<(), String>> {
    let link = link.trim();
    if link.is_empty() || link == "#" || link.starts_with("//") || has_scheme(link) {
        return None;
    }
    let (rest, fragment) = match link.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (link, None),
    };
    let path = rest.split_once('?').map_or(rest, |(path, _)| path);
    let target = if path.is_empty() {
        page.to_owned()
    } else if path.starts_with('/') {
        if !is_not_found_page(page) {
            return Some(Err(format!(
                "link to {link} — starts at the server's root, so it breaks when the site is \
                 served under a sub-path; make it relative"
            )));
        }
        let Some(inside) = path.strip_prefix(setting.site_path) else {
            return Some(Err(format!(
                "link to {link} — outside the site's path {} (base-url)",
                setting.site_path
            )));
        };
        match resolve("", inside) {
            Some(target) => target,
            None => return Some(Err(format!("link to {link} — goes above the site's root"))),
        }
    } else {
        match resolve(page, path) {
            Some(target) => target,
            None => return Some(Err(format!("link to {link} — goes above the site's root"))),
        }
    };
    let Some(found) = find(&target, known) else {
        let what = if target.ends_with(".html") {
            "page"
        } else {
            "file"
        };
        return Some(Err(format!("link to {link} — no such {what}")));
    };
    let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
        return Some(Ok(()));
    };
    // Only pages have anchors; a fragment of another file is its own business.
    let Some(anchors) = ids.get(found.as_str()) else {
        return Some(Ok(()));
    };
    if anchors.contains(fragment) || anchors.contains(percent_decode(fragment).as_str()) {
        return Some(Ok(()));
    }
    Some(Err(if found == page {
        format!("link to {link} — no id \"{fragment}\" on this page")
    } else {
        format!("link to {link} — {found} has no id \"{fragment}\"")
    }))
}

/// The 404 page is served at any address, so its links start at the root.
fn is_not_found_page(page: &str) -> bool {
    page == "404.html" || page.ends_with("/404.html")
}

/// `http:`, `mailto:`, `data:` and the like: another site's business.
fn has_scheme(link: &str) -> bool {
    let Some(colon) = link.find(':') else {
        return false;
    };
    let scheme = &link[..colon];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The site path `relative` names from `page` (both `/`-separated, the
/// page's from the site's root); a folder (`x/`, `.`, `..`) means its
/// `index.html`. `None` when it climbs above the root.
pub fn resolve(page: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop(); // the page's own name
    parts.retain(|p| !p.is_empty());
    let mut folder = true;
    for segment in relative.split('/') {
        folder = true;
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            name => {
                parts.push(name);
                folder = false;
            }
        }
    }
    if folder {
        parts.push("index.html");
    }
    Some(parts.join("/"))
}

/// The file `target` stands for: itself, percent-decoded, or the index of
/// a folder linked without its final `/` (which hosts redirect).
fn find(target: &str, known: &HashSet<&str>) -> Option<String> {
    let decoded = percent_decode(target);
    [target.to_owned(), decoded.clone()]
        .into_iter()
        .chain([
            format!("{target}/index.html"),
            format!("{decoded}/index.html"),
        ])
        .find(|candidate| known.contains(candidate.as_str()))
}

fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What one page holds that links need.
#[derive(Debug, Default)]
struct Scanned {
    /// Every `id` and `name` on the page.
    ids: HashSet<String>,
    /// Every `href`, `src` and `srcset` address, entities decoded.
    links: Vec<String>,
    /// The gzipped size, when over the budget.
    gzipped: Option<usize>,
}

/// Reads the tags of `html` for their ids and links, skipping comments
/// and what `<script>` and `<style>` hold.
fn scan(html: &str) -> Scanned {
    let mut page = Scanned::default();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(rest.len());
        if name_len == 0 || !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            // A closing tag, a doctype or a stray `<`: nothing to read.
            continue;
        }
        let name = rest[..name_len].to_ascii_lowercase();
        rest = read_attributes(&rest[name_len..], &mut page);
        if name == "script" || name == "style" {
            rest = skip_raw_text(rest, &name);
        }
    }
    page
}

/// Reads a tag's attributes up to its `>`; returns what follows it.
fn read_attributes<'a>(mut rest: &'a str, page: &mut Scanned) -> &'a str {
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            return rest;
        }
        if let Some(after) = rest.strip_prefix('>') {
            return after;
        }
        let name_len = rest
            .find(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/'))
            .unwrap_or(rest.len())
            .max(1);
        let name = rest[..name_len].to_ascii_lowercase();
        rest = rest[name_len..].trim_start();
        let Some(after_equals) = rest.strip_prefix('=') else {
            continue;
        };
        rest = after_equals.trim_start();
        let value;
        if let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) {
            let inner = &rest[1..];
            let end = inner.find(quote).unwrap_or(inner.len());
            value = &inner[..end];
            rest = inner.get(end + 1..).unwrap_or("");
        } else {
            let end = rest
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .unwrap_or(rest.len());
            value = &rest[..end];
            rest = &rest[end..];
        }
        match name.as_str() {
            "id" | "name" => {
                page.ids.insert(decode_entities(value));
            }
            "href" | "src" => page.links.push(decode_entities(value)),
            "srcset" => page.links.extend(
                decode_entities(value)
                    .split(',')
                    .filter_map(|candidate| candidate.split_whitespace().next())
                    .map(str::to_owned),
            ),
            _ => {}
        }
    }
}

/// What follows a `<script>` or `<style>` element's closing tag.
fn skip_raw_text<'a>(rest: &'a str, name: &str) -> &'a str {
    let closing = format!("</{name}");
    let lower = rest.to_ascii_lowercase();
    match lower.find(&closing) {
        Some(at) => &rest[at..],
        None => "",
    }
}

/// The text an attribute value stands for: the entities HTML escaping
/// writes (named ones of markup, and numeric ones) decoded.
fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let entity = &rest[1..end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(files: &[(&str, &str)]) -> Report {
        let files: Vec<(&str, &[u8])> = files.iter().map(|(p, t)| (*p, t.as_bytes())).collect();
        check(&files, &Setting::default())
    }

    fn messages(report: &Report) -> Vec<String> {
        report.problems.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn links_resolve_against_the_page_and_folders_mean_their_index() {
        assert_eq!(
            resolve("p/1/index.html", "../2/").unwrap(),
            "p/2/index.html"
        );
        assert_eq!(
            resolve("p/1/index.html", "../../g/X/").unwrap(),
            "g/X/index.html"
        );
        assert_eq!(resolve("index.html", "style.css").unwrap(), "style.css");
        assert_eq!(resolve("en/index.html", "..").unwrap(), "index.html");
        assert_eq!(resolve("en/index.html", "./").unwrap(), "en/index.html");
        assert_eq!(resolve("a/b.html", "c/./d.png").unwrap(), "a/c/d.png");
        assert_eq!(resolve("", "m/").unwrap(), "m/index.html");
        assert_eq!(resolve("index.html", "../x/"), None);
    }

    #[test]
    fn a_site_whose_links_all_land_has_no_problems() {
        let report = run(&[
            (
                "index.html",
                r##"<!doctype html><a href="p/1/">one</a><a href='p/1/#vote-2'>vote</a>
                   <link rel="stylesheet" href="style.css?v=3"><img src=icon.png alt="">
                   <img srcset="icon.png 1x, icon.png 2x"><a href="#top">up</a><h1 id=top>x</h1>
                   <a href="https://example.org/x">out</a><a href="mailto:a@b.c">mail</a>
                   <a href="//cdn.example/x">cdn</a><a href="#">self</a>
                   <img src="data:image/png;base64,AAAA"><a href="p/1">no slash</a>"##,
            ),
            (
                "p/1/index.html",
                r##"<tr id="vote-2"><a href="../../?x=1&amp;y=2">home</a><a name="old"></a>
                   <a href="../../index.html#top">top</a><a href="#old">old</a>"##,
            ),
            ("style.css", ""),
            ("icon.png", ""),
        ]);
        assert_eq!(messages(&report), Vec::<String>::new());
        assert_eq!(report.pages, 2);
        assert_eq!(report.links, 11);
    }

    #[test]
    fn broken_links_and_anchors_name_the_page_and_the_link() {
        let report = run(&[
            (
                "en/p/123/index.html",
                r##"<a href="../../g/XYZ/">party</a><a href="../../g/XYZ/">again</a>
                   <a href="#nowhere">here</a><a href="../../../index.html#gone">home</a>
                   <a href="/m/">root</a><a href="../../../../up/">up</a>
                   <img src="missing.png">"##,
            ),
            ("index.html", r##"<h1 id="top">home</h1>"##),
        ]);
        assert_eq!(
            messages(&report),
            [
                "en/p/123/index.html: link to #nowhere — no id \"nowhere\" on this page",
                "en/p/123/index.html: link to ../../../../up/ — goes above the site's root",
                "en/p/123/index.html: link to ../../../index.html#gone — index.html has no id \"gone\"",
                "en/p/123/index.html: link to ../../g/XYZ/ — no such page",
                "en/p/123/index.html: link to /m/ — starts at the server's root, so it breaks \
                 when the site is served under a sub-path; make it relative",
                "en/p/123/index.html: link to missing.png — no such file",
            ]
        );
    }

    #[test]
    fn scripts_styles_and_comments_are_not_read_for_links() {
        let report = run(&[(
            "index.html",
            "<script>let a = '<a href=\"nope/\">';</script><style>a{}</style>\
             <!-- <a href=\"old/\"> --><SCRIPT src=\"app.js\"></SCRIPT>",
        )]);
        assert_eq!(
            messages(&report),
            ["index.html: link to app.js — no such file"]
        );
    }

    #[test]
    fn the_404_page_links_from_the_site_path() {
        let files: Vec<(&str, &[u8])> = vec![
            (
                "404.html",
                br##"<a href="/hemiciclo/">home</a><a href="/hemiciclo/style.css">s</a>
                    <a href="/elsewhere/">x</a><a href="/hemiciclo/gone/">y</a>"##,
            ),
            ("index.html", b""),
            ("style.css", b""),
        ];
        let later = ["pkg/hemiciclo_web.js".to_owned()];
        let setting = Setting {
            site_path: "/hemiciclo/",
            present_later: &later,
        };
        let report = check(&files, &setting);
        let lines: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "404.html: link to /elsewhere/ — outside the site's path /hemiciclo/ (base-url)",
                "404.html: link to /hemiciclo/gone/ — no such page",
            ]
        );
        let page: Vec<(&str, &[u8])> =
            vec![("index.html", br##"<script src="pkg/hemiciclo_web.js">"##)];
        assert!(check(&page, &setting).problems.is_empty());
    }

    #[test]
    fn a_page_over_the_budget_says_its_size() {
        // Bytes that do not compress: a pseudo-random walk over letters.
        let mut state = 7u32;
        let big: String = (0..80_000)
            .map(|_| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                char::from(b'a' + (state >> 16) as u8 % 26)
            })
            .collect();
        let small = "a".repeat(200_000);
        let report = run(&[("big.html", &big), ("small.html", &small)]);
        let lines = messages(&report);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(
            lines[0].starts_with("big.html: ")
                && lines[0].ends_with("bytes gzipped, over the page budget of 50000 bytes"),
            "{lines:?}"
        );
    }

    #[test]
    fn entities_in_attributes_are_decoded() {
        assert_eq!(
            decode_entities("a?x=1&amp;y=&#50;&#x33;&bogus"),
            "a?x=1&y=23&bogus"
        );
        assert_eq!(percent_decode("caf%C3%A9%2"), "café%2");
    }
}
