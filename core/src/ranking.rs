//! What the scores say: a ranking under one rule, its verdict, and whether
//! another rule would tell the citizen something else.
//!
//! The verdict is what a page should lead with. It ranks only the actors
//! the quiz compares ([`Field`]: by default the parties seated in the
//! latest legislature of the deck, see [`crate::seating`]); the others are
//! scored and shown apart, never above them. It then tests the leader
//! against every other compared actor on the same cards
//! ([`crate::paired`]) and names a winner only when the leader is clear of
//! each one, or when the ones it cannot be told from vote alike on nearly
//! everything, which is reported as such. A best score below
//! [`NONE_CLOSE_BELOW`] means no party is close.

use crate::affinity::{score_with, ActorScore, Answer, Answered, Rule};
use crate::order::sort_short;
use crate::paired::Paired;
use crate::seating::{Seating, ALIKE_FROM};
use serde::{Deserialize, Serialize};

/// Below this best score no party is close to the citizen: under the
/// default rule, 0.5 is what a party gets by abstaining on every card.
pub const NONE_CLOSE_BELOW: f64 = 0.5;

/// How many places [`RuleComparison::same_top3`] compares.
pub const TOP: usize = 3;

/// Who a ranking compares, and which of them vote alike.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// Actors in the manifest.
    pub actor_count: usize,
    /// Manifest indices of the actors ranked; the others are shown apart.
    pub compared: Vec<usize>,
    /// Pairs of compared actors that vote alike ([`ALIKE_FROM`]), with
    /// their share of same votes in ten-thousandths.
    pub alike: Vec<(usize, usize, u16)>,
    /// The legislature whose seated actors are compared, if any.
    pub legislature: Option<String>,
}

impl Field {
    /// Every actor compared, none alike: for data without seatings.
    pub fn everyone(actor_count: usize) -> Field {
        Field {
            actor_count,
            compared: (0..actor_count).collect(),
            alike: Vec::new(),
            legislature: None,
        }
    }

    /// The actors seated in `seating`'s legislature.
    pub fn seated(actor_count: usize, seating: &Seating) -> Field {
        let compared: Vec<usize> = seating
            .seated
            .iter()
            .copied()
            .filter(|&a| a < actor_count)
            .collect();
        let mut alike = Vec::new();
        for (i, &a) in compared.iter().enumerate() {
            for &b in &compared[i + 1..] {
                if let Some(share) = seating.same_share(a, b).filter(|&s| s >= ALIKE_FROM) {
                    alike.push((a, b, share));
                }
            }
        }
        Field {
            actor_count,
            compared,
            alike,
            legislature: Some(seating.legislature.clone()),
        }
    }

    pub fn is_compared(&self, actor: usize) -> bool {
        self.compared.contains(&actor)
    }

    /// The share of same votes of `a` and `b` when they vote alike.
    pub fn alike_share(&self, a: usize, b: usize) -> Option<u16> {
        self.alike
            .iter()
            .find(|&&(x, y, _)| (x, y) == (a, b) || (x, y) == (b, a))
            .map(|&(_, _, share)| share)
    }
}

/// The compared actors' scores under one rule, best first, the others
/// apart, the leader's paired comparisons and the verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    pub rule: Rule,
    /// The compared actors as [`score_with`] ranks them: best first, ties
    /// sharing a rank, actors with no coverage last.
    pub scores: Vec<ActorScore>,
    /// The actors not compared (not seated in the legislature compared),
    /// ranked among themselves the same way: shown apart, never above a
    /// compared actor.
    pub apart: Vec<ActorScore>,
    /// Answered cards that were not skipped.
    pub counted: u32,
    /// The leader against every other scored compared actor, in ranking
    /// order; empty without a scored leader.
    pub pairs: Vec<Paired>,
    pub verdict: Verdict,
}

/// What the ranking supports saying, checked in this order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Verdict {
    /// No compared actor has a score: nothing was answered, or every
    /// actor was absent on every answered card.
    NoCoverage,
    /// The best score is below the threshold ([`NONE_CLOSE_BELOW`] by
    /// default): no party is close to the citizen. `best` is the actor
    /// ranked first (the first of them when several share the place).
    NoneClose { best: usize },
    /// The leader is not clear of some rivals that do not vote alike with
    /// it (ties included): the leader first, then those rivals, in ranking
    /// order. More answers may separate them.
    TooCloseToCall { actors: Vec<usize> },
    /// The leader is clear of every other compared actor but some that
    /// vote alike with it on nearly everything: the leader first, then
    /// those, in ranking order. A clear answer: these parties are the
    /// closest, and they vote as one.
    Alike { actors: Vec<usize> },
    /// One actor leads, clear of every other compared actor.
    Leader { actor: usize },
}

