//! `cargo xtask bench`: the benchmark report, `BENCHMARKS.md`.
//!
//! hemiciclo and Hugo (Debian's package, installed when missing) build the
//! same synthetic parliaments ([`xtask::synth`]) into tmpfs, in turn, from
//! a cold work folder; the medians and spreads of their times and peak
//! memory become ratios. Beside them: a rebuild after one changed vote as
//! a ratio to a full build, what the first question downloads (the
//! end-to-end budget test in Chromium), the quiz module's size, the quiz
//! engine's sampling and scoring times (criterion) and the machine.

use crate::{cargo, party_count, root, run, system, target_dir, test, wasm};
use anyhow::{bail, Context, Result};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;
use xtask::measure::{gzipped_len, median};
use xtask::synth;

const USAGE: &str = "usage: cargo xtask bench [--quick] [--sizes N,N,...] [--runs N] [--parties P]
       cargo xtask bench engine [--quick] [GROUP]

  bench          writes BENCHMARKS.md: hemiciclo against Hugo on synthetic
                 parliaments (default sizes 10000,50000; 5 runs each), a rebuild
                 after one changed vote, the first question's download, the
                 module's size and the quiz engine's times
  --quick        2 runs at 2000 proposals, short engine benchmarks (a smoke run)
  --parties P    parliaments of P parties (default 9)
  bench engine   the quiz engine's benchmarks alone, natively and in WASM";

#[derive(Debug)]
struct Options {
    sizes: Vec<usize>,
    parties: usize,
    runs: usize,
    quick: bool,
}

