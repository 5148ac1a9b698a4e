//! Turns the dataset into HTML pages with tera.
//!
//! The default theme's templates are compiled into the binary; a file of
//! the same name in the site's own `templates/` folder replaces one. The
//! templates receive small serialisable views (see [`views`]) so that the
//! logic stays in Rust and the templates stay simple.

mod feed;
mod listings;
mod parties;
mod views;
pub mod words;

pub use crate::site::names::{path_segment, SiteNames};
pub use listings::{AUTHORS_DIR, RECENT_DIR, TOPICS_DIR};
pub use parties::PARTIES_DIR;
pub use views::{Frame, Labels, LanguageLink, LegislatureLink, SiteView};

use crate::content::Content;
use crate::error::{Error, IoContext, Result};
use crate::ingest::dataset::Dataset;
use crate::site::compact::compact_js;
use crate::site::output::Output;
use crate::site::records::LegislatureRecords;
use hemiciclo_core::{Actor, Manifest, Proposal};
use listings::{Heading, Listing};
use std::collections::BTreeMap;
use std::path::Path;
use tera::Tera;
use views::{HomePage, ProposalPage, QuizScope, StatusPage, TopicsPage};

/// The default theme: (template name, source).
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../../../templates/base.html")),
    (
        "policy.html",
        include_str!("../../../../templates/policy.html"),
    ),
    ("icon.html", include_str!("../../../../templates/icon.html")),
    (
        "quiz_head.html",
        include_str!("../../../../templates/quiz_head.html"),
    ),
    ("quiz.html", include_str!("../../../../templates/quiz.html")),
    (
        "results.html",
        include_str!("../../../../templates/results.html"),
    ),
    (
        "index.html",
        include_str!("../../../../templates/index.html"),
    ),
    (
        "embed.html",
        include_str!("../../../../templates/embed.html"),
    ),
    (
        "proposal.html",
        include_str!("../../../../templates/proposal.html"),
    ),
    (
        "listing.html",
        include_str!("../../../../templates/listing.html"),
    ),
    (
        "topics.html",
        include_str!("../../../../templates/topics.html"),
    ),
    ("404.html", include_str!("../../../../templates/404.html")),
    (
        "search.html",
        include_str!("../../../../templates/search.html"),
    ),
    (
        "method.html",
        include_str!("../../../../templates/method.html"),
    ),
    ("deck.html", include_str!("../../../../templates/deck.html")),
    ("page.html", include_str!("../../../../templates/page.html")),
    (
        "decks.html",
        include_str!("../../../../templates/decks.html"),
    ),
    (
        "status.html",
        include_str!("../../../../templates/status.html"),
    ),
    (
        "party.html",
        include_str!("../../../../templates/party.html"),
    ),
    (
        "parties.html",
        include_str!("../../../../templates/parties.html"),
    ),
];

/// The default theme's static files: (path in the site, bytes).
const STATIC_FILES: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../../../static/style.css")),
    (
        "results.css",
        include_bytes!("../../../../static/results.css"),
    ),
    ("embed.css", include_bytes!("../../../../static/embed.css")),
    (
        "charts.css",
        include_bytes!("../../../../static/charts.css"),
    ),
    ("pages.css", include_bytes!("../../../../static/pages.css")),
    ("quiz.js", include_bytes!("../../../../static/quiz.js")),
    (
        "results.js",
        include_bytes!("../../../../static/results.js"),
    ),
    ("embed.js", include_bytes!("../../../../static/embed.js")),
    ("frame.js", include_bytes!("../../../../static/frame.js")),
    ("search.js", include_bytes!("../../../../static/search.js")),
    ("sw.js", include_bytes!("../../../../static/sw.js")),
    ("icon.svg", include_bytes!("../../../../static/icon.svg")),
    (
        "icon-192.png",
        include_bytes!("../../../../static/icon-192.png"),
    ),
    (
        "icon-512.png",
        include_bytes!("../../../../static/icon-512.png"),
    ),
];

