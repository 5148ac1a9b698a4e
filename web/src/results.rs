//! The results half of the engine: scores, verdict, reasons, share
//! codes, and continuing an unclear deck. Built only with the `results`
//! feature, into a module of its own (`hemiciclo_results`) that the page
//! loads once the first card is on screen: the module that asks the first
//! question stays small (see the README's budget).

use crate::api::{error, set, to_js, QuizEngine};
use hemiciclo_core::bundle::{shard_head, shard_path, Checksums, VOTES_FILE};
use hemiciclo_core::ranking::Verdict;
use hemiciclo_core::sampler::Filters;
use hemiciclo_core::{Actor, ActorScore, Manifest, Quiz, QuizError, Response, Results, Rule};
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl QuizEngine {
    // The deck module's quiz, taken over: the manifest, the seed, the
    // legislatures and curated cards it draws among (`legislatures()`,
    // `curatedCards()`), its cards, the cards swapped away and the
    // answers as `answers()` writes them.
    pub fn resume(
        manifest: &str,
        seed: u64,
        legislatures: Vec<String>,
        curated: Vec<u32>,
        deck: Vec<u32>,
        swapped_out: Vec<u32>,
        answers: &str,
    ) -> Result<QuizEngine, js_sys::Error> {
        let filters = if curated.is_empty() {
            Filters::seated_now(legislatures)
        } else {
            Filters {
                curated: Some(curated),
                ..Filters::default()
            }
        };
        let responses: Vec<Response> = answers.chars().filter_map(Response::from_code).collect();
        QuizEngine::on(manifest, |m: Manifest| {
            Quiz::resume(m, seed, filters, deck, &swapped_out, responses)
        })
    }

    // The finished quiz of a share link (or its code) on this bundle.
    #[wasm_bindgen(js_name = fromShare)]
    pub fn from_share(manifest: &str, link: &str) -> Result<QuizEngine, js_sys::Error> {
        QuizEngine::on(manifest, |m| Quiz::from_share(m, link))
    }

    // Path, relative to the bundle folder, of the table of every card's
    // votes that continuing the deck needs; `null` once it is given.
    #[wasm_bindgen(js_name = votesNeeded)]
    pub fn votes_needed(&self) -> Option<String> {
        (!self.quiz().has_votes()).then(|| VOTES_FILE.to_owned())
    }

    // Hands over the text of `checksums.json`, which every shard and the
    // votes table are checked against before this module takes them: a
    // verdict is never drawn from a file changed after the build. Before
    // it, `addShard` and `addVotes` refuse with `ChecksumsNotLoaded`;
    // after it, a changed file with `BundleTampered`.
    #[wasm_bindgen(js_name = addChecksums)]
    pub fn add_checksums(&mut self, text: &str) -> Result<(), js_sys::Error> {
        let checksums = Checksums::from_json(text, self.quiz().manifest())
            .map_err(|e| to_js(QuizError::Bundle(e)))?;
        self.checksums = Some(checksums);
        Ok(())
    }

    // Hands over the text of the votes table (`votes.json`).
    #[wasm_bindgen(js_name = addVotes)]
    pub fn add_votes(&mut self, text: &str) -> Result<(), js_sys::Error> {
        self.checked()?
            .check(VOTES_FILE, text)
            .map_err(|e| to_js(QuizError::Bundle(e)))?;
        self.quiz_mut().add_votes(text).map_err(to_js)
    }

    // The most cards the deck reaches by continuing.
    pub fn cap(&self) -> u32 {
        self.quiz().cap() as u32
    }

    // Whether the deck is done, its verdict not clear and the cap not
    // reached: the page offers to continue. `CardNotLoaded` while a card
    // answered is still loading.
    #[wasm_bindgen(js_name = canContinue)]
    pub fn can_continue(&self) -> Result<bool, js_sys::Error> {
        self.quiz().can_continue().map_err(to_js)
    }

    // Adds the card that best separates the parties the verdict cannot
    // tell apart yet; returns its number (its shard is then needed).
    // `VotesNotLoaded` before `addVotes`; `NoMoreCards` when the deck may
    // not continue.
    #[wasm_bindgen(js_name = continueDeck)]
    pub fn continue_deck(&mut self) -> Result<u32, js_sys::Error> {
        self.quiz_mut().continue_deck().map_err(to_js)
    }

    // The rules whose leader or top three differ from the default rule's,
    // by name.
    #[wasm_bindgen(js_name = rulesThatDiffer)]
    pub fn rules_that_differ(&self) -> Result<Vec<String>, js_sys::Error> {
        let comparison = self.quiz().compare_rules().map_err(to_js)?;
        Ok(comparison
            .differing()
            .into_iter()
            .map(|rule| rule.name().to_owned())
            .collect())
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
                &format!(
                    "`{rule}` is not a rule: use default, exact, abstain-disagree or member-share"
                ),
            )
        })?;
        let results = self.quiz().results(rule).map_err(to_js)?;
        Ok(results_object(self.quiz(), &results).into())
    }

    // The share code of the answers so far (the part after `#`).
    #[wasm_bindgen(js_name = shareCode)]
    pub fn share_code(&self) -> Result<String, js_sys::Error> {
        self.quiz().share_code().map_err(to_js)
    }
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

/// An actor goes by the id the source gives it: a party's acronym (its
/// full name is shown beside it), and for a non-attached member the id
/// that says they sit alone in the source's own words ("(Ninsc)").
fn display_name(actor: &Actor) -> &str {
    &actor.id
}

impl QuizEngine {
    /// The checksum list, or `ChecksumsNotLoaded`.
    fn checked(&self) -> Result<&Checksums, js_sys::Error> {
        self.checksums
            .as_ref()
            .ok_or_else(|| error("ChecksumsNotLoaded", "ChecksumsNotLoaded"))
    }

    /// Refuses a shard that is not the one the build wrote: one of another
    /// build's layout as such (`OtherBuild`, a reload helps), any other
    /// difference as `BundleTampered`.
    pub(crate) fn check_shard(&self, text: &str) -> Result<(), js_sys::Error> {
        let manifest = self.quiz().manifest();
        let (layout_id, first) = shard_head(text).map_err(|e| to_js(QuizError::Bundle(e)))?;
        if layout_id != manifest.layout_id {
            return Err(to_js(QuizError::OtherBuild));
        }
        self.checked()?
            .check(&shard_path(manifest.shard_of(first)), text)
            .map_err(|e| to_js(QuizError::Bundle(e)))
    }
}
