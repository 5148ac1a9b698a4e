//! The data model every source is normalised into.
//!
//! A [`Proposal`] is one parliamentary initiative with every vote it went
//! through; the quiz asks about one of them, its decisive vote. Actors are
//! kept as plain ids (the column or group code a source uses) so that any
//! parliament's parties fit without code changes.

use crate::date::Date;
use crate::ids::compare_ids;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How an actor voted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Position {
    For,
    Against,
    Abstain,
    Absent,
    /// A group with no common line: as many of its members on one side
    /// as on another. It counts, as absent does, for no one's score under
    /// the default rules; pages show it as split.
    Split,
}

impl Position {
    /// One-letter code used in the compact bundle (`F`, `A`, `N`, `X`, `D`).
    pub fn code(self) -> char {
        match self {
            Position::For => 'F',
            Position::Against => 'A',
            Position::Abstain => 'N',
            Position::Absent => 'X',
            Position::Split => 'D',
        }
    }

    /// Inverse of [`Position::code`].
    pub fn from_code(code: char) -> Option<Position> {
        match code {
            'F' => Some(Position::For),
            'A' => Some(Position::Against),
            'N' => Some(Position::Abstain),
            'X' => Some(Position::Absent),
            'D' => Some(Position::Split),
            _ => None,
        }
    }

    /// Whether this position takes a side (for, against or abstain).
    pub fn is_cast(self) -> bool {
        matches!(self, Position::For | Position::Against | Position::Abstain)
    }
}

/// The outcome of a vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Approved,
    Rejected,
}

/// A party group or a member who sits alone (non-attached).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Actor {
    /// The id the sources use, e.g. `PS` or `Joacine Katar Moreira (Ninsc)`.
    pub id: String,
    /// The name shown to people, e.g. `PS` or `Joacine Katar Moreira`.
    pub name: String,
    pub kind: ActorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActorKind {
    Party,
    NonAttached,
}

/// The role a vote plays in the life of an initiative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PhaseKind {
    /// The final overall vote on the text ("votação final global").
    FinalGlobal,
    /// The vote on the general principle ("votação na generalidade").
    General,
    /// The single vote on a resolution or deliberation.
    Deliberation,
    /// Anything else: detailed votes, procedural requests, ...
    Other,
}

impl PhaseKind {
    /// Classifies a phase label of the Portuguese Parliament.
    pub fn from_ar_label(label: &str) -> PhaseKind {
        match label.trim() {
            "Votação final global" | "Votação global" => PhaseKind::FinalGlobal,
            "Votação na generalidade" => PhaseKind::General,
            "Votação Deliberação" => PhaseKind::Deliberation,
            _ => PhaseKind::Other,
        }
    }

    /// Rank when choosing the decisive vote; lower wins, `None` never decides.
    fn decisive_rank(self) -> Option<u8> {
        match self {
            PhaseKind::FinalGlobal => Some(0),
            PhaseKind::General => Some(1),
            PhaseKind::Deliberation => Some(2),
            PhaseKind::Other => None,
        }
    }
}

/// One vote on an initiative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vote {
    pub id: String,
    /// The phase as the source names it.
    pub phase: String,
    pub phase_kind: PhaseKind,
    pub date: Date,
    pub result: Option<Outcome>,
    pub unanimous: bool,
    /// What exactly was voted when it was not the whole text (an amendment, an article, ...).
    pub description: String,
    /// Where the vote took place; only plenary votes feed the quiz.
    #[serde(default)]
    pub venue: Venue,
    /// Per actor id, how they voted; actors with no recorded position are missing.
    /// For a group whose members split, the position most of them took.
    pub positions: BTreeMap<String, Position>,
    /// Per actor id, member counts, when the source gives them (`77-PSD`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub counts: BTreeMap<String, Tally>,
    /// Members the source names one by one (`Nome (PS)`), usually those who
    /// broke with their group.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<MemberVote>,
    /// The whole vote's totals (members for, against, abstaining), when
    /// the source gives them; `absent` is 0 unless it counts absences.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totals: Option<Tally>,
}

