//! Why a code is not a share link this page can read, in words a citizen
//! understands.

use std::fmt;

/// Why a code is not a share link this page can read. The messages are
/// for citizens; a page may translate them by variant.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ShareError {
    /// There is no code at all.
    Empty,
    /// A character that never appears in a code; `position` counts
    /// characters from 1.
    BadCharacter { character: char, position: usize },
    /// The code stops before its end; `length` is its length in characters.
    Truncated { length: usize },
    /// The code was written in another format version.
    UnknownVersion { found: u8, supported: u8 },
    /// The code holds more cards than a deck may.
    TooManyCards { found: usize, max: usize },
    /// The code goes on after its end, by `extra` characters.
    TrailingGarbage { extra: usize },
    /// The check characters do not match: the code was changed.
    Damaged,
    /// The code is well-formed and intact but says something impossible
    /// (a hand-made code, or a bug); `detail` says what.
    Inconsistent { detail: &'static str },
    /// The link's cards are not cards of the dataset it is read on, which
    /// has `card_count` cards.
    NotInDataset { card_count: u32 },
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::Empty => write!(f, "the link holds no result: the code after '#' is empty"),
            ShareError::BadCharacter {
                character,
                position,
            } => write!(
                f,
                "the result code contains {character:?} at character {position}, which never \
                 appears in a code; the link was probably changed while being copied"
            ),
            ShareError::Truncated { length } => write!(
                f,
                "the result code ends too early, after {length} character{}; the link was \
                 probably cut while being copied",
                plural(*length)
            ),
            ShareError::UnknownVersion { found, supported } => write!(
                f,
                "the link was made by another version of the quiz (format {found}; this page \
                 reads format {supported})"
            ),
            ShareError::TooManyCards { found, max } => write!(
                f,
                "the link holds {found} cards, more than the {max} a quiz can have"
            ),
            ShareError::TrailingGarbage { extra } => write!(
                f,
                "the result code has {extra} character{} too many at its end; was something \
                 pasted after it?",
                plural(*extra)
            ),
            ShareError::Damaged => write!(
                f,
                "the result code is damaged: a character was changed, added or lost while the \
                 link was copied"
            ),
            ShareError::Inconsistent { detail } => {
                write!(f, "the result code is not valid: {detail}")
            }
            ShareError::NotInDataset { card_count } => write!(
                f,
                "the link's cards are not among the {card_count} cards of the current quiz \
                 data; it was made on other data"
            ),
        }
    }
}

impl std::error::Error for ShareError {}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

pub(super) fn inconsistent(detail: &'static str) -> ShareError {
    ShareError::Inconsistent { detail }
}
