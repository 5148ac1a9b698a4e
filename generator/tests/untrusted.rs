//! Nothing from the data is trusted outside HTML either: escape sequences
//! in ids, titles and party names reach no terminal raw, a source's URL is
//! shown without its credentials or query secrets, and a source cut short
//! is a warning naming it (an error with `--strict`), not a smaller site
//! published without a word.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const HEADER: &str = "iniNr,id,iniDescTipo,iniLeg,iniTitulo,iniId,fase,autor,resultado,data,\
                      descricao,unanime,PS,PSD\n";

/// Sequences a terminal would obey: clear the screen, set the window
/// title (OSC ... BEL), a C1 CSI, backspace, DEL, and a bidi override with
/// an isolate. (A carriage return would end the CSV row.)
const HOSTILE: &str = "\u{1b}[2J\u{1b}]0;pwned\u{7}\u{9b}31m\u{8}\u{7f}\u{202e}\u{2066}";

fn scratch(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("hemiciclo-untrusted-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("data/ar-votes")).unwrap();
    fs::write(dir.join("site.toml"), "").unwrap();
    dir
}

/// One AR votes CSV row: proposal `n`, voted on once, PS and PSD apart.
fn row(n: u32, title: &str, vote_id: &str, proposal_id: &str, psd: &str) -> String {
    format!(
        "{n},{vote_id},Projeto de Lei,XV,{title},{proposal_id},Votação na generalidade,PS,\
         Aprovado,2023-01-0{n},,,A Favor,{psd}\n"
    )
}

fn three_proposals() -> String {
    format!(
        "{HEADER}{}{}{}",
        row(1, "Primeira", "11", "100", "Contra"),
        row(2, "Segunda", "12", "101", "Contra"),
        row(3, "Terceira", "13", "102", "A Favor")
    )
}

fn hemiciclo(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hemiciclo"));
    command.args(args);
    command
}

fn in_site(site: &Path, args: &[&str]) -> Output {
    hemiciclo(args)
        .arg("--config")
        .arg(site.join("site.toml"))
        .output()
        .unwrap()
}

fn build(site: &Path, extra: &[&str]) -> Output {
    let out = site.join("public");
    let mut args = vec!["build", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    in_site(site, &args)
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Whether `c` would act on a terminal rather than be shown.
fn acts_on_a_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `output`'s stdout and stderr hold no character a terminal would obey.
fn assert_safe(what: &str, output: &Output) {
    for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        let text = std::str::from_utf8(bytes)
            .unwrap_or_else(|e| panic!("{what}: {stream} is not UTF-8: {e}"));
        if let Some(c) = text.chars().find(|&c| acts_on_a_terminal(c)) {
            panic!("{what}: {stream} prints {c:?} raw:\n{text:?}");
        }
    }
}

/// Every file under `dir`, by relative path.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, files);
            } else {
                let name = path.strip_prefix(root).unwrap().to_path_buf();
                files.insert(name, fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

#[test]
fn escape_sequences_in_ids_titles_and_parties_reach_no_terminal_raw() {
    let site = scratch("escapes");
    let party = format!("P{HOSTILE}SD");
    let csv = format!(
        "{}{}{}{}",
        HEADER.replace("PSD", &party),
        row(
            1,
            &format!("Título{HOSTILE}fim"),
            "11",
            &format!("100{HOSTILE}"),
            "Contra"
        ),
        row(2, "Segunda", "12", "101", "Contra"),
        // Quarantined: an unknown position, under a hostile vote id.
        row(
            3,
            "Terceira",
            &format!("13{HOSTILE}"),
            "102",
            &format!("Sim{HOSTILE}")
        ),
    );
    fs::write(site.join("data/ar-votes/votes.csv"), csv).unwrap();

    let strict = build(&site, &["--strict"]);
    assert_eq!(strict.status.code(), Some(1), "{}", text(&strict));
    assert!(
        text(&strict).contains("record 13\\u{1b}[2J"),
        "{}",
        text(&strict)
    );
    assert_safe("build --strict", &strict);

    let built = build(&site, &["--verbose"]);
    assert!(built.status.success(), "{}", text(&built));
    assert!(
        text(&built).contains("1 records were quarantined"),
        "{}",
        text(&built)
    );
    assert_safe("build", &built);

    let status = in_site(&site, &["status"]);
    assert!(status.status.success(), "{}", text(&status));
    assert!(
        text(&status).contains("record 13\\u{1b}[2J"),
        "{}",
        text(&status)
    );
    assert_safe("status", &status);

    let check = in_site(&site, &["check", "--strict"]);
    assert_safe("check --strict", &check);

    let public = site.join("public");
    let quiz = |extra: &[&str]| {
        let mut args = vec!["quiz", "--seed", "1", "--answers", "FA"];
        args.extend_from_slice(extra);
        hemiciclo(&args)
            .arg("--site")
            .arg(&public)
            .output()
            .unwrap()
    };
    let shown = quiz(&[]);
    assert!(shown.status.success(), "{}", text(&shown));
    let printed = text(&shown);
    assert!(
        printed.contains(
            "Título\\u{1b}[2J\\u{1b}]0;pwned\\u{7}\\u{9b}31m\\u{8}\\u{7f}\\u{202e}\\u{2066}fim"
        ),
        "the title, every sequence escaped and visible: {printed}"
    );
    assert!(printed.contains("100\\u{1b}[2J"), "the id: {printed}");
    assert!(printed.contains("P\\u{1b}[2J"), "the party: {printed}");
    assert_safe("quiz", &shown);

    let json = quiz(&["--json"]);
    assert_safe("quiz --json", &json);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let titles: Vec<&str> = value["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|card| card["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&format!("Título{HOSTILE}fim").as_str()),
        "JSON keeps the value: {titles:?}"
    );

    let code = value["link"].as_str().unwrap().to_owned();
    for extra in [&[][..], &["--json"][..]] {
        let mut args = vec!["explain", code.as_str()];
        args.extend_from_slice(extra);
        let explained = hemiciclo(&args)
            .arg("--site")
            .arg(&public)
            .output()
            .unwrap();
        assert!(explained.status.success(), "{}", text(&explained));
        assert!(
            text(&explained).contains("100\\u{1b}[2J") || text(&explained).contains("100\\u001b"),
            "{}",
            text(&explained)
        );
        assert_safe("explain", &explained);
    }

    // A hostile share code is quoted escaped in the error.
    let bad = hemiciclo(&["explain", &format!("{code}{HOSTILE}")])
        .arg("--site")
        .arg(&public)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad));
    assert_safe("explain with a bad code", &bad);
    fs::remove_dir_all(&site).unwrap();
}

