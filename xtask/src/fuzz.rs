//! `cargo xtask fuzz [--seconds N] [TARGET...]`: every fuzz target of `fuzz/` for a bounded
//! time, seeded from the repository's real samples.
//!
//! The targets (`fuzz/fuzz_targets/`) feed arbitrary bytes to each decoder of outside input.
//! They are built once with cargo-fuzz (installed if missing) on stable Rust: `--sanitizer none`
//! needs no nightly flag, and AddressSanitizer has little to find in a workspace that forbids
//! `unsafe`. Each then runs for `--seconds` (libFuzzer's `-max_total_time`) on a corpus that
//! starts from the samples below, `fuzz/seeds/<target>/` and the inputs kept in
//! `fuzz/regressions/<target>/`, and grows in `target/fuzz/corpus/<target>/` from one run to
//! the next; as many targets run at once as there are cores. Any crash, panic, failed check or slow input fails the run, after every target has
//! had its turn; the input is saved in `fuzz/artifacts/<target>/` and the message says how to
//! replay it and keep it as a regression test.

use crate::{root, run, target_dir};
use anyhow::{bail, Context, Result};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Seconds per target when none are given.
pub(crate) const DEFAULT_SECONDS: u64 = 60;

/// An input that takes longer than this is a failure (a hang, or work quadratic in the input).
const TIMEOUT_SECONDS: u64 = 10;

/// The cargo-fuzz installed when it is missing; any other version on PATH is used as it is.
const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// Where a seed comes from, relative to the repository's root.
enum Seed {
    /// A file, or every file of a folder.
    Path(&'static str),
    /// The first lines of a file: a large table's header and some rows.
    Head(&'static str, usize),
    /// The first lines of several files, joined by a NUL byte (the Popolo target's input).
    Joined(&'static [(&'static str, usize)]),
    /// Every string value of the named fields in the JSON files of a folder.
    JsonStrings(&'static str, &'static [&'static str]),
}

/// Each target with the real samples it starts from: a few KB each, since a large input is
/// slow to run and to mutate.
const TARGETS: &[(&str, &[Seed])] = &[
    (
        "detalhe",
        &[Seed::JsonStrings(
            "tests/fixtures/ar-official",
            &["detalhe", "ausencias"],
        )],
    ),
    (
        "ar_csv",
        &[
            Seed::Path("generator/tests/fixtures/golden/data/ar-votes"),
            Seed::Head("generator/assets/init/ar-csv/data/votes.csv", 12),
            Seed::Head("data/ar-votes/l14.csv", 6),
            Seed::Head("data/ar-votes/l15.csv", 6),
            Seed::Head("data/ar-votes/l17.csv", 6),
        ],
    ),
    ("ar_json", &[Seed::Path("tests/fixtures/ar-official")]),
    (
        "table",
        &[
            Seed::Path("generator/tests/fixtures/table/stadtrat.csv"),
            Seed::Path("generator/tests/fixtures/ep/plenary.csv"),
            Seed::Path("generator/assets/init/table/data/stadtrat.csv"),
        ],
    ),
    (
        "popolo",
        &[
            Seed::Joined(&[
                ("generator/assets/init/popolo/data/vote_events.csv", 4),
                ("generator/assets/init/popolo/data/votes.csv", 200),
                ("generator/assets/init/popolo/data/voters.csv", 1000),
            ]),
            Seed::Joined(&[
                ("examples/praha/data/vote_events.csv", 4),
                ("examples/praha/data/votes.csv", 60),
                ("examples/praha/data/voters.csv", 1000),
            ]),
        ],
    ),
    (
        "site_toml",
        &[
            Seed::Path("site.toml"),
            Seed::Path("examples/praha/site.toml"),
            Seed::Path("generator/tests/fixtures/golden/site.toml"),
            Seed::Path("generator/tests/fixtures/table/site.toml"),
            Seed::Path("generator/tests/fixtures/ep/site.toml"),
            Seed::Path("generator/assets/init/ar-csv/site.toml"),
            Seed::Path("generator/assets/init/table/site.toml"),
            Seed::Path("generator/assets/init/popolo/site.toml"),
        ],
    ),
    (
        "front_matter",
        &[
            Seed::Path("content/pages"),
            Seed::Path("content/decks"),
            Seed::Path("content/proposals"),
            Seed::Path("generator/tests/fixtures/golden/content/decks"),
            Seed::Path("generator/tests/fixtures/golden/content/pages"),
            Seed::Path("generator/tests/fixtures/golden/content/proposals"),
            Seed::Path("generator/assets/init/ar-csv/content/pages"),
            Seed::Path("generator/assets/init/table/content/pages"),
            Seed::Path("generator/assets/init/popolo/content/pages"),
        ],
    ),
    // Also the bundle of the site `cargo xtask test` built, when there is one: see `seed`.
    ("bundle", &[]),
    ("share_decode", &[]),
];

/// `cargo xtask fuzz`'s arguments: `[--seconds N] [TARGET...]`.
pub(crate) fn command(args: &[&str]) -> Result<()> {
    let mut seconds = DEFAULT_SECONDS;
    let mut names = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--seconds" => {
                let value = args.next().context("--seconds needs a number")?;
                seconds = value
                    .parse()
                    .with_context(|| format!("--seconds takes a number, not {value:?}"))?;
            }
            name => names.push(name),
        }
    }
    all(seconds, &names)
}

