//! The quiz engine for JavaScript: bundle in, deck out, answers in,
//! results and reasons out.
//!
//! A page that wants its own interface (a newspaper's embed, another
//! site's quiz) drives [`QuizEngine`] instead of the built-in page. Every
//! decision is made by [`hemiciclo_core::Quiz`], the same code the page
//! and `hemiciclo quiz` / `hemiciclo explain` run; this module only turns
//! values into JavaScript ones. Errors arrive as JavaScript `Error`s whose
//! `name` says what went wrong (`ShareDamaged`, `OtherDataset`,
//! `UnknownAnswer`, ...: see `messages::error_name`) and whose `message`
//! is the Portuguese text the page shows.
//!
//! ```js
//! const quiz = new QuizEngine(manifestText, 42n);
//! for (const path of quiz.shardsNeeded()) quiz.addShard(await fetchText("data/" + path));
//! quiz.answer("for", false); // ... one per card
//! const { scores, verdict, share, reasons } = quiz.results("default");
//! ```

use crate::messages;
use hemiciclo_core::bundle::{shard_path, VOTES_FILE};
use hemiciclo_core::ranking::Verdict;
use hemiciclo_core::sampler::Filters;
use hemiciclo_core::ActorScore;
use hemiciclo_core::{
    Actor, ActorKind, Answer, CardIds, Manifest, Quiz, QuizError, Response, Results, Rule,
    SCHEMA_VERSION,
};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

// One citizen's quiz on a site's bundle. The comments on the exported
// items are plain comments on purpose: wasm-bindgen copies doc comments
// into the JavaScript glue, which every visitor downloads before the first
// question; the README documents this API.
#[wasm_bindgen]
#[derive(Debug)]
pub struct QuizEngine {
    quiz: Quiz,
}

#[wasm_bindgen]
impl QuizEngine {
    // The deck `seed` draws on the bundle whose `manifest.json` is `manifest`.
    #[wasm_bindgen(constructor)]
    pub fn new(manifest: &str, seed: u64) -> Result<QuizEngine, js_sys::Error> {
        QuizEngine::on(manifest, |m| Quiz::new(m, seed))
    }

    // The deck `seed` draws among the cards of `legislatures` only, named
    // as a reader types them (`xv`, ` XV`: trimmed, in capitals, blanks
    // left out; none left means every legislature); swaps stay among them
    // too. `NoCards` when those legislatures have no card.
    #[wasm_bindgen(js_name = inLegislatures)]
    pub fn in_legislatures(
        manifest: &str,
        seed: u64,
        legislatures: Vec<String>,
    ) -> Result<QuizEngine, js_sys::Error> {
        QuizEngine::on(manifest, |m| Quiz::in_legislatures(m, seed, &legislatures))
    }

    // A curated deck: a journalist's proposal ids, in this order, cut at
    // ten; `ids` and `datasetId` are the fields of the bundle's `ids.json`
    // (the page reads the file with `JSON.parse`, which costs the module
    // nothing). `UnknownProposals` names the ids that are not quiz cards;
    // `OtherBuild` when `ids.json` is of another build than the manifest.
    #[wasm_bindgen(js_name = curatedByIds)]
    pub fn curated_by_ids(
        manifest: &str,
        ids: Vec<String>,
        dataset_id: String,
        seed: u64,
        proposals: Vec<String>,
    ) -> Result<QuizEngine, js_sys::Error> {
        let ids = CardIds {
            schema_version: SCHEMA_VERSION,
            dataset_id,
            ids,
        };
        QuizEngine::start(manifest, |m| Quiz::curated(m, seed, &ids, &proposals))
            .map_err(|e| error(messages::error_name(&e), &messages::curated_error(&e)))
    }

    // A curated deck: these card numbers (places in `ids.json`), in this
    // order, cut at ten.
    pub fn curated(
        manifest: &str,
        seed: u64,
        cards: Vec<u32>,
    ) -> Result<QuizEngine, js_sys::Error> {
        let filters = Filters {
            curated: Some(cards),
            ..Filters::default()
        };
        QuizEngine::on(manifest, |m| Quiz::with_filters(m, seed, filters))
    }

    // The finished quiz of a share link (or its code) on this bundle.
    #[wasm_bindgen(js_name = fromShare)]
    pub fn from_share(manifest: &str, link: &str) -> Result<QuizEngine, js_sys::Error> {
        QuizEngine::on(manifest, |m| Quiz::from_share(m, link))
    }

    pub fn seed(&self) -> u64 {
        self.quiz.seed()
    }

