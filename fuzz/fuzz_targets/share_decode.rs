//! Any string given to the share-link decoder gives a share or an error,
//! never a panic; what decodes is exactly what `encode` writes, and its
//! deck can be resolved on a dataset without panicking either, with the
//! uniform sampler and with the site's stratified one.

#![no_main]

use hemiciclo_core::sampler::{Stratified, Uniform};
use hemiciclo_core::share::{decode, encode};
use hemiciclo_core::test_vectors::pinned_cards;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let code = String::from_utf8_lossy(data);
    if let Ok(share) = decode(&code) {
        assert_eq!(encode(&share), code);
        for card_count in [0, 1, 10, 3500] {
            let _ = share.cards(&Uniform(card_count));
        }
        for card_count in [0, 12, 500] {
            let _ = share.cards(&Stratified::new(pinned_cards(card_count)));
        }
    }
});
