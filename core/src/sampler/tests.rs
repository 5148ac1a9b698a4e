//! Tests of the stratified draw, the filters and the deck in play, on
//! shared fixtures.

use super::*;
use crate::date::Date;
use crate::model::{Outcome, PhaseKind, Position, Proposal, ProposerKind, Venue, Vote};
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn a_card_without_a_date_passes_no_date_filter() {
    let mut card = meta(0, None, 0.5);
    card.date = None;
    assert!(Filters::default().admits(&card));
    let from = Filters {
        from: Some(date("2000-01-01")),
        ..Filters::default()
    };
    assert!(!from.admits(&card));
    let until = Filters {
        until: Some(date("2100-01-01")),
        ..Filters::default()
    };
    assert!(!until.admits(&card));
}

fn date(text: &str) -> Date {
    Date::parse_iso(text).unwrap()
}

/// An eligible card of legislature XIV dated 2020-01-01.
fn meta(index: u32, proposer: Option<ProposerKind>, informativeness: f64) -> CardMeta {
    CardMeta {
        index,
        legislature: "XIV".into(),
        topics: Vec::new(),
        date: Some(date("2020-01-01")),
        proposer,
        informativeness,
        eligible: true,
        complete: true,
    }
}

const GOV: Option<ProposerKind> = Some(ProposerKind::Government);
const OPP: Option<ProposerKind> = Some(ProposerKind::Opposition);

/// `government` government cards numbered first, then `others`.
fn pool(government: u32, others: u32) -> Vec<CardMeta> {
    (0..government + others)
        .map(|i| meta(i, if i < government { GOV } else { OPP }, 0.5))
        .collect()
}

fn government_count(deck: &[u32], cards: &[CardMeta]) -> usize {
    deck.iter()
        .filter(|&&i| cards[i as usize].stratum() == Stratum::Government)
        .count()
}

fn assert_distinct(deck: &[u32]) {
    assert_eq!(
        deck.iter().collect::<BTreeSet<_>>().len(),
        deck.len(),
        "{deck:?}"
    );
}

#[test]
fn only_the_government_itself_is_the_government_stratum() {
    assert_eq!(Stratum::of(GOV), Stratum::Government);
    for other in [
        Some(ProposerKind::GovernmentParty),
        OPP,
        Some(ProposerKind::Other),
        None,
    ] {
        assert_eq!(Stratum::of(other), Stratum::Other, "{other:?}");
    }
}

#[test]
fn weights_favour_informative_votes_and_keep_a_floor() {
    assert_eq!(meta(0, None, 0.0).weight(), 250);
    assert_eq!(meta(0, None, 1.0).weight(), 1250);
    assert_eq!(meta(0, None, 0.5).weight(), 750);
    assert_eq!(meta(0, None, 7.0).weight(), 1250);
    assert_eq!(meta(0, None, -1.0).weight(), 250);
    assert_eq!(meta(0, None, f64::NAN).weight(), 250);
}

#[test]
fn metadata_comes_from_the_proposal() {
    let mut positions = BTreeMap::new();
    positions.insert("PS".to_string(), Position::For);
    positions.insert("PSD".to_string(), Position::Against);
    let vote = Vote {
        id: "1".into(),
        phase: "Votação na generalidade".into(),
        phase_kind: PhaseKind::General,
        date: date("2021-05-04"),
        result: Some(Outcome::Approved),
        unanimous: false,
        description: String::new(),
        venue: Venue::Plenary,
        positions,
        counts: BTreeMap::new(),
        totals: None,
        members: Vec::new(),
    };
    let mut proposal = Proposal {
        id: "p".into(),
        legislature: "XIV".into(),
        number: "1".into(),
        kind: "Proposta de Lei".into(),
        title: "t".into(),
        authors: vec![],
        committee: None,
        link: None,
        topics: vec!["Saúde".into()],
        proposer: GOV,
        votes: vec![vote.clone()],
    };
    let got = CardMeta::from_proposal(9, &proposal).unwrap();
    assert_eq!(got.index, 9);
    assert_eq!(got.legislature, "XIV");
    assert_eq!(got.topics, vec!["Saúde".to_string()]);
    assert_eq!(got.date, Some(date("2021-05-04")));
    assert_eq!(got.stratum(), Stratum::Government);
    assert_eq!(got.informativeness, vote.informativeness());
    assert!(got.eligible);
    proposal.votes[0].unanimous = true;
    assert!(!CardMeta::from_proposal(9, &proposal).unwrap().eligible);
    proposal.votes.clear();
    assert_eq!(CardMeta::from_proposal(9, &proposal), None);
}

