//! The public deregistration page (`GET /deregister`) in a real browser:
//! Debian's Chromium, headless, driven over WebDriver by `chromedriver`.
//! A person who left the network types their number, receives the code by
//! SMS (through a simulated modem), types the code, and their devices are
//! revoked. The test skips itself, saying why, when Chromium or chromedriver
//! is missing, unless `BUBBLEGATE_REQUIRE_BROWSER=1` (as in CI) makes that a
//! failure.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::daemon_support::{runtime, Guard, WAIT};
use crate::network_support::{six_digits, Net};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const BOB: &str = "+31622222222";

/// Whether the browser is there; otherwise says why the test skips (or
/// fails, where the environment requires it).
fn browser_present(test: &str) -> bool {
    let missing: Vec<&str> =
        [CHROMIUM, CHROMEDRIVER].into_iter().filter(|p| !Path::new(p).exists()).collect();
    if missing.is_empty() {
        return true;
    }
    let reason =
        format!("{} not installed (apt-get install chromium chromium-driver)", missing.join(", "));
    assert!(
        std::env::var("BUBBLEGATE_REQUIRE_BROWSER").as_deref() != Ok("1"),
        "{test}: BUBBLEGATE_REQUIRE_BROWSER=1 but {reason}"
    );
    eprintln!("skipping {test}: {reason}");
    false
}

/// Starts chromedriver on a free loopback port; returns it and its URL.
fn chromedriver() -> (Guard, String) {
    let port = TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < WAIT, "chromedriver did not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
    (Guard(child), format!("http://127.0.0.1:{port}"))
}

#[test]
fn a_person_deregisters_their_number_on_the_web_page() {
    if !browser_present("a_person_deregisters_their_number_on_the_web_page") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (_driver, driver_url) = chromedriver();
    runtime().block_on(async {
        let net = Net::start(dir.path(), 1, "").await;
        let bob = net.device(dir.path(), "bob", BOB).await;

        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--no-first-run"],
            }),
        );
        let browser = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&driver_url)
            .await
            .expect("a browser session");

        browser.goto(&format!("{}/deregister", net.hub)).await.expect("open the page");
        let heading =
            browser.find(Locator::Css("h1")).await.expect("h1").text().await.expect("text");
        assert_eq!(heading, "Deregister a phone number");

        // The number, written the way people write it.
        let codes_before = net.sms_to(BOB).await.len();
        let phone = browser.find(Locator::Id("phone")).await.expect("phone field");
        phone.send_keys("+31 6 2222 2222").await.expect("type the number");
        browser
            .find(Locator::Css("#request button"))
            .await
            .expect("send-code button")
            .click()
            .await
            .expect("click");
        let code = net.wait_code(BOB, codes_before + 1).await;
        let text = net.sms_to(BOB).await.pop().expect("the code SMS");
        assert_eq!(six_digits(&text).as_deref(), Some(code.as_str()));

        // The code form appears; a wrong code is refused on the page.
        let field = browser
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css("#confirm:not([hidden]) #code"))
            .await
            .expect("the code field appears");
        let asked = wait_status(&browser, |s| s.contains("code is on its way")).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        field.send_keys(wrong).await.expect("type a wrong code");
        let submit = browser.find(Locator::Css("#confirm button")).await.expect("button");
        submit.click().await.expect("click");
        let status = wait_status(&browser, |s| s != asked).await;
        assert!(!status.starts_with("Done"), "a wrong code deregistered: {status}");
        assert!(bob.me().await.is_ok(), "Bob is still registered after a wrong code");

        field.clear().await.expect("clear");
        field.send_keys(&code).await.expect("type the code");
        submit.click().await.expect("click");
        let status = wait_status(&browser, |s| s.starts_with("Done")).await;
        assert!(status.contains("1 device(s) removed"), "{status}");
        assert!(bob.me().await.is_err(), "Bob's device is revoked");
        browser.close().await.expect("close the browser");
    });
}

/// Waits until the page's status line satisfies `done`; returns it.
async fn wait_status(browser: &fantoccini::Client, done: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let status = browser
            .find(Locator::Id("status"))
            .await
            .expect("status line")
            .text()
            .await
            .expect("text");
        if done(&status) {
            return status;
        }
        assert!(start.elapsed() < WAIT, "the page's status stayed {status:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
