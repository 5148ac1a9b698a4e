//! What an ingest tells the person running it while it runs: a progress
//! bar on a terminal, and each stage's timing with `--verbose`.

use crate::ingest::stages::StageRun;
use std::io::IsTerminal;

/// Stage timings on stderr with `--verbose`.
#[derive(Debug)]
pub(crate) struct Log {
    verbose: bool,
}

impl Log {
    pub(crate) fn new(verbose: bool) -> Log {
        Log { verbose }
    }

    pub(crate) fn stage(&self, run: &StageRun) {
        if self.verbose {
            let what = if run.ran { "ran" } else { "unchanged, skipped" };
            let stage = crate::terminal::line(&run.stage);
            eprintln!("{stage:<32} {what:<18} {:>6} ms", run.millis);
        }
    }
}

/// A progress bar on a terminal, nothing otherwise.
#[derive(Debug)]
pub(crate) struct Progress(indicatif::ProgressBar);

impl Progress {
    pub(crate) fn new(length: u64, stage: &str) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress(indicatif::ProgressBar::hidden());
        }
        let bar = indicatif::ProgressBar::new(length);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{prefix:>6} [{bar:30}] {pos}/{len} {wide_msg}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(stage.to_owned());
        Progress(bar)
    }

    pub(crate) fn message(&self, text: &str) {
        self.0.set_message(crate::terminal::line(text).into_owned());
    }

    pub(crate) fn advance(&self) {
        self.0.inc(1);
    }

    pub(crate) fn finish(&self) {
        self.0.finish_and_clear();
    }
}
