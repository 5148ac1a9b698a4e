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

use crate::adaptive::Adaptive;
use crate::affinity::{Answered, Response, Rule};
use crate::bundle::{BundleError, Card, CardIds, Manifest, Shard, VotesTable};
use crate::ranking::{compare_rules, rank_in, Field, Ranking, RuleComparison, Verdict};
use crate::reasons::{explain, Explanation};
use crate::sampler::{
    candidates, draw_stratified, legislature_names, DeckInPlay, Filters, Stratified, SwapError,
};
use crate::share::{self, DatasetTag, Share, ShareError};
use std::collections::BTreeMap;
use std::fmt;

/// A quiz in progress (or finished) on one bundle.
#[derive(Debug, Clone)]
pub struct Quiz {
    manifest: Manifest,
    /// The site's sampler (default filters): share codes are written and
    /// read against it.
    sampler: Stratified,
    /// What this deck draws and swaps among.
    filters: Filters,
    deck: DeckInPlay,
    responses: Vec<Response>,
    shards: BTreeMap<u32, Shard>,
    /// Every card's votes ([`VotesTable`]), once given: what continuing
    /// the deck chooses from.
    votes: Option<Vec<Card>>,
}

/// The most cards a deck reaches by continuing: the cap the page shows.
pub const CONTINUE_UP_TO: usize = 40;

/// The most proposals one deck asks: what a share link can hold.
pub const MAX_DECK_SIZE: usize = share::MAX_CARDS;

/// What a finished quiz tells the citizen.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    pub ranking: Ranking,
    pub explanation: Explanation,
    /// The share code: the part of the results link after `#`.
    pub share: String,
}

impl Quiz {
    /// The quiz `seed` draws on `manifest`'s cards with the site's sampler:
    /// among the cards of the latest legislature that every party seated
    /// in it voted on ([`Filters::seated_now`], [`crate::seating`]).
    pub fn new(manifest: Manifest, seed: u64) -> Result<Quiz, QuizError> {
        let latest: Vec<String> = manifest
            .latest_legislature()
            .map(str::to_owned)
            .into_iter()
            .collect();
        Quiz::with_filters(manifest, seed, Filters::seated_now(latest))
    }

    /// The quiz `seed` draws among the cards `filters` admit (a
    /// legislature, say); swaps stay among them too.
    pub fn with_filters(
        manifest: Manifest,
        seed: u64,
        filters: Filters,
    ) -> Result<Quiz, QuizError> {
        let sampler = Stratified::new(manifest.card_metas()?);
        // A curated deck is asked whole, in its order.
        let size = match &filters.curated {
            Some(cards) => cards.len(),
            None => manifest.deck_size as usize,
        };
        let size = size.clamp(1, MAX_DECK_SIZE);
        let cards = draw_stratified(
            &sampler.cards,
            &filters,
            size,
            seed,
            sampler.government_share,
        );
        if cards.is_empty() {
            return Err(QuizError::NoCards);
        }
        Ok(Quiz {
            manifest,
            sampler,
            filters,
            deck: DeckInPlay::new(cards, seed),
            responses: Vec::new(),
            shards: BTreeMap::new(),
            votes: None,
        })
    }

    /// The quiz `seed` draws among the cards of the legislatures `typed`
    /// names, read as a reader types them (`xv`, ` XV `: see
    /// [`legislature_names`]), that every party seated there voted on;
    /// swaps stay among them too. Naming none is [`Quiz::new`]. The page's
    /// `?legislatura=` and `hemiciclo quiz --legislature` both come here.
    pub fn in_legislatures<S: AsRef<str>>(
        manifest: Manifest,
        seed: u64,
        typed: &[S],
    ) -> Result<Quiz, QuizError> {
        let legislatures = legislature_names(typed, &manifest.legislatures());
        if legislatures.is_empty() {
            return Quiz::new(manifest, seed);
        }
        let filters = Filters::seated_now(legislatures.clone());
        Quiz::with_filters(manifest, seed, filters).map_err(|error| match error {
            QuizError::NoCards if !legislatures.is_empty() => {
                QuizError::NoCardsInLegislatures(legislatures)
            }
            error => error,
        })
    }

