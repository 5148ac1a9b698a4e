//! `cargo xtask`: the project's build and test automation, written in Rust so that it runs
//! anywhere cargo does and needs no Makefile, shell glue or globally installed tools.
//!
//! * `cargo xtask site [--out DIR]` builds the WASM quiz module and the static site.
//! * `cargo xtask test` runs every check and test, native and in headless Chromium.
//! * `cargo xtask fuzz [--seconds N] [TARGET...]` runs the fuzz targets, each for a bounded time.
//! * `cargo xtask size` weighs the WASM module and what each crate costs in it.
//! * `cargo xtask bench [--quick]` writes BENCHMARKS.md (hemiciclo against Hugo, and more);
//!   `cargo xtask bench engine` benchmarks the quiz engine natively and in headless Chromium.

mod axe;
mod bench;
mod fuzz;
mod report;
mod site;
mod size;
mod system;
mod test;
mod wasm;

use anyhow::{bail, Context, Result};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use xtask::synth;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  site [--out DIR]   build the WASM module and the static site into DIR (default: <workspace>/public)
  test               run fmt, clippy, native tests, WASM tests in Chromium, the end-to-end tests
                     and each fuzz target briefly
  fuzz [--seconds N] [TARGET...]
                     run the fuzz targets (all by default) for N seconds each (default 60)
  size               the WASM module's size, raw and gzipped, and what each crate costs (twiggy)
  bench [--quick]    write BENCHMARKS.md: hemiciclo against Hugo, rebuilds, the first question, the engine
  bench engine       benchmark the quiz engine natively (criterion) and in WASM in Chromium
  synth N DIR [--parties P]
                     write a site of N synthetic proposals into DIR (DIR/hugo: the same for Hugo),
                     voted by P parties (default 9)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["site"] => site::build(&root().join("public")).map(drop),
        ["site", "--out", dir] => site::build(&absolute(dir)).map(drop),
        ["test"] => test::all(),
        ["fuzz", args @ ..] => fuzz::command(args),
        ["size"] => size::report(),
        ["bench", args @ ..] => report::all(args),
        ["synth", n, dir] => synth_site(n, dir, None),
        ["synth", n, dir, "--parties", p] => synth_site(n, dir, Some(p)),
        ["help" | "-h" | "--help"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn synth_site(n: &str, dir: &str, parties: Option<&str>) -> Result<()> {
    let n: usize = n
        .parse()
        .with_context(|| format!("N is a number of proposals, not {n:?}"))?;
    let parties = synth::parties(party_count(parties)?);
    let dir = absolute(dir);
    synth::write_site(&dir, n, &parties, 1)?;
    synth::hugo_site(&dir.join("hugo"), n, &parties, 1)?;
    println!(
        "wrote {n} synthetic proposals of {} parties into {}",
        parties.len(),
        dir.display()
    );
    Ok(())
}

/// `--parties P`: a number of parties, at least one; the default without.
pub(crate) fn party_count(p: Option<&str>) -> Result<usize> {
    let Some(p) = p else {
        return Ok(synth::DEFAULT_PARTIES);
    };
    match p.parse::<usize>() {
        Ok(count) if count > 0 => Ok(count),
        _ => bail!("--parties: {p:?} is not a number of parties (1 or more)"),
    }
}

/// The workspace root: xtask lives one level below it.
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent directory")
        .to_path_buf()
}

/// Cargo's target directory, honouring `CARGO_TARGET_DIR` like cargo itself does.
pub(crate) fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => absolute(Path::new(&dir)),
        None => root().join("target"),
    }
}

/// Paths given on the command line are relative to where the user ran cargo, which is
/// our working directory (`cargo run` does not change it).
fn absolute(path: impl AsRef<Path>) -> PathBuf {
    std::env::current_dir()
        .map(|cwd| cwd.join(path.as_ref()))
        .unwrap_or_else(|_| path.as_ref().to_path_buf())
}

/// A `cargo` command run from the workspace root, using the same cargo that runs us.
pub(crate) fn cargo<I, S>(args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.args(args).current_dir(root());
    cmd
}

/// Runs a command with inherited stdio, echoing it first; a non-zero exit is an error.
pub(crate) fn run(cmd: &mut Command) -> Result<()> {
    let line = describe(cmd);
    println!("$ {line}");
    let status = cmd
        .status()
        .with_context(|| format!("could not start `{line}`"))?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(())
}

/// The command line as a human would type it (environment overrides first).
fn describe(cmd: &Command) -> String {
    let envs = cmd
        .get_envs()
        .filter_map(|(k, v)| v.map(|v| format!("{}={}", k.to_string_lossy(), v.to_string_lossy())));
    let program = Path::new(cmd.get_program())
        .file_name()
        .unwrap_or(cmd.get_program())
        .to_string_lossy()
        .into_owned();
    let args = cmd.get_args().map(|a| a.to_string_lossy().into_owned());
    envs.chain([program])
        .chain(args)
        .collect::<Vec<_>>()
        .join(" ")
}
