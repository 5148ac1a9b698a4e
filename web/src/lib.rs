//! The quiz engine in the browser.
//!
//! A thin layer: [`QuizEngine`] hands JavaScript the core's
//! [`hemiciclo_core::Quiz`] (bundle in, deck out, answers in, results and
//! reasons out) and converts values and errors at the boundary. The site's
//! page (`static/quiz.js`) draws itself with it; an embed or another site
//! can do the same. All decisions (which cards, what score) are made by
//! `hemiciclo-core`, which is tested natively; the DOM is JavaScript's job,
//! which keeps this module small. It is built twice (see `xtask/src/wasm.rs`):
//! without the `results` feature for the first question (budget 40 KB
//! gzipped), and with it for the results and continued decks.

mod api;
mod messages;
#[cfg(feature = "results")]
mod results;

pub use api::{random_seed, QuizEngine};

// The first-question module allocates little for one visit: a small
// allocator (lol_alloc's free list) instead of dlmalloc saves about 7 KB
// of its 40 KB budget. The results module keeps the standard one.
#[cfg(all(target_arch = "wasm32", not(feature = "results")))]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

#[cfg(feature = "results")]
use wasm_bindgen::prelude::*;

#[cfg(feature = "results")]
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console)]
    fn error(message: &str);
}

/// Runs when the module is instantiated: a panic (a bug) is written to the
/// console instead of vanishing into an "unreachable" trap. The results
/// module only: in the first-question module the message's formatting
/// would cost 700 bytes of its budget, and its panics still stop with a
/// trap the page reports.
#[cfg(feature = "results")]
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| error(&info.to_string())));
}

#[cfg(test)]
mod tests {
    use super::*;
    use hemiciclo_core::bundle::checksum;
    use hemiciclo_core::sampler::{draw_deck, DeckSampler, Stratified, DEFAULT_DECK_SIZE};
    use hemiciclo_core::test_vectors::{pinned_cards, PINNED_DECKS, PINNED_STRATIFIED};
    use hemiciclo_core::SCHEMA_VERSION;
    use wasm_bindgen::JsCast;
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

    /// A manifest of `actors` (`(id, kind)`) and `count` cards.
    fn manifest_json(actors: &[(&str, &str)], count: usize) -> String {
        checked_bundle(actors, count, &[]).0
    }

    /// A manifest of `actors` and `count` cards, and its checksum list
    /// holding `shards` (the results module takes a shard only once the
    /// list names it).
    fn checked_bundle(
        actors: &[(&str, &str)],
        count: usize,
        shards: &[String],
    ) -> (String, String) {
        let sums: Vec<String> = shards
            .iter()
            .map(|shard| format!("\"{}\"", checksum(shard.as_bytes())))
            .collect();
        let list = format!(
            r#"{{"schema_version":{SCHEMA_VERSION},"layout_id":"a1b2c3d4e5f6","files":[],"shards":[{}]}}"#,
            sums.join(",")
        );
        let actors: Vec<String> = actors
            .iter()
            .map(|(id, kind)| format!(r#"{{"id":"{id}","name":"{id}","kind":"{kind}"}}"#))
            .collect();
        let manifest = format!(
            r#"{{"schema_version":{SCHEMA_VERSION},"dataset_id":"a1b2c3d4e5f6","layout_id":"a1b2c3d4e5f6","card_count":{count},"shard_size":16,
                "actors":[{}],"sampling":{{"runs":[["XV","o51",{count}]]}},"checksums":"{}"}}"#,
            actors.join(","),
            checksum(list.as_bytes())
        );
        (manifest, list)
    }

    /// The value the page's text for `error` names `key`.
    fn param(error: &js_sys::Error, key: &str) -> String {
        get(&get(error, "params"), key)
            .as_string()
            .unwrap_or_else(|| panic!("no param {key}"))
    }