#[test]
fn same_seed_and_cards_give_the_same_stratified_deck() {
    let cards = pool(40, 200);
    let f = Filters::default();
    for seed in [0, 1, 42, u64::MAX] {
        let deck = draw_stratified(&cards, &f, 10, seed, DEFAULT_GOVERNMENT_SHARE);
        assert_eq!(
            deck,
            draw_stratified(&cards, &f, 10, seed, DEFAULT_GOVERNMENT_SHARE)
        );
    }
    let decks: BTreeSet<Vec<u32>> = (0..50)
        .map(|seed| draw_stratified(&cards, &f, 10, seed, DEFAULT_GOVERNMENT_SHARE))
        .collect();
    assert_eq!(decks.len(), 50);
}

#[test]
fn stratified_decks_have_no_duplicates_and_only_admitted_cards() {
    let mut cards = pool(30, 100);
    // Repeated entries of a card number must not repeat it in a deck.
    cards.extend(pool(30, 100));
    for (i, card) in cards.iter_mut().enumerate() {
        card.eligible = i % 7 != 3;
    }
    let refused: BTreeSet<u32> = cards
        .iter()
        .take(130)
        .filter(|c| !c.eligible)
        .map(|c| c.index)
        .collect();
    for seed in 0..300 {
        let deck = draw_stratified(&cards, &Filters::default(), 20, seed, 0.6);
        assert_eq!(deck.len(), 20);
        assert_distinct(&deck);
        assert!(deck.iter().all(|i| !refused.contains(i)), "{deck:?}");
    }
}

#[test]
fn sixty_percent_of_the_deck_is_government_authored() {
    let cards = pool(50, 300);
    let f = Filters::default();
    for seed in 0..200 {
        let deck = draw_stratified(&cards, &f, 10, seed, DEFAULT_GOVERNMENT_SHARE);
        assert_eq!(government_count(&deck, &cards), 6, "seed {seed}");
    }
    // 7 cards: 4.2 government cards on average, 4 or 5 in each deck.
    let mut total = 0;
    for seed in 0..4000 {
        let deck = draw_stratified(&cards, &f, 7, seed, DEFAULT_GOVERNMENT_SHARE);
        let n = government_count(&deck, &cards);
        assert!(n == 4 || n == 5, "{n}");
        total += n;
    }
    let mean = total as f64 / 4000.0;
    assert!((mean - 4.2).abs() < 0.05, "{mean}");
    // Other shares, including the extremes and a NaN (the default).
    let count = |share: f64| {
        let deck = draw_stratified(&cards, &f, 10, 5, share);
        government_count(&deck, &cards)
    };
    assert_eq!(count(0.0), 0);
    assert_eq!(count(1.0), 10);
    assert_eq!(count(3.0), 10);
    assert_eq!(count(-1.0), 0);
    assert_eq!(count(f64::NAN), 6);
    assert_eq!(count(0.3), 3);
}

#[test]
fn government_cards_are_not_all_asked_first() {
    let cards = pool(50, 300);
    let mut first_is_government = 0;
    for seed in 0..2000 {
        let deck = draw_stratified(&cards, &Filters::default(), 10, seed, 0.6);
        if cards[deck[0] as usize].stratum() == Stratum::Government {
            first_is_government += 1;
        }
    }
    assert!(
        (1050..1350).contains(&first_is_government),
        "{first_is_government}"
    );
}