impl Verdict {
    /// The verdict on compared `scores` ranked as [`score_with`] ranks
    /// them, with the leader's `pairs` against the others.
    pub fn of(
        scores: &[ActorScore],
        pairs: &[Paired],
        field: &Field,
        none_close_below: f64,
    ) -> Verdict {
        let Some(first) = scores.first().filter(|s| s.score.is_some()) else {
            return Verdict::NoCoverage;
        };
        if first.score.is_some_and(|best| best < none_close_below) {
            return Verdict::NoneClose { best: first.actor };
        }
        // Rivals in ranking order. One the leader is clear of is settled;
        // one it is not clear of (or that has the very same score) is
        // reported with it when the two vote alike and every rival ranked
        // above it is reported too, else the call stays open: a group
        // "closest to you" never leaves out a party ranked above a member.
        let mut open = vec![first.actor];
        let mut alike = vec![first.actor];
        let mut unbroken = true;
        for pair in pairs {
            let score = scores
                .iter()
                .find(|s| s.actor == pair.rival)
                .and_then(|s| s.score);
            if pair.is_clear() && score != first.score {
                unbroken = false;
            } else if unbroken && field.alike_share(first.actor, pair.rival).is_some() {
                alike.push(pair.rival);
            } else {
                open.push(pair.rival);
            }
        }
        if open.len() > 1 {
            Verdict::TooCloseToCall { actors: open }
        } else if alike.len() > 1 {
            Verdict::Alike { actors: alike }
        } else {
            Verdict::Leader { actor: first.actor }
        }
    }

    /// Whether the verdict is an answer the citizen can act on: one
    /// leader, or a group that votes alike.
    pub fn is_clear(&self) -> bool {
        matches!(self, Verdict::Leader { .. } | Verdict::Alike { .. })
    }

    /// The actors the verdict names, leader first.
    pub fn actors(&self) -> Vec<usize> {
        match self {
            Verdict::NoCoverage => Vec::new(),
            Verdict::NoneClose { best } => vec![*best],
            Verdict::TooCloseToCall { actors } | Verdict::Alike { actors } => actors.clone(),
            Verdict::Leader { actor } => vec![*actor],
        }
    }
}

