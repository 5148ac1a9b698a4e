//! Writes the quiz bundle: a manifest and shards of cards.

use crate::ingest::dataset::Dataset;
use hemiciclo_core::bundle::{
    checksum, shard_path, CardIds, Checksums, Sampling, VotesTable, BUNDLE_DIR, CHECKSUMS_FILE,
    IDS_FILE, MANIFEST_FILE, VOTES_FILE,
};
use hemiciclo_core::sampler::CardMeta;
use hemiciclo_core::seating::Seating;
use hemiciclo_core::{Actor, ActorKind, Card, Manifest, Shard, SCHEMA_VERSION};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Cards per shard: small enough that the first card costs about a
/// kilobyte compressed (it is inside the first question's budget), large
/// enough to keep the file count sane.
pub const SHARD_SIZE: u32 = 8;

/// Each legislature's seating over its cards, oldest legislature first
/// (by the date of its latest card): the last is the one the quiz compares
/// by default.
fn seatings(cards: &[Card], actor_count: usize) -> Vec<Seating> {
    let mut legislatures: Vec<(&str, hemiciclo_core::Date)> = Vec::new();
    for card in cards {
        match legislatures
            .iter_mut()
            .find(|(name, _)| *name == card.legislature)
        {
            Some((_, latest)) => *latest = (*latest).max(card.date),
            None => legislatures.push((&card.legislature, card.date)),
        }
    }
    legislatures.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(b.0)));
    legislatures
        .iter()
        .map(|(name, _)| {
            let votes: Vec<&str> = cards
                .iter()
                .filter(|card| card.legislature == *name)
                .map(|card| card.votes.as_str())
                .collect();
            Seating::of(name, &votes, actor_count)
        })
        .collect()
}