pub(crate) fn all(args: &[&str]) -> Result<()> {
    if let ["engine", rest @ ..] = args {
        return crate::bench::all(rest);
    }
    let mut options = Options {
        sizes: vec![10_000, 50_000],
        parties: synth::DEFAULT_PARTIES,
        runs: 5,
        quick: false,
    };
    let mut args = args.iter();
    while let Some(&arg) = args.next() {
        match arg {
            "--quick" => {
                options.quick = true;
                options.sizes = vec![2_000];
                options.runs = 2;
            }
            "--sizes" => {
                let list = args
                    .next()
                    .context("--sizes needs a list such as 10000,50000")?;
                options.sizes = list
                    .split(',')
                    .map(|n| n.trim().parse::<usize>())
                    .collect::<std::result::Result<_, _>>()
                    .with_context(|| format!("--sizes: {list:?} is not a list of numbers"))?;
            }
            "--parties" => {
                options.parties =
                    party_count(Some(args.next().context("--parties needs a number")?))?;
            }
            "--runs" => {
                let n = args.next().context("--runs needs a number")?;
                options.runs = n.parse().with_context(|| format!("--runs: {n:?}"))?;
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            _ => bail!("unexpected `{arg}`\n{USAGE}"),
        }
    }
    if options.runs == 0 || options.sizes.is_empty() {
        bail!("nothing to measure\n{USAGE}");
    }
    report(&options)
}

/// One tool's runs at one size.
#[derive(Debug, Default)]
struct Runs {
    seconds: Vec<f64>,
    kilobytes: Vec<f64>,
    pages: usize,
}

impl Runs {
    fn median_seconds(&self) -> f64 {
        median(&self.seconds)
    }
    fn median_megabytes(&self) -> f64 {
        median(&self.kilobytes) / 1024.0
    }
    fn pages_per_second(&self) -> f64 {
        self.pages as f64 / self.median_seconds()
    }
    fn spread(&self) -> String {
        let min = self.seconds.iter().copied().fold(f64::INFINITY, f64::min);
        let max = self.seconds.iter().copied().fold(0.0, f64::max);
        format!("{min:.2}–{max:.2}")
    }
}

#[derive(Debug)]
struct SizeResult {
    proposals: usize,
    hemiciclo: Runs,
    hemiciclo_unsearched: Runs,
    hugo: Runs,
    /// A rebuild after one changed vote, in seconds, and the files it wrote.
    incremental: Runs,
    written: String,
}

fn report(options: &Options) -> Result<()> {
    let time = ensure_package("/usr/bin/time", "time")?;
    let hugo = ensure_package("/usr/bin/hugo", "hugo")?;
    let pkg = test::step("quiz module", wasm::package)?;
    test::step("hemiciclo (release)", || {
        run(&mut cargo(["build", "--release", "-q", "-p", "hemiciclo"]))
    })?;
    let hemiciclo = target_dir().join("release").join("hemiciclo");
    let scratch = scratch_root();
    let mut results = Vec::new();
    for &n in &options.sizes {
        let result = test::step(&format!("{n} proposals, {} runs", options.runs), || {
            measure_size(n, options, &scratch, &hemiciclo, &pkg.dir, &time, &hugo)
        })?;
        results.push(result);
    }
    let _ = fs::remove_dir_all(&scratch);
    let first_question = test::step("first question (Chromium)", first_question)?;
    let module = fs::read(&pkg.wasm).with_context(|| format!("reading {}", pkg.wasm.display()))?;
    let results_module = fs::read(&pkg.results_wasm)?;
    let engine = test::step("quiz engine (criterion)", || engine_times(options.quick))?;
    let text = render(
        options,
        &results,
        &first_question,
        (module.len(), gzipped_len(&module)),
        (results_module.len(), gzipped_len(&results_module)),
        &engine,
        &machine(&hugo),
    );
    let path = root().join("BENCHMARKS.md");
    fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

/// tmpfs when there is one: disk writes on this kind of machine are noisy.
fn scratch_root() -> PathBuf {
    let shm = Path::new("/dev/shm");
    let base = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        target_dir().join("bench")
    };
    base.join(format!("hemiciclo-bench-{}", std::process::id()))
}

fn measure_size(
    n: usize,
    options: &Options,
    scratch: &Path,
    hemiciclo: &Path,
    wasm: &Path,
    time: &Path,
    hugo: &Path,
) -> Result<SizeResult> {
    let dir = scratch.join(n.to_string());
    let _ = fs::remove_dir_all(&dir);
    let site = dir.join("site");
    let runs = options.runs;
    let parties = synth::parties(options.parties);
    synth::write_site(&site, n, &parties, 1)?;
    synth::hugo_site(&dir.join("hugo"), n, &parties, 1)?;
    let unsearched = site.join("unsearched.toml");
    let config = fs::read_to_string(site.join("site.toml"))?;
    fs::write(&unsearched, format!("search = false\n{config}"))?;
    let work = dir.join("work");
    let out = dir.join("public");
    let hugo_out = dir.join("hugo-public");
    let hugo_cache = dir.join("hugo-cache");
    let build = |config: &Path| {
        let mut command = Command::new(time);
        command
            .args(["-f", "%e %M"])
            .arg(hemiciclo)
            .arg("build")
            .arg("--config")
            .arg(config)
            .arg("--out")
            .arg(&out)
            .arg("--work-dir")
            .arg(&work)
            .arg("--wasm")
            .arg(wasm);
        command
    };
    let mut result = SizeResult {
        proposals: n,
        hemiciclo: Runs::default(),
        hemiciclo_unsearched: Runs::default(),
        hugo: Runs::default(),
        incremental: Runs::default(),
        written: String::new(),
    };
    for _ in 0..runs {
        for (config, runs) in [
            (&site.join("site.toml"), &mut result.hemiciclo),
            (&unsearched, &mut result.hemiciclo_unsearched),
        ] {
            remove(&work)?;
            remove(&out)?;
            timed(&mut build(config), runs)?;
            runs.pages = count_pages(&out);
        }
        remove(&hugo_out)?;
        remove(&hugo_cache)?;
        let mut command = Command::new(time);
        command
            .args(["-f", "%e %M"])
            .arg(hugo)
            .arg("--quiet")
            .arg("--source")
            .arg(dir.join("hugo"))
            .arg("--destination")
            .arg(&hugo_out)
            .arg("--cacheDir")
            .arg(&hugo_cache);
        timed(&mut command, &mut result.hugo)?;
        result.hugo.pages = count_pages(&hugo_out);
    }
    // The site as published before the change: the last cold build above
    // was the one without search.
    timed(&mut build(&site.join("site.toml")), &mut Runs::default())?;
    // One vote changes: one party's position turns, and back.
    let csv_path = site.join("data/ar-votes/synthetic.csv");
    let csv = fs::read_to_string(&csv_path)?;
    let (original, changed) = one_vote_changed(&csv).context("no vote to change")?;
    for k in 0..runs {
        let text = if k % 2 == 0 { &changed } else { &original };
        fs::write(&csv_path, text)?;
        let stdout = timed(&mut build(&site.join("site.toml")), &mut result.incremental)?;
        if k == 0 {
            // "… (41 written, 31765 unchanged)": the files it wrote and kept.
            result.written = stdout
                .lines()
                .find_map(|l| l.rsplit_once('(').map(|(_, tail)| tail))
                .unwrap_or_default()
                .trim_end_matches(')')
                .to_owned();
        }
    }
    let _ = fs::remove_dir_all(&dir);
    Ok(result)
}

/// `csv` and the same with one position of the middle row changed.
fn one_vote_changed(csv: &str) -> Option<(String, String)> {
    let lines: Vec<&str> = csv.lines().collect();
    let row = lines.len() / 2;
    let line = lines.get(row)?;
    let (at, from, to) = [
        ("A Favor", "Contra"),
        ("Contra", "A Favor"),
        ("Abstenção", "Contra"),
    ]
    .iter()
    .find_map(|(from, to)| line.rfind(from).map(|at| (at, *from, *to)))?;
    let new_line = format!("{}{to}{}", &line[..at], &line[at + from.len()..]);
    let mut changed: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    changed[row] = new_line;
    Some((csv.to_owned(), changed.join("\n") + "\n"))
}

/// Runs `command` (wrapped by GNU time's `%e %M`), adds its wall time and
/// peak memory to `runs`; returns its standard output.
fn timed(command: &mut Command, runs: &mut Runs) -> Result<String> {
    let output = command
        .output()
        .with_context(|| format!("running {command:?}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        bail!("{command:?} failed:\n{stderr}");
    }
    let last = stderr.lines().last().unwrap_or_default();
    let mut fields = last.split_whitespace();
    let (Some(seconds), Some(kilobytes)) = (fields.next(), fields.next()) else {
        bail!("no time in {last:?}");
    };
    runs.seconds.push(seconds.parse()?);
    runs.kilobytes.push(kilobytes.parse()?);
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn remove(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("removing {}", path.display()))
        }
        _ => Ok(()),
    }
}

