//! Editorial content, written in Markdown beside the data: what a
//! newsroom or a civic group adds to what the votes say.
//!
//! - `content/proposals/<id>.md`: a plain-language summary of a proposal,
//!   shown on its page; front matter `exclude-from-quiz` and `tags`.
//! - `content/decks/<slug>.md`: a journalist's deck of chosen proposals
//!   (`title`, `proposals`), with an introduction; its page links the quiz
//!   on those proposals and gives the code to embed it.
//! - `content/pages/<slug>.md`: a page of its own (`title`), such as an
//!   "about" page.
//!
//! Each file may start with TOML front matter between `+++` lines. Unknown
//! keys are errors naming the file and the key; content naming a proposal
//! the data does not have is an error. The Markdown becomes HTML with any
//! raw HTML in it shown as text and links kept only to web, mail or
//! site-relative addresses, so no content can put a script on a page.

use crate::error::{Error, IoContext, Result};
use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The content folder, in the site's folder.
pub const CONTENT_DIR: &str = "content";

/// Everything in a site's `content/` folder, read and checked.
#[derive(Debug, Default)]
pub struct Content {
    /// Per proposal id.
    pub proposals: BTreeMap<String, ProposalNote>,
    pub decks: Vec<Deck>,
    pub pages: Vec<Page>,
}

