//! `hemiciclo simulate`: does the quiz tell a citizen the truth?
//!
//! Simulated citizens who vote like one party play the site's own quiz
//! (the same [`Quiz`] the page runs, on a built site's bundle): each answer
//! is the party's recorded position with chance `fidelity` (85% by
//! default) and otherwise one of for, against, abstain at random. Each
//! plays the default deck, continues it as the page offers while the
//! verdict is not clear, up to the cap, and the verdict at the end is
//! sorted into: clear and right (the party leads, or is in the group that
//! votes alike), clear and wrong, or undecided. Every party seated in the
//! legislature the quiz compares is simulated, small ones included.

use super::audit::Bundle;
use crate::error::{Error, Result};
use hemiciclo_core::affinity::{Answer, Response, Rule};
use hemiciclo_core::rng::{derive_seed, SplitMix64};
use hemiciclo_core::{Quiz, Verdict};
use serde::Serialize;
use std::fmt::Write;
use std::path::Path;

/// How the simulation runs.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Citizens per party.
    pub runs: u32,
    /// Chance that an answer is the party's own position.
    pub fidelity: f64,
    /// Seeds every deck and every answer, so a run can be repeated.
    pub seed: u64,
    /// Continue decks up to this many cards at most (the page's cap when
    /// `None`; the deck's size to never continue).
    pub cap: Option<usize>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            runs: 200,
            fidelity: 0.85,
            seed: 1,
            cap: None,
        }
    }
}

/// What the citizens who vote like one party were told, as fractions of
/// `runs`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartyOutcome {
    pub party: String,
    pub runs: u32,
    /// Cards asked, on average, continued ones included.
    pub mean_cards: f64,
    /// A clear verdict naming the party (alone, or in a group that votes alike).
    pub clear_correct: f64,
    /// A clear verdict naming others only.
    pub clear_wrong: f64,
    /// No clear verdict at the end.
    pub undecided: f64,
}

/// Stream of the simulated answers, apart from the decks' seeds ("SIMU").
const ANSWER_STREAM: u64 = 0x5349_4d55;

/// Runs the simulation on the built site in `site`.
pub fn simulate(site: &Path, options: Options) -> Result<(Vec<PartyOutcome>, usize)> {
    let mut bundle = Bundle::open(site)?;
    let manifest = bundle.manifest().clone();
    let probe = Quiz::new(manifest.clone(), options.seed)?;
    let parties = probe.field().compared;
    let mut outcomes = Vec::new();
    for &party in &parties {
        let (mut cards, mut correct, mut wrong) = (0usize, 0u32, 0u32);
        for run in 0..options.runs {
            let seed = derive_seed(options.seed, party as u64, u64::from(run));
            let mut quiz = Quiz::new(manifest.clone(), seed)?;
            let mut citizen = SplitMix64::new(derive_seed(seed, ANSWER_STREAM, 0));
            bundle.load(&mut quiz)?;
            loop {
                while let Some(card) = quiz.current() {
                    let position = quiz.card(card).and_then(|c| c.position(party));
                    quiz.answer(Response::from(answer_like(
                        position.and_then(Answer::taking),
                        options.fidelity,
                        &mut citizen,
                    )));
                }
                let capped = options.cap.is_some_and(|cap| quiz.deck().len() >= cap);
                if capped || !quiz.can_continue()? {
                    break;
                }
                bundle.load_votes(&mut quiz)?;
                quiz.continue_deck()?;
                bundle.load(&mut quiz)?;
            }
            cards += quiz.deck().len();
            match quiz.results(Rule::Default)?.ranking.verdict {
                Verdict::Leader { actor } if actor == party => correct += 1,
                Verdict::Alike { actors } if actors.contains(&party) => correct += 1,
                Verdict::Leader { .. } | Verdict::Alike { .. } => wrong += 1,
                _ => {}
            }
        }
        let runs = f64::from(options.runs.max(1));
        outcomes.push(PartyOutcome {
            party: manifest.actors[party].id.clone(),
            runs: options.runs,
            mean_cards: cards as f64 / runs,
            clear_correct: f64::from(correct) / runs,
            clear_wrong: f64::from(wrong) / runs,
            undecided: f64::from(options.runs - correct - wrong) / runs,
        });
    }
    if outcomes.is_empty() {
        return Err(Error::Audit(
            "the site's quiz compares no party: there is nothing to simulate".into(),
        ));
    }
    let cap = options.cap.map_or(probe.cap(), |cap| cap.min(probe.cap()));
    Ok((outcomes, cap))
}

/// The party's answer `own` with chance `fidelity`, else one of for,
/// against, abstain at random (the same one included); at random too when
/// the party took no position.
fn answer_like(own: Option<Answer>, fidelity: f64, rng: &mut SplitMix64) -> Answer {
    const CAST: [Answer; 3] = [Answer::For, Answer::Against, Answer::Abstain];
    let faithful = (rng.below(1_000_000) as f64) < fidelity * 1_000_000.0;
    match own {
        Some(answer) if faithful && answer != Answer::Skip => answer,
        _ => CAST[rng.below(3) as usize],
    }
}

/// The outcomes as a table.
pub fn render_text(outcomes: &[PartyOutcome], cap: usize, options: Options) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{} citizens per party, each answering as the party voted {:.0}% of the time; decks \
         continue while the verdict is not clear, up to {cap} cards\n",
        options.runs,
        options.fidelity * 100.0
    );
    let _ = writeln!(
        text,
        "{:<10} {:>10} {:>14} {:>12} {:>10}",
        "party", "mean cards", "clear, right", "clear, wrong", "undecided"
    );
    for outcome in outcomes {
        let _ = writeln!(
            text,
            "{:<10} {:>10.1} {:>13.1}% {:>11.1}% {:>9.1}%",
            outcome.party,
            outcome.mean_cards,
            outcome.clear_correct * 100.0,
            outcome.clear_wrong * 100.0,
            outcome.undecided * 100.0
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_faithful_citizen_copies_the_party_and_a_random_one_spreads_over_three_answers() {
        let mut rng = SplitMix64::new(7);
        assert!(
            (0..200).all(|_| answer_like(Some(Answer::Against), 1.0, &mut rng) == Answer::Against)
        );
        let mut counts = [0u32; 3];
        for _ in 0..3_000 {
            match answer_like(Some(Answer::For), 0.0, &mut rng) {
                Answer::For => counts[0] += 1,
                Answer::Against => counts[1] += 1,
                Answer::Abstain => counts[2] += 1,
                Answer::Skip => panic!("a simulated citizen never skips"),
            }
        }
        assert!(
            counts.iter().all(|&n| (850..1150).contains(&n)),
            "{counts:?}"
        );
        assert!((0..100).all(|_| answer_like(None, 1.0, &mut rng) != Answer::Skip));
    }
}
