//! Ids and names from the data as file and folder names.
//!
//! A proposal's page is `p/<id>/`, a party's `g/<id>/`, a topic's listing
//! `t/<name>/`: the data names the files. The data comes from the sources,
//! so a name may hold any character, any length, and be anything — `../x`,
//! `CON`, two hundred bytes of accented text, or `ABC` beside `abc`. The
//! published site must still be one folder that any file system takes:
//! Linux and macOS disks, Windows and the FAT-formatted USB stick a reader
//! copies the site to.
//!
//! [`path_segment`] is the rule for one name on its own, and
//! [`Names::segment`] the rule within a set of names (one folder's worth):
//!
//! - letters `A-Z a-z`, digits, `-` and `_` stay; every other byte becomes
//!   `~` and two uppercase hex digits (`V 2023/014` → `V~202023~2F014`), so
//!   no name holds a `/`, a `.`, a space or a character a file system
//!   refuses, and none is `.`, `..`, empty or ends in a dot or space;
//! - a Windows device name (`CON`, `PRN`, `AUX`, `NUL`, `COM0`–`COM9`,
//!   `LPT0`–`LPT9`, in any case) gets its last letter written as `~` and
//!   hex (`CON` → `CO~4E`), which no other name can be;
//! - a name longer than [`MAX_SEGMENT`] bytes is cut to a readable start
//!   (whole characters) followed by `~~` and [`HASH_DIGITS`] hex digits of
//!   the SHA-256 of the whole id;
//! - within a set, ids whose names differ only in case (`ABC` and `abc`),
//!   which one file on a case-insensitive disk would hold, are all named
//!   the long way: start, `~~` and hash.
//!
//! Every other id keeps its name as it was, so published addresses stay.
//! `~~` never appears in a name of the first three rules (a `~` is always
//! followed by two hex digits), so a hashed name never equals another.

use crate::files::sha256_hex;
use std::collections::{HashMap, HashSet};

/// The longest name, in bytes: with `p/`, `/index.html` and a language's
/// folder, a page's path stays far below the 255 bytes most file systems
/// allow for a name and the 260 of an old Windows path.
pub const MAX_SEGMENT: usize = 100;

/// Hex digits of the hash in a shortened name (64 bits).
pub const HASH_DIGITS: usize = 16;

/// Between a shortened name's start and its hash.
const HASH_MARK: &str = "~~";

/// The one safe file or folder name of `id`; see the [module](self).
pub fn path_segment(id: &str) -> String {
    let readable = readable(id);
    if readable.len() > MAX_SEGMENT {
        hashed(id)
    } else if is_reserved(&readable) {
        escape_last(readable)
    } else {
        readable
    }
}

/// `id` with every byte but `A-Z a-z 0-9 - _` written as `~XX`.
fn readable(id: &str) -> String {
    let mut segment = String::with_capacity(id.len());
    for byte in id.bytes() {
        push_byte(&mut segment, byte);
    }
    if segment.is_empty() {
        segment.push('~');
    }
    segment
}

fn push_byte(segment: &mut String, byte: u8) {
    if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_' {
        segment.push(char::from(byte));
    } else {
        segment.push_str(&format!("~{byte:02X}"));
    }
}

/// The readable start of `id` that fits beside the hash, in whole
/// characters, then `~~` and the hash of the whole id.
fn hashed(id: &str) -> String {
    let budget = MAX_SEGMENT - HASH_MARK.len() - HASH_DIGITS;
    let mut segment = String::with_capacity(MAX_SEGMENT);
    let mut piece = String::new();
    for c in id.chars() {
        piece.clear();
        let mut utf8 = [0; 4];
        for byte in c.encode_utf8(&mut utf8).bytes() {
            push_byte(&mut piece, byte);
        }
        if segment.len() + piece.len() > budget {
            break;
        }
        segment.push_str(&piece);
    }
    segment.push_str(HASH_MARK);
    segment.push_str(&sha256_hex(id.as_bytes())[..HASH_DIGITS]);
    segment
}