/// Scores and ranks every actor under `rule`, all of them compared, and
/// gives the verdict, with the [`NONE_CLOSE_BELOW`] threshold.
pub fn rank(actor_count: usize, rule: Rule, answered: &[Answered<'_>]) -> Ranking {
    rank_in(&Field::everyone(actor_count), rule, answered)
}

/// Ranks the actors `field` compares under `rule` (the others apart) and
/// gives the verdict.
pub fn rank_in(field: &Field, rule: Rule, answered: &[Answered<'_>]) -> Ranking {
    rank_with_threshold(field, rule, answered, NONE_CLOSE_BELOW)
}

/// [`rank_in`] with another "no party close to you" threshold.
pub fn rank_with_threshold(
    field: &Field,
    rule: Rule,
    answered: &[Answered<'_>],
    none_close_below: f64,
) -> Ranking {
    let (mut scores, mut apart): (Vec<ActorScore>, Vec<ActorScore>) =
        score_with(field.actor_count, rule, answered)
            .into_iter()
            .partition(|s| field.is_compared(s.actor));
    assign_ranks(&mut scores);
    assign_ranks(&mut apart);
    let pairs: Vec<Paired> = match scores.first().filter(|s| s.score.is_some()) {
        Some(leader) => scores[1..]
            .iter()
            .filter(|s| s.score.is_some())
            .map(|rival| Paired::of(rule, leader.actor, rival.actor, answered))
            .collect(),
        None => Vec::new(),
    };
    let verdict = Verdict::of(&scores, &pairs, field, none_close_below);
    let counted = answered
        .iter()
        .filter(|a| a.answer() != Answer::Skip)
        .count();
    Ranking {
        rule,
        scores,
        apart,
        counted: u32::try_from(counted).unwrap_or(u32::MAX),
        pairs,
        verdict,
    }
}

/// Ranks already sorted scores again after some were taken out: equal
/// scores share a place.
fn assign_ranks(scores: &mut [ActorScore]) {
    for i in 0..scores.len() {
        scores[i].rank = if i > 0 && scores[i].score == scores[i - 1].score {
            scores[i - 1].rank
        } else {
            i + 1
        };
    }
}

impl Ranking {
    /// The compared actors ranked first (several when tied); empty when
    /// none has a score.
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

    /// The result of the actor at manifest index `actor`, compared or apart.
    pub fn actor(&self, actor: usize) -> Option<&ActorScore> {
        self.scores
            .iter()
            .chain(&self.apart)
            .find(|s| s.actor == actor)
    }

    /// Every actor of the manifest: compared and apart.
    pub fn actor_count(&self) -> usize {
        self.scores.len() + self.apart.len()
    }

    /// Whether `actor` is one of the compared actors.
    pub fn is_compared(&self, actor: usize) -> bool {
        self.scores.iter().any(|s| s.actor == actor)
    }

    /// The leader's comparison with `rival`, when both are scored.
    pub fn pair(&self, rival: usize) -> Option<&Paired> {
        self.pairs.iter().find(|p| p.rival == rival)
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

/// The scored actors sharing the best score of `scores`, sorted best
/// first (their ranks need not start at 1), in ranking order.
pub(crate) fn leaders_of_sorted(scores: &[ActorScore]) -> Vec<usize> {
    let Some(best) = scores.first().and_then(|s| s.score) else {
        return Vec::new();
    };
    scores
        .iter()
        .take_while(|s| s.score == Some(best))
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
pub fn compare_rules(field: &Field, answered: &[Answered<'_>]) -> RuleComparison {
    let rankings: Vec<Ranking> = Rule::ALL
        .into_iter()
        .map(|rule| rank_in(field, rule, answered))
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
        let strict = rank_with_threshold(&Field::everyone(2), Rule::Default, &answered, 0.6);
        assert_eq!(strict.verdict, Verdict::NoneClose { best: 1 });
    }

    #[test]
    fn equal_best_scores_are_too_close_to_call() {
        // Actor 2 voted on one card only: one card of evidence does not
        // separate it from the leader either.
        let deck = cards(30, |i| if i == 0 { "FFA" } else { "FF." }.into());
        let answered = all(Answer::For, &deck);
        let ranking = rank(3, Rule::Default, &answered);
        assert_eq!(
            ranking.verdict,
            Verdict::TooCloseToCall {
                actors: vec![0, 1, 2]
            }
        );
        assert_eq!(ranking.leaders(), vec![0, 1]);
        assert_eq!(ranking.top(1), vec![(1, 0), (1, 1)]);
        assert_eq!(ranking.top(3), vec![(1, 0), (1, 1), (3, 2)]);
        assert_eq!(ranking.pair(1).unwrap().both(), 30);
    }

    #[test]
    fn the_leader_is_clear_once_the_cards_where_they_differ_favour_it_enough() {
        // Actor 0 agrees on every card, actor 1 on all but the last k.
        let deck = |k: usize| cards(12, move |i| if i < 12 - k { "FF" } else { "FA" }.into());
        for (k, clear) in [(6, false), (7, true), (10, true)] {
            let deck = deck(k);
            let ranking = rank(2, Rule::Default, &all(Answer::For, &deck));
            let expected = if clear {
                Verdict::Leader { actor: 0 }
            } else {
                Verdict::TooCloseToCall { actors: vec![0, 1] }
            };
            assert_eq!(ranking.verdict, expected, "{k} differing cards");
            assert!(ranking.verdict.is_clear() == clear);
        }
        // Separate intervals would call 60 of 60 against 53 of 60 too
        // close; the same cards show the lead.
        let deck = cards(60, |i| if i < 53 { "FF" } else { "FA" }.into());
        let ranking = rank(2, Rule::Default, &all(Answer::For, &deck));
        assert!(ranking.scores[0].overlaps(&ranking.scores[1]));
        assert_eq!(ranking.verdict, Verdict::Leader { actor: 0 });
    }

    #[test]
    fn rivals_that_vote_alike_with_the_leader_are_a_clear_group() {
        // Actors 0 and 1 vote the same on every card asked; actor 2 never
        // agrees with the citizen.
        let deck = cards(8, |_| "FFA".into());
        let answered = all(Answer::For, &deck);
        let mut field = Field::everyone(3);
        assert_eq!(
            rank_in(&field, Rule::Default, &answered).verdict,
            Verdict::TooCloseToCall { actors: vec![0, 1] }
        );
        field.alike.push((1, 0, 9_700));
        let ranking = rank_in(&field, Rule::Default, &answered);
        assert_eq!(ranking.verdict, Verdict::Alike { actors: vec![0, 1] });
        assert!(ranking.verdict.is_clear());
        assert_eq!(field.alike_share(0, 1), Some(9_700));
    }

    #[test]
    fn an_equal_score_is_never_a_clear_lead_and_an_alike_group_has_no_gap() {
        // Actor 0 does better by half on 16 cards (the citizen abstains,
        // actor 1 votes), actor 1 by a whole on 4 important ones: the same
        // score, though the sign test alone would favour actor 0.
        let deck: Vec<Card> = (0..20)
            .map(|i| card(if i < 16 { "NF" } else { "AF" }))
            .collect();
        let answered: Vec<Answered<'_>> = deck
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let answer = if i < 16 { Answer::Abstain } else { Answer::For };
                Answered::new(answer, c).important(i >= 16)
            })
            .collect();
        let ranking = rank(2, Rule::Default, &answered);
        assert_eq!(ranking.scores[0].score, ranking.scores[1].score);
        assert!(ranking.pairs[0].is_clear());
        assert_eq!(
            ranking.verdict,
            Verdict::TooCloseToCall { actors: vec![0, 1] }
        );

        // Actor 2 votes alike with actor 0 and is not told apart from it
        // (5 cards to 0), but ranks below actor 1, whom actor 0 is clear of
        // (8 to 0): no group "closest to you" of 0 and 2.
        let deck = cards(20, |i| {
            match i {
                0..=7 => "FNF",
                8..=12 => "FFA",
                _ => "FFF",
            }
            .into()
        });
        let answered = all(Answer::For, &deck);
        let mut field = Field::everyone(3);
        field.alike.push((0, 2, 9_000));
        let ranking = rank_in(&field, Rule::Default, &answered);
        let order: Vec<usize> = ranking.scores.iter().map(|s| s.actor).collect();
        assert_eq!(order, vec![0, 1, 2]);
        assert!(ranking.pair(1).unwrap().is_clear());
        assert!(!ranking.pair(2).unwrap().is_clear());
        assert_eq!(
            ranking.verdict,
            Verdict::TooCloseToCall { actors: vec![0, 2] }
        );
        // Without actor 1 in the comparison, the two are a group.
        field.compared = vec![0, 2];
        let ranking = rank_in(&field, Rule::Default, &answered);
        assert_eq!(ranking.verdict, Verdict::Alike { actors: vec![0, 2] });
    }

    #[test]
    fn actors_not_compared_are_ranked_apart_never_above() {
        // Actor 2 agrees on its one card; actors 0 and 1 are compared.
        let deck = cards(8, |i| if i == 0 { "FAF" } else { "FA." }.into());
        let answered = all(Answer::For, &deck);
        let field = Field {
            compared: vec![0, 1],
            ..Field::everyone(3)
        };
        let ranking = rank_in(&field, Rule::Default, &answered);
        let order: Vec<usize> = ranking.scores.iter().map(|s| s.actor).collect();
        assert_eq!(order, vec![0, 1]);
        assert_eq!(ranking.apart.len(), 1);
        assert_eq!((ranking.apart[0].actor, ranking.apart[0].rank), (2, 1));
        assert_eq!(ranking.actor(2).unwrap().score, Some(1.0));
        assert_eq!(ranking.verdict, Verdict::Leader { actor: 0 });
        // Everyone compared: actor 2 ties for first on one card.
        let everyone = rank(3, Rule::Default, &answered);
        assert_eq!(everyone.leaders(), vec![0, 2]);
    }

    #[test]
    fn a_seating_compares_its_seated_actors_and_their_alike_pairs() {
        let seating = Seating {
            legislature: "XV".into(),
            seated: vec![0, 2, 3],
            same: vec![9_500, 2_000, 8_000],
        };
        let field = Field::seated(4, &seating);
        assert_eq!(field.compared, vec![0, 2, 3]);
        assert_eq!(field.alike, vec![(0, 2, 9_500)]);
        assert_eq!(field.legislature.as_deref(), Some("XV"));
    }

    #[test]
    fn verdicts_serialize_with_a_kind() {
        let json = serde_json::to_string(&Verdict::Alike { actors: vec![1, 2] }).unwrap();
        assert_eq!(json, r#"{"kind":"alike","actors":[1,2]}"#);
        let json = serde_json::to_string(&Verdict::NoCoverage).unwrap();
        assert_eq!(json, r#"{"kind":"no-coverage"}"#);
    }

    #[test]
    fn without_abstentions_every_rule_agrees() {
        let deck = [card("FAF"), card("FAA"), card("FAA")];
        let answered = all(Answer::For, &deck);
        let comparison = compare_rules(&Field::everyone(3), &answered);
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
        let comparison = compare_rules(&Field::everyone(2), &answered);
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
        let comparison = compare_rules(&Field::everyone(3), &answered);
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
        let comparison = compare_rules(&Field::everyone(2), &answered);
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
        let comparison = compare_rules(&Field::everyone(2), &answered);
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
