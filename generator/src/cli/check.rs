//! `hemiciclo check`: renders the site in memory exactly as a build does,
//! then reports what is wrong with it — content or templates the render
//! refuses, broken links and anchors, pages over the size budget — without
//! publishing anything. The verdict on the files is [`crate::site::check`];
//! this part runs the render and turns its refusals into problems.

use crate::config::{host_and_path, Site};
use crate::error::{Error, Result, NO_QUIZ_CARDS};
use crate::site::check::{self, Problem, Setting};
use crate::site::{self, BuildOptions, WASM_FILES};

/// What `check` found, and what the operator should know besides.
#[derive(Debug, Default)]
pub struct Outcome {
    pub report: check::Report,
    /// Warnings of the ingest (a source that shrank) and of the render (no
    /// quiz card).
    pub warnings: Vec<String>,
    /// Records the pipeline put aside (0 when the render failed).
    pub quarantined: usize,
}

/// Renders the site of `options` (whose `out` is never touched) and checks
/// it. A render refused for a reason of the site's own making (content
/// naming an unknown proposal, a template that fails, `--strict` and a
/// quarantined record or no quiz card) is a problem of the outcome; any
/// other failure (a source that cannot be read, a bad `site.toml`) is an
/// error, as in a build.
pub fn run(options: &BuildOptions) -> Result<Outcome> {
    let (output, build) = match site::render(options) {
        Ok(rendered) => rendered,
        Err(error) => {
            let problems = refusal(error)?;
            return Ok(Outcome {
                report: check::Report {
                    problems,
                    ..check::Report::default()
                },
                ..Outcome::default()
            });
        }
    };
    let site = Site::load_env(
        &options.config,
        options.config_explicit,
        options.env.as_deref(),
    )?;
    let site_path = site
        .base_url()?
        .and_then(|url| host_and_path(&url).map(|(_, path)| path.to_owned()))
        .unwrap_or_else(|| "/".to_owned());
    // Without the quiz module the pages still link it: it arrives at build.
    let module: Vec<String> = match options.wasm {
        Some(_) => Vec::new(),
        None => WASM_FILES
            .iter()
            .map(|name| format!("pkg/{name}"))
            .collect(),
    };
    let held = output.into_files();
    let files: Vec<(&str, &[u8])> = held
        .iter()
        .map(|(path, bytes)| (path.as_str(), bytes.as_slice()))
        .collect();
    let report = check::check(
        &files,
        &Setting {
            site_path: &site_path,
            present_later: &module,
        },
    );
    Ok(Outcome {
        report,
        warnings: build
            .ingest
            .warnings
            .iter()
            .chain(&build.warnings)
            .cloned()
            .collect(),
        quarantined: build.ingest.quarantine.len(),
    })
}

/// The problems a refused render stands for, or the error itself when it
/// is not one the site's files can fix.
fn refusal(error: Error) -> Result<Vec<Problem>> {
    let mut problems: Vec<Problem> = match error {
        // One line per file: `Content::check` names every unknown id.
        Error::Content(message) => message.lines().map(|l| Problem::new("", l)).collect(),
        Error::Template { .. } => vec![Problem::new("", error.chain_text())],
        Error::Strict { quarantine } => quarantine
            .iter()
            .map(|q| Problem::new("", format!("{q} (quarantined; --strict)")))
            .collect(),
        Error::NoQuizCards => vec![Problem::new("", format!("{NO_QUIZ_CARDS} (--strict)"))],
        other => return Err(other),
    };
    problems.sort();
    Ok(problems)
}
