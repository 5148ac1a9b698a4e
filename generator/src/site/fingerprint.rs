//! Content-hashed names for the theme's styles, scripts and the quiz
//! module (`style.1a2b3c4d.css`), so browsers and CDNs may keep them for a
//! year: a new build that changes one gets a new name, and a page never
//! meets an older copy. `_headers` says so to hosts that read it (Netlify,
//! Cloudflare Pages).
//!
//! Templates name these files through the `asset` filter
//! (`{{ assets }}{{ "style.css" | asset }}`). Scripts that load each other
//! have their references rewritten, in dependency order: the modules, then
//! the glue that loads them, then the scripts that import the glue.

use crate::site::output::Output;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The files that get hashed names, each after those it refers to.
pub const FINGERPRINTED: &[&str] = &[
    "pkg/hemiciclo_web_bg.wasm",
    "pkg/hemiciclo_results_bg.wasm",
    "pkg/hemiciclo_web.js",
    "pkg/hemiciclo_results.js",
    "style.css",
    "pages.css",
    "embed.css",
    "charts.css",
    "results.css",
    "results.js",
    "search.js",
    "frame.js",
    "quiz.js",
];

/// Hex digits of the SHA-256 in a hashed name.
const DIGITS: usize = 8;

/// The file with hosts' cache rules.
pub const HEADERS: &str = "_headers";

/// Renames every [`FINGERPRINTED`] file in `output` to its hashed name;
/// returns the names, original to hashed.
pub fn apply(output: &Output) -> BTreeMap<String, String> {
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for path in FINGERPRINTED {
        let Some(mut bytes) = output.get(path) else {
            continue;
        };
        if path.ends_with(".js") || path.ends_with(".css") {
            bytes = rewrite(path, &String::from_utf8_lossy(&bytes), &names).into_bytes();
        }
        let hashed = hashed_name(path, &bytes);
        output.remove(path);
        output.add(hashed.clone(), bytes);
        names.insert((*path).to_owned(), hashed);
    }
    names
}

/// `text` (the file at `path`) with its quoted references to renamed files
/// replaced by their new names.
fn rewrite(path: &str, text: &str, names: &BTreeMap<String, String>) -> String {
    let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut text = text.to_owned();
    for (old, new) in names {
        let relative = |p: &str| -> Option<String> {
            if dir.is_empty() {
                Some(p.to_owned())
            } else {
                p.strip_prefix(&format!("{dir}/")).map(str::to_owned)
            }
        };
        let (Some(old), Some(new)) = (relative(old), relative(new)) else {
            continue;
        };
        for quote in ['"', '\''] {
            for lead in ["./", ""] {
                text = text.replace(
                    &format!("{quote}{lead}{old}{quote}"),
                    &format!("{quote}{lead}{new}{quote}"),
                );
            }
        }
    }
    text
}

/// `dir/name.<hash>.ext` for `dir/name.ext`.
fn hashed_name(path: &str, bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let hex: String = hash
        .iter()
        .take(DIGITS / 2)
        .map(|b| format!("{b:02x}"))
        .collect();
    match path.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hex}.{ext}"),
        None => format!("{path}.{hex}"),
    }
}

/// The original name of a hashed one (`style.1a2b3c4d.css` → `style.css`),
/// or the name itself.
pub fn original(path: &str) -> String {
    let mut parts: Vec<&str> = path.rsplitn(3, '.').collect();
    if parts.len() == 3
        && parts[1].len() == DIGITS
        && parts[1].bytes().all(|b| b.is_ascii_hexdigit())
    {
        parts.remove(1);
        parts.reverse();
        return parts.join(".");
    }
    path.to_owned()
}

/// `_headers`: the hashed files kept for a year, the files whose names
/// stay (the worker, the embed loader, the quiz's data) always revalidated.
pub fn headers(names: &BTreeMap<String, String>) -> String {
    let mut text = String::from(
        "# Cache rules for hosts that read this file (Netlify, Cloudflare Pages);\n\
         # written by hemiciclo. Files with a hash in their name never change.\n",
    );
    for hashed in names.values() {
        text.push_str(&format!(
            "/{hashed}\n  Cache-Control: public, max-age=31536000, immutable\n"
        ));
    }
    for path in ["/sw.js", "/embed.js", "/data/*"] {
        text.push_str(&format!("{path}\n  Cache-Control: no-cache\n"));
    }
    text
}

/// The `asset` filter: a file's hashed name, or the name as it is.
pub fn filter(
    names: BTreeMap<String, String>,
) -> impl Fn(
    &tera::Value,
    &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value>
       + Send
       + Sync {
    move |value, _| {
        let name = value
            .as_str()
            .ok_or_else(|| tera::Error::msg("the asset filter takes a file name"))?;
        Ok(tera::Value::String(
            names.get(name).cloned().unwrap_or_else(|| name.to_owned()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_follow_the_renamed_files() {
        let output = Output::default();
        output.add("pkg/hemiciclo_web_bg.wasm", "module");
        output.add(
            "pkg/hemiciclo_web.js",
            "new URL('hemiciclo_web_bg.wasm', import.meta.url)",
        );
        output.add(
            "quiz.js",
            "import x from \"./pkg/hemiciclo_web.js\"; import(\"./results.js\"); import(\"./pkg/hemiciclo_results.js\")",
        );
        output.add("results.js", "r");
        output.add("embed.js", "stays");
        let names = apply(&output);
        let wasm = &names["pkg/hemiciclo_web_bg.wasm"];
        let glue = &names["pkg/hemiciclo_web.js"];
        assert!(output.get("pkg/hemiciclo_web_bg.wasm").is_none());
        assert_eq!(original(wasm), "pkg/hemiciclo_web_bg.wasm");
        let glue_text = String::from_utf8(output.get(glue).unwrap()).unwrap();
        assert!(
            glue_text.contains(&format!("'{}'", &wasm["pkg/".len()..])),
            "{glue_text}"
        );
        let quiz = String::from_utf8(output.get(&names["quiz.js"]).unwrap()).unwrap();
        assert!(quiz.contains(&format!("\"./{glue}\"")), "{quiz}");
        assert!(
            quiz.contains(&format!("\"./{}\"", names["results.js"])),
            "{quiz}"
        );
        assert!(
            quiz.contains("\"./pkg/hemiciclo_results.js\""),
            "a file not in the output keeps its name: {quiz}"
        );
        assert!(output.get("embed.js").is_some());
        let headers = headers(&names);
        assert!(headers.contains(&format!(
            "/{}\n  Cache-Control: public, max-age=31536000, immutable",
            names["quiz.js"]
        )));
        assert!(headers.contains("/sw.js\n  Cache-Control: no-cache"));
    }

    #[test]
    fn a_hashed_name_changes_with_the_bytes_only() {
        assert_eq!(
            hashed_name("a/style.css", b"x"),
            hashed_name("a/style.css", b"x")
        );
        assert_ne!(
            hashed_name("style.css", b"x"),
            hashed_name("style.css", b"y")
        );
        assert_eq!(original(&hashed_name("a/style.css", b"x")), "a/style.css");
        assert_eq!(original("icon-192.png"), "icon-192.png");
        assert_eq!(original("a.b.c"), "a.b.c");
    }
}
