//! How the site is found and followed: `robots.txt`, `sitemap.xml` (every
//! page a search engine should know, by its whole address) and an Atom
//! feed per language of the latest votes, so that readers hear of new
//! votes without visiting.
//!
//! The sitemap and the feed need the site's published address
//! (`base-url`); without it only `robots.txt` is written.

use crate::site::output::Output;

pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
pub const FEED: &str = "feed.xml";
pub const NOT_FOUND: &str = "404.html";

/// Adds `robots.txt`, and with a base URL `sitemap.xml` listing every page
/// already in `output` but the quiz's embed and results parts and the 404
/// pages. Call it after every page is rendered.
pub fn add_sitemap(base_url: Option<&str>, output: &mut Output) {
    let Some(base) = base_url else {
        output.add(ROBOTS, "User-agent: *\nAllow: /\n");
        return;
    };
    let mut sitemap = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in output.listed_pages() {
        let path = path.as_str();
        let page = path.strip_suffix("index.html").unwrap_or(path);
        sitemap.push_str(&format!(
            "<url><loc>{}</loc></url>\n",
            xml_escape(&format!("{base}{page}"))
        ));
    }
    sitemap.push_str("</urlset>\n");
    output.add(SITEMAP, sitemap);
    output.add(
        ROBOTS,
        format!("User-agent: *\nAllow: /\nSitemap: {base}{SITEMAP}\n"),
    );
}

/// Whether a file is a page for search engines: not a 404 page, nor one
/// that asks them to leave it out (the embed, the results' part, the share
/// landings).
pub(crate) fn listed(path: &str, bytes: &[u8]) -> bool {
    if !path.ends_with(".html") || path.ends_with(NOT_FOUND) {
        return false;
    }
    // The head only: the body of a page is most of its bytes.
    let end = bytes
        .windows(5)
        .position(|w| w == b"<body")
        .unwrap_or(bytes.len());
    !bytes[..end]
        .windows(NOINDEX.len())
        .any(|w| w == NOINDEX.as_bytes())
}

/// How a page asks search engines to leave it out.
const NOINDEX: &str = "<meta name=\"robots\" content=\"noindex\">";

/// Escapes text for XML content and attributes: as HTML is escaped, less
/// the control characters XML 1.0 does not allow.
pub fn xml_escape(text: &str) -> String {
    let allowed: String = text
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect();
    crate::site::render::escape_html(&allowed)
}

/// One entry of a feed.
#[derive(Debug)]
pub struct Entry {
    pub title: String,
    /// Its lasting identity: the address, or for a correction the address
    /// and the dataset that brought it.
    pub id: String,
    /// The proposal page's whole address, with the vote as its fragment.
    pub url: String,
    /// When the site learnt of it, `YYYY-MM-DDTHH:MM:SSZ`.
    pub updated: String,
    pub summary: String,
}

/// An Atom feed at `self_url` of `entries`, newest first, by `author`
/// (the site).
pub fn atom(
    title: &str,
    author: &str,
    home: &str,
    self_url: &str,
    lang: &str,
    entries: &[Entry],
) -> String {
    let updated = entries
        .iter()
        .map(|e| e.updated.as_str())
        .max()
        .unwrap_or("1970-01-01T00:00:00Z");
    let mut feed = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n\
         <title>{}</title>\n<id>{}</id>\n<link rel=\"self\" href=\"{}\"/>\n<link rel=\"alternate\" href=\"{}\"/>\n\
         <updated>{updated}</updated>\n<author><name>{}</name></author>\n",
        xml_escape(lang),
        xml_escape(title),
        xml_escape(self_url),
        xml_escape(self_url),
        xml_escape(home),
        xml_escape(author),
    );
    for entry in entries {
        feed.push_str(&format!(
            "<entry><title>{}</title><id>{}</id><link rel=\"alternate\" href=\"{}\"/><updated>{}</updated><summary>{}</summary></entry>\n",
            xml_escape(&entry.title),
            xml_escape(&entry.id),
            xml_escape(&entry.url),
            xml_escape(&entry.updated),
            xml_escape(&entry.summary),
        ));
    }
    feed.push_str("</feed>\n");
    feed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sitemap_lists_pages_by_their_folders_and_leaves_out_parts() {
        let mut output = Output::default();
        for path in [
            "index.html",
            "p/1/index.html",
            "p/v/index.html",
            "en/index.html",
            "404.html",
            "style.css",
        ] {
            output.add(path, Vec::new());
        }
        for path in [
            "embed/index.html",
            "en/embed/index.html",
            "results.html",
            "v/PS/index.html",
        ] {
            output.add(path, format!("<head>{NOINDEX}</head>"));
        }
        add_sitemap(Some("https://example.org/x/"), &mut output);
        let sitemap = String::from_utf8(output.get(SITEMAP).unwrap().to_vec()).unwrap();
        let locs: Vec<&str> = sitemap
            .lines()
            .filter_map(|l| l.strip_prefix("<url><loc>")?.strip_suffix("</loc></url>"))
            .collect();
        assert_eq!(
            locs,
            [
                "https://example.org/x/en/",
                "https://example.org/x/",
                "https://example.org/x/p/1/",
                "https://example.org/x/p/v/"
            ]
        );
        let robots = String::from_utf8(output.get(ROBOTS).unwrap().to_vec()).unwrap();
        assert!(robots.ends_with("Sitemap: https://example.org/x/sitemap.xml\n"));
    }

    #[test]
    fn without_a_base_url_there_is_no_sitemap() {
        let mut output = Output::default();
        add_sitemap(None, &mut output);
        assert!(output.get(SITEMAP).is_none());
        assert!(output.get(ROBOTS).is_some());
    }

    #[test]
    fn feed_text_is_escaped() {
        let feed = atom(
            "A & B",
            "A",
            "https://e.org/",
            "https://e.org/feed.xml",
            "pt-PT",
            &[Entry {
                title: "<script>\u{1b}".into(),
                id: "https://e.org/p/1/#v".into(),
                url: "https://e.org/p/1/#v".into(),
                updated: "2025-11-27T00:00:00Z".into(),
                summary: "x".into(),
            }],
        );
        assert!(feed.contains("<title>A &amp; B</title>"));
        assert!(feed.contains("<title>&lt;script&gt;</title>"), "{feed}");
        assert!(feed.contains("<updated>2025-11-27T00:00:00Z</updated>\n<author>"));
    }
}
