//! `hemiciclo build`: load the site, ingest its data, render the pages
//! ([`render`]) and the quiz bundle ([`bundle`]), publish ([`output`]).
//!
//! Everything is produced in memory first; the output folder is touched
//! only by the final publish, so any error leaves the last site in place.

pub mod bundle;
pub mod check;
pub mod compact;
pub mod discovery;
pub mod fault;
pub mod fingerprint;
pub mod lock;
pub mod names;
pub mod offline;
pub mod output;
pub mod preview;
pub mod records;
pub mod render;
pub mod search;
pub mod swap;

use crate::config::Site;
use crate::content::Content;
use crate::error::{Error, IoContext, Result};
use crate::i18n::Language;
use crate::ingest::dataset::Dataset;
use crate::ingest::{self, IngestOptions, IngestReport};
use hemiciclo_core::bundle::{BUNDLE_DIR, MANIFEST_FILE};
use hemiciclo_core::Manifest;
use offline::AppName;
use output::Output;
use render::{Labels, LanguageLink, LegislatureLink, QuizBundle, SiteView};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Files wasm-bindgen makes for the web crate, which the site serves under `pkg/`.
pub const WASM_FILES: &[&str] = &[
    "hemiciclo_web.js",
    "hemiciclo_web_bg.wasm",
    "hemiciclo_results.js",
    "hemiciclo_results_bg.wasm",
];

#[derive(Debug)]
pub struct BuildOptions {
    pub config: PathBuf,
    /// Whether the configuration file was named on the command line.
    pub config_explicit: bool,
    /// The environment whose `[env.NAME]` keys override the configuration's.
    pub env: Option<String>,
    pub out: PathBuf,
    /// Folder with the wasm-bindgen output; without it the quiz cannot run.
    pub wasm: Option<PathBuf>,
    pub ingest: IngestOptions,
}

#[derive(Debug)]
pub struct BuildReport {
    pub proposals: usize,
    pub cards: u32,
    pub files: usize,
    pub bytes: usize,
    /// What the publish wrote and what it kept (nothing before it).
    pub written: output::Written,
    pub elapsed: Duration,
    pub ingest: IngestReport,
    /// What the operator should know though the build succeeded.
    pub warnings: Vec<String>,
}

/// Renders the site and publishes it to `options.out`.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    // Locked before the data is read: a second build into this output
    // stops here, having changed nothing.
    let (out, lock) = output::prepare(&options.out)?;
    let (output, mut report) = generate(options, || Output::staged(&out, lock), started)?;
    report.written = output.finish()?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Everything `build` does but the publish: the whole site, in memory.
pub fn render(options: &BuildOptions) -> Result<(Output, BuildReport)> {
    generate(options, || Ok(Output::default()), Instant::now())
}

