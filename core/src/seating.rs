//! Who the quiz compares: the parties seated in a legislature, and which
//! of them vote alike.
//!
//! A deck that mixes legislatures would rank a party that sat only in an
//! older one on the handful of its cards, and could put it above the
//! parties a citizen can vote for today. So a quiz compares the actors
//! *seated* in the latest legislature its cards come from, and shows the
//! others apart. The rule, written here once for the page, the command
//! line and the methodology text:
//!
//! * **Seated.** An actor is seated in a legislature when it cast a
//!   position (for, against or abstain) on at least [`SEATED_FROM`] (half)
//!   of that legislature's quiz cards. A party elected mid-term or a member
//!   who left their group early falls below and is shown apart.
//! * **Votes they all took part in.** A card is *complete* when every
//!   actor seated in its legislature cast a position on it. Drawn decks ask
//!   complete cards only, so every compared party is scored on the same
//!   cards and no one leads on fewer of them.
//! * **Voting alike.** Two seated actors vote alike when they cast the same
//!   position on at least [`ALIKE_FROM`] (90%) of the legislature's quiz
//!   cards on which both cast one. The quiz then reports them together
//!   when the citizen's answers cannot tell them apart: that is a true
//!   answer about the parties, not a failure of the quiz.
//!
//! The generator computes each legislature's [`Seating`] from every quiz
//! card and writes it into the manifest; the page reads it from there, so
//! it needs no card to know whom it compares.

use crate::model::Position;
use serde::{Deserialize, Serialize};

/// Share of a legislature's quiz cards an actor must have cast a position
/// on to count as seated in it.
pub const SEATED_FROM: f64 = 0.5;

/// Share of common votes, in ten-thousandths, from which two actors vote
/// alike: 9,000 is 90%.
pub const ALIKE_FROM: u16 = 9_000;

/// One legislature's seated actors and how often each pair voted the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seating {
    /// The legislature, as the data names it.
    pub legislature: String,
    /// Manifest indices of the seated actors, in manifest order.
    pub seated: Vec<usize>,
    /// For each pair of seated actors, in the order `(0, 1), (0, 2), …,
    /// (1, 2), …` of their places in `seated`: the share of the
    /// legislature's quiz cards on which both cast a position where they
    /// cast the same one, in ten-thousandths (0 when they never both did).
    pub same: Vec<u16>,
}

impl Seating {
    /// The seating of `legislature` from the packed votes of its quiz
    /// cards (one [`crate::bundle::Card::votes`] string per card).
    pub fn of(legislature: &str, votes: &[&str], actor_count: usize) -> Seating {
        let cast = |card: &str, actor: usize| -> Option<Position> {
            card.chars()
                .nth(actor)
                .and_then(Position::from_code)
                .filter(|p| p.is_cast())
        };
        let seated: Vec<usize> = (0..actor_count)
            .filter(|&actor| {
                let voted = votes
                    .iter()
                    .filter(|card| cast(card, actor).is_some())
                    .count();
                !votes.is_empty() && voted as f64 >= SEATED_FROM * votes.len() as f64
            })
            .collect();
        let mut same = Vec::new();
        for (i, &a) in seated.iter().enumerate() {
            for &b in &seated[i + 1..] {
                let (mut both, mut equal) = (0u64, 0u64);
                for card in votes {
                    if let (Some(x), Some(y)) = (cast(card, a), cast(card, b)) {
                        both += 1;
                        equal += u64::from(x == y);
                    }
                }
                let share = (equal * 10_000 + both / 2).checked_div(both).unwrap_or(0);
                same.push(u16::try_from(share).unwrap_or(10_000));
            }
        }
        Seating {
            legislature: legislature.to_owned(),
            seated,
            same,
        }
    }

    /// How often `a` and `b` voted the same, in ten-thousandths; `None`
    /// unless both are seated (and the table is whole).
    pub fn same_share(&self, a: usize, b: usize) -> Option<u16> {
        let i = self.seated.iter().position(|&x| x == a)?;
        let j = self.seated.iter().position(|&x| x == b)?;
        let (i, j) = (i.min(j), i.max(j));
        if i == j {
            return Some(10_000);
        }
        let n = self.seated.len();
        // Pairs before row i: (n-1) + (n-2) + … + (n-i).
        let row = i * (2 * n - i - 1) / 2;
        self.same.get(row + (j - i - 1)).copied()
    }

    /// Whether `a` and `b` vote alike ([`ALIKE_FROM`]).
    pub fn alike(&self, a: usize, b: usize) -> bool {
        self.same_share(a, b)
            .is_some_and(|share| share >= ALIKE_FROM)
    }

    /// Whether every seated actor cast a position on the card whose packed
    /// votes are `votes`: the card is complete.
    pub fn all_voted(&self, votes: &str) -> bool {
        let positions: Vec<Option<Position>> = votes.chars().map(Position::from_code).collect();
        self.seated.iter().all(|&actor| {
            positions
                .get(actor)
                .copied()
                .flatten()
                .is_some_and(|p| p.is_cast())
        })
    }

    /// Whether the table has one entry per pair of seated actors.
    pub fn is_whole(&self) -> bool {
        let n = self.seated.len();
        self.same.len() == n * n.saturating_sub(1) / 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seated_means_voting_on_half_the_cards_and_alike_means_ninety_percent_the_same() {
        // Actor 0 and 1 agree on 9 of 10 cards; actor 2 votes on 4 of 10;
        // actor 3 always opposes actor 0.
        let votes: Vec<String> = (0..10)
            .map(|i| {
                let second = if i == 0 { 'A' } else { 'F' };
                let third = if i < 4 { 'N' } else { '.' };
                format!("F{second}{third}A")
            })
            .collect();
        let votes: Vec<&str> = votes.iter().map(String::as_str).collect();
        let seating = Seating::of("XV", &votes, 4);
        assert_eq!(seating.seated, vec![0, 1, 3]);
        assert!(seating.is_whole());
        assert_eq!(seating.same_share(0, 1), Some(9_000));
        assert_eq!(seating.same_share(1, 0), Some(9_000));
        assert_eq!(seating.same_share(0, 3), Some(0));
        assert_eq!(seating.same_share(1, 3), Some(1_000));
        assert_eq!(seating.same_share(0, 2), None);
        assert!(seating.alike(0, 1) && !seating.alike(0, 3));
        assert!(seating.all_voted("FA.A") && !seating.all_voted("F.NA"));
        assert!(!seating.all_voted("FA"), "a short string leaves actors out");
    }

    #[test]
    fn a_legislature_without_cards_seats_nobody() {
        let seating = Seating::of("XV", &[], 3);
        assert!(seating.seated.is_empty() && seating.same.is_empty());
    }
}
