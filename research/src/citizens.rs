//! Simulated citizens answering uniform, stratified and adaptive decks.
//!
//! A synthetic citizen answers like its party with probability `fidelity`
//! ([`DEFAULT_FIDELITY`], 0.85), else picks one of the two other answers at
//! random; it skips a card on which its party has no position (absent, or
//! not sitting). [`summarize`] runs many such citizens of one party under
//! one [`Mode`] and counts after how many cards their party ranks first.

use crate::parliament::{uniform, Parliament};
use hemiciclo_core::adaptive::{answered, is_settled, sole_leader, Adaptive, DEFAULT_STABLE_FOR};
use hemiciclo_core::affinity::{Answer, Response};
use hemiciclo_core::model::Position;
use hemiciclo_core::rng::{derive_seed, SplitMix64};
use hemiciclo_core::sampler::{
    candidates, draw_deck, draw_stratified, Filters, DEFAULT_GOVERNMENT_SHARE,
};
use std::collections::BTreeSet;

/// Default chance that a simulated citizen answers like its party.
pub const DEFAULT_FIDELITY: f64 = 0.85;

/// A simulated citizen's answer to a card on which its party took
/// `position`: the same with probability `fidelity`, else one of the two
/// other answers; a skip when the party took no position.
pub fn answer_like(position: Option<Position>, fidelity: f64, rng: &mut SplitMix64) -> Answer {
    let Some(same) = position.and_then(Answer::taking) else {
        return Answer::Skip;
    };
    // Always draw twice, so that the stream does not depend on the outcome.
    let keep = uniform(rng) < fidelity;
    let other = rng.below(2) as usize;
    if keep {
        return same;
    }
    let others: Vec<Answer> = [Answer::For, Answer::Against, Answer::Abstain]
        .into_iter()
        .filter(|&a| a != same)
        .collect();
    others[other]
}

/// How a simulated deck is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    /// [`draw_deck`] over the eligible cards: every card as likely.
    Uniform,
    /// [`draw_stratified`] with the default share.
    Stratified,
    /// [`Adaptive`], one card at a time.
    Adaptive,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Uniform, Mode::Stratified, Mode::Adaptive];
}

/// One simulated citizen's pass.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// The cards asked, in order.
    pub deck: Vec<u32>,
    pub answers: Vec<Answer>,
    /// `leads[n - 1]`: whether the citizen's party was the only one ranked
    /// first after `n` cards.
    pub leads: Vec<bool>,
    /// The first number of cards after which [`is_settled`] (with
    /// [`DEFAULT_STABLE_FOR`]) would stop the quiz, and the leader then.
    pub settled: Option<(usize, usize)>,
}

/// Simulates a citizen of `party` answering up to `max_cards` cards of a
/// deck built by `mode`; everything follows from `seed`.
pub fn run(
    parliament: &Parliament,
    mode: Mode,
    party: usize,
    fidelity: f64,
    max_cards: usize,
    seed: u64,
) -> Run {
    let filters = Filters::default();
    let actors = parliament.parties.len();
    let votes = &parliament.cards;
    let mut citizen = SplitMix64::new(derive_seed(seed, CITIZEN_STREAM, 0));
    let drawn: Vec<u32> = match mode {
        Mode::Uniform => {
            let eligible: Vec<u32> = candidates(&parliament.metas, &filters)
                .iter()
                .map(|m| m.index)
                .collect();
            let count = u32::try_from(eligible.len()).unwrap_or(u32::MAX);
            draw_deck(count, max_cards, seed)
                .into_iter()
                .map(|i| eligible[i as usize])
                .collect()
        }
        Mode::Stratified => draw_stratified(
            &parliament.metas,
            &filters,
            max_cards,
            seed,
            DEFAULT_GOVERNMENT_SHARE,
        ),
        Mode::Adaptive => Vec::new(),
    };
    let chooser =
        (mode == Mode::Adaptive).then(|| Adaptive::new(&parliament.metas, votes, actors, &filters));
    let none = BTreeSet::new();
    let mut given: Vec<(u32, Response)> = Vec::new();
    let mut result = Run {
        deck: Vec::new(),
        answers: Vec::new(),
        leads: Vec::new(),
        settled: None,
    };
    for n in 0..max_cards {
        let next = match &chooser {
            Some(chooser) => chooser.next_card(&given, &none, seed),
            None => drawn.get(n).copied(),
        };
        let Some(card) = next else { break };
        let position = votes[card as usize].position(party);
        let answer = answer_like(position, fidelity, &mut citizen);
        given.push((card, Response::from(answer)));
        result.deck.push(card);
        result.answers.push(answer);
        let scored = answered(votes, &given);
        result
            .leads
            .push(sole_leader(actors, &scored) == Some(party));
        if result.settled.is_none() && is_settled(actors, votes, &given, DEFAULT_STABLE_FOR) {
            let leader = sole_leader(actors, &scored).unwrap_or(usize::MAX);
            result.settled = Some((n + 1, leader));
        }
    }
    result
}

/// Separates the citizens' random stream from the decks' ("CITZ").
const CITIZEN_STREAM: u64 = 0x4349_545A;

/// Separates the runs' seeds ("RUNS").
const RUN_STREAM: u64 = 0x5255_4E53;

/// Many runs of one party under one mode.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub runs: u32,
    /// `leads[n - 1]`: in how many runs the party was the only one ranked
    /// first after `n` cards.
    pub leads: Vec<u32>,
    /// For the runs that settled: after how many cards, and whether on the
    /// citizen's party.
    pub settled: Vec<(usize, bool)>,
}

