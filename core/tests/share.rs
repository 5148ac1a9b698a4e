//! Share links through the public API: round trips, link lengths,
//! corrupted links and the messages a citizen reads.

use hemiciclo_core::sampler::{draw_deck, Uniform};
use hemiciclo_core::share::{
    decode, encode, DatasetTag, Share, ShareError, SharedDeck, Swap, MAX_CARDS, VERSION,
};
use hemiciclo_core::{Answer, Response};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

const DATASET: &str = "a1b2c3d4e5f6";
const CARD_COUNT: u32 = 3500;
const ANSWERS: [Answer; 4] = [Answer::For, Answer::Against, Answer::Abstain, Answer::Skip];
const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/// A seed as the site draws them: all 64 bits used.
const RANDOM_SEED: u64 = 0x9E37_79B9_7F4A_7C15;

/// Responses cycling through every answer, card `i` important when `important(i)`.
fn responses(n: usize, important: impl Fn(usize) -> bool) -> Vec<Response> {
    (0..n)
        .map(|i| Response::new(ANSWERS[i % 4], important(i)))
        .collect()
}

/// Shares `deck` and checks that it comes back whole, card numbers included.
fn round_trip(seed: u64, card_count: u32, deck: &[u32], responses: &[Response]) -> String {
    let share = Share::new(DATASET, seed, &Uniform(card_count), deck, responses).unwrap();
    let code = encode(&share);
    let back = decode(&code).unwrap_or_else(|e| panic!("{code}: {e}"));
    assert_eq!(back, share, "{code}");
    assert_eq!(back.cards(&Uniform(card_count)).unwrap(), deck, "{code}");
    assert_eq!(back.responses(), responses);
    assert_eq!(back.seed(), seed);
    assert!(back.matches_dataset(DATASET));
    code
}

/// The drawn deck with the cards at `places` replaced by unseen ones.
fn swapped(card_count: u32, n: usize, seed: u64, places: &[usize]) -> Vec<u32> {
    let mut deck = draw_deck(card_count, n, seed);
    let mut spare = (0..card_count).rev().filter(|c| !deck.contains(c));
    let replacements: Vec<u32> = places.iter().map(|_| spare.next().unwrap()).collect();
    for (&place, card) in places.iter().zip(replacements) {
        deck[place] = card;
    }
    deck
}

#[test]
fn decks_of_0_1_10_and_64_cards_round_trip_drawn_swapped_and_listed() {
    for n in [0, 1, 10, 64] {
        let drawn = draw_deck(CARD_COUNT, n, 7);
        let code = round_trip(7, CARD_COUNT, &drawn, &responses(n, |i| i % 3 == 0));
        assert_eq!(decode(&code).unwrap().deck(), &SharedDeck::Drawn);
        if n == 0 {
            continue;
        }
        let places: Vec<usize> = (0..n).step_by(4).take(3).collect();
        let deck = swapped(CARD_COUNT, n, 7, &places);
        let code = round_trip(7, CARD_COUNT, &deck, &responses(n, |_| false));
        // One card swapped in a deck of one costs as much as listing it.
        if n > 1 {
            let share = decode(&code).unwrap();
            assert!(matches!(share.deck(), SharedDeck::Swapped(s) if s.len() == places.len()));
        }
        let listed: Vec<u32> = (0..n as u32).map(|i| i * 53 % CARD_COUNT).collect();
        let code = round_trip(7, CARD_COUNT, &listed, &responses(n, |_| true));
        // A deck that matches little of the drawn one is listed.
        if n > 1 {
            assert!(matches!(
                decode(&code).unwrap().deck(),
                SharedDeck::Listed(_)
            ));
        }
    }
}

#[test]
fn every_answer_and_important_combination_round_trips() {
    // Each pair of (answer, important) on two cards: all 64 combinations.
    let options: Vec<Response> = ANSWERS
        .iter()
        .flat_map(|&a| [Response::new(a, false), Response::new(a, true)])
        .collect();
    let deck = draw_deck(CARD_COUNT, 2, 1);
    for &first in &options {
        for &second in &options {
            round_trip(1, CARD_COUNT, &deck, &[first, second]);
        }
    }
    // And all eight side by side in one deck.
    round_trip(1, CARD_COUNT, &draw_deck(CARD_COUNT, 8, 1), &options);
}