#[test]
fn a_stratum_that_runs_out_is_filled_from_the_other() {
    let f = Filters::default();
    // No government card at all.
    let cards = pool(0, 50);
    let deck = draw_stratified(&cards, &f, 10, 1, 0.6);
    assert_eq!((deck.len(), government_count(&deck, &cards)), (10, 0));
    // Two government cards: both, and eight others.
    let cards = pool(2, 50);
    for seed in 0..50 {
        let deck = draw_stratified(&cards, &f, 10, seed, 0.6);
        assert_eq!((deck.len(), government_count(&deck, &cards)), (10, 2));
    }
    // Three other cards: all three, and seven government ones.
    let cards = pool(50, 3);
    let deck = draw_stratified(&cards, &f, 10, 1, 0.6);
    assert_eq!((deck.len(), government_count(&deck, &cards)), (10, 7));
    // Fewer cards than the deck: all of them, once.
    let cards = pool(3, 4);
    let mut deck = draw_stratified(&cards, &f, 10, 1, 0.6);
    deck.sort_unstable();
    assert_eq!(deck, (0..7).collect::<Vec<u32>>());
    assert!(draw_stratified(&[], &f, 10, 1, 0.6).is_empty());
    assert!(draw_stratified(&cards, &f, 0, 1, 0.6).is_empty());
}

#[test]
fn informative_cards_are_drawn_more_often() {
    // One stratum; cards 0..10 split the parties evenly (weight 1250),
    // cards 10..20 barely (weight 250): 5 to 1 for a single card.
    let cards: Vec<CardMeta> = (0..20)
        .map(|i| meta(i, OPP, if i < 10 { 1.0 } else { 0.0 }))
        .collect();
    let mut informative = 0u32;
    for seed in 0..6000 {
        let deck = draw_stratified(&cards, &Filters::default(), 1, seed, 0.6);
        informative += u32::from(deck[0] < 10);
    }
    // Expected 5000 of 6000.
    assert!((4850..5150).contains(&informative), "{informative}");
    // Unanimous-looking cards can still be drawn.
    let mut counts = [0u32; 20];
    for seed in 0..500 {
        for i in draw_stratified(&cards, &Filters::default(), 5, seed, 0.6) {
            counts[i as usize] += 1;
        }
    }
    assert!(counts.iter().all(|&n| n > 0), "{counts:?}");
}

fn varied() -> Vec<CardMeta> {
    let legislatures = ["XIII", "XIV", "XV"];
    let topics = ["Saúde", "Educação", "Habitação"];
    let days = ["2018-06-01", "2020-06-01", "2022-06-01", "2023-06-01"];
    (0..120u32)
        .map(|i| CardMeta {
            index: i,
            legislature: legislatures[i as usize % 3].into(),
            topics: vec![topics[(i as usize / 3) % 3].into()],
            date: Some(date(days[i as usize % 4])),
            proposer: if i % 2 == 0 { GOV } else { OPP },
            informativeness: 0.5,
            eligible: i % 10 != 9,
            complete: i % 5 != 2,
        })
        .collect()
}

