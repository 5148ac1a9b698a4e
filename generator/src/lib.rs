//! hemiciclo's generator: from voting data to a static site.
//!
//! The folders follow the data: [`ingest`] turns the configured sources
//! into one dataset snapshot (fetch, parse, merge, enrich), [`site`] turns
//! a dataset into pages and the quiz bundle and publishes them, and [`cli`]
//! holds what the command line shows besides a build (status, the quiz and
//! explain audits) and [`terminal`] how it makes data safe to print there.
//! [`config`] reads `site.toml` and [`content`] the editorial Markdown
//! beside it; [`files`] holds the small file chores every phase shares. Only publishing touches the
//! output folder, so any error leaves the last site in place.

pub mod cli;
pub mod config;
pub mod content;
pub mod error;
pub mod files;
pub mod i18n;
pub mod ingest;
pub mod site;
pub mod terminal;

pub use error::{Error, Result};