/// The bundle as files: (path relative to the site root, JSON bytes).
/// `party_names` gives parties their full names by id (`site.toml`'s
/// `[party-names]`); others keep the name the data gives. `deck_size` is
/// how many proposals a drawn deck asks; `summaries`, the editors'
/// summaries by proposal id, go on their cards. `names` are the whole
/// dataset's file names, which the cards' page links take.
pub fn files(
    dataset: &Dataset,
    names: &crate::site::render::SiteNames,
    party_names: &BTreeMap<String, String>,
    deck_size: u32,
    summaries: &BTreeMap<&str, &str>,
) -> Vec<(String, Vec<u8>)> {
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
        .map(|actor| match party_names.get(&actor.id) {
            Some(name) if actor.kind == ActorKind::Party => Actor {
                name: name.clone(),
                ..actor.clone()
            },
            _ => actor.clone(),
        })
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
                page: names.proposal_dir(&proposal.id),
                votes: Card::pack_votes(actors.iter().map(|a| vote.positions.get(&a.id).copied())),
                summary: summaries.get(proposal.id.as_str()).map(|s| (*s).to_owned()),
            }
        })
        .collect();

    let seating = seatings(&cards, actors.len());
    let metas: Vec<CardMeta> = eligible
        .iter()
        .zip(&cards)
        .enumerate()
        .map(|(index, (proposal, card))| {
            let mut meta = CardMeta::from_proposal(index as u32, proposal)
                .expect("eligible proposals have a vote");
            meta.complete = seating
                .iter()
                .find(|s| s.legislature == card.legislature)
                .is_none_or(|s| s.all_voted(&card.votes));
            meta
        })
        .collect();
    let (cards, metas) = in_sampling_order(cards, metas);
    let sampling = Sampling::pack(&metas);

    // The dataset id names the content: the format, how the cards are
    // split, the actors, the sampling table and every card. Each shard
    // carries it, so a reader can refuse a shard of another build, and a
    // share link names it, so a link of other data is recognised. The
    // editors' summaries are words about the cards, not their data:
    // rewording one keeps every share link and saved quiz valid.
    let mut hash = Sha256::new();
    hash.update(SCHEMA_VERSION.to_le_bytes());
    hash.update(SHARD_SIZE.to_le_bytes());
    hash.update(serde_json::to_vec(&actors).expect("actors serialise"));
    hash.update(serde_json::to_vec(&sampling).expect("sampling serialises"));
    hash.update(serde_json::to_vec(&seating).expect("seating serialises"));
    for chunk in cards.chunks(SHARD_SIZE as usize) {
        let bare: Vec<Card> = chunk
            .iter()
            .map(|card| Card {
                summary: None,
                ..card.clone()
            })
            .collect();
        hash.update(serde_json::to_vec(&bare).expect("cards serialise"));
    }
    let digest = hash.finalize();
    let dataset_id = crate::files::hex(&digest[..6]);
    // How cards are numbered and packed: what a shard must agree on with
    // the manifest. A changed vote or title leaves it, and the other shards.
    let mut layout = Sha256::new();
    for actor in &actors {
        layout.update(actor.id.as_bytes());
        layout.update([0]);
    }
    layout.update([1]);
    for card in &cards {
        layout.update(card.id.as_bytes());
        layout.update([0]);
    }
    let layout_id = crate::files::hex(&layout.finalize()[..6]);

    let shard_bytes: Vec<Vec<u8>> = cards
        .chunks(SHARD_SIZE as usize)
        .enumerate()
        .map(|(i, chunk)| Shard {
            schema_version: SCHEMA_VERSION,
            // Not the dataset id: a changed vote changes only its shard.
            layout_id: layout_id.clone(),
            first: i as u32 * SHARD_SIZE,
            cards: chunk.to_vec(),
        })
        .map(|shard| serde_json::to_vec(&shard).expect("cards serialise"))
        .collect();
    let ids = CardIds {
        schema_version: SCHEMA_VERSION,
        dataset_id: dataset_id.clone(),
        ids: cards.iter().map(|card| card.id.clone()).collect(),
    };
    let votes = VotesTable {
        schema_version: SCHEMA_VERSION,
        dataset_id: dataset_id.clone(),
        votes: cards.iter().map(|card| card.votes.clone()).collect(),
    };
    let ids_bytes = serde_json::to_vec(&ids).expect("ids serialise");
    let votes_bytes = serde_json::to_vec(&votes).expect("votes serialise");
    // Every file's checksum but the manifest's, which names the list's.
    let checksums = Checksums {
        schema_version: SCHEMA_VERSION,
        layout_id: layout_id.clone(),
        files: vec![
            (IDS_FILE.to_owned(), checksum(&ids_bytes)),
            (VOTES_FILE.to_owned(), checksum(&votes_bytes)),
        ],
        shards: shard_bytes.iter().map(|bytes| checksum(bytes)).collect(),
    };
    let checksums_bytes = serde_json::to_vec(&checksums).expect("checksums serialise");
    let manifest = Manifest {
        schema_version: SCHEMA_VERSION,
        dataset_id,
        layout_id,
        actors,
        card_count: cards.len() as u32,
        shard_size: SHARD_SIZE,
        sampling,
        seating,
        deck_size,
        checksums: checksum(&checksums_bytes),
    };

    let mut files = vec![
        (
            format!("{BUNDLE_DIR}/{MANIFEST_FILE}"),
            serde_json::to_vec(&manifest).expect("manifest serialises"),
        ),
        (format!("{BUNDLE_DIR}/{CHECKSUMS_FILE}"), checksums_bytes),
        (format!("{BUNDLE_DIR}/{IDS_FILE}"), ids_bytes),
        (format!("{BUNDLE_DIR}/{VOTES_FILE}"), votes_bytes),
    ];
    files.extend(
        shard_bytes
            .into_iter()
            .enumerate()
            .map(|(i, bytes)| (format!("{BUNDLE_DIR}/{}", shard_path(i as u32)), bytes)),
    );
    files
}

