//! `site.toml`: what an operator can set without touching code.
//!
//! Every field has a default, so a folder with just the data builds; an
//! unknown key is an error so that a typo is not silently ignored.

use crate::error::{Error, IoContext, Result};
use crate::ingest::sources::popolo::PopoloConfig;
use crate::ingest::sources::table::TableConfig;
use hemiciclo_core::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Folder of AR votes CSV files used when `site.toml` names no source.
pub const DEFAULT_AR_CSV_DIR: &str = "data/ar-votes";

/// Folder of topic label files used when `site.toml` names none.
pub const DEFAULT_TOPICS_DIR: &str = "data/topics";

/// Folder, inside the site, where the pipeline keeps its work.
pub const WORK_DIR: &str = ".hemiciclo";

/// A web address's host and path (`/hemiciclo/`, `/` when it has none):
/// what follows the scheme, split at its first `/`.
pub fn host_and_path(url: &str) -> Option<(&str, &str)> {
    let rest = url.split_once("://")?.1;
    Some(match rest.find('/') {
        Some(slash) => rest.split_at(slash),
        None => (rest, "/"),
    })
}

/// What `news-archive` writes where the vote's day goes.
pub const NEWS_DATE: &str = "{date}";

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Site name, shown in every page title.
    pub title: String,
    /// Environments (`[env.staging]`, `[env.production]`): keys that
    /// `--env NAME` puts in place of the top-level ones.
    #[serde(rename = "env")]
    pub environments: BTreeMap<String, toml::Table>,
    /// One sentence shown under the title on the home page.
    pub description: String,
    /// Where the votes come from, in priority order for nothing: see the
    /// merge rule in `merge.rs`.
    #[serde(rename = "source")]
    pub sources: Vec<SourceConfig>,
    /// Topic label files (`ini_id`, `cap_label` columns), relative to the site.
    pub topics: Option<Vec<PathBuf>>,
    /// Governments over time, to tell who proposed what from which side.
    #[serde(rename = "government")]
    pub governments: Vec<Government>,
    /// Parties' full names by the id the data gives them (`PS =
    /// "Partido Socialista"`): the quiz's results show them beside the id.
    pub party_names: BTreeMap<String, String>,
    /// The interface's language (`pt`, `en`, `cs`, or one the site adds
    /// in `i18n/`). `languages` builds several at once instead.
    pub language: Option<String>,
    /// Several languages: the first at the site's root, each other in a
    /// folder named by its code (`en/`), with a switch between them.
    pub languages: Vec<String>,
    /// The language the data is written in, when it is not the first
    /// interface language: text from the data is marked with it.
    pub data_language: Option<String>,
    /// Whom the data comes from, credited in every page's footer
    /// ("Assembleia da República (dados abertos)"); nothing when unset.
    pub data_credit: Option<String>,
    /// The author name the data gives the government ("Governo"): its
    /// proposals form the deck's government share. Without it and without
    /// `[[government]]` periods, pages say nothing about proposers.
    pub government_author: Option<String>,
    /// Per language, words shown instead of the data's phase names
    /// (`[phase-labels.en]` `"Votação final global" = "Final vote"`).
    pub phase_labels: BTreeMap<String, BTreeMap<String, String>>,
    /// Per language, words shown instead of the data's kinds of initiative.
    pub kind_labels: BTreeMap<String, BTreeMap<String, String>>,
    /// Per language, the title, description and data credit in it.
    pub localized: BTreeMap<String, Localized>,
    /// How many proposals a deck asks (a page's `?cartas=N` changes it).
    pub deck_size: u32,
    /// Where the site is published (`https://example.org/hemiciclo/`):
    /// canonical links, link previews, the sitemap and the feed need
    /// whole addresses. Without it the site has none of them.
    pub base_url: Option<String>,
    /// An archive of the day's news, linked from every proposal page for
    /// the day of its decisive vote: a web address in which `{date}`
    /// stands for that day as `YYYYMMDD`. Without it, no link.
    pub news_archive: Option<String>,
    /// Whether the site has its search page and index (`s/`, `pagefind/`).
    /// The index costs memory and time in proportion to the proposals
    /// (about 1 GB and 15 s at 40,000): a very large site may leave it out.
    pub search: bool,
    /// A source whose proposals or votes fall by more than this percentage
    /// since the last build or ingest is a warning naming it, and with `--strict` an
    /// error (see [`crate::ingest::shrink`]): 0 warns of any loss, 100 of
    /// none.
    pub shrink_warning_percent: u32,
}

