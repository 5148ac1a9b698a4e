//! One citizen's quiz on a published bundle, from the deck to the results.
//!
//! This is the engine both faces of hemiciclo run: the WASM module in the
//! page and `hemiciclo quiz` / `hemiciclo explain` on the command line.
//! Keeping the whole sequence here (draw the deck with the site's sampler,
//! take answers and swaps, score, explain, write the share code) is what
//! lets a journalist recompute, offline, exactly what a citizen saw.
//!
//! The quiz holds the manifest and the shards it was given; it never
//! fetches. The caller asks [`Quiz::shards_needed`], reads those files its
//! own way and hands them to [`Quiz::add_shard`].

use crate::affinity::{Answered, Response, Rule};
use crate::bundle::{BundleError, Card, Manifest, Shard};
use crate::ranking::{compare_rules, rank, Ranking, RuleComparison};
use crate::reasons::{explain, Explanation};
use crate::sampler::{Deck, DeckSampler, Filters, Stratified, SwapError, DEFAULT_DECK_SIZE};
use crate::share::{self, DatasetTag, Share, ShareError};
use std::collections::BTreeMap;
use std::fmt;

/// A quiz in progress (or finished) on one bundle.
#[derive(Debug, Clone)]
pub struct Quiz {
    manifest: Manifest,
    sampler: Stratified,
    deck: Deck,
    responses: Vec<Response>,
    shards: BTreeMap<u32, Shard>,
}

/// What a finished quiz tells the citizen.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    pub ranking: Ranking,
    pub explanation: Explanation,
    /// The share code: the part of the results link after `#`.
    pub share: String,
}

impl Quiz {
    /// The quiz `seed` draws on `manifest`'s cards with the site's sampler.
    pub fn new(manifest: Manifest, seed: u64) -> Result<Quiz, QuizError> {
        Quiz::with_filters(manifest, seed, Filters::default())
    }

    /// The quiz `seed` draws among the cards `filters` admit (a
    /// legislature, say); swaps stay among them too.
    pub fn with_filters(
        manifest: Manifest,
        seed: u64,
        filters: Filters,
    ) -> Result<Quiz, QuizError> {
        let mut sampler = Stratified::new(manifest.card_metas()?);
        sampler.filters = filters;
        let cards = sampler.draw(DEFAULT_DECK_SIZE, seed);
        if cards.is_empty() {
            return Err(QuizError::NoCards);
        }
        Ok(Quiz {
            manifest,
            sampler,
            deck: Deck::new(cards, seed),
            responses: Vec::new(),
            shards: BTreeMap::new(),
        })
    }

