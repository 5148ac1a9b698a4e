//! Benchmarks of the quiz engine, natively and in WebAssembly.
//!
//! The same data builders and the same routines run under two harnesses:
//!
//! * natively, [criterion](https://docs.rs/criterion), one benchmark group per
//!   routine with the number of cards as parameter:
//!   `cargo bench -p hemiciclo-core --bench engine`;
//! * in a browser, the criterion subset of `wasm-bindgen-test`
//!   (`#[wasm_bindgen_bench]`), run by `wasm-bindgen-test-runner` in headless
//!   Chromium: `cargo xtask bench` sets it up.
//!
//! Benchmark ids are the same on both sides (`rank/10000`), so the figures
//! can be compared one to one. The data is synthetic and deterministic (a
//! fixed seed through [`SplitMix64`]): about 30% government proposals,
//! three legislatures in runs, ten actors in two blocs that mostly vote
//! together. `HEMICICLO_BENCH_QUICK=1` at build time shortens every
//! benchmark (for a smoke run, not for figures).

use hemiciclo_core::adaptive::Adaptive;
use hemiciclo_core::rng::SplitMix64;
use hemiciclo_core::sampler::{draw_stratified, CardMeta, Filters, DEFAULT_GOVERNMENT_SHARE};
use hemiciclo_core::{
    rank, Answer, Answered, Card, Date, Outcome, ProposerKind, Response, Rule, Shard,
    SCHEMA_VERSION,
};
use std::collections::BTreeSet;
use std::hint::black_box;
use std::time::Duration;

/// Seed of every data set and draw.
const SEED: u64 = 0x4845_4D49_4349_434C; // "HEMICICL"

/// Actors in the synthetic manifest.
const ACTORS: usize = 10;

/// Cards in a deck.
const DECK: usize = 10;

/// Numbers of cards the engine is measured on.
const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

/// Answers given before the adaptive mode picks the next card.
const ANSWERED_BEFORE_NEXT: usize = 5;

const LEGISLATURES: [&str; 3] = ["XIII", "XIV", "XV"];

const TOPICS: [&str; 12] = [
    "saúde",
    "educação",
    "habitação",
    "economia",
    "ambiente",
    "justiça",
    "trabalho",
    "defesa",
    "cultura",
    "transportes",
    "agricultura",
    "impostos",
];

/// Warm-up, measurement time and sample count of every benchmark.
fn settings() -> (Duration, Duration, usize) {
    if option_env!("HEMICICLO_BENCH_QUICK").is_some_and(|v| !v.is_empty() && v != "0") {
        (Duration::from_millis(300), Duration::from_millis(700), 10)
    } else {
        (Duration::from_secs(1), Duration::from_secs(2), 30)
    }
}

/// `n` cards as the sampler and the scorer see them, card `i` of one
/// being card `i` of the other.
struct Dataset {
    metas: Vec<CardMeta>,
    cards: Vec<Card>,
}

impl Dataset {
    fn new(n: usize) -> Dataset {
        let mut rng = SplitMix64::new(SEED ^ n as u64);
        let mut metas = Vec::with_capacity(n);
        let mut cards = Vec::with_capacity(n);
        for i in 0..n {
            // Legislatures in runs, as the generator numbers the cards.
            let era = i * LEGISLATURES.len() / n;
            let legislature = LEGISLATURES[era];
            let year = 2015 + 3 * era as u16 + rng.below(3) as u16;
            let date = Date::new(year, 1 + rng.below(12) as u8, 1 + rng.below(28) as u8)
                .expect("a valid date");
            let proposer = match rng.below(100) {
                0..30 => Some(ProposerKind::Government),
                30..40 => Some(ProposerKind::GovernmentParty),
                40..85 => Some(ProposerKind::Opposition),
                85..95 => Some(ProposerKind::Other),
                _ => None,
            };
            let first_topic = rng.below(TOPICS.len() as u64) as usize;
            let topics = (0..1 + rng.below(2) as usize)
                .map(|k| TOPICS[(first_topic + 5 * k) % TOPICS.len()].to_string())
                .collect();
            metas.push(CardMeta {
                index: i as u32,
                legislature: legislature.to_string(),
                topics,
                date: Some(date),
                proposer,
                informativeness: rng.below(1001) as f64 / 1000.0,
                eligible: true,
                complete: true,
            });
            cards.push(Card {
                id: format!("{i}-{legislature}"),
                title: format!("Projeto de lei n.º {i}/{legislature}"),
                kind: "Projeto de Lei".into(),
                legislature: legislature.to_string(),
                date,
                phase: "Votação final global".into(),
                result: Some(if rng.below(2) == 0 {
                    Outcome::Approved
                } else {
                    Outcome::Rejected
                }),
                page: format!("iniciativas/{i}.html"),
                votes: votes(&mut rng),
                summary: None,
            });
        }
        Dataset { metas, cards }
    }