/// `[localized.<code>]`: the site's own words in one of its languages.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Localized {
    pub title: Option<String>,
    pub description: Option<String>,
    pub data_credit: Option<String>,
}

/// The most proposals a deck may ask: what a share link can hold.
pub const MAX_DECK_SIZE: u32 = hemiciclo_core::quiz::MAX_DECK_SIZE as u32;

/// One source of votes.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SourceConfig {
    /// A path relative to the site folder, or an http(s) URL.
    pub location: String,
    pub format: SourceFormat,
    /// How to read a `table` source: its columns and words.
    pub table: Option<TableConfig>,
    /// How to read a `popolo` source: its files, columns and words.
    pub popolo: Option<PopoloConfig>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum SourceFormat {
    /// The AR votes CSV (one row per vote, one column per party).
    ArCsv,
    /// The AR's official "Iniciativas" JSON.
    ArJson,
    /// Any votes table, read as `[source.table]` says.
    Table,
    /// Popolo roll-call CSV files in one folder, read as `[source.popolo]` says.
    Popolo,
}

impl SourceConfig {
    /// The location as every message, the terminal and the site show it:
    /// a URL without credentials or query secrets (see
    /// [`crate::ingest::fetch::without_secrets`]). It also names the source
    /// in the quarantine, the conflicts and the shrink check, so a new
    /// token in a URL does not make it another source.
    pub fn shown(&self) -> std::borrow::Cow<'_, str> {
        crate::ingest::fetch::without_secrets(&self.location)
    }
}

impl SourceFormat {
    pub fn name(self) -> &'static str {
        match self {
            SourceFormat::ArCsv => "ar-csv",
            SourceFormat::ArJson => "ar-json",
            SourceFormat::Table => "table",
            SourceFormat::Popolo => "popolo",
        }
    }
}

/// A government: who held it, from when until when.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Government {
    pub from: Date,
    /// Exclusive end; none for the government in office.
    pub until: Option<Date>,
    /// The actor ids of the parties in government.
    pub parties: Vec<String>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            title: "hemiciclo".into(),
            description: "Vote em propostas reais do Parlamento e veja que partidos votaram como \
                          você."
                .into(),
            environments: BTreeMap::new(),
            sources: Vec::new(),
            topics: None,
            governments: Vec::new(),
            party_names: BTreeMap::new(),
            base_url: None,
            news_archive: None,
            search: true,
            language: None,
            languages: Vec::new(),
            data_language: None,
            data_credit: None,
            government_author: None,
            phase_labels: BTreeMap::new(),
            kind_labels: BTreeMap::new(),
            localized: BTreeMap::new(),
            deck_size: hemiciclo_core::sampler::DEFAULT_DECK_SIZE as u32,
            shrink_warning_percent: crate::ingest::shrink::DEFAULT_PERCENT,
        }
    }
}

/// A site: its folder and its configuration.
#[derive(Debug)]
pub struct Site {
    pub dir: PathBuf,
    pub config: Config,
}

/// Replaces `table`'s keys with those of its `[env.NAME]` table (a table
/// such as `[localized.en]` is merged key by key), and drops the `env`
/// tables.
fn apply_env(table: &mut toml::Table, env: Option<&str>, file: &Path) -> Result<()> {
    let environments = match table.remove(ENV_KEY) {
        Some(toml::Value::Table(environments)) => environments,
        _ => toml::Table::new(),
    };
    let Some(name) = env else {
        return Ok(());
    };
    let Some(toml::Value::Table(overrides)) = environments.get(name) else {
        let known: Vec<&str> = environments.keys().map(String::as_str).collect();
        return Err(Error::Config(format!(
            "{}: there is no [{ENV_KEY}.{name}] for --env {name}; {}",
            file.display(),
            if known.is_empty() {
                format!("add one with the keys that differ in {name}")
            } else {
                format!("the environments are: {}", known.join(", "))
            }
        )));
    };
    merge(table, overrides);
    Ok(())
}

/// Puts `over`'s keys into `base`, table into table key by key, at any depth.
fn merge(base: &mut toml::Table, over: &toml::Table) {
    for (key, value) in over {
        match (base.get_mut(key), value) {
            (Some(toml::Value::Table(inner)), toml::Value::Table(over)) => merge(inner, over),
            _ => {
                base.insert(key.clone(), value.clone());
            }
        }
    }
}