impl Summary {
    /// The fewest cards after which the party is the only one ranked first
    /// in at least `share` of the runs; `None` if it never is within the
    /// cards simulated.
    pub fn cards_needed(&self, share: f64) -> Option<usize> {
        let needed = share * f64::from(self.runs);
        self.leads
            .iter()
            .position(|&n| f64::from(n) >= needed)
            .map(|i| i + 1)
    }

    /// Share of runs in which the party was the only one first after `n` cards.
    pub fn leading_after(&self, n: usize) -> f64 {
        let leads = n
            .checked_sub(1)
            .and_then(|i| self.leads.get(i))
            .copied()
            .unwrap_or(0);
        f64::from(leads) / f64::from(self.runs.max(1))
    }

    /// The median number of cards of the runs that settled.
    pub fn median_settled(&self) -> Option<usize> {
        let mut cards: Vec<usize> = self.settled.iter().map(|&(n, _)| n).collect();
        cards.sort_unstable();
        cards.get(cards.len().wrapping_sub(1) / 2).copied()
    }

    /// How many runs settled on the citizen's party.
    pub fn settled_right(&self) -> usize {
        self.settled.iter().filter(|&&(_, right)| right).count()
    }
}

/// Runs `runs` citizens of `party` under `mode`. Run `r` uses the same
/// seed whatever the mode, so the modes are compared on the same citizens
/// (same random stream for their noise) and the same tie-breaks.
pub fn summarize(
    parliament: &Parliament,
    mode: Mode,
    party: usize,
    fidelity: f64,
    max_cards: usize,
    runs: u32,
    seed: u64,
) -> Summary {
    let mut summary = Summary {
        runs,
        leads: vec![0; max_cards],
        settled: Vec::new(),
    };
    for r in 0..runs {
        let run_seed = derive_seed(seed ^ party as u64, RUN_STREAM, u64::from(r));
        let run = run(parliament, mode, party, fidelity, max_cards, run_seed);
        // A deck that ran out of cards keeps its last standing.
        let last = run.leads.last().copied().unwrap_or(false);
        for (n, slot) in summary.leads.iter_mut().enumerate() {
            *slot += u32::from(run.leads.get(n).copied().unwrap_or(last));
        }
        if let Some((cards, leader)) = run.settled {
            summary.settled.push((cards, leader == party));
        }
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parliament::synthetic_parliament;

    #[test]
    fn citizens_answer_like_their_party_with_noise_and_skip_when_it_is_absent() {
        let mut rng = SplitMix64::new(3);
        let mut same = 0;
        for _ in 0..10_000 {
            let answer = answer_like(Some(Position::Against), 0.85, &mut rng);
            assert_ne!(answer, Answer::Skip);
            same += u32::from(answer == Answer::Against);
        }
        assert!((8300..8700).contains(&same), "{same}");
        assert_eq!(
            answer_like(Some(Position::Absent), 0.85, &mut rng),
            Answer::Skip
        );
        assert_eq!(answer_like(None, 0.85, &mut rng), Answer::Skip);
        assert_eq!(answer_like(Some(Position::For), 1.0, &mut rng), Answer::For);
        let never =
            (0..100).all(|_| answer_like(Some(Position::For), 0.0, &mut rng) != Answer::For);
        assert!(never);
    }

    #[test]
    fn runs_are_reproducible_and_never_repeat_a_card() {
        let parliament = synthetic_parliament(1);
        for mode in Mode::ALL {
            let a = run(&parliament, mode, 5, DEFAULT_FIDELITY, 20, 9);
            assert_eq!(a, run(&parliament, mode, 5, DEFAULT_FIDELITY, 20, 9));
            assert_eq!(a.deck.len(), 20);
            assert_eq!(a.leads.len(), 20);
            let distinct: BTreeSet<u32> = a.deck.iter().copied().collect();
            assert_eq!(distinct.len(), 20, "{mode:?}");
            assert!(a
                .deck
                .iter()
                .all(|&c| parliament.metas[c as usize].eligible));
        }
    }

    #[test]
    fn a_faithful_citizen_finds_its_party() {
        // A citizen who always answers like a large party, on 40 adaptive
        // cards, ends with that party first.
        let parliament = synthetic_parliament(1);
        for party in [0, 1] {
            let run = run(&parliament, Mode::Adaptive, party, 1.0, 40, 4);
            assert!(run.leads.last().copied().unwrap_or(false), "{party}");
        }
    }

    #[test]
    fn summaries_count_cards_needed() {
        let summary = Summary {
            runs: 10,
            leads: vec![2, 5, 9, 8, 10],
            settled: vec![(7, true), (3, false), (5, true)],
        };
        assert_eq!(summary.cards_needed(0.9), Some(3));
        assert_eq!(summary.cards_needed(0.5), Some(2));
        assert_eq!(summary.cards_needed(1.0), Some(5));
        assert_eq!(summary.leading_after(2), 0.5);
        assert_eq!(summary.leading_after(0), 0.0);
        assert_eq!(summary.leading_after(99), 0.0);
        assert_eq!(summary.median_settled(), Some(5));
        assert_eq!(summary.settled_right(), 2);
        let never = Summary {
            runs: 10,
            leads: vec![1, 2],
            settled: Vec::new(),
        };
        assert_eq!(never.cards_needed(0.9), None);
        assert_eq!(never.median_settled(), None);
        // Summaries are reproducible.
        let parliament = synthetic_parliament(1);
        let a = summarize(
            &parliament,
            Mode::Stratified,
            1,
            DEFAULT_FIDELITY,
            10,
            20,
            5,
        );
        assert_eq!(
            a,
            summarize(
                &parliament,
                Mode::Stratified,
                1,
                DEFAULT_FIDELITY,
                10,
                20,
                5
            )
        );
        assert_eq!(a.leads.len(), 10);
        assert!(a.leads.iter().all(|&n| n <= 20));
    }
}