/// The results' markup and words, which the quiz fetches once it is under way.
pub const RESULTS_PART: &str = "results.html";

/// Folder of the method page, in each language's tree.
pub const METHOD_DIR: &str = "m/";

/// Folder of the embeddable quiz, in each language's tree.
pub const EMBED_DIR: &str = "embed/";

/// Folder of the search page.
pub const SEARCH_DIR: &str = "s/";

/// The quiz bundle as the home page carries it: the manifest, parsed and
/// as its JSON text (inlined in the page, which saves a request before
/// the first question).
#[derive(Debug)]
pub struct QuizBundle<'a> {
    pub manifest: &'a Manifest,
    pub manifest_json: &'a str,
}

/// Folder of the share landings.
pub const LANDING_DIR: &str = "v/";

/// Every address the data names, each from the [`SiteNames`] of the
/// whole dataset, so that a link and the file it leads to agree.
impl SiteNames {
    /// Folder of a proposal's page, relative to the site root.
    pub fn proposal_dir(&self, id: &str) -> String {
        format!("p/{}/", self.proposals.segment(id))
    }

    /// Folder of one party's page, relative to its language's root.
    pub fn party_dir(&self, id: &str) -> String {
        format!("{PARTIES_DIR}{}/", self.actors.segment(id))
    }

    /// Folder of the share landing of an actor (`v/PS/`), in each language's tree.
    pub fn landing_dir(&self, actor: &str) -> String {
        format!("{LANDING_DIR}{}/", self.actors.segment(actor))
    }

    /// The link-preview image of an actor, from the site's root (`og/PS.png`).
    pub fn preview_path(&self, actor: &str) -> String {
        format!(
            "{}{}.png",
            crate::site::preview::PREVIEW_DIR,
            self.actors.segment(actor)
        )
    }

    /// Folder of a legislature's listing, relative to the site root.
    pub fn legislature_dir(&self, name: &str) -> String {
        format!("l/{}/", self.legislatures.segment(name))
    }

    /// Folder of a topic's listing.
    pub fn topic_dir(&self, topic: &str) -> String {
        format!("{TOPICS_DIR}{}/", self.topics.segment(topic))
    }

    /// Folder of a proposer's listing.
    pub fn author_dir(&self, author: &str) -> String {
        format!("{AUTHORS_DIR}{}/", self.authors.segment(author))
    }
}

/// Every actor's landing by id, as JSON, when the site has landings.
fn landings_json(site: &SiteView, manifest: &Manifest) -> String {
    let landings: BTreeMap<&str, String> = if site.base_url.is_some() {
        manifest
            .actors
            .iter()
            .map(|a| (a.id.as_str(), site.names.landing_dir(&a.id)))
            .collect()
    } else {
        BTreeMap::new()
    };
    serde_json::to_string(&landings).expect("strings serialise")
}

/// The id of a vote's row on its proposal's page (`vote-85623`), which the
/// feed links to.
pub fn vote_anchor(id: &str) -> String {
    format!("vote-{}", path_segment(id))
}

/// Compiles the templates: the default theme overlaid with the site's own.
pub fn load_templates(site_dir: &Path) -> Result<(Tera, words::TemplateWords)> {
    let mut sources: Vec<(String, String)> = Vec::new();
    for (name, default) in TEMPLATES {
        let custom = site_dir.join("templates").join(name);
        crate::files::check_inside(site_dir, &custom)?;
        let source = match std::fs::read_to_string(&custom) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (*default).to_owned(),
            Err(e) => return Err(e).doing(|| format!("cannot read {}", custom.display())),
        };
        sources.push(((*name).to_owned(), source));
    }
    let words = words::TemplateWords::of(&sources);
    let mut tera = Tera::default();
    tera.set_escape_fn(escape_html);
    tera.register_filter("fill", fill_filter);
    // Hashed names once the build knows them (site::fingerprint).
    tera.register_filter(
        "asset",
        crate::site::fingerprint::filter(Default::default()),
    );
    tera.add_raw_templates(sources)
        .map_err(|source| Error::Template {
            doing: "a template does not compile".into(),
            source,
        })?;
    Ok((tera, words))
}