#[test]
fn seeds_round_trip_from_zero_to_the_largest() {
    let deck_of = |seed| draw_deck(CARD_COUNT, 10, seed);
    for seed in [
        0,
        1,
        255,
        256,
        65_535,
        65_536,
        1 << 40,
        u64::MAX - 1,
        u64::MAX,
    ] {
        round_trip(seed, CARD_COUNT, &deck_of(seed), &responses(10, |_| false));
    }
    // Small seeds (the command line's `--seed 42`) make shorter links.
    let short = round_trip(42, CARD_COUNT, &deck_of(42), &responses(10, |_| false));
    let long = round_trip(
        u64::MAX,
        CARD_COUNT,
        &deck_of(u64::MAX),
        &responses(10, |_| false),
    );
    assert!(short.len() < long.len());
}

#[test]
fn pool_sizes_from_one_to_a_million_round_trip() {
    let mut sizes: Vec<u32> = (1..=100).collect();
    for bits in 7..=20 {
        sizes.extend([(1 << bits) - 1, 1 << bits, (1 << bits) + 1]);
    }
    sizes.extend([3500, 999_999, 1_000_000]);
    sizes.retain(|&s| s <= 1_000_000);
    for card_count in sizes {
        let n = 10.min(card_count as usize);
        let seed = u64::from(card_count) * 7919;
        let drawn = draw_deck(card_count, n, seed);
        round_trip(seed, card_count, &drawn, &responses(n, |i| i == 0));
        if (card_count as usize) > n {
            // Swapping in the last card makes the widest card number.
            round_trip(
                seed,
                card_count,
                &swapped(card_count, n, seed, &[n - 1]),
                &responses(n, |_| false),
            );
        }
        // Listed, highest card included.
        let mut listed: Vec<u32> = (0..n as u32).map(|i| card_count - 1 - i).collect();
        listed.reverse();
        round_trip(seed, card_count, &listed, &responses(n, |i| i % 2 == 1));
    }
}

#[test]
fn card_numbers_up_to_the_largest_u32_round_trip() {
    let cards = vec![u32::MAX, 0, 1 << 31, 12];
    let share = Share::from_parts(
        DatasetTag::of(DATASET),
        3,
        SharedDeck::Listed(cards.clone()),
        responses(4, |_| false),
    )
    .unwrap();
    let back = decode(&encode(&share)).unwrap();
    assert_eq!(back, share);
    assert_eq!(
        back.cards(&Uniform(u32::MAX)),
        Err(ShareError::NotInDataset {
            card_count: u32::MAX
        })
    );
}

/// The link of a typical 10-card quiz: a random 64-bit seed, and two
/// cards marked important or none.
fn ten_card_link(deck: &[u32], important: bool) -> String {
    let responses = responses(10, |i| important && (i == 2 || i == 7));
    encode(&Share::new(DATASET, RANDOM_SEED, &Uniform(CARD_COUNT), deck, &responses).unwrap())
}

fn typical(deck: &[u32]) -> String {
    ten_card_link(deck, true)
}

#[test]
fn a_typical_ten_card_link_is_short() {
    let drawn = draw_deck(CARD_COUNT, 10, RANDOM_SEED);
    let three_swaps = swapped(CARD_COUNT, 10, RANDOM_SEED, &[1, 4, 8]);
    let listed = [3499, 12, 2048, 77, 1500, 3000, 9, 2999, 640, 1234];
    let mut lengths = vec![];
    for (what, deck) in [
        ("drawn deck", &drawn[..]),
        ("3 cards swapped", &three_swaps[..]),
        ("listed deck", &listed[..]),
    ] {
        for important in [false, true] {
            let link = ten_card_link(deck, important);
            let marked = if important {
                "2 important"
            } else {
                "0 important"
            };
            println!(
                "10-card link, {what:15}, {marked}: {link} ({} characters)",
                link.len()
            );
            lengths.push(link.len());
        }
    }
    // The figures of the module doc; the first four are within 40.
    assert_eq!(lengths, [24, 25, 33, 35, 44, 46]);
    let longest = Share::from_parts(
        DatasetTag::of(DATASET),
        u64::MAX,
        SharedDeck::Swapped(
            (0..64)
                .map(|position| Swap {
                    position,
                    card: u32::MAX - u32::from(position),
                })
                .collect(),
        ),
        responses(64, |_| true),
    )
    .unwrap();
    let longest = encode(&longest);
    println!("longest possible link: {} characters", longest.len());
    assert_eq!(decode(&longest).map(|s| s.len()), Ok(64));
}

