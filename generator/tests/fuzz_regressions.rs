//! Every input a fuzz target once crashed on, kept in `fuzz/regressions/<target>/`, run
//! through that target's own checks (the files of `fuzz/src/`, compiled in here by path), so
//! that `cargo test` keeps each fixed crash fixed without libFuzzer or cargo-fuzz.
//!
//! To keep a new one: copy the input `cargo xtask fuzz` saved in `fuzz/artifacts/<target>/`
//! into `fuzz/regressions/<target>/` under a name that says what it was.

#[path = "../../fuzz/src/core_decoders.rs"]
mod core_decoders;
#[path = "../../fuzz/src/decoders.rs"]
mod decoders;

use std::path::Path;

/// Runs each file of `fuzz/regressions/<target>/` through `check`; returns how many there were.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return 0;
    };
    let mut files: Vec<_> = entries.map(|entry| entry.unwrap().path()).collect();
    files.sort();
    for file in &files {
        let data = std::fs::read(file).unwrap();
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(
            outcome.is_ok(),
            "the fuzz target {target} fails again on {}",
            file.display()
        );
    }
    files.len()
}

#[test]
fn detalhe() {
    replay("detalhe", decoders::detalhe);
}

#[test]
fn ar_csv() {
    replay("ar_csv", decoders::ar_csv);
}

#[test]
fn ar_json() {
    replay("ar_json", decoders::ar_json);
}

#[test]
fn table() {
    replay("table", decoders::table);
}

#[test]
fn popolo() {
    replay("popolo", decoders::popolo);
}

#[test]
fn site_toml() {
    replay("site_toml", decoders::site_toml);
}

#[test]
fn front_matter() {
    replay("front_matter", decoders::front_matter);
}

#[test]
fn bundle() {
    replay("bundle", core_decoders::bundle);
}

#[test]
fn share_decode() {
    replay("share_decode", core_decoders::share_decode);
}

/// The targets' checks hold of the real samples, which also seed them; and this keeps the
/// fuzz crate's code compiling with the generator's, since `cargo test` builds it here.
#[test]
fn real_samples_pass_the_targets_checks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let read = |path: &str| std::fs::read(root.join(path)).unwrap();
    decoders::ar_csv(&read(
        "generator/tests/fixtures/golden/data/ar-votes/votes.csv",
    ));
    decoders::ar_json(&read(
        "tests/fixtures/ar-official/ric2b_minimal_example.json",
    ));
    decoders::detalhe(
        b"A Favor: <I>77-PSD</I>, <I> PS</I><BR>Contra:<I>CH</I>, <I>Ana Silva (PS)</I>",
    );
    decoders::table(&read("generator/tests/fixtures/table/stadtrat.csv"));
    decoders::table(&read("generator/tests/fixtures/ep/plenary.csv"));
    let popolo = ["vote_events.csv", "votes.csv", "voters.csv"]
        .map(|file| read(&format!("generator/assets/init/popolo/data/{file}")))
        .join(&0);
    decoders::popolo(&popolo);
    decoders::site_toml(&read("generator/tests/fixtures/ep/site.toml"));
    decoders::site_toml(&read("examples/praha/site.toml"));
    decoders::front_matter(&read(
        "generator/tests/fixtures/golden/content/decks/teste.md",
    ));
    decoders::front_matter(&read(
        "generator/tests/fixtures/golden/content/proposals/100.md",
    ));
    decoders::front_matter(b"+++\ntitle = \"x\"\n+++\n[a](javascript:alert(1)) <script>x</script>");
    core_decoders::share_decode(&read("fuzz/seeds/share_decode/core-test-code"));
    for file in ["manifest.json", "shard-0.json", "ids.json", "votes.json"] {
        core_decoders::bundle(&read(&format!("fuzz/seeds/bundle/{file}")));
    }
}