    /// The shard of cards whose packed votes are `votes`, of the bundle
    /// whose layout is `layout_id`.
    fn shard_json(layout_id: &str, votes: &[&str]) -> String {
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
            r#"{{"schema_version":{SCHEMA_VERSION},"layout_id":"{layout_id}","first":0,"cards":[{}]}}"#,
            cards.join(",")
        )
    }

    #[wasm_bindgen_test]
    fn an_unknown_bundle_version_gets_a_message_not_a_misreading() {
        let error =
            QuizEngine::new(r#"{"schema_version": 99, "cards": "anything"}"#, 1, None).unwrap_err();
        assert_eq!(String::from(error.name()), "BundleVersion");
        assert_eq!(param(&error, "found"), "99");
        assert_eq!(param(&error, "supported"), SCHEMA_VERSION.to_string());
    }

    #[wasm_bindgen_test]
    fn a_shard_of_another_build_of_the_site_is_refused_with_a_reload_message() {
        let shard = shard_json("a1b2c3d4e5f6", &["F"]);
        let (manifest, list) = checked_bundle(&[("A", "party")], 1, std::slice::from_ref(&shard));
        let mut engine = QuizEngine::new(&manifest, 1, None).unwrap();
        let error = engine.add_shard(&shard).unwrap_err();
        assert_eq!(String::from(error.name()), "ChecksumsNotLoaded");
        engine.add_checksums(&list).unwrap();
        let error = engine
            .add_shard(&shard_json("0f0f0f0f0f0f", &["F"]))
            .unwrap_err();
        assert_eq!(String::from(error.name()), "OtherBuild");
        let changed = shard.replace("t0", "t1");
        let error = engine.add_shard(&changed).unwrap_err();
        assert_eq!(String::from(error.name()), "BundleTampered");
        assert_eq!(param(&error, "file"), "cards/0.json");
        assert!(engine.add_shard(&shard).is_ok());
    }

    #[wasm_bindgen_test]
    fn a_deck_of_legislatures_the_bundle_lacks_is_no_cards() {
        let manifest = manifest_json(&[("A", "party")], 12);
        let error =
            QuizEngine::in_legislatures(&manifest, 1, vec!["XIV".into()], None).unwrap_err();
        assert_eq!(String::from(error.name()), "NoCardsInLegislature");
        assert_eq!(param(&error, "names"), "XIV");
        let error =
            QuizEngine::in_legislatures(&manifest, 1, vec!["xiii".into(), "xiv".into()], None)
                .unwrap_err();
        assert_eq!(String::from(error.name()), "NoCardsInLegislatures");
        assert_eq!(param(&error, "names"), "XIII, XIV");
        let engine = QuizEngine::in_legislatures(&manifest, 1, vec!["XV".into()], None).unwrap();
        assert_eq!(engine.length(), 10);
        assert_eq!(engine.legislatures(), vec!["XV".to_owned()]);
    }

    #[wasm_bindgen_test]
    fn legislatures_are_read_as_typed_and_named_as_the_data_names_them() {
        let manifest = manifest_json(&[("A", "party")], 12);
        let typed = vec![" xv".to_owned(), String::new()];
        let engine = QuizEngine::in_legislatures(&manifest, 5, typed, None).unwrap();
        let canonical = QuizEngine::in_legislatures(&manifest, 5, vec!["XV".into()], None).unwrap();
        assert_eq!(engine.deck(), canonical.deck());
        assert_eq!(engine.legislatures(), vec!["XV".to_owned()]);
        let all = QuizEngine::in_legislatures(&manifest, 5, vec![" ".into()], None).unwrap();
        assert!(all.legislatures().is_empty());
        assert_eq!(
            all.deck(),
            QuizEngine::new(&manifest, 5, None).unwrap().deck()
        );
    }

    #[wasm_bindgen_test]
    fn a_curated_deck_of_proposal_ids_names_the_unknown_ones() {
        let manifest = manifest_json(&[("A", "party")], 12);
        let ids: Vec<String> = (0..12).map(|i| format!("p{i}")).collect();
        let dataset = "a1b2c3d4e5f6".to_owned();
        let wanted = |list: &[&str]| list.iter().map(|id| id.to_string()).collect::<Vec<_>>();
        let engine = QuizEngine::curated_by_ids(
            &manifest,
            ids.clone(),
            dataset.clone(),
            1,
            wanted(&["p7", "p2"]),
        )
        .unwrap();
        assert_eq!(engine.deck(), vec![7, 2]);
        let error = QuizEngine::curated_by_ids(
            &manifest,
            ids.clone(),
            dataset,
            1,
            wanted(&["p7", "x", "y"]),
        )
        .unwrap_err();
        assert_eq!(String::from(error.name()), "UnknownProposals");
        assert_eq!(param(&error, "ids"), "x, y");
        let stale = "0f0f0f0f0f0f".to_owned();
        let error =
            QuizEngine::curated_by_ids(&manifest, ids, stale, 1, wanted(&["p7"])).unwrap_err();
        assert_eq!(String::from(error.name()), "OtherBuild");
    }

    #[wasm_bindgen_test]
    fn a_curated_deck_asks_the_chosen_cards_in_order() {
        let manifest = manifest_json(&[("A", "party")], 12);
        let engine = QuizEngine::curated(&manifest, 1, vec![7, 2, 11, 99, 7]).unwrap();
        assert_eq!(
            engine.deck(),
            vec![7, 2, 11],
            "unknown numbers and repeats dropped"
        );
        let error = QuizEngine::curated(&manifest, 1, vec![99]).unwrap_err();
        assert_eq!(String::from(error.name()), "NoCards");
    }

    #[wasm_bindgen_test]
    fn a_non_attached_member_is_named_as_the_source_names_them() {
        let shard = shard_json("a1b2c3d4e5f6", &["F"]);
        let (manifest, list) = checked_bundle(
            &[("Erika Mustermann (fraktionslos)", "non-attached")],
            1,
            std::slice::from_ref(&shard),
        );
        let mut engine = QuizEngine::new(&manifest, 1, None).unwrap();
        engine.add_checksums(&list).unwrap();
        engine.add_shard(&shard).unwrap();
        engine.answer("for", false).unwrap();
        let results = engine.results("default").unwrap();
        let scores: js_sys::Array = get(&results, "scores").dyn_into().unwrap();
        assert_eq!(
            get(&scores.get(0), "name").as_string().as_deref(),
            Some("Erika Mustermann (fraktionslos)")
        );
    }

    fn get(value: &JsValue, key: &str) -> JsValue {
        js_sys::Reflect::get(value, &JsValue::from_str(key)).unwrap()
    }

    #[wasm_bindgen_test]
    fn the_api_takes_a_bundle_and_answers_and_gives_results_and_a_link_that_reads_back() {
        let votes = ["FA"; 12];
        let shard = shard_json("a1b2c3d4e5f6", &votes);
        let (manifest, list) = checked_bundle(
            &[("A", "party"), ("B", "party")],
            12,
            std::slice::from_ref(&shard),
        );
        let mut engine = QuizEngine::new(&manifest, 42, None).unwrap();
        engine.add_checksums(&list).unwrap();
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
        // A did better on the five cards answered, B on none: 1 chance in
        // 32, not yet clear; the deck may continue up to its cap.
        let verdict = get(&results, "verdict");
        assert_eq!(
            get(&verdict, "kind").as_string().as_deref(),
            Some("too-close-to-call")
        );
        assert_eq!(get(&verdict, "clear").as_bool(), Some(false));
        let pairs: js_sys::Array = get(&results, "pairs").dyn_into().unwrap();
        assert_eq!(get(&pairs.get(0), "leaderBetter").as_f64(), Some(5.0));
        assert_eq!(get(&pairs.get(0), "rivalBetter").as_f64(), Some(0.0));
        assert_eq!(get(&results, "cap").as_f64(), Some(40.0));
        assert!(engine.can_continue().unwrap());
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
        again.add_checksums(&list).unwrap();
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
    }

    #[wasm_bindgen_test]
    fn a_link_of_other_data_is_recognised_and_explained() {
        let manifest = manifest_json(&[("A", "party")], 12);
        let mut engine = QuizEngine::new(&manifest, 3, None).unwrap();
        while engine.answer("for", false).unwrap() {}
        let code = engine.share_code().unwrap();
        let newer = manifest.replace("a1b2c3d4e5f6", "0f0f0f0f0f0f");
        let error = QuizEngine::from_share(&newer, &code).unwrap_err();
        assert_eq!(String::from(error.name()), "OtherDataset");
        assert!(param(&error, "link").contains("a1b2c3"));
        assert_eq!(param(&error, "site"), "0f0f0f0f0f0f");
    }

    #[wasm_bindgen_test]
    fn the_results_module_takes_over_a_deck_where_the_deck_module_left_it() {
        let votes: Vec<&str> = (0..16)
            .map(|i| if i % 2 == 0 { "FA" } else { "AF" })
            .collect();
        let second: Vec<&str> = (0..14)
            .map(|i| if i % 2 == 0 { "FA" } else { "AF" })
            .collect();
        let shards = [
            shard_json("a1b2c3d4e5f6", &votes),
            shard_json("a1b2c3d4e5f6", &second).replace(r#""first":0"#, r#""first":16"#),
        ];
        let (manifest, list) = checked_bundle(&[("A", "party"), ("B", "party")], 30, &shards);
        let mut deck = QuizEngine::new(&manifest, 9, None).unwrap();
        deck.add_checksums(&list).unwrap();
        for shard in &shards {
            deck.add_shard(shard).unwrap();
        }
        deck.answer("for", true).unwrap();
        deck.swap().unwrap();
        while deck.answer("against", false).unwrap() {}
        let full = QuizEngine::resume(
            &manifest,
            deck.seed(),
            deck.legislatures(),
            deck.curated_cards(),
            deck.deck(),
            deck.swapped_out(),
            &deck.answers(),
        )
        .unwrap();
        assert_eq!(full.deck(), deck.deck());
        assert_eq!(full.swaps_left(), deck.swaps_left());
        assert_eq!(
            deck.answers().chars().next(),
            Some('f'),
            "important: lower case"
        );
        let mut full = full;
        full.add_checksums(&list).unwrap();
        for shard in &shards {
            full.add_shard(shard).unwrap();
        }
        let code = full.share_code().unwrap();
        let again = QuizEngine::from_share(&manifest, &code).unwrap();
        assert_eq!(again.deck(), deck.deck());
        assert!(full.is_finished());
        assert_eq!(full.votes_needed().as_deref(), Some("votes.json"));
    }
}