    // The legislatures the deck is drawn from, as the data names them
    // (`XV`); empty when it is drawn from all.
    pub fn legislatures(&self) -> Vec<String> {
        self.quiz.filters().legislatures.clone()
    }

    // Card numbers of the deck, in the order asked.
    pub fn deck(&self) -> Vec<u32> {
        self.quiz.deck().to_vec()
    }

    // Paths, relative to the bundle folder, of the shard files the deck
    // still needs, the current card's first.
    #[wasm_bindgen(js_name = shardsNeeded)]
    pub fn shards_needed(&self) -> Vec<String> {
        self.quiz
            .shards_needed()
            .into_iter()
            .map(shard_path)
            .collect()
    }

    // Hands over the text of a shard file.
    #[wasm_bindgen(js_name = addShard)]
    pub fn add_shard(&mut self, text: &str) -> Result<(), js_sys::Error> {
        self.quiz.add_shard(text).map(drop).map_err(to_js)
    }

    // The current card as `{index, id, title, kind, legislature, date,
    // page}`, `null` once the deck is done or while its shard is missing.
    pub fn current(&self) -> JsValue {
        let Some(card) = self.quiz.current().and_then(|i| self.quiz.card(i)) else {
            return JsValue::NULL;
        };
        let out = Object::new();
        set(
            &out,
            "index",
            self.quiz.current().unwrap_or_default().into(),
        );
        set(&out, "id", card.id.as_str().into());
        set(&out, "title", card.title.as_str().into());
        set(&out, "kind", card.kind.as_str().into());
        set(&out, "legislature", card.legislature.as_str().into());
        set(&out, "date", card.date.to_string().into());
        set(&out, "page", card.page.as_str().into());
        out.into()
    }

    // Zero-based place of the current card in the deck.
    pub fn position(&self) -> u32 {
        self.quiz.position() as u32
    }

    // Number of cards in the deck.
    pub fn length(&self) -> u32 {
        self.quiz.deck().len() as u32
    }

    #[wasm_bindgen(js_name = isFinished)]
    pub fn is_finished(&self) -> bool {
        self.quiz.is_finished()
    }

    #[wasm_bindgen(js_name = swapsLeft)]
    pub fn swaps_left(&self) -> u32 {
        self.quiz.swaps_left()
    }

    // Answers the current card: `for`, `against`, `abstain` or `skip`;
    // `important` counts it twice. False once the deck is done.
    pub fn answer(&mut self, answer: &str, important: bool) -> Result<bool, js_sys::Error> {
        let answer = Answer::from_name(answer).ok_or_else(|| {
            error(
                "UnknownAnswer",
                &format!("«{answer}» não é uma resposta: use for, against, abstain ou skip"),
            )
        })?;
        Ok(self.quiz.answer(Response::new(answer, important)))
    }

    // Path, relative to the bundle folder, of the table of every card's
    // votes that continuing the deck needs; `null` once it is given.
    #[wasm_bindgen(js_name = votesNeeded)]
    pub fn votes_needed(&self) -> Option<String> {
        (!self.quiz.has_votes()).then(|| VOTES_FILE.to_owned())
    }

    // Hands over the text of the votes table (`votes.json`).
    #[wasm_bindgen(js_name = addVotes)]
    pub fn add_votes(&mut self, text: &str) -> Result<(), js_sys::Error> {
        self.quiz.add_votes(text).map_err(to_js)
    }

    // The most cards the deck reaches by continuing.
    pub fn cap(&self) -> u32 {
        self.quiz.cap() as u32
    }

    // Whether the deck is done, its verdict not clear and the cap not
    // reached: the page offers to continue. `CardNotLoaded` while a card
    // answered is still loading.
    #[wasm_bindgen(js_name = canContinue)]
    pub fn can_continue(&self) -> Result<bool, js_sys::Error> {
        self.quiz.can_continue().map_err(to_js)
    }

    // Adds the card that best separates the parties the verdict cannot
    // tell apart yet; returns its number (its shard is then needed).
    // `VotesNotLoaded` before `addVotes`; `NoMoreCards` when the deck may
    // not continue.
    #[wasm_bindgen(js_name = continueDeck)]
    pub fn continue_deck(&mut self) -> Result<u32, js_sys::Error> {
        self.quiz.continue_deck().map_err(to_js)
    }

    // The rules whose leader or top three differ from the default rule's,
    // by name.
    #[wasm_bindgen(js_name = rulesThatDiffer)]
    pub fn rules_that_differ(&self) -> Result<Vec<String>, js_sys::Error> {
        let comparison = self.quiz.compare_rules().map_err(to_js)?;
        Ok(comparison
            .differing()
            .into_iter()
            .map(|rule| rule.name().to_owned())
            .collect())
    }