fn count_pages(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| e.path())
        .map(|path| {
            if path.is_dir() {
                count_pages(&path)
            } else {
                usize::from(path.extension().is_some_and(|e| e == "html"))
            }
        })
        .sum()
}

/// Installs a Debian package when `path` is missing (as root), else says what to install.
fn ensure_package(path: &str, package: &str) -> Result<PathBuf> {
    let path = PathBuf::from(path);
    if path.is_file() {
        return Ok(path);
    }
    if system::which("apt-get").is_none() {
        bail!(
            "{} is missing; install the Debian package {package}",
            path.display()
        );
    }
    println!("installing {package}");
    run(Command::new("apt-get").arg("update").arg("-q"))?;
    run(Command::new("apt-get")
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args(["install", "-y", "-q", "--no-install-recommends", package]))?;
    if !path.is_file() {
        bail!(
            "{} is still missing after installing {package}",
            path.display()
        );
    }
    Ok(path)
}

/// The budget test's summary line: requests and bytes before the first question.
fn first_question() -> Result<String> {
    let chromedriver = system::ensure_browser()?;
    let site = target_dir().join("bench").join("site");
    test::recreate(&site)?;
    crate::site::build(&site)?;
    let tmp = target_dir().join("bench").join("tmp");
    test::recreate(&tmp)?;
    let output = cargo([
        "test",
        "-q",
        "-p",
        "hemiciclo-e2e",
        "--test",
        "first_question_budget",
        "--",
        "--nocapture",
    ])
    .env("HEMICICLO_SITE", &site)
    .env("CHROMEDRIVER", &chromedriver)
    .env("TMPDIR", &tmp)
    .output()
    .context("running the first-question budget test")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .lines()
        .find(|l| l.starts_with("total:"))
        .map(|l| l.trim_start_matches("total:").trim().to_owned())
        .with_context(|| format!("no total in the budget test's output:\n{stdout}"))
}

/// Criterion's estimates of the engine's sampling and scoring, by benchmark.
fn engine_times(quick: bool) -> Result<Vec<(String, f64)>> {
    let since = SystemTime::now();
    let mut bench = cargo(["bench", "-p", "hemiciclo-core", "--bench", "engine"]);
    if quick {
        bench.env("HEMICICLO_BENCH_QUICK", "1");
    }
    run(bench.args(["--", "--noplot"]))?;
    crate::bench::native_estimates(&target_dir().join("criterion"), since)
}

