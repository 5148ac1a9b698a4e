//! `hemiciclo init`: each format's starter site builds as it is, with quiz
//! cards and proposal pages, and passes `check`; a folder with files in it
//! is refused.

use hemiciclo::ingest::IngestOptions;
use hemiciclo::site::{build, BuildOptions};
use std::fs;
use std::path::PathBuf;
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("hemiciclo-init-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn hemiciclo() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hemiciclo"));
    command.env_remove("HEMICICLO_WASM_DIR");
    command
}

fn init_builds_with_cards(format: &str) {
    let dir = scratch(format);
    let site = dir.join("site");
    let made = hemiciclo()
        .args(["init", "--format", format])
        .arg(&site)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&made.stdout);
    assert_eq!(made.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("site.toml") && stdout.contains("hemiciclo build --config"),
        "{stdout}"
    );
    assert!(site.join("content/pages").read_dir().unwrap().count() > 0);

    let out = dir.join("public");
    let report = build(&BuildOptions {
        config: site.join("site.toml"),
        config_explicit: true,
        env: None,
        out: out.clone(),
        wasm: None,
        ingest: IngestOptions {
            strict: true,
            ..IngestOptions::default()
        },
    })
    .unwrap_or_else(|e| panic!("{format}: {}", e.chain_text()));
    assert!(report.cards >= 10, "{format}: {} cards", report.cards);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let pages = fs::read_dir(out.join("p")).unwrap().count();
    assert_eq!(pages, report.proposals, "{format}: a page per proposal");
    assert!(report.proposals >= 10, "{format}");

    let checked = hemiciclo()
        .args(["check", "--strict", "--config"])
        .arg(site.join("site.toml"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&checked.stdout);
    assert_eq!(checked.status.code(), Some(0), "{format}: {stdout}");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_ar_csv_starter_builds_with_quiz_cards() {
    init_builds_with_cards("ar-csv");
}

#[test]
fn a_table_starter_builds_with_quiz_cards() {
    init_builds_with_cards("table");
}

#[test]
fn a_popolo_starter_builds_with_quiz_cards() {
    init_builds_with_cards("popolo");
}

#[test]
fn init_refuses_a_folder_with_files_and_an_unknown_format() {
    let dir = scratch("refuse");
    fs::write(dir.join("notes.txt"), "mine").unwrap();
    let refused = hemiciclo().arg("init").arg(&dir).output().unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("is not empty"), "{stderr}");
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 1, "nothing written");

    let usage = hemiciclo()
        .args(["init", "--format", "xml"])
        .arg(dir.join("new"))
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
    assert!(!dir.join("new").exists());
    fs::remove_dir_all(&dir).unwrap();
}