/// Whether Windows takes `name` for a device: `CON`, `PRN`, `AUX`, `NUL`,
/// `COM0`–`COM9` or `LPT0`–`LPT9`, in any case, alone or before an
/// extension (`nul.txt`), trailing spaces and dots ignored.
pub fn is_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.trim_end_matches([' ', '.']).to_ascii_uppercase();
    match stem.as_bytes() {
        b"CON" | b"PRN" | b"AUX" | b"NUL" => true,
        [b'C', b'O', b'M', digit] | [b'L', b'P', b'T', digit] => digit.is_ascii_digit(),
        _ => false,
    }
}

/// A reserved name with its last character (a letter or digit, which
/// [`readable`] never escapes) written as `~XX`.
fn escape_last(mut name: String) -> String {
    match name.pop() {
        Some(last) => {
            let mut utf8 = [0; 4];
            for byte in last.encode_utf8(&mut utf8).bytes() {
                name.push_str(&format!("~{byte:02X}"));
            }
            name
        }
        None => "~".to_owned(),
    }
}

/// The names of one folder's set of ids: [`path_segment`] for each, but
/// the long way for ids whose names only differ in case.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Names {
    /// Names (lowercase) that more than one id of the set would take.
    shared: HashSet<String>,
}

impl Names {
    /// The names of `ids` (repeats are one id).
    pub fn of<'a>(ids: impl IntoIterator<Item = &'a str>) -> Names {
        let mut first: HashMap<String, &str> = HashMap::new();
        let mut shared = HashSet::new();
        for id in ids {
            let folded = path_segment(id).to_ascii_lowercase();
            match first.get(folded.as_str()) {
                Some(other) if *other != id => {
                    shared.insert(folded);
                }
                Some(_) => {}
                None => {
                    first.insert(folded, id);
                }
            }
        }
        Names { shared }
    }

    /// The name of `id`, one of the set or not.
    pub fn segment(&self, id: &str) -> String {
        let segment = path_segment(id);
        if self.shared.contains(&segment.to_ascii_lowercase()) {
            hashed(id)
        } else {
            segment
        }
    }
}

/// The names of every folder of a site whose files the data names.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SiteNames {
    pub proposals: Names,
    /// Parties and members: their pages, share landings and preview images.
    pub actors: Names,
    pub authors: Names,
    pub topics: Names,
    pub legislatures: Names,
}

