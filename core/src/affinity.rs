//! How close each party voted to the citizen's answers.
//!
//! The default rule is the one of Germany's Wahl-O-Mat: a card counts 1
//! when citizen and party took the same position, 0.5 when exactly one of
//! them abstained, 0 when they took opposite sides. Skipped cards are left
//! out, and so is, for one party, a card on which that party has no
//! recorded position; how many cards did count is reported as coverage.
//! A card the citizen marks important counts double:
//! `score = sum(w * s) / sum(w)` over the cards that count.
//!
//! Other rules are selectable ([`Rule`]), because voting-advice research
//! shows the rule can change the advice; [`crate::ranking::compare_rules`]
//! says whether it does for a given set of answers. Every score carries an
//! interval ([`crate::interval`]) so a page can be honest about how little
//! ten answers prove.
//!
//! Nothing here formats a float: the WASM module calls this code, and float
//! formatting would cost it kilobytes. Results are numbers; helpers such as
//! [`ActorScore::per_ten_thousand`] turn them into integers for printing.

use crate::bundle::Card;
use crate::interval;
use crate::model::{Position, Tally};
use crate::order::sort_short_by;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

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
    /// Every answer, in the order the share code numbers them.
    pub const ALL: [Answer; 4] = [Answer::For, Answer::Against, Answer::Abstain, Answer::Skip];

    /// The answer's name on the command line, in JSON and in the WASM API.
    pub fn name(self) -> &'static str {
        match self {
            Answer::For => "for",
            Answer::Against => "against",
            Answer::Abstain => "abstain",
            Answer::Skip => "skip",
        }
    }

    /// The answer named `name` ([`Answer::name`]).
    pub fn from_name(name: &str) -> Option<Answer> {
        Answer::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The position this answer takes; `None` for [`Answer::Skip`].
    pub fn position(self) -> Option<Position> {
        match self {
            Answer::For => Some(Position::For),
            Answer::Against => Some(Position::Against),
            Answer::Abstain => Some(Position::Abstain),
            Answer::Skip => None,
        }
    }

    /// The answer that takes `position`; `None` for [`Position::Absent`].
    pub fn taking(position: Position) -> Option<Answer> {
        Answer::ALL
            .into_iter()
            .find(|answer| answer.position() == Some(position))
    }

    /// The other side: `For` and `Against` swap; abstaining and skipping
    /// have no other side.
    pub fn flipped(self) -> Option<Answer> {
        match self {
            Answer::For => Some(Answer::Against),
            Answer::Against => Some(Answer::For),
            Answer::Abstain | Answer::Skip => None,
        }
    }
}

/// Weight of a card the citizen marked important; other cards weigh 1.
pub const IMPORTANT_WEIGHT: f64 = 2.0;

/// A citizen's answer together with whether they marked the card important.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    pub answer: Answer,
    #[serde(default)]
    pub important: bool,
}

impl Response {
    pub fn new(answer: Answer, important: bool) -> Response {
        Response { answer, important }
    }

    /// How much the card counts: [`IMPORTANT_WEIGHT`] when marked important, else 1.
    pub fn weight(self) -> f64 {
        if self.important {
            IMPORTANT_WEIGHT
        } else {
            1.0
        }
    }
}

impl Response {
    /// One letter for the response: `F`, `A`, `N`, `S` (for, against,
    /// abstain, skip), in lower case when marked important. How a page
    /// hands answers from one module to another.
    pub fn code(self) -> char {
        let letter = match self.answer {
            Answer::For => 'F',
            Answer::Against => 'A',
            Answer::Abstain => 'N',
            Answer::Skip => 'S',
        };
        if self.important {
            letter.to_ascii_lowercase()
        } else {
            letter
        }
    }

    /// The response a [`Response::code`] letter stands for.
    pub fn from_code(code: char) -> Option<Response> {
        let answer = match code.to_ascii_uppercase() {
            'F' => Answer::For,
            'A' => Answer::Against,
            'N' => Answer::Abstain,
            'S' => Answer::Skip,
            _ => return None,
        };
        Some(Response::new(answer, code.is_ascii_lowercase()))
    }
}

