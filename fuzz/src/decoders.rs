//! The decoders of the generator that read outside input: the `detalhe`
//! vote text, each adapter's record parser (AR CSV, AR JSON, table,
//! Popolo), `site.toml` and the editors' Markdown files. One function per
//! fuzz target; each feeds the bytes to the decoder the way outside input
//! reaches it and checks what is true of any result.
//!
//! Also compiled into the generator's tests (`generator/tests/fuzz_regressions.rs`,
//! by path), which run every input kept in `fuzz/regressions/` through
//! these same checks; so this file uses nothing but `hemiciclo`,
//! `hemiciclo-core` and `serde_json`. The configurations the adapters are
//! fuzzed with are the repository's own samples, compiled in, so a target
//! needs no file at run time and a crash reproduces anywhere.

use hemiciclo::config::{Site, SourceConfig, SourceFormat};
use hemiciclo::content::Content;
use hemiciclo::ingest::frame;
use hemiciclo::ingest::sources::ar_json::detalhe::{self, Entry};
use hemiciclo::ingest::sources::{self, ar_csv, ar_json, Parsed};
use std::path::Path;
use std::sync::OnceLock;

/// The name adapters are given for the source they read.
const ORIGIN: &str = "fuzz-input";

/// Where a fuzzed site.toml pretends to live: a folder that does not
/// exist, so the default sources and topics (files beside it) are never
/// read from the disk of whoever runs the fuzzer.
const SITE_TOML: &str = "/nonexistent-hemiciclo-fuzz/site.toml";

/// The byte between the files of an input that holds several (a Popolo
/// source's CSV files): no real CSV file has a NUL byte.
const FILE_SEPARATOR: u8 = 0;

/// The `detalhe` text of an AR vote (how each group voted, in the AR's
/// markup) and its `ausencias` list: any text gives sections or an error,
/// never a panic, and so does resolving them into positions. A group
/// listed whole keeps the position of its section, absences added or not.
pub fn detalhe(data: &[u8]) {
    // The text reaches the parser as a JSON string, so as UTF-8.
    let text = String::from_utf8_lossy(data);
    let absences = detalhe::entries(&text);
    let Ok(sections) = detalhe::parse(&text) else {
        return;
    };
    let Ok(mut votes) = detalhe::resolve(&sections) else {
        return;
    };
    if let Ok(absences) = &absences {
        votes.add_absences(absences);
    }
    for section in &sections {
        for entry in &section.entries {
            if let Entry::Group(group) = entry {
                assert_eq!(
                    votes.positions.get(group),
                    Some(&section.position),
                    "{group}"
                );
            }
        }
    }
}

/// The AR votes CSV adapter: any bytes give what it read or an error,
/// never a panic, and what it read survives the stage store.
pub fn ar_csv(data: &[u8]) {
    if let Ok(parsed) = ar_csv::parse(data, ORIGIN) {
        check_parsed(&parsed, ORIGIN);
    }
}

/// The AR Iniciativas JSON adapter: any bytes give what it read or an
/// error, never a panic, and what it read survives the stage store.
pub fn ar_json(data: &[u8]) {
    if let Ok(parsed) = ar_json::parse(data, ORIGIN) {
        check_parsed(&parsed, ORIGIN);
    }
}

/// The table adapter, with each `[source.table]` of the repository's
/// sample sites (a German city council; a European-Parliament-style table
/// with derived columns, filters and counts): any bytes give what it read
/// or an error, never a panic, and what it read survives the stage store.
pub fn table(data: &[u8]) {
    for source in sample_sources_of(SourceFormat::Table) {
        if let Ok(parsed) = sources::parse(source, data) {
            check_parsed(&parsed, &source.location);
        }
    }
}

