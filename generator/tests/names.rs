//! Ids as file names end to end: a 200-byte id, Windows device names and
//! ids differing only in case all build into pages under safe, bounded,
//! distinct names that the links reach (`hemiciclo check` finds no broken
//! link); a page the file system refuses is quarantined with its source
//! and line; symbolic links out of the site folder are refused.

use hemiciclo::ingest::IngestOptions;
use hemiciclo::site::names::{is_reserved, path_segment, MAX_SEGMENT};
use hemiciclo::site::{build, BuildOptions};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("hemiciclo-names-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn options(site: &Path, out: PathBuf, work: PathBuf) -> BuildOptions {
    BuildOptions {
        config: site.join("site.toml"),
        config_explicit: true,
        env: None,
        out,
        wasm: None,
        ingest: IngestOptions {
            work_dir: Some(work),
            ..IngestOptions::default()
        },
    }
}

const HEADER: &str = "iniNr,id,iniDescTipo,iniLeg,iniTitulo,iniId,fase,autor,resultado,data,descricao,unanime,PS,PSD\n";

/// A site whose proposals have the ids `ids`, one vote each (the row of
/// `ids[i]` is on line `i + 2`).
fn site_with_ids(name: &str, ids: &[&str]) -> PathBuf {
    let dir = scratch(name);
    let mut csv = HEADER.to_owned();
    for (i, id) in ids.iter().enumerate() {
        csv.push_str(&format!(
            "{n},{v},Projeto de Lei,XV,Título {n},{id},Votação na generalidade,PS,Aprovado,2023-01-02,,,A Favor,Contra\n",
            n = i + 1,
            v = 1000 + i,
        ));
    }
    fs::create_dir_all(dir.join("data/ar-votes")).unwrap();
    fs::write(dir.join("data/ar-votes/votes.csv"), csv).unwrap();
    fs::write(dir.join("site.toml"), "title = \"Teste\"\n").unwrap();
    dir
}

/// `hemiciclo check` on the site: (exit code, stdout and stderr).
fn check(site: &Path) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_hemiciclo"))
        .arg("check")
        .arg("--config")
        .arg(site.join("site.toml"))
        .arg("--work-dir")
        .arg(site.join("check-work"))
        .current_dir(site)
        .env_remove("HEMICICLO_WASM_DIR")
        .output()
        .unwrap();
    (
        output.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

/// The names of the folders under `dir`.
fn folders(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

/// Every file and folder name under `dir`.
fn all_names(dir: &Path, names: &mut Vec<String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        names.push(entry.file_name().into_string().unwrap());
        if entry.file_type().unwrap().is_dir() {
            all_names(&entry.path(), names);
        }
    }
}

#[test]
fn a_200_byte_id_builds_under_a_bounded_name_that_its_links_reach() {
    let long = "ção".repeat(40);
    assert_eq!(long.len(), 200);
    let site = site_with_ids("long", &["100", &long]);
    let out = site.join("public");
    let report = build(&options(&site, out.clone(), site.join("work"))).unwrap();
    assert_eq!(report.proposals, 2);
    assert!(report.ingest.quarantine.is_empty(), "{:?}", report.ingest);

    let name = path_segment(&long);
    assert!(name.len() <= MAX_SEGMENT, "{name}: {} bytes", name.len());
    let page = fs::read_to_string(out.join("p").join(&name).join("index.html")).unwrap();
    assert!(page.contains("Título 2"), "the long id's own page");
    assert_eq!(folders(&out.join("p")), ["100", name.as_str()]);
    let listing = fs::read_to_string(out.join("l/XV/index.html")).unwrap();
    assert!(
        listing.contains(&format!("p/{name}/")),
        "the listing links it"
    );
    let mut names = Vec::new();
    all_names(&out, &mut names);
    let longest = names.iter().map(String::len).max().unwrap();
    assert!(longest <= MAX_SEGMENT, "a name of {longest} bytes");

    let (code, text) = check(&site);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("links: no problems"), "{text}");
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn device_names_and_ids_differing_in_case_get_safe_distinct_folders() {
    let ids = ["CON", "nul", "Aux.txt", "a.", "ABC", "abc", "Abc", "100"];
    let site = site_with_ids("reserved", &ids);
    let out = site.join("public");
    let report = build(&options(&site, out.clone(), site.join("work"))).unwrap();
    assert_eq!(report.proposals, ids.len());

    let pages = folders(&out.join("p"));
    assert_eq!(pages.len(), ids.len(), "one folder per id: {pages:?}");
    let folded: BTreeSet<String> = pages.iter().map(|n| n.to_ascii_lowercase()).collect();
    assert_eq!(
        folded.len(),
        ids.len(),
        "distinct even without case: {pages:?}"
    );
    for name in &pages {
        assert!(!is_reserved(name), "{name} is a device name");
        assert!(!name.ends_with(['.', ' ']), "{name:?}");
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_~".contains(&b)),
            "{name:?}"
        );
    }
    assert!(
        pages.contains(&"100".to_owned()),
        "ordinary ids keep their names"
    );
    // Each id's page is where the listing links it, and shows that id.
    let listing = fs::read_to_string(out.join("l/XV/index.html")).unwrap();
    for (i, name) in pages.iter().enumerate() {
        assert!(listing.contains(&format!("p/{name}/")), "{name} is linked");
        let page = fs::read_to_string(out.join("p").join(name).join("index.html")).unwrap();
        assert!(page.contains("Título"), "{i}: {name}");
    }
    let (code, text) = check(&site);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("links: no problems"), "{text}");
    fs::remove_dir_all(&site).unwrap();
}

