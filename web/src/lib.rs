//! The quiz in the browser.
//!
//! A thin layer: it fetches the bundle, asks the core for a deck and for
//! the scores, and writes them into the page the generator rendered. All
//! decisions (which cards, what score) are made by `hemiciclo-core`, which
//! is tested natively; this crate only moves data between it and the DOM.

mod api;
mod dom;
mod messages;
mod net;
mod view;

pub use api::QuizEngine;

use hemiciclo_core::bundle::{shard_path, MANIFEST_FILE};
use hemiciclo_core::{Answer, Manifest, Quiz, QuizError, Response};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;

/// The quiz's state for one page view.
#[derive(Debug)]
struct App {
    /// URL of the bundle folder, relative to the page.
    bundle: String,
    /// Path from the page to the site root.
    root: String,
    quiz: Quiz,
    started: bool,
}

type Shared = Rc<RefCell<App>>;

#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&JsValue::from_str(&info.to_string()));
    }));
    let Some(quiz) = dom::by_id("quiz") else {
        return; // Not a page with the quiz: the module serves the API only.
    };
    spawn_local(async move {
        if let Err(message) = load(&quiz).await {
            view::show_status(&message);
        }
    });
}

/// Fetches the manifest, then either shows the results a share link holds
/// or draws a deck, fetches its first card and lets the citizen start
/// while the other cards arrive.
async fn load(quiz: &web_sys::Element) -> Result<(), String> {
    let bundle = quiz
        .get_attribute("data-bundle")
        .unwrap_or_else(|| "data/".into());
    let root = quiz.get_attribute("data-root").unwrap_or_default();
    let manifest = read_manifest(&net::fetch_text(&format!("{bundle}{MANIFEST_FILE}")).await?)?;
    let link = dom::fragment();
    let mut link_problem = None;
    if !link.is_empty() {
        match Quiz::from_share(manifest.clone(), &link) {
            Ok(shared) => {
                let app = new_app(bundle, root, shared, true);
                let needed = app.borrow().quiz.shards_needed();
                for shard in needed {
                    load_shard(&app, shard).await?;
                }
                wire(&app, Vec::new());
                view::render(&app.borrow());
                return Ok(());
            }
            Err(error) => link_problem = Some(messages::quiz_error(&error)),
        }
    }
    let seed = dom::query_param("seed")
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(dom::random_seed);
    let fresh = Quiz::new(manifest, seed).map_err(|e| messages::quiz_error(&e))?;
    let mut needed = fresh.shards_needed();
    let app = new_app(bundle, root, fresh, false);
    if !needed.is_empty() {
        load_shard(&app, needed.remove(0)).await?;
    }
    wire(&app, needed);
    view::ready_to_start(seed, link_problem.as_deref());
    Ok(())
}

fn new_app(bundle: String, root: String, quiz: Quiz, started: bool) -> Shared {
    Rc::new(RefCell::new(App {
        bundle,
        root,
        quiz,
        started,
    }))
}

/// Fetches shards in the background; the page is drawn again as each
/// arrives.
fn load_in_background(app: &Shared, shards: Vec<u32>) {
    for shard in shards {
        let app = app.clone();
        spawn_local(async move {
            if let Err(message) = load_shard(&app, shard).await {
                view::show_status(&message);
            }
        });
    }
}

/// Reads the manifest, turning a format this module does not know into a
/// message for the citizen.
fn read_manifest(text: &str) -> Result<Manifest, String> {
    Manifest::from_json(text).map_err(|e| messages::quiz_error(&QuizError::Bundle(e)))
}

async fn load_shard(app: &Shared, index: u32) -> Result<(), String> {
    let url = format!("{}{}", app.borrow().bundle, shard_path(index));
    let text = net::fetch_text(&url).await?;
    let mut state = app.borrow_mut();
    state
        .quiz
        .add_shard(&text)
        .map_err(|e| messages::quiz_error(&e))?;
    if state.started {
        view::render(&state);
    }
    Ok(())
}