impl SiteNames {
    /// The names of `dataset`'s proposals, actors, authors, topics and
    /// legislatures. Every page that links to one of them takes the name
    /// from here, so the links and the files agree.
    pub fn of(dataset: &crate::ingest::dataset::Dataset) -> SiteNames {
        let proposals = &dataset.proposals;
        SiteNames {
            proposals: Names::of(proposals.iter().map(|p| p.id.as_str())),
            actors: Names::of(dataset.actors.iter().map(|a| a.id.as_str())),
            authors: Names::of(
                proposals
                    .iter()
                    .flat_map(|p| p.authors.iter().map(String::as_str)),
            ),
            topics: Names::of(
                proposals
                    .iter()
                    .flat_map(|p| p.topics.iter().map(String::as_str)),
            ),
            legislatures: Names::of(proposals.iter().map(|p| p.legislature.as_str())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ordinary_ids_keep_their_names() {
        assert_eq!(path_segment("44059"), "44059");
        assert_eq!(path_segment("XVII"), "XVII");
        assert_eq!(path_segment("Z-3083"), "Z-3083");
        assert_eq!(path_segment("../../pwned"), "~2E~2E~2F~2E~2E~2Fpwned");
        assert_eq!(path_segment("V 2023/014"), "V~202023~2F014");
        assert_eq!(path_segment(""), "~");
        assert_eq!(path_segment("Ação"), "A~C3~A7~C3~A3o");
        assert_ne!(path_segment("a/b"), path_segment("a~2Fb"));
    }

    #[test]
    fn device_names_are_not_left_as_they_are() {
        assert_eq!(path_segment("CON"), "CO~4E");
        assert_eq!(path_segment("nul"), "nu~6C");
        assert_eq!(path_segment("COM1"), "COM~31");
        assert_eq!(path_segment("lpt9"), "lpt~39");
        assert_eq!(path_segment("Aux.txt"), "Aux~2Etxt");
        assert_eq!(path_segment("a."), "a~2E");
        assert_eq!(path_segment("CONSOLE"), "CONSOLE", "only the exact names");
        assert_eq!(path_segment("COM10"), "COM10");
        for name in [
            "CON",
            "con",
            "Nul.txt",
            "AUX ",
            "com7",
            "LPT0.tar.gz",
            "prn.",
        ] {
            assert!(is_reserved(name), "{name}");
        }
        for name in ["CONS", "NULL", "COM", "LPTX", "a", "", "~"] {
            assert!(!is_reserved(name), "{name}");
        }
    }

    #[test]
    fn a_long_id_is_shortened_with_its_hash() {
        let id = "ção".repeat(40); // 200 bytes
        let name = path_segment(&id);
        assert!(name.len() <= MAX_SEGMENT, "{} bytes", name.len());
        assert!(name.starts_with("~C3~A7~C3~A3o"), "{name}");
        let (start, hash) = name.split_once(HASH_MARK).unwrap();
        assert_eq!(hash, &sha256_hex(id.as_bytes())[..HASH_DIGITS]);
        assert_eq!(start.len() % 13, 0, "whole characters: {start}");
        let other = format!("{id}x");
        assert_ne!(path_segment(&other), name, "a longer id is another name");
        // Exactly at the bound the name stays readable.
        let at = "a".repeat(MAX_SEGMENT);
        assert_eq!(path_segment(&at), at);
        assert!(path_segment(&format!("{at}a")).contains(HASH_MARK));
    }

    #[test]
    fn ids_differing_in_case_get_names_differing_beyond_case() {
        let names = Names::of(["ABC", "abc", "PS", "44059", "abc", "CON", "con"]);
        let abc = (names.segment("ABC"), names.segment("abc"));
        assert_ne!(abc.0.to_ascii_lowercase(), abc.1.to_ascii_lowercase());
        assert!(abc.0.starts_with("ABC~~") && abc.1.starts_with("abc~~"));
        assert_eq!(names.segment("PS"), "PS", "a name alone in its set stays");
        assert_eq!(names.segment("44059"), "44059");
        assert_ne!(
            names.segment("CON").to_ascii_lowercase(),
            names.segment("con").to_ascii_lowercase()
        );
        assert_eq!(names.segment("unknown"), "unknown");
    }

    /// What any file system takes, and the `search.js` address check.
    fn portable(name: &str) -> bool {
        !name.is_empty()
            && name.len() <= MAX_SEGMENT
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'~')
            && !is_reserved(name)
    }

    proptest! {
        #[test]
        fn every_id_gets_a_portable_bounded_name(id in "\\PC{0,120}") {
            let name = path_segment(&id);
            prop_assert!(portable(&name), "{:?} -> {:?}", id, name);
            prop_assert_eq!(path_segment(&id), name, "deterministic");
        }

        #[test]
        fn reserved_words_in_any_case_get_other_names(
            word in "(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9])",
        ) {
            prop_assert!(portable(&path_segment(&word)));
        }

        #[test]
        fn distinct_ids_never_share_a_name_even_folded(
            ids in proptest::collection::vec(
                "[a-cA-C.~ ç]{0,6}|(?i)(con|nul)|[aA]{95,105}", 1..12),
        ) {
            let names = Names::of(ids.iter().map(String::as_str));
            let mut seen: HashMap<String, &str> = HashMap::new();
            for id in &ids {
                let name = names.segment(id);
                prop_assert!(portable(&name), "{:?} -> {:?}", id, name);
                if let Some(other) = seen.insert(name.to_ascii_lowercase(), id) {
                    prop_assert_eq!(other, id.as_str(), "{:?} and {:?} share {:?}", other, id, name);
                }
            }
        }
    }
}
