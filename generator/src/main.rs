//! The `hemiciclo` command line.
//!
//! Exit codes: 0 success, 1 an error (the message says what, where and
//! what to do), 2 a usage error.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use hemiciclo::cli::{audit, check as site_check, init, serve, simulate};
use hemiciclo::config::Site;
use hemiciclo::ingest::{self, IngestOptions};
use hemiciclo::site::{self as site_build, BuildOptions};
use hemiciclo::terminal;
use hemiciclo_core::affinity::Rule;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "hemiciclo",
    version,
    about = "Builds a static voting-advice site from parliamentary votes."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build, serve the site on 127.0.0.1, rebuild when its files change and reload the page.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        pipeline: PipelineArgs,
        /// The port (0: any free one; the address is printed).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Serve under this sub-path, as GitHub project pages do (`/hemiciclo/`).
        #[arg(long, value_name = "PATH", default_value = "/", value_parser = serve::normalize_base_path)]
        base_path: String,
        /// Where the served build goes (default: serve/ in the work folder).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Folder with the built quiz module (hemiciclo_web.js and hemiciclo_web_bg.wasm).
        #[arg(long, value_name = "DIR", env = "HEMICICLO_WASM_DIR")]
        wasm: Option<PathBuf>,
    },
    /// Ingest the data as needed, render every page and the quiz bundle, publish.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        pipeline: PipelineArgs,
        /// Output folder, replaced as a whole when the build succeeds.
        #[arg(long, value_name = "DIR", default_value = "public")]
        out: PathBuf,
        /// Folder with the built quiz module (hemiciclo_web.js and hemiciclo_web_bg.wasm).
        #[arg(long, value_name = "DIR", env = "HEMICICLO_WASM_DIR")]
        wasm: Option<PathBuf>,
    },
    /// Run the data pipeline only: fetch, parse, merge, enrich, snapshot.
    Ingest {
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        pipeline: PipelineArgs,
    },
    /// Draw the deck of a seed on a built site, score the answers as the browser does.
    Quiz {
        /// The deck's seed (the number in the quiz's "Baralho n.º").
        #[arg(long)]
        seed: u64,
        /// One answer per card: letters F, A, N, S (for, against, abstain, skip), `!` after
        /// one that matters most; or words: for,against,abstain,skip.
        #[arg(long, value_name = "LIST")]
        answers: String,
        /// Draw among the cards of these legislatures only (repeat, or separate by commas),
        /// as the page does with `?legislatura=XV`.
        #[arg(long, value_name = "NAME", value_delimiter = ',')]
        legislature: Vec<String>,
        /// A curated deck: these proposal ids, in this order (comma-separated), as the page
        /// does with `?propostas=ID,ID,...`.
        #[arg(
            long,
            value_name = "IDS",
            value_delimiter = ',',
            conflicts_with = "legislature"
        )]
        proposals: Vec<String>,
        #[command(flatten)]
        audit: AuditArgs,
    },
    /// Recompute the result a share link stands for.
    Explain {
        /// The results link, or just the code after its `#`.
        link: String,
        #[command(flatten)]
        audit: AuditArgs,
    },
    /// Check the quiz's verdicts: citizens who vote like each seated party play the site's
    /// quiz, and how often they are told the truth is counted.
    Simulate {
        /// Citizens per party.
        #[arg(long, default_value_t = 200)]
        runs: u32,
        /// Chance that a citizen answers as their party voted (else at random).
        #[arg(long, default_value_t = 0.85)]
        fidelity: f64,
        /// Seeds every deck and answer.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Continue decks up to this many cards at most (default: the page's cap; 10: never
        /// continue, as a baseline).
        #[arg(long, value_name = "CARDS")]
        cap: Option<usize>,
        /// Print JSON: a list of {party, runs, mean_cards, clear_correct, clear_wrong,
        /// undecided}, the last three as fractions.
        #[arg(long)]
        json: bool,
        /// The built site whose quiz data to use.
        #[arg(long, value_name = "DIR", default_value = "public")]
        site: PathBuf,
    },
    /// Render the site in memory and report broken links and anchors, pages over the size
    /// budget, and content or templates that fail; publishes nothing. Exit 1 on any problem.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Fail on any quarantined record, a source that shrinks, and when the site gives no quiz
        /// card.
        #[arg(long)]
        strict: bool,
        /// The pipeline's work folder (default: .hemiciclo in the site folder).
        #[arg(long, value_name = "DIR")]
        work_dir: Option<PathBuf>,
        /// Folder with the built quiz module; without it, links to pkg/ are taken as found.
        #[arg(long, value_name = "DIR", env = "HEMICICLO_WASM_DIR")]
        wasm: Option<PathBuf>,
    },
    /// Write a new site for another institution: a commented site.toml, sample data in the
    /// chosen format and an example content page, ready to build.
    Init {
        /// The new site's folder: missing or empty.
        dir: PathBuf,
        /// The sample data's format.
        #[arg(long, default_value = "ar-csv", value_parser = init::FORMATS)]
        format: String,
    },
    /// Show what the last ingest did: stages, snapshots, counts, quarantine, timings.
    Status {
        #[command(flatten)]
        site: SiteArgs,
        /// The pipeline's work folder (default: .hemiciclo in the site folder).
        #[arg(long, value_name = "DIR")]
        work_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
struct AuditArgs {
    /// The scoring rule.
    #[arg(long, default_value = "default", value_parser = rule_names())]
    rule: Rule,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    /// The built site whose quiz data to use.
    #[arg(long, value_name = "DIR", default_value = "public")]
    site: PathBuf,
}

impl AuditArgs {
    fn print(&self, audit: &audit::Audit) -> anyhow::Result<()> {
        if self.json {
            println!("{}", terminal::json(&serde_json::to_string_pretty(&audit)?));
        } else {
            print!("{}", terminal::text(&audit::render_text(audit)));
        }
        Ok(())
    }
}

/// `--rule`: a name of [`Rule::name`]'s, or a usage error listing them.
fn rule_names() -> impl TypedValueParser<Value = Rule> {
    PossibleValuesParser::new(Rule::ALL.map(Rule::name)).try_map(|name| Rule::parse(&name))
}

#[derive(Debug, Args)]
struct SiteArgs {
    /// Site configuration; its folder holds the site's data/, templates/ and static/.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Use the keys of site.toml's [env.NAME] in place of the top-level ones
    /// (base-url for staging or production, for example).
    #[arg(long, value_name = "NAME", env = "HEMICICLO_ENV")]
    env: Option<String>,
}

#[derive(Debug, Args)]
struct PipelineArgs {
    /// Fail when any record is quarantined, a source shrinks (see shrink-warning-percent in
    /// site.toml) or the site gives no quiz card.
    #[arg(long)]
    strict: bool,
    /// Log each stage's timing.
    #[arg(long, short)]
    verbose: bool,
    /// The pipeline's work folder (default: .hemiciclo in the site folder).
    #[arg(long, value_name = "DIR")]
    work_dir: Option<PathBuf>,
}

impl SiteArgs {
    fn load(&self) -> anyhow::Result<Site> {
        Ok(Site::load_env(
            self.path().as_path(),
            self.config.is_some(),
            self.env.as_deref(),
        )?)
    }

    fn build_options(
        &self,
        out: PathBuf,
        wasm: Option<PathBuf>,
        ingest: IngestOptions,
    ) -> BuildOptions {
        BuildOptions {
            config_explicit: self.config.is_some(),
            env: self.env.clone(),
            config: self.path(),
            out,
            wasm,
            ingest,
        }
    }

    fn path(&self) -> PathBuf {
        self.config
            .clone()
            .unwrap_or_else(|| PathBuf::from("site.toml"))
    }
}

impl PipelineArgs {
    fn options(&self) -> IngestOptions {
        IngestOptions {
            strict: self.strict,
            verbose: self.verbose,
            work_dir: self.work_dir.clone(),
            ..IngestOptions::default()
        }
    }
}

/// `println!` of a text made safe for a terminal: whatever of the data it
/// quotes (an id, a title, a file's content in an error) is printed with
/// its control and bidi characters escaped ([`terminal::text`]).
macro_rules! say {
    ($($arg:tt)*) => {
        println!("{}", terminal::text(&format!($($arg)*)))
    };
}

/// `eprintln!` of a text made safe for a terminal, as [`say!`].
macro_rules! tell {
    ($($arg:tt)*) => {
        eprintln!("{}", terminal::text(&format!($($arg)*)))
    };
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            site,
            pipeline,
            out,
            wasm,
        } => build(&site, &pipeline, out, wasm),
        Command::Ingest { site, pipeline } => run_ingest(&site, &pipeline),
        Command::Serve {
            site,
            pipeline,
            port,
            base_path,
            out,
            wasm,
        } => run_serve(&site, &pipeline, port, base_path, out, wasm),
        Command::Status { site, work_dir } => status(&site, work_dir),
        Command::Check {
            site,
            strict,
            work_dir,
            wasm,
        } => check(&site, strict, work_dir, wasm),
        Command::Init { dir, format } => run_init(&dir, &format),
        Command::Quiz {
            seed,
            answers,
            legislature,
            proposals,
            audit,
        } => {
            let deck = audit::DeckChoice {
                legislatures: legislature,
                proposals,
            };
            quiz(&audit, seed, &answers, &deck)
        }
        Command::Explain { link, audit } => explain(&audit, &link),
        Command::Simulate {
            runs,
            fidelity,
            seed,
            cap,
            json,
            site,
        } => simulate(
            &site,
            simulate::Options {
                runs,
                fidelity,
                seed,
                cap,
            },
            json,
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tell!("error: {error}");
            for cause in error.chain().skip(1) {
                tell!("  caused by: {cause}");
            }
            ExitCode::from(1)
        }
    }
}

