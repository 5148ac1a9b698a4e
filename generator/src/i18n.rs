//! The interface's words: one TOML file per language (`i18n/<code>.toml`).
//!
//! Portuguese, English and Czech are built in. A site adds a language, or
//! changes a few words of a built-in one, with a file of the same name in
//! its own `i18n/` folder. Every language must have every key English has
//! and no other, so that a missing or mistyped key is an error naming the
//! file and the key, not a page with a hole in it.
//!
//! Templates read the words as `t.<section>.<key>` and fill placeholders
//! with the `fill` filter; the page's JavaScript gets the sections it uses
//! as a JSON block ([`Language::page_strings`]).

use crate::error::{Error, IoContext, Result};
use hemiciclo_core::Date;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The built-in languages: (code, file).
const BUILT_IN: &[(&str, &str)] = &[
    ("pt", include_str!("../../i18n/pt.toml")),
    ("en", include_str!("../../i18n/en.toml")),
    ("cs", include_str!("../../i18n/cs.toml")),
];

/// The language whose keys every other must have.
const REFERENCE: &str = "en";

/// The sections the page's JavaScript reads.
const PAGE_SECTIONS: &[&str] = &["meta", "quiz"];
/// Errors that only the results meet (besides every `Share…`): their texts
/// come with the results' words, not in the first page.
const RESULTS_ERRORS: &[&str] = &["OtherDataset", "NoCode", "VotesNotLoaded", "NoMoreCards"];

/// One language's words.
#[derive(Debug, Clone)]
pub struct Language {
    /// The code the site names it by (`pt`, `en`, ...).
    pub code: String,
    table: toml::Table,
}

impl Language {
    /// Loads language `code`: the built-in file, with the site's own
    /// `i18n/<code>.toml` over it when there is one.
    pub fn load(site_dir: &Path, code: &str) -> Result<Language> {
        let reference = parse(REFERENCE, built_in(REFERENCE).expect("English is built in"))?;
        let custom_path = site_dir.join("i18n").join(format!("{code}.toml"));
        crate::files::check_inside(site_dir, &custom_path)?;
        let custom = match std::fs::read_to_string(&custom_path) {
            Ok(text) => Some(parse(&custom_path.display().to_string(), &text)?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).doing(|| format!("cannot read {}", custom_path.display())),
        };
        let mut table = match (built_in(code), &custom) {
            (Some(text), _) => parse(&format!("the built-in {code}.toml"), text)?,
            (None, Some(_)) => toml::Table::new(),
            (None, None) => {
                return Err(Error::Config(format!(
                    "there is no language {code:?}: the built-in ones are {}; to add it, write \
                     {} with the keys of i18n/en.toml",
                    BUILT_IN
                        .iter()
                        .map(|(c, _)| *c)
                        .collect::<Vec<_>>()
                        .join(", "),
                    custom_path.display()
                )))
            }
        };
        let file = if custom.is_some() {
            custom_path.display().to_string()
        } else {
            format!("the built-in i18n/{code}.toml")
        };
        if let Some(custom) = custom {
            merge(&mut table, custom);
        }
        check_keys(&reference, &table, &file)?;
        Ok(Language {
            code: code.to_owned(),
            table,
        })
    }

