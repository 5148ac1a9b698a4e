//! The publish as an operator meets it: one build at a time per output,
//! a whole site at the output's name whenever a build is stopped, and
//! `--out` paths that are never replaced when they are not a site.
//!
//! The builds run the real binary; `HEMICICLO_FAULT` (site/fault.rs) stops
//! one at a named point of its publish, as a kill would, or holds it there.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const HEADER: &str = "iniNr,id,iniDescTipo,iniLeg,iniTitulo,iniId,fase,autor,resultado,data,descricao,unanime,PS,PSD\n";

/// A small site whose data has `count` proposals.
fn site(name: &str, count: usize) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("hemiciclo-publish-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("data/ar-votes")).unwrap();
    fs::write(dir.join("site.toml"), "").unwrap();
    write_votes(&dir, count);
    dir
}

fn write_votes(site: &Path, count: usize) {
    let mut csv = HEADER.to_owned();
    for i in 0..count {
        csv.push_str(&format!(
            "{i},{},Projeto de Lei,XV,Proposta {i},{},Votação na generalidade,PS,Aprovado,2023-01-02,,,A Favor,Contra\n",
            10 + i,
            100 + i
        ));
    }
    fs::write(site.join("data/ar-votes/votes.csv"), csv).unwrap();
}

fn build_command(site: &Path, out: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hemiciclo"));
    command
        .arg("build")
        .arg("--config")
        .arg(site.join("site.toml"))
        .arg("--out")
        .arg(out)
        .arg("--work-dir")
        .arg(site.join("work"))
        .env_remove("HEMICICLO_FAULT")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn build(site: &Path, out: &Path, fault: Option<&str>) -> Output {
    let mut command = build_command(site, out);
    if let Some(fault) = fault {
        command.env("HEMICICLO_FAULT", fault);
    }
    command.output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every file under `dir`, by relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
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
    let mut all = BTreeMap::new();
    walk(dir, dir, &mut all);
    all
}

/// The paths of a site's files: what makes it whole, since some pages
/// (the status page, the change log) also tell of the builds before it.
fn paths(dir: &Path) -> Vec<String> {
    files(dir).into_keys().collect()
}

/// What lies beside the output, but the output, its lock and the work folder.
fn leftovers(site: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(site)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            !matches!(n.as_str(), "public" | "work" | "data" | "site.toml") && !n.ends_with(".lock")
        })
        .collect();
    names.sort();
    names
}

