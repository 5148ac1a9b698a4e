//! The part of hemiciclo that both the generator and the browser run.
//!
//! Everything here is pure: no files, no network, no clock, no global
//! randomness. The generator compiles it natively to build the site; the
//! WASM module compiles the very same code for the browser, so a result a
//! citizen sees can be recomputed offline by anyone.

pub mod affinity;
pub mod bundle;
pub mod date;
pub mod model;
pub mod rng;
pub mod sampler;
pub mod session;

pub use affinity::{score, ActorScore, Answer};
pub use bundle::{BundleError, Card, Manifest, Shard, SCHEMA_VERSION};
pub use date::Date;
pub use model::{
    Actor, ActorKind, MemberVote, Outcome, PhaseKind, Position, Proposal, ProposerKind, Tally,
    Venue, Vote,
};
pub use session::Session;
