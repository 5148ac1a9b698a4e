//! Sizes as a visitor's download sees them, and the median of timings.

use flate2::{write::GzEncoder, Compression};
use std::io::Write;

/// The size of `bytes` gzipped at the best level, as a static host serving gzip sends them.
pub fn gzipped_len(bytes: &[u8]) -> usize {
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    // Writing into a Vec cannot fail.
    gz.write_all(bytes).expect("gzip into memory");
    gz.finish().expect("gzip into memory").len()
}

/// The middle value (the mean of the two middle ones for an even count).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::{gzipped_len, median};

    #[test]
    fn the_median_is_the_middle_value() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn counts_the_gzip_frame_and_compresses_repetition() {
        // 10 bytes of header, an empty deflate block, 8 bytes of CRC and length.
        assert_eq!(gzipped_len(b""), 20);
        let repetitive = "hemiciclo ".repeat(1_000);
        assert!(gzipped_len(repetitive.as_bytes()) < 100);
    }
}
