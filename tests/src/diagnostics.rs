//! What a failing browser test prints: where the page was, what it
//! showed, and what it logged to the console.

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::Client;

/// A readable report of the page's state; never fails (errors are
/// reported inline, since this runs when something already went wrong).
pub async fn page_report(client: &Client) -> String {
    let url = match client.current_url().await {
        Ok(url) => url.to_string(),
        Err(e) => format!("<unknown: {e}>"),
    };
    let body = match client
        .execute(
            "return document.body ? document.body.innerText : '';",
            vec![],
        )
        .await
    {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(e) => format!("<unavailable: {e}>"),
    };
    let resources = match client.execute(RESOURCES, vec![]).await {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(e) => format!("<unavailable: {e}>"),
    };
    let console = console_log(client)
        .await
        .unwrap_or_else(|e| vec![format!("<unavailable: {e}>")]);
    format!(
        "page URL: {url}\n--- page text ---\n{body}\n\
         --- resources loaded (ms since navigation start) ---\n{resources}\n\
         --- console ---\n{}",
        console.join("\n")
    )
}

/// One line per finished resource fetch: start, end, status, size, URL.
const RESOURCES: &str = "return performance.getEntriesByType('resource').map(e => \
    [Math.round(e.startTime), Math.round(e.responseEnd), e.responseStatus, \
     e.encodedBodySize, e.name].join(' ')).join('\\n');";

/// The browser console entries since the last call (chromedriver's
/// non-standard log endpoint; needs `goog:loggingPrefs`).
pub async fn console_log(client: &Client) -> Result<Vec<String>, fantoccini::error::CmdError> {
    let entries = client.issue_cmd(BrowserLog).await?;
    let lines = entries
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .map(|e| {
                    format!(
                        "[{}] {}",
                        e["level"].as_str().unwrap_or("?"),
                        e["message"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(lines)
}

/// `POST /session/{id}/se/log {"type":"browser"}`.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or("")))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(r#"{"type":"browser"}"#.to_string()),
        )
    }
}
