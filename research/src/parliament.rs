//! The synthetic parliament the simulated citizens answer on.
//!
//! Shaped like the Portuguese one, with made-up parties ([`PARTIES`]):
//! eleven actors over two legislatures, two large parties, blocs that
//! often vote together, small parties often absent, one regional member
//! who sits only in the second legislature and a non-attached member only
//! in the first. Each party has an ideal point on two axes (economic,
//! social). Each proposal has an author and a random direction on that
//! plane; the author votes for it, and every other party compares its
//! projection on the direction with the proposal's cut point (placed just
//! below the author's), plus noise of its own: clearly above, for;
//! clearly below, against; in between, abstain. About 15% of proposals
//! come from the government and 15% from the governing party; the rest
//! from the opposition. Unanimous proposals are marked ineligible, as the
//! real pipeline does.
//!
//! Everything is integer or basic IEEE arithmetic (no `ln`, no `cos`):
//! normal deviates are Irwin–Hall sums of twelve uniforms, so a parliament
//! is the same on every platform.

use hemiciclo_core::bundle::Card;
use hemiciclo_core::date::Date;
use hemiciclo_core::model::{PhaseKind, Position, ProposerKind, Venue, Vote};
use hemiciclo_core::rng::SplitMix64;
use hemiciclo_core::sampler::{candidates, CardMeta, Filters};
use std::collections::BTreeMap;

/// One party of the synthetic parliament.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PartyShape {
    pub id: &'static str,
    /// What it is modelled on, in a few words.
    pub shape: &'static str,
    /// Ideal point: (economic left–right, social liberal–conservative... as
    /// a plane, the sign conventions do not matter).
    pub ideal: [f64; 2],
    /// Standard deviation of its own noise on each vote: lower is more
    /// predictable from its ideal point.
    pub noise: f64,
    /// Chance of being absent from a vote in a legislature where it sits.
    pub absence: f64,
    /// Legislatures it sits in, as indices into [`LEGISLATURES`].
    pub sits: &'static [usize],
}

/// The legislatures: name, number of proposals, first year.
pub const LEGISLATURES: [(&str, u32, u16); 2] = [("XIV", 900, 2019), ("XV", 600, 2022)];

/// The party that governs in both legislatures (index into [`PARTIES`]).
pub const GOVERNING: usize = 0;

/// Share of proposals from the government, then from the governing party.
const GOVERNMENT_PROPOSALS: f64 = 0.15;
const GOVERNING_PARTY_PROPOSALS: f64 = 0.15;

/// Half-width of the band of utilities in which a party abstains.
const ABSTAIN_BAND: f64 = 0.12;

const BOTH: &[usize] = &[0, 1];
const FIRST: &[usize] = &[0];
const SECOND: &[usize] = &[1];

/// The synthetic parties.
pub const PARTIES: [PartyShape; 11] = [
    PartyShape {
        id: "CL",
        shape: "large centre-left, governs",
        ideal: [-0.30, 0.25],
        noise: 0.10,
        absence: 0.01,
        sits: BOTH,
    },
    PartyShape {
        id: "CR",
        shape: "large centre-right",
        ideal: [0.30, 0.00],
        noise: 0.10,
        absence: 0.01,
        sits: BOTH,
    },
    PartyShape {
        id: "RR",
        shape: "radical right, mid-size",
        ideal: [0.50, -0.85],
        noise: 0.12,
        absence: 0.03,
        sits: BOTH,
    },
    PartyShape {
        id: "LIB",
        shape: "liberal right, small",
        ideal: [0.85, 0.45],
        noise: 0.12,
        absence: 0.04,
        sits: BOTH,
    },
    PartyShape {
        id: "CON",
        shape: "Christian democrat, small, 1st legislature only",
        ideal: [0.45, -0.45],
        noise: 0.15,
        absence: 0.12,
        sits: FIRST,
    },
    PartyShape {
        id: "LL",
        shape: "left bloc, small",
        ideal: [-0.75, 0.55],
        noise: 0.12,
        absence: 0.03,
        sits: BOTH,
    },
    PartyShape {
        id: "COM",
        shape: "communist, small",
        ideal: [-0.85, -0.15],
        noise: 0.12,
        absence: 0.03,
        sits: BOTH,
    },
    PartyShape {
        id: "ECO",
        shape: "green left, 1-4 seats",
        ideal: [-0.55, 0.75],
        noise: 0.15,
        absence: 0.10,
        sits: BOTH,
    },
    PartyShape {
        id: "ANI",
        shape: "animals & nature, 1-4 seats",
        ideal: [-0.25, 0.75],
        noise: 0.15,
        absence: 0.12,
        sits: BOTH,
    },
    PartyShape {
        id: "REG",
        shape: "regional, 1 seat, 2nd legislature only",
        ideal: [0.05, -0.05],
        noise: 0.35,
        absence: 0.25,
        sits: SECOND,
    },
    PartyShape {
        id: "NI",
        shape: "non-attached member, 1st legislature only",
        ideal: [-0.45, 0.55],
        noise: 0.25,
        absence: 0.45,
        sits: FIRST,
    },
];

