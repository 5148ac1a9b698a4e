//! The check value at the end of a code: a CRC-12, which catches any
//! change of one character or of two neighbouring ones (every error burst
//! up to 12 bits), so a damaged link is an error, not another result.

/// x^12 + x^11 + x^3 + x^2 + x + 1, the classic CRC-12, without its x^12 term.
const CRC_POLY: u16 = 0x80F;

/// CRC-12 of 6-bit values, most significant bit first.
pub(super) fn crc12(symbols: impl Iterator<Item = u8>) -> u16 {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
