//! What the command line reports besides a build: the last ingest's status,
//! quiz results recomputed from a built site (`quiz`, `explain`), and the
//! check of the quiz's verdicts with simulated citizens (`simulate`).

pub mod audit;
pub mod simulate;
pub mod status;