/// Connects the buttons to the state; `rest` are the shards still to
/// fetch once the citizen starts.
fn wire(app: &Shared, rest: Vec<u32>) {
    let on_start = app.clone();
    let mut rest = Some(rest);
    dom::on_click("start", move |_| {
        {
            let mut state = on_start.borrow_mut();
            state.started = true;
            view::render(&state);
        }
        if let Some(rest) = rest.take() {
            load_in_background(&on_start, rest);
        }
    });
    let on_answer = app.clone();
    dom::on_click("answers", move |target| {
        let Some(answer) = target.and_then(|t| answer_of(&t)) else {
            return;
        };
        let mut state = on_answer.borrow_mut();
        let response = Response::new(answer, view::take_important());
        if view::card_is_ready() && state.quiz.answer(response) {
            view::render(&state);
        }
    });
    let on_swap = app.clone();
    dom::on_click("swap", move |_| {
        let swapped = on_swap.borrow_mut().quiz.swap();
        match swapped {
            Ok(_) => {
                let missing = on_swap.borrow().quiz.shards_needed();
                view::render(&on_swap.borrow());
                load_in_background(&on_swap, missing);
            }
            Err(error) => view::show_status(&messages::quiz_error(&error)),
        }
    });
}

/// The answer a clicked answer button stands for.
fn answer_of(target: &web_sys::Element) -> Option<Answer> {
    let button = target.closest("[data-answer]").ok()??;
    api::parse_answer(&button.get_attribute("data-answer")?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hemiciclo_core::sampler::{
        draw_deck, pinned_cards, DeckSampler, Stratified, DEFAULT_DECK_SIZE, PINNED_DECKS,
        PINNED_STRATIFIED,
    };
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn a_seed_draws_the_same_deck_here_as_natively() {
        // The same vectors the core's native tests check.
        for &(pool, size, seed, deck) in PINNED_DECKS {
            assert_eq!(draw_deck(pool, size, seed), deck, "{pool} {size} {seed}");
        }
        for &(count, seed, deck) in PINNED_STRATIFIED {
            let sampler = Stratified::new(pinned_cards(count));
            assert_eq!(
                sampler.draw(DEFAULT_DECK_SIZE, seed),
                deck,
                "{count} {seed}"
            );
        }
    }

    #[wasm_bindgen_test]
    fn an_unknown_bundle_version_gets_a_message_not_a_misreading() {
        let message = read_manifest(r#"{"schema_version": 99, "cards": "anything"}"#).unwrap_err();
        assert!(message.contains("version 99"), "{message}");
        assert!(
            message.starts_with("Não foi possível ler os dados"),
            "{message}"
        );
    }

    #[wasm_bindgen_test]
    fn answer_buttons_map_to_answers() {
        let document = dom::document();
        let button = document.create_element("button").unwrap();
        button.set_attribute("data-answer", "abstain").unwrap();
        let inner = document.create_element("span").unwrap();
        button.append_child(&inner).unwrap();
        assert_eq!(answer_of(&inner), Some(Answer::Abstain));
        button.set_attribute("data-answer", "maybe").unwrap();
        assert_eq!(answer_of(&button), None);
    }

    /// A manifest of `actors` (`(id, kind)`) and `count` cards, one shard.
    fn manifest_json(actors: &[(&str, &str)], count: usize) -> String {
        let actors: Vec<String> = actors
            .iter()
            .map(|(id, kind)| format!(r#"{{"id":"{id}","name":"{id}","kind":"{kind}"}}"#))
            .collect();
        format!(
            r#"{{"schema_version":3,"dataset_id":"a1b2c3d4e5f6","card_count":{count},"shard_size":16,
                "actors":[{}],"sampling":{{"legislatures":[["XV",{count}]],"strata":"{}","splits":"{}"}}}}"#,
            actors.join(","),
            "o".repeat(count),
            "5".repeat(count)
        )
    }

    /// The shard of cards whose packed votes are `votes`.
    fn shard_json(dataset_id: &str, votes: &[&str]) -> String {
        let cards: Vec<String> = votes
            .iter()
            .enumerate()
            .map(|(i, votes)| {
                format!(
                    r#"{{"id":"{i}","title":"t{i}","kind":"k","legislature":"XV","date":"2023-01-02","phase":"p","result":null,"page":"p/{i}/","votes":"{votes}"}}"#
                )
            })
            .collect();
        format!(
            r#"{{"schema_version":3,"dataset_id":"{dataset_id}","first":0,"cards":[{}]}}"#,
            cards.join(",")
        )
    }

    fn results_list() -> web_sys::Element {
        let document = dom::document();
        if let Some(old) = dom::by_id("result-list") {
            old.remove();
        }
        let list = document.create_element("ol").unwrap();
        list.set_id("result-list");
        document.body().unwrap().append_child(&list).unwrap();
        list
    }

    fn app(manifest: &str, shard: &str, answers: &[Answer]) -> App {
        let mut quiz = Quiz::new(read_manifest(manifest).unwrap(), 1).unwrap();
        quiz.add_shard(shard).unwrap();
        for &answer in answers {
            quiz.answer(Response::new(answer, false));
        }
        App {
            bundle: String::new(),
            root: String::new(),
            quiz,
            started: true,
        }
    }

    fn item(list: &web_sys::Element, index: u32) -> web_sys::Element {
        let items = list
            .query_selector_all("[data-testid=party-score]")
            .unwrap();
        items.get(index).unwrap().dyn_into().unwrap()
    }

    #[wasm_bindgen_test]
    fn results_list_one_scored_entry_per_covered_actor_with_its_interval() {
        let list = results_list();
        let manifest = manifest_json(
            &[
                ("A", "party"),
                ("B", "party"),
                ("C (Ninsc)", "non-attached"),
            ],
            2,
        );
        let app = app(
            &manifest,
            &shard_json("a1b2c3d4e5f6", &["FA.", "FN."]),
            &[Answer::For, Answer::For],
        );
        view::render_results(&app);
        let count = list
            .query_selector_all("[data-testid=party-score]")
            .unwrap()
            .length();
        assert_eq!(count, 2, "C voted on no card");
        let first = item(&list, 0);
        assert_eq!(first.get_attribute("data-actor").as_deref(), Some("A"));
        assert_eq!(first.get_attribute("data-score").as_deref(), Some("1.0000"));
        let high = first.get_attribute("data-high").unwrap();
        let low = first.get_attribute("data-low").unwrap();
        assert_eq!(high, "1.0000");
        assert!(low.as_str() < "1.0000" && low.as_str() > "0.0000", "{low}");
        let second = item(&list, 1);
        assert_eq!(
            second.get_attribute("data-score").as_deref(),
            Some("0.2500")
        );
        assert_eq!(second.get_attribute("data-covered").as_deref(), Some("2"));
        list.remove();
    }

    #[wasm_bindgen_test]
    fn a_non_attached_member_is_named_as_the_source_names_them() {
        let list = results_list();
        let manifest = manifest_json(&[("Erika Mustermann (fraktionslos)", "non-attached")], 1);
        let app = app(
            &manifest,
            &shard_json("a1b2c3d4e5f6", &["F"]),
            &[Answer::For],
        );
        view::render_results(&app);
        let name = list.query_selector(".name").unwrap().unwrap();
        assert_eq!(
            name.text_content().as_deref(),
            Some("Erika Mustermann (fraktionslos)")
        );
        list.remove();
    }

    #[wasm_bindgen_test]
    fn a_shard_of_another_build_of_the_site_is_refused_with_a_reload_message() {
        let manifest = read_manifest(&manifest_json(&[("A", "party")], 1)).unwrap();
        let mut quiz = Quiz::new(manifest, 1).unwrap();
        let error = quiz
            .add_shard(&shard_json("0f0f0f0f0f0f", &["F"]))
            .unwrap_err();
        let message = messages::quiz_error(&error);
        assert!(message.contains("O site foi atualizado"), "{message}");
        assert!(message.contains("Recarregue a página"), "{message}");
        assert!(quiz.add_shard(&shard_json("a1b2c3d4e5f6", &["F"])).is_ok());
    }

    fn get(value: &JsValue, key: &str) -> JsValue {
        js_sys::Reflect::get(value, &JsValue::from_str(key)).unwrap()
    }

    #[wasm_bindgen_test]
    fn the_api_takes_a_bundle_and_answers_and_gives_results_and_a_link_that_reads_back() {
        let manifest = manifest_json(&[("A", "party"), ("B", "party")], 12);
        let votes = ["FA"; 12];
        let shard = shard_json("a1b2c3d4e5f6", &votes);
        let mut engine = QuizEngine::new(&manifest, 42).unwrap();
        assert_eq!(engine.shards_needed(), vec!["cards/0.json".to_owned()]);
        assert!(engine.current().is_null(), "no card before its shard");
        engine.add_shard(&shard).unwrap();
        assert!(engine.shards_needed().is_empty());
        let first = engine.current();
        assert_eq!(
            get(&first, "index").as_f64(),
            Some(f64::from(engine.deck()[0]))
        );
        engine.swap().unwrap();
        for i in 0..engine.deck().len() {
            let answer = if i % 2 == 0 { "for" } else { "skip" };
            assert!(engine.answer(answer, i == 0).unwrap());
        }
        assert!(!engine.answer("for", false).unwrap(), "the deck is done");
        let bad = engine.answer("maybe", false).unwrap_err();
        assert_eq!(String::from(bad.name()), "UnknownAnswer");

        let results = engine.results("default").unwrap();
        assert_eq!(get(&results, "counted").as_f64(), Some(5.0));
        let verdict = get(&results, "verdict");
        assert_eq!(get(&verdict, "kind").as_string().as_deref(), Some("leader"));
        let scores: js_sys::Array = get(&results, "scores").dyn_into().unwrap();
        let top = scores.get(0);
        assert_eq!(get(&top, "actor").as_string().as_deref(), Some("A"));
        assert_eq!(get(&top, "score").as_f64(), Some(1.0));
        assert!(get(&top, "low").as_f64().unwrap() < 1.0);
        let reasons = get(&results, "reasons");
        let cards: js_sys::Array = get(&reasons, "cards").dyn_into().unwrap();
        assert_eq!(cards.length(), 10);
        assert_eq!(
            get(&cards.get(0), "positions").as_string().as_deref(),
            Some("FA")
        );

        let share = get(&results, "share").as_string().unwrap();
        let mut again =
            QuizEngine::from_share(&manifest, &format!("https://example.org/#{share}")).unwrap();
        again.add_shard(&shard).unwrap();
        assert_eq!(again.deck(), engine.deck());
        let back = again.results("default").unwrap();
        assert_eq!(get(&back, "share").as_string(), Some(share.clone()));
        let exact = again.results("exact").unwrap();
        assert_eq!(get(&exact, "rule").as_string().as_deref(), Some("exact"));
        let unknown = again.results("best").unwrap_err();
        assert_eq!(String::from(unknown.name()), "UnknownRule");

        // One character changed: the check catches it.
        let mut damaged = share.into_bytes();
        let last = damaged.len() - 3;
        damaged[last] = if damaged[last] == b'A' { b'B' } else { b'A' };
        let damaged = String::from_utf8(damaged).unwrap();
        let error = QuizEngine::from_share(&manifest, &damaged).unwrap_err();
        assert_eq!(String::from(error.name()), "ShareDamaged");
        let message = String::from(error.message());
        assert!(message.contains("danificada"), "{message}");
    }

    #[wasm_bindgen_test]
    fn a_link_of_other_data_is_recognised_and_explained() {
        let manifest = manifest_json(&[("A", "party")], 12);
        let mut engine = QuizEngine::new(&manifest, 3).unwrap();
        while engine.answer("for", false).unwrap() {}
        let code = engine.share_code().unwrap();
        let newer = manifest.replace("a1b2c3d4e5f6", "0f0f0f0f0f0f");
        let error = QuizEngine::from_share(&newer, &code).unwrap_err();
        assert_eq!(String::from(error.name()), "OtherDataset");
        let message = String::from(error.message());
        assert!(
            message.contains("a1b2c3") && message.contains("0f0f0f0f0f0f"),
            "{message}"
        );
    }
}