/// A page path the file system refuses (here, longer than Linux's 4096
/// bytes for a path, with every other page's path within it) quarantines
/// its proposal, named with its source and line; the rest is published.
#[cfg(target_os = "linux")]
#[test]
fn a_page_the_file_system_refuses_is_quarantined_with_its_source_and_line() {
    let long = "x".repeat(150); // a name of MAX_SEGMENT bytes, shortened
    let site = site_with_ids("refused", &["100", &long, "101"]);
    let work = site.join("work");
    // The longest path any other page has, from an in-memory render.
    let (rendered, _) =
        hemiciclo::site::render(&options(&site, site.join("unused"), work.clone())).unwrap();
    let page = format!("p/{}/index.html", path_segment(&long));
    let others = rendered
        .paths()
        .into_iter()
        .filter(|p| !p.contains(&path_segment(&long)))
        .map(|p| p.len())
        .max()
        .unwrap();
    assert!(others + 10 < page.len(), "{others} against {}", page.len());
    // A parent folder so deep that the staging copy's path, then the long
    // page's path, passes 4096 bytes by a few, and no other page's does.
    let staging = format!("/.public.staging-{}/", std::process::id());
    let mut parent = scratch("refused-out");
    let want = 4100 - page.len() - staging.len();
    while parent.as_os_str().len() < want {
        let room = want - parent.as_os_str().len() - 1;
        parent.push("d".repeat(room.clamp(1, 200)));
    }
    assert_eq!(parent.as_os_str().len(), want);
    fs::create_dir_all(&parent).unwrap();

    // Under --strict the build fails on it and publishes nothing.
    let mut strict = options(&site, parent.join("public"), work.clone());
    strict.ingest.strict = true;
    let error = build(&strict).unwrap_err().to_string();
    assert!(error.contains("quarantined"), "{error}");
    assert!(!parent.join("public").exists(), "a strict build published");

    let report = build(&options(&site, parent.join("public"), work)).unwrap();
    let quarantined: Vec<_> = report
        .ingest
        .quarantine
        .iter()
        .filter(|q| q.record.as_deref() == Some(long.as_str()))
        .collect();
    assert_eq!(quarantined.len(), 1, "{:?}", report.ingest.quarantine);
    let q = quarantined[0];
    assert!(q.source.ends_with("votes.csv"), "{q}");
    assert_eq!(q.location, "line 3", "{q}");
    assert!(q.reason.contains("cannot be written"), "{q}");
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains(&long) && w.contains("line 3")),
        "{:?}",
        report.warnings
    );
    // The other proposals' pages are published.
    let out = parent.join("public");
    assert!(out.join("p/100/index.html").exists());
    assert!(out.join("p/101/index.html").exists());
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap_or_default();
    assert!(
        !sitemap.contains(&long[..40]),
        "the missing page is not in the sitemap"
    );
    fs::remove_dir_all(&site).unwrap();
    fs::remove_dir_all(scratch("refused-out")).unwrap();
}