    // Swaps the current card for another; returns the new card's number.
    pub fn swap(&mut self) -> Result<u32, js_sys::Error> {
        self.quiz.swap().map_err(to_js)
    }

    // The results so far under `rule` (`default`, `exact`,
    // `abstain-disagree`, `member-share`): `{rule, counted, verdict,
    // scores, share, reasons}`. `reasons` holds `cards` (per deck place:
    // `{id, title, answer, important, positions}`, one position code per
    // manifest actor), `headToHead` (`{leader, runnerUp, cards: [{card,
    // difference}]}`, positive where the card favoured the leader) and
    // `counterfactuals` (`[{card, answer, leaders}]`: answering deck place
    // `card` with `answer` would put `leaders` first). Scores are best first, each `{actor, name,
    // index, rank, score, low, high, covered}` (`index` is the actor's
    // place in the manifest and in `positions` below; `score` is `null` for an actor
    // no answered card covers; `low`–`high` is its 95% interval).
    pub fn results(&self, rule: &str) -> Result<JsValue, js_sys::Error> {
        let rule = Rule::parse(rule).map_err(|_| {
            error(
                "UnknownRule",
                &format!("«{rule}» não é uma regra: use default, exact, abstain-disagree ou member-share"),
            )
        })?;
        let results = self.quiz.results(rule).map_err(to_js)?;
        Ok(results_object(&self.quiz, &results).into())
    }

    // The share code of the answers so far (the part after `#`).
    #[wasm_bindgen(js_name = shareCode)]
    pub fn share_code(&self) -> Result<String, js_sys::Error> {
        self.quiz.share_code().map_err(to_js)
    }
}

impl QuizEngine {
    /// The quiz `start` makes on the manifest read from `manifest`.
    fn on(
        manifest: &str,
        start: impl FnOnce(Manifest) -> Result<Quiz, QuizError>,
    ) -> Result<QuizEngine, js_sys::Error> {
        QuizEngine::start(manifest, start).map_err(to_js)
    }

    /// [`QuizEngine::on`], leaving the error to the caller to convert.
    fn start(
        manifest: &str,
        start: impl FnOnce(Manifest) -> Result<Quiz, QuizError>,
    ) -> Result<QuizEngine, QuizError> {
        let quiz = Manifest::from_json(manifest)
            .map_err(QuizError::from)
            .and_then(start)?;
        Ok(QuizEngine { quiz })
    }
}

fn to_js(error: QuizError) -> js_sys::Error {
    let text = messages::quiz_error(&error);
    self::error(messages::error_name(&error), &text)
}

fn error(name: &str, message: &str) -> js_sys::Error {
    let error = js_sys::Error::new(message);
    error.set_name(name);
    error
}

fn set(object: &Object, key: &str, value: JsValue) {
    // Only fails on a frozen object or a throwing setter; ours are plain.
    let _ = Reflect::set(object, &JsValue::from_str(key), &value);
}

/// The ids of the actors at `indices` in the manifest.
fn actor_ids(quiz: &Quiz, indices: &[usize]) -> Array {
    let actors = &quiz.manifest().actors;
    indices
        .iter()
        .map(|&i| JsValue::from_str(&actors[i].id))
        .collect()
}

