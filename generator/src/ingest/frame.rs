//! Several named files kept as one blob.
//!
//! The pipeline keeps one blob per source in the raw store and decides by
//! its hash whether a source changed. A source made of several files (a
//! Popolo export: vote events, votes, voters, groups) is framed into one
//! blob at fetch time, so that hashing, stage skipping and the status page
//! work for it unchanged, and the adapter unframes it.
//!
//! The frame is `hemiciclo-files 1\n`, then for each file a line
//! `<byte length> <name>\n`, its bytes and a `\n`. Names are in the order
//! given, so the same files make the same blob.

use crate::error::{Error, Result};

const MAGIC: &[u8] = b"hemiciclo-files 1\n";

/// Frames `files` (name, bytes) into one blob.
pub fn frame<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Vec<u8> {
    let mut blob = MAGIC.to_vec();
    for (name, bytes) in files {
        debug_assert!(!name.contains('\n'), "file names are one line");
        blob.extend_from_slice(format!("{} {name}\n", bytes.len()).as_bytes());
        blob.extend_from_slice(bytes);
        blob.push(b'\n');
    }
    blob
}

/// The files of a blob made by [`frame`], in order; `origin` names the
/// source in the error when the blob is not one.
pub fn unframe<'a>(blob: &'a [u8], origin: &str) -> Result<Vec<(String, &'a [u8])>> {
    let damaged = |what: &str| {
        Error::Unreadable(format!(
            "{origin}: the stored copy of this source is not a set of files ({what}); delete \
             the work directory (.hemiciclo) and build again"
        ))
    };
    let mut rest = blob
        .strip_prefix(MAGIC)
        .ok_or_else(|| damaged("no header"))?;
    let mut files = Vec::new();
    while !rest.is_empty() {
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| damaged("a file's line is cut"))?;
        let line = std::str::from_utf8(&rest[..end]).map_err(|_| damaged("a name is not text"))?;
        let (length, name) = line
            .split_once(' ')
            .ok_or_else(|| damaged("a file's line has no name"))?;
        let length: usize = length
            .parse()
            .map_err(|_| damaged("a file's length is not a number"))?;
        let body = &rest[end + 1..];
        if body.len() < length + 1 || body[length] != b'\n' {
            return Err(damaged("a file is cut short"));
        }
        files.push((name.to_owned(), &body[..length]));
        rest = &body[length + 1..];
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_round_trip_with_any_bytes() {
        let blob = frame([
            ("votes.csv", &b"a,b\n1,2\n"[..]),
            ("empty.csv", b""),
            ("odd name.csv", b"\n\xff 3 x\n"),
        ]);
        let files = unframe(&blob, "data/").unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["votes.csv", "empty.csv", "odd name.csv"]);
        assert_eq!(files[0].1, b"a,b\n1,2\n");
        assert_eq!(files[1].1, b"");
        assert_eq!(files[2].1, b"\n\xff 3 x\n");
    }

    #[test]
    fn a_damaged_blob_is_an_error_naming_the_source() {
        let blob = frame([("votes.csv", &b"abc"[..])]);
        for bad in [
            &b"a,b\n"[..],
            &blob[..blob.len() - 2],
            b"hemiciclo-files 1\n99 votes.csv\nabc\n",
            b"hemiciclo-files 1\nx votes.csv\nabc\n",
            b"hemiciclo-files 1\n3\n",
        ] {
            let message = unframe(bad, "data/praha").unwrap_err().to_string();
            assert!(message.starts_with("data/praha: "), "{message}");
        }
    }
}
