//! Fetching bundle files over HTTP.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

/// GETs `url` (relative to the page) and returns its body as text; any
/// failure becomes a message for the citizen.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let failed = |detail: &str| {
        format!("Não foi possível carregar {url} ({detail}). Verifique a ligação e recarregue a página.")
    };
    let window = web_sys::window().ok_or_else(|| failed("sem janela"))?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| failed("sem resposta"))?;
    let response: Response = response
        .dyn_into()
        .map_err(|_| failed("resposta inválida"))?;
    if !response.ok() {
        return Err(failed(&format!("HTTP {}", response.status())));
    }
    let text = response.text().map_err(|_| failed("corpo ilegível"))?;
    let text = JsFuture::from(text)
        .await
        .map_err(|_| failed("corpo incompleto"))?;
    text.as_string().ok_or_else(|| failed("corpo não é texto"))
}
