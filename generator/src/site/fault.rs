//! Named points in the publish where a test can stop a build as a kill
//! would, or hold it there, to prove that no moment of the publish leaves
//! the output without a whole site and that a second build waits its turn.
//!
//! `HEMICICLO_FAULT=NAME=stop` ends the process at point `NAME` without any
//! clean-up; `HEMICICLO_FAULT=NAME=wait:FILE` holds it there until `FILE`
//! exists (at most two minutes). Several are separated by commas. Unset,
//! as it always is outside tests, each point is one environment lookup.

use std::path::Path;
use std::time::{Duration, Instant};

/// The environment variable that arms the points.
pub const VARIABLE: &str = "HEMICICLO_FAULT";

/// Stops or holds the build here if the environment asks for it.
pub fn point(name: &str) {
    let Ok(spec) = std::env::var(VARIABLE) else {
        return;
    };
    for action in spec
        .split(',')
        .filter_map(|one| one.split_once('='))
        .filter(|(point, _)| *point == name)
        .map(|(_, action)| action)
    {
        if action == "stop" {
            // No destructor runs, as when the process is killed.
            std::process::exit(134);
        }
        if let Some(file) = action.strip_prefix("wait:") {
            let until = Instant::now() + Duration::from_secs(120);
            while !Path::new(file).exists() && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

/// Whether the environment names `flag` among the points (`NAME=on`).
pub fn is_set(flag: &str) -> bool {
    std::env::var(VARIABLE).is_ok_and(|spec| spec.split(',').any(|one| one == format!("{flag}=on")))
}
