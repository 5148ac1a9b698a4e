//! `hemiciclo check` end to end: the default site passes, a site with a
//! planted broken link, anchor or unknown proposal fails naming the file,
//! and nothing is ever written where a build would publish.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("hemiciclo-check-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `hemiciclo check` from `cwd` with `args`.
fn check(cwd: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_hemiciclo"))
        .arg("check")
        .args(args)
        .current_dir(cwd)
        .env_remove("HEMICICLO_WASM_DIR")
        .output()
        .unwrap();
    (
        status.code(),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

const CSV: &str = "iniNr,id,iniDescTipo,iniLeg,iniTitulo,iniId,fase,autor,resultado,data,descricao,unanime,PS,PSD\n\
    1,11,Projeto de Lei,XV,Um,100,Votação na generalidade,PS,Aprovado,2023-01-02,,,A Favor,Contra\n\
    2,12,Projeto de Lei,XV,Dois,101,Votação na generalidade,PSD,Rejeitado,2023-01-03,,,Contra,A Favor\n";

/// A small site in its own folder, with a content page of `page` Markdown.
fn site_with_page(name: &str, page: &str) -> PathBuf {
    let dir = scratch(name);
    fs::create_dir_all(dir.join("data/ar-votes")).unwrap();
    fs::write(dir.join("data/ar-votes/votes.csv"), CSV).unwrap();
    fs::write(dir.join("site.toml"), "title = \"Teste\"\n").unwrap();
    fs::create_dir_all(dir.join("content/pages")).unwrap();
    fs::write(
        dir.join("content/pages/sobre.md"),
        format!("+++\ntitle = \"Sobre\"\n+++\n{page}\n"),
    )
    .unwrap();
    dir
}

#[test]
fn the_default_site_passes() {
    let work = scratch("default");
    let config = workspace().join("site.toml");
    let (code, stdout, stderr) = check(
        &work,
        &[
            "--config",
            config.to_str().unwrap(),
            "--work-dir",
            work.join("work").to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.starts_with("checked ") && stdout.trim_end().ends_with("links: no problems"),
        "{stdout}"
    );
    // Run from `work`: nothing lands there but the pipeline's work folder.
    let names: Vec<String> = fs::read_dir(&work)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["work"], "check publishes nothing");
    fs::remove_dir_all(&work).unwrap();
}

#[test]
fn a_small_site_with_good_links_passes_and_writes_no_output_folder() {
    let site = site_with_page(
        "good",
        "[Método](../m/), [o voto](../p/100/#vote-11) e [início](../).",
    );
    let (code, stdout, stderr) = check(&site, &[]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("no problems"), "{stdout}");
    assert!(
        !site.join("public").exists(),
        "check must not create the output folder"
    );
    let names: Vec<_> = fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| ["data", "content", "site.toml", ".hemiciclo"].contains(&n.as_str())),
        "{names:?}"
    );
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn a_broken_link_and_a_missing_anchor_fail_naming_the_page() {
    let site = site_with_page(
        "broken",
        "Ver [a proposta](../p/999/) e [o voto](../p/100/#nenhum-voto).",
    );
    let (code, stdout, stderr) = check(&site, &[]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("sobre/index.html: link to ../p/999/ — no such page"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "sobre/index.html: link to ../p/100/#nenhum-voto — p/100/index.html has no id \
             \"nenhum-voto\""
        ),
        "{stdout}"
    );
    assert!(stderr.contains("check found 2 problems"), "{stderr}");
    assert!(!site.join("public").exists());
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn content_naming_unknown_proposals_is_a_problem_per_file_not_a_crash() {
    let site = site_with_page("unknown", "Nada.");
    fs::create_dir_all(site.join("content/proposals")).unwrap();
    fs::write(site.join("content/proposals/555.md"), "Resumo.\n").unwrap();
    fs::create_dir_all(site.join("content/decks")).unwrap();
    fs::write(
        site.join("content/decks/casa.md"),
        "+++\ntitle = \"Casa\"\nproposals = [\"100\", \"777\"]\n+++\n",
    )
    .unwrap();
    let (code, stdout, stderr) = check(&site, &[]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("content/decks/casa.md") && lines[0].ends_with("777"));
    assert!(lines[1].starts_with("content/proposals/555.md"), "{stdout}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn a_template_that_fails_to_render_is_a_problem() {
    let site = site_with_page("template", "Nada.");
    fs::create_dir_all(site.join("templates")).unwrap();
    fs::write(
        site.join("templates/proposal.html"),
        "<h1>{{ p.no_such_field }}</h1>",
    )
    .unwrap();
    let (code, stdout, stderr) = check(&site, &[]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("proposal.html"), "{stdout}");
    assert!(stderr.contains("check found 1 problem;"), "{stderr}");
    fs::remove_dir_all(&site).unwrap();
}