fn build(
    site: &SiteArgs,
    pipeline_args: &PipelineArgs,
    out: PathBuf,
    wasm: Option<PathBuf>,
) -> anyhow::Result<()> {
    if wasm.is_none() {
        tell!(
            "warning: no --wasm folder given, so the site's quiz will not run; \
             `cargo xtask site` builds the module and passes it"
        );
    }
    let options = site.build_options(out, wasm, pipeline_args.options());
    let report = site_build::build(&options)?;
    warn_about_quarantine(report.ingest.quarantine.len());
    for warning in report.ingest.warnings.iter().chain(&report.warnings) {
        tell!("warning: {warning} (--strict makes this an error)");
    }
    say!(
        "built {} proposals ({} quiz cards) into {}: {} files, {:.1} MB in {:.2} s \
         ({} written, {} unchanged)",
        report.proposals,
        report.cards,
        options.out.display(),
        report.files,
        report.bytes as f64 / 1e6,
        report.elapsed.as_secs_f64(),
        report.written.written,
        report.written.unchanged
    );
    Ok(())
}

fn check(
    site: &SiteArgs,
    strict: bool,
    work_dir: Option<PathBuf>,
    wasm: Option<PathBuf>,
) -> anyhow::Result<()> {
    if wasm.is_none() {
        tell!(
            "warning: no --wasm folder given, so links to the quiz module (pkg/) are not checked"
        );
    }
    let options = site.build_options(
        // Never written: check renders in memory only.
        PathBuf::new(),
        wasm,
        IngestOptions {
            strict,
            work_dir,
            look_only: true,
            ..IngestOptions::default()
        },
    );
    let outcome = site_check::run(&options)?;
    warn_about_quarantine(outcome.quarantined);
    for warning in &outcome.warnings {
        tell!("warning: {warning} (--strict makes this an error)");
    }
    let report = &outcome.report;
    for problem in &report.problems {
        say!("{problem}");
    }
    match report.problems.len() {
        0 => {
            say!(
                "checked {} pages, {} links: no problems",
                report.pages,
                report.links
            );
            Ok(())
        }
        1 => anyhow::bail!("check found 1 problem; nothing was written"),
        n => anyhow::bail!("check found {n} problems; nothing was written"),
    }
}