/// Builds the targets named (every one when none is) and runs each for `seconds`.
pub(crate) fn all(seconds: u64, names: &[&str]) -> Result<()> {
    for name in names {
        if !TARGETS.iter().any(|(target, _)| target == name) {
            let known: Vec<&str> = TARGETS.iter().map(|(name, _)| *name).collect();
            bail!(
                "no fuzz target {name:?}; the targets are {}",
                known.join(", ")
            );
        }
    }
    let targets: Vec<&(&str, &[Seed])> = TARGETS
        .iter()
        .filter(|(name, _)| names.is_empty() || names.contains(name))
        .collect();
    ensure_cargo_fuzz()?;
    let host = host_triple()?;
    let dir = target_dir().join("fuzz");
    let mut build = cargo_fuzz(&dir);
    build.args(["build", "--sanitizer", "none", "--target", &host]);
    if names.len() == 1 {
        build.arg(names[0]);
    }
    run(&mut build)?;

    // One target per core at a time: each libFuzzer process runs on one.
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut failed = Vec::new();
    for wave in targets.chunks(jobs) {
        let reports: Vec<Result<(bool, String)>> = std::thread::scope(|scope| {
            let running: Vec<_> = wave
                .iter()
                .map(|(name, seeds)| {
                    let (dir, host) = (&dir, &host);
                    scope.spawn(move || run_target(name, seeds, dir, host, seconds))
                })
                .collect();
            running
                .into_iter()
                .map(|thread| thread.join().expect("a fuzz run's thread does not panic"))
                .collect()
        });
        for ((name, _), report) in wave.iter().zip(reports) {
            let (passed, report) = report?;
            print!("{report}");
            if !passed {
                failed.push(*name);
            }
        }
    }
    if !failed.is_empty() {
        bail!("fuzz targets failed: {}", failed.join(", "));
    }
    Ok(())
}

/// Runs the built target `name` for `seconds`; whether it passed, and what to print.
fn run_target(
    name: &str,
    seeds: &[Seed],
    dir: &Path,
    host: &str,
    seconds: u64,
) -> Result<(bool, String)> {
    use std::fmt::Write;
    let started = Instant::now();
    let binary = dir.join(host).join("release").join(name);
    let corpus = dir.join("corpus").join(name);
    let seeded = dir.join("seeds").join(name);
    fs::create_dir_all(&corpus)?;
    let count = seed(name, seeds, &seeded)?;
    let artifacts = root().join("fuzz").join("artifacts").join(name);
    fs::create_dir_all(&artifacts)?;
    let before = listing(&artifacts)?;
    let log = dir.join("logs").join(format!("{name}.log"));
    fs::create_dir_all(log.parent().expect("a log has a folder"))?;
    let status = Command::new(&binary)
        .arg(&corpus)
        .arg(&seeded)
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-timeout={TIMEOUT_SECONDS}"))
        .arg(format!("-artifact_prefix={}/", artifacts.display()))
        .current_dir(root())
        .stdout(Stdio::from(fs::File::create(&log)?))
        .stderr(Stdio::from(fs::File::options().append(true).open(&log)?))
        .status()
        .with_context(|| format!("could not start {}", binary.display()))?;
    let text = fs::read_to_string(&log).unwrap_or_default();
    let mut report = String::new();
    if status.success() {
        let done = text
            .lines()
            .rev()
            .find(|line| line.starts_with("Done "))
            .unwrap_or("done");
        writeln!(
            report,
            "fuzz {name}: {done} from {count} seeds, no crash ({:.0?}; log {})",
            started.elapsed(),
            log.display()
        )?;
        return Ok((true, report));
    }
    let lines: Vec<&str> = text.lines().collect();
    writeln!(
        report,
        "fuzz {name}: FAILED ({status}); the end of {}:",
        log.display()
    )?;
    for line in &lines[lines.len().saturating_sub(40)..] {
        writeln!(report, "    {line}")?;
    }
    for input in listing(&artifacts)?
        .into_iter()
        .filter(|path| !before.contains(path))
    {
        writeln!(
            report,
            "the input is saved in {}\n  replay it:  cargo fuzz run --sanitizer none {name} {}\n  \
             once fixed, keep it as a regression test: copy it into fuzz/regressions/{name}/",
            input.display(),
            input.display()
        )?;
    }
    Ok((false, report))
}

