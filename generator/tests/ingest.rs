//! The ingest pipeline on the real data: resumable, incremental, keeping
//! every snapshot with a change log, and failing cleanly.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A site folder with a copy of the default data and configuration.
fn site_copy(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("hemiciclo-ingest-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    for sub in ["data/ar-votes", "data/topics"] {
        fs::create_dir_all(dir.join(sub)).unwrap();
        for entry in fs::read_dir(workspace().join(sub)).unwrap() {
            let path = entry.unwrap().path();
            fs::copy(&path, dir.join(sub).join(path.file_name().unwrap())).unwrap();
        }
    }
    fs::copy(workspace().join("site.toml"), dir.join("site.toml")).unwrap();
    dir
}

fn hemiciclo(site: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hemiciclo"));
    command
        .args(args)
        .arg("--config")
        .arg(site.join("site.toml"));
    command
}

fn ingest(site: &Path) -> std::process::Output {
    let output = hemiciclo(site, &["ingest", "--verbose"]).output().unwrap();
    assert!(
        output.status.success(),
        "ingest failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// (current snapshot id, its dataset bytes).
fn current_dataset(work: &Path) -> (String, Vec<u8>) {
    let id = fs::read_to_string(work.join("current")).unwrap();
    let bytes = fs::read(work.join("snapshots").join(id.trim()).join("dataset.json")).unwrap();
    (id.trim().to_owned(), bytes)
}

fn snapshot_count(work: &Path) -> usize {
    fs::read_dir(work.join("snapshots"))
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn an_ingest_killed_at_any_point_resumes_to_the_same_dataset() {
    let reference = site_copy("kill-reference");
    ingest(&reference);
    let (expected_id, expected) = current_dataset(&reference.join(".hemiciclo"));

    let site = site_copy("kill");
    let work = site.join(".hemiciclo");
    for delay in [10, 40, 80, 150, 250, 400, 600, 900, 1300] {
        let _ = fs::remove_dir_all(&work);
        // Kill twice in a row at growing points, then let it finish.
        for attempt in [delay, delay * 2] {
            let mut child = hemiciclo(&site, &["ingest"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(Duration::from_millis(attempt));
            let _ = child.kill(); // SIGKILL: no chance to clean up.
            let _ = child.wait();
            let records: Vec<String> = fs::read_dir(work.join("stages"))
                .map(|e| {
                    e.flatten()
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            println!("killed after {attempt} ms with stage records {records:?}");
        }
        ingest(&site);
        let (id, bytes) = current_dataset(&work);
        assert_eq!(id, expected_id, "resumed after a kill at {delay} ms");
        assert!(
            bytes == expected,
            "dataset bytes differ after a kill at {delay} ms"
        );
        for dir in ["stages", "history", "snapshots"] {
            let leftovers: Vec<String> = fs::read_dir(work.join(dir))
                .unwrap()
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".tmp"))
                .collect();
            assert!(leftovers.is_empty(), "{dir}: {leftovers:?}");
        }
        assert_eq!(
            snapshot_count(&work),
            1,
            "one snapshot, however often it was killed"
        );
    }
    fs::remove_dir_all(&reference).unwrap();
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn a_second_ingest_with_nothing_changed_skips_every_stage() {
    let site = site_copy("warm");
    ingest(&site);
    let second = ingest(&site);
    let log = String::from_utf8_lossy(&second.stderr);
    for stage in ["merge", "enrich"] {
        let line = log
            .lines()
            .find(|l| l.starts_with(stage))
            .unwrap_or_else(|| panic!("{log}"));
        assert!(line.contains("unchanged, skipped"), "{line}");
    }
    assert_eq!(log.matches("parse data/ar-votes/").count(), 3, "{log}");
    assert_eq!(log.matches("unchanged, skipped").count(), 6, "{log}");
    let status = hemiciclo(&site, &["status"]).output().unwrap();
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(status.status.success());
    assert!(
        text.contains("3899 proposals") && text.contains("1 snapshots kept"),
        "{text}"
    );
    assert!(text.contains("quarantine: 0 records"), "{text}");
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn editing_one_vote_makes_a_new_snapshot_with_a_change_log() {
    let site = site_copy("edit");
    ingest(&site);
    let work = site.join(".hemiciclo");
    let (first_id, first_bytes) = current_dataset(&work);

    // Initiative 44059's vote on the general principle (2019-11-15) was
    // rejected; pretend the source now says it was approved.
    let path = site.join("data/ar-votes/l14.csv");
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (ini, phase, result) = (column("iniId"), column("fase"), column("resultado"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&headers).unwrap();
    let mut edited = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let mut fields: Vec<String> = record.iter().map(str::to_owned).collect();
        if fields[ini] == "44059" && fields[phase] == "Votação na generalidade" {
            assert_eq!(fields[result], "Rejeitado");
            fields[result] = "Aprovado".into();
            edited += 1;
        }
        writer.write_record(&fields).unwrap();
    }
    assert_eq!(edited, 1);
    fs::write(&path, writer.into_inner().unwrap()).unwrap();
    ingest(&site);

    let (second_id, _) = current_dataset(&work);
    assert_ne!(second_id, first_id);
    assert_eq!(snapshot_count(&work), 2, "the old snapshot is kept");
    let kept = fs::read(work.join("snapshots").join(&first_id).join("dataset.json")).unwrap();
    assert!(kept == first_bytes, "the old snapshot is never rewritten");
    let history = fs::read_to_string(work.join("history/000001.json")).unwrap();
    let history: serde_json::Value = serde_json::from_str(&history).unwrap();
    assert_eq!(history["previous"], first_id.as_str());
    let changes = history["changes"].clone();
    assert_eq!(changes["added"].as_array().unwrap().len(), 0);
    assert_eq!(changes["removed"].as_array().unwrap().len(), 0);
    let changed = changes["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{changes}");
    assert_eq!(changed[0]["proposal"], "44059");
    assert_eq!(
        changed[0]["votes_changed"][0]["result"],
        serde_json::json!(["rejected", "approved"])
    );

    let status = hemiciclo(&site, &["status"]).output().unwrap();
    let text = String::from_utf8_lossy(&status.stdout);
    println!("{text}");
    assert!(text.contains("result rejected -> approved"), "{text}");
    assert!(text.contains(&format!("previous {first_id}")), "{text}");

    // Going back to the first content is a change too, logged against the second.
    fs::copy(workspace().join("data/ar-votes/l14.csv"), &path).unwrap();
    ingest(&site);
    assert_eq!(current_dataset(&work).0, first_id);
    assert_eq!(
        snapshot_count(&work),
        2,
        "the first snapshot is reused, not rewritten"
    );
    let status = hemiciclo(&site, &["status"]).output().unwrap();
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(text.contains("result approved -> rejected"), "{text}");
    assert!(text.contains(&format!("previous {second_id}")), "{text}");
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn an_unreachable_source_stops_the_build_and_keeps_the_published_site() {
    let site = site_copy("unreachable");
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    fs::write(
        site.join("site.toml"),
        format!(
            "[[source]]\nlocation = \"http://127.0.0.1:{port}/votes.csv\"\nformat = \"ar-csv\"\n"
        ),
    )
    .unwrap();
    let out = site.join("public");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("index.html"), "published").unwrap();
    fs::write(out.join(hemiciclo::site::output::MARKER), "").unwrap();
    let output = hemiciclo(&site, &["build", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("http://127.0.0.1:{port}/votes.csv")),
        "{stderr}"
    );
    assert!(stderr.contains("published site is unchanged"), "{stderr}");
    assert_eq!(
        fs::read_to_string(out.join("index.html")).unwrap(),
        "published"
    );
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn quarantined_records_are_reported_and_strict_refuses_them() {
    let site = site_copy("quarantine");
    let path = site.join("data/ar-votes/l17.csv");
    let text = fs::read_to_string(&path).unwrap();
    // Make one position unreadable: the row goes to quarantine, the rest stays.
    let bad = text.replacen(",A Favor,", ",Talvez,", 1);
    fs::write(&path, bad).unwrap();

    let output = ingest(&site);
    assert!(String::from_utf8_lossy(&output.stderr).contains("1 records were quarantined"));
    let status = hemiciclo(&site, &["status"]).output().unwrap();
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(text.contains("quarantine: 1 records"), "{text}");
    assert!(
        text.contains("l17.csv") && text.contains("Talvez"),
        "{text}"
    );

    let strict = hemiciclo(&site, &["ingest", "--strict"]).output().unwrap();
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&strict.stderr).contains("--strict: 1 records were quarantined")
    );
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn official_json_and_csv_sources_join_into_one_site() {
    let site = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("hemiciclo-ingest-json-{}", std::process::id()));
    let _ = fs::remove_dir_all(&site);
    fs::create_dir_all(site.join("official")).unwrap();
    let samples = workspace().join("tests/fixtures/ar-official");
    let files = [
        "parlamento-app_example_iniciativa.json",
        "ric2b_minimal_example.json",
        "ric2b_minimal_example_approved_and_rejected.json",
    ];
    let mut config = String::from("[[source]]\nlocation = \"l17.csv\"\nformat = \"ar-csv\"\n");
    for file in files {
        fs::copy(samples.join(file), site.join("official").join(file)).unwrap();
        config.push_str(&format!(
            "[[source]]\nlocation = \"official/{file}\"\nformat = \"ar-json\"\n"
        ));
    }
    fs::copy(
        workspace().join("data/ar-votes/l17.csv"),
        site.join("l17.csv"),
    )
    .unwrap();
    fs::write(site.join("site.toml"), config).unwrap();

    let out = site.join("public");
    let output = hemiciclo(&site, &["build", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    // 371 initiatives of the CSV, 1 of the app sample, and 263542 and
    // 263610 of the two ric2b samples, which share 263542: it is one record.
    assert!(stdout.contains("built 374 proposals"), "{stdout}");

    let page = fs::read_to_string(out.join("p/356278/index.html")).unwrap();
    assert!(page.contains("Em comissão"), "committee votes are marked");
    assert!(page.contains("77 a favor"), "member counts are shown");
    assert_eq!(
        page.matches("Votação decisiva (fora do questionário")
            .count(),
        1,
        "a unanimous final vote"
    );
    let status = fs::read_to_string(out.join("status/index.html")).unwrap();
    assert!(
        status.contains("official/ric2b_minimal_example.json"),
        "{status}"
    );
    fs::remove_dir_all(&site).unwrap();
}