fn run_init(dir: &std::path::Path, format: &str) -> anyhow::Result<()> {
    let created = init::init(dir, format)?;
    say!("created a new site in {}:", dir.display());
    for path in &created {
        say!("  {}", path.display());
    }
    let config = dir.join("site.toml");
    say!(
        "next: edit {} for your institution, then run
  hemiciclo build --config {} --out {}",
        config.display(),
        config.display(),
        dir.join("public").display()
    );
    Ok(())
}

fn run_serve(
    site: &SiteArgs,
    pipeline_args: &PipelineArgs,
    port: u16,
    base_path: String,
    out: Option<PathBuf>,
    wasm: Option<PathBuf>,
) -> anyhow::Result<()> {
    let loaded = site.load()?;
    let work = pipeline_args
        .work_dir
        .clone()
        .unwrap_or_else(|| loaded.work_dir());
    let out = out.unwrap_or_else(|| work.join("serve"));
    serve::refuse_output_in_watched(&loaded.dir, &out)?;
    serve::refuse_output_in_watched(&loaded.dir, &work)?;
    if wasm.is_none() {
        tell!(
            "warning: no --wasm folder given, so the site's quiz will not run; \
             `cargo xtask site` builds the module into target/wasm-pkg"
        );
    }
    serve::serve(serve::ServeOptions {
        build: site.build_options(
            out,
            wasm,
            IngestOptions {
                look_only: true,
                ..pipeline_args.options()
            },
        ),
        port,
        base_path,
    })?;
    Ok(())
}

