//! The quiz in the browser.
//!
//! A thin layer: it fetches the bundle, asks the core for a deck and for
//! the scores, and writes them into the page the generator rendered. All
//! decisions (which cards, what score) are made by `hemiciclo-core`, which
//! is tested natively; this crate only moves data between it and the DOM.

mod dom;
mod net;
mod view;

use hemiciclo_core::bundle::{shard_path, MANIFEST_FILE};
use hemiciclo_core::sampler::{draw_deck, DEFAULT_DECK_SIZE};
use hemiciclo_core::{Answer, Manifest, Session, Shard};
use std::cell::RefCell;
use std::collections::BTreeMap;
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
    manifest: Manifest,
    session: Session,
    shards: BTreeMap<u32, Shard>,
    started: bool,
}

type Shared = Rc<RefCell<App>>;

#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&JsValue::from_str(&info.to_string()));
    }));
    let Some(quiz) = dom::by_id("quiz") else {
        return; // Not a page with a quiz.
    };
    spawn_local(async move {
        if let Err(message) = load(&quiz).await {
            view::show_status(&message);
        }
    });
}

/// Fetches the manifest, draws the deck and the first card, then lets the
/// citizen start while the other cards arrive.
async fn load(quiz: &web_sys::Element) -> Result<(), String> {
    let bundle = quiz
        .get_attribute("data-bundle")
        .unwrap_or_else(|| "data/".into());
    let root = quiz.get_attribute("data-root").unwrap_or_default();
    let manifest = read_manifest(&net::fetch_text(&format!("{bundle}{MANIFEST_FILE}")).await?)?;
    let seed = dom::query_param("seed")
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(dom::random_seed);
    let deck = draw_deck(manifest.card_count, DEFAULT_DECK_SIZE, seed);
    let Some(&first) = deck.first() else {
        return Err("Não há propostas para perguntar neste site.".into());
    };
    let mut needed: Vec<u32> = deck.iter().map(|&card| manifest.shard_of(card)).collect();
    needed.sort_unstable();
    needed.dedup();
    let first_shard = manifest.shard_of(first);

    let app: Shared = Rc::new(RefCell::new(App {
        bundle,
        root,
        manifest,
        session: Session::new(deck),
        shards: BTreeMap::new(),
        started: false,
    }));
    load_shard(&app, first_shard).await?;
    let rest = needed.into_iter().filter(|&s| s != first_shard).collect();
    wire(&app, rest);
    view::ready_to_start(seed);
    Ok(())
}

/// Fetches the other cards of the deck while the first one is read; they
/// wait for the start so that on a slow line the first card comes first.
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
    Manifest::from_json(text).map_err(|e| format!("Não foi possível ler os dados: {e}."))
}

async fn load_shard(app: &Shared, index: u32) -> Result<(), String> {
    let url = format!("{}{}", app.borrow().bundle, shard_path(index));
    let text = net::fetch_text(&url).await?;
    let shard = read_shard(&text, &url, &app.borrow().manifest)?;
    let mut state = app.borrow_mut();
    state.shards.insert(index, shard);
    if state.started {
        view::render(&state);
    }
    Ok(())
}

/// Reads a shard, refusing one that does not belong to `manifest`: the
/// site was published again between the two fetches (or a cache kept an
/// old file), and mixing the two would ask and score the wrong cards.
fn read_shard(text: &str, url: &str, manifest: &Manifest) -> Result<Shard, String> {
    let shard = Shard::from_json(text).map_err(|e| format!("Não foi possível ler {url}: {e}."))?;
    if !shard.belongs_to(manifest) {
        return Err(
            "O site foi atualizado entretanto e estes dados já não correspondem. \
                    Recarregue a página para recomeçar com os dados novos."
                .into(),
        );
    }
    Ok(shard)
}

/// Connects the start and answer buttons to the state; `rest` are the
/// shards still to fetch once the citizen starts.
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
        if view::card_is_ready() && state.session.answer(answer) {
            view::render(&state);
        }
    });
}

/// The answer a clicked answer button stands for.
fn answer_of(target: &web_sys::Element) -> Option<Answer> {
    let button = target.closest("[data-answer]").ok()??;
    match button.get_attribute("data-answer")?.as_str() {
        "for" => Some(Answer::For),
        "against" => Some(Answer::Against),
        "abstain" => Some(Answer::Abstain),
        "skip" => Some(Answer::Skip),
        _ => None,
    }
}