impl From<Answer> for Response {
    fn from(answer: Answer) -> Response {
        Response::new(answer, false)
    }
}

/// How agreement on one card is counted.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Rule {
    /// Wahl-O-Mat: 1 for the same position, 0.5 when exactly one side
    /// abstained, 0 for opposite sides.
    #[default]
    #[serde(rename = "default")]
    Default,
    /// meuParlamento: 1 for the same position, else 0. Abstaining is a
    /// position like the others, so two abstentions agree.
    #[serde(rename = "exact")]
    ExactMatch,
    /// Abstaining never agrees: 1 only when both took the same side (for or
    /// against), else 0, including when both abstained. This is what sets
    /// it apart from [`Rule::ExactMatch`], which counts two abstentions as
    /// agreement; with no abstention on either side the two coincide.
    #[serde(rename = "abstain-disagree")]
    AbstainAsDisagreement,
    /// DeinWal: the share of the group's members who voted as the citizen,
    /// from the group's member [`Tally`] when it is known; members who
    /// abstained while the citizen took a side (or the reverse) count half,
    /// as in the default rule, so the score is the default rule averaged
    /// over the group's voting members. Members absent are left out. With
    /// no tally (or a tally with no voting member) the group's position
    /// counts as under [`Rule::Default`].
    #[serde(rename = "member-share")]
    MemberShare,
}

