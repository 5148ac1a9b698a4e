//! The generator's errors, typed by what went wrong so that a caller can
//! tell a source that cannot be fetched from a bad configuration or a
//! damaged work folder. Every message says what and where (the file, line,
//! JSON path or record) and what to do; the command line prints it with its
//! causes, one per line.

use crate::ingest::fetch::FetchError;
use crate::ingest::sources::Quarantined;
use std::io;
use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read, written or moved.
    #[error("{doing}")]
    Io {
        doing: String,
        #[source]
        source: io::Error,
    },
    /// `site.toml`, or a source's table mapping, asks for something that
    /// cannot be done.
    #[error("{0}")]
    Config(String),
    /// The editorial content (`content/`) is malformed or names a proposal
    /// the data does not have.
    #[error("{0}")]
    Content(String),
    /// `site.toml` is not valid TOML, or has unknown keys.
    #[error("{} is not a valid site configuration", file.display())]
    ConfigSyntax {
        file: PathBuf,
        #[source]
        source: toml::de::Error,
    },
    /// A source could not be fetched; nothing is built.
    #[error(
        "the source {location} cannot be read, so nothing was built and the published site is \
         unchanged: {cause}"
    )]
    Fetch { location: String, cause: FetchError },
    /// A source's bytes are not its format as a whole (not UTF-8, not JSON,
    /// no header row); a bad record is quarantined instead.
    #[error("{0}")]
    Unreadable(String),
    /// A CSV file (a source or a topic file) is malformed.
    #[error("{doing}")]
    Csv {
        doing: String,
        #[source]
        source: csv::Error,
    },
    /// `--strict` and some records were quarantined.
    #[error(
        "--strict: {} records were quarantined, so nothing was built:\n{}",
        quarantine.len(),
        quarantine.iter().map(|q| format!("  {q}")).collect::<Vec<_>>().join("\n")
    )]
    Strict { quarantine: Vec<Quarantined> },
    /// `--strict` and a source has markedly fewer records than at the last
    /// ingest (see [`crate::ingest::shrink`]).
    #[error("{0}")]
    Shrank(String),
    /// A pipeline stage failed.
    #[error("stage {stage} failed")]
    Stage {
        stage: String,
        #[source]
        source: Box<Error>,
    },
    /// The pipeline's work folder (`.hemiciclo`) is damaged or inconsistent.
    #[error("{0}")]
    Work(String),
    /// A stored pipeline object does not read back.
    #[error(
        "a stored pipeline object is damaged; delete the work directory (.hemiciclo) and ingest \
         again"
    )]
    StoredObject {
        #[source]
        source: serde_json::Error,
    },
    /// The sources were read but hold no proposal; `quarantined` are the
    /// records put aside, if that is where they all went.
    #[error("{}", no_proposals(quarantined))]
    NoProposals { quarantined: Vec<Quarantined> },
    /// The build has proposals but none the quiz can ask, and `--strict`
    /// was given.
    #[error("{}", NO_QUIZ_CARDS)]
    NoQuizCards,
    /// A template does not compile or render.
    #[error("{doing}")]
    Template {
        doing: String,
        #[source]
        source: tera::Error,
    },
    /// The search index could not be built.
    #[error("cannot build the search index: {0}")]
    Search(String),
    /// The output folder cannot be written or replaced safely.
    #[error("{0}")]
    Output(String),
    /// A built site's quiz data is missing or damaged.
    #[error("{context}")]
    Bundle {
        context: String,
        #[source]
        source: hemiciclo_core::BundleError,
    },
    /// `quiz` or `explain` cannot recompute a result: a bad answer list, a
    /// damaged link, a deck that does not exist.
    #[error("{0}")]
    Audit(String),
    /// The quiz engine refused what `quiz` or `explain` asked of it.
    #[error(transparent)]
    Quiz(#[from] hemiciclo_core::QuizError),
}

/// Names what was being done when an I/O call failed, as the error's message.
pub trait IoContext<T> {
    fn doing(self, what: impl FnOnce() -> String) -> Result<T>;
}

impl<T> IoContext<T> for io::Result<T> {
    fn doing(self, what: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|source| Error::Io {
            doing: what(),
            source,
        })
    }
}

impl Error {
    /// The message followed by each of its causes, joined by `: ` on one
    /// line: what a log line or a test quotes.
    pub fn chain_text(&self) -> String {
        let mut text = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(error) = cause {
            text.push_str(": ");
            text.push_str(&error.to_string());
            cause = error.source();
        }
        text
    }
}

/// How many quarantine reasons an error quotes before pointing at `status`.
const REASONS_QUOTED: usize = 5;

fn no_proposals(quarantined: &[Quarantined]) -> String {
    if quarantined.is_empty() {
        return "the sources hold no proposal; check the files listed under [[source]] in \
                site.toml (without any, every data/ar-votes/*.csv of the site folder is read)"
            .into();
    }
    let mut text = format!(
        "the sources hold no proposal: all {} records read were quarantined. The first \
         reasons:",
        quarantined.len()
    );
    for record in quarantined.iter().take(REASONS_QUOTED) {
        text.push_str(&format!("\n  {record}"));
    }
    if quarantined.len() > REASONS_QUOTED {
        text.push_str("\n  …");
    }
    text.push_str(
        "\nFix the source or its mapping in site.toml (a date format, a column, a value); \
         `hemiciclo status` lists every record put aside",
    );
    text
}

/// The site would publish a quiz with nothing to ask.
pub const NO_QUIZ_CARDS: &str = "the site has proposals but no quiz card: the quiz asks only \
    proposals whose decisive vote (final, else general, else deliberation) was on the whole \
    text and split the parties. Map the source's phases (for a table, [source.table.phases] \
    final = \"…\", general = \"…\"; for a Popolo source, check that exclude-motions does \
    not match every motion), or check that its votes are not all unanimous; the quiz page will \
    say there is nothing to ask";