/// `{{ t.home.continue | fill(cap=40) }}`: a translated text with each
/// `{name}` replaced by the argument of that name.
fn fill_filter(
    value: &tera::Value,
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("fill applies to a text from the language file"))?;
    let values: Vec<(&str, String)> = args
        .iter()
        .map(|(name, value)| {
            let shown = match value {
                tera::Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            (name.as_str(), shown)
        })
        .collect();
    Ok(tera::Value::String(crate::i18n::fill(
        text,
        values.iter().map(|(n, v)| (*n, v.as_str())),
    )))
}

/// `text` cut to `max` characters, ending in "…" when cut: chart labels
/// and preview images, where the whole text is given beside them.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// Escapes the five characters that matter in HTML text and quoted
/// attributes; tera's default also escapes `/`, which only bloats paths.
pub(crate) fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// Adds the theme's static files (its scripts compacted), then the site's
/// own `static/` folder over them.
pub fn add_static_files(site_dir: &Path, output: &mut Output) -> Result<()> {
    for (path, bytes) in STATIC_FILES {
        output.add(*path, *bytes);
    }
    add_folder(site_dir, &site_dir.join("static"), "", output)?;
    // A site's copy of a theme script, byte for byte (the default site's
    // folder is the theme's), is compacted as the theme's is.
    for (path, bytes) in STATIC_FILES {
        if path.ends_with(".js") && output.get(path).as_deref() == Some(*bytes) {
            output.add(*path, compact_js(&String::from_utf8_lossy(bytes)));
        }
    }
    Ok(())
}

/// Writes the site's languages (code, folder) into the embed loader,
/// `embed.js`, so that a news site's `data-lang="en"` finds `en/embed/`.
/// A site's own `embed.js` without the slot is left as it is.
pub fn fill_embed_loader(trees: &[(String, String)], output: &mut Output) {
    const SLOT: &str = "/*TREES*/{}";
    let Some(loader) = output.get("embed.js") else {
        return;
    };
    let trees: std::collections::BTreeMap<&str, &str> = trees
        .iter()
        .map(|(code, prefix)| (code.as_str(), prefix.as_str()))
        .collect();
    let filled = String::from_utf8_lossy(&loader).replace(
        SLOT,
        &serde_json::to_string(&trees).expect("strings are JSON"),
    );
    output.add("embed.js", filled);
}

/// Copies every file under `dir`, a folder of the site `site_dir`, into
/// the output under `prefix`. A symbolic link is followed only when its
/// target lies inside the site folder, and never round to a folder it is in.
pub fn add_folder(site_dir: &Path, dir: &Path, prefix: &str, output: &mut Output) -> Result<()> {
    crate::files::check_inside(site_dir, dir)?;
    let mut walking = Vec::new();
    walk_folder(site_dir, dir, prefix, output, &mut walking)
}

fn walk_folder(
    site_dir: &Path,
    dir: &Path,
    prefix: &str,
    output: &mut Output,
    walking: &mut Vec<std::path::PathBuf>,
) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).doing(|| format!("cannot read {}", dir.display())),
    };
    let real = std::fs::canonicalize(dir).doing(|| format!("cannot resolve {}", dir.display()))?;
    if walking.contains(&real) {
        return Err(Error::Config(format!(
            "{} is a symbolic link to a folder it is in, {}, so copying it would never end; \
             remove the link",
            dir.display(),
            real.display()
        )));
    }
    walking.push(real);
    let mut paths: Vec<_> = entries
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .doing(|| format!("cannot list {}", dir.display()))?;
    paths.sort();
    for path in paths {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let target = format!("{prefix}{name}");
        let link = std::fs::symlink_metadata(&path)
            .doing(|| format!("cannot read {}", path.display()))?
            .is_symlink();
        if link {
            crate::files::check_inside(site_dir, &path)?;
        }
        if path.is_dir() {
            walk_folder(site_dir, &path, &format!("{target}/"), output, walking)?;
        } else {
            let bytes = std::fs::read(&path).doing(|| format!("cannot read {}", path.display()))?;
            output.add(target, bytes);
        }
    }
    walking.pop();
    Ok(())
}