/// Topics, one per eighth of the plane of directions.
const TOPICS: [&str; 8] = [
    "economy",
    "labour",
    "health",
    "education",
    "environment",
    "justice",
    "housing",
    "defence",
];

/// A synthetic parliament: cards (with their votes) and their metadata,
/// `cards[i]` and `metas[i]` both card number `i`.
#[derive(Debug, Clone, PartialEq)]
pub struct Parliament {
    pub parties: &'static [PartyShape],
    pub metas: Vec<CardMeta>,
    pub cards: Vec<Card>,
}

/// A uniform number in `0..1` with 53 random bits.
pub fn uniform(rng: &mut SplitMix64) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// An approximately standard normal number (Irwin–Hall: twelve uniforms
/// less six), with basic arithmetic only.
pub fn normal(rng: &mut SplitMix64) -> f64 {
    (0..12).map(|_| uniform(rng)).sum::<f64>() - 6.0
}

/// Builds the synthetic parliament drawn from `seed`.
pub fn synthetic_parliament(seed: u64) -> Parliament {
    let mut rng = SplitMix64::new(seed);
    let mut metas = Vec::new();
    let mut cards = Vec::new();
    for (legislature, &(name, count, first_year)) in LEGISLATURES.iter().enumerate() {
        let sitting: Vec<usize> = (0..PARTIES.len())
            .filter(|&p| PARTIES[p].sits.contains(&legislature))
            .collect();
        let opposition: Vec<usize> = sitting
            .iter()
            .copied()
            .filter(|&p| p != GOVERNING)
            .collect();
        for k in 0..count {
            let index = u32::try_from(cards.len()).unwrap_or(u32::MAX);
            let roll = uniform(&mut rng);
            let (proposer, author) = if roll < GOVERNMENT_PROPOSALS {
                (ProposerKind::Government, GOVERNING)
            } else if roll < GOVERNMENT_PROPOSALS + GOVERNING_PARTY_PROPOSALS {
                (ProposerKind::GovernmentParty, GOVERNING)
            } else {
                let pick = rng.below(opposition.len() as u64) as usize;
                (ProposerKind::Opposition, opposition[pick])
            };
            let direction = direction(&mut rng);
            let margin = 0.1 + 0.3 * normal(&mut rng).abs();
            let cut = dot(PARTIES[author].ideal, direction) - margin;
            let mut positions: Vec<Option<Position>> = vec![None; PARTIES.len()];
            for &p in &sitting {
                let party = &PARTIES[p];
                let utility = dot(party.ideal, direction) - cut + party.noise * normal(&mut rng);
                let absent = uniform(&mut rng) < party.absence;
                positions[p] = Some(if absent {
                    Position::Absent
                } else if p == author || utility > ABSTAIN_BAND {
                    Position::For
                } else if utility < -ABSTAIN_BAND {
                    Position::Against
                } else {
                    Position::Abstain
                });
            }
            let date = date_in(first_year, k, count);
            let vote = Vote {
                id: format!("v{index}"),
                phase: "Votação na generalidade".into(),
                phase_kind: PhaseKind::General,
                date,
                result: None,
                unanimous: false,
                description: String::new(),
                venue: Venue::Plenary,
                positions: PARTIES
                    .iter()
                    .zip(&positions)
                    .filter_map(|(party, p)| p.map(|p| (party.id.to_string(), p)))
                    .collect::<BTreeMap<_, _>>(),
                counts: BTreeMap::new(),
                totals: None,
                members: Vec::new(),
            };
            metas.push(CardMeta {
                index,
                legislature: name.into(),
                topics: vec![topic(direction).into()],
                date: Some(date),
                proposer: Some(proposer),
                informativeness: vote.informativeness(),
                eligible: vote.is_contested(),
                complete: true,
            });
            cards.push(Card {
                id: format!("s{index}"),
                title: String::new(),
                kind: "synthetic".into(),
                legislature: name.into(),
                date,
                phase: vote.phase.clone(),
                result: None,
                page: String::new(),
                votes: Card::pack_votes(positions),
                summary: None,
            });
        }
    }
    Parliament {
        parties: &PARTIES,
        metas,
        cards,
    }
}

fn dot(a: [f64; 2], b: [f64; 2]) -> f64 {
    a[0] * b[0] + a[1] * b[1]
}

/// A random unit vector (a normalised pair of normal numbers).
fn direction(rng: &mut SplitMix64) -> [f64; 2] {
    loop {
        let (x, y) = (normal(rng), normal(rng));
        let length = (x * x + y * y).sqrt();
        if length > 1e-6 {
            return [x / length, y / length];
        }
    }
}