    /// The text of `key` (`section.name`); the key itself if it has none,
    /// which [`Language::load`]'s check makes impossible for English's keys.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        let (section, name) = key.split_once('.').unwrap_or(("", key));
        self.table
            .get(section)
            .and_then(|s| s.get(name))
            .and_then(toml::Value::as_str)
            .unwrap_or(key)
    }

    /// The text of `key` with each `{name}` replaced by its value.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        fill(self.text(key), values.iter().copied())
    }

    /// The language tag for `<html lang>` and `hreflang`.
    pub fn locale(&self) -> &str {
        self.text("meta.locale")
    }

    /// A date as this language writes it ("26 de novembro de 2014").
    pub fn date(&self, date: Date) -> String {
        let month = self
            .table
            .get("meta")
            .and_then(|m| m.get("months"))
            .and_then(toml::Value::as_array)
            .and_then(|months| months.get(usize::from(date.month()) - 1))
            .and_then(toml::Value::as_str)
            .map_or_else(|| date.month().to_string(), str::to_owned);
        self.fill(
            "meta.date",
            &[
                ("day", &date.day().to_string()),
                ("month", &month),
                ("year", &date.year().to_string()),
            ],
        )
    }

    /// A share from 0 to 1 as a whole percentage ("87%"), never "-0%".
    pub fn percent(&self, share: f64) -> String {
        let whole = (share.clamp(0.0, 1.0) * 100.0).round() as u32;
        self.fill("meta.percent", &[("n", &whole.to_string())])
    }

    /// A whole number with the language's thousands separator ("3,899").
    pub fn number(&self, n: impl Into<u64>) -> String {
        let digits = n.into().to_string();
        let separator = self.text("meta.thousands");
        let mut out = String::with_capacity(digits.len() + 4);
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(separator);
            }
            out.push(digit);
        }
        out
    }

    /// "a, b and c" in this language.
    pub fn list(&self, items: &[impl AsRef<str>]) -> String {
        match items {
            [] => String::new(),
            [one] => one.as_ref().to_owned(),
            [rest @ .., last] => {
                let head: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
                format!(
                    "{}{}{}",
                    head.join(", "),
                    self.text("meta.and"),
                    last.as_ref()
                )
            }
        }
    }

    /// Every section, for the templates' `t`.
    pub fn for_templates(&self) -> serde_json::Value {
        serde_json::to_value(&self.table).expect("TOML tables are JSON")
    }

    /// The sections the page's JavaScript reads, and the words it shows
    /// for the data's kinds of initiative (`kinds`), as JSON safe to put
    /// inside a `<script type="application/json">` element.
    pub fn page_strings(&self, kinds: &BTreeMap<String, String>) -> String {
        let mut sections = self.sections(PAGE_SECTIONS);
        sections.insert("kinds", serde_json::json!(kinds));
        sections.insert("errors", self.errors(false));
        script_json(&sections)
    }

    /// The words of the results: the `results` section and the errors only
    /// results meet (a results link's, continuing's), in the same form; the
    /// page fetches them with the results' markup, after the first question.
    pub fn results_strings(&self) -> String {
        let mut sections = self.sections(&["results"]);
        sections.insert("errors", self.errors(true));
        script_json(&sections)
    }

    /// The `errors` section's texts that only results meet, or the others.
    fn errors(&self, of_results: bool) -> serde_json::Value {
        let errors = self.table.get("errors").and_then(toml::Value::as_table);
        let chosen: BTreeMap<&String, &toml::Value> = errors
            .into_iter()
            .flatten()
            .filter(|(name, _)| {
                let results_only =
                    name.starts_with("Share") || RESULTS_ERRORS.contains(&name.as_str());
                results_only == of_results
            })
            .collect();
        serde_json::json!(chosen)
    }

    fn sections(&self, names: &[&'static str]) -> BTreeMap<&'static str, serde_json::Value> {
        names
            .iter()
            .filter_map(|name| self.table.get(*name).map(|s| (*name, serde_json::json!(s))))
            .collect()
    }
}

/// `value` as JSON that cannot close the `<script>` element it sits in.
fn script_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value)
        .expect("TOML tables are JSON")
        .replace('<', "\\u003c")
}

/// The built-in file of `code`, if any.
fn built_in(code: &str) -> Option<&'static str> {
    BUILT_IN.iter().find(|(c, _)| *c == code).map(|(_, t)| *t)
}

/// Replaces each `{name}` in `text` by its value; other braces stay.
pub fn fill<'a>(text: &str, values: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut filled = text.to_owned();
    for (name, value) in values {
        filled = filled.replace(&format!("{{{name}}}"), value);
    }
    filled
}

fn parse(file: &str, text: &str) -> Result<toml::Table> {
    text.parse::<toml::Table>()
        .map_err(|e| Error::Config(format!("{file} is not valid TOML: {e}")))
}

/// Puts `over`'s keys into `base`, section by section.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (name, value) in over {
        match (base.get_mut(&name), value) {
            (Some(toml::Value::Table(section)), toml::Value::Table(keys)) => {
                section.extend(keys);
            }
            (_, value) => {
                base.insert(name, value);
            }
        }
    }
}

/// `section.key` of every key of `table`, with whether its value is text.
fn keys(table: &toml::Table) -> BTreeMap<String, &'static str> {
    let mut keys = BTreeMap::new();
    for (section, value) in table {
        match value {
            toml::Value::Table(entries) => {
                for (key, value) in entries {
                    keys.insert(format!("{section}.{key}"), value.type_str());
                }
            }
            other => {
                keys.insert(section.clone(), other.type_str());
            }
        }
    }
    keys
}

