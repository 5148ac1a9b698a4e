//! Smaller JavaScript for the first question: the theme's scripts and the
//! quiz module's glue lose their comments and indentation when published.
//!
//! A visitor downloads these before the first question, and a third of
//! their bytes (compressed) is commentary for whoever reads the source.
//! This is not a minifier: it drops whole lines that are comments and the
//! blanks that start lines, nothing inside a line, so it is only applied to
//! files written for it — no string or template literal spans lines (a test
//! checks the theme's files).

/// `source` without blank lines, lines that are only a `//` comment, block
/// comments that start a line (`/** … */`, as wasm-bindgen writes them)
/// and the indentation of every other line.
pub fn compact_js(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut in_block = false;
    for line in source.lines() {
        let line = line.trim();
        if in_block {
            in_block = !line.contains("*/");
            continue;
        }
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        if line.starts_with("/*") {
            in_block = !line.contains("*/");
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_indentation_go_code_stays() {
        let source = "// a file\nexport class A {\n    /**\n     * @param {string} text\n     */\n    f(text) {\n        return `a // not a comment`; // kept: inside a line\n    }\n    /* one line */\n}\n\n";
        assert_eq!(
            compact_js(source),
            "export class A {\nf(text) {\nreturn `a // not a comment`; // kept: inside a line\n}\n}\n"
        );
    }

    #[test]
    fn the_themes_scripts_have_no_literal_across_lines() {
        for (name, source) in [
            ("quiz.js", include_str!("../../../static/quiz.js")),
            ("results.js", include_str!("../../../static/results.js")),
            ("embed.js", include_str!("../../../static/embed.js")),
            ("frame.js", include_str!("../../../static/frame.js")),
            ("sw.js", include_str!("../../../static/sw.js")),
        ] {
            for (i, line) in source.lines().enumerate() {
                let line = line.trim_start();
                if line.starts_with("//") || line.starts_with("/*") || line.starts_with('*') {
                    continue;
                }
                let code = line.split(" //").next().unwrap_or_default();
                assert_eq!(
                    code.matches('`').count() % 2,
                    0,
                    "{name}:{}: a template literal spans lines, which compact_js would change",
                    i + 1
                );
            }
        }
    }
}
