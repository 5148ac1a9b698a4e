//! The part of hemiciclo that both the generator and the browser run.
//!
//! Everything here is pure: no files, no network, no clock, no global
//! randomness. The generator compiles it natively to build the site; the
//! WASM module compiles the very same code for the browser, so a result a
//! citizen sees can be recomputed offline by anyone.
//!
//! Only what the site runs lives here. Simulations that check the method
//! are in the `hemiciclo-research` crate, which depends on this one (never
//! the reverse); the decks that pin the samplers (`test_vectors`) are
//! compiled for tests only.

pub mod adaptive;
pub mod affinity;
pub mod bundle;
pub mod date;
pub mod ids;
pub mod interval;
pub mod json;
pub mod model;
pub mod order;
pub mod paired;
pub mod quiz;
pub mod ranking;
pub mod reasons;
pub mod rng;
pub mod sampler;
pub mod seating;
pub mod share;
#[cfg(any(test, feature = "test-vectors"))]
pub mod test_vectors;

pub use affinity::{score, score_with, ActorScore, Answer, Answered, Response, Rule};
pub use bundle::{BundleError, Card, CardIds, Checksums, Manifest, Shard, SCHEMA_VERSION};
pub use date::Date;
pub use ids::compare_ids;
pub use model::{
    Actor, ActorKind, MemberVote, Outcome, PhaseKind, Position, Proposal, ProposerKind, Tally,
    Venue, Vote,
};
pub use quiz::{Quiz, QuizError, Results};
pub use ranking::{compare_rules, rank, rank_in, Field, Ranking, RuleComparison, Verdict};