/// Renders every page of one language into `output`, under `prefix`
/// (`""` for the site's first language, `"en/"`, ...). A proposal whose
/// page the file system refuses is left out and returned; the build goes on.
pub fn render_pages(
    tera: &Tera,
    site: &SiteView,
    prefix: &str,
    dataset: &Dataset,
    bundle: &QuizBundle,
    content: &Content,
    output: &mut Output,
) -> Result<Vec<Unwritten>> {
    let manifest = bundle.manifest;
    let mut quiz = QuizScope::of(manifest);
    quiz.government = dataset.proposals.iter().any(|p| p.proposer.is_some());
    let mut home = HomePage {
        site,
        frame: Frame::new(prefix, ""),
        card_count: manifest.card_count,
        deck_text: quiz.deck_text(&site.language, manifest.card_count),
        quiz,
        page_strings: site.language.page_strings(&site.labels.kinds),
        manifest_json: bundle.manifest_json.replace('<', "\\u003c"),
        results_strings: site.language.results_strings(),
        embed: false,
        counts: (
            site.language.number(dataset.proposals.len() as u64),
            site.language.number(manifest.card_count),
        ),
        landing: None,
        landings: landings_json(site, manifest),
    };
    output.add(
        format!("{prefix}index.html"),
        render(tera, "index.html", site, &home, "the home page")?,
    );
    output.add(
        format!("{prefix}{RESULTS_PART}"),
        render(tera, "results.html", site, &home, "the results' part")?,
    );
    // The rules in force, for whoever wants to check or cite them.
    home.frame = Frame::new(prefix, METHOD_DIR);
    output.add(
        format!("{prefix}{METHOD_DIR}index.html"),
        render(tera, "method.html", site, &home, "the method page")?,
    );
    // Where a clear verdict's share link leads: the quiz, previewed as the party.
    if site.base_url.is_some() {
        for actor in &manifest.actors {
            let dir = site.names.landing_dir(&actor.id);
            let key = match actor.kind {
                hemiciclo_core::ActorKind::Party => "share.landing_party",
                _ => "share.landing_member",
            };
            home.frame = Frame::new(prefix, &dir);
            home.landing = Some(views::Landing {
                title: site.language.fill(key, &[("name", &actor.name)]),
                image: site.names.preview_path(&actor.id),
            });
            let what = format!("the share landing of {}", actor.id);
            output.add(
                format!("{prefix}{dir}index.html"),
                render(tera, "index.html", site, &home, &what)?,
            );
        }
        home.landing = None;
    }
    // Search over every proposal, with the site's one index.
    if site.search {
        output.add(
            format!("{prefix}{SEARCH_DIR}index.html"),
            render(
                tera,
                "search.html",
                site,
                &views::PlainPage::new(site, Frame::new(prefix, SEARCH_DIR)),
                "the search page",
            )?,
        );
    }
    // The compact quiz a news article embeds in an iframe (`embed.js`).
    home.frame = Frame::new(prefix, EMBED_DIR);
    home.embed = true;
    output.add(
        format!("{prefix}{EMBED_DIR}index.html"),
        render(tera, "embed.html", site, &home, "the embedded quiz")?,
    );

    render_listings(tera, site, prefix, dataset, output)?;
    render_content(tera, site, prefix, dataset, content, output)?;

    let output: &Output = output;
    let unwritten = std::sync::Mutex::new(Vec::new());
    in_parallel(&dataset.proposals, |proposal| {
        let dir = site.names.proposal_dir(&proposal.id);
        let page = ProposalPage::new(site, Frame::new(prefix, &dir), &dataset.actors, proposal)
            .with_note(content.proposals.get(&proposal.id));
        let what = format!("the page of proposal {}", proposal.id);
        let written = output.stream(
            format!("{prefix}{dir}index.html"),
            render(tera, "proposal.html", site, &page, &what)?,
        );
        match written {
            Err(error) if refused_name(&error) => {
                let mut unwritten = unwritten.lock().unwrap_or_else(|p| p.into_inner());
                unwritten.push(Unwritten {
                    id: proposal.id.clone(),
                    error: match &error {
                        Error::Io { doing, source } => format!("{doing}: {source}"),
                        other => other.to_string(),
                    },
                });
                Ok(())
            }
            other => other,
        }
    })?;
    let mut unwritten = unwritten.into_inner().unwrap_or_else(|p| p.into_inner());
    unwritten.sort_by(|a, b| hemiciclo_core::compare_ids(&a.id, &b.id));
    if !unwritten.is_empty() && unwritten.len() == dataset.proposals.len() {
        // Not one page could be written: the output, not the records.
        return Err(Error::Output(format!(
            "no proposal's page can be written: {}",
            unwritten[0].error
        )));
    }
    Ok(unwritten)
}

