//! Popolo sources end to end: a folder fetched file by file (from disk or
//! over HTTP) into one stored blob, and the Prague example site built from
//! the real export in `examples/praha/`.

use hemiciclo::ingest::IngestOptions;
use hemiciclo::site::{build, BuildOptions};
use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("hemiciclo-popolo-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Builds into `out`, the pipeline's work beside it (never in the site
/// folder, which for the example is the repository).
fn options(config: PathBuf, out: PathBuf) -> BuildOptions {
    BuildOptions {
        config,
        config_explicit: true,
        env: None,
        out: out.clone(),
        wasm: None,
        ingest: IngestOptions {
            work_dir: Some(out.with_extension("work")),
            ..IngestOptions::default()
        },
    }
}

const EVENTS: &str = "id,start_date,motion:name,motion:document,result\n\
    1,2015-01-22,k návrhu rozpočtu,Z-1,pass\n\
    2,2015-01-22,procedurální návrh o přestávce,,fail\n";
const VOTES: &str = "vote_event_id,voter_id,option,group_id\n\
    1,10,yes,\n1,11,no,g2\n2,10,yes,\n2,11,no,\n";
const VOTERS: &str = "id,name,party\n10,Eva Malá,ODS\n11,Jan Velký,Piráti\n";
const GROUPS: &str = "id,name\ng2,Zelení\n";

const SITE: &str = "[[source]]\nlocation = \"LOCATION\"\nformat = \"popolo\"\n\
    [source.popolo]\nlegislature = \"2014–2018\"\nexclude-motions = \"^procedurální\"\n";

fn popolo_site(name: &str, files: &[(&str, &str)], extra: &str) -> PathBuf {
    let dir = scratch(name);
    fs::create_dir_all(dir.join("export")).unwrap();
    for (file, text) in files {
        fs::write(dir.join("export").join(file), text).unwrap();
    }
    let toml = SITE.replace("LOCATION", "export") + extra;
    fs::write(dir.join("site.toml"), toml).unwrap();
    dir
}

#[test]
fn a_popolo_folder_builds_with_groups_from_the_vote_rows() {
    let files = [
        ("vote_events.csv", EVENTS),
        ("votes.csv", VOTES),
        ("voters.csv", VOTERS),
        ("groups.csv", GROUPS),
    ];
    let dir = popolo_site("folder", &files, "");
    let report = build(&options(dir.join("site.toml"), dir.join("public"))).unwrap();
    assert_eq!(
        (report.proposals, report.cards),
        (2, 1),
        "{:?}",
        report.warnings
    );
    assert!(
        report.ingest.quarantine.is_empty(),
        "{:#?}",
        report.ingest.quarantine
    );
    assert_eq!(report.ingest.sources[0].format, "popolo");
    let page = fs::read_to_string(dir.join("public/p/Z-1/index.html")).unwrap();
    assert!(page.contains("Zelení"), "the vote row's group: {page}");
    assert!(page.contains("k návrhu rozpočtu"));
    assert!(
        !page.contains("></span>)"),
        "no empty phase after the result: {page}"
    );
    assert!(
        dir.join("public/p/2/index.html").exists(),
        "excluded, yet a page"
    );
    let ids = fs::read_to_string(dir.join("public/data/ids.json")).unwrap();
    assert!(ids.contains("\"Z-1\"") && !ids.contains("\"2\""), "{ids}");

    // Unchanged files: the stored blob is the same, and parse is skipped.
    let again = build(&options(dir.join("site.toml"), dir.join("public"))).unwrap();
    assert_eq!(again.ingest.sources, report.ingest.sources);
    let parse = again
        .ingest
        .stages
        .iter()
        .find(|s| s.stage.starts_with("parse"))
        .unwrap();
    assert!(!parse.ran, "{:?}", again.ingest.stages);

    // groups.csv is optional when not named: without it, g2 is a name.
    fs::remove_file(dir.join("export/groups.csv")).unwrap();
    let report = build(&options(dir.join("site.toml"), dir.join("public"))).unwrap();
    assert!(report.ingest.quarantine.is_empty());
    let page = fs::read_to_string(dir.join("public/p/Z-1/index.html")).unwrap();
    assert!(page.contains("g2") && !page.contains("Zelení"));
}

#[test]
fn a_missing_file_is_a_fetch_error_naming_it() {
    let dir = popolo_site(
        "missing",
        &[("vote_events.csv", EVENTS), ("voters.csv", VOTERS)],
        "",
    );
    let error = build(&options(dir.join("site.toml"), dir.join("public"))).unwrap_err();
    let message = error.chain_text();
    assert!(
        message.contains("the source export cannot be read"),
        "{message}"
    );
    assert!(
        message.contains("export/votes.csv: no such file"),
        "{message}"
    );

    // A groups file named in site.toml must be there.
    let files = [
        ("vote_events.csv", EVENTS),
        ("votes.csv", VOTES),
        ("voters.csv", VOTERS),
    ];
    let dir = popolo_site("missing-groups", &files, "groups = \"fraktionen.csv\"\n");
    let message = build(&options(dir.join("site.toml"), dir.join("public")))
        .unwrap_err()
        .chain_text();
    assert!(
        message.contains("export/fraktionen.csv: no such file"),
        "{message}"
    );
    assert!(!dir.join("public").exists(), "nothing published");
}

#[test]
fn a_popolo_section_on_another_format_and_a_missing_legislature_are_config_errors() {
    let files = [
        ("vote_events.csv", EVENTS),
        ("votes.csv", VOTES),
        ("voters.csv", VOTERS),
    ];
    let dir = popolo_site("no-legislature", &files, "");
    fs::write(
        dir.join("site.toml"),
        "[[source]]\nlocation = \"export\"\nformat = \"popolo\"\n",
    )
    .unwrap();
    let message = build(&options(dir.join("site.toml"), dir.join("public")))
        .unwrap_err()
        .chain_text();
    assert!(message.contains("add legislature = "), "{message}");

    fs::write(
        dir.join("site.toml"),
        "[[source]]\nlocation = \"export/votes.csv\"\nformat = \"ar-csv\"\n[source.popolo]\n",
    )
    .unwrap();
    let message = build(&options(dir.join("site.toml"), dir.join("public")))
        .unwrap_err()
        .chain_text();
    assert!(
        message.contains("only format = \"popolo\" reads"),
        "{message}"
    );

    fs::write(
        dir.join("site.toml"),
        "[[source]]\nlocation = \"export\"\nformat = \"popolo\"\n[source.popolo]\nvoter = \"x\"\n",
    )
    .unwrap();
    let message = build(&options(dir.join("site.toml"), dir.join("public")))
        .unwrap_err()
        .chain_text();
    assert!(message.contains("unknown field `voter`"), "{message}");
}

/// Serves `files` under `/export/`; anything else is a 404. Returns the
/// base URL and the paths asked for.
fn serve(files: BTreeMap<String, String>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let asked = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&asked);
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
            }
            let path = request.split(' ').nth(1).unwrap_or("").to_owned();
            log.lock().unwrap().push(path.clone());
            let response = match path.strip_prefix("/export/").and_then(|f| files.get(f)) {
                Some(body) => format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                ),
                None => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_owned(),
            };
            let _ = stream.write_all(response.as_bytes());
        }
    });
    (base, asked)
}

