//! Share links: a quiz result packed into a URL fragment.
//!
//! A citizen's result travels in the `#fragment` of a link, which browsers
//! never send to a server, so sharing a result tells nobody but the person
//! it is shared with. The fragment is a short code that holds everything
//! needed to recompute the result on the same data: which dataset, which
//! cards, the answers and which cards were marked important. Scores are not
//! stored; `hemiciclo explain LINK` and the page recompute them, so a
//! published result can be checked offline.
//!
//! # Why the format is what it is
//!
//! * **Short.** Links are pasted into chats and posts. A 10-card result
//!   with a random 64-bit seed, on 3,500 cards, takes 24 characters when
//!   the deck is the one the seed draws, 33 when three cards were swapped,
//!   44 when the cards have to be listed (one or two more when cards are
//!   marked important); no code is longer than 459. Fields are packed bit
//!   by bit, numbers take the bits they need, and the deck is not spelled
//!   out when the site's sampler ([`crate::sampler::DeckSampler`])
//!   reproduces it from the seed.
//! * **Safe in a URL.** The alphabet is base64url (`A–Z a–z 0–9 - _`, no
//!   padding): nothing a browser, a chat app or a URL parser escapes.
//! * **Versioned.** The first character is the format version alone, so any
//!   later format can change everything after it, and this code refuses a
//!   version it does not know instead of misreading it.
//! * **Checked.** The last two characters are a CRC-12 of the others. Any
//!   change of one character, or of two neighbouring ones, is always caught
//!   (a CRC of degree 12 catches every error burst up to 12 bits); other
//!   damage slips through once in 4,096. A damaged link gives an error, not
//!   a result the citizen never had.
//! * **Canonical.** Every [`Share`] has exactly one code and decoding
//!   refuses anything [`encode`] would not write (set padding bits, a seed
//!   or card numbers written wider than needed, …): `encode(decode(s)) == s`
//!   whenever decoding succeeds.
//! * **Safe to decode.** Any string gives a [`Share`] or a [`ShareError`],
//!   never a panic. Decoding reads the string in place and allocates at
//!   most [`MAX_CARDS`] entries, whatever the string's length.
//! * **The dataset is named, not required.** The link carries a 24-bit tag
//!   of the manifest's `dataset_id` ([`DatasetTag`]). A link made on other
//!   data still decodes; [`Share::matches_dataset`] tells the caller so it
//!   can explain it (card numbers, and the deck a seed draws, only mean
//!   something on the data they were made on).
//!
//! # Layout (version 2)
//!
//! The code is a string of bits, most significant bit first, cut into
//! 6-bit characters of the alphabet above. `n` is the number of cards.
//!
//! | Bits             | Field                                                                    |
//! |------------------|--------------------------------------------------------------------------|
//! | 6                | format version, `2` (so version 2 links start with `C`)                  |
//! | 24               | dataset tag ([`DatasetTag`])                                             |
//! | 2                | deck kind: 0 drawn, 1 drawn with swaps, 2 listed, 3 reserved             |
//! | 7                | `n`, the number of cards, `0..=64`                                       |
//! | 3                | `k - 1`, where `k` in `1..=8` is the number of bytes of the seed         |
//! | 8·k              | seed, without leading zero bytes                                         |
//! | *deck*           | nothing when drawn; see below for swaps and lists                        |
//! | 2·n              | answers in deck order: 0 For, 1 Against, 2 Abstain, 3 Skip               |
//! | 1                | 1 when at least one card is marked important                             |
//! | n, if that bit   | important flags in deck order                                            |
//! | 0–5              | zero bits up to a whole character                                        |
//! | 12 (2 chars)     | CRC-12 (polynomial `0x80F`, initial value 0) of the characters above     |
//!
//! A *drawn* deck is the deck of `n` cards the site's sampler draws from
//! the seed: [`crate::sampler::Stratified`] over the manifest's sampling
//! table, so a link is read with the [`DeckSampler`] it was made with
//! (version 1 meant the uniform [`crate::sampler::draw_deck`]). A deck *with swaps*
//! is that deck with some places holding another card (the citizen swapped
//! them); with `p = bits(n - 1)`:
//!
//! | Bits             | Field                                                                    |
//! |------------------|--------------------------------------------------------------------------|
//! | p                | `s - 1`, where `s` in `1..=n` is the number of swapped places            |
//! | 5                | `w - 1`, where `w` in `1..=32` is the width of a card number             |
//! | s·(p + w)        | each swap: its place in the deck (increasing), then its card number      |
//!
//! A *listed* deck spells its cards out:
//!
//! | Bits             | Field                                                                    |
//! |------------------|--------------------------------------------------------------------------|
//! | 5                | `w - 1`, where `w` in `1..=32` is the width of a card number             |
//! | n·w              | card numbers in deck order                                               |
//!
//! The width `w` is the fewest bits that hold the largest card number of
//! the link (at least 1). Carrying it means decoding never needs the
//! dataset's `card_count`, and a deck of low-numbered cards is shorter.
//! [`Share::new`] picks the shortest of the three deck kinds.
//!
//! A drawn deck (and the cards a swap leaves in place) is only as stable
//! as the sampler: if it ever draws other cards from the same seed and
//! cards, links already shared would name other cards. That change needs
//! a new [`VERSION`], and a test pins the sampler's output
//! (`test_vectors::PINNED_STRATIFIED`).
//!
//! A 10-card result with a random 64-bit seed is 127 bits (137 with
//! important cards), hence 22 (23) characters plus 2 for the check.

