//! Adapters that turn a source's own format into the core model.

pub mod ar_csv;
