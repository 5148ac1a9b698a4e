//! What the scores say: a ranking under one rule, its verdict, and whether
//! another rule would tell the citizen something else.
//!
//! The verdict is what a page should lead with. It refuses to name a
//! winner when the numbers do not support one: ties are shown as ties, a
//! leader whose interval overlaps another actor's is "too close to call",
//! and a best score below [`NONE_CLOSE_BELOW`] means no party is close.

use crate::affinity::{score_with, ActorScore, Answer, Answered, Rule};
use crate::order::sort_short;
use serde::{Deserialize, Serialize};

/// Below this best score no party is close to the citizen: under the
/// default rule, 0.5 is what a party gets by abstaining on every card.
pub const NONE_CLOSE_BELOW: f64 = 0.5;

/// How many places [`RuleComparison::same_top3`] compares.
pub const TOP: usize = 3;

/// Every actor's score under one rule, best first, with the verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    pub rule: Rule,
    /// As [`score_with`] returns them: best first, ties sharing a rank,
    /// actors with no coverage last.
    pub scores: Vec<ActorScore>,
    /// Answered cards that were not skipped.
    pub counted: u32,
    pub verdict: Verdict,
}

/// What the ranking supports saying, checked in this order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Verdict {
    /// No actor has a score: nothing was answered, or every actor was
    /// absent on every answered card. No party is close to the citizen.
    NoCoverage,
    /// The best score is below the threshold ([`NONE_CLOSE_BELOW`] by
    /// default): no party is close to the citizen. `best` is the actor
    /// ranked first (the first of them when several share the place).
    NoneClose { best: usize },
    /// Several actors share the best score, in ranking order.
    Tie { actors: Vec<usize> },
    /// The leader's interval overlaps the interval of at least one other
    /// actor: the leader first, then every actor it overlaps, in ranking
    /// order. Usually the runner-up, but an actor with few covered cards
    /// (a wide interval) can overlap even when the runner-up does not.
    TooCloseToCall { actors: Vec<usize> },
    /// One actor leads, clear of every other actor's interval.
    Leader { actor: usize },
}

impl Verdict {
    /// The verdict on scores ranked as [`score_with`] ranks them.
    pub fn of(scores: &[ActorScore], none_close_below: f64) -> Verdict {
        let Some(first) = scores.first().filter(|s| s.score.is_some()) else {
            return Verdict::NoCoverage;
        };
        if first.score.is_some_and(|best| best < none_close_below) {
            return Verdict::NoneClose { best: first.actor };
        }
        let tied = leaders(scores);
        if tied.len() > 1 {
            return Verdict::Tie { actors: tied };
        }
        let close: Vec<usize> = scores
            .iter()
            .filter(|s| s.score.is_some())
            .filter(|s| s.actor == first.actor || s.overlaps(first))
            .map(|s| s.actor)
            .collect();
        if close.len() > 1 {
            Verdict::TooCloseToCall { actors: close }
        } else {
            Verdict::Leader { actor: first.actor }
        }
    }
}

