//! The quiz engine for JavaScript: bundle in, deck out, answers in; with
//! the `results` feature (`results.rs`) also results, reasons, share codes
//! and continuing a deck.
//!
//! A page that wants its own interface (a newspaper's embed, another
//! site's quiz) drives [`QuizEngine`] instead of the built-in page. Every
//! decision is made by [`hemiciclo_core::Quiz`], the same code the page
//! and `hemiciclo quiz` / `hemiciclo explain` run; this module only turns
//! values into JavaScript ones. Errors arrive as JavaScript `Error`s whose
//! `name` says what went wrong (`ShareDamaged`, `OtherDataset`,
//! `UnknownAnswer`, ...: see `messages::describe`), whose `params` hold
//! the values the page's text for that name needs; `message` repeats the
//! name.
//!
//! ```js
//! const quiz = new QuizEngine(manifestText, 42n);
//! quiz.addChecksums(await fetchText("data/checksums.json")); // results module only
//! for (const path of quiz.shardsNeeded()) quiz.addShard(await fetchText("data/" + path));
//! quiz.answer("for", false); // ... one per card
//! const { scores, verdict, share, reasons } = quiz.results("default");
//! ```

use crate::messages;
use hemiciclo_core::bundle::shard_path;
#[cfg(feature = "results")]
use hemiciclo_core::sampler::Filters;
use hemiciclo_core::{Answer, CardIds, Manifest, Quiz, QuizError, Response, SCHEMA_VERSION};
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

// One citizen's quiz on a site's bundle. The comments on the exported
// items are plain comments on purpose: wasm-bindgen copies doc comments
// into the JavaScript glue, which every visitor downloads before the first
// question; the README documents this API.
#[wasm_bindgen]
#[derive(Debug)]
pub struct QuizEngine {
    quiz: Quiz,
    // The results module refuses any shard or votes table whose checksum
    // is not the one `checksums.json` lists (see `addChecksums`).
    #[cfg(feature = "results")]
    pub(crate) checksums: Option<hemiciclo_core::Checksums>,
}

// A seed for a new deck from the browser's cryptographic random source
// (`crypto.getRandomValues`), for a page that was not given `?seed=`.
#[wasm_bindgen(js_name = randomSeed)]
pub fn random_seed() -> Result<u64, js_sys::Error> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes)
        .map(|()| u64::from_le_bytes(bytes))
        .map_err(|e| js_sys::Error::new(&e.to_string()))
}

#[wasm_bindgen]
impl QuizEngine {
    // The deck `seed` draws on the bundle whose `manifest.json` is
    // `manifest`: `size` proposals (the page's `?cartas=`), else as many as
    // the site's `deck-size`.
    #[wasm_bindgen(constructor)]
    pub fn new(manifest: &str, seed: u64, size: Option<u32>) -> Result<QuizEngine, js_sys::Error> {
        QuizEngine::on(manifest, |m| Quiz::new(sized(m, size), seed))
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
        size: Option<u32>,
    ) -> Result<QuizEngine, js_sys::Error> {
        QuizEngine::on(manifest, |m| {
            Quiz::in_legislatures(sized(m, size), seed, &legislatures)
        })
    }

    // A curated deck: a journalist's proposal ids, all of them, in this
    // order; `ids` and `datasetId` are the fields of the bundle's `ids.json`
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
        QuizEngine::on(manifest, |m| Quiz::curated(m, seed, &ids, &proposals))
    }

    // A curated deck: these card numbers (places in `ids.json`), in this
    // order, all of them. In the results module only: the page asks by
    // ids, and the first-question module carries only what the page needs.
    #[cfg(feature = "results")]
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
        #[cfg(feature = "results")]
        self.check_shard(text)?;
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
        if let Some(summary) = &card.summary {
            set(&out, "summary", summary.as_str().into());
        }
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
                &format!("`{answer}` is not an answer: use for, against, abstain or skip"),
            )
        })?;
        Ok(self.quiz.answer(Response::new(answer, important)))
    }

    // What the results module needs to take the deck over (`resume`): the
    // cards swapped away, the answers as letters (F, A, N, S; lower case
    // when important) and a curated deck's card numbers (empty otherwise).
    #[wasm_bindgen(js_name = swappedOut)]
    pub fn swapped_out(&self) -> Vec<u32> {
        self.quiz.swapped_out()
    }

    pub fn answers(&self) -> String {
        self.quiz.responses().iter().map(|r| r.code()).collect()
    }

    #[wasm_bindgen(js_name = curatedCards)]
    pub fn curated_cards(&self) -> Vec<u32> {
        self.quiz.filters().curated.clone().unwrap_or_default()
    }

    // Swaps the current card for another; returns the new card's number.
    pub fn swap(&mut self) -> Result<u32, js_sys::Error> {
        self.quiz.swap().map_err(to_js)
    }
}

impl QuizEngine {
    #[cfg(feature = "results")]
    pub(crate) fn quiz(&self) -> &Quiz {
        &self.quiz
    }

    #[cfg(feature = "results")]
    pub(crate) fn quiz_mut(&mut self) -> &mut Quiz {
        &mut self.quiz
    }

    /// The quiz `start` makes on the manifest read from `manifest`.
    pub(crate) fn on(
        manifest: &str,
        start: impl FnOnce(Manifest) -> Result<Quiz, QuizError>,
    ) -> Result<QuizEngine, js_sys::Error> {
        let quiz = Manifest::from_json(manifest)
            .map_err(QuizError::from)
            .and_then(start)
            .map_err(to_js)?;
        Ok(QuizEngine {
            quiz,
            #[cfg(feature = "results")]
            checksums: None,
        })
    }
}

/// The manifest with its deck size replaced by `size`, when given.
fn sized(mut manifest: Manifest, size: Option<u32>) -> Manifest {
    if let Some(size) = size {
        manifest.deck_size = size;
    }
    manifest
}

pub(crate) fn to_js(error: QuizError) -> js_sys::Error {
    let (name, values) = messages::describe(&error);
    // The name is the message too: the core's own texts would weigh on
    // the module every visitor downloads, and the page has its own.
    let js = self::error(name, name);
    let params = Object::new();
    for (key, value) in values {
        set(&params, key, value.into());
    }
    set(&js, "params", params.into());
    js
}

pub(crate) fn error(name: &str, message: &str) -> js_sys::Error {
    let error = js_sys::Error::new(message);
    error.set_name(name);
    error
}

pub(crate) fn set(object: &Object, key: &str, value: JsValue) {
    // Only fails on a frozen object or a throwing setter; ours are plain.
    let _ = Reflect::set(object, &JsValue::from_str(key), &value);
}