/// Installs cargo-fuzz unless `cargo fuzz` already runs.
fn ensure_cargo_fuzz() -> Result<()> {
    let present = Command::new(cargo_program())
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if present {
        return Ok(());
    }
    println!("cargo-fuzz is missing; installing it");
    run(Command::new(cargo_program()).args([
        "install",
        "cargo-fuzz",
        "--locked",
        "--version",
        CARGO_FUZZ_VERSION,
    ]))
}

/// `cargo fuzz` from the repository's root, building into `dir`.
fn cargo_fuzz(dir: &Path) -> Command {
    let mut cmd = Command::new(cargo_program());
    cmd.arg("fuzz")
        .current_dir(root())
        .env("CARGO_TARGET_DIR", dir);
    cmd
}

fn cargo_program() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// The triple rustc builds for by default.
fn host_triple() -> Result<String> {
    let output = Command::new("rustc")
        .arg("-vV")
        .output()
        .context("could not run rustc -vV")?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_owned)
        .context("rustc -vV names no host")
}

/// Fills `out` (emptied first) with the seeds of `name`; returns how many.
fn seed(name: &str, seeds: &[Seed], out: &Path) -> Result<usize> {
    if out.exists() {
        fs::remove_dir_all(out).with_context(|| format!("removing {}", out.display()))?;
    }
    fs::create_dir_all(out)?;
    let root = root();
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    let mut paths: Vec<PathBuf> = vec![
        root.join("fuzz").join("seeds").join(name),
        root.join("fuzz").join("regressions").join(name),
    ];
    if name == "bundle" {
        // The bundle of a site built from the real data, when one was built.
        for site in [
            target_dir().join("test-site").join("public"),
            root.join("public"),
        ] {
            let data = site.join("data");
            for file in ["manifest.json", "votes.json", "ids.json", "cards/0.json"] {
                paths.push(data.join(file));
            }
        }
    }
    for seed in seeds {
        match seed {
            Seed::Path(path) => paths.push(root.join(path)),
            Seed::Head(path, lines) => inputs.push(head(&root.join(path), *lines)?),
            Seed::Joined(files) => {
                let mut joined = Vec::new();
                for (i, (path, lines)) in files.iter().enumerate() {
                    if i > 0 {
                        joined.push(0);
                    }
                    joined.extend(head(&root.join(path), *lines)?);
                }
                inputs.push(joined);
            }
            Seed::JsonStrings(dir, fields) => {
                for path in listing(&root.join(dir))? {
                    let text = fs::read(&path)?;
                    let value: serde_json::Value = serde_json::from_slice(&text)
                        .with_context(|| format!("{} is not JSON", path.display()))?;
                    strings_of(&value, fields, &mut inputs);
                }
            }
        }
    }
    for path in paths {
        if path.is_dir() {
            for file in listing(&path)? {
                inputs.push(fs::read(&file)?);
            }
        } else if path.is_file() {
            inputs.push(fs::read(&path)?);
        }
    }
    inputs.sort();
    inputs.dedup();
    for (i, input) in inputs.iter().enumerate() {
        fs::write(out.join(format!("seed-{i:04}")), input)?;
    }
    Ok(inputs.len())
}

/// The first `lines` lines of a file.
fn head(path: &Path, lines: usize) -> Result<Vec<u8>> {
    let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let end = bytes
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .nth(lines.saturating_sub(1))
        .map_or(bytes.len(), |(at, _)| at + 1);
    Ok(bytes[..end].to_vec())
}

/// Every string value of a field named in `fields` (ignoring ASCII case), at any depth.
fn strings_of(value: &serde_json::Value, fields: &[&str], out: &mut Vec<Vec<u8>>) {
    match value {
        serde_json::Value::Object(object) => {
            for (key, value) in object {
                match value {
                    serde_json::Value::String(text)
                        if fields.iter().any(|f| key.eq_ignore_ascii_case(f)) =>
                    {
                        out.push(text.as_bytes().to_vec())
                    }
                    _ => strings_of(value, fields, out),
                }
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                strings_of(item, fields, out);
            }
        }
        _ => {}
    }
}

/// The files of `dir` (none when it does not exist), in name order.
fn listing(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("listing {}", dir.display())),
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}
