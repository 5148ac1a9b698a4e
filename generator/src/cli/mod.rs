//! What the command line reports besides a build: the last ingest's status,
//! quiz results recomputed from a built site (`quiz`, `explain`), the
//! check of the quiz's verdicts with simulated citizens (`simulate`),
//! `check`, which renders a site in memory and reports what is wrong with it,
//! and `init`, which writes a new site to start from.

pub mod audit;
pub mod check;
pub mod init;
pub mod serve;
pub mod simulate;
pub mod status;
