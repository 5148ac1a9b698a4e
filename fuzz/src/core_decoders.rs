//! The decoders of `hemiciclo-core` that read what the browser is given:
//! share links and the quiz bundle's files.
//!
//! Also compiled into the generator's tests (`generator/tests/fuzz_regressions.rs`,
//! by path), which run every input kept in `fuzz/regressions/` through
//! these same checks; so this file uses nothing but `hemiciclo-core` and
//! `serde_json`.

use hemiciclo_core::bundle::{CardIds, Manifest, Shard, VotesTable};
use hemiciclo_core::sampler::{Stratified, Uniform};
use hemiciclo_core::share::{decode, encode};
use hemiciclo_core::test_vectors::pinned_cards;

/// Any string given to the share-link decoder gives a share or an error,
/// never a panic; what decodes is exactly what `encode` writes, and its
/// deck can be resolved on a dataset without panicking either, with the
/// uniform sampler and with the site's stratified one.
pub fn share_decode(data: &[u8]) {
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
}

/// The quiz bundle's files as the browser reads them (manifest, shard,
/// card ids, votes table), with the hand-written JSON reader of
/// `hemiciclo-core`: any text gives the file or an error, never a panic.
/// Every reader is tried on every input. What reads is what the generator
/// would write: serialised as the generator writes it (serde_json), it
/// reads back equal.
pub fn bundle(data: &[u8]) {
    // The page hands the module the response's text, decoded as UTF-8.
    let text = String::from_utf8_lossy(data);
    if let Ok(manifest) = Manifest::from_json(&text) {
        let json = serde_json::to_string(&manifest).expect("a manifest serialises");
        assert_eq!(Manifest::from_json(&json).as_ref(), Ok(&manifest), "{json}");
        let _ = manifest.card_metas();
        let _ = manifest.legislatures();
        let _ = manifest.latest_legislature();
        for card in [0, 1, manifest.card_count.saturating_sub(1), u32::MAX] {
            let _ = manifest.shard_of(card);
        }
        let _ = manifest.shard_count();
    }
    if let Ok(shard) = Shard::from_json(&text) {
        let json = serde_json::to_string(&shard).expect("a shard serialises");
        assert_eq!(Shard::from_json(&json).as_ref(), Ok(&shard), "{json}");
        for card in &shard.cards {
            let _ = card.position(0);
        }
        let _ = shard.card(shard.first);
    }
    if let Ok(ids) = CardIds::from_json(&text) {
        let json = serde_json::to_string(&ids).expect("card ids serialise");
        assert_eq!(CardIds::from_json(&json).as_ref(), Ok(&ids), "{json}");
        let _ = ids.cards_of(&ids.ids);
    }
    if let Ok(votes) = VotesTable::from_json(&text) {
        let json = serde_json::to_string(&votes).expect("a votes table serialises");
        assert_eq!(VotesTable::from_json(&json).as_ref(), Ok(&votes), "{json}");
    }
    // The checksum list, read against a manifest that names this very text.
    let manifest = format!(
        r#"{{"schema_version":{},"dataset_id":"d","layout_id":"l","actors":[],"card_count":0,"shard_size":8,"sampling":{{"runs":[]}},"checksums":"{}"}}"#,
        hemiciclo_core::SCHEMA_VERSION,
        hemiciclo_core::bundle::checksum(text.as_bytes())
    );
    let manifest = Manifest::from_json(&manifest).expect("the made-up manifest reads");
    if let Ok(list) = hemiciclo_core::Checksums::from_json(&text, &manifest) {
        let json = serde_json::to_string(&list).expect("a checksum list serialises");
        let _ = list.check("votes.json", &json);
        if let Ok((_, first)) = hemiciclo_core::bundle::shard_head(&text) {
            let _ = list.check(
                &hemiciclo_core::bundle::shard_path(manifest.shard_of(first)),
                &text,
            );
        }
    }
}