#[test]
fn version_two_links_are_frozen() {
    // A link once shared must read the same forever: this one pins the
    // layout of version 2. Changing the format means a new VERSION.
    let deck = draw_deck(CARD_COUNT, 10, RANDOM_SEED);
    assert_eq!(VERSION, 2);
    let code = typical(&deck);
    assert!(code.starts_with('C'));
    assert_eq!(code, "CobLDBXnjd5uX9KfBUbGxkIwc");
}

#[test]
fn a_version_one_link_is_named_as_such() {
    // Version 1 drew its decks with the uniform sampler; its links are
    // refused with a message rather than read as other cards.
    let error = decode("BobLDBXnjd5uX9KfBUbGxkIE1").unwrap_err();
    assert_eq!(
        error,
        ShareError::UnknownVersion {
            found: 1,
            supported: 2
        }
    );
    assert!(error.to_string().contains("format 1"), "{error}");
}

/// Links of every deck kind, to damage.
fn sample_links() -> Vec<String> {
    vec![
        typical(&draw_deck(CARD_COUNT, 10, RANDOM_SEED)),
        typical(&swapped(CARD_COUNT, 10, RANDOM_SEED, &[0, 9])),
        typical(&[3499, 12, 2048, 77, 1500, 3000, 9, 2999, 640, 1234]),
        round_trip(5, CARD_COUNT, &[], &[]),
        round_trip(5, 1, &[0], &responses(1, |_| true)),
    ]
}

#[test]
fn every_changed_character_is_caught() {
    for code in sample_links() {
        let original = decode(&code).unwrap();
        for (place, old) in code.char_indices() {
            for new in ALPHABET.chars().filter(|&c| c != old) {
                let mut damaged = code.clone();
                damaged.replace_range(place..place + 1, &new.to_string());
                let result = decode(&damaged);
                assert!(result.is_err(), "{code} -> {damaged}: {result:?}");
            }
            for new in ['#', ' ', '=', '+', '/', '.', 'é', '\n', '\0'] {
                let mut damaged = code.clone();
                damaged.replace_range(place..place + 1, &new.to_string());
                assert_eq!(
                    decode(&damaged),
                    Err(ShareError::BadCharacter {
                        character: new,
                        position: place + 1
                    })
                );
            }
        }
        // Two neighbouring characters exchanged.
        let bytes = code.as_bytes();
        for place in 1..code.len() {
            if bytes[place - 1] == bytes[place] {
                continue;
            }
            let mut swapped = bytes.to_vec();
            swapped.swap(place - 1, place);
            let damaged = String::from_utf8(swapped).unwrap();
            assert!(decode(&damaged).is_err(), "{code} -> {damaged}");
        }
        // A character lost or added: an error, or at worst (one chance in
        // 4,096 per damaged link) another valid share; never this one.
        let mut slipped = 0;
        for place in 0..code.len() {
            let mut lost = code.clone();
            lost.remove(place);
            let mut variants = vec![lost];
            for new in ALPHABET.chars() {
                let mut added = code.clone();
                added.insert(place, new);
                variants.push(added);
            }
            for damaged in variants {
                match decode(&damaged) {
                    Err(_) => {}
                    Ok(other) => {
                        assert_ne!(other, original, "{code} -> {damaged}");
                        assert_eq!(encode(&other), damaged);
                        slipped += 1;
                    }
                }
            }
        }
        assert_eq!(slipped, 0, "{code}");
    }
}

