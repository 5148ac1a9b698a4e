//! `site.toml`: what an operator can set without touching code.
//!
//! Every field has a default, so a folder with just the data builds; an
//! unknown key is an error so that a typo is not silently ignored.

use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Folder of AR votes CSV files used when `site.toml` names no source.
pub const DEFAULT_AR_CSV_DIR: &str = "data/ar-votes";

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Site name, shown in every page title.
    pub title: String,
    /// One sentence shown under the title on the home page.
    pub description: String,
    pub sources: Sources,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Sources {
    /// AR votes CSV files, relative to the site folder.
    pub ar_csv: Vec<PathBuf>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            title: "hemiciclo".into(),
            description: "Vote em propostas reais do Parlamento e veja que partidos votaram como \
                          você."
                .into(),
            sources: Sources::default(),
        }
    }
}

/// A site: its folder and its configuration.
#[derive(Debug)]
pub struct Site {
    pub dir: PathBuf,
    pub config: Config,
}

impl Site {
    /// Loads the site whose configuration is at `config_path`; when that
    /// file does not exist and was not asked for explicitly, the folder it
    /// would be in is a site with default settings.
    pub fn load(config_path: &Path, explicit: bool) -> Result<Site> {
        let dir = config_path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let config = match std::fs::read_to_string(config_path) {
            Ok(text) => toml::from_str(&text).with_context(|| {
                format!(
                    "{} is not a valid site configuration",
                    config_path.display()
                )
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => Config::default(),
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read {}", config_path.display()))
            }
        };
        Ok(Site { dir, config })
    }

    /// The AR votes CSV files to read: those configured, else every `.csv`
    /// in [`DEFAULT_AR_CSV_DIR`], in name order.
    pub fn ar_csv_sources(&self) -> Result<Vec<PathBuf>> {
        if !self.config.sources.ar_csv.is_empty() {
            return Ok(self
                .config
                .sources
                .ar_csv
                .iter()
                .map(|p| self.dir.join(p))
                .collect());
        }
        let dir = self.dir.join(DEFAULT_AR_CSV_DIR);
        let entries = std::fs::read_dir(&dir).with_context(|| {
            format!(
                "no data: {} does not exist; put AR votes CSV files there or list them under \
                 [sources] ar-csv in site.toml",
                dir.display()
            )
        })?;
        let mut files = Vec::new();
        for entry in entries {
            let path = entry
                .with_context(|| format!("cannot list {}", dir.display()))?
                .path();
            if path.extension().is_some_and(|e| e == "csv") {
                files.push(path);
            }
        }
        files.sort();
        anyhow::ensure!(
            !files.is_empty(),
            "no data: {} holds no .csv file; put AR votes CSV files there or list them under \
             [sources] ar-csv in site.toml",
            dir.display()
        );
        Ok(files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_errors() {
        let error = toml::from_str::<Config>("titel = \"x\"")
            .unwrap_err()
            .to_string();
        assert!(error.contains("titel"), "{error}");
    }

    #[test]
    fn defaults_fill_what_is_missing() {
        let config: Config = toml::from_str("title = \"Câmara\"").unwrap();
        assert_eq!(config.title, "Câmara");
        assert!(config.sources.ar_csv.is_empty());
    }
}