#[test]
fn filters_are_respected() {
    let cards = varied();
    let filters = Filters {
        legislatures: vec!["XIV".into(), "XV".into()],
        topics: vec!["Saúde".into(), "Habitação".into()],
        from: Some(date("2019-01-01")),
        until: Some(date("2022-12-31")),
        ..Filters::default()
    };
    let admitted: BTreeSet<u32> = candidates(&cards, &filters)
        .iter()
        .map(|c| c.index)
        .collect();
    assert!(!admitted.is_empty());
    for card in &cards {
        let expected = card.eligible
            && card.legislature != "XIII"
            && card.topics[0] != "Educação"
            && card.date >= Some(date("2019-01-01"))
            && card.date <= Some(date("2022-12-31"));
        assert_eq!(admitted.contains(&card.index), expected, "{card:?}");
    }
    for seed in 0..100 {
        let deck = draw_stratified(&cards, &filters, 10, seed, 0.6);
        assert_eq!(deck.len(), 10.min(admitted.len()));
        assert!(deck.iter().all(|i| admitted.contains(i)));
    }
    // Bounds are inclusive.
    let day = Filters {
        from: Some(date("2020-06-01")),
        until: Some(date("2020-06-01")),
        ..Filters::default()
    };
    assert!(candidates(&cards, &day)
        .iter()
        .all(|c| c.date == Some(date("2020-06-01"))));
    assert_eq!(candidates(&cards, &day).len(), 24);
    // Ineligible cards only on request.
    let all = Filters {
        include_ineligible: true,
        ..Filters::default()
    };
    assert_eq!(candidates(&cards, &Filters::default()).len(), 108);
    assert_eq!(candidates(&cards, &all).len(), 120);
    // The quiz's own decks: complete cards only.
    let seated = Filters::seated_now(vec!["XIV".into()]);
    let admitted = candidates(&cards, &seated);
    assert!(!admitted.is_empty());
    assert!(admitted
        .iter()
        .all(|c| c.complete && c.eligible && c.legislature == "XIV"));
    assert_eq!(
        admitted.len(),
        cards
            .iter()
            .filter(|c| c.complete && c.eligible && c.legislature == "XIV")
            .count()
    );
    // Nothing admitted: an empty deck.
    let none = Filters {
        legislatures: vec!["IX".into()],
        ..Filters::default()
    };
    assert!(draw_stratified(&cards, &none, 10, 1, 0.6).is_empty());
}

#[test]
fn legislature_names_are_read_in_any_case_as_the_data_spells_them() {
    let known = ["XIII", "XIV", "XV", "Wahlperiode 20"];
    assert_eq!(
        legislature_names(&[" xv", "XIV ", "", "  ", "xIiI"], &known),
        vec!["XV", "XIV", "XIII"]
    );
    assert_eq!(
        legislature_names(&["wahlperiode 20", "WAHLPERIODE 20"], &known),
        vec!["Wahlperiode 20", "Wahlperiode 20"]
    );
    // A name the data lacks is kept, in capitals, and admits nothing.
    assert_eq!(legislature_names(&[" ix "], &known), vec!["IX"]);
    assert_eq!(legislature_names(&["xv"], &[]), vec!["XV"]);
    assert!(legislature_names::<&str>(&[], &known).is_empty());
}

#[test]
fn a_curated_list_is_the_deck_in_its_order() {
    let cards = varied();
    let curated = |list: Vec<u32>| Filters {
        curated: Some(list),
        ..Filters::default()
    };
    // Kept in order; 9 is ineligible, 500 unknown, 7 repeated.
    let filters = curated(vec![30, 7, 9, 500, 2, 7, 64]);
    for seed in 0..5 {
        assert_eq!(
            draw_stratified(&cards, &filters, 10, seed, 0.6),
            vec![30, 7, 2, 64]
        );
    }
    // Cut at the deck size.
    assert_eq!(draw_stratified(&cards, &filters, 2, 0, 0.6), vec![30, 7]);
    // The other filters still apply: 30 is of XIII, 2 of XV.
    let xiv = Filters {
        legislatures: vec!["XIV".into()],
        ..curated(vec![30, 7, 2, 64, 1])
    };
    assert_eq!(draw_stratified(&cards, &xiv, 10, 0, 0.6), vec![7, 64, 1]);
}

#[test]
fn swaps_never_return_a_seen_card_and_stop_after_three() {
    let cards = pool(20, 40);
    let f = Filters::default();
    for seed in 0..200 {
        let mut deck = DeckInPlay::draw(&cards, &f, 10, seed, 0.6);
        let mut seen: BTreeSet<u32> = deck.cards().iter().copied().collect();
        for swap in 0..MAX_SWAPS {
            assert_eq!(deck.swaps_left(), MAX_SWAPS - swap);
            let position = (seed as usize + swap as usize) % 3;
            let old = deck.cards()[position];
            let new = deck.swap(position, &cards, &f).unwrap();
            assert!(seen.insert(new), "card {new} came back");
            assert_eq!(deck.cards()[position], new);
            assert_ne!(new, old);
            assert_distinct(deck.cards());
            assert_eq!(cards[new as usize].stratum(), cards[old as usize].stratum());
        }
        assert_eq!(deck.seen(), &seen);
        assert_eq!(deck.swaps_used(), MAX_SWAPS);
        let before = deck.clone();
        assert_eq!(deck.swap(0, &cards, &f), Err(SwapError::NoSwapsLeft));
        assert_eq!(deck, before);
    }
}

