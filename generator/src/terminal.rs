//! Text from the data, made safe to print on a terminal.
//!
//! Ids, titles, party names and file contents come from sources nobody
//! here controls. Printed raw, an escape sequence in a title could move the
//! cursor, rewrite earlier lines, change the window title or hide text, and
//! a bidi override could make a line read differently from what it holds.
//! Everything the command line prints therefore goes through [`text`] (a
//! message of several lines) or [`line`] (one field), which show such
//! characters escaped and visible, as `\u{1b}`, and leave the rest (accents,
//! emoji, any printable text) as it is, without copying it.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal as it is: the C0 controls (ESC,
/// CR, BS, BEL, ...), DEL, the C1 controls (U+0080 to U+009F, among them
/// CSI U+009B) and the bidi embeddings, overrides and isolates (U+202A to
/// U+202E, U+2066 to U+2069).
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` for one field on one line: every unsafe character escaped,
/// line breaks and tabs too (`\n`, `\t`), so no value can start a line of
/// its own.
pub fn line(text: &str) -> Cow<'_, str> {
    escape(text, |_| false)
}

/// `text` for a message of several lines: every unsafe character escaped
/// except line breaks and tabs, which lay the message out.
pub fn text(text: &str) -> Cow<'_, str> {
    escape(text, |c| c == '\n' || c == '\t')
}

/// JSON for a terminal: serde_json already writes the C0 controls as
/// `\u001b`; this writes DEL, the C1 controls and the bidi characters the
/// same way, so the text stays the same JSON value. `json` must be JSON.
pub fn json(json: &str) -> Cow<'_, str> {
    if !json.chars().any(is_unsafe_in_json) {
        return Cow::Borrowed(json);
    }
    let mut safe = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe_in_json(c) {
            safe.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            safe.push(c);
        }
    }
    Cow::Owned(safe)
}

/// Outside strings JSON has only spaces, tabs and line breaks, and inside
/// them serde_json escapes the C0 controls: every other unsafe character
/// stands inside a string, where `\uXXXX` means the same.
fn is_unsafe_in_json(c: char) -> bool {
    is_unsafe(c) && !matches!(c, '\n' | '\t' | '\r' | ' ')
}

fn escape(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    let shown = |c: char| is_unsafe(c) && !keep(c);
    let Some(first) = text.find(shown) else {
        return Cow::Borrowed(text);
    };
    let mut safe = String::with_capacity(text.len() + 16);
    safe.push_str(&text[..first]);
    for c in text[first..].chars() {
        match c {
            c if !shown(c) => safe.push(c),
            '\n' => safe.push_str("\\n"),
            '\r' => safe.push_str("\\r"),
            '\t' => safe.push_str("\\t"),
            c => safe.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
        }
    }
    Cow::Owned(safe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_is_borrowed_as_it_is() {
        for plain in [
            "",
            "Votação final global",
            "PS → PSD 🗳️ «aprovado»",
            "a\\u{1b}",
        ] {
            assert!(
                matches!(line(plain), Cow::Borrowed(s) if s == plain),
                "{plain}"
            );
            assert!(
                matches!(text(plain), Cow::Borrowed(s) if s == plain),
                "{plain}"
            );
            assert!(
                matches!(json(plain), Cow::Borrowed(s) if s == plain),
                "{plain}"
            );
        }
        assert!(matches!(text("two\n\tlines\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn controls_and_bidi_characters_are_shown_escaped() {
        assert_eq!(
            line("\u{1b}[2J\u{1b}]0;owned\u{7}title\u{8}\r"),
            "\\u{1b}[2J\\u{1b}]0;owned\\u{7}title\\u{8}\\r"
        );
        assert_eq!(
            line("a\u{7f}b\u{9b}31mc\u{85}"),
            "a\\u{7f}b\\u{9b}31mc\\u{85}"
        );
        assert_eq!(
            line("\u{202e}fdp.exe\u{202c} \u{2066}x\u{2069} \u{202a}\u{202b}\u{202d}\u{2067}\u{2068}"),
            "\\u{202e}fdp.exe\\u{202c} \\u{2066}x\\u{2069} \
             \\u{202a}\\u{202b}\\u{202d}\\u{2067}\\u{2068}"
        );
        assert_eq!(line("ção\u{0}é"), "ção\\u{0}é", "text around stays");
        assert_eq!(line("one\ntwo\tthree"), "one\\ntwo\\tthree");
        assert_eq!(text("one\ntwo\tthree\r\u{1b}"), "one\ntwo\tthree\\r\\u{1b}");
        for c in (0..=0x10ffff_u32).filter_map(char::from_u32) {
            let escaped = line(&c.to_string()).into_owned();
            assert!(
                !escaped.chars().any(is_unsafe),
                "{c:?} left unsafe: {escaped:?}"
            );
            assert_eq!(is_unsafe(c), escaped != c.to_string(), "{c:?}");
        }
    }

    #[test]
    fn json_keeps_its_value_and_loses_its_unsafe_characters() {
        let value = serde_json::json!({"title": "\u{1b}[31m\u{9b}\u{202e}x\u{7f}\u{2069}", "n": 1});
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        let safe = json(&pretty);
        assert!(!safe.chars().any(is_unsafe_in_json), "{safe}");
        assert!(
            safe.contains("\\u202e") && safe.contains("\\u009b"),
            "{safe}"
        );
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }
}
