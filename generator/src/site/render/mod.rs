//! Turns the dataset into HTML pages with tera.
//!
//! The default theme's templates are compiled into the binary; a file of
//! the same name in the site's own `templates/` folder replaces one. The
//! templates receive small serialisable views (see [`views`]) so that the
//! logic stays in Rust and the templates stay simple.

mod views;

pub use views::{Frame, Labels, LanguageLink, LegislatureLink, SiteView};

use crate::error::{Error, IoContext, Result};
use crate::ingest::dataset::Dataset;
use crate::site::output::Output;
use hemiciclo_core::Manifest;
use std::path::Path;
use tera::Tera;
use views::{HomePage, LegislaturePage, ProposalPage, QuizScope, StatusPage};

/// The default theme: (template name, source).
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../../../templates/base.html")),
    (
        "index.html",
        include_str!("../../../../templates/index.html"),
    ),
    (
        "proposal.html",
        include_str!("../../../../templates/proposal.html"),
    ),
    (
        "legislature.html",
        include_str!("../../../../templates/legislature.html"),
    ),
    (
        "status.html",
        include_str!("../../../../templates/status.html"),
    ),
];

/// The default theme's static files: (path in the site, bytes).
const STATIC_FILES: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../../../static/style.css")),
    ("quiz.js", include_bytes!("../../../../static/quiz.js")),
    (
        "results.js",
        include_bytes!("../../../../static/results.js"),
    ),
];

/// Folder of a proposal's page, relative to the site root.
pub fn proposal_dir(id: &str) -> String {
    format!("p/{}/", path_segment(id))
}

/// Folder of a legislature's listing, relative to the site root.
pub fn legislature_dir(name: &str) -> String {
    format!("l/{}/", path_segment(name))
}

/// Turns an id from the data into one safe path segment: letters, digits,
/// `-` and `_` stay, every other byte becomes `~` and two hex digits. Ids
/// come from the sources, so `../x`, `V 2023/014` or `a?b` must neither
/// leave the output folder nor break a link; the mapping is one-to-one, so
/// two ids never share a page.
pub fn path_segment(id: &str) -> String {
    let mut segment = String::with_capacity(id.len());
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_' {
            segment.push(char::from(byte));
        } else {
            segment.push_str(&format!("~{byte:02X}"));
        }
    }
    if segment.is_empty() {
        segment.push('~');
    }
    segment
}

/// Compiles the templates: the default theme overlaid with the site's own.
pub fn load_templates(site_dir: &Path) -> Result<Tera> {
    let mut sources: Vec<(String, String)> = Vec::new();
    for (name, default) in TEMPLATES {
        let custom = site_dir.join("templates").join(name);
        let source = match std::fs::read_to_string(&custom) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (*default).to_owned(),
            Err(e) => return Err(e).doing(|| format!("cannot read {}", custom.display())),
        };
        sources.push(((*name).to_owned(), source));
    }
    let mut tera = Tera::default();
    tera.set_escape_fn(escape_html);
    tera.register_filter("fill", fill_filter);
    tera.add_raw_templates(sources)
        .map_err(|source| Error::Template {
            doing: "a template does not compile".into(),
            source,
        })?;
    Ok(tera)
}

/// `{{ t.home.continue | fill(cap=40) }}`: a translated text with each
/// `{name}` replaced by the argument of that name.
fn fill_filter(
    value: &tera::Value,
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("fill applies to a text from the language file"))?;
    let values: Vec<(&str, String)> = args
        .iter()
        .map(|(name, value)| {
            let shown = match value {
                tera::Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            (name.as_str(), shown)
        })
        .collect();
    Ok(tera::Value::String(crate::i18n::fill(
        text,
        values.iter().map(|(n, v)| (*n, v.as_str())),
    )))
}

/// Escapes the five characters that matter in HTML text and quoted
/// attributes; tera's default also escapes `/`, which only bloats paths.
fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// Adds the theme's static files, then the site's own `static/` folder over them.
pub fn add_static_files(site_dir: &Path, output: &mut Output) -> Result<()> {
    for (path, bytes) in STATIC_FILES {
        output.add(*path, *bytes);
    }
    add_folder(&site_dir.join("static"), "", output)
}

