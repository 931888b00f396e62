//! Headless Chromium through chromedriver (Debian's `chromium` and `chromium-driver`; `.ci/run`
//! installs them): one chromedriver per browser, killed with it, and the waits the pages need.
//! Without chromedriver the tests fail, saying what to install: a browser test that passes
//! without a browser would test nothing.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// Browser tests one at a time: each Chromium wants a core, and the machine has two.
pub static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The viewer's zone in every browser test: not UTC, so that local and UTC times differ.
pub const ZONE: &str = "America/New_York";

pub struct Browser {
    pub client: Client,
    pub base_url: String,
    driver: Child,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn chromedriver() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromedriver"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "chromedriver is not installed: the console's browser tests need headless \
                 Chromium (apt-get install -y chromium chromium-driver; .ci/run does this)"
            )
        })
}

impl Browser {
    /// A fresh headless Chromium, its window `width` × `height`, on the console of `base_url`.
    pub async fn start(base_url: &str, width: u32, height: u32) -> Browser {
        let port = free_port();
        let driver = Command::new(chromedriver())
            .arg(format!("--port={port}"))
            .env("TZ", ZONE)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({ "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--lang=en-US", "--no-first-run", "--disable-extensions",
                format!("--window-size={width},{height}"),
            ]}),
        );
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(error) if started.elapsed() < Duration::from_secs(20) => {
                    let _ = error;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(error) => panic!("no Chromium session from chromedriver: {error}"),
            }
        };
        Browser {
            client,
            base_url: base_url.to_owned(),
            driver,
        }
    }

    pub async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base_url))
            .await
            .expect("the page opens");
    }

    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Waits until the console has drawn the page at `path` (its `main[data-page]`), every
    /// row of it.
    pub async fn wait_page(&self, path: &str) {
        let started = Instant::now();
        loop {
            let page = self
                .js(
                    "const m = document.getElementById('main');
                     return m && !m.dataset.pending && m.dataset.page || '';",
                    vec![],
                )
                .await;
            if page == path {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the console did not draw {path} (it shows {page}): {}",
                self.text("main").await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the console has drawn a page, whichever; returns its path.
    pub async fn wait_settled(&self) -> String {
        let started = Instant::now();
        loop {
            let page = self
                .js(
                    "const m = document.getElementById('main'); return m && m.dataset.page || '';",
                    vec![],
                )
                .await;
            if let Some(page) = page.as_str().filter(|p| !p.is_empty()) {
                return page.to_owned();
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the console drew no page"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css} on the page: {e}"))
    }

    pub async fn text(&self, css: &str) -> String {
        match self.client.find(Locator::Css(css)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// The attribute `data-NAME` of every element matching `css`, in page order.
    pub async fn data(&self, css: &str, names: &[&str]) -> Vec<String> {
        let found = self
            .js(
                "return [...document.querySelectorAll(arguments[0])]
                    .map(e => arguments[1].map(n => e.getAttribute('data-' + n)).join('/'));",
                vec![json!(css), json!(names)],
            )
            .await;
        serde_json::from_value(found).expect("a list of texts")
    }

    /// Signs in on the sign-in form that `/console/` shows to a tab without a key.
    pub async fn sign_in(&self, key: &str) {
        self.open("/console/").await;
        let field = self.wait_for("#signin input[type=password]").await;
        field.send_keys(key).await.unwrap();
        field.send_keys("\u{E007}").await.unwrap(); // Enter
    }

    /// Types into the search box and presses Enter, as a person at the desk does.
    pub async fn search(&self, text: &str) {
        let field = self.wait_for("#q").await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
        field.send_keys("\u{E007}").await.unwrap();
    }

    /// A PNG of the window in target/console-screenshots/NAME.png.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("a screenshot");
        let dir =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/console-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    pub async fn resize(&self, width: u32, height: u32) {
        self.client.set_window_size(width, height).await.unwrap();
    }

    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}
