//! The layout of a code (see the module documentation of [`crate::share`]):
//! [`encode`] writes a [`Share`] field by field, [`decode`] reads one back
//! and refuses anything `encode` would not write.

use super::bits::{symbol, BitReader, BitWriter, CHECK_CHARS};
use super::check::crc12;
use super::error::inconsistent;
use super::link::{check_count, TAG_BITS};
use super::{DatasetTag, Share, ShareError, SharedDeck, Swap, VERSION};
use crate::affinity::{Answer, Response};

const VERSION_BITS: u32 = 6;
const KIND_BITS: u32 = 2;
const COUNT_BITS: u32 = 7;
const SEED_BYTES_BITS: u32 = 3;
const WIDTH_BITS: u32 = 5;
const ANSWER_BITS: u32 = 2;

const KIND_DRAWN: u64 = 0;
const KIND_SWAPPED: u64 = 1;
const KIND_LISTED: u64 = 2;

/// The code of a share, to put after the `#` of a link.
pub fn encode(share: &Share) -> String {
    let n = share.len();
    let mut out = BitWriter::default();
    out.put(u64::from(VERSION), VERSION_BITS);
    out.put(u64::from(share.dataset().value()), TAG_BITS);
    let kind = match share.deck() {
        SharedDeck::Drawn => KIND_DRAWN,
        SharedDeck::Swapped(_) => KIND_SWAPPED,
        SharedDeck::Listed(_) => KIND_LISTED,
    };
    out.put(kind, KIND_BITS);
    out.put(n as u64, COUNT_BITS);
    let seed_bytes = bits_for(share.seed()).max(1).div_ceil(8);
    out.put(u64::from(seed_bytes - 1), SEED_BYTES_BITS);
    out.put(share.seed(), 8 * seed_bytes);
    match share.deck() {
        SharedDeck::Drawn => {}
        SharedDeck::Swapped(swaps) => {
            let place_bits = place_bits(n);
            out.put(swaps.len() as u64 - 1, place_bits);
            let width = card_width(swaps.iter().map(|s| s.card));
            out.put(u64::from(width - 1), WIDTH_BITS);
            for swap in swaps {
                out.put(u64::from(swap.position), place_bits);
                out.put(u64::from(swap.card), width);
            }
        }
        SharedDeck::Listed(cards) => {
            let width = card_width(cards.iter().copied());
            out.put(u64::from(width - 1), WIDTH_BITS);
            for &card in cards {
                out.put(u64::from(card), width);
            }
        }
    }
    for response in share.responses() {
        out.put(answer_code(response.answer), ANSWER_BITS);
    }
    let any_important = share.responses().iter().any(|r| r.important);
    out.put(u64::from(any_important), 1);
    if any_important {
        for response in share.responses() {
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
        KIND_DRAWN => SharedDeck::Drawn,
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
            SharedDeck::Swapped(swaps)
        }
        KIND_LISTED => {
            let width = input.take(WIDTH_BITS)? as u32 + 1;
            let mut cards = Vec::with_capacity(n);
            for _ in 0..n {
                cards.push(input.take(width)? as u32);
            }
            check_width(width, cards.iter().copied())?;
            SharedDeck::Listed(cards)
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
pub(super) fn swapped_bits(n: usize, swaps: &[Swap]) -> u64 {
    let place_bits = u64::from(place_bits(n));
    let width = u64::from(card_width(swaps.iter().map(|s| s.card)));
    place_bits + u64::from(WIDTH_BITS) + swaps.len() as u64 * (place_bits + width)
}

/// Size of the deck field of a listed deck.
pub(super) fn listed_bits(cards: &[u32]) -> u64 {
    let width = u64::from(card_width(cards.iter().copied()));
    u64::from(WIDTH_BITS) + cards.len() as u64 * width
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

#[cfg(test)]
mod tests {
    use super::*;

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