/// The table of environments in site.toml: `[env.staging]`, `[env.production]`.
pub const ENV_KEY: &str = "env";

impl Site {
    /// Loads the site whose configuration is at `config_path`; when that
    /// file does not exist and was not asked for explicitly, the folder it
    /// would be in is a site with default settings.
    pub fn load(config_path: &Path, explicit: bool) -> Result<Site> {
        Site::load_env(config_path, explicit, None)
    }

    /// As [`load`](Self::load), with the keys of `[env.NAME]` in place of
    /// the top-level ones when `env` names an environment.
    pub fn load_env(config_path: &Path, explicit: bool, env: Option<&str>) -> Result<Site> {
        let text = match std::fs::read_to_string(config_path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => String::new(),
            Err(e) => return Err(e).doing(|| format!("cannot read {}", config_path.display())),
        };
        Site::from_text(config_path, &text, env)
    }

    /// As [`load_env`](Self::load_env), with `text` as the content of the
    /// file at `config_path` (which is not read): the whole of what the
    /// configuration's text decides, for callers that hold the text
    /// already, such as the fuzz targets (`fuzz/`).
    pub fn from_text(config_path: &Path, text: &str, env: Option<&str>) -> Result<Site> {
        let dir = config_path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let syntax = |source| Error::ConfigSyntax {
            file: config_path.to_path_buf(),
            source,
        };
        // Read as it is first, so that an error points at its line.
        let mut config: Config = toml::from_str(text).map_err(syntax)?;
        if env.is_some() {
            let mut table: toml::Table = toml::from_str(text).map_err(syntax)?;
            apply_env(&mut table, env, config_path)?;
            config = Config::deserialize(toml::Value::Table(table)).map_err(|source| {
                Error::Config(format!(
                    "{}: with the keys of [{ENV_KEY}.{}]: {}",
                    config_path.display(),
                    env.unwrap_or_default(),
                    source.message()
                ))
            })?;
        }
        Ok(Site { dir, config })
    }

    /// The interface languages, the first at the root: `languages`, else
    /// `language`, else Portuguese.
    pub fn languages(&self) -> Result<Vec<String>> {
        let config = &self.config;
        let languages = match (&config.language, config.languages.as_slice()) {
            (Some(_), [_, ..]) => {
                return Err(Error::Config(
                    "site.toml sets both language and languages; keep one (languages = \
                     [\"pt\", \"en\"] builds several)"
                        .into(),
                ))
            }
            (Some(one), []) => vec![one.clone()],
            (None, []) => vec!["pt".to_owned()],
            (None, many) => many.to_vec(),
        };
        let mut seen = std::collections::BTreeSet::new();
        for code in &languages {
            let valid = !code.is_empty()
                && code.len() <= 16
                && code
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !valid {
                return Err(Error::Config(format!(
                    "the language {code:?} in site.toml is not a language code: use lower-case \
                     letters, digits and -, such as \"pt\" or \"pt-br\""
                )));
            }
            if !seen.insert(code) {
                return Err(Error::Config(format!(
                    "site.toml lists the language {code:?} twice"
                )));
            }
        }
        Ok(languages)
    }

    /// How many proposals a deck asks, checked.
    pub fn deck_size(&self) -> Result<u32> {
        let size = self.config.deck_size;
        if !(1..=MAX_DECK_SIZE).contains(&size) {
            return Err(Error::Config(format!(
                "deck-size = {size} in site.toml: a deck asks from 1 to {MAX_DECK_SIZE} proposals"
            )));
        }
        Ok(size)
    }

    /// `shrink-warning-percent`, checked: from 0 to 100.
    pub fn shrink_warning_percent(&self) -> Result<u32> {
        let percent = self.config.shrink_warning_percent;
        if percent > 100 {
            return Err(Error::Config(format!(
                "shrink-warning-percent = {percent} in site.toml: give a percentage from 0 (warn \
                 when a source loses any record) to 100 (never warn)"
            )));
        }
        Ok(percent)
    }

