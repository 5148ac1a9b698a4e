//! `hemiciclo init DIR`: a new site for another institution, ready to
//! build as it is — a commented `site.toml`, a small sample of real-looking
//! data in the chosen format and an example content page.
//!
//! The starter files live in `generator/assets/init/<format>/` and are
//! built into the binary, so an installed `hemiciclo` carries them and an
//! operator needs nothing but the command to begin.

use crate::error::{Error, IoContext, Result};
use std::path::{Path, PathBuf};

/// The formats `init` has a starter for, as `--format` names them.
pub const FORMATS: [&str; 3] = ["ar-csv", "table", "popolo"];

macro_rules! starter {
    ($format:literal: $($path:literal),+ $(,)?) => {
        &[$(($path, include_str!(concat!("../../assets/init/", $format, "/", $path)))),+]
    };
}

/// Each format's files: (path in the new site, text).
fn starter(format: &str) -> Option<&'static [(&'static str, &'static str)]> {
    Some(match format {
        "ar-csv" => starter!("ar-csv":
            "site.toml",
            "data/README.md",
            "data/votes.csv",
            "content/pages/sobre.md",
        ),
        "table" => starter!("table":
            "site.toml",
            "data/README.md",
            "data/stadtrat.csv",
            "content/pages/about.md",
        ),
        "popolo" => starter!("popolo":
            "site.toml",
            "data/README.md",
            "data/vote_events.csv",
            "data/votes.csv",
            "data/voters.csv",
            "content/pages/o-webu.md",
        ),
        _ => return None,
    })
}

/// Writes the starter site of `format` into `dir`, which must be missing
/// or empty; returns the files written.
pub fn init(dir: &Path, format: &str) -> Result<Vec<PathBuf>> {
    let files = starter(format).ok_or_else(|| {
        Error::Config(format!(
            "there is no starter for the format {format:?}; choose one of {}",
            FORMATS.join(", ")
        ))
    })?;
    refuse_non_empty(dir)?;
    let mut written = Vec::new();
    for (path, text) in files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .doing(|| format!("cannot create the folder {}", parent.display()))?;
        }
        std::fs::write(&target, text).doing(|| format!("cannot write {}", target.display()))?;
        written.push(target);
    }
    Ok(written)
}

/// A new site never mixes with files already there.
fn refuse_non_empty(dir: &Path) -> Result<()> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Error::Config(format!(
                    "{} is not empty, and init writes only into a new or empty folder so that \
                     it overwrites nothing; name a new folder",
                    dir.display()
                )));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => Err(Error::Config(format!(
            "{} is a file, not a folder; name a new folder for the site",
            dir.display()
        ))),
        Err(e) => Err(e).doing(|| format!("cannot read the folder {}", dir.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_a_site_toml_that_names_it() {
        for format in FORMATS {
            let files = starter(format).unwrap();
            let (_, config) = files.iter().find(|(p, _)| *p == "site.toml").unwrap();
            assert!(
                config.contains(&format!("format = \"{format}\"")),
                "{format}"
            );
        }
        assert!(starter("ar-json").is_none());
    }
}
