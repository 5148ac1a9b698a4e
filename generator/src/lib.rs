//! hemiciclo's generator: from voting data to a static site.
//!
//! The stages are kept apart so each can be tested on its own: sources
//! parse files into the core model, the dataset joins them, the renderer
//! and the bundle writer produce files into an in-memory output, and only
//! publishing touches the disk.

pub mod audit;
pub mod bundle;
pub mod changelog;
pub mod config;
pub mod dataset;
pub mod enrich;
pub mod fetch;
pub mod ingest;
pub mod merge;
pub mod output;
pub mod pipeline;
pub mod raw_store;
pub mod render;
pub mod sources;
pub mod stages;
pub mod status;