    /// `base-url`, checked: an http(s) address, ending in `/`.
    pub fn base_url(&self) -> Result<Option<String>> {
        let Some(url) = &self.config.base_url else {
            return Ok(None);
        };
        let valid = (url.starts_with("https://") || url.starts_with("http://"))
            && host_and_path(url).is_some_and(|(host, _)| !host.is_empty())
            && !url.contains(['?', '#', '"', '<', '>', ' ']);
        if !valid {
            return Err(Error::Config(format!(
                "base-url = {url:?} in site.toml: give the site's published address, \
                 such as \"https://example.org/hemiciclo/\""
            )));
        }
        Ok(Some(if url.ends_with('/') {
            url.clone()
        } else {
            format!("{url}/")
        }))
    }

    /// `news-archive`, checked: an http(s) address with a `{date}` in it.
    pub fn news_archive(&self) -> Result<Option<String>> {
        let Some(url) = &self.config.news_archive else {
            return Ok(None);
        };
        let valid = (url.starts_with("https://") || url.starts_with("http://"))
            && url.contains(NEWS_DATE)
            && !url.contains(['"', '<', '>', ' ']);
        if !valid {
            return Err(Error::Config(format!(
                "news-archive = {url:?} in site.toml: give a web address with {NEWS_DATE} \
                 where the vote's day goes, such as \
                 \"https://arquivo.pt/wayback/{NEWS_DATE}/https://www.publico.pt/\""
            )));
        }
        Ok(Some(url.clone()))
    }

    /// The folder where the pipeline keeps fetched sources, stage records and snapshots.
    pub fn work_dir(&self) -> PathBuf {
        self.dir.join(WORK_DIR)
    }

    /// The sources to read: those configured, else every `.csv` in
    /// [`DEFAULT_AR_CSV_DIR`] as an AR votes CSV, in name order.
    pub fn sources(&self) -> Result<Vec<SourceConfig>> {
        if !self.config.sources.is_empty() {
            for source in &self.config.sources {
                match (source.format, &source.table) {
                    (SourceFormat::Table, None) => {
                        return Err(Error::Config(format!(
                            "the source {} has format = \"table\" but no [source.table] \
                             section saying which columns hold what; add one after its \
                             [[source]] entry",
                            source.shown()
                        )))
                    }
                    (
                        SourceFormat::ArCsv | SourceFormat::ArJson | SourceFormat::Popolo,
                        Some(_),
                    ) => {
                        return Err(Error::Config(format!(
                            "the source {} has a [source.table] section, which only format = \
                             \"table\" reads; remove it or change the format",
                            source.shown()
                        )))
                    }
                    (SourceFormat::Table, Some(table)) => {
                        crate::ingest::sources::table::check(table, &source.shown())?
                    }
                    _ => {}
                }
                if source.format == SourceFormat::Popolo {
                    let default = PopoloConfig::default();
                    let popolo = source.popolo.as_ref().unwrap_or(&default);
                    crate::ingest::sources::popolo::check(popolo, &source.shown())?;
                }
                if source.popolo.is_some() && source.format != SourceFormat::Popolo {
                    return Err(Error::Config(format!(
                        "the source {} has a [source.popolo] section, which only format = \
                         \"popolo\" reads; remove it or change the format",
                        source.shown()
                    )));
                }
            }
            return Ok(self.config.sources.clone());
        }
        let files = csv_files(&self.dir.join(DEFAULT_AR_CSV_DIR))?;
        if files.is_empty() {
            return Err(Error::Config(format!(
                "no data: {} holds no .csv file; put AR votes CSV files there or list sources \
                 as [[source]] entries in site.toml",
                self.dir.join(DEFAULT_AR_CSV_DIR).display()
            )));
        }
        Ok(files
            .into_iter()
            .map(|file| SourceConfig {
                location: file
                    .strip_prefix(&self.dir)
                    .unwrap_or(&file)
                    .to_string_lossy()
                    .into_owned(),
                format: SourceFormat::ArCsv,
                table: None,
                popolo: None,
            })
            .collect())
    }

    /// Topic label files: those configured, else every `.csv` in
    /// [`DEFAULT_TOPICS_DIR`] if it exists.
    pub fn topic_files(&self) -> Result<Vec<PathBuf>> {
        match &self.config.topics {
            Some(files) => Ok(files.iter().map(|f| self.dir.join(f)).collect()),
            None => {
                let dir = self.dir.join(DEFAULT_TOPICS_DIR);
                if dir.is_dir() {
                    csv_files(&dir)
                } else {
                    Ok(Vec::new())
                }
            }
        }
    }
}

