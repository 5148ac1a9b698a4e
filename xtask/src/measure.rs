//! Sizes as a visitor's download sees them.

use flate2::{write::GzEncoder, Compression};
use std::io::Write;

/// The size of `bytes` gzipped at the best level, as a static host serving gzip sends them.
pub fn gzipped_len(bytes: &[u8]) -> usize {
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    // Writing into a Vec cannot fail.
    gz.write_all(bytes).expect("gzip into memory");
    gz.finish().expect("gzip into memory").len()
}

#[cfg(test)]
mod tests {
    use super::gzipped_len;

    #[test]
    fn counts_the_gzip_frame_and_compresses_repetition() {
        // 10 bytes of header, an empty deflate block, 8 bytes of CRC and length.
        assert_eq!(gzipped_len(b""), 20);
        let repetitive = "hemiciclo ".repeat(1_000);
        assert!(gzipped_len(repetitive.as_bytes()) < 100);
    }
}
