//! `hemiciclo build`: load the site, ingest its data, render the pages
//! ([`render`]) and the quiz bundle ([`bundle`]), publish ([`output`]).
//!
//! Everything is produced in memory first; the output folder is touched
//! only by the final publish, so any error leaves the last site in place.

pub mod bundle;
pub mod output;
pub mod render;

use crate::config::Site;
use crate::error::{Error, IoContext, Result};
use crate::ingest::{self, IngestOptions, IngestReport};
use hemiciclo_core::bundle::{BUNDLE_DIR, MANIFEST_FILE};
use hemiciclo_core::Manifest;
use output::Output;
use render::{LegislatureLink, SiteView};
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
    pub elapsed: Duration,
    pub ingest: IngestReport,
    /// What the operator should know though the build succeeded.
    pub warnings: Vec<String>,
}

pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    let site = Site::load(&options.config, options.config_explicit)?;
    let (dataset, report) = ingest::ingest(&site, &options.ingest)?;
    if dataset.proposals.is_empty() {
        return Err(Error::NoProposals {
            quarantined: report.quarantine.clone(),
        });
    }
    let tera = render::load_templates(&site.dir)?;

    let mut output = Output::default();
    render::add_static_files(&site.dir, &mut output)?;
    if let Some(wasm) = &options.wasm {
        add_wasm(wasm, &mut output)?;
    }
    for (path, bytes) in bundle::files(&dataset, &site.config.party_names) {
        output.add(path, bytes);
    }
    let manifest = output
        .get(&format!("{BUNDLE_DIR}/{MANIFEST_FILE}"))
        .map(|bytes| Manifest::from_json(&String::from_utf8_lossy(bytes)))
        .expect("the bundle always has a manifest")
        .map_err(|source| Error::Bundle {
            context: "the bundle just written does not read back".into(),
            source,
        })?;
    let mut warnings = Vec::new();
    if manifest.card_count == 0 {
        if options.ingest.strict {
            return Err(Error::NoQuizCards);
        }
        warnings.push(crate::error::NO_QUIZ_CARDS.to_owned());
    }

    let view = SiteView {
        title: site.config.title.clone(),
        description: site.config.description.clone(),
        legislatures: dataset
            .by_legislature()
            .iter()
            .map(|(name, _)| LegislatureLink::new(name))
            .collect(),
    };
    render::render_pages(&tera, &view, &dataset, &manifest, &mut output)?;
    render::render_status(&tera, &view, &report, &mut output)?;
    output.publish(&options.out)?;

    Ok(BuildReport {
        proposals: dataset.proposals.len(),
        cards: manifest.card_count,
        files: output.file_count(),
        bytes: output.total_bytes(),
        elapsed: started.elapsed(),
        ingest: report,
        warnings,
    })
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
        output.add(format!("pkg/{name}"), bytes);
    }
    Ok(())
}