/// The cards (and what the sampler knows of them) ordered by legislature,
/// in the order the legislatures first appear, then by sampling class,
/// keeping the data's order within a class. The manifest's sampling table
/// is then a few runs per legislature ([`Sampling::pack`]) however many
/// cards there are, so the page's first question costs the same on any
/// dataset.
fn in_sampling_order(cards: Vec<Card>, metas: Vec<CardMeta>) -> (Vec<Card>, Vec<CardMeta>) {
    let mut legislatures: Vec<&str> = Vec::new();
    for card in &cards {
        if !legislatures.contains(&card.legislature.as_str()) {
            legislatures.push(&card.legislature);
        }
    }
    let rank = |card: &Card| legislatures.iter().position(|l| *l == card.legislature);
    let mut order: Vec<usize> = (0..cards.len()).collect();
    order.sort_by_key(|&i| (rank(&cards[i]), Sampling::class(&metas[i])));
    let mut slots: Vec<Option<(Card, CardMeta)>> = cards.into_iter().zip(metas).map(Some).collect();
    order
        .into_iter()
        .enumerate()
        .map(|(index, i)| {
            let (card, mut meta) = slots[i].take().expect("each card is placed once");
            meta.index = index as u32;
            (card, meta)
        })
        .unzip()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hemiciclo_core::{Actor, ActorKind, Date, PhaseKind, Position, Proposal, Vote};

    fn proposal(id: u32) -> Proposal {
        Proposal {
            number: id.to_string(),
            authors: vec!["A".into()],
            votes: vec![Vote {
                positions: [
                    ("A".to_owned(), Position::For),
                    ("B".to_owned(), Position::Against),
                ]
                .into(),
                ..Vote::new(
                    id.to_string(),
                    "Votação na generalidade",
                    PhaseKind::General,
                    Date::parse_iso("2023-01-02").unwrap(),
                )
            }],
            ..Proposal::new(id.to_string(), "XV", "Projeto de Lei", format!("t{id}"))
        }
    }

    /// A parliament of nine parties and `count` proposals over two
    /// legislatures, each party voting a varied pseudo-random way.
    fn parliament(count: u32) -> Dataset {
        let parties: Vec<String> = (0..9).map(|p| format!("P{p}")).collect();
        let actors = parties.iter().map(|id| Actor {
            id: id.clone(),
            name: id.clone(),
            kind: ActorKind::Party,
        });
        let proposals = (1..=count)
            .map(|id| {
                let mut proposal = proposal(id);
                proposal.legislature = if id <= count / 2 { "XIV" } else { "XV" }.into();
                proposal.votes[0].positions = parties
                    .iter()
                    .enumerate()
                    .filter_map(|(p, party)| {
                        let roll = (id as u64 * 2_654_435_761 + p as u64 * 40_503) % 97;
                        let position = match roll % 4 {
                            0 => return None,
                            1 => Position::Abstain,
                            2 => Position::Against,
                            _ => Position::For,
                        };
                        Some((party.clone(), position))
                    })
                    .collect();
                proposal
            })
            .collect();
        Dataset::new(actors, proposals)
    }

    #[test]
    fn the_manifest_does_not_grow_with_the_cards() {
        let manifest_of = |count: u32| {
            let files = files(
                &parliament(count),
                &Default::default(),
                &BTreeMap::new(),
                10,
                &BTreeMap::new(),
            );
            let text = named(&files, "data/manifest.json").to_owned();
            (Manifest::from_json(&text).unwrap(), text.len())
        };
        let (small, small_len) = manifest_of(200);
        let (large, large_len) = manifest_of(20_000);
        assert!(
            large.card_count > 100 * small.card_count / 2,
            "{}",
            large.card_count
        );
        // At most a run per legislature and class: 2 strata, 10 splits, complete or not.
        assert!(
            large.sampling.runs.len() <= 2 * 40,
            "{:?}",
            large.sampling.runs
        );
        assert!(
            large_len <= small_len + 200,
            "{small_len} bytes for {} cards, {large_len} for {}",
            small.card_count,
            large.card_count
        );
        // Each legislature's cards stay together, and the sampler reads
        // back the very classes the cards were packed with.
        let metas = large.card_metas().unwrap();
        assert_eq!(Sampling::pack(&metas), large.sampling);
        assert!(metas
            .windows(2)
            .all(|w| w[0].legislature <= w[1].legislature));
    }

    fn bundle(first_id: u32) -> (Manifest, Vec<Shard>) {
        let actors = ["A", "B"].map(|id| Actor {
            id: id.into(),
            name: id.into(),
            kind: ActorKind::Party,
        });
        let proposals = (first_id..first_id + SHARD_SIZE + 1)
            .map(proposal)
            .collect();
        let names = BTreeMap::from([("A".to_owned(), "Partido A".to_owned())]);
        let files = files(
            &Dataset::new(actors, proposals),
            &Default::default(),
            &names,
            10,
            &BTreeMap::new(),
        );
        let manifest = Manifest::from_json(std::str::from_utf8(&files[0].1).unwrap()).unwrap();
        let ids = CardIds::from_json(named(&files, "data/ids.json")).unwrap();
        assert!(ids.belongs_to(&manifest));
        assert_eq!(ids.ids[0], first_id.to_string());
        let votes = VotesTable::from_json(named(&files, "data/votes.json")).unwrap();
        assert!(votes.belongs_to(&manifest));
        assert_eq!(manifest.actors[0].name, "Partido A");
        assert_eq!(manifest.actors[1].name, "B");
        assert_eq!(votes.votes[0], "FA");
        // Both vote on every card: both seated, every card complete.
        assert_eq!(manifest.seating.len(), 1);
        assert_eq!(manifest.seating[0].seated, vec![0, 1]);
        assert_eq!(manifest.seating[0].same, vec![0]);
        assert!(manifest.card_metas().unwrap().iter().all(|m| m.complete));
        let shards = files
            .iter()
            .filter(|(path, _)| path.starts_with("data/cards/"))
            .map(|(_, bytes)| Shard::from_json(std::str::from_utf8(bytes).unwrap()).unwrap())
            .collect();
        (manifest, shards)
    }

    fn files_of(dataset: &Dataset, summaries: &BTreeMap<&str, &str>) -> Vec<(String, Vec<u8>)> {
        files(
            dataset,
            &Default::default(),
            &BTreeMap::new(),
            10,
            summaries,
        )
    }

    #[test]
    fn an_editors_summary_goes_on_its_card_and_only_there() {
        let actors = ["A", "B"].map(|id| Actor {
            id: id.into(),
            name: id.into(),
            kind: ActorKind::Party,
        });
        let dataset = Dataset::new(actors, vec![proposal(1), proposal(2)]);
        let summaries = BTreeMap::from([("2", "Um resumo.")]);
        let files = files(
            &dataset,
            &Default::default(),
            &BTreeMap::new(),
            10,
            &summaries,
        );
        let shard = Shard::from_json(named(&files, "data/cards/0.json")).unwrap();
        let summary = |id: &str| {
            let card = shard.cards.iter().find(|c| c.id == id).unwrap();
            card.summary.clone()
        };
        assert_eq!(summary("2").as_deref(), Some("Um resumo."));
        assert_eq!(summary("1"), None);
        let text = named(&files, "data/cards/0.json");
        assert_eq!(text.matches("summary").count(), 1, "{text}");
        // Rewording a summary keeps the dataset, so share links stay valid.
        let bare = files_of(&dataset, &BTreeMap::new());
        let reworded = files_of(&dataset, &BTreeMap::from([("2", "Outro resumo.")]));
        let id = |files: &[(String, Vec<u8>)]| {
            Manifest::from_json(std::str::from_utf8(&files[0].1).unwrap())
                .unwrap()
                .dataset_id
        };
        assert_eq!(id(&files), id(&bare));
        assert_eq!(id(&files), id(&reworded));
    }

    #[test]
    fn shards_carry_the_layout_id_and_the_manifest_the_dataset_id() {
        let (manifest, shards) = bundle(1);
        assert_eq!(manifest.schema_version, SCHEMA_VERSION);
        assert_eq!(manifest.card_count, SHARD_SIZE + 1);
        assert_eq!(shards.len(), 2);
        assert!(shards
            .iter()
            .all(|shard| shard.layout_id == manifest.layout_id));
        assert!(shards.iter().all(|shard| shard.belongs_to(&manifest)));
        assert_eq!(manifest.dataset_id.len(), 12);
        assert_eq!(manifest.layout_id.len(), 12);

        let (again, again_shards) = bundle(1);
        assert_eq!(again.dataset_id, manifest.dataset_id, "deterministic");
        assert_eq!(shards, again_shards);
        // Other cards: another dataset, numbered otherwise; its shards do
        // not fit this manifest.
        let (other, other_shards) = bundle(2);
        assert_ne!(other.dataset_id, manifest.dataset_id, "other content");
        assert_ne!(other.layout_id, manifest.layout_id);
        assert!(!other_shards[0].belongs_to(&manifest));
    }

    /// The text of the bundle file at `path`.
    fn named<'a>(files: &'a [(String, Vec<u8>)], path: &str) -> &'a str {
        let bytes = &files.iter().find(|(p, _)| p == path).unwrap().1;
        std::str::from_utf8(bytes).unwrap()
    }

    #[test]
    fn a_changed_vote_changes_its_own_shard_and_the_manifest_only() {
        let actors = ["A", "B"].map(|id| Actor {
            id: id.into(),
            name: id.into(),
            kind: ActorKind::Party,
        });
        let proposals: Vec<Proposal> = (1..=2 * SHARD_SIZE).map(proposal).collect();
        let mut changed = proposals.clone();
        let last = changed.last_mut().unwrap();
        last.votes[0]
            .positions
            .insert("B".into(), Position::Abstain);
        let build = |proposals: Vec<Proposal>| {
            files(
                &Dataset::new(actors.to_vec(), proposals),
                &Default::default(),
                &BTreeMap::new(),
                10,
                &BTreeMap::new(),
            )
        };
        let (before, after) = (build(proposals), build(changed));
        let differ: Vec<&str> = before
            .iter()
            .zip(&after)
            .filter(|(a, b)| a != b)
            .map(|(a, _)| a.0.as_str())
            .collect();
        assert!(differ.contains(&"data/manifest.json"), "{differ:?}");
        let manifest = |files: &[(String, Vec<u8>)]| {
            Manifest::from_json(std::str::from_utf8(&files[0].1).unwrap()).unwrap()
        };
        assert_ne!(manifest(&before).dataset_id, manifest(&after).dataset_id);
        assert_eq!(manifest(&before).layout_id, manifest(&after).layout_id);
        assert!(differ.contains(&"data/cards/1.json"), "{differ:?}");
        assert!(!differ.contains(&"data/cards/0.json"), "{differ:?}");
        assert!(
            differ
                .iter()
                .all(|p| !p.starts_with("data/cards/") || *p == "data/cards/1.json"),
            "{differ:?}"
        );
        // Every file is listed with its checksum; the other build's shard
        // and a changed list are refused by name.
        let text = |files: &[(String, Vec<u8>)], path: &str| {
            let bytes = &files.iter().find(|(p, _)| p == path).unwrap().1;
            String::from_utf8(bytes.clone()).unwrap()
        };
        let list = |files: &[(String, Vec<u8>)]| {
            Checksums::from_json(&text(files, "data/checksums.json"), &manifest(files)).unwrap()
        };
        let checksums = list(&after);
        for (path, _) in after.iter().skip(2) {
            let name = path.strip_prefix("data/").unwrap();
            checksums.check(name, &text(&after, path)).unwrap();
        }
        assert_eq!(
            checksums.check("cards/1.json", &text(&before, "data/cards/1.json")),
            Err(hemiciclo_core::BundleError::Tampered {
                file: "cards/1.json".into()
            })
        );
        assert!(checksums.check("cards/9.json", "{}").is_err());
        let edited = text(&after, "data/checksums.json").replace("votes.json", "votes.jsom");
        assert!(matches!(
            Checksums::from_json(&edited, &manifest(&after)),
            Err(hemiciclo_core::BundleError::Tampered { .. })
        ));
    }
}
