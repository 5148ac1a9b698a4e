//! The `hemiciclo` command line.
//!
//! Exit codes: 0 success, 1 an error (the message says what, where and
//! what to do), 2 a usage error.

use clap::{Parser, Subcommand};
use hemiciclo::pipeline;
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
    /// Read the data, render every page and the quiz bundle, publish to the output folder.
    Build {
        /// Site configuration; its folder holds the site's data/, templates/ and static/.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Output folder, replaced as a whole when the build succeeds.
        #[arg(long, value_name = "DIR", default_value = "public")]
        out: PathBuf,
        /// Folder with the built quiz module (hemiciclo_web.js and hemiciclo_web_bg.wasm).
        #[arg(long, value_name = "DIR", env = "HEMICICLO_WASM_DIR")]
        wasm: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build { config, out, wasm } => build(config, out, wasm),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(1)
        }
    }
}

fn build(config: Option<PathBuf>, out: PathBuf, wasm: Option<PathBuf>) -> anyhow::Result<()> {
    if wasm.is_none() {
        eprintln!(
            "warning: no --wasm folder given, so the site's quiz will not run; \
             `cargo xtask site` builds the module and passes it"
        );
    }
    let options = pipeline::BuildOptions {
        config_explicit: config.is_some(),
        config: config.unwrap_or_else(|| PathBuf::from("site.toml")),
        out,
        wasm,
    };
    let report = pipeline::build(&options)?;
    println!(
        "built {} proposals ({} quiz cards) into {}: {} files, {:.1} MB in {:.2} s",
        report.proposals,
        report.cards,
        options.out.display(),
        report.files,
        report.bytes as f64 / 1e6,
        report.elapsed.as_secs_f64()
    );
    Ok(())
}
