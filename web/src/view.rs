//! Writes the quiz's state into the page rendered by the generator.
//!
//! The page holds the whole structure (intro, card, results) and the texts
//! that do not change; this module fills in the current card and the
//! results, and keeps the `data-*` hooks tests rely on up to date.

use crate::dom::{self, by_id, set_attr, set_hidden, set_text};
use crate::messages;
use crate::App;
use hemiciclo_core::ranking::Verdict;
use hemiciclo_core::{ActorKind, Manifest, QuizError, Results, Rule};
use wasm_bindgen::JsCast;

pub fn show_status(message: &str) {
    set_text("quiz-status", message);
}

/// The deck is drawn and its first card is here: the citizen may start.
/// `note` says why a results link given to the page was not shown.
pub fn ready_to_start(seed: u64, note: Option<&str>) {
    if let Some(start) = by_id("start") {
        let _ = start.remove_attribute("disabled");
    }
    match note {
        Some(note) => show_status(&format!("{note} Pode começar um questionário novo.")),
        None => show_status(&format!("Baralho n.º {seed}")),
    }
}

/// Whether the card shown is complete and may be answered.
pub fn card_is_ready() -> bool {
    by_id("card")
        .and_then(|c| c.get_attribute("data-state"))
        .as_deref()
        == Some("ready")
}

/// Whether the citizen marked the current card important; clears the mark
/// for the next card.
pub fn take_important() -> bool {
    let Some(input) =
        by_id("important").and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return false;
    };
    let checked = input.checked();
    input.set_checked(false);
    checked
}

/// Shows the current card, or the results once the deck is done.
pub fn render(app: &App) {
    // The intro has done its job; on a phone the card must fill the screen.
    set_hidden("intro", true);
    let quiz = &app.quiz;
    let Some(index) = quiz.current() else {
        set_hidden("card", true);
        render_results(app);
        set_hidden("results", false);
        return;
    };
    let Some(card_element) = by_id("card") else {
        return;
    };
    set_hidden("card", false);
    let position = quiz.position() + 1;
    set_attr(&card_element, "data-card-index", &position.to_string());
    set_text(
        "card-progress",
        &format!("{position} de {}", quiz.deck().len()),
    );
    set_text("swaps-left", &quiz.swaps_left().to_string());
    if let Some(swap) = by_id("swap") {
        let _ = swap.toggle_attribute_with_force("disabled", quiz.swaps_left() == 0);
    }
    match quiz.card(index) {
        Some(card) => {
            set_attr(&card_element, "data-proposal-id", &card.id);
            set_text("card-title", &card.title);
            set_text(
                "card-kind",
                &format!("{} · {}", card.kind, card.legislature),
            );
            set_text("card-date", &card.date.to_string());
            if let Some(link) = by_id("card-link") {
                set_attr(&link, "href", &format!("{}{}", app.root, card.page));
            }
            set_attr(&card_element, "data-state", "ready");
        }
        None => {
            set_attr(&card_element, "data-state", "loading");
            let _ = card_element.remove_attribute("data-proposal-id");
            set_text("card-title", "A carregar…");
        }
    }
}