    /// A curated deck: `proposals` (proposal ids, a journalist's choice),
    /// in their order, cut at the deck size; swaps draw from the rest of
    /// the list. Ids are trimmed and empty ones left out. `ids` is the
    /// bundle's card-id index; one of another build of the site is
    /// [`QuizError::OtherBuild`]. Ids no card has are
    /// [`QuizError::UnknownProposals`], which names them.
    pub fn curated(
        manifest: Manifest,
        seed: u64,
        ids: &CardIds,
        proposals: &[String],
    ) -> Result<Quiz, QuizError> {
        if !ids.belongs_to(&manifest) {
            return Err(QuizError::OtherBuild);
        }
        let proposals: Vec<String> = proposals
            .iter()
            .map(|id| id.trim())
            .filter(|id| !id.is_empty())
            .map(str::to_owned)
            .collect();
        let cards = ids
            .cards_of(&proposals)
            .map_err(QuizError::UnknownProposals)?;
        if cards.len() > MAX_DECK_SIZE {
            return Err(QuizError::TooManyProposals {
                given: cards.len(),
                max: MAX_DECK_SIZE,
            });
        }
        let filters = Filters {
            curated: Some(cards),
            ..Filters::default()
        };
        Quiz::with_filters(manifest, seed, filters)
    }

    /// A quiz in play again from its parts, as [`Quiz::filters`],
    /// [`Quiz::deck`], [`Quiz::swapped_out`] and [`Quiz::responses`] give
    /// them: how the page hands a deck from the small module that asks the
    /// first cards to the one that scores and continues it. Refuses card
    /// numbers the manifest does not have, a card twice, or more responses
    /// than cards.
    pub fn resume(
        manifest: Manifest,
        seed: u64,
        filters: Filters,
        deck: Vec<u32>,
        swapped_out: &[u32],
        responses: Vec<Response>,
    ) -> Result<Quiz, QuizError> {
        let count = manifest.card_count;
        let mut distinct = std::collections::BTreeSet::new();
        let fits = deck
            .iter()
            .chain(swapped_out)
            .all(|&card| card < count && distinct.insert(card));
        if !fits || responses.len() > deck.len() || deck.is_empty() {
            return Err(QuizError::Bundle(BundleError::Malformed(
                "a deck to resume names unknown or repeated cards, or more answers than cards"
                    .into(),
            )));
        }
        let sampler = Stratified::new(manifest.card_metas()?);
        Ok(Quiz {
            manifest,
            sampler,
            filters,
            deck: DeckInPlay::resume(deck, swapped_out, seed),
            responses,
            shards: BTreeMap::new(),
            votes: None,
        })
    }

    /// The cards shown and swapped away, in increasing order.
    pub fn swapped_out(&self) -> Vec<u32> {
        self.deck.swapped_out()
    }