/// Waits until a running build has written its whole staging copy and is
/// held at its publish.
fn wait_for_staged_copy(site: &Path, child: &mut Child) {
    let until = Instant::now() + Duration::from_secs(120);
    loop {
        let staged = fs::read_dir(site).unwrap().flatten().any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".public.staging-")
                && e.path().join(".hemiciclo-site").exists()
        });
        if staged {
            return;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the held build ended early: {status}");
        }
        assert!(
            Instant::now() < until,
            "the build never reached its publish"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_second_build_into_the_same_output_refuses_and_the_first_publishes_a_whole_site() {
    let site = site("concurrent", 3);
    let reference = site.join("reference");
    assert!(build(&site, &reference, None).status.success());
    let out = site.join("public");
    let go = site.join("go");
    let mut first = build_command(&site, &out)
        .env(
            "HEMICICLO_FAULT",
            format!("publish-before-swap=wait:{}", go.display()),
        )
        .spawn()
        .unwrap();
    wait_for_staged_copy(&site, &mut first);

    let second = build(&site, &out, None);
    assert!(!second.status.success(), "the second build must refuse");
    let message = stderr(&second);
    assert!(
        message.contains(&format!("another hemiciclo build (process {})", first.id()))
            && message.contains("--out"),
        "{message}"
    );
    assert!(!out.exists(), "the refused build published nothing");

    fs::write(&go, "").unwrap();
    let first = first.wait_with_output().unwrap();
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        files(&out) == files(&reference),
        "the first build's site is whole"
    );
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn a_build_stopped_at_any_step_of_its_publish_leaves_a_whole_site() {
    let site = site("killed", 2);
    let out = site.join("public");
    let old_reference = site.join("old-reference");
    assert!(build(&site, &old_reference, None).status.success());
    write_votes(&site, 3);
    let new_reference = site.join("new-reference");
    assert!(build(&site, &new_reference, None).status.success());
    let (old, new) = (paths(&old_reference), paths(&new_reference));
    assert!(old != new);
    fs::remove_dir_all(&old_reference).unwrap();
    fs::remove_dir_all(&new_reference).unwrap();

    for point in ["publish-before-swap", "publish-after-swap"] {
        write_votes(&site, 2);
        assert!(build(&site, &out, None).status.success());
        assert!(paths(&out) == old);
        write_votes(&site, 3);
        let stopped = build(&site, &out, Some(&format!("{point}=stop")));
        assert_eq!(
            stopped.status.code(),
            Some(134),
            "{point}: {}",
            stderr(&stopped)
        );
        let seen = paths(&out);
        assert!(
            seen == old || seen == new,
            "{point}: the output is not a whole site"
        );
        // The next build cleans up after the stopped one and publishes.
        let next = build(&site, &out, None);
        assert!(next.status.success(), "{point}: {}", stderr(&next));
        assert!(paths(&out) == new, "{point}");
        assert_eq!(leftovers(&site), Vec::<String>::new(), "{point}");
    }
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn where_names_cannot_be_exchanged_a_build_stopped_mid_publish_is_put_back_by_the_next() {
    let site = site("fallback", 2);
    let out = site.join("public");
    assert!(build(&site, &out, None).status.success());
    let old = files(&out);
    write_votes(&site, 3);
    let stopped = build(
        &site,
        &out,
        Some("publish-without-exchange=on,publish-moved-aside=stop"),
    );
    assert_eq!(stopped.status.code(), Some(134), "{}", stderr(&stopped));
    assert!(!out.exists(), "stopped between the two renames");
    // A build that fails still puts the old site back first.
    fs::write(site.join("data/ar-votes/votes.csv"), "not a table").unwrap();
    assert!(!build(&site, &out, None).status.success());
    assert!(files(&out) == old);
    assert_eq!(leftovers(&site), Vec::<String>::new());
    fs::remove_dir_all(&site).unwrap();
}

#[test]
fn an_out_that_is_a_file_is_refused_and_left_as_it_was() {
    let site = site("file-out", 1);
    let csv = site.join("data/ar-votes/votes.csv");
    let before = fs::read(&csv).unwrap();
    let refused = build(&site, &csv, None);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("is a file, not a folder"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(fs::read(&csv).unwrap(), before);
    fs::remove_dir_all(&site).unwrap();
}

#[cfg(unix)]
#[test]
fn an_out_symlink_is_followed_to_its_site_or_refused_never_replaced() {
    use std::os::unix::fs::symlink;
    let site = site("symlink-out", 1);
    let real = site.join("sites/current");
    assert!(build(&site, &real, None).status.success());
    let link = site.join("public");
    symlink("sites/current", &link).unwrap();
    write_votes(&site, 2);
    let built = build(&site, &link, None);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(
        files(&real).contains_key("p/101/index.html"),
        "the target got the new site"
    );

    let foreign = site.join("data");
    let to_data = site.join("to-data");
    symlink(&foreign, &to_data).unwrap();
    let before = files(&foreign);
    let refused = build(&site, &to_data, None);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("did not publish"),
        "{}",
        stderr(&refused)
    );
    assert!(fs::symlink_metadata(&to_data)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(files(&foreign) == before);

    let dangling = site.join("dangling");
    symlink(site.join("nowhere"), &dangling).unwrap();
    let refused = build(&site, &dangling, None);
    assert!(
        stderr(&refused).contains("does not exist"),
        "{}",
        stderr(&refused)
    );
    assert!(!site.join("nowhere").exists());
    fs::remove_dir_all(&site).unwrap();
}
