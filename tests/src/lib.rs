//! Harness for hemiciclo's browser end-to-end tests.
//!
//! The tests in `tests/` drive a real headless Chromium through the built
//! static site, the way a visitor would. This library holds the plumbing
//! they share, one small module per concern:
//!
//! - [`paths`]: where the workspace, the site under test and scratch dirs are;
//! - [`listener`]: the HTTP server (hyper) under the next two;
//! - [`server`]: an in-process static file server, optionally under a sub-path,
//!   so the tests prove the site works wherever it is hosted;
//! - [`trap`]: a fake HTTP proxy that records every request the browser tries
//!   to send to another host, so "the site makes no outside requests" is a
//!   checked fact rather than a promise;
//! - [`chromedriver`]: a chromedriver process guard (its whole process group,
//!   Chromium included, dies on drop, even when a test panics) and the
//!   WebDriver session set-up;
//! - [`diagnostics`]: what to print when a test fails (page text, console);
//! - [`page`]: waiting for what the page shows, and the quiz's moves;
//! - [`session`]: one browser session per flow, outside requests checked;
//! - [`axe`]: axe-core's accessibility rules run inside the page.

pub mod axe;
pub mod chromedriver;
pub mod diagnostics;
pub mod listener;
pub mod page;
pub mod paths;
pub mod server;
pub mod session;
pub mod trap;