/// The Popolo adapter, with each `[source.popolo]` of the repository's
/// sample sites. The input is the source's CSV files, vote events, votes,
/// voters and groups in that order, separated by [`FILE_SEPARATOR`]; they
/// are framed as the fetch stage frames them. Any files give what the
/// adapter read or an error, never a panic, and what it read survives the
/// stage store. The frame reads back the files it was made of, and any
/// bytes read as a frame (the work directory's copy) give files or an
/// error.
pub fn popolo(data: &[u8]) {
    let files: Vec<&[u8]> = data.split(|&b| b == FILE_SEPARATOR).collect();
    for source in sample_sources_of(SourceFormat::Popolo) {
        let config = source
            .popolo
            .as_ref()
            .expect("the samples configure popolo");
        let names = [
            config.vote_events.as_str(),
            config.votes.as_str(),
            config.voters.as_str(),
            config.groups_file().0,
        ];
        let framed: Vec<(&str, &[u8])> = names.into_iter().zip(files.iter().copied()).collect();
        let blob = frame::frame(framed.iter().copied());
        let unframed = frame::unframe(&blob, &source.location).expect("a frame reads back");
        assert!(unframed
            .iter()
            .map(|(name, bytes)| (name.as_str(), *bytes))
            .eq(framed.iter().copied()));
        if let Ok(parsed) = sources::parse(source, &blob) {
            check_parsed(&parsed, &source.location);
        }
    }
    let _ = frame::unframe(data, ORIGIN);
}

/// `site.toml`: any text gives a site or an error, never a panic, and so
/// do all the checks a build makes of it (languages, deck size, addresses,
/// sources with their `[source.table]` and `[source.popolo]` sections),
/// with each of its `[env.NAME]` environments too. Each source it
/// configures then reads a small sample of its format, so that the
/// adapters' configuration-driven paths (date formats, derived columns,
/// filters, vocabularies) meet fuzzed configurations as well.
pub fn site_toml(data: &[u8]) {
    // site.toml is read with `read_to_string`: only UTF-8 gets this far.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new(SITE_TOML);
    let Ok(site) = Site::from_text(path, text, None) else {
        return;
    };
    check_site(&site);
    for env in site.config.environments.keys().take(2) {
        if let Ok(site) = Site::from_text(path, text, Some(env)) {
            check_site(&site);
        }
    }
}

/// The samples a fuzzed `site.toml`'s sources read.
const AR_CSV_SAMPLE: &[u8] =
    include_bytes!("../../generator/tests/fixtures/golden/data/ar-votes/votes.csv");
const AR_JSON_SAMPLE: &[u8] =
    include_bytes!("../../tests/fixtures/ar-official/ric2b_minimal_example.json");
const TABLE_SAMPLES: [&[u8]; 2] = [
    include_bytes!("../../generator/tests/fixtures/table/stadtrat.csv"),
    include_bytes!("../../generator/tests/fixtures/ep/plenary.csv"),
];
const POPOLO_SAMPLE: [&str; 3] = [
    "id,start_date,motion:name,motion:document,result,identifier\n\
     1,2020-01-02,A motion,D-1,pass,1\n2,2020-01-03,Another,D-2,fail,2\n",
    "vote_event_id,voter_id,option\n1,a,yes\n1,b,no\n2,a,abstain\n2,b,absent\n",
    "id,name,party\na,Ana,X\nb,Bia,Y\n",
];

fn check_site(site: &Site) {
    let _ = site.languages();
    let _ = site.deck_size();
    let _ = site.base_url();
    let _ = site.news_archive();
    let _ = site.topic_files();
    let Ok(configured) = site.sources() else {
        return;
    };
    for source in configured.iter().take(4) {
        let samples: Vec<Vec<u8>> = match source.format {
            SourceFormat::ArCsv => vec![AR_CSV_SAMPLE.to_vec()],
            SourceFormat::ArJson => vec![AR_JSON_SAMPLE.to_vec()],
            SourceFormat::Table => TABLE_SAMPLES.iter().map(|t| t.to_vec()).collect(),
            SourceFormat::Popolo => {
                let default = Default::default();
                let config = source.popolo.as_ref().unwrap_or(&default);
                let names = [&config.vote_events, &config.votes, &config.voters];
                let files = names.iter().map(|n| n.as_str());
                vec![frame::frame(files.zip(POPOLO_SAMPLE.map(str::as_bytes)))]
            }
        };
        for sample in samples {
            if let Ok(parsed) = sources::parse(source, &sample) {
                check_parsed(&parsed, &source.location);
            }
        }
    }
}