/// Where a vote took place.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Venue {
    /// The whole chamber.
    #[default]
    Plenary,
    /// A committee, by name when the source gives it.
    Committee(Option<String>),
}

/// How many members of a group took each position.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    #[serde(rename = "for")]
    pub in_favour: u32,
    pub against: u32,
    pub abstain: u32,
    pub absent: u32,
}

impl Tally {
    /// Adds `members` to the count of `position`.
    pub fn add(&mut self, position: Position, members: u32) {
        let slot = match position {
            Position::For => &mut self.in_favour,
            Position::Against => &mut self.against,
            Position::Abstain => &mut self.abstain,
            Position::Absent | Position::Split => &mut self.absent,
        };
        *slot = slot.saturating_add(members);
    }

    /// The group's common line: the side most of its voting members took;
    /// [`Position::Split`] when two sides have as many members and none
    /// has more; [`Position::Absent`] when members were counted but none
    /// voted; `None` when nobody was counted.
    pub fn common_line(&self) -> Option<Position> {
        let cast = [
            (Position::For, self.in_favour),
            (Position::Against, self.against),
            (Position::Abstain, self.abstain),
        ];
        let most = cast.iter().map(|&(_, n)| n).max().unwrap_or(0);
        if most == 0 {
            return (self.absent > 0).then_some(Position::Absent);
        }
        let mut top = cast.iter().filter(|&&(_, n)| n == most);
        let first = top.next().map(|&(p, _)| p);
        if top.next().is_some() {
            Some(Position::Split)
        } else {
            first
        }
    }

    /// The position most members took (ties go to the first of For,
    /// Against, Abstain, Absent); `None` when nobody was counted.
    pub fn majority(&self) -> Option<Position> {
        [
            (Position::For, self.in_favour),
            (Position::Against, self.against),
            (Position::Abstain, self.abstain),
            (Position::Absent, self.absent),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .fold(None, |best: Option<(Position, u32)>, (p, n)| match best {
            Some((_, m)) if m >= n => best,
            _ => Some((p, n)),
        })
        .map(|(p, _)| p)
    }
}

/// One member's vote, as named by the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberVote {
    pub name: String,
    /// The actor the member belongs to (`PS`), or the non-attached marker the source uses.
    pub actor: String,
    pub position: Position,
}

impl Vote {
    /// A plenary vote on the whole text with nothing recorded yet: no
    /// result, no positions, no totals. Adapters and tests fill in what they know.
    pub fn new(
        id: impl Into<String>,
        phase: impl Into<String>,
        phase_kind: PhaseKind,
        date: Date,
    ) -> Vote {
        Vote {
            id: id.into(),
            phase: phase.into(),
            phase_kind,
            date,
            result: None,
            unanimous: false,
            description: String::new(),
            venue: Venue::Plenary,
            positions: BTreeMap::new(),
            counts: BTreeMap::new(),
            totals: None,
            members: Vec::new(),
        }
    }

    /// How much the actors split, from 0 (all took the same side) to 1
    /// (evenly spread over for, against and abstain): the Shannon entropy
    /// of their positions over its maximum. The quiz prefers informative
    /// votes, on which the answer tells parties apart.
    pub fn informativeness(&self) -> f64 {
        let mut counts = [0u32; 3];
        for position in self.positions.values() {
            match position {
                Position::For => counts[0] += 1,
                Position::Against => counts[1] += 1,
                Position::Abstain => counts[2] += 1,
                Position::Absent | Position::Split => {}
            }
        }
        let total: u32 = counts.iter().sum();
        if total == 0 {
            return 0.0;
        }
        let entropy: f64 = counts
            .iter()
            .filter(|&&n| n > 0)
            .map(|&n| {
                let p = f64::from(n) / f64::from(total);
                -p * p.log2()
            })
            .sum();
        entropy / 3f64.log2()
    }