    /// A citizen's responses to every card, in card order: mostly for or
    /// against, some abstentions and skips, a fifth marked important.
    fn responses(&self) -> Vec<Response> {
        let mut rng = SplitMix64::new(SEED.rotate_left(17) ^ self.cards.len() as u64);
        (0..self.cards.len())
            .map(|_| {
                let answer = match rng.below(20) {
                    0..7 => Answer::For,
                    7..14 => Answer::Against,
                    14..18 => Answer::Abstain,
                    _ => Answer::Skip,
                };
                Response::new(answer, rng.below(5) == 0)
            })
            .collect()
    }

    /// The cards `indices`, answered.
    fn answered(&self, indices: &[u32]) -> Vec<Answered<'_>> {
        let responses = self.responses();
        indices
            .iter()
            .map(|&i| Answered::new(responses[i as usize], &self.cards[i as usize]))
            .collect()
    }

    fn deck(&self, size: usize) -> Vec<u32> {
        draw_stratified(
            &self.metas,
            &Filters::default(),
            size,
            SEED,
            DEFAULT_GOVERNMENT_SHARE,
        )
    }
}

/// The positions of [`ACTORS`] actors on one card: two blocs of five, each
/// actor voting with its bloc three times in four, some absences and a few
/// unrecorded positions.
fn votes(rng: &mut SplitMix64) -> String {
    const CAST: [char; 3] = ['F', 'A', 'N'];
    let blocs = [CAST[rng.below(3) as usize], CAST[rng.below(3) as usize]];
    (0..ACTORS)
        .map(|actor| match rng.below(100) {
            0..75 => blocs[actor * 2 / ACTORS],
            75..92 => CAST[rng.below(3) as usize],
            92..97 => 'X',
            _ => '.',
        })
        .collect()
}

/// What a group of benchmarks hands to the harness: for each parameter,
/// the routine to time (its data already built).
type Timer<'t> = dyn FnMut(usize, &mut dyn FnMut()) + 't;

/// One group: its name and the function that builds and times its cases.
type Group = (&'static str, fn(&mut Timer<'_>));

const GROUPS: [Group; 4] = [
    ("draw_stratified", draw_stratified_cases),
    ("rank", rank_cases),
    ("adaptive_next_card", adaptive_cases),
    ("shard_from_json", shard_cases),
];

/// A stratified deck of ten among all the cards, default filters.
fn draw_stratified_cases(time: &mut Timer<'_>) {
    for n in SIZES {
        let data = Dataset::new(n);
        assert_eq!(data.deck(DECK).len(), DECK);
        time(n, &mut || {
            black_box(draw_stratified(
                black_box(&data.metas),
                &Filters::default(),
                DECK,
                black_box(SEED),
                DEFAULT_GOVERNMENT_SHARE,
            ));
        });
    }
}

