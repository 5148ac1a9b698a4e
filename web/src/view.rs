//! Writes the quiz's state into the page rendered by the generator.
//!
//! The page holds the whole structure (intro, card, results) and the texts
//! that do not change; this module fills in the current card and the
//! results, and keeps the `data-*` hooks tests rely on up to date.

use crate::dom::{self, by_id, set_attr, set_hidden, set_text};
use crate::App;
use hemiciclo_core::{score, ActorKind};

pub fn show_status(message: &str) {
    set_text("quiz-status", message);
}

/// The deck is drawn and its first card is here: the citizen may start.
pub fn ready_to_start(seed: u64) {
    if let Some(start) = by_id("start") {
        let _ = start.remove_attribute("disabled");
    }
    show_status(&format!("Baralho n.º {seed}"));
}

/// Whether the card shown is complete and may be answered.
pub fn card_is_ready() -> bool {
    by_id("card")
        .and_then(|c| c.get_attribute("data-state"))
        .as_deref()
        == Some("ready")
}

/// Shows the current card, or the results once the deck is done.
pub fn render(app: &App) {
    // The intro has done its job; on a phone the card must fill the screen.
    set_hidden("intro", true);
    let Some(index) = app.session.current() else {
        set_hidden("card", true);
        render_results(app);
        set_hidden("results", false);
        return;
    };
    let Some(card_element) = by_id("card") else {
        return;
    };
    set_hidden("card", false);
    let position = app.session.position() + 1;
    set_attr(&card_element, "data-card-index", &position.to_string());
    set_text(
        "card-progress",
        &format!("{position} de {}", app.session.deck().len()),
    );
    match app.card(index) {
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

/// Fills the results list: one entry per actor covered by an answer.
pub fn render_results(app: &App) {
    let Some(list) = by_id("result-list") else {
        return;
    };
    list.set_text_content(None);
    let answered: Vec<_> = app
        .session
        .answered()
        .filter_map(|(index, answer)| app.card(index).map(|card| (answer, card)))
        .collect();
    let counted = answered
        .iter()
        .filter(|(answer, _)| *answer != hemiciclo_core::Answer::Skip)
        .count();
    let scores = score(app.manifest.actors.len(), &answered);
    let document = dom::document();
    for entry in scores.iter() {
        let Some(value) = entry.per_ten_thousand() else {
            continue;
        };
        // Integer formatting only: float formatting would add kilobytes to the module.
        let fraction = format!("{}.{:04}", value / 10_000, value % 10_000);
        let actor = &app.manifest.actors[entry.actor];
        let Ok(item) = document.create_element("li") else {
            continue;
        };
        set_attr(&item, "data-testid", "party-score");
        set_attr(&item, "data-actor", &actor.id);
        set_attr(&item, "data-score", &fraction);
        set_attr(&item, "data-covered", &entry.covered.to_string());
        // A non-attached member goes by the id the source gives them, which
        // says they sit alone in the source's own words ("(Ninsc)",
        // "(fraktionslos)", ...).
        let name = match actor.kind {
            ActorKind::Party => &actor.name,
            ActorKind::NonAttached => &actor.id,
        };
        let percent = format!("{}%", (value + 50) / 100);
        append(&item, "span", "rank", &format!("{}.", entry.rank));
        append(&item, "span", "name", name);
        if let Ok(meter) = document.create_element("meter") {
            set_attr(&meter, "min", "0");
            set_attr(&meter, "max", "1");
            set_attr(&meter, "value", &fraction);
            set_attr(&meter, "aria-label", &format!("{name}: {percent}"));
            let _ = item.append_child(&meter);
        }
        append(&item, "span", "pct", &percent);
        append(
            &item,
            "span",
            "coverage",
            &format!(
                "votou em {} das {counted} propostas a que respondeu",
                entry.covered
            ),
        );
        let _ = list.append_child(&item);
    }
    if counted == 0 {
        show_status("Saltou todas as propostas: não há com que comparar.");
    }
}

fn append(parent: &web_sys::Element, tag: &str, class: &str, text: &str) {
    if let Ok(child) = dom::document().create_element(tag) {
        child.set_class_name(class);
        child.set_text_content(Some(text));
        let _ = parent.append_child(&child);
    }
}