    /// The finished quiz a share code (or a whole link: what follows the
    /// last `#` is read) stands for, on `manifest`'s data.
    pub fn from_share(manifest: Manifest, link: &str) -> Result<Quiz, QuizError> {
        let code = link.rsplit('#').next().unwrap_or(link).trim();
        let shared = share::decode(code)?;
        if !shared.matches_dataset(&manifest.dataset_id) {
            return Err(QuizError::OtherDataset {
                link: shared.dataset(),
                site: manifest.dataset_id,
            });
        }
        let sampler = Stratified::new(manifest.card_metas()?);
        let cards = shared.cards(&sampler)?;
        Ok(Quiz {
            manifest,
            sampler,
            deck: Deck::new(cards, shared.seed()),
            responses: shared.responses().to_vec(),
            shards: BTreeMap::new(),
        })
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    pub fn seed(&self) -> u64 {
        self.deck.seed()
    }

    /// Card numbers of the deck, in the order asked.
    pub fn deck(&self) -> &[u32] {
        self.deck.cards()
    }

    /// The shards the deck's cards live in and that are not loaded yet,
    /// the current card's first, then in deck order.
    pub fn shards_needed(&self) -> Vec<u32> {
        let start = self.responses.len().min(self.deck().len());
        let mut needed = Vec::new();
        for &card in self.deck()[start..].iter().chain(&self.deck()[..start]) {
            let shard = self.manifest.shard_of(card);
            if !self.shards.contains_key(&shard) && !needed.contains(&shard) {
                needed.push(shard);
            }
        }
        needed
    }

    /// Reads a shard file and keeps it; refuses one of another build of
    /// the site. Returns the shard's number.
    pub fn add_shard(&mut self, text: &str) -> Result<u32, QuizError> {
        let shard = Shard::from_json(text)?;
        if !shard.belongs_to(&self.manifest) {
            return Err(QuizError::OtherBuild);
        }
        let index = self.manifest.shard_of(shard.first);
        self.shards.insert(index, shard);
        Ok(index)
    }

    /// Card number `index`, once its shard is loaded.
    pub fn card(&self, index: u32) -> Option<&Card> {
        self.shards
            .get(&self.manifest.shard_of(index))
            .and_then(|shard| shard.card(index))
    }

    /// The card being asked, or `None` once every card is answered.
    pub fn current(&self) -> Option<u32> {
        self.deck().get(self.responses.len()).copied()
    }

    /// Zero-based place of the current card in the deck.
    pub fn position(&self) -> usize {
        self.responses.len()
    }

    pub fn is_finished(&self) -> bool {
        self.current().is_none()
    }

    /// Records the response to the current card; false when the deck is done.
    pub fn answer(&mut self, response: Response) -> bool {
        let open = !self.is_finished();
        if open {
            self.responses.push(response);
        }
        open
    }

    /// The citizen's responses so far, in deck order.
    pub fn responses(&self) -> &[Response] {
        &self.responses
    }

    /// Replaces the current card by another the site's sampler admits and
    /// this deck has not shown; returns the new card's number.
    pub fn swap(&mut self) -> Result<u32, QuizError> {
        let position = self.position();
        let cards = &self.sampler.cards;
        Ok(self.deck.swap(position, cards, &self.sampler.filters)?)
    }

    pub fn swaps_left(&self) -> u32 {
        self.deck.swaps_left()
    }

    /// The answered cards as the scorer takes them; an error names the
    /// first card whose shard is not loaded.
    pub fn answered(&self) -> Result<Vec<Answered<'_>>, QuizError> {
        self.deck()
            .iter()
            .zip(&self.responses)
            .map(|(&index, &response)| {
                self.card(index)
                    .map(|card| Answered::new(response, card))
                    .ok_or(QuizError::CardNotLoaded { card: index })
            })
            .collect()
    }

    /// The ranking under `rule`, the reasons behind it and the share code,
    /// for the cards answered so far.
    pub fn results(&self, rule: Rule) -> Result<Results, QuizError> {
        let answered = self.answered()?;
        let ranking = rank(self.manifest.actors.len(), rule, &answered);
        let explanation = explain(&ranking, &answered);
        Ok(Results {
            ranking,
            explanation,
            share: self.share_code()?,
        })
    }

    /// The answers so far ranked under every rule: whether the advice
    /// depends on the rule.
    pub fn compare_rules(&self) -> Result<RuleComparison, QuizError> {
        Ok(compare_rules(self.manifest.actors.len(), &self.answered()?))
    }

    /// The share code of the cards answered so far. Written against the
    /// site's default sampler, the one [`Quiz::from_share`] reads with: a
    /// deck drawn under filters is then spelled out in the link.
    pub fn share_code(&self) -> Result<String, QuizError> {
        let asked = &self.deck()[..self.responses.len()];
        let reader = Stratified::new(self.sampler.cards.clone());
        let shared = Share::new(
            &self.manifest.dataset_id,
            self.seed(),
            &reader,
            asked,
            &self.responses,
        )?;
        Ok(share::encode(&shared))
    }
}

/// Why a quiz could not go on. The messages are for citizens and
/// operators alike; the page may translate them by variant.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum QuizError {
    /// A bundle file could not be read.
    Bundle(BundleError),
    /// A shard was written by another build of the site than the manifest.
    OtherBuild,
    /// The filters leave no card to ask.
    NoCards,
    /// A share link could not be read.
    Share(ShareError),
    /// A share link was made on other data than the site holds now.
    OtherDataset { link: DatasetTag, site: String },
    /// A card is needed whose shard was not given.
    CardNotLoaded { card: u32 },
    /// The current card cannot be swapped.
    Swap(SwapError),
}