/// The editors' Markdown files (`content/proposals`, `decks`, `pages`):
/// any text, as each kind of file, gives content or an error, never a
/// panic. What it makes is HTML that cannot carry a script: only the tags
/// Markdown makes, and links and images only to web, mail or
/// site-relative addresses.
pub fn front_matter(data: &[u8]) {
    // Files are read with `read_to_string`: only UTF-8 gets this far.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let one = |name: &str| vec![(name.to_owned(), text.to_owned())];
    if let Ok(content) = Content::from_texts(one("100"), Vec::new(), Vec::new()) {
        for note in content.proposals.values() {
            check_html(&note.summary_html);
        }
    }
    if let Ok(content) = Content::from_texts(Vec::new(), one("deck"), Vec::new()) {
        for deck in &content.decks {
            check_html(&deck.intro_html);
        }
    }
    if let Ok(content) = Content::from_texts(Vec::new(), Vec::new(), one("page")) {
        for page in &content.pages {
            check_html(&page.html);
        }
    }
}

/// The tags CommonMark with tables and strikethrough writes.
const TAGS: &[&str] = &[
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Only [`TAGS`], and `href` and `src` only to web, mail or relative
/// addresses, whatever blanks or case hide the scheme. Text is escaped, so
/// every `<` opens a tag; in a tag, attribute values are escaped, so the
/// first `>` closes it.
fn check_html(html: &str) {
    for (at, _) in html.match_indices('<') {
        let rest = &html[at + 1..];
        let tag = &rest[..rest.find('>').expect("a tag is closed")];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        assert!(TAGS.contains(&name.as_str()), "tag <{name}> in {html:?}");
        for attribute in [" href=\"", " src=\""] {
            for (at, _) in tag.match_indices(attribute) {
                let value = &tag[at + attribute.len()..];
                let value = &value[..value.find('"').expect("an attribute is closed")];
                let folded = value
                    .chars()
                    .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                let scheme = folded
                    .split_once(':')
                    .map(|(scheme, _)| scheme)
                    .filter(|s| !s.contains(['/', '?', '#']));
                assert!(
                    matches!(scheme, None | Some("http" | "https" | "mailto")),
                    "{attribute}{value}\" in {html:?}"
                );
            }
        }
    }
}

/// The sample site.toml files with a table or Popolo source.
const SAMPLE_SITES: [&str; 5] = [
    include_str!("../../generator/tests/fixtures/table/site.toml"),
    include_str!("../../generator/tests/fixtures/ep/site.toml"),
    include_str!("../../generator/assets/init/table/site.toml"),
    include_str!("../../generator/assets/init/popolo/site.toml"),
    include_str!("../../examples/praha/site.toml"),
];

/// The sample sources of `format`, checked as a build checks them.
fn sample_sources_of(format: SourceFormat) -> impl Iterator<Item = &'static SourceConfig> {
    static SOURCES: OnceLock<Vec<SourceConfig>> = OnceLock::new();
    let all = SOURCES.get_or_init(|| {
        SAMPLE_SITES
            .iter()
            .flat_map(|text| {
                Site::from_text(Path::new(SITE_TOML), text, None)
                    .and_then(|site| site.sources())
                    .expect("the sample site.toml files are valid")
            })
            .collect()
    });
    all.iter().filter(move |s| s.format == format)
}

/// What every adapter's result must be: quarantined records name the
/// source they came from and say why, and the result survives the JSON
/// round trip of the pipeline's stage store (which `expect`s it to
/// serialise).
fn check_parsed(parsed: &Parsed, origin: &str) {
    for record in &parsed.quarantine {
        assert_eq!(record.source, origin, "{record}");
        assert!(!record.reason.is_empty(), "{record}");
    }
    let json = serde_json::to_vec(parsed).expect("a parsed source serialises");
    let back: Parsed = serde_json::from_slice(&json).expect("a stored parsed source reads back");
    assert_eq!(
        serde_json::to_vec(&back).expect("it serialises again"),
        json,
        "a parsed source changes in the stage store's JSON round trip"
    );
}
