//! Why the quiz says what it says.
//!
//! Three views, all numbers (nothing is formatted here, the WASM module
//! calls this code):
//!
//! * [`card_table`]: per card, the citizen's answer beside every actor's
//!   position and the agreement it earned under the rule;
//! * [`head_to_head`]: for the leader against the runner-up, the cards on
//!   which they earned different agreement, the ones that favoured the
//!   leader most first;
//! * [`counterfactuals`]: "had you answered card X the other way, Y would
//!   lead", found by scoring again with that single answer flipped
//!   (for ↔ against; abstentions and skips have no other way).

use crate::affinity::{score_with, ActorScore, Answer, Answered, Response, Rule};
use crate::model::{Position, Tally};
use crate::order::{sort_short, sort_short_by};
use crate::ranking::{leaders_of_sorted, Ranking};
use serde::{Deserialize, Serialize};

/// One actor on one card.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// The actor's recorded position; `None` when there is none.
    pub position: Option<Position>,
    /// The actor's member counts, when known.
    pub tally: Option<Tally>,
    /// What the card earned the actor under the rule; `None` when it does
    /// not count for the actor (skipped by the citizen, actor absent).
    pub agreement: Option<f64>,
}

/// One answered card: the citizen's response beside every actor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardRow {
    /// Index of the card in the answered slice.
    pub card: usize,
    /// The card's proposal id.
    pub id: String,
    pub response: Response,
    /// One cell per actor, in manifest order.
    pub cells: Vec<Cell>,
}

/// Per answered card (skipped ones included, in the given order), the
/// citizen's answer beside every actor's position and agreement.
pub fn card_table(actor_count: usize, rule: Rule, answered: &[Answered<'_>]) -> Vec<CardRow> {
    answered
        .iter()
        .enumerate()
        .map(|(card, item)| CardRow {
            card,
            id: item.card.id.clone(),
            response: item.response,
            cells: (0..actor_count)
                .map(|actor| Cell {
                    position: item.card.position(actor),
                    tally: item.tally(actor).copied(),
                    agreement: item.agreement(rule, actor),
                })
                .collect(),
        })
        .collect()
}

/// A card on which two actors earned different agreement.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Decider {
    /// Index of the card in the answered slice.
    pub card: usize,
    /// Agreement the first actor (the leader) earned.
    pub leader: f64,
    /// Agreement the second actor (the runner-up) earned.
    pub runner_up: f64,
    /// The card's weight (2 when marked important).
    pub weight: f64,
    /// `weight * (leader - runner_up)`: positive when the card favoured the leader.
    pub difference: f64,
}

/// The leader against the runner-up, card by card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadToHead {
    pub leader: usize,
    pub runner_up: usize,
    /// See [`deciding_cards`].
    pub cards: Vec<Decider>,
}