/// Renders the site into the output `make_output` gives once the data is in.
fn generate(
    options: &BuildOptions,
    make_output: impl FnOnce() -> Result<Output>,
    started: Instant,
) -> Result<(Output, BuildReport)> {
    let site = Site::load_env(
        &options.config,
        options.config_explicit,
        options.env.as_deref(),
    )?;
    let codes = site.languages()?;
    let deck_size = site.deck_size()?;
    let base_url = site.base_url()?;
    let news_archive = site.news_archive()?;
    let languages = codes
        .iter()
        .map(|code| Language::load(&site.dir, code))
        .collect::<Result<Vec<_>>>()?;
    let (dataset, report) = ingest::ingest(&site, &options.ingest)?;
    if dataset.proposals.is_empty() {
        return Err(Error::NoProposals {
            quarantined: report.quarantine.clone(),
        });
    }
    // The data's file names, from the whole dataset: the quiz's part of
    // it links to the same pages.
    let names = std::sync::Arc::new(render::SiteNames::of(&dataset));
    let (mut tera, words) = render::load_templates(&site.dir)?;
    let words = std::sync::Arc::new(words);
    let mut made = make_output()?;
    let output = &mut made;

    render::add_static_files(&site.dir, output)?;
    if let Some(wasm) = &options.wasm {
        add_wasm(wasm, output)?;
    }
    // Hashed names for the theme's styles and scripts and the module.
    let asset_names = fingerprint::apply(output);
    output.lasting(asset_names.values().cloned());
    output.add(fingerprint::HEADERS, fingerprint::headers(&asset_names));
    tera.register_filter("asset", fingerprint::filter(asset_names));
    let content = Content::load(&site.dir)?;
    content.check(&dataset.proposals.iter().map(|p| p.id.as_str()).collect())?;
    // The quiz asks only what the editors left in it.
    let excluded = content.excluded();
    let quizzed = Dataset {
        actors: dataset.actors.clone(),
        proposals: dataset
            .proposals
            .iter()
            .filter(|p| !excluded.contains(p.id.as_str()))
            .cloned()
            .collect(),
    };
    for (path, bytes) in bundle::files(
        &quizzed,
        &names,
        &site.config.party_names,
        deck_size,
        &content.summaries(),
    ) {
        output.add(path, bytes);
    }
    let manifest_json = output
        .get(&format!("{BUNDLE_DIR}/{MANIFEST_FILE}"))
        .map(|bytes| String::from_utf8(bytes).unwrap_or_default())
        .expect("the bundle always has a manifest");
    let manifest = Manifest::from_json(&manifest_json).map_err(|source| Error::Bundle {
        context: "the bundle just written does not read back".into(),
        source,
    })?;
    let data_language = site
        .config
        .data_language
        .clone()
        .unwrap_or_else(|| codes[0].clone());
    // The search index builds on the other core while the pages render.
    let search_records = if site.config.search {
        search::records(&dataset, &content, &names)
    } else {
        Vec::new()
    };
    let index_language = data_language.clone();
    let search_index = std::thread::spawn(move || {
        if search_records.is_empty() {
            Ok(Vec::new())
        } else {
            search::index(search_records, &index_language)
        }
    });
    // So do the link-preview images, which need whole addresses.
    let actors: Vec<(String, String, String)> = match base_url {
        Some(_) => manifest
            .actors
            .iter()
            .map(|a| (names.preview_path(&a.id), a.id.clone(), a.name.clone()))
            .collect(),
        None => Vec::new(),
    };
    let site_title = site.config.title.clone();
    let previews = std::thread::spawn(move || preview::paint_all(actors, &site_title));
    let mut warnings = Vec::new();
    if manifest.card_count == 0 {
        if options.ingest.strict {
            return Err(Error::NoQuizCards);
        }
        warnings.push(crate::error::NO_QUIZ_CARDS.to_owned());
    }

    let links: Vec<LanguageLink> = languages
        .iter()
        .enumerate()
        .map(|(i, language)| LanguageLink {
            code: language.code.clone(),
            name: language.text("meta.name").to_owned(),
            locale: language.locale().to_owned(),
            prefix: tree_prefix(i, &language.code),
        })
        .collect();
    let bundle = QuizBundle {
        manifest: &manifest,
        manifest_json: &manifest_json,
    };
    let records = records::records(&dataset);
    let mut views = Vec::new();
    // Proposals whose page the output's file system refused, by id.
    let mut unwritten = std::collections::BTreeMap::new();
    for (i, language) in languages.into_iter().enumerate() {
        let prefix = tree_prefix(i, &language.code);
        let mut view = site_view(
            &site,
            &dataset,
            language,
            &data_language,
            &links,
            &words,
            &names,
        );
        view.canonical_root = base_url.as_ref().map(|base| format!("{base}{prefix}"));
        view.base_url = base_url.clone();
        view.news_archive = news_archive.clone();
        view.content_links = content
            .pages
            .iter()
            .map(|p| (p.title.clone(), format!("{}/", p.slug), true))
            .collect();
        if !content.decks.is_empty() {
            let title = view.language.text("content.decks").to_owned();
            view.content_links
                .push((title, render::DECKS_DIR.to_owned(), false));
        }
        for page in
            render::render_pages(&tera, &view, &prefix, &dataset, &bundle, &content, output)?
        {
            unwritten.entry(page.id).or_insert(page.error);
        }
        render::render_status(&tera, &view, &prefix, &report, output)?;
        render::render_feed_and_404(&tera, &view, &prefix, &dataset, &report.recent, output)?;
        render::render_parties(
            &tera,
            &view,
            &prefix,
            &dataset,
            &records,
            &site.config.party_names,
            output,
        )?;
        views.push((prefix, view));
    }
    let apps: Vec<AppName> = views
        .iter()
        .map(|(prefix, view)| AppName {
            prefix,
            lang: &view.lang,
            title: &view.title,
            description: &view.description,
        })
        .collect();
    let trees: Vec<(String, String)> = links
        .iter()
        .map(|l| (l.code.clone(), l.prefix.clone()))
        .collect();
    render::fill_embed_loader(&trees, output);
    for (path, bytes) in previews
        .join()
        .map_err(|_| Error::Output("the preview images stopped unexpectedly".into()))??
    {
        output.add(path, bytes);
    }
    let search_files = search_index
        .join()
        .map_err(|_| Error::Search("the indexer stopped unexpectedly".into()))??;
    for (path, bytes) in search_files {
        // The worker keeps some of the index ahead; the rest only go out.
        if search::kept_ahead(&path) {
            output.add(path, bytes);
        } else {
            output.stream(path, bytes)?;
        }
    }
    discovery::add_sitemap(base_url.as_deref(), output);
    offline::add_offline_files(&apps, output)?;

    let mut report = report;
    let unwritten: Vec<_> = unwritten
        .into_iter()
        .map(|(id, error)| unwritten_record(&report, id, error))
        .collect();
    if options.ingest.strict && !unwritten.is_empty() {
        // Nothing is published: the output is dropped unfinished.
        return Err(Error::Strict {
            quarantine: unwritten,
        });
    }
    for unwritten in unwritten {
        warnings.push(unwritten.to_string());
        report.quarantine.push(unwritten);
    }
    let report = BuildReport {
        proposals: dataset.proposals.len(),
        cards: manifest.card_count,
        files: output.file_count(),
        bytes: output.total_bytes(),
        written: output::Written::default(),
        elapsed: started.elapsed(),
        ingest: report,
        warnings,
    };
    Ok((made, report))
}