#[test]
fn a_popolo_folder_over_http_is_fetched_file_by_file() {
    let files: BTreeMap<String, String> = [
        ("vote_events.csv", EVENTS),
        ("votes.csv", VOTES),
        ("voters.csv", VOTERS),
    ]
    .into_iter()
    .map(|(name, text)| (name.to_owned(), text.to_owned()))
    .collect();
    let (base, asked) = serve(files);
    let dir = scratch("http");
    let toml = SITE.replace("LOCATION", &format!("{base}/export/"));
    fs::write(dir.join("site.toml"), toml).unwrap();
    let report = build(&options(dir.join("site.toml"), dir.join("public"))).unwrap();
    assert_eq!(report.proposals, 2);
    assert_eq!(
        *asked.lock().unwrap(),
        [
            "/export/vote_events.csv",
            "/export/votes.csv",
            "/export/voters.csv",
            "/export/groups.csv"
        ],
        "one request per file; the optional groups.csv answered 404"
    );

    let toml = SITE.replace("LOCATION", &format!("{base}/elsewhere"));
    fs::write(dir.join("site.toml"), toml).unwrap();
    let message = build(&options(dir.join("site.toml"), dir.join("public2")))
        .unwrap_err()
        .chain_text();
    assert!(
        message.contains(&format!(
            "{base}/elsewhere/vote_events.csv: the server answered HTTP 404"
        )),
        "{message}"
    );
}

/// The Prague example: the real export builds, with quiz cards, and the
/// procedural motions its site.toml excludes keep their pages.
#[test]
fn the_praha_example_builds_a_quiz() {
    let out = scratch("praha").join("public");
    let config = workspace().join("examples/praha/site.toml");
    let report = build(&options(config, out.clone())).unwrap();
    assert!(report.cards > 500, "{} cards", report.cards);
    assert!(report.proposals > report.cards as usize);
    let quarantined: Vec<&str> = report
        .ingest
        .quarantine
        .iter()
        .map(|q| q.location.as_str())
        .collect();
    assert_eq!(
        quarantined,
        [
            "vote_events.csv line 90 (and 218 more rows)",
            "vote_events.csv line 918"
        ],
        "the export's untitled events and one with impossible totals"
    );
    // 32477: "procedurální návrh o přerušení tohoto zasedání ZHMP ...".
    assert!(Path::new(&out).join("p/32477/index.html").exists());
    let ids = fs::read_to_string(out.join("data/ids.json")).unwrap();
    assert!(!ids.contains("\"32477\""), "a procedural motion is no card");
    assert!(
        ids.contains("\"Z-3083\""),
        "the council's programme statement is"
    );
    let page = fs::read_to_string(out.join("p/Z-3083/index.html")).unwrap();
    assert!(page.contains("Programovému prohlášení"), "{page}");
}