use crate::affinity::{Answer, Response};
use crate::sampler::DeckSampler;
use std::fmt;

/// The format version this code writes and reads.
pub const VERSION: u8 = 2;

/// The most cards a shared deck may hold.
pub const MAX_CARDS: usize = 64;

/// The 64 characters of a code, in the order of their values (base64url).
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const VERSION_BITS: u32 = 6;
const TAG_BITS: u32 = 24;
const KIND_BITS: u32 = 2;
const COUNT_BITS: u32 = 7;
const SEED_BYTES_BITS: u32 = 3;
const WIDTH_BITS: u32 = 5;
const ANSWER_BITS: u32 = 2;
const CHECK_CHARS: usize = 2;
/// x^12 + x^11 + x^3 + x^2 + x + 1, the classic CRC-12, without its x^12 term.
const CRC_POLY: u16 = 0x80F;

const KIND_DRAWN: u64 = 0;
const KIND_SWAPPED: u64 = 1;
const KIND_LISTED: u64 = 2;

/// A 24-bit tag of a dataset id: enough to tell datasets apart, short
/// enough for a link.
///
/// The generator's ids are 12 hexadecimal digits of a content hash; their
/// tag is the value of the first six, so it prints as the id's beginning
/// (`a1b2c3` for `a1b2c3d4e5f6`) and a person can compare the two. Other
/// ids (tests use `"t"`) are hashed with FNV-1a instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DatasetTag(u32);

impl DatasetTag {
    pub fn of(dataset_id: &str) -> DatasetTag {
        let bytes = dataset_id.as_bytes();
        let hex_prefix = bytes
            .get(..6)
            .filter(|p| p.iter().all(u8::is_ascii_hexdigit));
        if let Some(prefix) = hex_prefix {
            let value = prefix.iter().fold(0u32, |value, &byte| {
                // Every byte is a hex digit, so `to_digit` cannot fail.
                (value << 4) | (byte as char).to_digit(16).unwrap_or(0)
            });
            return DatasetTag(value);
        }
        let hash = bytes.iter().fold(0x811c_9dc5u32, |hash, &byte| {
            (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
        });
        DatasetTag((hash ^ (hash >> TAG_BITS)) & mask(TAG_BITS) as u32)
    }

    /// The tag as a number below 2^24.
    pub fn value(self) -> u32 {
        self.0
    }
}

impl fmt::Display for DatasetTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06x}", self.0)
    }
}

/// One place of the drawn deck that holds another card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Swap {
    /// Zero-based place in the deck.
    pub position: u8,
    /// The card asked there instead of the drawn one.
    pub card: u32,
}

/// How a link names its cards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deck {
    /// The deck the seed draws with the site's sampler.
    Drawn,
    /// The drawn deck with some places holding other cards, in increasing
    /// order of place.
    Swapped(Vec<Swap>),
    /// The card numbers, in the order they were asked.
    Listed(Vec<u32>),
}