impl App {
    fn card(&self, index: u32) -> Option<&hemiciclo_core::Card> {
        self.shards
            .get(&self.manifest.shard_of(index))
            .and_then(|shard| shard.card(index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn a_seed_draws_the_same_deck_here_as_natively() {
        // The same vectors the core's native tests check.
        for &(pool, size, seed, deck) in hemiciclo_core::sampler::PINNED_DECKS {
            assert_eq!(
                draw_deck(pool, size, seed),
                deck.to_vec(),
                "{pool} {size} {seed}"
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

    #[wasm_bindgen_test]
    fn results_list_one_scored_entry_per_covered_actor() {
        let document = dom::document();
        let list = document.create_element("ol").unwrap();
        list.set_id("result-list");
        document.body().unwrap().append_child(&list).unwrap();
        let manifest = read_manifest(
            r#"{"schema_version":2,"dataset_id":"t","card_count":2,"shard_size":16,
                "actors":[{"id":"A","name":"A","kind":"party"},{"id":"B","name":"B","kind":"party"},
                          {"id":"C (Ninsc)","name":"C","kind":"non-attached"}]}"#,
        )
        .unwrap();
        let shard = read_shard(
            r#"{"schema_version":2,"dataset_id":"t","first":0,"cards":[
                {"id":"1","title":"t","kind":"k","legislature":"XV","date":"2023-01-02","phase":"p","result":null,"page":"p/1/","votes":"FA."},
                {"id":"2","title":"t","kind":"k","legislature":"XV","date":"2023-01-02","phase":"p","result":null,"page":"p/2/","votes":"FN."}]}"#,
            "data/cards/0.json",
            &manifest,
        )
        .unwrap();
        let mut session = Session::new(vec![0, 1]);
        session.answer(Answer::For);
        session.answer(Answer::For);
        let app = App {
            bundle: String::new(),
            root: String::new(),
            manifest,
            session,
            shards: BTreeMap::from([(0, shard)]),
            started: true,
        };
        view::render_results(&app);
        let items = list
            .query_selector_all("[data-testid=party-score]")
            .unwrap();
        assert_eq!(items.length(), 2, "C voted on no card");
        let first = items
            .get(0)
            .unwrap()
            .dyn_into::<web_sys::Element>()
            .unwrap();
        assert_eq!(first.get_attribute("data-actor").as_deref(), Some("A"));
        assert_eq!(first.get_attribute("data-score").as_deref(), Some("1.0000"));
        let second = items
            .get(1)
            .unwrap()
            .dyn_into::<web_sys::Element>()
            .unwrap();
        assert_eq!(
            second.get_attribute("data-score").as_deref(),
            Some("0.2500")
        );
        assert_eq!(second.get_attribute("data-covered").as_deref(), Some("2"));
        list.remove();
    }

    #[wasm_bindgen_test]
    fn a_non_attached_member_is_named_as_the_source_names_them() {
        let document = dom::document();
        let list = document.create_element("ol").unwrap();
        list.set_id("result-list");
        document.body().unwrap().append_child(&list).unwrap();
        let manifest = read_manifest(
            r#"{"schema_version":2,"dataset_id":"t","card_count":1,"shard_size":16,
                "actors":[{"id":"Erika Mustermann (fraktionslos)","name":"Erika Mustermann","kind":"non-attached"}]}"#,
        )
        .unwrap();
        let shard = read_shard(
            r#"{"schema_version":2,"dataset_id":"t","first":0,"cards":[
                {"id":"1","title":"t","kind":"k","legislature":"2020-2026","date":"2023-01-02","phase":"p","result":null,"page":"p/1/","votes":"F"}]}"#,
            "data/cards/0.json",
            &manifest,
        )
        .unwrap();
        let mut session = Session::new(vec![0]);
        session.answer(Answer::For);
        let app = App {
            bundle: String::new(),
            root: String::new(),
            manifest,
            session,
            shards: BTreeMap::from([(0, shard)]),
            started: true,
        };
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
        let manifest = read_manifest(
            r#"{"schema_version":2,"dataset_id":"new","card_count":1,"shard_size":16,"actors":[]}"#,
        )
        .unwrap();
        let message = read_shard(
            r#"{"schema_version":2,"dataset_id":"old","first":0,"cards":[]}"#,
            "data/cards/0.json",
            &manifest,
        )
        .unwrap_err();
        assert!(message.contains("O site foi atualizado"), "{message}");
        assert!(message.contains("Recarregue a página"), "{message}");
        let matching = read_shard(
            r#"{"schema_version":2,"dataset_id":"new","first":0,"cards":[]}"#,
            "data/cards/0.json",
            &manifest,
        );
        assert!(matching.is_ok(), "{matching:?}");
    }
}