/// Copies every file under `dir` into the output under `prefix`.
pub fn add_folder(dir: &Path, prefix: &str, output: &mut Output) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).doing(|| format!("cannot read {}", dir.display())),
    };
    let mut paths: Vec<_> = entries
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .doing(|| format!("cannot list {}", dir.display()))?;
    paths.sort();
    for path in paths {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let target = format!("{prefix}{name}");
        if path.is_dir() {
            add_folder(&path, &format!("{target}/"), output)?;
        } else {
            let bytes = std::fs::read(&path).doing(|| format!("cannot read {}", path.display()))?;
            output.add(target, bytes);
        }
    }
    Ok(())
}

/// Renders every page of one language into `output`, under `prefix`
/// (`""` for the site's first language, `"en/"`, ...).
pub fn render_pages(
    tera: &Tera,
    site: &SiteView,
    prefix: &str,
    dataset: &Dataset,
    manifest: &Manifest,
    output: &mut Output,
) -> Result<()> {
    let mut quiz = QuizScope::of(manifest);
    quiz.government = dataset.proposals.iter().any(|p| p.proposer.is_some());
    let home = HomePage {
        site,
        frame: Frame::new(prefix, ""),
        card_count: manifest.card_count,
        deck_text: quiz.deck_text(&site.language, manifest.card_count),
        quiz,
        page_strings: site.language.page_strings(&site.labels.kinds),
    };
    output.add(
        format!("{prefix}index.html"),
        render(tera, "index.html", site, &home, "the home page")?,
    );

    for (name, proposals) in dataset.by_legislature() {
        let dir = legislature_dir(name);
        let page = LegislaturePage::new(site, Frame::new(prefix, &dir), name, &proposals);
        let what = format!("the listing of legislature {name}");
        output.add(
            format!("{prefix}{dir}index.html"),
            render(tera, "legislature.html", site, &page, &what)?,
        );
    }

    for proposal in &dataset.proposals {
        let dir = proposal_dir(&proposal.id);
        let page = ProposalPage::new(site, Frame::new(prefix, &dir), &dataset.actors, proposal);
        let what = format!("the page of proposal {}", proposal.id);
        output.add(
            format!("{prefix}{dir}index.html"),
            render(tera, "proposal.html", site, &page, &what)?,
        );
    }
    Ok(())
}

/// Renders the pipeline status page: what the last ingest read, skipped,
/// quarantined and changed.
pub fn render_status(
    tera: &Tera,
    site: &SiteView,
    prefix: &str,
    report: &crate::ingest::IngestReport,
    output: &mut Output,
) -> Result<()> {
    let page = StatusPage::new(site, Frame::new(prefix, "status/"), report);
    output.add(
        format!("{prefix}status/index.html"),
        render(tera, "status.html", site, &page, "the pipeline status page")?,
    );
    Ok(())
}

/// Renders `view` with `template`; every template also sees the site's
/// words as `t`.
fn render(
    tera: &Tera,
    template: &str,
    site: &SiteView,
    view: &impl serde::Serialize,
    what: &str,
) -> Result<String> {
    let mut context = tera::Context::from_serialize(view).map_err(|source| Error::Template {
        doing: format!("cannot prepare {what}"),
        source,
    })?;
    context.insert("t", &site.t);
    tera.render(template, &context)
        .map_err(|source| Error::Template {
            doing: format!("cannot render {what} with template {template}"),
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_the_data_become_safe_distinct_path_segments() {
        assert_eq!(path_segment("44059"), "44059");
        assert_eq!(path_segment("XVII"), "XVII");
        assert_eq!(path_segment("../../pwned"), "~2E~2E~2F~2E~2E~2Fpwned");
        assert_eq!(path_segment("V 2023/014"), "V~202023~2F014");
        assert_eq!(path_segment(""), "~");
        assert_ne!(path_segment("a/b"), path_segment("a~2Fb"));
        assert_eq!(path_segment("Ação"), "A~C3~A7~C3~A3o");
        assert_eq!(proposal_dir("a?b#c"), "p/a~3Fb~23c/");
    }
}