#[test]
fn each_error_has_a_message_a_citizen_understands() {
    let code = typical(&draw_deck(CARD_COUNT, 10, RANDOM_SEED));
    let cases: Vec<(String, ShareError, &str)> =
        vec![
        (
            String::new(),
            ShareError::Empty,
            "the link holds no result: the code after '#' is empty",
        ),
        (
            format!("{}%{}", &code[..4], &code[5..]),
            ShareError::BadCharacter {
                character: '%',
                position: 5,
            },
            "the result code contains '%' at character 5, which never appears in a code; the \
             link was probably changed while being copied",
        ),
        (
            code[..code.len() - 3].to_string(),
            ShareError::Truncated { length: code.len() - 3 },
            "the result code ends too early, after 22 characters; the link was probably cut \
             while being copied",
        ),
        (
            "C".to_string(),
            ShareError::Truncated { length: 1 },
            "the result code ends too early, after 1 character; the link was probably cut \
             while being copied",
        ),
        (
            format!("D{}", &code[1..]),
            ShareError::UnknownVersion {
                found: 3,
                supported: 2,
            },
            "the link was made by another version of the quiz (format 3; this page reads \
             format 2)",
        ),
        (
            format!("{code}AB"),
            ShareError::TrailingGarbage { extra: 2 },
            "the result code has 2 characters too many at its end; was something pasted after \
             it?",
        ),
        (
            format!("{}{}", &code[..10], if &code[10..11] == "A" { "B" } else { "A" })
                + &code[11..],
            ShareError::Damaged,
            "the result code is damaged: a character was changed, added or lost while the link \
             was copied",
        ),
    ];
    for (input, error, message) in cases {
        assert_eq!(decode(&input), Err(error.clone()), "{input:?}");
        assert_eq!(error.to_string(), message);
    }
    assert_eq!(
        ShareError::TrailingGarbage { extra: 1 }.to_string(),
        "the result code has 1 character too many at its end; was something pasted after it?"
    );
    // Too many cards and inconsistent codes are crafted in the unit tests.
    let too_many = Share::new(
        DATASET,
        1,
        &Uniform(CARD_COUNT),
        &[0; 65],
        &[Response::from(Answer::For); 65],
    );
    assert_eq!(
        too_many,
        Err(ShareError::TooManyCards {
            found: 65,
            max: MAX_CARDS
        })
    );
}

#[test]
fn a_link_made_on_other_data_is_recognised() {
    let share = decode(&typical(&draw_deck(CARD_COUNT, 10, RANDOM_SEED))).unwrap();
    assert!(share.matches_dataset(DATASET));
    assert!(!share.matches_dataset("ffffff000000"));
    assert!(!share.matches_dataset("t"));
    assert_eq!(share.dataset().to_string(), "a1b2c3");
    // On a smaller dataset its cards do not exist.
    let error = share.cards(&Uniform(9)).unwrap_err();
    assert_eq!(error, ShareError::NotInDataset { card_count: 9 });
    assert_eq!(
        error.to_string(),
        "the link's cards are not among the 9 cards of the current quiz data; it was made on \
         other data"
    );
    let listed = Share::new(
        DATASET,
        1,
        &Uniform(CARD_COUNT),
        &[3499],
        &[Response::from(Answer::For)],
    )
    .unwrap();
    assert_eq!(
        listed.cards(&Uniform(3499)),
        Err(ShareError::NotInDataset { card_count: 3499 })
    );
    assert_eq!(listed.cards(&Uniform(3500)), Ok(vec![3499]));
}

#[test]
fn shares_are_checked_when_built() {
    let one = [Response::from(Answer::For)];
    let inconsistent =
        |r: Result<Share, ShareError>| matches!(r, Err(ShareError::Inconsistent { .. }));
    assert!(inconsistent(Share::new(
        DATASET,
        1,
        &Uniform(10),
        &[1, 2],
        &one
    )));
    assert!(inconsistent(Share::new(
        DATASET,
        1,
        &Uniform(10),
        &[3, 3],
        &[one[0]; 2]
    )));
    assert_eq!(
        Share::new(DATASET, 1, &Uniform(10), &[10], &one),
        Err(ShareError::NotInDataset { card_count: 10 })
    );
    let tag = DatasetTag::of(DATASET);
    assert!(inconsistent(Share::from_parts(
        tag,
        1,
        SharedDeck::Swapped(vec![]),
        one.to_vec()
    )));
    let outside = SharedDeck::Swapped(vec![Swap {
        position: 1,
        card: 0,
    }]);
    assert!(inconsistent(Share::from_parts(
        tag,
        1,
        outside,
        one.to_vec()
    )));
    assert!(inconsistent(Share::from_parts(
        tag,
        1,
        SharedDeck::Listed(vec![]),
        one.to_vec()
    )));
}

