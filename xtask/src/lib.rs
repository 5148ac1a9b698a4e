//! The part of xtask that other crates use: [`measure`], the one definition of what a file
//! weighs over the wire, and [`synth`], the synthetic parliaments the benchmarks build and the
//! browser tests search. `cargo xtask site` and `cargo xtask size` report the WASM module's
//! gzipped size with it, and the browser tests' transfer budget
//! (`tests/tests/first_question_budget.rs`) weighs every file the page fetched with it, so the
//! number a developer reads and the number the budget checks cannot drift apart.
//!
//! Why a library target of xtask: the measure belongs with the build tooling that reports it,
//! and the e2e tests only need it as a dev-dependency. The tooling's heavy dependency (the WASM
//! tool chain, `wasm-bindgen-cli-support`) sits behind xtask's default `tasks` feature, which
//! the `xtask` binary requires; the e2e crate depends on
//! `xtask = { path = "../xtask", default-features = false }` and so compiles this library with
//! flate2, anyhow and serde_json only, all already in its tree. `cargo xtask site` compiles
//! nothing more than before. The other arrangements were worse: the e2e crate exposing the
//! measure would make `cargo xtask` compile fantoccini, tokio and hyper, and a crate of its own
//! would be a workspace member for one function.

pub mod measure;
pub mod synth;