impl Rule {
    /// Every rule, the default first.
    pub const ALL: [Rule; 4] = [
        Rule::Default,
        Rule::ExactMatch,
        Rule::AbstainAsDisagreement,
        Rule::MemberShare,
    ];

    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Default => "default",
            Rule::ExactMatch => "exact",
            Rule::AbstainAsDisagreement => "abstain-disagree",
            Rule::MemberShare => "member-share",
        }
    }

    /// Inverse of [`Rule::name`].
    pub fn parse(name: &str) -> Result<Rule, UnknownRule> {
        Rule::ALL
            .into_iter()
            .find(|rule| rule.name() == name)
            .ok_or_else(|| UnknownRule(name.to_owned()))
    }

    /// Agreement on one card between the citizen's `answer` and an actor
    /// that took `position` (with member counts `tally`, used only by
    /// [`Rule::MemberShare`]), or `None` when the card does not count for
    /// this actor: skipped by the citizen, or no recorded position.
    pub fn agreement(
        self,
        answer: Answer,
        position: Option<Position>,
        tally: Option<&Tally>,
    ) -> Option<f64> {
        match self {
            Rule::Default => agreement(answer, position),
            Rule::ExactMatch => {
                let (user, actor) = cast_pair(answer, position)?;
                Some(if user == actor { 1.0 } else { 0.0 })
            }
            Rule::AbstainAsDisagreement => {
                let (user, actor) = cast_pair(answer, position)?;
                Some(if user == actor && user != Position::Abstain {
                    1.0
                } else {
                    0.0
                })
            }
            Rule::MemberShare => match tally.and_then(|t| member_share(answer, t)) {
                Some(share) => Some(share),
                None => agreement(answer, position),
            },
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Rule {
    type Err = UnknownRule;

    fn from_str(name: &str) -> Result<Rule, UnknownRule> {
        Rule::parse(name)
    }
}

/// A rule name that is not one of [`Rule::name`]'s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRule(pub String);

impl fmt::Display for UnknownRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown rule `{}`; the rules are", self.0)?;
        for (i, rule) in Rule::ALL.iter().enumerate() {
            let sep = if i == 0 { " " } else { ", " };
            write!(f, "{sep}{}", rule.name())?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownRule {}

/// The citizen's and the actor's positions when both count.
fn cast_pair(answer: Answer, position: Option<Position>) -> Option<(Position, Position)> {
    Some((answer.position()?, position.filter(|p| p.is_cast())?))
}

/// The default rule averaged over the group's voting members; `None` when
/// the citizen skipped or no member voted.
fn member_share(answer: Answer, tally: &Tally) -> Option<f64> {
    answer.position()?;
    let cast = [
        (Position::For, tally.in_favour),
        (Position::Against, tally.against),
        (Position::Abstain, tally.abstain),
    ];
    let members: u64 = cast.iter().map(|&(_, n)| u64::from(n)).sum();
    if members == 0 {
        return None;
    }
    let credit: f64 = cast
        .iter()
        .filter_map(|&(p, n)| agreement(answer, Some(p)).map(|s| s * f64::from(n)))
        .sum();
    Some(credit / members as f64)
}

/// One answered card as the scorer takes it: the response, the card and,
/// when the source gave them, member counts per actor.
#[derive(Debug, Clone, Copy)]
pub struct Answered<'a> {
    pub response: Response,
    pub card: &'a Card,
    /// Member counts in manifest actor order; empty (or `None` for an
    /// actor) where not known. Only [`Rule::MemberShare`] reads them.
    pub tallies: &'a [Option<Tally>],
}

impl<'a> Answered<'a> {
    /// An answer to `card`, not marked important, with no member counts.
    pub fn new(response: impl Into<Response>, card: &'a Card) -> Answered<'a> {
        Answered {
            response: response.into(),
            card,
            tallies: &[],
        }
    }

    /// The same answer, marked important or not.
    pub fn important(mut self, important: bool) -> Answered<'a> {
        self.response.important = important;
        self
    }

    /// The same answer with member counts, in manifest actor order.
    pub fn with_tallies(mut self, tallies: &'a [Option<Tally>]) -> Answered<'a> {
        self.tallies = tallies;
        self
    }

    pub fn answer(&self) -> Answer {
        self.response.answer
    }

    pub fn weight(&self) -> f64 {
        self.response.weight()
    }

    /// The member counts of the actor at `actor`, if known.
    pub fn tally(&self, actor: usize) -> Option<&'a Tally> {
        self.tallies.get(actor).and_then(Option::as_ref)
    }

    /// Agreement with the actor at `actor` under `rule`, or `None` when the
    /// card does not count for that actor.
    pub fn agreement(&self, rule: Rule, actor: usize) -> Option<f64> {
        rule.agreement(self.answer(), self.card.position(actor), self.tally(actor))
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
    /// 95% interval for the score, within `0.0..=1.0` and containing it;
    /// `(0.0, 1.0)` when nothing covers the actor. See [`crate::interval`]
    /// for how it is computed and what it means.
    pub interval: (f64, f64),
}

impl ActorScore {
    /// The score in ten-thousandths, rounded (`0.625` is `6250`): lets a
    /// page print it without pulling float formatting into the WASM module.
    pub fn per_ten_thousand(&self) -> Option<u32> {
        self.score.map(per_ten_thousand)
    }

    /// The interval's bounds in ten-thousandths, rounded.
    pub fn interval_per_ten_thousand(&self) -> (u32, u32) {
        (
            per_ten_thousand(self.interval.0),
            per_ten_thousand(self.interval.1),
        )
    }

    /// Whether the two actors' intervals share at least one value.
    pub fn overlaps(&self, other: &ActorScore) -> bool {
        self.interval.0 <= other.interval.1 && other.interval.0 <= self.interval.1
    }
}

fn per_ten_thousand(x: f64) -> u32 {
    (x.clamp(0.0, 1.0) * 10_000.0).round() as u32
}

/// Agreement on one card between the citizen and an actor under the
/// default rule, or `None` when the card does not count for this actor.
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

/// Scores every actor against the answers under the default rule, every
/// card weighing 1, and ranks them, best first. Actors no answered card
/// covers come last, unranked by score. Same as [`score_with`] with
/// [`Rule::Default`] and no card marked important.
pub fn score(actor_count: usize, answered: &[(Answer, &Card)]) -> Vec<ActorScore> {
    let answered: Vec<Answered<'_>> = answered
        .iter()
        .map(|&(answer, card)| Answered::new(answer, card))
        .collect();
    score_with(actor_count, Rule::Default, &answered)
}

/// Scores every actor under `rule`, important cards weighing
/// [`IMPORTANT_WEIGHT`], and ranks them, best first: by score, then by
/// coverage, then by manifest order. Actors with equal scores share a rank;
/// actors no answered card covers come last with `score: None`.
pub fn score_with(actor_count: usize, rule: Rule, answered: &[Answered<'_>]) -> Vec<ActorScore> {
    let mut scores: Vec<ActorScore> = (0..actor_count)
        .map(|actor| score_actor(actor, rule, answered))
        .collect();
    // The order is total (the actor index breaks ties), so an unstable sort is deterministic.
    sort_short_by(&mut scores, |a, b| {
        let by_score = match (a.score, b.score) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
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

fn score_actor(actor: usize, rule: Rule, answered: &[Answered<'_>]) -> ActorScore {
    let mut sum = 0.0;
    let mut weight = 0.0;
    let mut weight_squared = 0.0;
    let mut covered = 0u32;
    for item in answered {
        if let Some(s) = item.agreement(rule, actor) {
            let w = item.weight();
            sum += w * s;
            weight += w;
            weight_squared += w * w;
            covered += 1;
        }
    }
    let score = (covered > 0).then(|| sum / weight);
    let interval = match score {
        Some(mean) => interval::wilson(mean, interval::effective_n(weight, weight_squared)),
        None => interval::UNKNOWN,
    };
    ActorScore {
        actor,
        rank: 0,
        score,
        covered,
        interval,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn answers_are_named_as_serde_names_them_and_read_back() {
        for answer in Answer::ALL {
            assert_eq!(Answer::from_name(answer.name()), Some(answer));
            let json = serde_json::to_string(&answer).unwrap();
            assert_eq!(json, format!("\"{}\"", answer.name()));
        }
        assert_eq!(Answer::from_name("For"), None);
    }
    use crate::date::Date;
    use crate::rng::SplitMix64;

    /// A card whose `votes` are position codes in actor order (`.` for none).
    pub(crate) fn card(votes: &str) -> Card {
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
            summary: None,
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

    fn by_actor(scores: &[ActorScore], actor: usize) -> ActorScore {
        scores.iter().find(|s| s.actor == actor).unwrap().clone()
    }

    const ANSWERS: [Answer; 4] = [Answer::For, Answer::Against, Answer::Abstain, Answer::Skip];
    const POSITIONS: [Option<Position>; 5] = [
        Some(Position::For),
        Some(Position::Against),
        Some(Position::Abstain),
        Some(Position::Absent),
        None,
    ];

    /// The expected agreement of every (answer, position) pair, rows in
    /// [`ANSWERS`] order, columns in [`POSITIONS`] order (-1 for `None`).
    fn table(rule: Rule) -> [[f64; 5]; 4] {
        const N: f64 = -1.0;
        match rule {
            Rule::Default | Rule::MemberShare => [
                [1.0, 0.0, 0.5, N, N],
                [0.0, 1.0, 0.5, N, N],
                [0.5, 0.5, 1.0, N, N],
                [N, N, N, N, N],
            ],
            Rule::ExactMatch => [
                [1.0, 0.0, 0.0, N, N],
                [0.0, 1.0, 0.0, N, N],
                [0.0, 0.0, 1.0, N, N],
                [N, N, N, N, N],
            ],
            Rule::AbstainAsDisagreement => [
                [1.0, 0.0, 0.0, N, N],
                [0.0, 1.0, 0.0, N, N],
                [0.0, 0.0, 0.0, N, N],
                [N, N, N, N, N],
            ],
        }
    }

    #[test]
    fn every_rule_follows_its_table() {
        for rule in Rule::ALL {
            let expected = table(rule);
            for (i, answer) in ANSWERS.into_iter().enumerate() {
                for (j, position) in POSITIONS.into_iter().enumerate() {
                    let want = Some(expected[i][j]).filter(|&x| x >= 0.0);
                    assert_eq!(
                        rule.agreement(answer, position, None),
                        want,
                        "{rule} {answer:?} {position:?}"
                    );
                }
            }
        }
        // The default rule is the historical free function.
        for answer in ANSWERS {
            for position in POSITIONS {
                assert_eq!(
                    Rule::Default.agreement(answer, position, None),
                    agreement(answer, position)
                );
            }
        }
    }

    #[test]
    fn rules_have_names_for_the_command_line() {
        for rule in Rule::ALL {
            assert_eq!(Rule::parse(rule.name()), Ok(rule));
            assert_eq!(rule.name().parse::<Rule>(), Ok(rule));
            assert_eq!(rule.to_string(), rule.name());
            let json = serde_json::to_string(&rule).unwrap();
            assert_eq!(json, format!("\"{}\"", rule.name()));
            assert_eq!(serde_json::from_str::<Rule>(&json).unwrap(), rule);
        }
        let names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
        assert_eq!(
            names,
            ["default", "exact", "abstain-disagree", "member-share"]
        );
        assert_eq!(Rule::default(), Rule::Default);
        let error = Rule::parse("Exact").unwrap_err();
        assert_eq!(error, UnknownRule("Exact".into()));
        assert_eq!(
            error.to_string(),
            "unknown rule `Exact`; the rules are default, exact, abstain-disagree, member-share"
        );
    }

    fn tally(in_favour: u32, against: u32, abstain: u32, absent: u32) -> Tally {
        Tally {
            in_favour,
            against,
            abstain,
            absent,
        }
    }

    #[test]
    fn member_share_counts_members_and_falls_back_to_the_group() {
        let share = |answer, position, t: Option<Tally>| {
            Rule::MemberShare.agreement(answer, position, t.as_ref())
        };
        let group = Some(Position::For);
        // 3 of the 4 members who voted voted for; the 5 absent do not count.
        assert_eq!(
            share(Answer::For, group, Some(tally(3, 1, 0, 5))),
            Some(0.75)
        );
        assert_eq!(
            share(Answer::Against, group, Some(tally(3, 1, 0, 5))),
            Some(0.25)
        );
        // Abstaining members count half against a side, as in the default rule.
        assert_eq!(
            share(Answer::For, group, Some(tally(2, 0, 2, 0))),
            Some(0.75)
        );
        assert_eq!(
            share(Answer::Abstain, group, Some(tally(1, 1, 2, 0))),
            Some(0.75)
        );
        // A group that voted as one gives the default rule's number.
        for answer in ANSWERS {
            for (position, t) in [
                (Position::For, tally(7, 0, 0, 1)),
                (Position::Against, tally(0, 7, 0, 0)),
                (Position::Abstain, tally(0, 0, 7, 2)),
            ] {
                assert_eq!(
                    share(answer, Some(position), Some(t)),
                    agreement(answer, Some(position))
                );
            }
        }
        // No tally, or nobody voting in it: the group position decides.
        assert_eq!(share(Answer::For, Some(Position::Abstain), None), Some(0.5));
        assert_eq!(
            share(Answer::For, group, Some(tally(0, 0, 0, 4))),
            Some(1.0)
        );
        assert_eq!(share(Answer::For, None, Some(tally(0, 0, 0, 4))), None);
        // Skipping leaves the card out whatever the counts.
        assert_eq!(share(Answer::Skip, group, Some(tally(3, 1, 0, 0))), None);
    }

    #[test]
    fn absent_actors_and_skipped_cards_leave_the_denominator() {
        // Actor 0 absent (X) on card 1, actor 1 has no position (.) there.
        let cards = [card("FF"), card("X."), card("AF"), card("FA")];
        let answered = [
            Answered::new(Answer::For, &cards[0]),
            Answered::new(Answer::For, &cards[1]),
            Answered::new(Answer::Against, &cards[2]),
            Answered::new(Answer::Skip, &cards[3]),
        ];
        for rule in Rule::ALL {
            let scores = score_with(2, rule, &answered);
            assert_eq!(by_actor(&scores, 0).score, Some(1.0), "{rule}");
            assert_eq!(by_actor(&scores, 0).covered, 2, "{rule}");
            assert_eq!(by_actor(&scores, 1).score, Some(0.5), "{rule}");
            assert_eq!(by_actor(&scores, 1).covered, 2, "{rule}");
        }
    }

    #[test]
    fn important_cards_count_double() {
        let cards = [card("FA"), card("AF"), card("FN")];
        let answered = [
            Answered::new(Answer::For, &cards[0]).important(true),
            Answered::new(Answer::For, &cards[1]),
            Answered::new(Response::new(Answer::For, false), &cards[2]),
        ];
        let scores = score_with(2, Rule::Default, &answered);
        // Actor 0: (2*1 + 0 + 1) / 4; actor 1: (2*0 + 1 + 0.5) / 4.
        assert_eq!(by_actor(&scores, 0).score, Some(0.75));
        assert_eq!(by_actor(&scores, 1).score, Some(0.375));
        assert_eq!(by_actor(&scores, 0).covered, 3);
        let exact = score_with(2, Rule::ExactMatch, &answered);
        assert_eq!(by_actor(&exact, 1).score, Some(0.25));
        // Marking every card important is the same as marking none.
        let all: Vec<Answered<'_>> = answered.iter().map(|a| a.important(true)).collect();
        let none: Vec<Answered<'_>> = answered.iter().map(|a| a.important(false)).collect();
        let (all, none) = (
            score_with(2, Rule::Default, &all),
            score_with(2, Rule::Default, &none),
        );
        assert_eq!(by_actor(&none, 0).score, Some(2.0 / 3.0));
        for actor in 0..2 {
            assert_eq!(by_actor(&all, actor).score, by_actor(&none, actor).score);
            assert_eq!(
                by_actor(&all, actor).interval,
                by_actor(&none, actor).interval
            );
        }
        assert_eq!(Response::from(Answer::For).weight(), 1.0);
        assert_eq!(Response::new(Answer::For, true).weight(), IMPORTANT_WEIGHT);
    }

    #[test]
    fn member_share_scores_with_tallies_where_known() {
        let cards = [card("FA"), card("AA")];
        // Card 0: actor 0 split 3 for / 1 against; actor 1 unknown.
        // Card 1: no counts at all.
        let counts = [Some(tally(3, 1, 0, 0)), None];
        let answered = [
            Answered::new(Answer::For, &cards[0]).with_tallies(&counts),
            Answered::new(Answer::For, &cards[1]),
        ];
        let shares = score_with(2, Rule::MemberShare, &answered);
        assert_eq!(by_actor(&shares, 0).score, Some(0.375));
        assert_eq!(by_actor(&shares, 1).score, Some(0.0));
        let default = score_with(2, Rule::Default, &answered);
        assert_eq!(by_actor(&default, 0).score, Some(0.5));
        assert_eq!(answered[0].tally(0), counts[0].as_ref());
        assert_eq!(answered[0].tally(1), None);
        assert_eq!(answered[1].tally(0), None);
    }

    /// The historical scorer, kept verbatim as the reference the wrapper must match.
    fn reference(
        actor_count: usize,
        answered: &[(Answer, &Card)],
    ) -> Vec<(usize, usize, Option<f64>, u32)> {
        let mut scores: Vec<(usize, usize, Option<f64>, u32)> = (0..actor_count)
            .map(|actor| {
                let (sum, covered) = answered
                    .iter()
                    .filter_map(|(answer, card)| agreement(*answer, card.position(actor)))
                    .fold((0.0, 0u32), |(sum, n), s| (sum + s, n + 1));
                (
                    actor,
                    0,
                    (covered > 0).then(|| sum / f64::from(covered)),
                    covered,
                )
            })
            .collect();
        scores.sort_by(|a, b| {
            let by_score = match (a.2, b.2) {
                (Some(x), Some(y)) => y.total_cmp(&x),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            by_score
                .then_with(|| b.3.cmp(&a.3))
                .then_with(|| a.0.cmp(&b.0))
        });
        for i in 0..scores.len() {
            scores[i].1 = if i > 0 && scores[i].2 == scores[i - 1].2 {
                scores[i - 1].1
            } else {
                i + 1
            };
        }
        scores
    }

    #[test]
    fn the_default_score_is_unchanged_bit_for_bit() {
        let mut rng = SplitMix64::new(4);
        let codes = ['F', 'A', 'N', 'X', '.'];
        for _ in 0..500 {
            let actors = 1 + rng.below(12) as usize;
            let n = rng.below(15) as usize;
            let cards: Vec<Card> = (0..n)
                .map(|_| {
                    let votes: String = (0..actors).map(|_| codes[rng.below(5) as usize]).collect();
                    card(&votes)
                })
                .collect();
            let answered: Vec<(Answer, &Card)> = cards
                .iter()
                .map(|c| (ANSWERS[rng.below(4) as usize], c))
                .collect();
            let got: Vec<(usize, usize, Option<f64>, u32)> = score(actors, &answered)
                .into_iter()
                .map(|s| (s.actor, s.rank, s.score, s.covered))
                .collect();
            let want = reference(actors, &answered);
            assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(&want) {
                assert_eq!((g.0, g.1, g.3), (w.0, w.1, w.3));
                assert_eq!(g.2.map(f64::to_bits), w.2.map(f64::to_bits));
            }
        }
    }

    #[test]
    fn every_score_carries_an_interval_that_contains_it() {
        let cards: Vec<Card> = ["FAN", "FAN", "AFN", "FA.", "NAX"].map(card).to_vec();
        let answered: Vec<Answered<'_>> = cards
            .iter()
            .zip([
                Answer::For,
                Answer::Against,
                Answer::For,
                Answer::Abstain,
                Answer::For,
            ])
            .map(|(c, a)| Answered::new(a, c))
            .collect();
        for rule in Rule::ALL {
            for s in score_with(4, rule, &answered) {
                let (low, high) = s.interval;
                assert!(0.0 <= low && low <= high && high <= 1.0, "{s:?}");
                match s.score {
                    Some(p) => assert!(low <= p && p <= high && high - low < 1.0, "{s:?}"),
                    None => assert_eq!(s.interval, interval::UNKNOWN),
                }
            }
        }
        let scores = score_with(4, Rule::Default, &answered);
        let first = by_actor(&scores, 0);
        assert_eq!(first.interval, interval::wilson(first.score.unwrap(), 5.0));
    }

    #[test]
    fn intervals_narrow_with_more_cards() {
        let cards: Vec<Card> = (0..40)
            .map(|i| card(if i % 4 == 0 { "A" } else { "F" }))
            .collect();
        let width = |n: usize| {
            let answered: Vec<Answered<'_>> = cards[..n]
                .iter()
                .map(|c| Answered::new(Answer::For, c))
                .collect();
            let s = by_actor(&score_with(1, Rule::Default, &answered), 0);
            assert_eq!(s.score, Some(0.75));
            s.interval.1 - s.interval.0
        };
        assert!(width(4) > width(8));
        assert!(width(8) > width(20));
        assert!(width(20) > width(40));
    }

    #[test]
    fn important_cards_use_the_effective_number_of_cards() {
        let cards = [card("F"), card("A"), card("F")];
        let answered = [
            Answered::new(Answer::For, &cards[0]).important(true),
            Answered::new(Answer::For, &cards[1]),
            Answered::new(Answer::For, &cards[2]),
        ];
        let s = by_actor(&score_with(1, Rule::Default, &answered), 0);
        assert_eq!(s.score, Some(0.75));
        // Weights 2, 1, 1: (2 + 1 + 1)^2 / (4 + 1 + 1) effective cards.
        assert_eq!(s.interval, interval::wilson(0.75, 16.0 / 6.0));
        let (low, high) = s.interval_per_ten_thousand();
        assert!(low < 7500 && 7500 < high);
    }
}