#[test]
fn huge_inputs_are_refused_without_reading_them_into_memory() {
    let huge = format!("C{}", "A".repeat(10_000_000));
    assert!(decode(&huge).is_err());
    let huge_bad = format!("{}!", "C".repeat(5_000_000));
    assert_eq!(
        decode(&huge_bad),
        Err(ShareError::BadCharacter {
            character: '!',
            position: 5_000_001
        })
    );
}

fn any_response() -> impl Strategy<Value = Response> {
    (0..4usize, any::<bool>()).prop_map(|(a, important)| Response::new(ANSWERS[a], important))
}

/// Any share [`Share::from_parts`] accepts.
fn any_share() -> impl Strategy<Value = Share> {
    (
        0u32..1 << 24,
        any::<u64>(),
        prop::collection::vec(any_response(), 0..=MAX_CARDS),
    )
        .prop_flat_map(|(tag, seed, responses)| {
            let n = responses.len();
            let drawn = Just(SharedDeck::Drawn).boxed();
            let deck = if n == 0 {
                drawn
            } else {
                let swaps = prop::collection::btree_map(0..n as u8, any::<u32>(), 1..=n).prop_map(
                    |swaps| {
                        SharedDeck::Swapped(
                            swaps
                                .into_iter()
                                .map(|(position, card)| Swap { position, card })
                                .collect(),
                        )
                    },
                );
                let listed = |set: std::collections::BTreeSet<u32>| {
                    Just(set.into_iter().collect::<Vec<u32>>()).prop_shuffle()
                };
                let narrow = prop::collection::btree_set(0u32..4096, n).prop_flat_map(listed);
                let wide = prop::collection::btree_set(any::<u32>(), n).prop_flat_map(listed);
                prop_oneof![
                    drawn,
                    swaps,
                    narrow.prop_map(SharedDeck::Listed),
                    wide.prop_map(SharedDeck::Listed),
                ]
                .boxed()
            };
            (Just(tag), Just(seed), deck, Just(responses))
        })
        .prop_map(|(tag, seed, deck, responses)| {
            let tag = DatasetTag::of(&format!("{tag:06x}"));
            Share::from_parts(tag, seed, deck, responses).unwrap()
        })
}

/// A string of alphabet characters, or something close to one.
fn code_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9_-]{0,80}",
        "C[A-Za-z0-9_-]{20,60}",
        "C[A-Za-z0-9_-]{0,40}[^A-Za-z0-9_-]?[A-Za-z0-9_-]{0,5}",
        any::<String>(),
    ]
}

proptest! {
    // Failing cases are kept next to this file, in `proptest-regressions/`.
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_share_round_trips(share in any_share()) {
        let code = encode(&share);
        prop_assert!(code.starts_with('C'));
        prop_assert_eq!(decode(&code), Ok(share));
    }

    #[test]
    fn shares_of_real_decks_round_trip(
        card_count in 1u32..=1_000_000,
        seed in any::<u64>(),
        n in 0usize..=MAX_CARDS,
        swap_every in 0usize..12,
        responses in prop::collection::vec(any_response(), MAX_CARDS),
    ) {
        let n = n.min(card_count as usize);
        let places: Vec<usize> = if swap_every == 0 || card_count as usize <= n {
            vec![]
        } else {
            (0..n).step_by(swap_every).collect()
        };
        let deck = swapped(card_count, n, seed, &places);
        round_trip(seed, card_count, &deck, &responses[..n]);
    }

    #[test]
    fn decoding_anything_gives_a_result_or_an_error(code in code_like()) {
        // Never panics; what decodes is exactly what encode writes.
        if let Ok(share) = decode(&code) {
            prop_assert_eq!(encode(&share), code);
            let _ = share.cards(&Uniform(CARD_COUNT));
        }
    }

    #[test]
    fn decoding_a_damaged_link_gives_a_result_or_an_error(
        share in any_share(),
        place in any::<prop::sample::Index>(),
        bits in 1u8..64,
    ) {
        let code = encode(&share);
        let mut bytes = code.into_bytes();
        let i = place.index(bytes.len());
        let value = ALPHABET.find(bytes[i] as char).unwrap() as u8 ^ bits;
        bytes[i] = ALPHABET.as_bytes()[usize::from(value)];
        let damaged = String::from_utf8(bytes).unwrap();
        prop_assert!(decode(&damaged).is_err(), "{}", damaged);
    }
}