    /// The finished quiz a share code (or a whole link: what follows the
    /// last `#` is read) stands for, on `manifest`'s data.
    pub fn from_share(manifest: Manifest, link: &str) -> Result<Quiz, QuizError> {
        let link = link.trim();
        let code = match link.rsplit_once('#') {
            Some((_, code)) => code,
            None if link.contains("://") => return Err(QuizError::NoCode),
            None => link,
        };
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
            filters: Filters::default(),
            deck: DeckInPlay::new(cards, shared.seed()),
            responses: shared.responses().to_vec(),
            shards: BTreeMap::new(),
            votes: None,
        })
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    pub fn seed(&self) -> u64 {
        self.deck.seed()
    }

    /// What the deck draws and swaps among; the legislatures in the form
    /// the data gives them.
    pub fn filters(&self) -> &Filters {
        &self.filters
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
    /// the site, and one that is not a whole shard of this manifest (its
    /// cards would never be found). Returns the shard's number.
    pub fn add_shard(&mut self, text: &str) -> Result<u32, QuizError> {
        let shard = Shard::from_json(text)?;
        if !shard.belongs_to(&self.manifest) {
            return Err(QuizError::OtherBuild);
        }
        let (first, size, count) = (
            shard.first,
            self.manifest.shard_size.max(1),
            self.manifest.card_count,
        );
        let expected = count.saturating_sub(first).min(size);
        if first % size != 0 || first >= count || shard.cards.len() != expected as usize {
            return Err(QuizError::Bundle(BundleError::Malformed(format!(
                "a shard starting at card {first} with {} cards does not fit a manifest of {count} \
                 cards in shards of {size}",
                shard.cards.len()
            ))));
        }
        let index = self.manifest.shard_of(first);
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
        Ok(self
            .deck
            .swap(position, &self.sampler.cards, &self.filters)?)
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

    /// Who the results compare: the actors seated in the latest
    /// legislature the deck's cards come from ([`crate::seating`]);
    /// everyone when the data has no seatings.
    pub fn field(&self) -> Field {
        let actor_count = self.manifest.actors.len();
        // The cards answered, which a share link holds (all of them before
        // the first answer).
        let cards = match self.responses.len() {
            0 => self.deck(),
            n => &self.deck()[..n.min(self.deck().len())],
        };
        let legislatures = cards
            .iter()
            .filter_map(|&card| self.sampler.cards.get(card as usize))
            .map(|meta| meta.legislature.as_str());
        match self.manifest.latest_seating(legislatures) {
            Some(seating) => Field::seated(actor_count, seating),
            None => Field::everyone(actor_count),
        }
    }

    /// The ranking under `rule`, the reasons behind it and the share code,
    /// for the cards answered so far.
    pub fn results(&self, rule: Rule) -> Result<Results, QuizError> {
        let answered = self.answered()?;
        let ranking = rank_in(&self.field(), rule, &answered);
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
        Ok(compare_rules(&self.field(), &self.answered()?))
    }

    /// Whether every card's votes are given ([`Quiz::add_votes`]).
    pub fn has_votes(&self) -> bool {
        self.votes.is_some()
    }

    /// Reads the table of every card's votes and keeps it: what
    /// [`Quiz::continue_deck`] chooses from. Refuses one of another build.
    pub fn add_votes(&mut self, text: &str) -> Result<(), QuizError> {
        let table = VotesTable::from_json(text)?;
        if !table.belongs_to(&self.manifest) {
            return Err(QuizError::OtherBuild);
        }
        let cards = table
            .votes
            .iter()
            .zip(&self.sampler.cards)
            .map(|(votes, meta)| Card::positions_only(&meta.legislature, votes))
            .collect();
        self.votes = Some(cards);
        Ok(())
    }

    /// The most cards this deck may reach by continuing: [`CONTINUE_UP_TO`]
    /// for a drawn deck; a curated deck asks its own cards only.
    pub fn cap(&self) -> usize {
        if self.filters.curated.is_some() {
            self.deck().len()
        } else {
            CONTINUE_UP_TO.max(self.deck().len())
        }
    }

    /// Whether the deck may continue: every card is answered, the verdict
    /// under the default rule is not clear yet, the cap is not reached and
    /// some card the deck's filters admit has not been shown.
    pub fn can_continue(&self) -> Result<bool, QuizError> {
        Ok(self.open_ranking()?.is_some())
    }

    /// The default rule's ranking when the deck may continue
    /// ([`Quiz::can_continue`]); only the ranking, neither reasons nor a
    /// share code, since it is asked after every continued answer.
    fn open_ranking(&self) -> Result<Option<(Field, Ranking)>, QuizError> {
        if !self.is_finished() || self.deck().len() >= self.cap() {
            return Ok(None);
        }
        let seen = self.deck.seen();
        let unseen = candidates(&self.sampler.cards, &self.filters)
            .iter()
            .any(|card| !seen.contains(&card.index));
        if !unseen {
            return Ok(None);
        }
        let field = self.field();
        let ranking = rank_in(&field, Rule::Default, &self.answered()?);
        Ok((!ranking.verdict.is_clear()).then_some((field, ranking)))
    }

    /// Continues a finished deck with one more card: the card, among those
    /// the deck's filters admit and it has not shown, that best separates
    /// the leader from the rival it is furthest from being clear of
    /// ([`Adaptive::next_card_among`]). Returns its number; the caller
    /// then loads its shard as for any card. Needs [`Quiz::add_votes`].
    pub fn continue_deck(&mut self) -> Result<u32, QuizError> {
        let (field, ranking) = self.open_ranking()?.ok_or(QuizError::NoMoreCards)?;
        let votes = self.votes.as_ref().ok_or(QuizError::VotesNotLoaded)?;
        let contenders = match &ranking.verdict {
            Verdict::TooCloseToCall { actors } => {
                // The leader and the open rival it is furthest from beating:
                // the pair that holds the verdict open longest. (Aiming at
                // every open rival at once asked more cards, in the
                // simulation of `hemiciclo simulate`.)
                let chance = |rival: usize| ranking.pair(rival).map_or(1.0, |p| p.p_value);
                let hardest = actors[1..]
                    .iter()
                    .copied()
                    .max_by(|&a, &b| chance(a).total_cmp(&chance(b)).then(b.cmp(&a)));
                [actors[0]].into_iter().chain(hardest).collect()
            }
            _ => field.compared,
        };
        let answers: Vec<(u32, Response)> = self
            .deck()
            .iter()
            .copied()
            .zip(self.responses.iter().copied())
            .collect();
        let chooser = Adaptive::new(
            &self.sampler.cards,
            votes,
            self.manifest.actors.len(),
            &self.filters,
        );
        let card = chooser
            .next_card_among(&answers, self.deck.seen(), self.seed(), &contenders)
            .ok_or(QuizError::NoMoreCards)?;
        self.deck.push(card);
        Ok(card)
    }

    /// The share code of the cards answered so far. Written against the
    /// site's default sampler, the one [`Quiz::from_share`] reads with: a
    /// deck drawn under filters is then spelled out in the link.
    pub fn share_code(&self) -> Result<String, QuizError> {
        let asked = &self.deck()[..self.responses.len()];
        let shared = Share::new(
            &self.manifest.dataset_id,
            self.seed(),
            &self.sampler,
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
    /// No card to ask is of these legislatures (as the data names them).
    NoCardsInLegislatures(Vec<String>),
    /// A share link could not be read.
    Share(ShareError),
    /// An address was given as a results link, but it has no `#code`.
    NoCode,
    /// A curated deck names proposals that are not quiz cards here.
    UnknownProposals(Vec<String>),
    /// A share link was made on other data than the site holds now.
    OtherDataset { link: DatasetTag, site: String },
    /// A card is needed whose shard was not given.
    CardNotLoaded { card: u32 },
    /// The current card cannot be swapped.
    Swap(SwapError),
    /// Continuing the deck needs every card's votes, not given yet.
    VotesNotLoaded,
    /// The deck cannot continue: the verdict is clear, the cap is reached
    /// or no card is left to ask.
    NoMoreCards,
    /// A curated deck names more proposals than one deck can ask.
    TooManyProposals { given: usize, max: usize },
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
            QuizError::TooManyProposals { given, max } => write!(
                f,
                "a deck asks at most {max} proposals and this one names {given}; split it in two"
            ),
            QuizError::NoCardsInLegislatures(names) => write!(
                f,
                "there are no proposals to ask about from legislature{} {} on this site",
                if names.len() == 1 { "" } else { "s" },
                names.join(", ")
            ),
            QuizError::Share(error) => write!(f, "the link cannot be read: {error}"),
            QuizError::UnknownProposals(ids) => write!(
                f,
                "these proposals are not quiz cards on this site: {} (only proposals whose \
                 decisive vote split the parties are asked)",
                ids.join(", ")
            ),
            QuizError::NoCode => f.write_str(
                "the address has no result code: a results link ends with '#' and the code",
            ),
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
            QuizError::VotesNotLoaded => {
                f.write_str("the table of every card's votes is not loaded yet")
            }
            QuizError::NoMoreCards => f.write_str(
                "the deck cannot continue: the answer is clear, the cap of cards is reached or \
                 no card is left to ask",
            ),
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
    use crate::sampler::DeckSampler;
    use crate::seating::Seating;
    use crate::test_vectors::pinned_cards;

    const CARDS: u32 = 40;
    const SHARD_SIZE: u32 = 16;

    fn manifest() -> Manifest {
        Manifest {
            schema_version: SCHEMA_VERSION,
            dataset_id: "a1b2c3d4e5f6".into(),
            layout_id: "a1b2c3d4e5f6".into(),
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
            seating: Vec::new(),
            deck_size: 10,
            checksums: "0000000000000000".into(),
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
                summary: None,
            })
            .collect();
        let shard = Shard {
            schema_version: SCHEMA_VERSION,
            layout_id: dataset_id.into(),
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
        let expected =
            Stratified::new(pinned_cards(CARDS)).draw(crate::sampler::DEFAULT_DECK_SIZE, 42);
        assert_eq!(quiz.deck(), expected.as_slice());
        let mut in_deck_order: Vec<u32> = Vec::new();
        for card in quiz.deck() {
            if !in_deck_order.contains(&(card / SHARD_SIZE)) {
                in_deck_order.push(card / SHARD_SIZE);
            }
        }
        assert_eq!(quiz.shards_needed(), in_deck_order);
        let mut answered = quiz.clone();
        answered.answer(Response::new(Answer::Skip, false));
        assert_eq!(answered.shards_needed()[0], quiz.deck()[1] / SHARD_SIZE);
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
        assert_eq!(
            results.explanation.cards.len(),
            crate::sampler::DEFAULT_DECK_SIZE
        );

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
    fn a_deck_asks_the_sites_deck_size_and_its_link_gives_it_back() {
        let mut sized = manifest();
        sized.deck_size = 25;
        let mut quiz = loaded(Quiz::new(sized.clone(), 3).unwrap());
        assert_eq!(quiz.deck().len(), 25);
        while quiz.answer(Response::new(Answer::For, false)) {}
        let again = Quiz::from_share(sized, &quiz.share_code().unwrap()).unwrap();
        assert_eq!(again.deck(), quiz.deck());
        assert_eq!(again.responses().len(), 25);
    }

    #[test]
    fn a_curated_deck_is_asked_whole_and_one_too_long_is_refused() {
        let ids = CardIds {
            schema_version: SCHEMA_VERSION,
            dataset_id: "a1b2c3d4e5f6".into(),
            ids: (0..CARDS).map(|i| format!("p{i}")).collect(),
        };
        let chosen: Vec<String> = (0..15).rev().map(|i| format!("p{i}")).collect();
        let quiz = Quiz::curated(manifest(), 1, &ids, &chosen).unwrap();
        assert_eq!(
            quiz.deck(),
            (0..15).rev().collect::<Vec<u32>>(),
            "all, in order"
        );
        let mut many = manifest();
        many.card_count = 80;
        many.sampling = Sampling::pack(&pinned_cards(80));
        let ids = CardIds {
            ids: (0..80).map(|i| format!("p{i}")).collect(),
            ..ids
        };
        let all: Vec<String> = (0..70).map(|i| format!("p{i}")).collect();
        let error = Quiz::curated(many, 1, &ids, &all).unwrap_err();
        assert_eq!(
            error,
            QuizError::TooManyProposals {
                given: 70,
                max: MAX_DECK_SIZE
            }
        );
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

    /// The test manifest with a seating for XV: A and C seated, B not.
    fn seated_manifest() -> Manifest {
        let mut manifest = manifest();
        manifest.seating = vec![Seating {
            legislature: "XV".into(),
            seated: vec![0, 2],
            same: vec![5_000],
        }];
        manifest
    }

    fn votes_json(dataset_id: &str) -> String {
        let table = VotesTable {
            schema_version: SCHEMA_VERSION,
            dataset_id: dataset_id.into(),
            votes: (0..CARDS)
                .map(|i| if i % 2 == 0 { "FAF" } else { "FAA" }.to_owned())
                .collect(),
        };
        serde_json::to_string(&table).unwrap()
    }

    #[test]
    fn a_deck_compares_the_parties_seated_in_its_latest_legislature() {
        let quiz = Quiz::new(seated_manifest(), 11).unwrap();
        let metas = pinned_cards(CARDS);
        assert!(quiz
            .deck()
            .iter()
            .all(|&card| metas[card as usize].legislature == "XV"));
        let field = quiz.field();
        assert_eq!(field.compared, vec![0, 2]);
        assert_eq!(field.legislature.as_deref(), Some("XV"));
        let mut quiz = loaded(quiz);
        while quiz.answer(Response::new(Answer::Against, false)) {}
        let ranking = quiz.results(Rule::Default).unwrap().ranking;
        // B voted against every time, as the citizen did, yet is not
        // seated: it is shown apart, never above A or C.
        let ranked: Vec<usize> = ranking.scores.iter().map(|s| s.actor).collect();
        assert_eq!(ranked.len(), 2);
        assert!(!ranked.contains(&1));
        assert_eq!(ranking.apart[0].actor, 1);
        assert_eq!(ranking.apart[0].score, Some(1.0));
        // The same deck read back from its link compares the same parties.
        let again = Quiz::from_share(seated_manifest(), &quiz.share_code().unwrap()).unwrap();
        assert_eq!(again.field(), field);
    }

    #[test]
    fn an_unclear_deck_continues_with_unseen_cards_of_its_pool_and_its_link_keeps_them() {
        let mut quiz = loaded(Quiz::new(seated_manifest(), 4).unwrap());
        // Abstaining everywhere separates nobody: the verdict stays open.
        while quiz.answer(Response::new(Answer::Abstain, false)) {}
        assert!(!quiz
            .results(Rule::Default)
            .unwrap()
            .ranking
            .verdict
            .is_clear());
        assert!(quiz.can_continue().unwrap());
        assert_eq!(quiz.continue_deck(), Err(QuizError::VotesNotLoaded));
        assert_eq!(
            quiz.add_votes(&votes_json("0f0f0f0f0f0f")),
            Err(QuizError::OtherBuild)
        );
        quiz.add_votes(&votes_json("a1b2c3d4e5f6")).unwrap();
        let first_ten = quiz.deck().to_vec();
        let metas = pinned_cards(CARDS);
        let mut continued = Vec::new();
        while quiz.can_continue().unwrap() {
            let card = match quiz.continue_deck() {
                Ok(card) => card,
                Err(QuizError::NoMoreCards) => break,
                Err(error) => panic!("{error}"),
            };
            assert!(!first_ten.contains(&card) && !continued.contains(&card));
            assert_eq!(metas[card as usize].legislature, "XV");
            assert_eq!(quiz.current(), Some(card));
            continued.push(card);
            quiz = loaded(quiz);
            quiz.answer(Response::new(Answer::For, false));
        }
        assert!(!continued.is_empty());
        assert_eq!(quiz.deck().len(), first_ten.len() + continued.len());
        let code = quiz.share_code().unwrap();
        let again = loaded(Quiz::from_share(seated_manifest(), &code).unwrap());
        assert_eq!(again.deck(), quiz.deck());
        assert_eq!(again.responses(), quiz.responses());
        assert_eq!(
            again.results(Rule::Default).unwrap(),
            quiz.results(Rule::Default).unwrap()
        );
    }

    #[test]
    fn a_quiz_resumed_from_its_parts_is_the_same_quiz() {
        let mut quiz = loaded(Quiz::new(seated_manifest(), 6).unwrap());
        quiz.answer(Response::new(Answer::For, true));
        quiz.swap().unwrap();
        let mut quiz = loaded(quiz);
        for _ in 0..4 {
            quiz.answer(Response::new(Answer::Against, false));
        }
        let codes: String = quiz.responses().iter().map(|r| r.code()).collect();
        let responses: Vec<Response> = codes.chars().filter_map(Response::from_code).collect();
        assert_eq!(responses, quiz.responses());
        let again = Quiz::resume(
            seated_manifest(),
            quiz.seed(),
            quiz.filters().clone(),
            quiz.deck().to_vec(),
            &quiz.swapped_out(),
            responses,
        )
        .unwrap();
        assert_eq!(again.deck(), quiz.deck());
        assert_eq!(again.swapped_out(), quiz.swapped_out());
        assert_eq!(again.swapped_out().len(), 1);
        assert_eq!(again.swaps_left(), quiz.swaps_left());
        let mut again = loaded(again);
        assert_eq!(again.share_code(), quiz.share_code());
        assert_eq!(again.swap().unwrap(), quiz.clone().swap().unwrap());
        // Unknown or repeated cards are refused.
        let mut twice = quiz.deck().to_vec();
        twice[1] = twice[0];
        for deck in [twice, vec![CARDS], Vec::new()] {
            let resumed = Quiz::resume(manifest(), 1, Filters::default(), deck, &[], Vec::new());
            assert!(matches!(resumed, Err(QuizError::Bundle(_))));
        }
    }

    #[test]
    fn a_clear_verdict_or_a_curated_deck_does_not_continue() {
        let mut quiz = loaded(Quiz::new(seated_manifest(), 4).unwrap());
        quiz.add_votes(&votes_json("a1b2c3d4e5f6")).unwrap();
        assert!(!quiz.can_continue().unwrap(), "an unfinished deck");
        // Answering as A voted, against C's odd cards: C's every difference
        // favours A.
        while quiz.answer(Response::new(Answer::For, false)) {}
        let verdict = quiz.results(Rule::Default).unwrap().ranking.verdict;
        assert_eq!(quiz.can_continue().unwrap(), !verdict.is_clear());
        let wanted: Vec<String> = [5, 31].iter().map(|i| format!("p{i}")).collect();
        let mut curated =
            loaded(Quiz::curated(seated_manifest(), 1, &card_ids(), &wanted).unwrap());
        curated.add_votes(&votes_json("a1b2c3d4e5f6")).unwrap();
        while curated.answer(Response::new(Answer::Abstain, false)) {}
        assert_eq!(curated.cap(), 2);
        assert!(!curated.can_continue().unwrap());
        assert_eq!(curated.continue_deck(), Err(QuizError::NoMoreCards));
    }

    #[test]
    fn a_shard_that_is_not_a_whole_shard_of_the_manifest_is_refused() {
        let mut quiz = Quiz::new(manifest(), 1).unwrap();
        let shifted = shard_json(1, "a1b2c3d4e5f6").replace(r#""first":16"#, r#""first":17"#);
        let error = quiz.add_shard(&shifted).unwrap_err();
        assert!(
            matches!(error, QuizError::Bundle(BundleError::Malformed(_))),
            "{error}"
        );
        assert!(error.to_string().contains("starting at card 17"), "{error}");
        let past = shard_json(2, "a1b2c3d4e5f6").replace(r#""first":32"#, r#""first":48"#);
        assert!(quiz.add_shard(&past).is_err());
        assert!(quiz.add_shard(&shard_json(2, "a1b2c3d4e5f6")).is_ok());
    }

    #[test]
    fn the_codes_the_site_writes_are_frozen() {
        // A link once shared must name the same cards forever: this pins
        // sampling table -> site sampler -> code, for a finished deck and
        // for one answered half-way.
        let mut quiz = Quiz::new(manifest(), 42).unwrap();
        for _ in 0..5 {
            quiz.answer(Response::new(Answer::Against, false));
        }
        let half = quiz.share_code().unwrap();
        while quiz.answer(Response::new(Answer::For, quiz.position() == 7)) {}
        let full = quiz.share_code().unwrap();
        assert_eq!(
            (half.as_str(), full.as_str()),
            ("CobLDgoKixAwSiKqVA", "CobLDBQKlVACAgm9")
        );
        let again = Quiz::from_share(manifest(), &half).unwrap();
        assert_eq!(again.deck(), &quiz.deck()[..5]);
        assert_eq!(again.responses().len(), 5);
    }

    fn card_ids() -> CardIds {
        CardIds {
            schema_version: SCHEMA_VERSION,
            dataset_id: "a1b2c3d4e5f6".into(),
            ids: (0..CARDS).map(|i| format!("p{i}")).collect(),
        }
    }

    #[test]
    fn a_curated_deck_asks_its_proposals_in_order_and_its_link_reads_back() {
        let wanted: Vec<String> = [5, 31, 2, 17].iter().map(|i| format!("p{i}")).collect();
        let mut quiz = loaded(Quiz::curated(manifest(), 1, &card_ids(), &wanted).unwrap());
        assert_eq!(quiz.deck(), &[5, 31, 2, 17]);
        assert_eq!(
            quiz.swap().unwrap_err(),
            QuizError::Swap(SwapError::Exhausted),
            "a curated deck swaps only among its own proposals"
        );
        while quiz.answer(Response::new(Answer::For, false)) {}
        let again = Quiz::from_share(manifest(), &quiz.share_code().unwrap()).unwrap();
        assert_eq!(again.deck(), quiz.deck());

        let unknown = vec!["p1".to_owned(), "nope".to_owned()];
        let error = Quiz::curated(manifest(), 1, &card_ids(), &unknown).unwrap_err();
        assert_eq!(error, QuizError::UnknownProposals(vec!["nope".into()]));
        assert!(error.to_string().contains("nope"), "{error}");
        let mut stale = card_ids();
        stale.dataset_id = "0f0f0f0f0f0f".into();
        assert_eq!(
            Quiz::curated(manifest(), 1, &stale, &wanted).unwrap_err(),
            QuizError::OtherBuild
        );
    }

    #[test]
    fn legislatures_typed_in_any_case_or_padded_draw_the_canonical_deck() {
        let canonical = Filters::seated_now(vec!["XIV".into(), "XV".into()]);
        for typed in [
            vec!["XIV", "XV"],
            vec!["xiv", "xv"],
            vec![" XIV", "xv ", ""],
            vec!["  xIv\t", " ", "Xv"],
        ] {
            let mut expected = Quiz::with_filters(manifest(), 9, canonical.clone()).unwrap();
            let mut quiz = Quiz::in_legislatures(manifest(), 9, &typed).unwrap();
            assert_eq!(quiz.deck(), expected.deck(), "{typed:?}");
            assert_eq!(quiz.filters(), &canonical, "{typed:?}");
            assert_eq!(quiz.swap(), expected.swap(), "{typed:?}");
        }
        // No name at all, or only blanks: the default deck (this manifest
        // has no seatings, so no latest legislature: every one).
        let everyone = Quiz::in_legislatures(manifest(), 9, &[" ", ""]).unwrap();
        assert_eq!(everyone.deck(), Quiz::new(manifest(), 9).unwrap().deck());
        assert_eq!(everyone.filters(), &Filters::seated_now(Vec::new()));
        // Legislatures the data lacks leave nothing to ask, and say which.
        let error = Quiz::in_legislatures(manifest(), 9, &["ix", " x "]).unwrap_err();
        assert_eq!(
            error,
            QuizError::NoCardsInLegislatures(vec!["IX".into(), "X".into()])
        );
        assert_eq!(
            error.to_string(),
            "there are no proposals to ask about from legislatures IX, X on this site"
        );
    }

    #[test]
    fn curated_ids_are_trimmed_and_blank_ones_left_out() {
        let ids = |list: &[&str]| list.iter().map(|id| id.to_string()).collect::<Vec<_>>();
        let quiz = Quiz::curated(manifest(), 1, &card_ids(), &ids(&[" p5", "p31 ", "", "p2"]));
        assert_eq!(quiz.unwrap().deck(), &[5, 31, 2]);
    }

    #[test]
    fn an_address_without_a_code_says_so() {
        let error = Quiz::from_share(manifest(), "https://example.org/quiz/").unwrap_err();
        assert_eq!(error, QuizError::NoCode);
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