/// A proposal whose page the output folder's file system refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unwritten {
    pub id: String,
    /// The error, naming the path.
    pub error: String,
}

/// Whether `error` is a file system refusing one file's name or path (too
/// long, or a name it does not take), which is the record's, not a full
/// disk or a missing permission, which are every record's.
fn refused_name(error: &Error) -> bool {
    match error {
        Error::Io { source, .. } => matches!(
            source.kind(),
            std::io::ErrorKind::InvalidFilename | std::io::ErrorKind::InvalidInput
        ),
        _ => false,
    }
}

/// Runs `job` on every item, the items split among the machine's cores;
/// the first error wins.
pub(crate) fn in_parallel<T: Sync>(
    items: &[T],
    job: impl Fn(&T) -> Result<()> + Sync,
) -> Result<()> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(threads).max(1);
    let job = &job;
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().try_for_each(job)))
            .collect();
        workers.into_iter().try_for_each(|worker| {
            worker.join().unwrap_or_else(|_| {
                Err(Error::Output(
                    "a rendering thread stopped unexpectedly".into(),
                ))
            })
        })
    })
}

/// Renders the editors' decks (`d/<slug>/`) and pages (`<slug>/`).
fn render_content(
    tera: &Tera,
    site: &SiteView,
    prefix: &str,
    dataset: &Dataset,
    content: &Content,
    output: &mut Output,
) -> Result<()> {
    let by_id: BTreeMap<&str, &Proposal> = dataset
        .proposals
        .iter()
        .map(|p| (p.id.as_str(), p))
        .collect();
    for deck in &content.decks {
        let dir = format!("{DECKS_DIR}{}/", deck.slug);
        let proposals: Vec<&Proposal> = deck
            .proposals
            .iter()
            .filter_map(|id| by_id.get(id.as_str()).copied())
            .collect();
        let page = views::DeckPage::new(site, Frame::new(prefix, &dir), deck, &proposals);
        let what = format!("the deck content/decks/{}.md", deck.slug);
        output.add(
            format!("{prefix}{dir}index.html"),
            render(tera, "deck.html", site, &page, &what)?,
        );
    }
    if !content.decks.is_empty() {
        let page = views::DecksPage::new(site, Frame::new(prefix, DECKS_DIR), &content.decks);
        output.add(
            format!("{prefix}{DECKS_DIR}index.html"),
            render(tera, "decks.html", site, &page, "the decks' index")?,
        );
    }
    for page in &content.pages {
        let dir = format!("{}/", page.slug);
        let view = views::ContentPage::new(site, Frame::new(prefix, &dir), page);
        let what = format!("the page content/pages/{}.md", page.slug);
        output.add(
            format!("{prefix}{dir}index.html"),
            render(tera, "page.html", site, &view, &what)?,
        );
    }
    Ok(())
}

