//! One citizen's pass through a deck: which card is current, what was answered.

use crate::affinity::Answer;

/// A deck being answered, card by card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    deck: Vec<u32>,
    answers: Vec<Answer>,
}

impl Session {
    pub fn new(deck: Vec<u32>) -> Session {
        Session {
            deck,
            answers: Vec::new(),
        }
    }

    /// The card indices of the deck, in the order they are asked.
    pub fn deck(&self) -> &[u32] {
        &self.deck
    }

    /// The card being asked, or `None` once every card is answered.
    pub fn current(&self) -> Option<u32> {
        self.deck.get(self.answers.len()).copied()
    }

    /// Zero-based place of the current card in the deck.
    pub fn position(&self) -> usize {
        self.answers.len()
    }

    /// Records the answer to the current card; false when the deck is done.
    pub fn answer(&mut self, answer: Answer) -> bool {
        let open = self.current().is_some();
        if open {
            self.answers.push(answer);
        }
        open
    }

    pub fn is_finished(&self) -> bool {
        self.current().is_none()
    }

    /// Each answered card with its answer, in deck order.
    pub fn answered(&self) -> impl Iterator<Item = (u32, Answer)> + '_ {
        self.deck.iter().copied().zip(self.answers.iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_the_deck_then_refuses_more_answers() {
        let mut session = Session::new(vec![7, 3]);
        assert_eq!(session.current(), Some(7));
        assert!(session.answer(Answer::For));
        assert_eq!((session.current(), session.position()), (Some(3), 1));
        assert!(session.answer(Answer::Skip));
        assert!(session.is_finished());
        assert!(!session.answer(Answer::Against));
        let answered: Vec<_> = session.answered().collect();
        assert_eq!(answered, vec![(7, Answer::For), (3, Answer::Skip)]);
    }
}
