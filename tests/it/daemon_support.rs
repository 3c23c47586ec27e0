//! The environment of the daemon's end-to-end tests: a `bubblegate sim`
//! child with modems on real pseudo-terminals, a `bubblegate run` child
//! configured for them (its log in the test's directory), the API client
//! and the simulator's control client, and bounded waits.
//!
//! Every child is killed when its guard drops, so a failing test leaves
//! nothing running. Every wait has a bound ([`WAIT`]); a daemon that does
//! not come up shows its log in the panic message.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bubblegate_api::client::Client;
use bubblegate_api::{MessageView, PartState, SmsRequest};
use bubblegate_simulator::client::ControlClient;
use serde_json::{json, Value};

/// The longest any wait of these tests may take.
pub const WAIT: Duration = Duration::from_secs(90);
/// The admin token of the test daemons.
pub const TOKEN: &str = "e2e-test-token-0123456789";

/// How many messages a batch test sends: `BUBBLEGATE_E2E_MESSAGES`, or
/// the test's default (200 for the plain batch, the figure; fewer
/// where faults slow the modems down, to keep CI quick).
pub fn message_count(default: usize) -> usize {
    std::env::var("BUBBLEGATE_E2E_MESSAGES").ok().and_then(|n| n.parse().ok()).unwrap_or(default)
}

/// A current-thread runtime for a test's async half.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
}

fn bubblegate() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bubblegate"))
}

