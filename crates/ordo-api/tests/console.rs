//! The web console at `/console/`: what the server sends (pages, assets, headers) and, in
//! headless Chromium driven over WebDriver, what a support agent sees and does with it.

#[path = "console/browser.rs"]
mod browser;
#[path = "console/checks.rs"]
mod checks;
mod common;
#[path = "console/data.rs"]
mod data;
#[path = "console/driver.rs"]
mod driver;
#[path = "console/http.rs"]
mod http;
