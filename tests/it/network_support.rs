//! The environment of the encrypted network's end-to-end tests: a
//! `bubblegate sim` child, a `bubblegate run` child with a `[network]`
//! section, and devices that are `bubblegate-client` [`Device`]s with state
//! files in the test's directory. Registration codes travel as real SMS:
//! the daemon sends them through a simulated modem, and the tests read them
//! from the simulated network's log (the simulator's control interface),
//! as a person reads them on a phone.

use std::path::Path;
use std::time::{Duration, Instant};

use bubblegate_client::proto::content::Content;
use bubblegate_client::proto::wire::SmsPart;
use bubblegate_client::{Device, Incoming, Received, SendReport, SmsChoice};

use crate::daemon_support::{write_config, Daemon, Sim, WAIT};

/// A simulator and a daemon with the hub on: a `bubblegate run` child,
/// or the daemon in this process (to control its clock).
pub struct Net {
    pub sim: Sim,
    pub daemon: Option<Daemon>,
    pub hub: String,
    /// Stops the in-process daemon; cancelled when `Net` drops.
    stop: Option<bubblegate_daemon::CancellationToken>,
}

impl Drop for Net {
    fn drop(&mut self) {
        if let Some(stop) = &self.stop {
            stop.cancel();
        }
    }
}

impl Net {
    /// Starts `modems` simulated modems and the daemon, with `network`
    /// added to the `[network]` section (e.g. `fallback_after = "2s"`), and
    /// waits until every modem is ready.
    pub async fn start(dir: &Path, modems: usize, network: &str) -> Net {
        let sim = Sim::start(dir, modems);
        let config = write_config(dir, &sim, &format!("[network]\n{network}\n"));
        let daemon = Daemon::start(dir, &config, 1);
        daemon.wait_ready(modems).await;
        let hub = api_url(&daemon);
        Net { sim, daemon: Some(daemon), hub, stop: None }
    }

    /// Like [`Net::start`], with the daemon in this process on `clock`.
    /// Call it on a multi-threaded runtime.
    pub async fn start_in_process(
        dir: &Path,
        network: &str,
        clock: bubblegate_daemon::ManualClock,
    ) -> Net {
        use std::sync::Arc;

        use bubblegate_daemon::{CancellationToken, ServeOptions};
        use bubblegate_profiles::ProfileSet;

        let sim = Sim::start(dir, 1);
        let path = write_config(dir, &sim, &format!("[network]\n{network}\n"));
        let profiles = Arc::new(ProfileSet::builtin().expect("profiles"));
        let config = bubblegate_daemon::config::load(&path, &profiles).expect("config");
        let stop = CancellationToken::new();
        let (tx, rx) = tokio::sync::oneshot::channel();
        let options = ServeOptions { clock: Some(Arc::new(clock)) };
        tokio::spawn(bubblegate_daemon::service::serve_with(
            config,
            profiles,
            options,
            stop.clone(),
            move |addr| {
                let _ = tx.send(addr);
            },
        ));
        let addr = tokio::time::timeout(WAIT, rx).await.expect("started in time").expect("ready");
        let hub = format!("http://{addr}");
        let net = Net { sim, daemon: None, hub, stop: Some(stop) };
        net.wait_ready().await;
        net
    }

