//! Small helpers over web-sys for the few DOM operations the quiz needs.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

pub fn document() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("the quiz runs in a page")
}

pub fn by_id(id: &str) -> Option<Element> {
    document().get_element_by_id(id)
}

pub fn set_text(id: &str, text: &str) {
    if let Some(element) = by_id(id) {
        element.set_text_content(Some(text));
    }
}

pub fn set_attr(element: &Element, name: &str, value: &str) {
    // Setting an attribute only fails for invalid names, which are constants here.
    let _ = element.set_attribute(name, value);
}

pub fn set_hidden(id: &str, hidden: bool) {
    if let Some(element) = by_id(id) {
        let _ = element.toggle_attribute_with_force("hidden", hidden);
    }
}

/// Calls `handler` with the clicked element on every click inside `id`.
pub fn on_click(id: &str, handler: impl FnMut(Option<Element>) + 'static) {
    let Some(element) = by_id(id) else {
        return;
    };
    let mut handler = handler;
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        handler(event.target().and_then(|t| t.dyn_into::<Element>().ok()));
    });
    let _ = element.add_event_listener_with_callback("click", closure.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    closure.forget();
}

/// The value of `name` in the page's query string.
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// A seed from the browser's cryptographic random source.
pub fn random_seed() -> u64 {
    let mut bytes = [0u8; 8];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    if bytes == [0; 8] {
        // No crypto source: fall back to the clock, still a fresh deck.
        return js_sys::Date::now() as u64;
    }
    u64::from_le_bytes(bytes)
}

/// The page's `#fragment`, without the `#` (empty when there is none).
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|hash| hash.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}

/// The page's address without its fragment.
pub fn page_address() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|href| href.split('#').next().unwrap_or_default().to_owned())
        .unwrap_or_default()
}