/// The cards on which `leader` and `runner_up` both count and earned
/// different agreement under `rule`, sorted by weighted difference, the
/// leader's best card first (cards that favoured the runner-up come last,
/// with a negative difference); equal differences keep card order.
///
/// Cards on which only one of them has a position are not listed: they
/// move that actor's score alone, not the head-to-head.
pub fn deciding_cards(
    rule: Rule,
    leader: usize,
    runner_up: usize,
    answered: &[Answered<'_>],
) -> Vec<Decider> {
    let mut cards: Vec<Decider> = answered
        .iter()
        .enumerate()
        .filter_map(|(card, item)| {
            let a = item.agreement(rule, leader)?;
            let b = item.agreement(rule, runner_up)?;
            let weight = item.weight();
            (a != b).then_some(Decider {
                card,
                leader: a,
                runner_up: b,
                weight,
                difference: weight * (a - b),
            })
        })
        .collect();
    sort_short_by(&mut cards, |x, y| {
        y.difference
            .total_cmp(&x.difference)
            .then(x.card.cmp(&y.card))
    });
    cards
}

/// The cards that decided between the first and second of `ranking`,
/// which must have been computed from `answered`; `None` when fewer than
/// two actors have a score.
pub fn head_to_head(ranking: &Ranking, answered: &[Answered<'_>]) -> Option<HeadToHead> {
    let leader = ranking.scores.first().filter(|s| s.score.is_some())?.actor;
    let runner_up = ranking.runner_up()?.actor;
    Some(HeadToHead {
        leader,
        runner_up,
        cards: deciding_cards(ranking.rule, leader, runner_up, answered),
    })
}

/// "Had you answered this card the other way, these would lead."
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counterfactual {
    /// Index of the card in the answered slice.
    pub card: usize,
    /// The flipped answer.
    pub answer: Answer,
    /// Who would rank first (several when they would tie), in ranking order.
    pub leaders: Vec<usize>,
}

/// Every card whose answer, flipped between for and against with all else
/// kept (importance, member counts), changes who ranks first in `ranking`
/// (computed from `answered`), in card order. A change from a single
/// leader to a tie, or from a tie to a single leader, counts as a change.
pub fn counterfactuals(ranking: &Ranking, answered: &[Answered<'_>]) -> Vec<Counterfactual> {
    let actor_count = ranking.actor_count();
    let mut now = ranking.leaders();
    sort_short(&mut now);
    let mut flipped: Vec<Answered<'_>> = answered.to_vec();
    let mut found = Vec::new();
    for (card, item) in answered.iter().enumerate() {
        let Some(other) = item.answer().flipped() else {
            continue;
        };
        flipped[card].response.answer = other;
        let compared: Vec<ActorScore> = score_with(actor_count, ranking.rule, &flipped)
            .into_iter()
            .filter(|s| ranking.is_compared(s.actor))
            .collect();
        let then = leaders_of_sorted(&compared);
        flipped[card].response.answer = item.answer();
        let mut then_set = then.clone();
        sort_short(&mut then_set);
        if then_set != now {
            found.push(Counterfactual {
                card,
                answer: other,
                leaders: then,
            });
        }
    }
    found
}

/// The three views together, for one ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    pub cards: Vec<CardRow>,
    pub head_to_head: Option<HeadToHead>,
    pub counterfactuals: Vec<Counterfactual>,
}

/// Explains `ranking`, which must have been computed from `answered`.
pub fn explain(ranking: &Ranking, answered: &[Answered<'_>]) -> Explanation {
    Explanation {
        cards: card_table(ranking.actor_count(), ranking.rule, answered),
        head_to_head: head_to_head(ranking, answered),
        counterfactuals: counterfactuals(ranking, answered),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::affinity::tests::card;
    use crate::bundle::Card;
    use crate::ranking::rank;

    #[test]
    fn the_table_puts_each_answer_beside_every_position() {
        let deck = [card("FA."), card("NXF"), card("AFA")];
        let counts = [
            None,
            Some(Tally {
                in_favour: 2,
                against: 1,
                abstain: 0,
                absent: 0,
            }),
        ];
        let answered = [
            Answered::new(Answer::For, &deck[0])
                .important(true)
                .with_tallies(&counts),
            Answered::new(Answer::Abstain, &deck[1]),
            Answered::new(Answer::Skip, &deck[2]),
        ];
        let table = card_table(3, Rule::MemberShare, &answered);
        assert_eq!(table.len(), 3, "skipped cards are shown too");
        assert_eq!(table[0].id, "FA.");
        assert_eq!(table[0].response, Response::new(Answer::For, true));
        assert_eq!(
            table[0].cells,
            vec![
                Cell {
                    position: Some(Position::For),
                    tally: None,
                    agreement: Some(1.0),
                },
                Cell {
                    position: Some(Position::Against),
                    tally: counts[1],
                    agreement: Some(2.0 / 3.0),
                },
                Cell {
                    position: None,
                    tally: None,
                    agreement: None,
                },
            ]
        );
        let agreements = |row: &CardRow| row.cells.iter().map(|c| c.agreement).collect::<Vec<_>>();
        assert_eq!(agreements(&table[1]), vec![Some(1.0), None, Some(0.5)]);
        assert_eq!(agreements(&table[2]), vec![None, None, None]);
        assert_eq!(table[2].cells[1].position, Some(Position::For));
    }

    #[test]
    fn the_deciding_cards_come_by_weighted_difference() {
        // Actors 0 and 1; the citizen is for on every card.
        let deck = [
            card("FF"), // same: not listed
            card("FA"), // +1
            card("NA"), // +0.5, important: +1, after card 1 by card order
            card("FN"), // +0.5
            card("AF"), // -1: went the runner-up's way
            card("F."), // only actor 0 voted: not a head-to-head card
            card("FA"), // +1, important: +2
        ];
        let answered: Vec<Answered<'_>> = deck
            .iter()
            .enumerate()
            .map(|(i, c)| Answered::new(Answer::For, c).important(i == 2 || i == 6))
            .collect();
        let ranking = rank(2, Rule::Default, &answered);
        let versus = head_to_head(&ranking, &answered).unwrap();
        assert_eq!((versus.leader, versus.runner_up), (0, 1));
        let order: Vec<(usize, f64)> = versus
            .cards
            .iter()
            .map(|d| (d.card, d.difference))
            .collect();
        assert_eq!(
            order,
            vec![(6, 2.0), (1, 1.0), (2, 1.0), (3, 0.5), (4, -1.0)]
        );
        assert_eq!(versus.cards[0].weight, 2.0);
        assert_eq!(
            (versus.cards[3].leader, versus.cards[3].runner_up),
            (1.0, 0.5)
        );
        // The rule matters: under exact match an abstention earns nothing.
        let exact = deciding_cards(Rule::ExactMatch, 0, 1, &answered);
        let order: Vec<(usize, f64)> = exact.iter().map(|d| (d.card, d.difference)).collect();
        assert_eq!(order, vec![(6, 2.0), (1, 1.0), (3, 1.0), (4, -1.0)]);
    }

    #[test]
    fn a_head_to_head_needs_two_scored_actors() {
        let deck = [card("F.")];
        let answered = [Answered::new(Answer::For, &deck[0])];
        let ranking = rank(2, Rule::Default, &answered);
        assert_eq!(head_to_head(&ranking, &answered), None);
        assert_eq!(head_to_head(&rank(2, Rule::Default, &[]), &[]), None);
    }

    fn leaders_after_flip(answered: &[Answered<'_>], card: usize, rule: Rule) -> Vec<usize> {
        let mut flipped = answered.to_vec();
        flipped[card].response.answer = answered[card].answer().flipped().unwrap();
        rank(2, rule, &flipped).leaders()
    }

    #[test]
    fn flipping_one_answer_can_change_the_leader() {
        let deck: Vec<Card> = ["FA", "FA", "AF", "FA", "FF"].map(card).to_vec();
        let answered = [
            Answered::new(Answer::For, &deck[0]),
            Answered::new(Answer::For, &deck[1]).important(true),
            Answered::new(Answer::For, &deck[2]),
            Answered::new(Answer::Abstain, &deck[3]),
            Answered::new(Answer::Skip, &deck[4]),
        ];
        // Actor 0: (1 + 2 + 0 + 0.5) / 5; actor 1: (0 + 0 + 1 + 0.5) / 5.
        let ranking = rank(2, Rule::Default, &answered);
        assert_eq!(ranking.leaders(), vec![0]);
        let found = counterfactuals(&ranking, &answered);
        // Card 0 flipped: (0 + 2 + 0 + 0.5) against (1 + 0 + 1 + 0.5), a
        // tie, which is a change too; card 1 (important) flipped: actor 1
        // leads; card 2 flipped only widens the lead; card 3 (abstained)
        // and card 4 (skipped) have no other way.
        assert_eq!(
            found,
            vec![
                Counterfactual {
                    card: 0,
                    answer: Answer::Against,
                    leaders: vec![0, 1],
                },
                Counterfactual {
                    card: 1,
                    answer: Answer::Against,
                    leaders: vec![1],
                },
            ]
        );
        assert_eq!(leaders_after_flip(&answered, 0, Rule::Default), vec![0, 1]);
        assert_eq!(leaders_after_flip(&answered, 2, Rule::Default), vec![0]);
        // Without the importance, either of the first two cards hands actor 1 the lead.
        let plain: Vec<Answered<'_>> = answered.iter().map(|a| a.important(false)).collect();
        let ranking = rank(2, Rule::Default, &plain);
        let found = counterfactuals(&ranking, &plain);
        assert_eq!(found.len(), 2);
        for f in &found {
            assert_eq!(f.leaders, leaders_after_flip(&plain, f.card, Rule::Default));
            assert_eq!(f.leaders, vec![1]);
            assert_eq!(f.answer, Answer::Against);
        }
    }

    #[test]
    fn counterfactuals_match_a_fresh_score_for_every_card() {
        let deck: Vec<Card> = ["FAN", "AFN", "NAF", "FFA", "AAF", "F.A"]
            .map(card)
            .to_vec();
        let answers = [
            Answer::For,
            Answer::Against,
            Answer::For,
            Answer::Against,
            Answer::For,
            Answer::For,
        ];
        for rule in Rule::ALL {
            let answered: Vec<Answered<'_>> = deck
                .iter()
                .zip(answers)
                .map(|(c, a)| Answered::new(a, c))
                .collect();
            let ranking = rank(3, rule, &answered);
            let mut now = ranking.leaders();
            sort_short(&mut now);
            let found = counterfactuals(&ranking, &answered);
            for card in 0..answered.len() {
                let mut flipped = answered.clone();
                flipped[card].response.answer = answers[card].flipped().unwrap();
                let then = rank(3, rule, &flipped).leaders();
                let mut then_set = then.clone();
                sort_short(&mut then_set);
                let reported = found.iter().find(|f| f.card == card);
                if then_set == now {
                    assert_eq!(reported, None, "{rule} card {card}");
                } else {
                    assert_eq!(
                        reported.map(|f| &f.leaders),
                        Some(&then),
                        "{rule} card {card}"
                    );
                }
            }
        }
    }

    #[test]
    fn an_explanation_gathers_the_three_views() {
        let deck: Vec<Card> = ["FA", "FA", "AF"].map(card).to_vec();
        let answered: Vec<Answered<'_>> =
            deck.iter().map(|c| Answered::new(Answer::For, c)).collect();
        let ranking = rank(2, Rule::Default, &answered);
        let explanation = explain(&ranking, &answered);
        assert_eq!(explanation.cards.len(), 3);
        assert_eq!(explanation.head_to_head.as_ref().unwrap().cards.len(), 3);
        let flips: Vec<usize> = explanation.counterfactuals.iter().map(|c| c.card).collect();
        assert_eq!(flips, vec![0, 1]);
        assert!(serde_json::to_string(&explanation).is_ok());
    }
}