fn run_ingest(site: &SiteArgs, pipeline_args: &PipelineArgs) -> anyhow::Result<()> {
    let (_, report) = ingest::ingest(&site.load()?, &pipeline_args.options())?;
    warn_about_quarantine(report.quarantine.len());
    for warning in &report.warnings {
        tell!("warning: {warning} (--strict makes this an error)");
    }
    let ran = report.stages.iter().filter(|s| s.ran).count();
    say!(
        "snapshot {}: {} proposals, {} votes; {ran} of {} stages ran, in {} ms",
        report.snapshot,
        report.proposals,
        report.votes,
        report.stages.len(),
        report.millis
    );
    Ok(())
}

fn status(site: &SiteArgs, work_dir: Option<PathBuf>) -> anyhow::Result<()> {
    let site = site.load()?;
    let work = work_dir.unwrap_or_else(|| site.work_dir());
    let Some(report) = ingest::last_report(&work) else {
        anyhow::bail!(
            "no ingest has run in {} yet; run `hemiciclo ingest` or `hemiciclo build`",
            work.display()
        );
    };
    let text = hemiciclo::cli::status::render_text(&report, &ingest::snapshot_ids(&work));
    print!("{}", terminal::text(&text));
    Ok(())
}

fn quiz(
    args: &AuditArgs,
    seed: u64,
    answers: &str,
    deck: &audit::DeckChoice,
) -> anyhow::Result<()> {
    let responses = audit::parse_answers(answers)?;
    let result = audit::quiz(&args.site, seed, deck, &responses, args.rule)?;
    args.print(&result)
}

fn explain(args: &AuditArgs, link: &str) -> anyhow::Result<()> {
    let result = audit::explain(&args.site, link, args.rule)?;
    args.print(&result)
}

fn simulate(site: &std::path::Path, options: simulate::Options, json: bool) -> anyhow::Result<()> {
    if !(0.0..=1.0).contains(&options.fidelity) {
        anyhow::bail!(
            "--fidelity is a chance between 0 and 1, not {}",
            options.fidelity
        );
    }
    let (outcomes, cap) = simulate::simulate(site, options)?;
    if json {
        println!(
            "{}",
            terminal::json(&serde_json::to_string_pretty(&outcomes)?)
        );
    } else {
        print!(
            "{}",
            terminal::text(&simulate::render_text(&outcomes, cap, options))
        );
    }
    Ok(())
}

fn warn_about_quarantine(count: usize) {
    if count > 0 {
        tell!(
            "warning: {count} records were quarantined and left out; `hemiciclo status` lists \
             them, and --strict makes this an error"
        );
    }
}