/// Fills the results: the verdict, one entry per actor covered by an
/// answer (score, interval, coverage) and the share link.
pub fn render_results(app: &App) {
    let Some(list) = by_id("result-list") else {
        return;
    };
    list.set_text_content(None);
    let results = match app.quiz.results(Rule::Default) {
        Ok(results) => results,
        Err(QuizError::CardNotLoaded { .. }) => {
            show_status("A carregar as propostas…");
            return;
        }
        Err(error) => {
            show_status(&messages::quiz_error(&error));
            return;
        }
    };
    let manifest = app.quiz.manifest();
    let ranking = &results.ranking;
    let counted = ranking.counted;
    let document = dom::document();
    for entry in &ranking.scores {
        let Some(value) = entry.per_ten_thousand() else {
            continue;
        };
        let (low, high) = entry.interval_per_ten_thousand();
        let actor = &manifest.actors[entry.actor];
        let Ok(item) = document.create_element("li") else {
            continue;
        };
        set_attr(&item, "data-testid", "party-score");
        set_attr(&item, "data-actor", &actor.id);
        set_attr(&item, "data-score", &fraction(value));
        set_attr(&item, "data-low", &fraction(low));
        set_attr(&item, "data-high", &fraction(high));
        set_attr(&item, "data-covered", &entry.covered.to_string());
        let name = display_name(manifest, entry.actor);
        append(&item, "span", "rank", &format!("{}.", entry.rank));
        append(&item, "span", "name", name);
        if let Ok(meter) = document.create_element("meter") {
            set_attr(&meter, "min", "0");
            set_attr(&meter, "max", "1");
            set_attr(&meter, "value", &fraction(value));
            set_attr(&meter, "aria-label", &format!("{name}: {}", percent(value)));
            let _ = item.append_child(&meter);
        }
        append(&item, "span", "pct", &percent(value));
        append(
            &item,
            "span",
            "coverage",
            &format!(
                "entre {} e {} (margem de 95%) · votou em {} das {counted} propostas a que \
                 respondeu",
                percent(low),
                percent(high),
                entry.covered
            ),
        );
        let _ = list.append_child(&item);
    }
    if let Some(verdict) = by_id("verdict") {
        set_attr(&verdict, "data-verdict", verdict_kind(&ranking.verdict));
        verdict.set_text_content(Some(&verdict_text(manifest, &ranking.verdict)));
    }
    render_share(&results);
    show_status(if counted == 0 {
        "Saltou todas as propostas: não há com que comparar."
    } else {
        ""
    });
}

fn render_share(results: &Results) {
    let address = format!("{}#{}", dom::page_address(), results.share);
    if let Some(link) = by_id("share-link") {
        set_attr(&link, "href", &address);
        set_attr(&link, "data-code", &results.share);
        link.set_text_content(Some(&address));
    }
}

/// A non-attached member goes by the id the source gives them, which says
/// they sit alone in the source's own words ("(Ninsc)", "(fraktionslos)").
fn display_name(manifest: &Manifest, actor: usize) -> &str {
    let actor = &manifest.actors[actor];
    match actor.kind {
        ActorKind::Party => &actor.name,
        ActorKind::NonAttached => &actor.id,
    }
}

fn verdict_kind(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::NoCoverage => "no-coverage",
        Verdict::NoneClose { .. } => "none-close",
        Verdict::Tie { .. } => "tie",
        Verdict::TooCloseToCall { .. } => "too-close-to-call",
        Verdict::Leader { .. } => "leader",
    }
}

fn verdict_text(manifest: &Manifest, verdict: &Verdict) -> String {
    let names = |actors: &[usize]| {
        actors
            .iter()
            .map(|&a| display_name(manifest, a))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match verdict {
        Verdict::NoCoverage => "Nenhum partido votou nas propostas a que respondeu.".into(),
        Verdict::NoneClose { best } => format!(
            "Nenhum partido está perto de si: o mais próximo, {}, concorda consigo em menos de \
             metade.",
            display_name(manifest, *best)
        ),
        Verdict::Tie { actors } => format!("Empate entre {}.", names(actors)),
        Verdict::TooCloseToCall { actors } => format!(
            "Demasiado perto para dizer: {} está à frente, mas a margem de {} sobrepõe-se. \
             Responda a mais propostas para separar.",
            display_name(manifest, actors[0]),
            names(&actors[1..])
        ),
        Verdict::Leader { actor } => format!(
            "{} votou mais como você, com margem sobre todos os outros.",
            display_name(manifest, *actor)
        ),
    }
}

/// Integer formatting only: float formatting would add kilobytes to the module.
fn fraction(per_ten_thousand: u32) -> String {
    format!(
        "{}.{:04}",
        per_ten_thousand / 10_000,
        per_ten_thousand % 10_000
    )
}

fn percent(per_ten_thousand: u32) -> String {
    format!("{}%", (per_ten_thousand + 50) / 100)
}

fn append(parent: &web_sys::Element, tag: &str, class: &str, text: &str) {
    if let Ok(child) = dom::document().create_element(tag) {
        child.set_class_name(class);
        child.set_text_content(Some(text));
        let _ = parent.append_child(&child);
    }
}