fn results_object(quiz: &Quiz, results: &Results) -> Object {
    let actors = &quiz.manifest().actors;
    let ranking = &results.ranking;
    let out = Object::new();
    set(&out, "rule", ranking.rule.name().into());
    set(&out, "counted", ranking.counted.into());
    set(&out, "share", results.share.as_str().into());

    let field = quiz.field();
    set(
        &out,
        "legislature",
        field
            .legislature
            .as_deref()
            .map_or(JsValue::NULL, JsValue::from),
    );
    set(&out, "length", (quiz.deck().len() as u32).into());
    set(&out, "cap", (quiz.cap() as u32).into());
    set(&out, "scores", score_list(actors, &ranking.scores).into());
    set(&out, "apart", score_list(actors, &ranking.apart).into());

    let verdict = Object::new();
    let kind = match &ranking.verdict {
        Verdict::NoCoverage => "no-coverage",
        Verdict::NoneClose { .. } => "none-close",
        Verdict::TooCloseToCall { .. } => "too-close-to-call",
        Verdict::Alike { .. } => "alike",
        Verdict::Leader { .. } => "leader",
    };
    let who = ranking.verdict.actors();
    set(&verdict, "kind", kind.into());
    set(&verdict, "clear", ranking.verdict.is_clear().into());
    set(&verdict, "actors", actor_ids(quiz, &who).into());
    // How often the leader and each party of its group voted the same
    // (0..1), for "PSD and CDS-PP voted the same way on 91% of the votes".
    let same: Array = who
        .iter()
        .skip(1)
        .map(|&other| {
            field
                .alike_share(who[0], other)
                .map_or(JsValue::NULL, |share| (f64::from(share) / 10_000.0).into())
        })
        .collect();
    set(&verdict, "same", same.into());
    set(&out, "verdict", verdict.into());

    let pairs: Array = ranking
        .pairs
        .iter()
        .map(|pair| {
            let entry = Object::new();
            set(&entry, "leader", actors[pair.leader].id.as_str().into());
            set(&entry, "rival", actors[pair.rival].id.as_str().into());
            set(&entry, "leaderBetter", pair.leader_better.into());
            set(&entry, "rivalBetter", pair.rival_better.into());
            set(&entry, "even", pair.even.into());
            set(&entry, "chance", pair.p_value.into());
            set(&entry, "clear", pair.is_clear().into());
            JsValue::from(entry)
        })
        .collect();
    set(&out, "pairs", pairs.into());

    let explanation = &results.explanation;
    let reasons = Object::new();
    let cards: Array = explanation
        .cards
        .iter()
        .map(|row| {
            let entry = Object::new();
            set(&entry, "id", row.id.as_str().into());
            let title = quiz
                .deck()
                .get(row.card)
                .and_then(|&index| quiz.card(index))
                .map_or("", |card| card.title.as_str());
            set(&entry, "title", title.into());
            let page = quiz
                .deck()
                .get(row.card)
                .and_then(|&index| quiz.card(index))
                .map_or("", |card| card.page.as_str());
            set(&entry, "page", page.into());
            set(&entry, "answer", row.response.answer.name().into());
            set(&entry, "important", row.response.important.into());
            let positions: String = row
                .cells
                .iter()
                .map(|cell| cell.position.map_or('.', |p| p.code()))
                .collect();
            set(&entry, "positions", positions.into());
            JsValue::from(entry)
        })
        .collect();
    set(&reasons, "cards", cards.into());
    if let Some(head) = &explanation.head_to_head {
        let entry = Object::new();
        set(&entry, "leader", actors[head.leader].id.as_str().into());
        set(
            &entry,
            "runnerUp",
            actors[head.runner_up].id.as_str().into(),
        );
        let deciders: Array = head
            .cards
            .iter()
            .map(|d| {
                let decider = Object::new();
                set(&decider, "card", (d.card as u32).into());
                set(&decider, "difference", d.difference.into());
                JsValue::from(decider)
            })
            .collect();
        set(&entry, "cards", deciders.into());
        set(&reasons, "headToHead", entry.into());
    }
    let flips: Array = explanation
        .counterfactuals
        .iter()
        .map(|flip| {
            let entry = Object::new();
            set(&entry, "card", (flip.card as u32).into());
            set(&entry, "answer", flip.answer.name().into());
            set(&entry, "leaders", actor_ids(quiz, &flip.leaders).into());
            JsValue::from(entry)
        })
        .collect();
    set(&reasons, "counterfactuals", flips.into());
    set(&out, "reasons", reasons.into());
    out
}

/// Scores as `{actor, index, name, fullName, rank, score, low, high, covered}`.
fn score_list(actors: &[Actor], scores: &[ActorScore]) -> Array {
    scores
        .iter()
        .map(|score| {
            let entry = Object::new();
            let actor = &actors[score.actor];
            set(&entry, "actor", actor.id.as_str().into());
            set(&entry, "index", (score.actor as u32).into());
            set(&entry, "name", display_name(actor).into());
            set(&entry, "fullName", actor.name.as_str().into());
            set(&entry, "rank", (score.rank as u32).into());
            set(
                &entry,
                "score",
                score.score.map_or(JsValue::NULL, JsValue::from),
            );
            set(&entry, "low", score.interval.0.into());
            set(&entry, "high", score.interval.1.into());
            set(&entry, "covered", score.covered.into());
            JsValue::from(entry)
        })
        .collect()
}

/// A non-attached member goes by the id the source gives them, which says
/// they sit alone in the source's own words ("(Ninsc)", "(fraktionslos)").
fn display_name(actor: &Actor) -> &str {
    match actor.kind {
        ActorKind::Party => &actor.name,
        ActorKind::NonAttached => &actor.id,
    }
}