/// A quiz result as a share link carries it.
///
/// Built with [`Share::new`] (or [`Share::from_parts`]) or by [`decode`];
/// both check the same rules, so every `Share` can be encoded and decodes
/// back to itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    dataset: DatasetTag,
    seed: u64,
    deck: Deck,
    responses: Vec<Response>,
}

impl Share {
    /// The share of a finished quiz: `deck` holds the card numbers in the
    /// order asked and `responses` the citizen's response to each.
    /// `sampler` is the site's: the deck `seed` drew with it is left out of
    /// the link, so the link must be read with the same sampler.
    pub fn new(
        dataset_id: &str,
        seed: u64,
        sampler: &dyn DeckSampler,
        deck: &[u32],
        responses: &[Response],
    ) -> Result<Share, ShareError> {
        let card_count = sampler.card_count();
        check_count(deck.len())?;
        if deck.len() != responses.len() {
            return Err(inconsistent("the deck and the answers differ in length"));
        }
        if deck.iter().any(|&card| card >= card_count) {
            return Err(ShareError::NotInDataset { card_count });
        }
        check_distinct(deck)?;
        let drawn = sampler.draw(deck.len(), seed);
        let swaps: Vec<Swap> = deck
            .iter()
            .zip(&drawn)
            .enumerate()
            .filter(|(_, (card, drawn))| card != drawn)
            .map(|(position, (&card, _))| Swap {
                position: position as u8,
                card,
            })
            .collect();
        let deck = if drawn.len() != deck.len() {
            // The sampler draws fewer cards than the deck holds: only a list says which.
            Deck::Listed(deck.to_vec())
        } else if swaps.is_empty() {
            Deck::Drawn
        } else if swapped_bits(deck.len(), &swaps) < listed_bits(deck) {
            Deck::Swapped(swaps)
        } else {
            Deck::Listed(deck.to_vec())
        };
        Share::from_parts(DatasetTag::of(dataset_id), seed, deck, responses.to_vec())
    }

    /// A share from its parts as they are written in the link. Refuses a
    /// deck of more than [`MAX_CARDS`] cards, swaps out of order or outside
    /// the deck, a listed deck of another length than the responses or with
    /// a card twice.
    pub fn from_parts(
        dataset: DatasetTag,
        seed: u64,
        deck: Deck,
        responses: Vec<Response>,
    ) -> Result<Share, ShareError> {
        let n = responses.len();
        check_count(n)?;
        match &deck {
            Deck::Drawn => {}
            Deck::Swapped(swaps) => {
                if swaps.is_empty() {
                    return Err(inconsistent("a deck with swaps has none"));
                }
                let in_order = swaps.windows(2).all(|w| w[0].position < w[1].position);
                if !in_order || swaps.iter().any(|s| usize::from(s.position) >= n) {
                    return Err(inconsistent("a swap is out of order or outside the deck"));
                }
            }
            Deck::Listed(cards) => {
                if cards.len() != n {
                    return Err(inconsistent("the deck and the answers differ in length"));
                }
                check_distinct(cards)?;
            }
        }
        Ok(Share {
            dataset,
            seed,
            deck,
            responses,
        })
    }

    /// The tag of the dataset the link was made on.
    pub fn dataset(&self) -> DatasetTag {
        self.dataset
    }