/// A file outside any site folder, for links to point at.
fn outside_file(name: &str) -> PathBuf {
    let dir = scratch(name);
    let file = dir.join("secret.txt");
    fs::write(&file, "not for publishing").unwrap();
    file
}

#[cfg(unix)]
#[test]
fn a_static_link_out_of_the_site_fails_the_build_and_publishes_nothing() {
    let secret = outside_file("static-secret");
    let site = site_with_ids("static-link", &["100"]);
    fs::create_dir_all(site.join("static")).unwrap();
    std::os::unix::fs::symlink(&secret, site.join("static/passwd.txt")).unwrap();
    let out = site.join("public");
    let error = build(&options(&site, out.clone(), site.join("work")))
        .unwrap_err()
        .to_string();
    assert!(error.contains("static/passwd.txt"), "{error}");
    assert!(error.contains(&secret.display().to_string()), "{error}");
    assert!(error.contains("outside the site folder"), "{error}");
    assert!(!out.exists(), "nothing is published");

    // A linked folder that leads out is refused as well, naming the link.
    fs::remove_file(site.join("static/passwd.txt")).unwrap();
    std::os::unix::fs::symlink(secret.parent().unwrap(), site.join("static/etc")).unwrap();
    let error = build(&options(&site, out.clone(), site.join("work")))
        .unwrap_err()
        .to_string();
    assert!(error.contains("static/etc"), "{error}");
    assert!(!out.exists(), "nothing is published");

    // A link inside the site folder is followed; a loop is refused.
    fs::remove_file(site.join("static/etc")).unwrap();
    fs::create_dir_all(site.join("assets")).unwrap();
    fs::write(site.join("assets/extra.css"), "p{}").unwrap();
    std::os::unix::fs::symlink(site.join("assets/extra.css"), site.join("static/extra.css"))
        .unwrap();
    build(&options(&site, out.clone(), site.join("work"))).unwrap();
    assert_eq!(fs::read_to_string(out.join("extra.css")).unwrap(), "p{}");
    std::os::unix::fs::symlink(site.join("static"), site.join("static/again")).unwrap();
    let error = build(&options(&site, out.clone(), site.join("work")))
        .unwrap_err()
        .to_string();
    assert!(error.contains("static/again"), "{error}");
    fs::remove_dir_all(&site).unwrap();
    fs::remove_dir_all(secret.parent().unwrap()).unwrap();
}

#[cfg(unix)]
#[test]
fn a_template_link_out_of_the_site_fails_the_build_and_publishes_nothing() {
    let secret = outside_file("template-secret");
    let site = site_with_ids("template-link", &["100"]);
    fs::create_dir_all(site.join("templates")).unwrap();
    std::os::unix::fs::symlink(&secret, site.join("templates/proposal.html")).unwrap();
    let out = site.join("public");
    let error = build(&options(&site, out.clone(), site.join("work")))
        .unwrap_err()
        .to_string();
    assert!(error.contains("templates/proposal.html"), "{error}");
    assert!(error.contains(&secret.display().to_string()), "{error}");
    assert!(!out.exists(), "nothing is published");
    // The same for the content and the language files.
    fs::remove_file(site.join("templates/proposal.html")).unwrap();
    fs::create_dir_all(site.join("i18n")).unwrap();
    std::os::unix::fs::symlink(&secret, site.join("i18n/pt.toml")).unwrap();
    let error = build(&options(&site, out.clone(), site.join("work")))
        .unwrap_err()
        .to_string();
    assert!(error.contains("i18n/pt.toml"), "{error}");
    fs::remove_file(site.join("i18n/pt.toml")).unwrap();
    fs::create_dir_all(site.join("content/pages")).unwrap();
    std::os::unix::fs::symlink(&secret, site.join("content/pages/sobre.md")).unwrap();
    let error = build(&options(&site, out.clone(), site.join("work")))
        .unwrap_err()
        .to_string();
    assert!(error.contains("content/pages/sobre.md"), "{error}");
    assert!(!out.exists(), "nothing is published");
    fs::remove_dir_all(&site).unwrap();
    fs::remove_dir_all(secret.parent().unwrap()).unwrap();
}