/// Folder of the editors' decks.
pub const DECKS_DIR: &str = "d/";

/// Renders every listing: by legislature, by topic (with the topics'
/// index), by proposer, and the most recent votes; each in pages.
fn render_listings(
    tera: &Tera,
    site: &SiteView,
    prefix: &str,
    dataset: &Dataset,
    output: &mut Output,
) -> Result<()> {
    let language = &site.language;
    let count = |n: usize| language.fill("listing.count", &[("n", &language.number(n as u64))]);
    let mut listings = Vec::new();
    for (name, proposals) in dataset.by_legislature() {
        listings.push(Listing {
            dir: site.names.legislature_dir(name),
            heading: Heading {
                before: language.fill("site.legislature", &[("name", name)]),
                ..Heading::default()
            },
            count: count(proposals.len()),
            items: listings::proposal_items(site, &proposals),
        });
    }
    let mut by_topic: BTreeMap<&str, Vec<&Proposal>> = BTreeMap::new();
    let mut by_author: BTreeMap<&str, Vec<&Proposal>> = BTreeMap::new();
    for proposal in &dataset.proposals {
        for topic in &proposal.topics {
            by_topic.entry(topic).or_default().push(proposal);
        }
        for author in &proposal.authors {
            by_author.entry(author).or_default().push(proposal);
        }
    }
    for (topic, proposals) in &by_topic {
        listings.push(Listing {
            dir: site.names.topic_dir(topic),
            heading: Heading::around("{name}", topic),
            count: count(proposals.len()),
            items: listings::proposal_items(site, proposals),
        });
    }
    for (author, proposals) in &by_author {
        listings.push(Listing {
            dir: site.names.author_dir(author),
            heading: Heading::around(language.text("listing.author"), author),
            count: count(proposals.len()),
            items: listings::proposal_items(site, proposals),
        });
    }
    let recent = listings::recent_vote_items(site, &dataset.proposals, RECENT_VOTES);
    listings.push(Listing {
        dir: RECENT_DIR.to_owned(),
        heading: Heading {
            before: language.text("listing.recent").to_owned(),
            ..Heading::default()
        },
        count: language.fill(
            "listing.recent_count",
            &[("n", &language.number(recent.len() as u64))],
        ),
        items: recent,
    });
    let pages: Vec<_> = listings
        .iter()
        .flat_map(|l| l.pages(site, prefix))
        .collect();
    let shared: &Output = output;
    in_parallel(&pages, |(dir, page)| {
        let what = format!("the listing {dir}");
        shared.stream(
            format!("{prefix}{dir}index.html"),
            render(tera, "listing.html", site, page, &what)?,
        )
    })?;
    let topics = TopicsPage::new(site, Frame::new(prefix, TOPICS_DIR), &by_topic);
    output.add(
        format!("{prefix}{TOPICS_DIR}index.html"),
        render(tera, "topics.html", site, &topics, "the topics' index")?,
    );
    Ok(())
}