/// The `.csv` files of `dir`, in name order.
fn csv_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).doing(|| {
        format!(
            "no data: {} does not exist; put data files there or list them in site.toml",
            dir.display()
        )
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .doing(|| format!("cannot list {}", dir.display()))?
            .path();
        if path.extension().is_some_and(|e| e == "csv") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site in this folder configured by `text`.
    fn site(text: &str) -> Site {
        Site {
            dir: PathBuf::from("."),
            config: toml::from_str(text).unwrap(),
        }
    }

    #[test]
    fn an_environment_merges_tables_key_by_key_and_names_itself_in_errors() {
        let dir = std::env::temp_dir().join(format!("hemiciclo-env-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("site.toml");
        std::fs::write(
            &path,
            "[localized.en]\ntitle = \"Votes\"\ndescription = \"Vote.\"\n\
             [env.staging.localized.en]\ntitle = \"Votes (staging)\"\n\
             [env.broken]\ntitel = \"typo\"\n",
        )
        .unwrap();
        let staging = Site::load_env(&path, true, Some("staging")).unwrap();
        let en = &staging.config.localized["en"];
        assert_eq!(en.title.as_deref(), Some("Votes (staging)"));
        assert_eq!(
            en.description.as_deref(),
            Some("Vote."),
            "kept from the top level"
        );
        let plain = Site::load_env(&path, true, None).unwrap();
        assert_eq!(plain.config.localized["en"].title.as_deref(), Some("Votes"));
        let error = Site::load_env(&path, true, Some("broken"))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("[env.broken]") && error.contains("titel"),
            "{error}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn unknown_keys_are_errors() {
        let error = toml::from_str::<Config>("titel = \"x\"")
            .unwrap_err()
            .to_string();
        assert!(error.contains("titel"), "{error}");
    }

    #[test]
    fn a_deck_size_a_share_link_cannot_hold_is_refused() {
        assert_eq!(site("deck-size = 64").deck_size().unwrap(), 64);
        for bad in ["deck-size = 65", "deck-size = 0"] {
            let error = site(bad).deck_size().unwrap_err().to_string();
            assert!(error.contains("1 to 64"), "{error}");
        }
    }

    #[test]
    fn a_web_address_splits_into_host_and_path() {
        assert_eq!(
            host_and_path("https://example.org/hemiciclo/"),
            Some(("example.org", "/hemiciclo/"))
        );
        assert_eq!(host_and_path("http://e.org"), Some(("e.org", "/")));
        assert_eq!(host_and_path("example.org/x"), None);
    }

    #[test]
    fn a_news_archive_is_a_web_address_with_the_date_in_it() {
        assert_eq!(site("").news_archive().unwrap(), None);
        let good = "https://arquivo.pt/wayback/{date}/https://www.publico.pt/";
        assert_eq!(
            site(&format!("news-archive = \"{good}\""))
                .news_archive()
                .unwrap()
                .as_deref(),
            Some(good)
        );
        for bad in [
            "https://arquivo.pt/",
            "javascript:{date}",
            "https://a b/{date}",
        ] {
            let error = site(&format!("news-archive = \"{bad}\""))
                .news_archive()
                .unwrap_err()
                .to_string();
            assert!(
                error.contains("news-archive") && error.contains("{date}"),
                "{error}"
            );
        }
    }

    #[test]
    fn a_base_url_is_a_web_address_ending_in_a_slash() {
        assert_eq!(site("").base_url().unwrap(), None);
        assert_eq!(
            site("base-url = \"https://example.org/x\"")
                .base_url()
                .unwrap(),
            Some("https://example.org/x/".to_owned())
        );
        for bad in [
            "ftp://example.org/",
            "https://",
            "example.org",
            "https://e.org/?a=1",
        ] {
            let error = site(&format!("base-url = \"{bad}\""))
                .base_url()
                .unwrap_err()
                .to_string();
            assert!(error.contains("base-url") && error.contains(bad), "{error}");
        }
    }

    #[test]
    fn defaults_fill_what_is_missing() {
        let config: Config = toml::from_str("title = \"Câmara\"").unwrap();
        assert_eq!(config.title, "Câmara");
        assert!(config.sources.is_empty());
    }

    #[test]
    fn sources_and_governments_read_from_toml() {
        let config: Config = toml::from_str(
            r#"
            [[source]]
            location = "https://example.org/votes.json"
            format = "ar-json"

            [[government]]
            from = "2015-11-26"
            until = "2024-04-02"
            parties = ["PS"]
            "#,
        )
        .unwrap();
        assert_eq!(config.sources[0].format, SourceFormat::ArJson);
        assert_eq!(config.governments[0].parties, ["PS"]);
        assert_eq!(config.governments[0].until, Date::parse_iso("2024-04-02"));
        let error = toml::from_str::<Config>("[[government]]\nfrom = \"2015-02-30\"\nparties = []")
            .unwrap_err()
            .to_string();
        assert!(error.contains("2015-02-30"), "{error}");
    }

    #[test]
    fn a_table_source_without_a_legislature_is_an_error_at_load_time() {
        let toml = |legislature: &str| {
            format!(
                "[[source]]\nlocation = \"rat.csv\"\nformat = \"table\"\n[source.table]\n\
                 {legislature}\n[source.table.columns]\ninitiative = \"a\"\ntitle = \"b\"\n\
                 date = \"c\"\n[source.table.values]\nfor = \"y\"\nagainst = \"n\"\n"
            )
        };
        let error = site(&toml("")).sources().unwrap_err().to_string();
        assert_eq!(
            error,
            "source rat.csv has no legislature: map [source.table.columns] legislature or set \
             legislature = \"...\" under [source.table]"
        );
        assert!(site(&toml("legislature = \"2020-2026\"")).sources().is_ok());
        let error = site(&toml("legislature = \"1\"\n[[source.table.derive]]\ncolumn = \"x\"\nfrom = \"a\"\npattern = \"(\""))
            .sources()
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("column = \"x\": the pattern \"(\" is not a valid regular expression"),
            "{error}"
        );
    }

    #[test]
    fn the_readme_example_is_a_valid_configuration() {
        let readme = include_str!("../../README.md");
        let section = &readme[readme
            .find("### site.toml")
            .expect("README has the section")..];
        let start = section.find("```toml\n").expect("a toml block") + "```toml\n".len();
        let block = &section[start..start + section[start..].find("```").unwrap()];
        let config: Config = toml::from_str(block).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.sources.len(), 3);
        assert_eq!(config.sources[2].format, SourceFormat::Table);
        assert!(config.sources[2].table.is_some());
        assert_eq!(config.topics.as_ref().map(Vec::len), Some(1));
        // Every example of the section is a valid site.toml, and its
        // tables pass the checks made before reading.
        let section = &section[..section.find("\n### ").unwrap_or(section.len())];
        let blocks: Vec<&str> = section
            .split("```toml\n")
            .skip(1)
            .map(|rest| &rest[..rest.find("```").unwrap()])
            .collect();
        assert!(blocks.len() > 1, "the section has its table examples");
        for block in blocks {
            let config: Config = toml::from_str(block).unwrap_or_else(|e| panic!("{e}"));
            for source in &config.sources {
                if let Some(table) = &source.table {
                    crate::ingest::sources::table::check(table, &source.location)
                        .unwrap_or_else(|e| panic!("{e}"));
                }
            }
        }
    }

    #[test]
    fn the_readme_popolo_example_shows_the_defaults() {
        let readme = include_str!("../../README.md");
        let section = &readme[readme
            .find("#### Popolo roll-call votes")
            .expect("README has the section")..];
        let start = section.find("```toml\n").expect("a toml block") + "```toml\n".len();
        let block = &section[start..start + section[start..].find("```").unwrap()];
        let config: Config = toml::from_str(block).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.sources[0].format, SourceFormat::Popolo);
        let popolo = config.sources[0].popolo.clone().expect("a [source.popolo]");
        let defaults = PopoloConfig::default();
        assert_eq!(popolo.vote_event_columns, defaults.vote_event_columns);
        assert_eq!(popolo.vote_columns, defaults.vote_columns);
        assert_eq!(popolo.voter_columns, defaults.voter_columns);
        assert_eq!(popolo.group_columns, defaults.group_columns);
        assert_eq!(popolo.options, defaults.options);
        assert_eq!(popolo.results, defaults.results);
        assert_eq!(
            (&popolo.vote_events, &popolo.votes, &popolo.voters),
            (&defaults.vote_events, &defaults.votes, &defaults.voters)
        );
        assert_eq!(popolo.group_by_document, defaults.group_by_document);
        assert_eq!(popolo.legislature.as_deref(), Some("2014–2018"));
    }
}