/// A server on 127.0.0.1 answering every request with `body`, or 404 for
/// a path with `missing` in it. Returns `host:port`.
fn serve(body: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(&stream);
            let mut request = String::new();
            let _ = reader.read_line(&mut request);
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
            }
            let (status, body) = if request.contains("missing") {
                ("404 Not Found", "")
            } else {
                ("200 OK", body.as_str())
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
        }
    });
    address
}

#[test]
fn credentials_in_a_source_url_are_never_shown_or_published() {
    let site = scratch("credentials");
    let address = serve(three_proposals());
    let location =
        format!("http://ed1t0r:pa55w0rd@{address}/votes.csv?token=s3cr3t&format=csv#fr4gm3nt");
    let config = format!("[[source]]\nlocation = \"{location}\"\nformat = \"ar-csv\"\n");
    fs::write(site.join("site.toml"), &config).unwrap();
    let secrets = ["ed1t0r", "pa55w0rd", "s3cr3t", "fr4gm3nt"];
    let assert_hidden = |what: &str, text: &str| {
        for secret in secrets {
            assert!(!text.contains(secret), "{what} shows {secret:?}:\n{text}");
        }
    };

    let built = build(&site, &["--verbose"]);
    assert!(built.status.success(), "{}", text(&built));
    assert_hidden("build", &text(&built));
    for (path, bytes) in files(&site.join("public")) {
        assert_hidden(
            &path.display().to_string(),
            &String::from_utf8_lossy(&bytes),
        );
    }
    let page = fs::read_to_string(site.join("public/status/index.html")).unwrap();
    let shown = format!("http://{address}/votes.csv?token=…&amp;format=…#…");
    assert!(
        page.contains(&shown),
        "the status page names the source: {page}"
    );

    let status = in_site(&site, &["status"]);
    assert!(status.status.success(), "{}", text(&status));
    assert_hidden("status", &text(&status));
    assert!(text(&status).contains(&format!("http://{address}/votes.csv?token=…")));

    // A failed fetch names the source, without its secrets.
    let missing = location.replace("votes.csv", "missing.csv");
    fs::write(site.join("site.toml"), config.replace(&location, &missing)).unwrap();
    let failed = build(&site, &[]);
    assert_eq!(failed.status.code(), Some(1), "{}", text(&failed));
    assert!(text(&failed).contains("HTTP 404"), "{}", text(&failed));
    assert!(text(&failed).contains(&format!("http://{address}/missing.csv")));
    assert_hidden("a failed fetch", &text(&failed));
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn a_source_cut_short_warns_with_its_counts_and_fails_when_strict() {
    let site = scratch("truncated");
    let votes = site.join("data/ar-votes/votes.csv");
    let whole = three_proposals();
    fs::write(&votes, &whole).unwrap();
    let first = build(&site, &[]);
    assert!(first.status.success(), "{}", text(&first));
    assert!(!text(&first).contains("shrank"), "{}", text(&first));
    let public = site.join("public");
    let published = files(&public);

    // The download stopped in the middle of the second row.
    let cut = &whole[..whole.find("Segunda").unwrap()];
    fs::write(&votes, cut).unwrap();
    // `check` warns of it, but only looks: the build after it still fails.
    let checked = in_site(&site, &["check"]);
    let message = text(&checked);
    assert!(
        message.contains("warning: source \"data/ar-votes/votes.csv\" shrank from 3 to 1"),
        "{message}"
    );
    let strict = build(&site, &["--strict"]);
    assert_eq!(strict.status.code(), Some(1), "{}", text(&strict));
    let message = text(&strict);
    assert!(
        message.contains(
            "source \"data/ar-votes/votes.csv\" shrank from 3 to 1 proposals (-67%) and from 3 \
             to 1 votes (-67%)"
        ),
        "{message}"
    );
    assert!(message.contains("nothing was built"), "{message}");
    assert_eq!(files(&public), published, "the published site stays");

    let warned = build(&site, &[]);
    assert!(warned.status.success(), "{}", text(&warned));
    let message = text(&warned);
    assert!(
        message
            .contains("warning: source \"data/ar-votes/votes.csv\" shrank from 3 to 1 proposals"),
        "{message}"
    );
    assert!(message.contains("built 1 proposals"), "{message}");
    let status = in_site(&site, &["status"]);
    assert!(
        text(&status).contains("shrank from 3 to 1"),
        "{}",
        text(&status)
    );

    // The next build compares with the shrunk source: nothing to warn of.
    let again = build(&site, &["--strict"]);
    assert!(!text(&again).contains("shrank"), "{}", text(&again));
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn the_shrink_threshold_is_set_in_site_toml() {
    let site = scratch("threshold");
    let votes = site.join("data/ar-votes/votes.csv");
    let whole = three_proposals();
    fs::write(&votes, &whole).unwrap();
    assert!(build(&site, &[]).status.success());
    fs::write(site.join("site.toml"), "shrink-warning-percent = 70\n").unwrap();
    let cut = &whole[..whole.find("3,13").unwrap()];
    fs::write(&votes, cut).unwrap();
    let tolerated = build(&site, &["--strict"]);
    assert!(tolerated.status.success(), "{}", text(&tolerated));
    assert!(!text(&tolerated).contains("shrank"), "2 of 3 is within 70%");

    fs::write(site.join("site.toml"), "shrink-warning-percent = 0\n").unwrap();
    fs::write(&votes, &cut[..cut.find("2,12").unwrap()]).unwrap();
    let warned = build(&site, &[]);
    assert!(
        text(&warned).contains("shrank from 2 to 1 proposals (-50%)"),
        "{}",
        text(&warned)
    );

    fs::write(site.join("site.toml"), "shrink-warning-percent = 150\n").unwrap();
    let refused = build(&site, &[]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused).contains("shrink-warning-percent = 150 in site.toml"),
        "{}",
        text(&refused)
    );
    fs::remove_dir_all(&site).unwrap();
}