/// The topic of a direction: its octant of the plane.
fn topic(direction: [f64; 2]) -> &'static str {
    let [x, y] = direction;
    let octant =
        usize::from(x < 0.0) * 4 + usize::from(y < 0.0) * 2 + usize::from(x.abs() < y.abs());
    TOPICS[octant]
}

/// The date of proposal `k` of `count` in a legislature of four years
/// from October of `first_year`, days 1 to 28.
fn date_in(first_year: u16, k: u32, count: u32) -> Date {
    let months = 9 + 44 * k / count.max(1);
    let year = first_year + u16::try_from(months / 12).unwrap_or(0);
    let month = u8::try_from(months % 12 + 1).unwrap_or(1);
    let day = u8::try_from(k % 28 + 1).unwrap_or(1);
    Date::new(year, month, day).unwrap_or_else(|| unreachable!("day 1-28 of a month"))
}

/// How often two parties took the same position, over the cards where both
/// took one (absences aside); `None` when they never met.
pub fn agreement_rate(parliament: &Parliament, a: usize, b: usize) -> Option<f64> {
    let (mut same, mut met) = (0u32, 0u32);
    for card in &parliament.cards {
        let (x, y) = (card.position(a), card.position(b));
        if let (Some(x), Some(y)) = (x.filter(|p| p.is_cast()), y.filter(|p| p.is_cast())) {
            met += 1;
            same += u32::from(x == y);
        }
    }
    (met > 0).then(|| f64::from(same) / f64::from(met))
}

/// Share of eligible cards on which the party has no position (absent or
/// not sitting): the cards its citizens skip.
pub fn missing_rate(parliament: &Parliament, party: usize) -> f64 {
    let eligible: Vec<&CardMeta> = candidates(&parliament.metas, &Filters::default());
    let missing = eligible
        .iter()
        .filter(|m| {
            parliament.cards[m.index as usize]
                .position(party)
                .is_none_or(|p| !p.is_cast())
        })
        .count();
    missing as f64 / eligible.len().max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use hemiciclo_core::sampler::Stratum;

    #[test]
    fn the_parliament_is_reproducible_and_shaped_like_a_real_one() {
        let parliament = synthetic_parliament(1);
        assert_eq!(parliament, synthetic_parliament(1));
        assert_ne!(parliament.cards, synthetic_parliament(2).cards);
        let total: u32 = LEGISLATURES.iter().map(|l| l.1).sum();
        assert_eq!(parliament.cards.len(), total as usize);
        for (i, (meta, card)) in parliament.metas.iter().zip(&parliament.cards).enumerate() {
            assert_eq!(meta.index as usize, i);
            assert_eq!(card.votes.len(), PARTIES.len());
            assert_eq!(meta.legislature, card.legislature);
        }
        // Most proposals split the chamber; about 15% come from the government.
        let eligible = candidates(&parliament.metas, &Filters::default());
        let share = eligible.len() as f64 / parliament.cards.len() as f64;
        assert!((0.7..0.99).contains(&share), "{share}");
        let government = parliament
            .metas
            .iter()
            .filter(|m| m.stratum() == Stratum::Government)
            .count() as f64
            / parliament.cards.len() as f64;
        assert!((0.11..0.19).contains(&government), "{government}");
        // Blocs: the left parties agree more with each other than with the right.
        let rate = |a: &str, b: &str| {
            let index = |id: &str| PARTIES.iter().position(|p| p.id == id).unwrap();
            agreement_rate(&parliament, index(a), index(b)).unwrap()
        };
        assert!(rate("LL", "COM") > rate("LL", "RR") + 0.2);
        assert!(rate("CR", "LIB") > rate("CR", "COM"));
        // The governing party votes for its government's proposals.
        for (meta, card) in parliament.metas.iter().zip(&parliament.cards) {
            if meta.stratum() == Stratum::Government {
                assert!(matches!(
                    card.position(GOVERNING),
                    Some(Position::For | Position::Absent)
                ));
            }
        }
        // Parties that sit in one legislature only have no position in the other.
        let regional = PARTIES.iter().position(|p| p.id == "REG").unwrap();
        assert!(missing_rate(&parliament, regional) > 0.5);
        assert!(missing_rate(&parliament, GOVERNING) < 0.05);
        assert_eq!(agreement_rate(&parliament, regional, regional + 1), None);
    }

    #[test]
    fn normal_numbers_look_normal() {
        let mut rng = SplitMix64::new(11);
        let xs: Vec<f64> = (0..20_000).map(|_| normal(&mut rng)).collect();
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / xs.len() as f64;
        assert!(
            mean.abs() < 0.03 && (var - 1.0).abs() < 0.05,
            "{mean} {var}"
        );
        assert!((0..1000).all(|_| (0.0..1.0).contains(&uniform(&mut rng))));
    }
}