/// Renders the language's Atom feed of the latest votes (with a base URL
/// only) and its 404 page, whose links start at the server's root: a host
/// serves it at any address. Without a base URL the site is taken to be
/// at the root.
pub fn render_feed_and_404(
    tera: &Tera,
    site: &SiteView,
    prefix: &str,
    dataset: &Dataset,
    recent: &[crate::ingest::Transition],
    output: &mut Output,
) -> Result<()> {
    use crate::site::discovery::{atom, FEED, NOT_FOUND};
    let language = &site.language;
    // Addresses from the server's root: the path of the base URL
    // (`/hemiciclo/`), never its host, so the page asks nothing of another.
    let site_path = site
        .base_url
        .as_deref()
        .and_then(|url| url.split("://").nth(1))
        .and_then(|rest| rest.find('/').map(|i| rest[i..].to_owned()))
        .unwrap_or_else(|| "/".to_owned());
    let frame = Frame {
        root: format!("{site_path}{prefix}"),
        assets: site_path,
        path: String::new(),
    };
    output.add(
        format!("{prefix}{NOT_FOUND}"),
        render(
            tera,
            "404.html",
            site,
            &views::PlainPage::new(site, frame),
            "the 404 page",
        )?,
    );
    let Some(home) = &site.canonical_root else {
        return Ok(());
    };
    let entries = feed::entries(site, home, dataset, recent);
    output.add(
        format!("{prefix}{FEED}"),
        atom(
            &format!("{} — {}", site.title, language.text("listing.recent")),
            &site.title,
            home,
            &format!("{home}{FEED}"),
            &site.lang,
            &entries,
        ),
    );
    Ok(())
}

/// How many of the latest votes the recent votes' listing shows.
const RECENT_VOTES: usize = 500;

/// Renders a page per party (its record in each legislature) and the
/// parties' index with the "who votes with whom" heatmaps.
pub fn render_parties(
    tera: &Tera,
    site: &SiteView,
    prefix: &str,
    dataset: &Dataset,
    records: &[LegislatureRecords],
    full_names: &BTreeMap<String, String>,
    output: &mut Output,
) -> Result<()> {
    let proposals: BTreeMap<&str, &Proposal> = dataset
        .proposals
        .iter()
        .map(|p| (p.id.as_str(), p))
        .collect();
    let voted: Vec<Actor> = dataset
        .actors
        .iter()
        .filter(|a| records.iter().any(|r| r.records.contains_key(&a.id)))
        .cloned()
        .collect();
    for actor in &voted {
        let dir = site.names.party_dir(&actor.id);
        let page = parties::PartyPage::new(
            site,
            Frame::new(prefix, &dir),
            actor,
            &voted,
            records,
            &proposals,
            full_names,
        );
        let what = format!("the page of party {}", actor.id);
        output.add(
            format!("{prefix}{dir}index.html"),
            render(tera, "party.html", site, &page, &what)?,
        );
    }
    let page = parties::PartiesPage::new(
        site,
        Frame::new(prefix, PARTIES_DIR),
        &voted,
        records,
        full_names,
    );
    output.add(
        format!("{prefix}{PARTIES_DIR}index.html"),
        render(tera, "parties.html", site, &page, "the parties' page")?,
    );
    Ok(())
}

/// Renders the pipeline status page: what the last ingest read, skipped,
/// quarantined and changed.
pub fn render_status(
    tera: &Tera,
    site: &SiteView,
    prefix: &str,
    report: &crate::ingest::IngestReport,
    output: &mut Output,
) -> Result<()> {
    let page = StatusPage::new(site, Frame::new(prefix, "status/"), report);
    output.add(
        format!("{prefix}status/index.html"),
        render(tera, "status.html", site, &page, "the pipeline status page")?,
    );
    Ok(())
}

/// Renders `view` with `template`; every template also sees the site's
/// words as `t`.
fn render(
    tera: &Tera,
    template: &str,
    site: &SiteView,
    view: &impl serde::Serialize,
    what: &str,
) -> Result<String> {
    let mut context = tera::Context::from_serialize(view).map_err(|source| Error::Template {
        doing: format!("cannot prepare {what}"),
        source,
    })?;
    context.extend(site.word_cache.context(template, &site.words, &site.t));
    tera.render(template, &context)
        .map_err(|source| Error::Template {
            doing: format!("cannot render {what} with template {template}"),
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::STATIC_FILES;

    /// Every site gets the default theme's files, not only the default
    /// site, whose folder holds them: none may be left out of the binary.
    #[test]
    fn every_file_of_the_default_theme_is_built_in() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../static");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                STATIC_FILES.iter().any(|(path, _)| *path == name),
                "static/{name} is not in STATIC_FILES"
            );
        }
    }
}
