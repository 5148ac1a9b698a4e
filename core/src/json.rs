//! A small, strict JSON reader for the bundle.
//!
//! The WASM module reads the bundle with this rather than serde_json: a
//! pull reader the bundle types drive field by field costs a fraction of
//! serde_json's deserialiser in the module. It reads RFC 8259 JSON with no
//! extensions, nests at most [`MAX_DEPTH`] deep, and never panics: any
//! input is either read or refused with an [`Error`] that says where.
//! Numbers are only read as unsigned integers; other numbers (negative,
//! fractional, exponents) are accepted only where a value is skipped.

use std::fmt;

/// How deep objects and arrays may nest.
pub const MAX_DEPTH: u32 = 32;

/// Why a text could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub what: String,
    /// 1-based line of the offending byte.
    pub line: usize,
    /// 1-based column of the offending byte, counted in characters.
    pub column: usize,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {}, column {}",
            self.what, self.line, self.column
        )
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// A cursor over one JSON text; the caller pulls the values it expects.
#[derive(Debug)]
pub struct Reader<'a> {
    text: &'a str,
    pos: usize,
    depth: u32,
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Reader<'a> {
        Reader {
            text,
            pos: 0,
            depth: 0,
        }
    }

    /// Byte offset of the next value (after any whitespace).
    pub fn offset(&mut self) -> usize {
        self.skip_whitespace();
        self.pos
    }

    /// An error about the byte at `offset`.
    pub fn error_at(&self, offset: usize, what: impl Into<String>) -> Error {
        let before = self.text.get(..offset).unwrap_or(self.text);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Error {
            what: what.into(),
            line: before.matches('\n').count() + 1,
            column: before.get(line_start..).unwrap_or_default().chars().count() + 1,
        }
    }

    /// An error about the next value.
    pub fn error(&mut self, what: impl Into<String>) -> Error {
        let offset = self.offset();
        self.error_at(offset, what)
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek_raw() {
            self.pos += 1;
        }
    }

    fn peek_raw(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.peek_raw()
    }

    /// Consumes `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<()> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(self.error(what))
        }
    }

    fn enter(&mut self) -> Result<()> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error("nested too deep"));
        }
        self.depth += 1;
        Ok(())
    }

    /// Reads an object, calling `field` with each key; `field` must read
    /// (or [`skip`](Reader::skip)) the value.
    pub fn object(&mut self, mut field: impl FnMut(&mut Self, &str) -> Result<()>) -> Result<()> {
        self.expect(b'{', "expected an object")?;
        self.enter()?;
        if !self.eat(b'}') {
            loop {
                if self.peek() != Some(b'"') {
                    return Err(self.error("expected a field name"));
                }
                let key = self.string()?;
                self.expect(b':', "expected `:`")?;
                field(self, &key)?;
                if self.eat(b'}') {
                    break;
                }
                self.expect(b',', "expected `,` or `}`")?;
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// Reads an array, calling `item` to read each element.
    pub fn array(&mut self, mut item: impl FnMut(&mut Self) -> Result<()>) -> Result<()> {
        self.expect(b'[', "expected an array")?;
        self.enter()?;
        if !self.eat(b']') {
            loop {
                item(self)?;
                if self.eat(b']') {
                    break;
                }
                self.expect(b',', "expected `,` or `]`")?;
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// Reads a string, decoding its escapes.
    pub fn string(&mut self) -> Result<String> {
        self.expect(b'"', "expected a string")?;
        let mut out = String::new();
        loop {
            let start = self.pos;
            while let Some(b) = self.peek_raw() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // `"`, `\` and control bytes are ASCII, so these are char boundaries.
            out.push_str(self.text.get(start..self.pos).unwrap_or_default());
            match self.peek_raw() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    out.push(self.escape()?);
                }
                Some(_) => return Err(self.error_at(self.pos, "control character in a string")),
                None => return Err(self.error_at(self.pos, "unterminated string")),
            }
        }
    }

    /// Decodes the escape after a `\`.
    fn escape(&mut self) -> Result<char> {
        let at = self.pos - 1;
        let Some(byte) = self.peek_raw() else {
            return Err(self.error_at(at, "unterminated string"));
        };
        self.pos += 1;
        Ok(match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let high = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&high) {
                    let low = match self.text.as_bytes().get(self.pos..self.pos + 2) {
                        Some(b"\\u") => {
                            self.pos += 2;
                            self.hex4()?
                        }
                        _ => 0,
                    };
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(self.error_at(at, "unpaired surrogate"));
                    }
                    0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    high
                };
                return char::from_u32(code).ok_or_else(|| self.error_at(at, "unpaired surrogate"));
            }
            _ => return Err(self.error_at(at, "invalid escape")),
        })
    }

    fn hex4(&mut self) -> Result<u32> {
        let digits = self.text.get(self.pos..self.pos + 4).unwrap_or("");
        if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(self.error_at(self.pos, "invalid \\u escape"));
        }
        self.pos += 4;
        u32::from_str_radix(digits, 16)
            .map_err(|_| self.error_at(self.pos - 4, "invalid \\u escape"))
    }

    /// Scans any JSON number, returning its text.
    fn number(&mut self) -> Result<&'a str> {
        let start = self.offset();
        let digits = |r: &mut Self| {
            let from = r.pos;
            while r.peek_raw().is_some_and(|b| b.is_ascii_digit()) {
                r.pos += 1;
            }
            r.pos > from
        };
        if self.peek_raw() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        // No leading zeros: `0` alone, or digits not starting with `0`.
        let leading = self.text.as_bytes().get(int_start).copied();
        let mut ok = digits(self) && (leading != Some(b'0') || self.pos == int_start + 1);
        if ok && self.peek_raw() == Some(b'.') {
            self.pos += 1;
            ok = digits(self);
        }
        if ok && matches!(self.peek_raw(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek_raw(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            ok = digits(self);
        }
        if ok {
            Ok(self.text.get(start..self.pos).unwrap_or_default())
        } else {
            Err(self.error_at(start, "invalid number"))
        }
    }

    /// Reads a non-negative integer.
    pub fn u64(&mut self) -> Result<u64> {
        let start = self.offset();
        if !self
            .peek_raw()
            .is_some_and(|b| b.is_ascii_digit() || b == b'-')
        {
            return Err(self.error_at(start, "expected a number"));
        }
        let text = self.number()?;
        text.parse()
            .map_err(|_| self.error_at(start, "expected a non-negative integer"))
    }

    /// Consumes `null` if it comes next.
    pub fn null(&mut self) -> bool {
        self.keyword("null")
    }

    /// Consumes `word` if it comes next.
    fn keyword(&mut self, word: &str) -> bool {
        self.skip_whitespace();
        let found = self
            .text
            .as_bytes()
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(word.as_bytes()));
        if found {
            self.pos += word.len();
        }
        found
    }

    /// Reads `true` or `false`.
    pub fn bool(&mut self) -> Result<bool> {
        if self.keyword("true") {
            Ok(true)
        } else if self.keyword("false") {
            Ok(false)
        } else {
            Err(self.error("expected `true` or `false`"))
        }
    }

    /// Reads and discards any value.
    pub fn skip(&mut self) -> Result<()> {
        match self.peek() {
            Some(b'{') => self.object(|r, _| r.skip()),
            Some(b'[') => self.array(Self::skip),
            Some(b'"') => self.string().map(drop),
            Some(b't' | b'f') => self.bool().map(drop),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            _ if self.null() => Ok(()),
            None => Err(self.error("unexpected end of text")),
            Some(_) => Err(self.error("expected a value")),
        }
    }

    /// Checks that nothing but whitespace follows the value read.
    pub fn finish(&mut self) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error("trailing characters")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn skip_all(text: &str) -> Result<()> {
        let mut reader = Reader::new(text);
        reader.skip()?;
        reader.finish()
    }

    fn string(text: &str) -> Result<String> {
        let mut reader = Reader::new(text);
        let value = reader.string()?;
        reader.finish().map(|()| value)
    }

    #[test]
    fn decodes_every_escape() {
        assert_eq!(
            string(r#""a\"\\\/\b\f\n\r\t\u00e9\u20AC\ud83d\ude00z""#).unwrap(),
            "a\"\\/\u{8}\u{c}\n\r\t\u{e9}\u{20ac}\u{1f600}z"
        );
        for bad in [
            r#""\ud83d""#,
            r#""\ud83dx""#,
            r#""\ud83d\u0041""#,
            r#""\ude00""#,
            r#""\x""#,
            r#""\u12""#,
            r#""\u12g4""#,
            "\"\\",
            "\"abc",
            "\"a\tb\"",
        ] {
            assert!(string(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn reads_integers_and_skips_other_numbers() {
        assert_eq!(Reader::new(" 42 ").u64(), Ok(42));
        assert_eq!(Reader::new("18446744073709551615").u64(), Ok(u64::MAX));
        for bad in ["-1", "1.5", "1e3", "18446744073709551616", "x"] {
            assert!(Reader::new(bad).u64().is_err(), "{bad}");
        }
        for good in ["-0", "0", "-1.5e+3", "2E-7", "10.25"] {
            assert_eq!(skip_all(good), Ok(()), "{good}");
        }
        for bad in ["01", "-", "1.", ".5", "1e", "1e+", "+1", "0x1"] {
            assert!(skip_all(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn refuses_what_json_does_not_allow() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "{a:1}",
            "{\"a\" 1}",
            "[1 2]",
            "nul",
            "tru",
            "'a'",
            "[1]]",
            "{}x",
        ] {
            assert!(skip_all(bad).is_err(), "{bad}");
        }
        assert_eq!(skip_all(" {\"a\": [true, false, null, {}, []]} \n"), Ok(()));
    }

    #[test]
    fn limits_depth() {
        let ok = "[".repeat(MAX_DEPTH as usize) + &"]".repeat(MAX_DEPTH as usize);
        assert_eq!(skip_all(&ok), Ok(()));
        let deep = "[".repeat(100_000);
        assert_eq!(skip_all(&deep).unwrap_err().what, "nested too deep");
    }

    #[test]
    fn errors_say_where() {
        // Columns count characters, not bytes.
        let error = skip_all("{\n  \"a\": [1,\n  \"é\",]\n}").unwrap_err();
        assert_eq!(error.to_string(), "expected a value at line 3, column 7");
    }

    proptest! {
        #[test]
        fn never_panics(text in any::<String>()) {
            let _ = skip_all(&text);
            let _ = string(&text);
            let _ = Reader::new(&text).u64();
        }

        #[test]
        fn agrees_with_serde_json_on_validity(text in r#"[\[\]{}",:0-9ae\\u. +-]{0,24}|(true|false|null|"[a\\"u0-9dD]{0,8}"|[,:\[\]{} ]|-?[0-9]{1,3}(\.[0-9])?(e-?[0-9])?){0,8}"#) {
            let ours = skip_all(&text).is_ok();
            let theirs = serde_json::from_str::<serde_json::Value>(&text).is_ok();
            prop_assert_eq!(ours, theirs, "{}", text);
        }

        #[test]
        fn reads_what_serde_json_writes(value in any::<String>(), n in any::<u64>()) {
            prop_assert_eq!(string(&serde_json::to_string(&value).unwrap()), Ok(value));
            prop_assert_eq!(Reader::new(&n.to_string()).u64(), Ok(n));
        }
    }
}
