//! What the command line reports besides a build: the last ingest's status,
//! and quiz results recomputed from a built site (`quiz`, `explain`).

pub mod audit;
pub mod status;