/// Every key of `reference` is in `table`, of the same type, and no other.
fn check_keys(reference: &toml::Table, table: &toml::Table, file: &str) -> Result<()> {
    let want = keys(reference);
    let have = keys(table);
    let missing: BTreeSet<&String> = want.keys().filter(|k| !have.contains_key(*k)).collect();
    let unknown: BTreeSet<&String> = have.keys().filter(|k| !want.contains_key(*k)).collect();
    let mistyped: Vec<&String> = want
        .iter()
        .filter(|(k, kind)| have.get(*k).is_some_and(|h| h != *kind))
        .map(|(k, _)| k)
        .collect();
    let name = |keys: &mut dyn Iterator<Item = &&String>| {
        keys.map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
    };
    if !missing.is_empty() {
        return Err(Error::Config(format!(
            "{file} lacks the keys {}; copy them from i18n/en.toml and translate them",
            name(&mut missing.iter())
        )));
    }
    if !unknown.is_empty() {
        return Err(Error::Config(format!(
            "{file} has keys no page uses: {}; check their spelling against i18n/en.toml",
            name(&mut unknown.iter())
        )));
    }
    if let Some(key) = mistyped.first() {
        return Err(Error::Config(format!(
            "{file}: {key} must be a {} as in i18n/en.toml",
            want[*key]
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built(code: &str) -> Language {
        Language::load(Path::new("/nonexistent"), code).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn every_built_in_language_has_every_key() {
        for (code, _) in BUILT_IN {
            let language = built(code);
            assert_eq!(language.code, *code);
            assert!(!language.text("home.start").is_empty());
        }
    }

    #[test]
    fn dates_percentages_and_lists_follow_the_language() {
        let pt = built("pt");
        let en = built("en");
        let date = Date::parse_iso("2014-11-26").unwrap();
        assert_eq!(pt.date(date), "26 de novembro de 2014");
        assert_eq!(en.date(date), "November 26, 2014");
        assert_eq!(pt.percent(-0.0001), "0%");
        assert_eq!(en.percent(0.874), "87%");
        assert_eq!(pt.list(&["PS", "PSD", "CH"]), "PS, PSD e CH");
        assert_eq!(en.number(3899u32), "3,899");
        assert_eq!(en.number(1_234_567u32), "1,234,567");
        assert_eq!(en.number(999u32), "999");
        assert_eq!(pt.number(3899u32), "3\u{202f}899");
        assert_eq!(en.list(&["PS"]), "PS");
        assert_eq!(
            en.fill("site.legislature", &[("name", "XV")]),
            "Legislature XV"
        );
    }

    #[test]
    fn a_site_adds_a_language_or_changes_words_and_mistakes_name_file_and_key() {
        let dir = std::env::temp_dir().join(format!("hemiciclo-i18n-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("i18n")).unwrap();
        std::fs::write(dir.join("i18n/pt.toml"), "[home]\nstart = \"Vamos\"\n").unwrap();
        let pt = Language::load(&dir, "pt").unwrap();
        assert_eq!(pt.text("home.start"), "Vamos");
        assert_eq!(pt.text("home.retry"), "Tentar de novo");

        std::fs::write(dir.join("i18n/pt.toml"), "[home]\nstrat = \"Vamos\"\n").unwrap();
        let error = Language::load(&dir, "pt").unwrap_err().to_string();
        assert!(
            error.contains("pt.toml") && error.contains("home.strat"),
            "{error}"
        );

        let error = Language::load(&dir, "de").unwrap_err().to_string();
        assert!(
            error.contains("\"de\"") && error.contains("de.toml"),
            "{error}"
        );
        std::fs::write(dir.join("i18n/de.toml"), "[home]\nstart = \"Los\"\n").unwrap();
        let error = Language::load(&dir, "de").unwrap_err().to_string();
        assert!(
            error.contains("lacks the keys") && error.contains("meta.locale"),
            "{error}"
        );

        let mut complete = include_str!("../../i18n/en.toml").to_owned();
        complete = complete.replace("start = \"Start\"", "start = \"Los\"");
        std::fs::write(dir.join("i18n/de.toml"), complete).unwrap();
        assert_eq!(
            Language::load(&dir, "de").unwrap().text("home.start"),
            "Los"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn page_strings_cannot_close_their_script_element() {
        let mut language = built("en");
        language.table["quiz"]
            .as_table_mut()
            .unwrap()
            .insert("deck".into(), "</script><!--".into());
        let kinds = [("Projeto de Lei".to_owned(), "Bill".to_owned())].into();
        let json = language.page_strings(&kinds);
        assert!(!json.contains("</") && !json.contains("<!--"), "{json}");
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["quiz"]["deck"], "</script><!--");
        assert!(back.get("proposal").is_none(), "only what the page reads");
        assert_eq!(back["kinds"]["Projeto de Lei"], "Bill");
    }
}