/// A proposal whose page could not be written, as a quarantined record:
/// its id, the source and line it was read from, and what happened.
fn unwritten_record(
    report: &IngestReport,
    id: String,
    error: String,
) -> ingest::sources::Quarantined {
    let (source, location) = report
        .origins
        .get(&id)
        .cloned()
        .unwrap_or_else(|| ("(source not known)".to_owned(), String::new()));
    let location = if location.is_empty() {
        "(location in the source not known)".to_owned()
    } else {
        location
    };
    ingest::sources::Quarantined {
        source,
        location,
        record: Some(id),
        reason: format!(
            "its page cannot be written ({error}), so it is left out of the site and the links \
             to it from listings lead nowhere; publish to a folder with a shorter path or on \
             another file system, or correct the record's id in its source"
        ),
    }
}

/// The folder of the `i`-th language's pages: the first at the root.
fn tree_prefix(i: usize, code: &str) -> String {
    if i == 0 {
        String::new()
    } else {
        format!("{code}/")
    }
}

/// What every page in `language` shows of the site.
fn site_view(
    site: &Site,
    dataset: &ingest::dataset::Dataset,
    language: Language,
    data_language: &str,
    links: &[LanguageLink],
    words: &std::sync::Arc<render::words::TemplateWords>,
    names: &std::sync::Arc<render::SiteNames>,
) -> SiteView {
    let config = &site.config;
    let own = config.localized.get(&language.code);
    let pick = |own: Option<&Option<String>>, default: &Option<String>| {
        own.and_then(Option::as_ref).or(default.as_ref()).cloned()
    };
    let title = pick(own.map(|o| &o.title), &Some(config.title.clone())).unwrap_or_default();
    let description = pick(
        own.map(|o| &o.description),
        &Some(config.description.clone()),
    )
    .unwrap_or_default();
    let credit = pick(own.map(|o| &o.data_credit), &config.data_credit)
        .filter(|c| !c.trim().is_empty())
        .map(|credit| language.fill("site.footer_credit", &[("credit", &credit)]));
    let labels = Labels {
        phases: config
            .phase_labels
            .get(&language.code)
            .cloned()
            .unwrap_or_default(),
        kinds: config
            .kind_labels
            .get(&language.code)
            .cloned()
            .unwrap_or_default(),
    };
    let data_lang = (data_language != language.code
        && data_language
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    .then(|| data_language.to_owned());
    SiteView {
        data_attr: data_lang
            .as_ref()
            .map(|code| format!(" lang=\"{code}\""))
            .unwrap_or_default(),
        data_lang,
        title,
        description,
        legislatures: dataset
            .by_legislature()
            .iter()
            .map(|(name, _)| LegislatureLink::new(name, &language, names))
            .collect(),
        lang: language.locale().to_owned(),
        t: language.for_templates(),
        words: words.clone(),
        word_cache: Default::default(),
        names: names.clone(),
        footer_credit: credit,
        languages: if links.len() > 1 {
            links.to_vec()
        } else {
            Vec::new()
        },
        language,
        labels,
        base_url: None,
        search: config.search,
        search_parts: search::parts(dataset.proposals.len()),
        news_archive: None,
        canonical_root: None,
        content_links: Vec::new(),
    }
}

fn add_wasm(dir: &Path, output: &mut Output) -> Result<()> {
    for name in WASM_FILES {
        let path = dir.join(name);
        let bytes = std::fs::read(&path).doing(|| {
            format!(
                "the quiz module {} is missing; build it with `cargo xtask site`",
                path.display()
            )
        })?;
        // The glue is read before the first question: without its doc comments.
        if name.ends_with(".js") {
            output.add(
                format!("pkg/{name}"),
                compact::compact_js(&String::from_utf8_lossy(&bytes)),
            );
        } else {
            output.add(format!("pkg/{name}"), bytes);
        }
    }
    Ok(())
}
