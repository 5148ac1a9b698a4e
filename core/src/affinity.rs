//! How close each party voted to the citizen's answers.
//!
//! The default rule is the one of Germany's Wahl-O-Mat: a card counts 1
//! when citizen and party took the same position, 0.5 when exactly one of
//! them abstained, 0 when they took opposite sides. Skipped cards are left
//! out, and so is, for one party, a card on which that party has no
//! recorded position; how many cards did count is reported as coverage.

use crate::bundle::Card;
use crate::model::Position;
use serde::{Deserialize, Serialize};

/// A citizen's answer to one card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Answer {
    For,
    Against,
    Abstain,
    Skip,
}

impl Answer {
    fn position(self) -> Option<Position> {
        match self {
            Answer::For => Some(Position::For),
            Answer::Against => Some(Position::Against),
            Answer::Abstain => Some(Position::Abstain),
            Answer::Skip => None,
        }
    }
}

/// One actor's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorScore {
    /// Index of the actor in the manifest.
    pub actor: usize,
    /// Place in the ranking; actors with equal scores share it.
    pub rank: usize,
    /// Agreement in `0.0..=1.0`; `None` when no answered card covers the actor.
    pub score: Option<f64>,
    /// Answered cards on which the actor had a position.
    pub covered: u32,
}

impl ActorScore {
    /// The score in ten-thousandths, rounded (`0.625` is `6250`): lets a
    /// page print it without pulling float formatting into the WASM module.
    pub fn per_ten_thousand(&self) -> Option<u32> {
        self.score
            .map(|s| (s.clamp(0.0, 1.0) * 10_000.0).round() as u32)
    }
}

/// Agreement on one card between the citizen and an actor, or `None` when
/// the card does not count for this actor.
pub fn agreement(answer: Answer, position: Option<Position>) -> Option<f64> {
    let user = answer.position()?;
    let actor = position.filter(|p| p.is_cast())?;
    Some(if user == actor {
        1.0
    } else if user == Position::Abstain || actor == Position::Abstain {
        0.5
    } else {
        0.0
    })
}

/// Scores every actor against the answers and ranks them, best first.
/// Actors no answered card covers come last, unranked by score.
pub fn score(actor_count: usize, answered: &[(Answer, &Card)]) -> Vec<ActorScore> {
    let mut scores: Vec<ActorScore> = (0..actor_count)
        .map(|actor| {
            let (sum, covered) = answered
                .iter()
                .filter_map(|(answer, card)| agreement(*answer, card.position(actor)))
                .fold((0.0, 0u32), |(sum, n), s| (sum + s, n + 1));
            ActorScore {
                actor,
                rank: 0,
                score: (covered > 0).then(|| sum / f64::from(covered)),
                covered,
            }
        })
        .collect();
    // The order is total (the actor index breaks ties), so an unstable sort is deterministic.
    scores.sort_unstable_by(|a, b| {
        let by_score = match (a.score, b.score) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        by_score
            .then_with(|| b.covered.cmp(&a.covered))
            .then_with(|| a.actor.cmp(&b.actor))
    });
    for i in 0..scores.len() {
        scores[i].rank = if i > 0 && scores[i].score == scores[i - 1].score {
            scores[i - 1].rank
        } else {
            i + 1
        };
    }
    scores
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;

    fn card(votes: &str) -> Card {
        Card {
            id: votes.into(),
            title: String::new(),
            kind: String::new(),
            legislature: "XIV".into(),
            date: Date::parse_iso("2020-01-01").unwrap(),
            phase: String::new(),
            result: None,
            page: String::new(),
            votes: votes.into(),
        }
    }

    #[test]
    fn agreement_follows_the_default_rule() {
        use Answer as U;
        use Position as P;
        assert_eq!(agreement(U::For, Some(P::For)), Some(1.0));
        assert_eq!(agreement(U::For, Some(P::Against)), Some(0.0));
        assert_eq!(agreement(U::For, Some(P::Abstain)), Some(0.5));
        assert_eq!(agreement(U::Abstain, Some(P::Against)), Some(0.5));
        assert_eq!(agreement(U::Abstain, Some(P::Abstain)), Some(1.0));
        assert_eq!(agreement(U::Skip, Some(P::For)), None);
        assert_eq!(agreement(U::For, Some(P::Absent)), None);
        assert_eq!(agreement(U::Against, None), None);
    }

    #[test]
    fn scores_rank_and_cover() {
        // Actors: 0 agrees always, 1 always opposes, 2 abstains, 3 absent once.
        let cards = [card("FANX"), card("AFNF"), card("FANA")];
        let answered = [
            (Answer::For, &cards[0]),
            (Answer::Against, &cards[1]),
            (Answer::For, &cards[2]),
        ];
        let scores = score(5, &answered);
        let by_actor = |a: usize| scores.iter().find(|s| s.actor == a).unwrap().clone();
        assert_eq!(by_actor(0).score, Some(1.0));
        assert_eq!(by_actor(1).score, Some(0.0));
        assert_eq!(by_actor(2).score, Some(0.5));
        assert_eq!(by_actor(3).score, Some(0.0));
        assert_eq!(by_actor(3).covered, 2);
        assert_eq!(by_actor(4).score, None, "no position on any card");
        assert_eq!(by_actor(2).per_ten_thousand(), Some(5000));
        assert_eq!(by_actor(4).per_ten_thousand(), None);
        let order: Vec<usize> = scores.iter().map(|s| s.actor).collect();
        assert_eq!(order, vec![0, 2, 1, 3, 4]);
    }

    #[test]
    fn skipped_cards_do_not_count_and_ties_share_a_rank() {
        let cards = [card("FF"), card("FA")];
        let answered = [(Answer::For, &cards[0]), (Answer::Skip, &cards[1])];
        let scores = score(2, &answered);
        assert_eq!(scores[0].rank, 1);
        assert_eq!(scores[1].rank, 1);
        assert!(scores.iter().all(|s| s.covered == 1));
    }
}