/// Scores and ranks every actor under `rule` and gives the verdict, with
/// the [`NONE_CLOSE_BELOW`] threshold.
pub fn rank(actor_count: usize, rule: Rule, answered: &[Answered<'_>]) -> Ranking {
    rank_with_threshold(actor_count, rule, answered, NONE_CLOSE_BELOW)
}

/// [`rank`] with another "no party close to you" threshold.
pub fn rank_with_threshold(
    actor_count: usize,
    rule: Rule,
    answered: &[Answered<'_>],
    none_close_below: f64,
) -> Ranking {
    let scores = score_with(actor_count, rule, answered);
    let verdict = Verdict::of(&scores, none_close_below);
    let counted = answered
        .iter()
        .filter(|a| a.answer() != Answer::Skip)
        .count();
    Ranking {
        rule,
        scores,
        counted: u32::try_from(counted).unwrap_or(u32::MAX),
        verdict,
    }
}

impl Ranking {
    /// The actors ranked first (several when tied); empty when none has a score.
    pub fn leaders(&self) -> Vec<usize> {
        leaders(&self.scores)
    }

    /// `(rank, actor)` of every scored actor ranked `k` or better, best
    /// first; more than `k` entries when a tie straddles place `k`.
    pub fn top(&self, k: usize) -> Vec<(usize, usize)> {
        self.scores
            .iter()
            .filter(|s| s.score.is_some() && s.rank <= k)
            .map(|s| (s.rank, s.actor))
            .collect()
    }

    /// The actor ranked second, if scored (tied with the first or not).
    pub fn runner_up(&self) -> Option<&ActorScore> {
        self.scores.get(1).filter(|s| s.score.is_some())
    }

    /// The result of the actor at manifest index `actor`.
    pub fn actor(&self, actor: usize) -> Option<&ActorScore> {
        self.scores.iter().find(|s| s.actor == actor)
    }
}

/// The scored actors sharing rank 1, in ranking order.
pub(crate) fn leaders(scores: &[ActorScore]) -> Vec<usize> {
    scores
        .iter()
        .take_while(|s| s.score.is_some() && s.rank == 1)
        .map(|s| s.actor)
        .collect()
}

/// The same answers ranked under every rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleComparison {
    /// One ranking per rule, in [`Rule::ALL`] order (the default first).
    /// Without member counts, member-share equals the default.
    pub rankings: Vec<Ranking>,
    /// Whether every rule ranks the same actor(s) first.
    pub same_leader: bool,
    /// Whether every rule gives the same top [`TOP`]: the same actors at
    /// the same ranks (ties included).
    pub same_top3: bool,
}

impl RuleComparison {
    /// The ranking under `rule`.
    pub fn ranking(&self, rule: Rule) -> Option<&Ranking> {
        self.rankings.iter().find(|r| r.rule == rule)
    }

    /// The actor(s) ranked first under each rule.
    pub fn leaders(&self) -> Vec<(Rule, Vec<usize>)> {
        self.rankings
            .iter()
            .map(|r| (r.rule, r.leaders()))
            .collect()
    }

    /// The rules whose leaders or top [`TOP`] differ from the default rule's.
    pub fn differing(&self) -> Vec<Rule> {
        let Some(base) = self.ranking(Rule::Default) else {
            return Vec::new();
        };
        let (base_leaders, base_top) = (sorted_leaders(base), sorted_top(base));
        self.rankings
            .iter()
            .filter(|r| sorted_leaders(r) != base_leaders || sorted_top(r) != base_top)
            .map(|r| r.rule)
            .collect()
    }
}

/// Leaders as a set: within a tie the order only reflects coverage and manifest order.
fn sorted_leaders(ranking: &Ranking) -> Vec<usize> {
    let mut leaders = ranking.leaders();
    sort_short(&mut leaders);
    leaders
}

fn sorted_top(ranking: &Ranking) -> Vec<(usize, usize)> {
    let mut top = ranking.top(TOP);
    sort_short(&mut top);
    top
}

/// Ranks the answers under every rule and says whether the leader and the
/// top [`TOP`] stay the same.
pub fn compare_rules(actor_count: usize, answered: &[Answered<'_>]) -> RuleComparison {
    let rankings: Vec<Ranking> = Rule::ALL
        .into_iter()
        .map(|rule| rank(actor_count, rule, answered))
        .collect();
    let first = &rankings[0];
    let same_leader = rankings
        .iter()
        .all(|r| sorted_leaders(r) == sorted_leaders(first));
    let same_top3 = rankings.iter().all(|r| sorted_top(r) == sorted_top(first));
    RuleComparison {
        rankings,
        same_leader,
        same_top3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::affinity::tests::card;
    use crate::bundle::Card;

    fn all(answer: Answer, cards: &[Card]) -> Vec<Answered<'_>> {
        cards.iter().map(|c| Answered::new(answer, c)).collect()
    }

    /// `n` cards whose votes are given per actor as a function of the card index.
    fn cards(n: usize, votes: impl Fn(usize) -> String) -> Vec<Card> {
        (0..n).map(|i| card(&votes(i))).collect()
    }

    #[test]
    fn nothing_covered_is_no_coverage() {
        let some = [card("FA")];
        let absent = [card("X."), card("..")];
        let cases: [Vec<Answered<'_>>; 3] = [
            Vec::new(),
            all(Answer::Skip, &some),
            all(Answer::For, &absent),
        ];
        for answered in &cases {
            let ranking = rank(2, Rule::Default, answered);
            assert_eq!(ranking.verdict, Verdict::NoCoverage);
            assert!(ranking.leaders().is_empty());
            assert!(ranking.runner_up().is_none());
        }
        assert_eq!(rank(0, Rule::Default, &[]).verdict, Verdict::NoCoverage);
        assert_eq!(rank(2, Rule::Default, &cases[1]).counted, 0);
        assert_eq!(rank(2, Rule::Default, &cases[2]).counted, 2);
    }

    #[test]
    fn a_best_score_below_the_threshold_is_no_party_close() {
        // Citizen for on both; actor 1 abstains once (0.25), actor 0 never agrees.
        let deck = [card("AN"), card("AA")];
        let answered = all(Answer::For, &deck);
        let ranking = rank(2, Rule::Default, &answered);
        assert_eq!(ranking.verdict, Verdict::NoneClose { best: 1 });
        // Exactly at the threshold is close enough.
        let deck = [card("AN"), card("AN")];
        let answered = all(Answer::For, &deck);
        assert_ne!(
            rank(2, Rule::Default, &answered).verdict,
            Verdict::NoneClose { best: 1 }
        );
        let strict = rank_with_threshold(2, Rule::Default, &answered, 0.6);
        assert_eq!(strict.verdict, Verdict::NoneClose { best: 1 });
    }

    #[test]
    fn equal_best_scores_are_a_tie() {
        let deck = cards(30, |i| if i == 0 { "FFA" } else { "FF." }.into());
        let answered = all(Answer::For, &deck);
        let ranking = rank(3, Rule::Default, &answered);
        assert_eq!(ranking.verdict, Verdict::Tie { actors: vec![0, 1] });
        assert_eq!(ranking.leaders(), vec![0, 1]);
        assert_eq!(ranking.top(1), vec![(1, 0), (1, 1)]);
        assert_eq!(ranking.top(3), vec![(1, 0), (1, 1), (3, 2)]);
    }

    #[test]
    fn overlapping_intervals_are_too_close_to_call() {
        // 3 of 3 against 2 of 3: far apart in score, not in evidence.
        let deck = [card("FF"), card("FF"), card("FA")];
        let answered = all(Answer::For, &deck);
        let ranking = rank(2, Rule::Default, &answered);
        assert_eq!(
            ranking.verdict,
            Verdict::TooCloseToCall { actors: vec![0, 1] }
        );
        let (leader, runner_up) = (&ranking.scores[0], &ranking.scores[1]);
        assert!(leader.overlaps(runner_up) && runner_up.overlaps(leader));
    }

    #[test]
    fn a_clear_lead_needs_enough_cards() {
        // Actor 0 agrees on all 20 cards, actor 1 on 12 of them.
        let deck = cards(20, |i| if i < 12 { "FF" } else { "FA" }.into());
        let answered = all(Answer::For, &deck);
        let ranking = rank(2, Rule::Default, &answered);
        assert_eq!(ranking.verdict, Verdict::Leader { actor: 0 });
        assert!(!ranking.scores[0].overlaps(&ranking.scores[1]));
        // The same proportions on 5 cards prove nothing.
        let short = rank(2, Rule::Default, &answered[..5]);
        assert_eq!(short.scores[1].score, Some(1.0));
        let short = rank(2, Rule::Default, &answered[10..15]);
        assert!(matches!(short.verdict, Verdict::TooCloseToCall { .. }));
    }

    #[test]
    fn a_thinly_covered_actor_can_keep_the_call_open() {
        // Actor 0: 20 of 20; actor 1: 12 of 20, clear of actor 0; actor 2
        // abstained on the one card it voted on: 0.5 on one card, whose
        // interval reaches actor 0's.
        let deck = cards(20, |i| {
            let second = if i < 12 { 'F' } else { 'A' };
            let third = if i == 0 { 'N' } else { '.' };
            format!("F{second}{third}")
        });
        let answered = all(Answer::For, &deck);
        let ranking = rank(3, Rule::Default, &answered);
        let order: Vec<usize> = ranking.scores.iter().map(|s| s.actor).collect();
        assert_eq!(order, vec![0, 1, 2]);
        assert!(!ranking.scores[0].overlaps(&ranking.scores[1]));
        assert_eq!(
            ranking.verdict,
            Verdict::TooCloseToCall { actors: vec![0, 2] }
        );
    }

    #[test]
    fn verdicts_serialize_with_a_kind() {
        let json = serde_json::to_string(&Verdict::Tie { actors: vec![1, 2] }).unwrap();
        assert_eq!(json, r#"{"kind":"tie","actors":[1,2]}"#);
        let json = serde_json::to_string(&Verdict::NoCoverage).unwrap();
        assert_eq!(json, r#"{"kind":"no-coverage"}"#);
    }

    #[test]
    fn without_abstentions_every_rule_agrees() {
        let deck = [card("FAF"), card("FAA"), card("FAA")];
        let answered = all(Answer::For, &deck);
        let comparison = compare_rules(3, &answered);
        assert_eq!(comparison.rankings.len(), Rule::ALL.len());
        assert!(comparison.same_leader && comparison.same_top3);
        assert!(comparison.differing().is_empty());
        for (rule, leaders) in comparison.leaders() {
            assert_eq!(leaders, vec![0], "{rule}");
        }
    }

    #[test]
    fn counting_abstention_as_half_can_change_the_leader() {
        // Actor 0 agrees once in three; actor 1 always abstains: half
        // credit under the default rule, nothing under exact match.
        let deck = [card("FN"), card("AN"), card("AN")];
        let answered = all(Answer::For, &deck);
        let comparison = compare_rules(2, &answered);
        assert!(!comparison.same_leader && !comparison.same_top3);
        let leaders: Vec<(Rule, Vec<usize>)> = comparison.leaders();
        assert_eq!(
            leaders,
            vec![
                (Rule::Default, vec![1]),
                (Rule::ExactMatch, vec![0]),
                (Rule::AbstainAsDisagreement, vec![0]),
                (Rule::MemberShare, vec![1]),
            ]
        );
        assert_eq!(
            comparison.differing(),
            vec![Rule::ExactMatch, Rule::AbstainAsDisagreement]
        );
    }

    #[test]
    fn the_top_three_can_change_under_the_same_leader() {
        let deck = [card("FFN"), card("FAN"), card("FAN")];
        let answered = all(Answer::For, &deck);
        let comparison = compare_rules(3, &answered);
        assert!(comparison.same_leader);
        assert!(!comparison.same_top3);
        let order = |rule| {
            comparison
                .ranking(rule)
                .unwrap()
                .scores
                .iter()
                .map(|s| s.actor)
                .collect::<Vec<_>>()
        };
        assert_eq!(order(Rule::Default), vec![0, 2, 1]);
        assert_eq!(order(Rule::ExactMatch), vec![0, 1, 2]);
    }

    #[test]
    fn shared_abstention_separates_exact_match_from_abstain_as_disagreement() {
        let deck = [card("NF"), card("NA")];
        let answered = all(Answer::Abstain, &deck);
        let comparison = compare_rules(2, &answered);
        let leaders = comparison.leaders();
        assert_eq!(leaders[1], (Rule::ExactMatch, vec![0]));
        assert_eq!(leaders[2], (Rule::AbstainAsDisagreement, vec![0, 1]));
        assert_eq!(
            comparison
                .ranking(Rule::AbstainAsDisagreement)
                .unwrap()
                .verdict,
            Verdict::NoneClose { best: 0 }
        );
    }

    #[test]
    fn member_counts_can_change_the_ranking() {
        use crate::model::Tally;
        // Actor 0 voted for both times, but only 1 of its 4 members did.
        let deck = [card("FF"), card("FA")];
        let split = [
            Some(Tally {
                in_favour: 1,
                against: 3,
                abstain: 0,
                absent: 0,
            }),
            None,
        ];
        let answered = [
            Answered::new(Answer::For, &deck[0]).with_tallies(&split),
            Answered::new(Answer::For, &deck[1]).with_tallies(&split),
        ];
        let comparison = compare_rules(2, &answered);
        assert!(!comparison.same_leader);
        assert_eq!(comparison.differing(), vec![Rule::MemberShare]);
        let shares = comparison.ranking(Rule::MemberShare).unwrap();
        assert_eq!(shares.leaders(), vec![1]);
        assert_eq!(shares.actor(0).unwrap().score, Some(0.25));
        assert_eq!(shares.actor(1).unwrap().score, Some(0.5));
        let by_default = comparison.ranking(Rule::Default).unwrap();
        assert_eq!(by_default.actor(0).unwrap().score, Some(1.0));
    }
}
