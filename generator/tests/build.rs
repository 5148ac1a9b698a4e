//! `hemiciclo build` end to end, on the real default dataset and on small
//! sites made for the test.

use hemiciclo::ingest::IngestOptions;
use hemiciclo::site::{build, BuildOptions};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("hemiciclo-build-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Builds into `out`, keeping the pipeline's work beside it (never in the
/// site folder, which for the default site is the repository).
fn options(config: PathBuf, out: PathBuf) -> BuildOptions {
    let work_dir = out.with_extension("work");
    BuildOptions {
        config,
        config_explicit: false,
        env: None,
        out,
        wasm: None,
        ingest: IngestOptions {
            work_dir: Some(work_dir),
            ..IngestOptions::default()
        },
    }
}

/// Every file under `dir`, by relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, files);
            } else {
                let name = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(name, fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

const TINY_CSV: &str = "iniNr,id,iniDescTipo,iniLeg,iniTitulo,iniId,fase,autor,resultado,data,descricao,unanime,PS,PSD\n\
    1,11,Projeto de Lei,XV,Título & <marcas>,100,Votação na generalidade,PS,Aprovado,2023-01-02,,,A Favor,Contra\n";

fn tiny_site(name: &str, csv: &str) -> PathBuf {
    let dir = scratch(name);
    fs::create_dir_all(dir.join("data/ar-votes")).unwrap();
    fs::write(dir.join("data/ar-votes/votes.csv"), csv).unwrap();
    dir
}

#[test]
fn the_default_site_builds_completely_and_identically_twice() {
    let dir = scratch("default");
    let config = workspace().join("site.toml");
    let first = build(&options(config.clone(), dir.join("a"))).unwrap();
    build(&options(config, dir.join("b"))).unwrap();
    assert_eq!(first.proposals, 1984 + 1544 + 371);

    let a = snapshot(&dir.join("a"));
    let b = snapshot(&dir.join("b"));
    assert!(a == b, "two builds of the same inputs differ");

    let pages = a
        .keys()
        .filter(|k| k.starts_with("p/") && k.ends_with("/index.html"))
        .count();
    assert_eq!(pages, first.proposals);
    let page = String::from_utf8(a["p/44059/index.html"].clone()).unwrap();
    assert!(
        page.contains("Rejeitado (<span>Votação na generalidade</span>)"),
        "{page}"
    );
    assert!(page.contains("<td class=\"pos against\">Contra</td>"));
    // The English tree: the same pages, its own words, the data's marked.
    let english = a
        .keys()
        .filter(|k| k.starts_with("en/p/") && k.ends_with("/index.html"))
        .count();
    assert_eq!(english, first.proposals);
    let page = String::from_utf8(a["en/p/44059/index.html"].clone()).unwrap();
    assert!(page.contains("<html lang=\"en\">"), "{page}");
    assert!(
        page.contains("Rejected (<span>Vote on the general principles</span>)"),
        "{page}"
    );
    assert!(page.contains("<td class=\"pos against\">Against</td>"));
    assert!(page.contains("hreflang=\"pt-PT\" href=\"../../../p/44059/\""));
    let manifest = String::from_utf8(a["data/manifest.json"].clone()).unwrap();
    let manifest = hemiciclo_core::Manifest::from_json(&manifest).unwrap();
    assert_eq!(manifest.card_count, first.cards);
    assert_eq!(
        a.keys().filter(|k| k.starts_with("data/cards/")).count() as u32,
        manifest.shard_count()
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_bad_record_is_quarantined_and_strict_keeps_the_published_site() {
    let site = tiny_site(
        "bad",
        &format!("{TINY_CSV}2,12,Projeto de Lei,XV,T,101,Votação na generalidade,PS,Aprovado,2023-01-02,,,Sim,Contra\n"),
    );
    let out = site.join("public");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("index.html"), "the site already published").unwrap();
    fs::write(out.join(hemiciclo::site::output::MARKER), "").unwrap();

    let mut strict = options(site.join("site.toml"), out.clone());
    strict.ingest.strict = true;
    let message = build(&strict).unwrap_err().chain_text();
    assert!(
        message.contains("--strict: 1 records were quarantined"),
        "{message}"
    );
    assert!(
        message.contains("votes.csv: line 3: record 12"),
        "{message}"
    );
    assert!(message.contains("\"Sim\""), "{message}");
    assert_eq!(
        fs::read_to_string(out.join("index.html")).unwrap(),
        "the site already published"
    );

    // Without --strict the rest is built and the status page lists the record.
    let report = build(&options(site.join("site.toml"), out.clone())).unwrap();
    assert_eq!(report.proposals, 1);
    assert_eq!(report.ingest.quarantine.len(), 1);
    let status = fs::read_to_string(out.join("status/index.html")).unwrap();
    assert!(status.contains("<td>line 3</td><td>12</td>"), "{status}");
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn a_site_overrides_templates_and_escapes_data() {
    let site = tiny_site("override", TINY_CSV);
    fs::create_dir_all(site.join("templates")).unwrap();
    fs::write(
        site.join("templates/proposal.html"),
        "<h1 data-custom>{{ p.title }}</h1>",
    )
    .unwrap();
    fs::write(site.join("site.toml"), "title = \"Câmara de Teste\"\n").unwrap();
    build(&options(site.join("site.toml"), site.join("public"))).unwrap();

    let page = fs::read_to_string(site.join("public/p/100/index.html")).unwrap();
    assert_eq!(page, "<h1 data-custom>Título &amp; &lt;marcas&gt;</h1>");
    let home = fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("<title>Câmara de Teste</title>"), "{home}");
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn proposal_pages_show_enrich_results_and_only_web_links() {
    let site = tiny_site(
        "enriched",
        "iniNr,id,iniDescTipo,iniLeg,iniTitulo,iniId,fase,autor,resultado,data,descricao,unanime,iniLinkTexto,nomeComissao,PS,PSD,BE\n\
         1,11,Projeto de Lei,XV,Um,100,Votação na generalidade,PS,Aprovado,2023-01-02,,,javascript:alert(1),Comissão de Saúde,A Favor,Contra,Abstenção\n\
         2,12,Projeto de Lei,XV,Dois,101,Votação na generalidade,BE,Aprovado,2023-01-02,,,HTTPS://www.parlamento.pt/x,,A Favor,A Favor,Contra\n",
    );
    fs::write(
        site.join("site.toml"),
        "[[government]]\nfrom = \"2022-03-30\"\nparties = [\"PS\"]\n",
    )
    .unwrap();
    build(&options(site.join("site.toml"), site.join("public"))).unwrap();

    let page = fs::read_to_string(site.join("public/p/100/index.html")).unwrap();
    assert!(!page.contains("javascript:"), "{page}");
    assert!(!page.contains("Texto oficial"), "{page}");
    assert!(
        page.contains("<dt>Proponente</dt><dd>partido do Governo</dd>"),
        "{page}"
    );
    assert!(
        page.contains("<dt>Temas</dt><dd>Comissão de Saúde</dd>"),
        "{page}"
    );
    assert!(page.contains("divisão entre partidos: 100%"), "{page}");

    let page = fs::read_to_string(site.join("public/p/101/index.html")).unwrap();
    assert!(page.contains("Texto oficial da iniciativa"), "{page}");
    assert!(
        page.contains("<dt>Proponente</dt><dd>oposição</dd>"),
        "{page}"
    );
    assert!(!page.contains("<dt>Temas</dt>"), "no topic, no committee");
    // Two for, one against: 0.918 bits of log2(3).
    assert!(page.contains("divisão entre partidos: 58%"), "{page}");
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn an_unknown_setting_is_an_error_naming_it() {
    let site = tiny_site("typo", TINY_CSV);
    fs::write(site.join("site.toml"), "titel = \"x\"\n").unwrap();
    let mut options = options(site.join("site.toml"), site.join("public"));
    options.config_explicit = true;
    let message = build(&options).unwrap_err().chain_text();
    assert!(
        message.contains("site.toml") && message.contains("titel"),
        "{message}"
    );
    assert!(!site.join("public").exists());
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn the_command_line_exits_2_on_misuse_and_1_on_errors() {
    let hemiciclo = env!("CARGO_BIN_EXE_hemiciclo");
    let misuse = std::process::Command::new(hemiciclo)
        .arg("bild")
        .output()
        .unwrap();
    assert_eq!(misuse.status.code(), Some(2));

    let site = scratch("cli");
    let failed = std::process::Command::new(hemiciclo)
        .args(["build", "--config"])
        .arg(site.join("missing.toml"))
        .arg("--out")
        .arg(site.join("public"))
        .output()
        .unwrap();
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("error: cannot read") && stderr.contains("missing.toml"),
        "{stderr}"
    );
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn ids_from_the_data_cannot_write_outside_the_output() {
    let csv = TINY_CSV.replace(",100,", ",../../pwned,");
    let site = tiny_site("escape", &csv);
    build(&options(site.join("site.toml"), site.join("out/public"))).unwrap();
    assert!(!site.join("pwned").exists() && !site.join("out/pwned").exists());
    let page = site.join("out/public/p/~2E~2E~2F~2E~2E~2Fpwned/index.html");
    assert!(page.exists(), "the page lives under an encoded name");
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn a_source_whose_every_record_is_quarantined_says_so_with_the_first_reasons() {
    let bad_dates = TINY_CSV.replace("2023-01-02", "2023-13-45");
    let dir = tiny_site("all-quarantined", &bad_dates);
    let error = build(&options(dir.join("site.toml"), dir.join("public"))).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("all 1 records read were quarantined"),
        "{message}"
    );
    assert!(message.contains("votes.csv"), "names the source: {message}");
    assert!(message.contains("hemiciclo status"), "{message}");
    assert!(!dir.join("public").exists(), "nothing published");
}

#[test]
fn proposals_without_a_quiz_card_are_a_warning_and_an_error_when_strict() {
    // Both parties voted for: unanimous, so nothing the quiz can ask.
    let unanimous = TINY_CSV.replace("A Favor,Contra", "A Favor,A Favor");
    let dir = tiny_site("no-cards", &unanimous);
    let report = build(&options(dir.join("site.toml"), dir.join("public"))).unwrap();
    assert_eq!((report.proposals, report.cards), (1, 0));
    assert_eq!(report.warnings.len(), 1);
    assert!(
        report.warnings[0].contains("no quiz card"),
        "{:?}",
        report.warnings
    );
    assert!(report.warnings[0].contains("[source.table.phases]"));

    let mut strict = options(dir.join("site.toml"), dir.join("strict"));
    strict.ingest.strict = true;
    let error = build(&strict).unwrap_err();
    assert!(error.to_string().contains("no quiz card"), "{error}");
    assert!(!dir.join("strict").exists(), "nothing published");
}

#[test]
fn the_feed_announces_new_and_corrected_votes_from_the_change_log() {
    let site = tiny_site("feed", TINY_CSV);
    fs::write(
        site.join("site.toml"),
        "base-url = \"https://example.org/x/\"\n",
    )
    .unwrap();
    let out = site.join("public");
    build(&options(site.join("site.toml"), out.clone())).unwrap();
    let first = fs::read_to_string(out.join("feed.xml")).unwrap();
    // The first ingest announces nothing of its own: votes by their day.
    assert!(
        first.contains("<updated>2023-01-02T00:00:00Z</updated><summary>"),
        "{first}"
    );
    assert!(!first.contains("corrigido"), "{first}");

    // The source corrects vote 11's result and adds vote 13, dated before it.
    let corrected = TINY_CSV.replace("PS,Aprovado,2023-01-02", "PS,Rejeitado,2023-01-02");
    fs::write(
        site.join("data/ar-votes/votes.csv"),
        format!("{corrected}2,13,Projeto de Lei,XV,Outro título,101,Votação na generalidade,PSD,Aprovado,2022-12-01,,,Contra,A Favor\n"),
    )
    .unwrap();
    build(&options(site.join("site.toml"), out.clone())).unwrap();
    let feed = fs::read_to_string(out.join("feed.xml")).unwrap();
    let entries: Vec<&str> = feed.split("<entry>").skip(1).collect();
    assert_eq!(entries.len(), 2, "{feed}");
    // Both dated when the ingest saw them, not by their days, so a reader
    // hears of vote 13 though older votes were announced before.
    for entry in &entries {
        let updated = entry
            .split_once("<updated>")
            .and_then(|(_, rest)| rest.split_once("</updated>"))
            .map(|(time, _)| time)
            .unwrap();
        assert!(
            updated.ends_with('Z') && !updated.ends_with("T00:00:00Z"),
            "{entry}"
        );
    }
    let correction = entries
        .iter()
        .find(|e| e.contains("#vote-11"))
        .expect("vote 11 in the feed");
    assert!(
        correction.contains("Rejeitado (registo corrigido; antes: Aprovado)"),
        "{correction}"
    );
    // A correction is an entry of its own, not the vote's first one again.
    assert!(
        correction.contains("<id>https://example.org/x/p/100/#vote-11."),
        "{correction}"
    );
    let new = entries
        .iter()
        .find(|e| e.contains("#vote-13"))
        .expect("vote 13 in the feed");
    assert!(
        new.contains("<id>https://example.org/x/p/101/#vote-13</id>"),
        "{new}"
    );

    // Rebuilding with nothing new changes nothing in the feed.
    build(&options(site.join("site.toml"), out.clone())).unwrap();
    assert_eq!(fs::read_to_string(out.join("feed.xml")).unwrap(), feed);
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn each_party_has_a_share_landing_previewed_by_its_own_image() {
    let site = tiny_site("landing", TINY_CSV);
    let out = site.join("public");
    build(&options(site.join("site.toml"), out.clone())).unwrap();
    assert!(
        !out.join("v").exists() && !out.join("og").exists(),
        "no landings without base-url"
    );

    fs::write(
        site.join("site.toml"),
        "base-url = \"https://example.org/x/\"\n",
    )
    .unwrap();
    build(&options(site.join("site.toml"), out.clone())).unwrap();
    let landing = fs::read_to_string(out.join("v/PS/index.html")).unwrap();
    for needed in [
        "<meta property=\"og:image\" content=\"https://example.org/x/og/PS.png\">",
        "<meta property=\"og:url\" content=\"https://example.org/x/v/PS/\">",
        "<meta property=\"og:title\" content=\"O partido que votou mais como eu: PS\">",
        "<meta name=\"twitter:card\" content=\"summary_large_image\">",
        "<meta name=\"robots\" content=\"noindex\">",
        " data-landing",
    ] {
        assert!(
            landing.contains(needed),
            "{needed} missing from the landing"
        );
    }
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!home.contains("noindex") && !home.contains(" data-landing"));
    assert!(home.contains("content=\"https://example.org/x/icon-512.png\""));
    let png = fs::read(out.join("og/PS.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        !sitemap.contains("/v/"),
        "landings are not for search engines"
    );
    let results = fs::read_to_string(out.join("results.html")).unwrap();
    assert!(
        results.contains("data-landings=\"{&quot;PS&quot;:&quot;v/PS/&quot;"),
        "{results}"
    );
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn a_site_may_leave_the_search_out() {
    let site = tiny_site("no-search", TINY_CSV);
    let out = site.join("public");
    build(&options(site.join("site.toml"), out.clone())).unwrap();
    assert!(out.join("s/index.html").is_file() && out.join("pagefind/pagefind.js").is_file());
    assert!(fs::read_to_string(out.join("index.html"))
        .unwrap()
        .contains("href=\"s/\""));

    fs::write(site.join("site.toml"), "search = false\n").unwrap();
    build(&options(site.join("site.toml"), out.clone())).unwrap();
    assert!(!out.join("s").exists() && !out.join("pagefind").exists());
    assert!(!fs::read_to_string(out.join("index.html"))
        .unwrap()
        .contains("href=\"s/\""));
    assert!(!fs::read_to_string(out.join("sw.js"))
        .unwrap()
        .contains("pagefind/pagefind.js"));
    fs::remove_dir_all(&site).unwrap();
}

/// Every file under `dir` with its inode, by relative path.
fn inodes(dir: &Path) -> BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    snapshot(dir)
        .into_keys()
        .map(|name| {
            let ino = fs::metadata(dir.join(&name)).unwrap().ino();
            (name, ino)
        })
        .collect()
}

const THREE_VOTES: &str = "iniNr,id,iniDescTipo,iniLeg,iniTitulo,iniId,fase,autor,resultado,data,descricao,unanime,PS,PSD,CH\n\
    1,11,Projeto de Lei,XV,Habitação,100,Votação na generalidade,PS,Aprovado,2023-01-02,,,A Favor,Contra,Contra\n\
    2,12,Projeto de Lei,XV,Propinas,101,Votação na generalidade,PSD,Rejeitado,2023-02-02,,,Contra,A Favor,Abstenção\n\
    3,13,Projeto de Lei,XV,Portagens,102,Votação na generalidade,CH,Aprovado,2023-03-02,,,A Favor,A Favor,Contra\n";

#[test]
fn a_rebuild_writes_only_the_files_whose_bytes_change() {
    let dir = tiny_site("incremental", THREE_VOTES);
    let out = dir.join("public");
    let options = options(dir.join("site.toml"), out.clone());
    let first = build(&options).unwrap();
    assert_eq!(first.written.unchanged, 0);
    assert_eq!(
        first.written.written,
        first.files + 1,
        "every file and the marker"
    );
    let before = snapshot(&out);
    let before_inodes = inodes(&out);

    // Nothing changed: nothing is written, every file is the one published.
    let again = build(&options).unwrap();
    assert_eq!(again.written.written, 0, "{:?}", again.written);
    assert_eq!(inodes(&out), before_inodes, "the same files, not copies");
    assert!(snapshot(&out) == before);

    // One party's position in one vote changes.
    let changed = THREE_VOTES.replace(
        "Propinas,101,Votação na generalidade,PSD,Rejeitado,2023-02-02,,,Contra,A Favor,Abstenção",
        "Propinas,101,Votação na generalidade,PSD,Rejeitado,2023-02-02,,,Contra,A Favor,Contra",
    );
    assert_ne!(changed, THREE_VOTES);
    fs::write(dir.join("data/ar-votes/votes.csv"), changed).unwrap();
    let third = build(&options).unwrap();
    let after = snapshot(&out);
    let after_inodes = inodes(&out);
    let differ: Vec<&String> = after
        .iter()
        .filter(|(name, bytes)| before.get(*name) != Some(*bytes))
        .map(|(name, _)| name)
        .collect();
    assert!(
        differ
            .iter()
            .any(|name| name.as_str() == "p/101/index.html"),
        "the changed proposal's page is rewritten: {differ:?}"
    );
    assert!(
        !differ
            .iter()
            .any(|name| name.as_str() == "p/100/index.html"),
        "{differ:?}"
    );
    assert_eq!(third.written.written, differ.len(), "{differ:?}");
    for (name, ino) in &after_inodes {
        let same = before.get(name) == after.get(name);
        assert_eq!(
            before_inodes.get(name) == Some(ino),
            same,
            "{name}: kept exactly when its bytes are the same"
        );
    }
    // The publish left a whole site and nothing beside it.
    let beside: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".public") && name != ".public.lock")
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_environment_overrides_the_top_level_keys() {
    let dir = tiny_site("env", THREE_VOTES);
    fs::write(
        dir.join("site.toml"),
        "title = \"Votos\"\nbase-url = \"https://example.org/votos/\"\n\n\
         [env.staging]\nbase-url = \"https://staging.example.org/votos/\"\ntitle = \"Votos (ensaio)\"\n",
    )
    .unwrap();
    let mut staging = options(dir.join("site.toml"), dir.join("staging"));
    staging.config_explicit = true;
    staging.env = Some("staging".into());
    build(&staging).unwrap();
    let home = fs::read_to_string(dir.join("staging/index.html")).unwrap();
    assert!(
        home.contains("https://staging.example.org/votos/"),
        "{home}"
    );
    assert!(home.contains("Votos (ensaio)"));
    let mut production = options(dir.join("site.toml"), dir.join("production"));
    production.config_explicit = true;
    build(&production).unwrap();
    let home = fs::read_to_string(dir.join("production/index.html")).unwrap();
    assert!(home.contains("https://example.org/votos/") && !home.contains("staging"));
    staging.env = Some("prod".into());
    let error = build(&staging).unwrap_err().to_string();
    assert!(
        error.contains("[env.prod]") && error.contains("staging"),
        "{error}"
    );
    fs::remove_dir_all(&dir).unwrap();
}
