//! `cargo test --target wasm32-unknown-unknown` hands each test module to this runner, which
//! generates the JS glue and drives headless Chromium through chromedriver. Building it from the
//! `wasm-bindgen-cli` library keeps it at exactly the version of the `wasm-bindgen` crate (a
//! mismatch is a hard error), with no `cargo install` step. Do not rename it to `wasm-bindgen`:
//! rustc treats a crate of that name as the old, incompatible `wasm-bindgen`.

fn main() -> anyhow::Result<()> {
    wasm_bindgen_cli::wasm_bindgen_test_runner::run_cli_with_args(std::env::args_os())
}