/// Scores and ranks the actors under the default rule: a real deck of ten
/// answered cards, then every card answered.
fn rank_cases(time: &mut Timer<'_>) {
    let data = Dataset::new(SIZES[0]);
    let answered = data.answered(&data.deck(DECK));
    time(DECK, &mut || {
        black_box(rank(ACTORS, Rule::Default, black_box(&answered)));
    });
    for n in SIZES {
        let data = Dataset::new(n);
        let all: Vec<u32> = (0..n as u32).collect();
        let answered = data.answered(&all);
        time(n, &mut || {
            black_box(rank(ACTORS, Rule::Default, black_box(&answered)));
        });
    }
}

/// The adaptive choice of the sixth card, every card a candidate.
fn adaptive_cases(time: &mut Timer<'_>) {
    for n in SIZES {
        let data = Dataset::new(n);
        let responses = data.responses();
        let answers: Vec<(u32, Response)> = data
            .deck(ANSWERED_BEFORE_NEXT)
            .into_iter()
            .map(|i| (i, responses[i as usize]))
            .collect();
        let adaptive = Adaptive::new(&data.metas, &data.cards, ACTORS, &Filters::default());
        let seen = BTreeSet::new();
        assert!(adaptive.next_card(&answers, &seen, SEED).is_some());
        time(n, &mut || {
            black_box(adaptive.next_card(black_box(&answers), &seen, SEED));
        });
    }
}

/// Reading a shard of the bundle: one of the site's (16 cards), and a
/// large one. The text is what `serde_json` writes, as the generator does.
fn shard_cases(time: &mut Timer<'_>) {
    for n in [16, SIZES[0]] {
        let shard = Shard {
            schema_version: SCHEMA_VERSION,
            layout_id: "0123456789abcdef".into(),
            first: 0,
            cards: Dataset::new(n).cards,
        };
        let text = serde_json::to_string(&shard).expect("a shard serialises");
        assert_eq!(
            Shard::from_json(&text).expect("the shard reads back"),
            shard
        );
        time(n, &mut || {
            black_box(Shard::from_json(black_box(&text)).ok());
        });
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::{settings, GROUPS};
    use criterion::{BenchmarkId, Criterion};

    pub fn config() -> Criterion {
        let (warm_up, measurement, samples) = settings();
        Criterion::default()
            .warm_up_time(warm_up)
            .measurement_time(measurement)
            .sample_size(samples)
    }

    pub fn engine(c: &mut Criterion) {
        for (name, cases) in GROUPS {
            let mut group = c.benchmark_group(name);
            cases(&mut |size, routine| {
                group.bench_function(BenchmarkId::from_parameter(size), |b| {
                    b.iter(&mut *routine);
                });
            });
            group.finish();
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group! {
    name = benches;
    config = native::config();
    targets = native::engine
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
mod wasm {
    use super::{settings, GROUPS};
    use wasm_bindgen_test::{wasm_bindgen_bench, Criterion};

    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    /// Runs the group `name` with the settings of the native side; the ids
    /// are `name/size`, as criterion names a group's benchmarks.
    fn run(c: &mut Criterion, name: &str) {
        let (_, cases) = GROUPS
            .into_iter()
            .find(|(group, _)| *group == name)
            .expect("a known group");
        let (warm_up, measurement, samples) = settings();
        *c = std::mem::take(c)
            .warm_up_time(warm_up)
            .measurement_time(measurement)
            .sample_size(samples);
        cases(&mut |size, routine| {
            c.bench_function(&format!("{name}/{size}"), |b| b.iter(&mut *routine));
        });
    }

    #[wasm_bindgen_bench]
    fn draw_stratified(c: &mut Criterion) {
        run(c, "draw_stratified");
    }

    #[wasm_bindgen_bench]
    fn rank(c: &mut Criterion) {
        run(c, "rank");
    }

    #[wasm_bindgen_bench]
    fn adaptive_next_card(c: &mut Criterion) {
        run(c, "adaptive_next_card");
    }

    #[wasm_bindgen_bench]
    fn shard_from_json(c: &mut Criterion) {
        run(c, "shard_from_json");
    }
}

/// The benchmarks are exports found by `wasm-bindgen-test-runner`.
#[cfg(target_arch = "wasm32")]
fn main() {}