#[derive(Debug, Clone, Default)]
pub struct ProposalNote {
    /// The summary, as safe HTML.
    pub summary_html: String,
    /// The summary's words without markup, for the search index.
    pub summary_text: String,
    pub exclude_from_quiz: bool,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Deck {
    pub slug: String,
    pub title: String,
    pub intro_html: String,
    pub proposals: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub html: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ProposalFront {
    #[serde(default)]
    exclude_from_quiz: bool,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct DeckFront {
    title: String,
    proposals: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PageFront {
    title: String,
}

impl Content {
    /// Reads `<site>/content/`; a site without one has no content.
    pub fn load(site_dir: &Path) -> Result<Content> {
        let root = site_dir.join(CONTENT_DIR);
        Content::from_texts(
            markdown_files(site_dir, &root.join("proposals"))?,
            markdown_files(site_dir, &root.join("decks"))?,
            markdown_files(site_dir, &root.join("pages"))?,
        )
    }

    /// What [`load`](Self::load) makes of the files' texts, given as (name
    /// without `.md`, text) per folder, in name order: front matter,
    /// names and Markdown checked, as for files read from disk. For
    /// callers that hold the texts already, such as the fuzz targets
    /// (`fuzz/`).
    pub fn from_texts(
        proposals: Vec<(String, String)>,
        decks: Vec<(String, String)>,
        pages: Vec<(String, String)>,
    ) -> Result<Content> {
        let mut content = Content::default();
        for (name, text) in proposals {
            let file = format!("{CONTENT_DIR}/proposals/{name}.md");
            let (front, body): (ProposalFront, _) = parse(&file, &text, true)?;
            content.proposals.insert(
                name,
                ProposalNote {
                    summary_html: to_html(body),
                    summary_text: to_text(body),
                    exclude_from_quiz: front.exclude_from_quiz,
                    tags: front.tags,
                },
            );
        }
        for (name, text) in decks {
            let file = format!("{CONTENT_DIR}/decks/{name}.md");
            check_slug(&file, &name)?;
            let (front, body): (DeckFront, _) = parse(&file, &text, false)?;
            if front.proposals.is_empty()
                || front.proposals.len() > hemiciclo_core::quiz::MAX_DECK_SIZE
            {
                return Err(Error::Content(format!(
                    "{file}: a deck names from 1 to {} proposals, this one {}",
                    hemiciclo_core::quiz::MAX_DECK_SIZE,
                    front.proposals.len()
                )));
            }
            content.decks.push(Deck {
                slug: name,
                title: front.title,
                intro_html: to_html(body),
                proposals: front.proposals,
            });
        }
        for (name, text) in pages {
            let file = format!("{CONTENT_DIR}/pages/{name}.md");
            check_slug(&file, &name)?;
            if RESERVED.contains(&name.as_str()) {
                return Err(Error::Content(format!(
                    "{file}: a page cannot be called {name}, which is a folder of the site \
                     ({}); rename the file",
                    RESERVED.join(", ")
                )));
            }
            let (front, body): (PageFront, _) = parse(&file, &text, false)?;
            content.pages.push(Page {
                slug: name,
                title: front.title,
                html: to_html(body),
            });
        }
        Ok(content)
    }

    /// Every proposal the content names must be in the data. The error
    /// names every file that does not, one per line.
    pub fn check(&self, known: &BTreeSet<&str>) -> Result<()> {
        let mut problems = Vec::new();
        for id in self.proposals.keys() {
            if !known.contains(id.as_str()) {
                problems.push(format!(
                    "{CONTENT_DIR}/proposals/{id}.md is about proposal {id}, which the data does \
                     not have; check the file's name (the proposal's id)"
                ));
            }
        }
        for deck in &self.decks {
            let unknown: Vec<&str> = deck
                .proposals
                .iter()
                .map(String::as_str)
                .filter(|id| !known.contains(id))
                .collect();
            if !unknown.is_empty() {
                problems.push(format!(
                    "{CONTENT_DIR}/decks/{}.md names proposals the data does not have: {}",
                    deck.slug,
                    unknown.join(", ")
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Content(problems.join("\n")))
        }
    }

    /// The proposals editors took out of the quiz.
    pub fn excluded(&self) -> BTreeSet<&str> {
        self.proposals
            .iter()
            .filter(|(_, note)| note.exclude_from_quiz)
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// The editors' summaries as text, by proposal id: what quiz cards show.
    pub fn summaries(&self) -> BTreeMap<&str, &str> {
        self.proposals
            .iter()
            .filter(|(_, note)| !note.summary_text.is_empty())
            .map(|(id, note)| (id.as_str(), note.summary_text.as_str()))
            .collect()
    }
}

/// Folders of the site that a page's name must not take.
pub const RESERVED: &[&str] = &[
    "a", "d", "data", "embed", "g", "l", "m", "og", "p", "pagefind", "pkg", "r", "s", "status",
    "t", "v", "en", "pt", "cs",
];

/// A name usable in an address: lowercase letters, digits and `-`.
fn check_slug(file: &str, name: &str) -> Result<()> {
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if valid && crate::site::names::is_reserved(name) {
        Err(Error::Content(format!(
            "{file}: the file's name is the page's address, and {name:?} is a name Windows keeps \
             for a device (as are con, prn, aux, nul, com1-9 and lpt1-9): a folder of that name \
             breaks the site on Windows and on FAT-formatted disks; rename the file"
        )))
    } else if valid {
        Ok(())
    } else {
        Err(Error::Content(format!(
            "{file}: the file's name is the page's address, so it may hold only lowercase \
             letters, digits and -"
        )))
    }
}

/// The `.md` files of `dir` by name (without `.md`), in name order; a
/// symbolic link out of the site folder `site_dir` is refused.
fn markdown_files(site_dir: &Path, dir: &Path) -> Result<Vec<(String, String)>> {
    crate::files::check_inside(site_dir, dir)?;
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).doing(|| format!("cannot read {}", dir.display())),
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .doing(|| format!("cannot list {}", dir.display()))?
            .path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".md"))
        else {
            continue;
        };
        crate::files::check_inside(site_dir, &path)?;
        let text = std::fs::read_to_string(&path)
            .doing(|| format!("cannot read {} (Markdown must be UTF-8)", path.display()))?;
        files.push((name.to_owned(), text));
    }
    files.sort();
    Ok(files)
}

/// Splits `text` into its front matter, read as `T`, and its body. Without
/// front matter, `T` comes from an empty table when `optional`.
fn parse<'a, T: serde::de::DeserializeOwned>(
    file: &str,
    text: &'a str,
    optional: bool,
) -> Result<(T, &'a str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (front, body) = match text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
    {
        Some(rest) => {
            let end = rest.find("\n+++").ok_or_else(|| {
                Error::Content(format!(
                    "{file}: the front matter opened with +++ on line 1 is never closed; \
                     end it with a line +++"
                ))
            })?;
            let after = &rest[end + 4..];
            (&rest[..end], after.trim_start_matches(['\r', '\n']))
        }
        None if optional => ("", text),
        None => {
            return Err(Error::Content(format!(
                "{file}: it needs front matter between +++ lines, starting on line 1, with at \
                 least its title"
            )))
        }
    };
    let value = toml::from_str(front).map_err(|e| {
        Error::Content(format!(
            "{file}: the front matter (from line 2) is not valid: {}",
            e.to_string().trim()
        ))
    })?;
    Ok((value, body))
}

/// The Markdown the editors write: CommonMark with tables and strikethrough.
const MARKDOWN: Options = Options::ENABLE_TABLES.union(Options::ENABLE_STRIKETHROUGH);

/// Markdown to HTML that cannot carry a script: raw HTML becomes text and
/// links or images to anything but web, mail or site-relative addresses
/// lose their address.
pub fn to_html(markdown: &str) -> String {
    let events = Parser::new_ext(markdown, MARKDOWN).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(mut tag) => {
            if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
                let url = std::mem::replace(dest_url, CowStr::Borrowed(""));
                *dest_url = safe_url(url);
            }
            Event::Start(tag)
        }
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// Markdown's words alone: its text and code, blocks and breaks as spaces.
pub fn to_text(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(markdown, MARKDOWN) {
        match event {
            Event::Text(text) | Event::Code(text) | Event::Html(text) | Event::InlineHtml(text) => {
                out.push_str(&text)
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `url` if it is a web, mail or site-relative address, else `#`.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    let scheme = lower
        .split_once(':')
        .map(|(scheme, _)| scheme)
        .filter(|s| !s.contains(['/', '?', '#']));
    match scheme {
        None | Some("http" | "https" | "mailto") => url,
        Some(_) => CowStr::Borrowed("#"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "hemiciclo-content-{}-{}",
            std::process::id(),
            files.len() + files.first().map_or(0, |f| f.0.len() * 31 + f.1.len())
        ));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn markdown_cannot_carry_a_script() {
        let html = to_html(
            "Hi <script>alert(1)</script> [x](javascript:alert(1)) [y](JaVaScRiPt:1) \
             [ok](https://e.org/a) [rel](../p/1/) ![i](data:image/png;base64,AA)",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.to_ascii_lowercase().contains("javascript:"), "{html}");
        assert!(html.contains(r#"href="https://e.org/a""#), "{html}");
        assert!(html.contains(r#"href="../p/1/""#), "{html}");
        assert!(!html.contains("data:image"), "{html}");
    }

    #[test]
    fn content_reads_front_matter_and_markdown() {
        let dir = site(&[
            (
                "content/proposals/100.md",
                "+++\nexclude-from-quiz = true\ntags = [\"habitação\"]\n+++\nA **summary**.\n",
            ),
            ("content/proposals/101.md", "Only a summary.\n"),
            (
                "content/decks/casa.md",
                "+++\ntitle = \"Casa\"\nproposals = [\"100\", \"101\"]\n+++\nIntro.\n",
            ),
            (
                "content/pages/sobre.md",
                "+++\ntitle = \"Sobre\"\n+++\n# Quem somos\n",
            ),
        ]);
        let content = Content::load(&dir).unwrap();
        let note = &content.proposals["100"];
        assert!(note.exclude_from_quiz);
        assert_eq!(note.tags, ["habitação"]);
        assert_eq!(note.summary_html, "<p>A <strong>summary</strong>.</p>\n");
        assert_eq!(note.summary_text, "A summary.");
        assert_eq!(
            content.proposals["101"].summary_html,
            "<p>Only a summary.</p>\n"
        );
        assert_eq!(content.decks[0].proposals, ["100", "101"]);
        assert_eq!(content.pages[0].slug, "sobre");
        assert_eq!(content.excluded().into_iter().collect::<Vec<_>>(), ["100"]);
        let known: BTreeSet<&str> = ["100", "101"].into();
        content.check(&known).unwrap();
        let error = content.check(&["100"].into()).unwrap_err().to_string();
        assert!(
            error.contains("content/proposals/101.md") && error.contains("101"),
            "{error}"
        );
    }

    #[test]
    fn an_unknown_key_or_a_bad_name_is_an_error_naming_the_file() {
        for (path, text, expected) in [
            (
                "content/proposals/1.md",
                "+++\nexclude = true\n+++\n",
                "exclude",
            ),
            (
                "content/decks/d.md",
                "+++\ntitle = \"D\"\nproposals = [\"1\"]\nfilter = \"x\"\n+++\n",
                "filter",
            ),
            (
                "content/decks/d.md",
                "Intro without front matter.\n",
                "front matter",
            ),
            ("content/pages/x.md", "+++\ntitle = \"P\"\n", "never closed"),
            (
                "content/pages/Sobre Nós.md",
                "+++\ntitle = \"P\"\n+++\n",
                "lowercase",
            ),
            (
                "content/pages/status.md",
                "+++\ntitle = \"P\"\n+++\n",
                "folder of the site",
            ),
            (
                "content/pages/con.md",
                "+++\ntitle = \"P\"\n+++\n",
                "Windows keeps",
            ),
            (
                "content/decks/lpt1.md",
                "+++\ntitle = \"D\"\nproposals = [\"1\"]\n+++\n",
                "Windows keeps",
            ),
            (
                "content/decks/d.md",
                "+++\ntitle = \"D\"\nproposals = []\n+++\n",
                "from 1 to",
            ),
        ] {
            let dir = site(&[(path, text)]);
            let error = Content::load(&dir).unwrap_err().to_string();
            assert!(error.contains(path), "{path}: {error}");
            assert!(error.contains(expected), "{path}: {error}");
        }
    }
}
