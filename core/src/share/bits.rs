//! Bit fields in characters of the link alphabet (base64url): writing a
//! code's fields most significant bit first, and reading them back in
//! place, without allocating.

use super::check::crc12;
use super::error::inconsistent;
use super::ShareError;

/// The 64 characters of a code, in the order of their values (base64url).
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Characters of the check value at the end of a code.
pub(super) const CHECK_CHARS: usize = 2;

fn mask(bits: u32) -> u64 {
    if bits >= 64 {
        u64::MAX
    } else {
        (1 << bits) - 1
    }
}

/// The value of a character of the alphabet.
pub(super) fn symbol(byte: u8) -> Option<u8> {
    match byte {
        b'A'..=b'Z' => Some(byte - b'A'),
        b'a'..=b'z' => Some(byte - b'a' + 26),
        b'0'..=b'9' => Some(byte - b'0' + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
}

/// Collects bits into 6-bit values.
#[derive(Debug, Default)]
pub(super) struct BitWriter {
    symbols: Vec<u8>,
    pending: u8,
    pending_bits: u32,
}

impl BitWriter {
    /// Appends the low `bits` bits (at most 64) of `value`, most
    /// significant first.
    pub(super) fn put(&mut self, value: u64, bits: u32) {
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
    pub(super) fn finish(mut self) -> String {
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
pub(super) struct BitReader<'a> {
    chars: &'a [u8],
    /// Bits read so far.
    at: usize,
    /// Length of the whole code, for [`ShareError::Truncated`].
    length: usize,
}

impl<'a> BitReader<'a> {
    pub(super) fn new(chars: &'a [u8], length: usize) -> BitReader<'a> {
        BitReader {
            chars,
            at: 0,
            length,
        }
    }

    /// The next `bits` bits (at most 64) as a number, most significant first.
    pub(super) fn take(&mut self, bits: u32) -> Result<u64, ShareError> {
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
    pub(super) fn finish(self) -> Result<(), ShareError> {
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
}
