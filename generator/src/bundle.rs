//! Writes the quiz bundle: a manifest and shards of cards.

use crate::dataset::Dataset;
use hemiciclo_core::bundle::{shard_path, BUNDLE_DIR, MANIFEST_FILE};
use hemiciclo_core::{Card, Manifest, Shard, SCHEMA_VERSION};
use sha2::{Digest, Sha256};

/// Cards per shard: small enough that the first card costs about a
/// kilobyte compressed, large enough to keep the file count sane.
pub const SHARD_SIZE: u32 = 16;

/// The bundle as files: (path relative to the site root, JSON bytes).
pub fn files(dataset: &Dataset) -> Vec<(String, Vec<u8>)> {
    let eligible: Vec<_> = dataset
        .proposals
        .iter()
        .filter(|p| p.is_quiz_eligible())
        .collect();
    // Only actors who appear on some card take a place in the packed votes.
    let actors: Vec<_> = dataset
        .actors
        .iter()
        .filter(|actor| {
            eligible.iter().any(|p| {
                p.decisive_vote()
                    .is_some_and(|v| v.positions.contains_key(&actor.id))
            })
        })
        .cloned()
        .collect();

    let cards: Vec<Card> = eligible
        .iter()
        .map(|proposal| {
            let vote = proposal
                .decisive_vote()
                .expect("eligible proposals have one");
            Card {
                id: proposal.id.clone(),
                title: proposal.title.clone(),
                kind: proposal.kind.clone(),
                legislature: proposal.legislature.clone(),
                date: vote.date,
                phase: vote.phase.clone(),
                result: vote.result,
                page: crate::render::proposal_dir(&proposal.id),
                votes: Card::pack_votes(actors.iter().map(|a| vote.positions.get(&a.id).copied())),
            }
        })
        .collect();

    let shards: Vec<Shard> = cards
        .chunks(SHARD_SIZE as usize)
        .enumerate()
        .map(|(i, chunk)| Shard {
            schema_version: SCHEMA_VERSION,
            first: i as u32 * SHARD_SIZE,
            cards: chunk.to_vec(),
        })
        .collect();
    let shard_bytes: Vec<Vec<u8>> = shards
        .iter()
        .map(|s| serde_json::to_vec(s).expect("cards serialise"))
        .collect();

    let mut hash = Sha256::new();
    hash.update(serde_json::to_vec(&actors).expect("actors serialise"));
    for bytes in &shard_bytes {
        hash.update(bytes);
    }
    let digest = hash.finalize();
    let manifest = Manifest {
        schema_version: SCHEMA_VERSION,
        dataset_id: digest[..6].iter().map(|b| format!("{b:02x}")).collect(),
        actors,
        card_count: cards.len() as u32,
        shard_size: SHARD_SIZE,
    };

    let mut files = vec![(
        format!("{BUNDLE_DIR}/{MANIFEST_FILE}"),
        serde_json::to_vec(&manifest).expect("manifest serialises"),
    )];
    files.extend(
        shard_bytes
            .into_iter()
            .enumerate()
            .map(|(i, bytes)| (format!("{BUNDLE_DIR}/{}", shard_path(i as u32)), bytes)),
    );
    files
}