    /// Waits until the in-process daemon's modem is ready.
    async fn wait_ready(&self) {
        let api = bubblegate_api::client::Client::new(&self.hub, None, Duration::from_secs(10))
            .expect("client");
        let start = Instant::now();
        while !api.health().await.is_ok_and(|h| h.modems_ready == 1) {
            assert!(start.elapsed() < WAIT, "the in-process daemon's modem is not ready");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The child daemon's log, for failure messages.
    pub fn log(&self) -> String {
        self.daemon.as_ref().map_or_else(|| "(daemon in process)".to_owned(), Daemon::log_text)
    }

    /// The SMS the network carried to `phone`, oldest first.
    pub async fn sms_to(&self, phone: &str) -> Vec<String> {
        self.sim
            .received()
            .await
            .iter()
            .filter(|m| m["to"].as_str() == Some(phone))
            .filter_map(|m| m["body"]["text"].as_str().map(str::to_owned))
            .collect()
    }

    /// Waits until the network carried an SMS to `phone` whose text
    /// contains `needle`; returns that text.
    pub async fn wait_sms(&self, phone: &str, needle: &str) -> String {
        let start = Instant::now();
        loop {
            if let Some(text) = self.sms_to(phone).await.into_iter().find(|t| t.contains(needle)) {
                return text;
            }
            assert!(
                start.elapsed() < WAIT,
                "no SMS to {phone} containing {needle:?}; got {:?}\n{}",
                self.sms_to(phone).await,
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits for the `n`-th SMS (counting from 1) to `phone` and returns
    /// the 6-digit code in it.
    pub async fn wait_code(&self, phone: &str, n: usize) -> String {
        let start = Instant::now();
        loop {
            let texts = self.sms_to(phone).await;
            if texts.len() >= n {
                return six_digits(&texts[n - 1])
                    .unwrap_or_else(|| panic!("no code in {:?}", texts[n - 1]));
            }
            assert!(start.elapsed() < WAIT, "no code SMS #{n} to {phone}:\n{}", self.log());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Registers a device for `phone`: requests a code, reads it off the
    /// simulated network, verifies.
    pub async fn device(&self, dir: &Path, name: &str, phone: &str) -> Device {
        let before = self.sms_to(phone).await.len();
        let mut device = Device::open(
            &dir.join(format!("{name}.json")),
            Some(&self.hub),
            Duration::from_secs(20),
        )
        .expect("device opens");
        device.register(phone).await.unwrap_or_else(|e| panic!("register {name}: {e}"));
        let code = self.wait_code(phone, before + 1).await;
        device.verify(&code, name).await.unwrap_or_else(|e| panic!("verify {name}: {e}"));
        device
    }
}

/// The first run of exactly six digits in `text`.
pub fn six_digits(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 6 {
                return Some(chars[start..i].iter().collect());
            }
        } else {
            i += 1;
        }
    }
    None
}

/// The daemon's API URL, from the line its log announces it with.
fn api_url(daemon: &Daemon) -> String {
    let log = daemon.log_text();
    let addr = log
        .lines()
        .find_map(|l| l.split_once("API listening addr=").map(|(_, a)| a.trim().to_owned()))
        .expect("the daemon logged its address");
    format!("http://{addr}")
}

/// A text message.
pub fn text(body: &str) -> Content {
    Content::text(body)
}

/// Sends `content` to `to`, with `sms` as the SMS part.
pub async fn send(
    device: &mut Device,
    to: &[&str],
    content: Content,
    sms: SmsChoice,
) -> SendReport {
    let to: Vec<String> = to.iter().map(|s| (*s).to_owned()).collect();
    device.send_with(&to, &content, None, sms).await.unwrap_or_else(|e| panic!("send: {e}"))
}

/// An SMS part.
pub fn sms(text: &str, fallback: bool) -> SmsChoice {
    SmsChoice::Given(SmsPart { text: text.to_owned(), fallback })
}

/// Polls `device` until `pred` matches a received envelope, acking
/// nothing; returns every envelope received by then.
pub async fn fetch_until(device: &mut Device, pred: impl Fn(&Received) -> bool) -> Vec<Received> {
    let start = Instant::now();
    loop {
        let got: Vec<Received> = device
            .fetch(None)
            .await
            .expect("fetch")
            .into_iter()
            .map(|i| match i {
                Incoming::Received(r) => r,
                Incoming::Rejected(r) => panic!("rejected: {r:?}"),
            })
            .collect();
        if got.iter().any(&pred) {
            return got;
        }
        assert!(start.elapsed() < WAIT, "never received the expected envelope; have {got:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The body of a text envelope.
pub fn body(r: &Received) -> Option<&str> {
    match &r.content {
        Content::Text { body, .. } => Some(body),
        _ => None,
    }
}