    /// Whether the link was made on the dataset with this id (the
    /// manifest's `dataset_id`). When it was not, its cards are other
    /// cards: the caller should say so, naming [`Share::dataset`].
    pub fn matches_dataset(&self, dataset_id: &str) -> bool {
        self.dataset == DatasetTag::of(dataset_id)
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// How the link names its cards; [`Share::cards`] gives the card numbers.
    pub fn deck(&self) -> &Deck {
        &self.deck
    }

    /// The citizen's responses, in deck order.
    pub fn responses(&self) -> &[Response] {
        &self.responses
    }

    /// Number of cards in the deck.
    pub fn len(&self) -> usize {
        self.responses.len()
    }

    pub fn is_empty(&self) -> bool {
        self.responses.is_empty()
    }

    /// The card numbers of the deck, in the order asked, on the cards of
    /// `sampler` (the site's). Fails with [`ShareError::NotInDataset`]
    /// when the cards cannot be those of this dataset; check
    /// [`Share::matches_dataset`] first, as cards that do exist on other
    /// data are still other cards. A deck that is not listed is drawn again.
    pub fn cards(&self, sampler: &dyn DeckSampler) -> Result<Vec<u32>, ShareError> {
        let n = self.len();
        let card_count = sampler.card_count();
        let cards = match &self.deck {
            Deck::Listed(cards) => cards.clone(),
            Deck::Drawn | Deck::Swapped(_) => {
                let mut cards = sampler.draw(n, self.seed);
                if cards.len() < n {
                    return Err(ShareError::NotInDataset { card_count });
                }
                if let Deck::Swapped(swaps) = &self.deck {
                    for swap in swaps {
                        cards[usize::from(swap.position)] = swap.card;
                    }
                }
                cards
            }
        };
        if cards.iter().any(|&card| card >= card_count) || check_distinct(&cards).is_err() {
            return Err(ShareError::NotInDataset { card_count });
        }
        Ok(cards)
    }
}

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

/// The code of a share, to put after the `#` of a link.
pub fn encode(share: &Share) -> String {
    let n = share.len();
    let mut out = BitWriter::default();
    out.put(u64::from(VERSION), VERSION_BITS);
    out.put(u64::from(share.dataset.0), TAG_BITS);
    let kind = match share.deck {
        Deck::Drawn => KIND_DRAWN,
        Deck::Swapped(_) => KIND_SWAPPED,
        Deck::Listed(_) => KIND_LISTED,
    };
    out.put(kind, KIND_BITS);
    out.put(n as u64, COUNT_BITS);
    let seed_bytes = bits_for(share.seed).max(1).div_ceil(8);
    out.put(u64::from(seed_bytes - 1), SEED_BYTES_BITS);
    out.put(share.seed, 8 * seed_bytes);
    match &share.deck {
        Deck::Drawn => {}
        Deck::Swapped(swaps) => {
            let place_bits = place_bits(n);
            out.put(swaps.len() as u64 - 1, place_bits);
            let width = card_width(swaps.iter().map(|s| s.card));
            out.put(u64::from(width - 1), WIDTH_BITS);
            for swap in swaps {
                out.put(u64::from(swap.position), place_bits);
                out.put(u64::from(swap.card), width);
            }
        }
        Deck::Listed(cards) => {
            let width = card_width(cards.iter().copied());
            out.put(u64::from(width - 1), WIDTH_BITS);
            for &card in cards {
                out.put(u64::from(card), width);
            }
        }
    }
    for response in &share.responses {
        out.put(answer_code(response.answer), ANSWER_BITS);
    }
    let any_important = share.responses.iter().any(|r| r.important);
    out.put(u64::from(any_important), 1);
    if any_important {
        for response in &share.responses {
            out.put(u64::from(response.important), 1);
        }
    }
    out.finish()
}

/// Reads a code written by [`encode`] (the part of a link after `#`).
///
/// Never panics. Checks, in this order: that there is a code, that every
/// character is one of the alphabet, the version, then the fields and the
/// check characters together: a code that is too short or too long says
/// so, and any other fault of a code whose check characters do not match
/// is reported as [`ShareError::Damaged`].
pub fn decode(code: &str) -> Result<Share, ShareError> {
    if code.is_empty() {
        return Err(ShareError::Empty);
    }
    let bad = code
        .chars()
        .enumerate()
        .find(|&(_, c)| !c.is_ascii() || symbol(c as u8).is_none());
    if let Some((index, character)) = bad {
        return Err(ShareError::BadCharacter {
            character,
            position: index + 1,
        });
    }
    // Only ASCII is left: one byte is one character.
    let bytes = code.as_bytes();
    let version = symbol(bytes[0]).unwrap_or(0);
    if version != VERSION {
        return Err(ShareError::UnknownVersion {
            found: version,
            supported: VERSION,
        });
    }
    if bytes.len() <= CHECK_CHARS {
        return Err(ShareError::Truncated {
            length: bytes.len(),
        });
    }
    let (payload, check) = bytes.split_at(bytes.len() - CHECK_CHARS);
    let check = check.iter().fold(0u16, |crc, &b| {
        (crc << 6) | u16::from(symbol(b).unwrap_or(0))
    });
    let intact = crc12(payload.iter().map(|&b| symbol(b).unwrap_or(0))) == check;
    match parse(payload, bytes.len()) {
        Ok(share) if intact => Ok(share),
        Err(error @ (ShareError::Truncated { .. } | ShareError::TrailingGarbage { .. })) => {
            Err(error)
        }
        Err(error) if intact => Err(error),
        _ => Err(ShareError::Damaged),
    }
}

/// Reads the fields of a code whose characters are all in the alphabet;
/// `length` is the whole code's, for messages.
fn parse(payload: &[u8], length: usize) -> Result<Share, ShareError> {
    let mut input = BitReader::new(payload, length);
    input.take(VERSION_BITS)?;
    let dataset = DatasetTag(input.take(TAG_BITS)? as u32);
    let kind = input.take(KIND_BITS)?;
    let n = input.take(COUNT_BITS)? as usize;
    check_count(n)?;
    let seed_bytes = input.take(SEED_BYTES_BITS)? as u32 + 1;
    let seed = input.take(8 * seed_bytes)?;
    if seed_bytes > 1 && seed >> (8 * (seed_bytes - 1)) == 0 {
        return Err(inconsistent("the seed is written with a leading zero byte"));
    }
    let deck = match kind {
        KIND_DRAWN => Deck::Drawn,
        KIND_SWAPPED => {
            if n == 0 {
                return Err(inconsistent("an empty deck has swaps"));
            }
            let place_bits = place_bits(n);
            let count = input.take(place_bits)? as usize + 1;
            if count > n {
                return Err(inconsistent("more swaps than cards"));
            }
            let width = input.take(WIDTH_BITS)? as u32 + 1;
            let mut swaps = Vec::with_capacity(count);
            for _ in 0..count {
                let position = input.take(place_bits)? as u8;
                let card = input.take(width)? as u32;
                swaps.push(Swap { position, card });
            }
            check_width(width, swaps.iter().map(|s| s.card))?;
            Deck::Swapped(swaps)
        }
        KIND_LISTED => {
            let width = input.take(WIDTH_BITS)? as u32 + 1;
            let mut cards = Vec::with_capacity(n);
            for _ in 0..n {
                cards.push(input.take(width)? as u32);
            }
            check_width(width, cards.iter().copied())?;
            Deck::Listed(cards)
        }
        _ => return Err(inconsistent("the kind of deck is unknown")),
    };
    let mut responses = Vec::with_capacity(n);
    for _ in 0..n {
        responses.push(Response::new(answer_of(input.take(ANSWER_BITS)?), false));
    }
    if input.take(1)? == 1 {
        for response in &mut responses {
            response.important = input.take(1)? == 1;
        }
        if !responses.iter().any(|r| r.important) {
            return Err(inconsistent(
                "important cards are announced but none is marked",
            ));
        }
    }
    input.finish()?;
    Share::from_parts(dataset, seed, deck, responses)
}

fn inconsistent(detail: &'static str) -> ShareError {
    ShareError::Inconsistent { detail }
}

fn check_count(n: usize) -> Result<(), ShareError> {
    if n > MAX_CARDS {
        return Err(ShareError::TooManyCards {
            found: n,
            max: MAX_CARDS,
        });
    }
    Ok(())
}

/// Decks are at most [`MAX_CARDS`] long: comparing every pair is cheap.
fn check_distinct(cards: &[u32]) -> Result<(), ShareError> {
    let repeated = cards
        .iter()
        .enumerate()
        .any(|(i, card)| cards[..i].contains(card));
    if repeated {
        return Err(inconsistent("a card appears twice in the deck"));
    }
    Ok(())
}

fn check_width(width: u32, cards: impl Iterator<Item = u32>) -> Result<(), ShareError> {
    if width != card_width(cards) {
        return Err(inconsistent(
            "the card numbers are written wider than needed",
        ));
    }
    Ok(())
}

/// Bits needed to write `value` (0 for 0).
fn bits_for(value: u64) -> u32 {
    u64::BITS - value.leading_zeros()
}

/// Width of the card numbers of a link: enough for the largest, at least 1.
fn card_width(cards: impl Iterator<Item = u32>) -> u32 {
    bits_for(u64::from(cards.max().unwrap_or(0))).max(1)
}

/// Bits of a place in a deck of `n >= 1` cards.
fn place_bits(n: usize) -> u32 {
    bits_for(n as u64 - 1)
}

/// Size of the deck field of a deck with swaps, to compare with a list.
fn swapped_bits(n: usize, swaps: &[Swap]) -> u64 {
    let place_bits = u64::from(place_bits(n));
    let width = u64::from(card_width(swaps.iter().map(|s| s.card)));
    place_bits + u64::from(WIDTH_BITS) + swaps.len() as u64 * (place_bits + width)
}

/// Size of the deck field of a listed deck.
fn listed_bits(cards: &[u32]) -> u64 {
    let width = u64::from(card_width(cards.iter().copied()));
    u64::from(WIDTH_BITS) + cards.len() as u64 * width
}

fn mask(bits: u32) -> u64 {
    if bits >= 64 {
        u64::MAX
    } else {
        (1 << bits) - 1
    }
}

fn answer_code(answer: Answer) -> u64 {
    match answer {
        Answer::For => 0,
        Answer::Against => 1,
        Answer::Abstain => 2,
        Answer::Skip => 3,
    }
}

fn answer_of(code: u64) -> Answer {
    match code {
        0 => Answer::For,
        1 => Answer::Against,
        2 => Answer::Abstain,
        _ => Answer::Skip,
    }
}

/// The value of a character of the alphabet.
fn symbol(byte: u8) -> Option<u8> {
    match byte {
        b'A'..=b'Z' => Some(byte - b'A'),
        b'a'..=b'z' => Some(byte - b'a' + 26),
        b'0'..=b'9' => Some(byte - b'0' + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
}

/// CRC-12 of 6-bit values, most significant bit first.
fn crc12(symbols: impl Iterator<Item = u8>) -> u16 {
    let mut crc: u16 = 0;
    for value in symbols {
        for shift in (0..6).rev() {
            let bit = u16::from(value >> shift) & 1;
            let top = (crc >> 11) & 1;
            crc = (crc << 1) & 0xFFF;
            if top ^ bit == 1 {
                crc ^= CRC_POLY;
            }
        }
    }
    crc
}

/// Collects bits into 6-bit values.
#[derive(Debug, Default)]
struct BitWriter {
    symbols: Vec<u8>,
    pending: u8,
    pending_bits: u32,
}

impl BitWriter {
    /// Appends the low `bits` bits (at most 64) of `value`, most
    /// significant first.
    fn put(&mut self, value: u64, bits: u32) {
        debug_assert!(bits <= u64::BITS);
        for shift in (0..bits).rev() {
            self.pending = (self.pending << 1) | ((value >> shift) & 1) as u8;
            self.pending_bits += 1;
            if self.pending_bits == 6 {
                self.symbols.push(self.pending);
                self.pending = 0;
                self.pending_bits = 0;
            }
        }
    }

    /// Pads with zero bits, appends the check and spells it all out.
    fn finish(mut self) -> String {
        if self.pending_bits > 0 {
            self.symbols.push(self.pending << (6 - self.pending_bits));
        }
        let crc = crc12(self.symbols.iter().copied());
        self.symbols.push((crc >> 6) as u8);
        self.symbols.push((crc & 0x3F) as u8);
        self.symbols
            .iter()
            .map(|&value| char::from(ALPHABET[usize::from(value)]))
            .collect()
    }
}

/// Reads bits from characters of the alphabet, in place.
#[derive(Debug)]
struct BitReader<'a> {
    chars: &'a [u8],
    /// Bits read so far.
    at: usize,
    /// Length of the whole code, for [`ShareError::Truncated`].
    length: usize,
}

impl<'a> BitReader<'a> {
    fn new(chars: &'a [u8], length: usize) -> BitReader<'a> {
        BitReader {
            chars,
            at: 0,
            length,
        }
    }

    /// The next `bits` bits (at most 64) as a number, most significant first.
    fn take(&mut self, bits: u32) -> Result<u64, ShareError> {
        let mut value = 0u64;
        for _ in 0..bits {
            let Some(&char) = self.chars.get(self.at / 6) else {
                return Err(ShareError::Truncated {
                    length: self.length,
                });
            };
            let bit = (symbol(char).unwrap_or(0) >> (5 - self.at % 6)) & 1;
            value = (value << 1) | u64::from(bit);
            self.at += 1;
        }
        Ok(value)
    }

    /// Checks that nothing but zero padding is left.
    fn finish(self) -> Result<(), ShareError> {
        let used = self.at.div_ceil(6);
        if used < self.chars.len() {
            return Err(ShareError::TrailingGarbage {
                extra: self.chars.len() - used,
            });
        }
        let padding = (6 - self.at % 6) % 6;
        let last = self.chars.last().and_then(|&c| symbol(c)).unwrap_or(0);
        if padding > 0 && u64::from(last) & mask(padding as u32) != 0 {
            return Err(inconsistent("the unused bits at the end are not zero"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphabet_and_symbols_agree() {
        for (value, &byte) in ALPHABET.iter().enumerate() {
            assert_eq!(symbol(byte), Some(value as u8));
        }
        assert_eq!((0..=255u8).filter_map(symbol).count(), 64);
    }

    #[test]
    fn bits_written_are_bits_read() {
        let mut out = BitWriter::default();
        let fields = [
            (1, 6),
            (0xABCDEF, 24),
            (0, 1),
            (u64::MAX, 64),
            (5, 3),
            (0, 0),
        ];
        for (value, bits) in fields {
            out.put(value, bits);
        }
        let total: u32 = fields.iter().map(|f| f.1).sum();
        let code = out.finish();
        assert_eq!(code.len(), total.div_ceil(6) as usize + CHECK_CHARS);
        let payload = &code.as_bytes()[..code.len() - CHECK_CHARS];
        let mut input = BitReader::new(payload, code.len());
        for (value, bits) in fields {
            assert_eq!(input.take(bits), Ok(value));
        }
        assert_eq!(input.finish(), Ok(()));
    }

    #[test]
    fn crc_catches_every_burst_up_to_twelve_bits() {
        // The property the format relies on, checked over a 20-character
        // message: flipping any non-empty pattern of at most 12 bits that
        // starts and ends at flipped bits changes the CRC.
        let message: Vec<u8> = (0..20u32).map(|i| ((i * 37 + 11) % 64) as u8).collect();
        let good = crc12(message.iter().copied());
        let bits = message.len() * 6;
        for start in 0..bits {
            for len in 1..=12.min(bits - start) {
                // Patterns with both ends set; the inner bits vary.
                let inner = len.saturating_sub(2) as u32;
                for middle in 0..(1u32 << inner) {
                    let pattern: u32 = if len == 1 {
                        1
                    } else {
                        (1 << (len - 1)) | (middle << 1) | 1
                    };
                    let mut damaged = message.clone();
                    for k in 0..len {
                        if pattern >> (len - 1 - k) & 1 == 1 {
                            let bit = start + k;
                            damaged[bit / 6] ^= 1 << (5 - bit % 6);
                        }
                    }
                    assert_ne!(crc12(damaged.iter().copied()), good, "{start} {len}");
                }
            }
        }
    }

    #[test]
    fn hex_ids_tag_as_their_prefix_others_are_hashed() {
        let tag = DatasetTag::of("a1b2c3d4e5f6");
        assert_eq!(tag.value(), 0xa1b2c3);
        assert_eq!(tag.to_string(), "a1b2c3");
        assert_eq!(DatasetTag::of("A1B2C3ffffff"), tag);
        assert_ne!(DatasetTag::of("t"), DatasetTag::of("u"));
        assert!(DatasetTag::of("+1b2c3d4e5f6").value() < 1 << 24);
        assert!(DatasetTag::of("").value() < 1 << 24);
    }

    #[test]
    fn a_deck_of_small_cards_is_cheaper_listed_than_swapped() {
        let swaps: Vec<Swap> = (0..10)
            .map(|p| Swap {
                position: p,
                card: 3000 + u32::from(p),
            })
            .collect();
        let cards: Vec<u32> = swaps.iter().map(|s| s.card).collect();
        assert!(listed_bits(&cards) < swapped_bits(10, &swaps));
        assert!(swapped_bits(10, &swaps[..3]) < listed_bits(&cards));
    }

    /// A code made of these fields, with a correct check: lets the tests
    /// reach the errors of codes [`encode`] never writes.
    fn craft(fields: &[(u64, u32)]) -> String {
        let mut out = BitWriter::default();
        for &(value, bits) in fields {
            out.put(value, bits);
        }
        out.finish()
    }

    /// Version, tag, kind, card count and a one-byte seed.
    fn header(kind: u64, n: u64) -> Vec<(u64, u32)> {
        vec![
            (u64::from(VERSION), 6),
            (0xabcdef, 24),
            (kind, 2),
            (n, 7),
            (0, 3),
            (42, 8),
        ]
    }

    /// `n` answers For, none important.
    fn plain_answers(n: usize) -> Vec<(u64, u32)> {
        let mut fields = vec![(0, ANSWER_BITS); n];
        fields.push((0, 1));
        fields
    }

    fn crafted(parts: &[Vec<(u64, u32)>]) -> Result<Share, ShareError> {
        decode(&craft(&parts.concat()))
    }

    #[test]
    fn crafting_reproduces_encode() {
        let code = craft(&[header(KIND_DRAWN, 2), plain_answers(2)].concat());
        let share = decode(&code).unwrap();
        assert_eq!(share.seed(), 42);
        assert_eq!(share.len(), 2);
        assert_eq!(encode(&share), code);
    }

    #[test]
    fn too_many_cards() {
        let error = crafted(&[header(KIND_DRAWN, 65), plain_answers(65)]).unwrap_err();
        assert_eq!(error, ShareError::TooManyCards { found: 65, max: 64 });
        assert_eq!(
            error.to_string(),
            "the link holds 65 cards, more than the 64 a quiz can have"
        );
    }

    #[test]
    fn codes_encode_would_not_write_are_refused() {
        let reason = |result: Result<Share, ShareError>| match result {
            Err(ShareError::Inconsistent { detail }) => detail,
            other => panic!("expected an inconsistency, got {other:?}"),
        };
        let answers = plain_answers(2);
        // A seed of 42 in two bytes.
        let mut wide_seed = header(KIND_DRAWN, 2);
        wide_seed[4] = (1, 3);
        wide_seed[5] = (42, 16);
        assert!(reason(crafted(&[wide_seed, answers.clone()])).contains("leading zero"));
        // Cards 1 and 2 in 5 bits instead of 2.
        let listed = vec![(4, 5), (1, 5), (2, 5)];
        let error = crafted(&[header(KIND_LISTED, 2), listed, answers.clone()]);
        assert!(reason(error).contains("wider than needed"));
        let twice = vec![(1, 5), (3, 2), (3, 2)];
        let error = crafted(&[header(KIND_LISTED, 2), twice, answers.clone()]);
        assert!(reason(error).contains("twice"));
        // Two swaps, places 1 then 0.
        let unordered = vec![(1, 1), (1, 5), (1, 1), (3, 2), (0, 1), (2, 2)];
        let error = crafted(&[header(KIND_SWAPPED, 2), unordered, answers.clone()]);
        assert!(reason(error).contains("out of order"));
        // Three swaps in a deck of three cards is fine, four are not.
        let four = vec![(3, 2)];
        let error = crafted(&[header(KIND_SWAPPED, 3), four, plain_answers(3)]);
        assert!(reason(error).contains("more swaps than cards"));
        let empty = vec![(0, 0)];
        let error = crafted(&[header(KIND_SWAPPED, 0), empty, plain_answers(0)]);
        assert!(reason(error).contains("empty deck"));
        let error = crafted(&[header(3, 2), answers.clone()]);
        assert!(reason(error).contains("kind of deck"));
        // Important cards announced, none marked.
        let error = crafted(&[header(KIND_DRAWN, 2), vec![(0, 4), (1, 1), (0, 2)]]);
        assert!(reason(error).contains("none is marked"));
        // The fields are 55 bits; set the first of the 5 padding bits.
        let error = crafted(&[header(KIND_DRAWN, 2), answers, vec![(1, 1)]]);
        let detail = reason(error);
        assert!(detail.contains("unused bits"));
        assert_eq!(
            inconsistent(detail).to_string(),
            "the result code is not valid: the unused bits at the end are not zero"
        );
    }

    #[test]
    fn faults_of_a_damaged_code_are_reported_as_damage() {
        // Crafted with a wrong check, an inconsistency is only damage.
        let mut code = craft(&[header(3, 2), plain_answers(2)].concat());
        let last = code.pop().unwrap();
        code.push(if last == 'A' { 'B' } else { 'A' });
        assert_eq!(decode(&code), Err(ShareError::Damaged));
    }
}
