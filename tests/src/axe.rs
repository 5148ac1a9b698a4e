//! axe-core, the accessibility engine, run inside the page under test.
//!
//! `cargo xtask test` installs axe-core from npm at a pinned version (a test
//! tool, never part of the site) and passes the path of its `axe.min.js` in
//! `HEMICICLO_AXE`. The source is injected with WebDriver's *execute*, which
//! runs outside the page's Content-Security-Policy, so a page that forbids
//! inline scripts can still be checked; then `axe.run` is awaited with
//! WebDriver's *execute async*.

use crate::paths;
use fantoccini::wd::TimeoutConfiguration;
use fantoccini::Client;
use serde_json::{json, Value};
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// The rule tags of WCAG 2.0 and 2.1, levels A and AA.
pub const WCAG21_AA: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// How many failing nodes a report names per rule.
const TARGETS_SHOWN: usize = 5;

/// A run over a listing of a few thousand links takes seconds on a slow
/// machine; WebDriver's default script timeout is 30 s.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(180);

/// Runs axe in the page, the page's CSP notwithstanding, and hands back
/// what it found, or what went wrong, as JSON.
const RUN: &str = "const [tags, shown, done] = arguments;
(async () => {
  try {
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    const target = (node) => node.target
      .map((t) => (Array.isArray(t) ? t.join(' >>> ') : String(t)))
      .join(' | ');
    done({
      violations: r.violations.map((v) => ({
        id: v.id,
        impact: v.impact || '',
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.length,
        targets: v.nodes.slice(0, shown).map(target),
        summary: v.nodes.length ? v.nodes[0].failureSummary || '' : '',
      })),
      incomplete: r.incomplete.map((v) => v.id),
    });
  } catch (e) {
    done({ error: String((e && e.stack) || e) });
  }
})();";

/// The axe-core script, read once per test binary.
#[derive(Debug, Clone)]
pub struct Axe {
    source: String,
    path: PathBuf,
}

impl Axe {
    /// Reads `$HEMICICLO_AXE`, else the copy `cargo xtask test` installs in
    /// `<target>/tools/axe`; panics with a hint when there is neither.
    pub fn load() -> Self {
        let path = match std::env::var_os("HEMICICLO_AXE") {
            Some(path) if !path.is_empty() => PathBuf::from(path),
            _ => paths::target_dir().join("tools/axe/node_modules/axe-core/axe.min.js"),
        };
        let source = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "axe-core not found at {} ({e}): run `cargo xtask test`, which installs it \
                 from npm, or set HEMICICLO_AXE to an axe.min.js",
                path.display()
            )
        });
        Axe { source, path }
    }

    /// Where the script was read from.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Puts axe into the current document unless it is there already, and
    /// returns its version.
    pub async fn inject(&self, client: &Client) -> String {
        const VERSION: &str = "return window.axe && typeof window.axe.run === 'function' \
                               ? String(window.axe.version) : null;";
        let present = client
            .execute(VERSION, vec![])
            .await
            .expect("ask the page for axe");
        if let Value::String(version) = present {
            return version;
        }
        client
            .execute(&self.source, vec![])
            .await
            .unwrap_or_else(|e| panic!("inject {}: {e}", self.path.display()));
        match client.execute(VERSION, vec![]).await {
            Ok(Value::String(version)) => version,
            other => panic!(
                "{} ran but the page has no axe: {other:?}",
                self.path.display()
            ),
        }
    }

    /// Runs the rules tagged `tags` on the current document.
    pub async fn run(&self, client: &Client, tags: &[&str]) -> Outcome {
        let version = self.inject(client).await;
        client
            .update_timeouts(TimeoutConfiguration::new(Some(SCRIPT_TIMEOUT), None, None))
            .await
            .expect("set the script timeout");
        let value = client
            .execute_async(RUN, vec![json!(tags), json!(TARGETS_SHOWN)])
            .await
            .expect("run axe");
        if let Some(error) = value.get("error") {
            panic!("axe.run failed: {error}");
        }
        let text = |v: &Value, key: &str| v[key].as_str().unwrap_or_default().to_owned();
        let violations = value["violations"]
            .as_array()
            .unwrap_or_else(|| panic!("axe.run returned no violations list: {value}"))
            .iter()
            .map(|v| Violation {
                id: text(v, "id"),
                impact: text(v, "impact"),
                help: text(v, "help"),
                help_url: text(v, "helpUrl"),
                nodes: v["nodes"].as_u64().unwrap_or_default() as usize,
                targets: v["targets"]
                    .as_array()
                    .map(|t| t.iter().map(text_of).collect())
                    .unwrap_or_default(),
                summary: text(v, "summary"),
            })
            .collect();
        let incomplete = value["incomplete"]
            .as_array()
            .map(|ids| ids.iter().map(text_of).collect())
            .unwrap_or_default();
        Outcome {
            version,
            violations,
            incomplete,
        }
    }
}

fn text_of(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}

/// What one run found.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// axe-core's version, as the page reports it.
    pub version: String,
    pub violations: Vec<Violation>,
    /// The rules axe could not decide on (for a person to review); not failures.
    pub incomplete: Vec<String>,
}

/// One rule that failed, and where.
#[derive(Debug, Clone)]
pub struct Violation {
    /// The rule, e.g. `color-contrast`.
    pub id: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: String,
    /// What the rule asks for, in a line.
    pub help: String,
    pub help_url: String,
    /// How many nodes fail it.
    pub nodes: usize,
    /// The CSS selectors of the first few of them.
    pub targets: Vec<String>,
    /// Why the first one fails, as axe words it.
    pub summary: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "  - {} ({}): {} [{} node{}] {}",
            self.id,
            self.impact,
            self.help,
            self.nodes,
            if self.nodes == 1 { "" } else { "s" },
            self.help_url
        )?;
        for target in &self.targets {
            writeln!(f, "      {target}")?;
        }
        if self.nodes > self.targets.len() {
            writeln!(f, "      … and {} more", self.nodes - self.targets.len())?;
        }
        for line in self.summary.lines().filter(|l| !l.trim().is_empty()) {
            writeln!(f, "      | {}", line.trim())?;
        }
        Ok(())
    }
}