fn machine(hugo: &Path) -> String {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let memory = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or("unknown".into(), |kb| {
            format!("{:.0} GiB", kb / 1024.0 / 1024.0)
        });
    let version = |program: &Path, arg: &str| {
        Command::new(program)
            .arg(arg)
            .output()
            .ok()
            .map(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_owned()
            })
            .unwrap_or_default()
    };
    let kernel = fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!(
        "{cpu}, {cores} cores available, {memory} of memory, Linux {}; {}; {}",
        kernel.trim(),
        version(Path::new("rustc"), "--version"),
        version(hugo, "version"),
    )
}

fn render(
    options: &Options,
    results: &[SizeResult],
    first_question: &str,
    module: (usize, usize),
    results_module: (usize, usize),
    engine: &[(String, f64)],
    machine: &str,
) -> String {
    let mut md = String::from("# Benchmarks\n\nWritten by `cargo xtask bench`");
    if options.quick {
        md.push_str(" --quick (a smoke run: rough figures)");
    }
    let _ = write!(
        md,
        ". Machine: {machine}.\n\n\
         ## Building: hemiciclo against Hugo\n\n\
         Both build the same synthetic parliament of {} parties (`cargo xtask synth N DIR \
         --parties P` writes it for each): \
         hemiciclo its whole site in Portuguese and English (a page per proposal and language, \
         listings, party pages, the quiz and its bundle, and with search its Pagefind index); Hugo \
         a page per proposal and language with the same title, votes table and links, and its \
         list and taxonomy pages. Both write to tmpfs, start cold (no work folder, no Hugo cache) \
         and run in turn, {} runs each; times are medians with their range. Pages are the HTML \
         files each wrote; the ratio compares pages per second.\n\n\
         | proposals | tool | pages | time (s), median (range) | pages/s | peak memory | pages/s vs Hugo | memory vs Hugo |\n\
         |---|---|---|---|---|---|---|---|\n",
        options.parties,
        options.runs
    );
    for r in results {
        let hugo_rate = r.hugo.pages_per_second();
        for (tool, runs) in [
            ("hemiciclo", &r.hemiciclo),
            ("hemiciclo, search = false", &r.hemiciclo_unsearched),
            ("Hugo", &r.hugo),
        ] {
            let _ = writeln!(
                md,
                "| {} | {tool} | {} | {:.2} ({}) | {:.0} | {:.0} MB | {:.2}× | {} |",
                r.proposals,
                runs.pages,
                runs.median_seconds(),
                runs.spread(),
                runs.pages_per_second(),
                runs.median_megabytes(),
                runs.pages_per_second() / hugo_rate,
                if tool == "Hugo" {
                    "1".to_owned()
                } else {
                    format!(
                        "1/{:.1}",
                        r.hugo.median_megabytes() / runs.median_megabytes()
                    )
                },
            );
        }
    }
    md.push_str(
        "\n## Rebuilding after one changed vote\n\n\
         One party's position in one vote changes, then the site is rebuilt with its work \
         folder warm; the ratio is to the cold full build above.\n\n\
         | proposals | rebuild (s), median (range) | ratio to a full build | what it wrote |\n|---|---|---|---|\n",
    );
    for r in results {
        let _ = writeln!(
            md,
            "| {} | {:.2} ({}) | {:.2} | {} |",
            r.proposals,
            r.incremental.median_seconds(),
            r.incremental.spread(),
            r.incremental.median_seconds() / r.hemiciclo.median_seconds(),
            r.written.trim()
        );
    }
    let _ = write!(
        md,
        "\n## The quiz in the browser\n\n\
         - Before the first question, on the default site in headless Chromium (the budget test, \
         `tests/tests/first_question_budget.rs`): {first_question}.\n\
         - The first-question module: {} bytes, {} gzipped; the results module (loaded after the \
         first answer): {} bytes, {} gzipped.\n\n\
         ## The quiz engine (native, criterion)\n\n| benchmark | time per iteration |\n|---|---|\n",
        module.0, module.1, results_module.0, results_module.1
    );
    for (id, ns) in engine {
        let _ = writeln!(md, "| {id} | {} |", crate::bench::time(*ns));
    }
    md.push_str(
        "\nThe same benchmarks compiled to WASM and run in Chromium: `cargo xtask bench engine`.\n",
    );
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_vote_changes() {
        let csv = "h\na,A Favor,Contra\nb,Contra,A Favor\nc,A Favor,A Favor\n";
        let (original, changed) = one_vote_changed(csv).unwrap();
        assert_eq!(original, csv);
        assert_eq!(
            changed,
            "h\na,A Favor,Contra\nb,Contra,Contra\nc,A Favor,A Favor\n"
        );
    }
}