impl fmt::Display for QuizError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuizError::Bundle(error) => error.fmt(f),
            QuizError::OtherBuild => f.write_str(
                "the site was published again while the quiz was loading; reload the page to \
                 start again on the new data",
            ),
            QuizError::NoCards => f.write_str("there are no proposals to ask about on this site"),
            QuizError::Share(error) => write!(f, "the link cannot be read: {error}"),
            QuizError::OtherDataset { link, site } => write!(
                f,
                "the link was made on other data (dataset {link}) than this site holds now \
                 ({site}): the site has been updated since, and the link's cards would be other \
                 proposals here"
            ),
            QuizError::CardNotLoaded { card } => {
                write!(f, "card {card} is not loaded yet")
            }
            QuizError::Swap(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for QuizError {}

impl From<BundleError> for QuizError {
    fn from(error: BundleError) -> QuizError {
        QuizError::Bundle(error)
    }
}

impl From<ShareError> for QuizError {
    fn from(error: ShareError) -> QuizError {
        QuizError::Share(error)
    }
}

impl From<SwapError> for QuizError {
    fn from(error: SwapError) -> QuizError {
        QuizError::Swap(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::affinity::Answer;
    use crate::bundle::{Sampling, SCHEMA_VERSION};
    use crate::date::Date;
    use crate::model::{Actor, ActorKind};
    use crate::sampler::pinned_cards;

    const CARDS: u32 = 40;
    const SHARD_SIZE: u32 = 16;

    fn manifest() -> Manifest {
        Manifest {
            schema_version: SCHEMA_VERSION,
            dataset_id: "a1b2c3d4e5f6".into(),
            actors: ["A", "B", "C"]
                .map(|id| Actor {
                    id: id.into(),
                    name: id.into(),
                    kind: ActorKind::Party,
                })
                .into(),
            card_count: CARDS,
            shard_size: SHARD_SIZE,
            sampling: Sampling::pack(&pinned_cards(CARDS)),
        }
    }

    /// Shard `index` of the bundle: card `i` has A for, B against, and C
    /// for on even cards, against on odd ones.
    fn shard_json(index: u32, dataset_id: &str) -> String {
        let first = index * SHARD_SIZE;
        let cards: Vec<Card> = (first..(first + SHARD_SIZE).min(CARDS))
            .map(|i| Card {
                id: format!("p{i}"),
                title: format!("Proposal {i}"),
                kind: "Projeto de Lei".into(),
                legislature: "XV".into(),
                date: Date::parse_iso("2023-01-02").unwrap(),
                phase: "Votação final global".into(),
                result: None,
                page: format!("p/{i}/"),
                votes: if i % 2 == 0 { "FAF" } else { "FAA" }.into(),
            })
            .collect();
        let shard = Shard {
            schema_version: SCHEMA_VERSION,
            dataset_id: dataset_id.into(),
            first,
            cards,
        };
        serde_json::to_string(&shard).unwrap()
    }

    fn loaded(mut quiz: Quiz) -> Quiz {
        for shard in quiz.shards_needed() {
            quiz.add_shard(&shard_json(shard, "a1b2c3d4e5f6")).unwrap();
        }
        quiz
    }

    #[test]
    fn a_seed_draws_the_site_sampler_deck_and_the_current_card_shard_comes_first() {
        let quiz = Quiz::new(manifest(), 42).unwrap();
        let expected = Stratified::new(pinned_cards(CARDS)).draw(DEFAULT_DECK_SIZE, 42);
        assert_eq!(quiz.deck(), expected.as_slice());
        let needed = quiz.shards_needed();
        assert_eq!(needed[0], quiz.deck()[0] / SHARD_SIZE);
        assert!(needed.len() <= 3);
        assert!(quiz.card(quiz.deck()[0]).is_none());
        let quiz = loaded(quiz);
        assert!(quiz.shards_needed().is_empty());
        assert!(quiz.card(quiz.deck()[0]).is_some());
    }

    #[test]
    fn answering_for_on_every_card_puts_a_first_and_the_link_gives_it_back() {
        let mut quiz = loaded(Quiz::new(manifest(), 7).unwrap());
        while quiz.answer(Response::new(Answer::For, quiz.position() == 0)) {}
        assert!(quiz.is_finished());
        let results = quiz.results(Rule::Default).unwrap();
        assert_eq!(results.ranking.scores[0].actor, 0);
        assert_eq!(results.ranking.scores[0].score, Some(1.0));
        assert_eq!(results.explanation.cards.len(), DEFAULT_DECK_SIZE);

        let again =
            loaded(Quiz::from_share(manifest(), &format!("https://x/#{}", results.share)).unwrap());
        assert_eq!(again.deck(), quiz.deck());
        assert_eq!(again.responses(), quiz.responses());
        assert_eq!(again.results(Rule::Default).unwrap(), results);
    }

    #[test]
    fn a_swapped_card_is_never_one_already_shown_and_the_link_keeps_it() {
        let mut quiz = loaded(Quiz::new(manifest(), 3).unwrap());
        let before = quiz.deck().to_vec();
        quiz.answer(Response::new(Answer::Against, false));
        let new = quiz.swap().unwrap();
        assert!(!before.contains(&new));
        assert_eq!(quiz.deck()[1], new);
        assert_eq!(quiz.swaps_left(), 2);
        let mut quiz = loaded(quiz);
        while quiz.answer(Response::new(Answer::Abstain, false)) {}
        let code = quiz.share_code().unwrap();
        let again = Quiz::from_share(manifest(), &code).unwrap();
        assert_eq!(again.deck(), quiz.deck());
    }

    #[test]
    fn a_deck_of_one_legislature_stays_in_it_and_its_link_names_its_cards() {
        let filters = Filters {
            legislatures: vec!["XIV".into()],
            ..Filters::default()
        };
        let mut quiz = loaded(Quiz::with_filters(manifest(), 9, filters).unwrap());
        let metas = pinned_cards(CARDS);
        let in_xiv = |card: &u32| metas[*card as usize].legislature == "XIV";
        assert!(quiz.deck().iter().all(in_xiv), "{:?}", quiz.deck());
        quiz.swap().unwrap();
        assert!(quiz.deck().iter().all(in_xiv), "{:?}", quiz.deck());
        let mut quiz = loaded(quiz);
        while quiz.answer(Response::new(Answer::For, false)) {}
        let again = Quiz::from_share(manifest(), &quiz.share_code().unwrap()).unwrap();
        assert_eq!(again.deck(), quiz.deck());
    }

    #[test]
    fn results_name_the_card_not_loaded_yet() {
        let mut quiz = Quiz::new(manifest(), 1).unwrap();
        quiz.answer(Response::new(Answer::For, false));
        assert_eq!(
            quiz.results(Rule::Default).unwrap_err(),
            QuizError::CardNotLoaded {
                card: quiz.deck()[0]
            }
        );
    }

    #[test]
    fn a_shard_of_another_build_is_refused() {
        let mut quiz = Quiz::new(manifest(), 1).unwrap();
        let error = quiz.add_shard(&shard_json(0, "ffffffffffff")).unwrap_err();
        assert_eq!(error, QuizError::OtherBuild);
        assert!(error.to_string().contains("reload the page"), "{error}");
    }

    #[test]
    fn a_link_of_other_data_or_a_damaged_link_is_explained() {
        let mut quiz = Quiz::new(manifest(), 5).unwrap();
        while quiz.answer(Response::new(Answer::For, false)) {}
        let code = quiz.share_code().unwrap();

        let mut newer = manifest();
        newer.dataset_id = "0f0f0f0f0f0f".into();
        let error = Quiz::from_share(newer, &code).unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, QuizError::OtherDataset { .. }), "{message}");
        assert!(message.contains("a1b2c3"), "{message}");
        assert!(message.contains("0f0f0f0f0f0f"), "{message}");

        // The last character before the check: answers and padding only.
        let mut damaged = code.into_bytes();
        let last = damaged.len() - 3;
        damaged[last] = if damaged[last] == b'A' { b'B' } else { b'A' };
        let error =
            Quiz::from_share(manifest(), std::str::from_utf8(&damaged).unwrap()).unwrap_err();
        assert_eq!(error, QuizError::Share(ShareError::Damaged));
        assert!(error.to_string().contains("damaged"), "{error}");
    }
}