/// Kills the child when dropped.
pub struct Guard(pub Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One simulated modem, as `bubblegate sim` printed it.
#[derive(Debug, Clone)]
pub struct SimModem {
    pub name: String,
    pub path: PathBuf,
    pub profile: String,
}

/// A running `bubblegate sim`.
pub struct Sim {
    _child: Guard,
    pub control: ControlClient,
    pub modems: Vec<SimModem>,
}

/// Models whose profiles store status reports (`+CNMI` `<ds>`=2, `+CDSI`,
/// TS 27.005 3.4.1), so that a report that comes while the daemon is down
/// waits on the modem for the restart.
pub const STORING_REPORTS: [&str; 3] = ["quectel-ec25", "telit-le910", "quectel-eg91"];

impl Sim {
    /// Starts `n` modems (Quectel EC25, then SIMCom SIM800 for the rest)
    /// with no simulated radio time, in `dir/sim`.
    pub fn start(dir: &Path, n: usize) -> Sim {
        Sim::start_with(dir, n, &["quectel-ec25", "simcom-sim800"])
    }

    /// Starts `n` modems playing `profiles` in turn (the last one for every
    /// further modem), with no simulated radio time, in `dir/sim`.
    pub fn start_with(dir: &Path, n: usize, profiles: &[&str]) -> Sim {
        let child = bubblegate()
            .args(["sim", "--modems", &n.to_string(), "--fast", "--control", "127.0.0.1:0"])
            .args(profiles.iter().take(n).flat_map(|p| ["--profile", p]))
            .arg("--dir")
            .arg(dir.join("sim"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("bubblegate sim starts");
        let mut guard = Guard(child);
        let stdout = guard.0.stdout.take().expect("stdout");
        let lines = crate::support::startup_lines(stdout, "Ctrl-C", WAIT);
        let mut modems = Vec::new();
        let mut control = None;
        for line in &lines {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.first().is_some_and(|w| w.starts_with("modem")) && f.len() >= 9 {
                modems.push(SimModem {
                    name: f[0].to_owned(),
                    path: PathBuf::from(f[2]),
                    profile: f[8].to_owned(),
                });
            }
            if let Some(url) = line.strip_prefix("control http://") {
                control = url.trim().parse::<SocketAddr>().ok();
            }
        }
        let control = control.unwrap_or_else(|| panic!("no control address in {lines:?}"));
        Sim { _child: guard, control: ControlClient::new(control), modems }
    }

    pub async fn fault(&self, modem: usize, fault: Value) {
        let reply = self.control.post(&format!("/modems/{modem}/faults"), &fault).await;
        let reply = reply.expect("fault request");
        assert_eq!(reply.status, 200, "fault {fault}: {}", reply.body);
    }

    /// Messages each modem holds in its storages (received messages and
    /// status reports not deleted yet), by modem.
    pub async fn stored(&self) -> Vec<u64> {
        let reply = self.control.get("/modems").await.expect("modems");
        let modems = reply.body.as_array().cloned().unwrap_or_default();
        modems
            .iter()
            .map(|m| {
                let storages = m["storage"].as_array().cloned().unwrap_or_default();
                storages.iter().map(|s| s[1].as_u64().unwrap_or(0)).sum()
            })
            .collect()
    }

    /// What the network received from the modems.
    pub async fn received(&self) -> Vec<Value> {
        let reply = self.control.get("/received").await.expect("received");
        reply.body.as_array().cloned().unwrap_or_default()
    }
}

/// Writes a daemon configuration for `sim`'s modems into `dir`.
pub fn write_config(dir: &Path, sim: &Sim, extra: &str) -> PathBuf {
    let mut text = format!(
        "node = \"e2e\"\nshutdown_grace = \"10s\"\n\n[store]\nsqlite = \"{}\"\n\n\
         [api]\nlisten = \"127.0.0.1:0\"\nadmin_token = \"{TOKEN}\"\n\n\
         [outbox]\nretry_backoff = \"1s\"\nretry_max = \"5s\"\n\n",
        dir.join("bubblegate.db").display()
    );
    for m in &sim.modems {
        text.push_str(&format!(
            "[[modems]]\nid = \"{}\"\nport = \"{}\"\nprofile = \"{}\"\n\n",
            m.name,
            m.path.display(),
            m.profile
        ));
    }
    text.push_str(extra);
    let path = dir.join("bubblegate.toml");
    std::fs::write(&path, text).expect("write config");
    path
}

/// A running `bubblegate run`.
pub struct Daemon {
    child: Guard,
    pub api: Client,
    pub log: PathBuf,
}

impl Daemon {
    /// Starts the daemon and waits until its API listens. `run` numbers
    /// the log file, so that restarts keep every log.
    pub fn start(dir: &Path, config: &Path, run: u32) -> Daemon {
        let log = dir.join(format!("daemon-{run}.log"));
        let file = std::fs::File::create(&log).expect("log file");
        let child = bubblegate()
            .args(["run", "--config"])
            .arg(config)
            .env("RUST_LOG", "info,bubblegate_daemon=debug")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(file))
            .spawn()
            .expect("bubblegate run starts");
        let guard = Guard(child);
        let start = Instant::now();
        let addr = loop {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if let Some(addr) = text
                .lines()
                .find_map(|l| l.split_once("API listening addr=").map(|(_, a)| a.trim().to_owned()))
            {
                break addr;
            }
            assert!(start.elapsed() < WAIT, "the daemon did not start:\n{text}");
            std::thread::sleep(Duration::from_millis(50));
        };
        let api =
            Client::new(&format!("http://{addr}"), Some(TOKEN.to_owned()), Duration::from_secs(10))
                .expect("client");
        Daemon { child: guard, api, log }
    }

    /// `kill -9`: no shutdown at all.
    pub fn kill(mut self) {
        let _ = self.child.0.kill();
        let _ = self.child.0.wait();
    }

    /// SIGTERM, and waits for the exit.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.0.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().expect("kill runs");
        assert!(sent.success());
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.0.try_wait().expect("wait") {
                return status;
            }
            assert!(
                start.elapsed() < WAIT,
                "the daemon did not stop on SIGTERM:\n{}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until every modem is ready.
    pub async fn wait_ready(&self, modems: usize) {
        let start = Instant::now();
        loop {
            if let Ok(health) = self.api.health().await {
                if health.modems_ready as usize == modems {
                    return;
                }
            }
            assert!(start.elapsed() < WAIT, "modems not ready:\n{}", self.log_text());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn submit(&self, to: &str, text: &str) -> String {
        let request =
            SmsRequest { to: to.to_owned(), text: text.to_owned(), ..SmsRequest::default() };
        match self.api.submit(&request).await {
            Ok(submitted) => submitted.id,
            Err(err) => panic!("submit failed: {err}\n{}", self.log_text()),
        }
    }

    /// Waits until every message in `ids` reached a final status; returns
    /// them by id.
    pub async fn wait_final(&self, ids: &[String]) -> BTreeMap<String, MessageView> {
        self.wait_settled(ids, is_final).await
    }

    /// Waits until `settled` holds for every message in `ids`; returns
    /// them by id.
    pub async fn wait_settled(
        &self,
        ids: &[String],
        settled: impl Fn(&MessageView) -> bool,
    ) -> BTreeMap<String, MessageView> {
        let start = Instant::now();
        let mut done = BTreeMap::new();
        loop {
            for id in ids {
                if done.contains_key(id) {
                    continue;
                }
                if let Ok(Some(m)) = self.api.message(id).await {
                    if settled(&m) {
                        done.insert(id.clone(), m);
                    }
                }
            }
            if done.len() == ids.len() {
                return done;
            }
            if start.elapsed() > WAIT {
                let mut open = Vec::new();
                for id in ids.iter().filter(|id| !done.contains_key(*id)) {
                    open.push(format!("{:#?}", self.api.message(id).await));
                }
                panic!(
                    "{} of {} messages final after {:?}; open:\n{}\nlog:\n{}",
                    done.len(),
                    ids.len(),
                    start.elapsed(),
                    open.join("\n"),
                    self.log_text()
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// Nothing more will happen to the message: every part is delivered,
/// failed or expired (the tests ask for delivery reports, so `submitted`
/// is not final).
pub fn is_final(m: &MessageView) -> bool {
    m.parts
        .iter()
        .all(|p| matches!(p.state, PartState::Delivered | PartState::Failed | PartState::Expired))
}

/// The recipient of batch message `i`: an outside phone of its own, so
/// that stickiness (a recipient always hears from one modem) does not
/// keep the batch on one modem.
pub fn batch_to(i: usize) -> String {
    format!("+316123{:05}", 50_000 + i)
}

/// The text of batch message `i`: every third is long enough for three
/// parts, the others fit in one; each is unique, so the network's log
/// can be matched to it.
pub fn batch_text(i: usize) -> String {
    if i % 3 == 0 {
        format!("message {i:04} {}", "long text that needs several parts ".repeat(12))
    } else {
        format!("message {i:04} short")
    }
}

/// The parts each body arrived in at the network, summed per body.
pub fn received_parts(received: &[Value]) -> BTreeMap<String, usize> {
    let mut parts = BTreeMap::new();
    for r in received {
        let body = r["body"]["text"].as_str().unwrap_or_default().to_owned();
        let n = r["message_refs"].as_array().map_or(0, Vec::len);
        *parts.entry(body).or_insert(0) += n;
    }
    parts
}

/// The SMS-DELIVER TPDUs (hex, no SMSC field) of `text` from `from`,
/// split into parts with concatenation reference `reference`.
pub fn deliver_pdus(from: &str, text: &str, reference: u16) -> Vec<String> {
    use bubblegate_sms::segment::{plan_text, SegmentOptions};
    use bubblegate_sms::{Address, Dcs, Deliver, Pdu, Timestamp, Tpdu};
    let plan = plan_text(text, &SegmentOptions::default()).expect("plan");
    let scts =
        Timestamp { year: 2025, month: 6, day: 1, hour: 12, minute: 0, second: 0, tz_quarters: 8 };
    plan.user_data(reference)
        .into_iter()
        .map(|user_data| {
            let deliver = Deliver {
                more_messages: false,
                loop_prevention: false,
                status_report_indication: false,
                reply_path: false,
                originator: Address::phone(from).expect("address"),
                pid: 0,
                dcs: Dcs::new(plan.coding, None),
                scts,
                user_data,
            };
            let encoded =
                Pdu { smsc: None, tpdu: Tpdu::Deliver(deliver) }.encode().expect("encode");
            let start = encoded.bytes.len() - encoded.tpdu_length;
            bubblegate_sms::hex::encode(&encoded.bytes[start..])
        })
        .collect()
}

/// Injects an SMS from the outside world into simulated modem `modem`.
pub async fn inject(sim: &Sim, modem: usize, body: Value) {
    let reply = sim.control.post(&format!("/modems/{modem}/sms"), &body).await.expect("inject");
    assert_eq!(reply.status, 200, "inject: {}", reply.body);
}

pub fn text_sms(from: &str, text: &str) -> Value {
    json!({"from": from, "text": text})
}