    /// Whether the actors who took a side did not all take the same one.
    pub fn is_contested(&self) -> bool {
        let mut cast = self.positions.values().filter(|p| p.is_cast());
        match cast.next() {
            Some(first) => !self.unanimous && cast.any(|p| p != first),
            None => false,
        }
    }
}

/// Who proposed an initiative, relative to the government of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProposerKind {
    Government,
    GovernmentParty,
    Opposition,
    Other,
}

/// One initiative and every vote it went through.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    /// Stable id of the initiative (the AR's `iniId`).
    pub id: String,
    /// Legislature, as a roman numeral for the AR (`XIV`).
    pub legislature: String,
    /// Number within the legislature.
    pub number: String,
    /// Kind of initiative ("Projeto de Lei", ...).
    pub kind: String,
    pub title: String,
    pub authors: Vec<String>,
    /// Committee that handled it, when known.
    pub committee: Option<String>,
    pub link: Option<String>,
    /// Topics, most specific first (filled by the enrich stage).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
    /// Who proposed it relative to the government of the day (filled by the enrich stage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposer: Option<ProposerKind>,
    /// Votes in chronological order.
    pub votes: Vec<Vote>,
}

impl Proposal {
    /// An initiative with only its id, legislature, kind and title known:
    /// no number, authors, committee, link, topics, proposer or votes yet.
    /// Adapters and tests fill in what they know.
    pub fn new(
        id: impl Into<String>,
        legislature: impl Into<String>,
        kind: impl Into<String>,
        title: impl Into<String>,
    ) -> Proposal {
        Proposal {
            id: id.into(),
            legislature: legislature.into(),
            number: String::new(),
            kind: kind.into(),
            title: title.into(),
            authors: Vec::new(),
            committee: None,
            link: None,
            topics: Vec::new(),
            proposer: None,
            votes: Vec::new(),
        }
    }

    /// The vote the quiz asks about, among plenary votes: the final global vote if any, else the
    /// vote on the general principle, else the deliberation vote. Within a
    /// phase, a vote on the whole text beats one on a part of it (an
    /// amendment carries a description), then the latest vote wins.
    pub fn decisive_vote(&self) -> Option<&Vote> {
        self.votes
            .iter()
            .filter(|vote| vote.venue == Venue::Plenary)
            .filter_map(|vote| vote.phase_kind.decisive_rank().map(|rank| (rank, vote)))
            .min_by(|(rank_a, a), (rank_b, b)| {
                rank_a
                    .cmp(rank_b)
                    .then_with(|| {
                        a.description
                            .is_empty()
                            .cmp(&b.description.is_empty())
                            .reverse()
                    })
                    .then_with(|| b.date.cmp(&a.date))
                    .then_with(|| compare_ids(&b.id, &a.id))
            })
            .map(|(_, vote)| vote)
    }

    /// The date the proposal is best known by: that of its decisive vote,
    /// else its last vote.
    pub fn date(&self) -> Option<Date> {
        self.decisive_vote()
            .or_else(|| self.votes.last())
            .map(|vote| vote.date)
    }

    /// Whether the quiz can ask about it: its decisive vote was on the
    /// whole text (the card asks about the whole initiative, so a vote on
    /// one part of it — an amendment, "Ponto 3" — cannot stand for it) and
    /// split the chamber.
    pub fn is_quiz_eligible(&self) -> bool {
        self.decisive_vote()
            .is_some_and(|vote| vote.description.is_empty() && vote.is_contested())
    }