#[test]
fn swaps_are_reproducible_from_the_seed_and_the_count() {
    let cards = pool(20, 40);
    let f = Filters::default();
    let run = |seed: u64| {
        let mut deck = DeckInPlay::draw(&cards, &f, 10, seed, 0.6);
        let swapped: Vec<u32> = [4, 4, 0]
            .iter()
            .map(|&p| deck.swap(p, &cards, &f).unwrap())
            .collect();
        (deck.cards().to_vec(), swapped)
    };
    assert_eq!(run(9), run(9));
    let differ = (0..20).filter(|&s| run(s).1 != run(s + 100).1).count();
    assert!(differ > 15, "{differ}");
    // A deck rebuilt from its cards and seed swaps the same way.
    let drawn = draw_stratified(&cards, &f, 10, 9, 0.6);
    let mut rebuilt = DeckInPlay::new(drawn, 9);
    assert_eq!(rebuilt.swap(4, &cards, &f), Ok(run(9).1[0]));
}

#[test]
fn swaps_fall_back_to_the_other_stratum_then_run_out() {
    // One government card, in the deck; two other cards left.
    let cards = pool(1, 4);
    let f = Filters::default();
    let mut deck = DeckInPlay::new(vec![0, 1], 3);
    let first = deck.swap(0, &cards, &f).unwrap();
    assert!([2, 3, 4].contains(&first));
    let second = deck.swap(0, &cards, &f).unwrap();
    assert!([2, 3, 4].contains(&second) && second != first);
    let third = deck.swap(1, &cards, &f).unwrap();
    assert_eq!(deck.seen().len(), 5);
    assert!(![0, 1, first, second].contains(&third));
    // Nothing left; a failed swap is not counted.
    let mut deck = DeckInPlay::new(vec![0, 1, 2, 3, 4], 3);
    assert_eq!(deck.swap(2, &cards, &f), Err(SwapError::Exhausted));
    assert_eq!(deck.swaps_used(), 0);
    assert_eq!(
        deck.swap(5, &cards, &f),
        Err(SwapError::NoSuchPlace {
            position: 5,
            len: 5
        })
    );
    assert_eq!(
        SwapError::NoSuchPlace {
            position: 5,
            len: 5
        }
        .to_string(),
        "no card at place 5 of a deck of 5"
    );
    assert_eq!(
        SwapError::NoSwapsLeft.to_string(),
        "this deck has used its 3 swaps"
    );
}

#[test]
fn swaps_respect_the_filters_and_a_curated_list() {
    let cards = varied();
    let filters = Filters {
        legislatures: vec!["XV".into()],
        ..Filters::default()
    };
    let mut deck = DeckInPlay::draw(&cards, &filters, 10, 8, 0.6);
    for p in 0..3 {
        let new = deck.swap(p, &cards, &filters).unwrap();
        assert_eq!(cards[new as usize].legislature, "XV");
    }
    let curated = Filters {
        curated: Some(vec![5, 6, 7, 8]),
        ..Filters::default()
    };
    let mut deck = DeckInPlay::draw(&cards, &curated, 2, 8, 0.6);
    assert_eq!(deck.cards(), &[5, 6]);
    let new = deck.swap(0, &cards, &curated).unwrap();
    assert!(new == 7 || new == 8);
    let last = deck.swap(0, &cards, &curated).unwrap();
    assert_eq!(last + new, 15);
    assert_eq!(deck.swap(1, &cards, &curated), Err(SwapError::Exhausted));
}

#[test]
fn swaps_work_on_a_deck_of_unknown_cards() {
    // A deck from `draw_deck` whose cards have no metadata: any stratum.
    let cards = pool(2, 2);
    let mut deck = DeckInPlay::new(vec![100, 101], 0);
    let new = deck.swap(1, &cards, &Filters::default()).unwrap();
    assert!(new < 4);
}