    /// Puts the votes in chronological order (ties by vote id, in natural
    /// order: "2" before "10") and drops a vote that appears twice under
    /// the same id.
    pub fn sort_votes(&mut self) {
        self.votes
            .sort_by(|a, b| a.date.cmp(&b.date).then_with(|| compare_ids(&a.id, &b.id)));
        self.votes.dedup_by(|a, b| a.id == b.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vote(id: &str, phase: &str, date: &str, description: &str) -> Vote {
        Vote {
            result: Some(Outcome::Approved),
            description: description.into(),
            ..Vote::new(
                id,
                phase,
                PhaseKind::from_ar_label(phase),
                Date::parse_iso(date).unwrap(),
            )
        }
    }

    fn proposal(votes: Vec<Vote>) -> Proposal {
        Proposal {
            number: "1".into(),
            votes,
            ..Proposal::new("1", "XIV", "Projeto de Lei", "t")
        }
    }

    #[test]
    fn final_global_vote_beats_general_and_detailed_votes() {
        let p = proposal(vec![
            vote("1", "Votação na generalidade", "2020-01-01", ""),
            vote("2", "Votação na especialidade", "2020-02-01", ""),
            vote("3", "Votação final global", "2020-03-01", ""),
            vote("4", "Requerimento avocação plenário", "2020-04-01", ""),
        ]);
        assert_eq!(p.decisive_vote().unwrap().id, "3");
    }

    #[test]
    fn general_vote_decides_when_there_is_no_final_vote() {
        let p = proposal(vec![
            vote(
                "1",
                "Baixa comissão distribuição inicial generalidade",
                "2020-01-01",
                "",
            ),
            vote("2", "Votação na generalidade", "2020-02-01", ""),
            vote("3", "Votação Deliberação", "2020-03-01", ""),
        ]);
        assert_eq!(p.decisive_vote().unwrap().id, "2");
    }

    #[test]
    fn whole_text_beats_amendment_then_latest_wins() {
        let p = proposal(vec![
            vote(
                "9",
                "Votação Deliberação",
                "2020-01-05",
                "Proposta de alteração",
            ),
            vote("7", "Votação Deliberação", "2020-01-01", ""),
            vote("8", "Votação Deliberação", "2020-01-01", ""),
        ]);
        assert_eq!(p.decisive_vote().unwrap().id, "8");
        let p = proposal(vec![vote("10", "Votação Deliberação", "2020-01-01", "x")]);
        assert_eq!(p.decisive_vote().unwrap().id, "10");
    }

    #[test]
    fn no_decisive_vote_without_a_deciding_phase() {
        let p = proposal(vec![vote(
            "1",
            "Votação na especialidade",
            "2020-01-01",
            "",
        )]);
        assert!(p.decisive_vote().is_none());
        assert!(!p.is_quiz_eligible());
        assert_eq!(p.date(), Date::parse_iso("2020-01-01"));
    }

    #[test]
    fn quiz_asks_only_about_a_decisive_vote_on_the_whole_text() {
        let contested = |id: &str, date: &str, description: &str| {
            let mut v = vote(id, "Votação Deliberação", date, description);
            v.positions.insert("PS".into(), Position::For);
            v.positions.insert("PSD".into(), Position::Against);
            v
        };
        let p = proposal(vec![contested("1", "2020-01-01", "")]);
        assert!(p.is_quiz_eligible());
        // Only parts of the text were voted: the decisive vote is one of
        // them, but the card would ask about the whole initiative.
        let p = proposal(vec![contested("2", "2020-01-01", "Ponto 3")]);
        assert_eq!(p.decisive_vote().unwrap().id, "2");
        assert!(!p.is_quiz_eligible());
        // A vote on the whole text, even an older one, decides and is asked.
        let p = proposal(vec![
            contested("3", "2020-01-01", ""),
            contested("4", "2020-02-01", "Ponto 1"),
        ]);
        assert_eq!(p.decisive_vote().unwrap().id, "3");
        assert!(p.is_quiz_eligible());
    }

    #[test]
    fn contested_needs_two_different_sides() {
        let mut v = vote("1", "Votação na generalidade", "2020-01-01", "");
        assert!(!v.is_contested(), "no positions at all");
        v.positions.insert("PS".into(), Position::For);
        v.positions.insert("PSD".into(), Position::Absent);
        assert!(!v.is_contested(), "absence is not a side");
        v.positions.insert("BE".into(), Position::Abstain);
        assert!(v.is_contested());
        v.unanimous = true;
        assert!(!v.is_contested(), "the source's unanimity flag wins");
    }

    #[test]
    fn informativeness_grows_with_the_split() {
        let mut v = vote("1", "Votação na generalidade", "2020-01-01", "");
        assert_eq!(v.informativeness(), 0.0);
        v.positions.insert("A".into(), Position::For);
        v.positions.insert("B".into(), Position::For);
        assert_eq!(v.informativeness(), 0.0, "everyone agrees");
        v.positions.insert("C".into(), Position::Against);
        let two_to_one = v.informativeness();
        v.positions.insert("D".into(), Position::Against);
        let even = v.informativeness();
        assert!(0.0 < two_to_one && two_to_one < even, "{two_to_one} {even}");
        v.positions.insert("E".into(), Position::Abstain);
        v.positions.insert("F".into(), Position::Abstain);
        assert!((v.informativeness() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn committee_votes_never_decide() {
        let mut committee = vote("2", "Votação final global", "2020-02-01", "");
        committee.venue = Venue::Committee(Some("Comissão de Saúde".into()));
        let p = proposal(vec![
            vote("1", "Votação na generalidade", "2020-01-01", ""),
            committee,
        ]);
        assert_eq!(p.decisive_vote().unwrap().id, "1");
    }

    #[test]
    fn tally_majority_and_ties() {
        let mut tally = Tally::default();
        assert_eq!(tally.majority(), None);
        tally.add(Position::Abstain, 1);
        tally.add(Position::For, 77);
        assert_eq!(tally.majority(), Some(Position::For));
        tally.add(Position::Against, 77);
        assert_eq!(
            tally.majority(),
            Some(Position::For),
            "a tie goes to the first"
        );
    }

    #[test]
    fn votes_of_one_day_sort_by_id_in_natural_order() {
        let mut p = proposal(
            ["10", "2", "A/10", "A/9", "2", "1"]
                .iter()
                .map(|id| vote(id, "Votação na especialidade", "2020-01-01", ""))
                .collect(),
        );
        p.votes
            .push(vote("0", "Votação na especialidade", "2020-01-02", ""));
        p.sort_votes();
        let ids: Vec<&str> = p.votes.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(
            ids,
            ["1", "2", "10", "A/9", "A/10", "0"],
            "date first, twice once"
        );
    }

    #[test]
    fn totals_are_left_out_of_the_json_when_unknown() {
        let mut v = vote("1", "Votação na generalidade", "2020-01-01", "");
        let json = serde_json::to_string(&v).unwrap();
        assert!(!json.contains("totals"), "{json}");
        assert_eq!(serde_json::from_str::<Vote>(&json).unwrap(), v);
        v.totals = Some(Tally {
            in_favour: 320,
            against: 200,
            abstain: 40,
            absent: 0,
        });
        let json = serde_json::to_string(&v).unwrap();
        assert!(
            json.contains(r#""totals":{"for":320,"against":200,"abstain":40,"absent":0}"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Vote>(&json).unwrap(), v);
    }

    #[test]
    fn position_codes_round_trip() {
        for p in [
            Position::For,
            Position::Against,
            Position::Abstain,
            Position::Absent,
            Position::Split,
        ] {
            assert_eq!(Position::from_code(p.code()), Some(p));
        }
        assert_eq!(Position::from_code('.'), None);
    }

    #[test]
    fn a_common_line_is_the_side_most_voting_members_took() {
        let tally = |in_favour, against, abstain, absent| Tally {
            in_favour,
            against,
            abstain,
            absent,
        };
        assert_eq!(tally(3, 1, 0, 5).common_line(), Some(Position::For));
        assert_eq!(tally(0, 1, 2, 0).common_line(), Some(Position::Abstain));
        assert_eq!(tally(2, 2, 1, 0).common_line(), Some(Position::Split));
        assert_eq!(tally(1, 0, 1, 0).common_line(), Some(Position::Split));
        assert_eq!(tally(0, 0, 0, 4).common_line(), Some(Position::Absent));
        assert_eq!(tally(0, 0, 0, 0).common_line(), None);
        assert!(!Position::Split.is_cast());
    }
}
