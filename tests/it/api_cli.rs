//! `bubblegate send|status|inbox|modems list` against a scripted gateway
//! served by `bubblegate_api::serve` on 127.0.0.1: output, progress with
//! `--wait`, `--follow`, token sources, and the exit statuses.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bubblegate_api::*;
use tokio::sync::broadcast;

const TOKEN: &str = "cli-test-token-0123456789";

fn at(ms: i64) -> Timestamp {
    Timestamp::from_unix_millis(1_738_324_800_000 + ms)
}

/// A gateway that delivers every message to `+447911123456` and fails
/// every other one, a few milliseconds apart, with status events.
struct Scripted {
    messages: Mutex<Vec<MessageView>>,
    events: broadcast::Sender<GatewayEvent>,
}

fn inbound(i: usize) -> InboxMessage {
    InboxMessage {
        id: format!("in-{i}"),
        from: "+447911654321".into(),
        to: None,
        modem: "modem0".into(),
        sim: None,
        text: format!("hello {i}"),
        parts: 1,
        complete: true,
        missing: vec![],
        sent_at: at(i as i64),
        received_at: at(i as i64),
    }
}

impl Scripted {
    fn set(&self, id: &str, status: MessageStatus, part: PartState, error: Option<PartError>) {
        {
            let mut messages = self.messages.lock().unwrap();
            let Some(m) = messages.iter_mut().find(|m| m.id == id) else { return };
            m.status = status;
            m.parts[0].state = part;
            m.parts[0].error = error;
            m.history.push(HistoryEntry {
                part: Some(1),
                from: None,
                to: status.name().into(),
                at: at(0),
                detail: None,
            });
        }
        let _ = self.events.send(GatewayEvent::MessageStatus {
            id: id.into(),
            status,
            part: Some(1),
            part_state: Some(part),
            at: at(0),
        });
    }
}

#[async_trait]
impl Gateway for Scripted {
    async fn submit(&self, sms: NewSms) -> Result<Submitted, ApiError> {
        let id = {
            let mut messages = self.messages.lock().unwrap();
            let id = format!("msg-{}", messages.len() + 1);
            messages.push(MessageView {
                id: id.clone(),
                to: sms.to.to_string(),
                text: sms.text.clone(),
                status: MessageStatus::Queued,
                priority: sms.priority,
                delivery_report: sms.delivery_report,
                sim: None,
                created_at: at(0),
                updated_at: at(0),
                send_after: None,
                expires_at: None,
                parts: vec![PartView {
                    seq: 1,
                    state: PartState::Queued,
                    attempts: 0,
                    modem: None,
                    reference: None,
                    error: None,
                    submitted_at: None,
                    delivered_at: None,
                }],
                history: vec![],
            });
            id
        };
        let delivers = sms.to.as_str() == "+447911123456";
        let me = SELF.lock().unwrap().clone().expect("the gateway is registered");
        let script_id = id.clone();
        tokio::spawn(async move {
            let step = Duration::from_millis(50);
            tokio::time::sleep(step).await;
            me.set(&script_id, MessageStatus::Sending, PartState::Submitting, None);
            tokio::time::sleep(step).await;
            if delivers {
                me.set(&script_id, MessageStatus::Submitted, PartState::Submitted, None);
                tokio::time::sleep(step).await;
                me.set(&script_id, MessageStatus::Delivered, PartState::Delivered, None);
            } else {
                let error = PartError { code: "cms-38".into(), class: "permanent".into() };
                me.set(&script_id, MessageStatus::Failed, PartState::Failed, Some(error));
            }
        });
        Ok(Submitted { id, created: true, status: MessageStatus::Queued, parts: 1 })
    }

    async fn message(&self, id: &str) -> Result<Option<MessageView>, ApiError> {
        Ok(self.messages.lock().unwrap().iter().find(|m| m.id == id).cloned())
    }

    async fn inbox(&self, _cursor: Option<String>, limit: u32) -> Result<InboxPage, ApiError> {
        let all: Vec<InboxMessage> = (0..3).rev().map(inbound).collect();
        Ok(InboxPage {
            messages: all.into_iter().take(limit as usize).collect(),
            next_cursor: None,
        })
    }

    async fn modems(&self) -> Result<Vec<ModemView>, ApiError> {
        Ok(vec![ModemView {
            id: "modem0".into(),
            profile: Some("simcom-sim800".into()),
            state: ModemState::Ready,
            signal: Some(Signal { csq: 20, dbm: -73 }),
            operator: Some("Simulated".into()),
            registration: Some(Registration::Home),
            sim: Some(SimView { iccid: "8900000000000000001".into(), msisdn: None }),
            quota: None,
            last_error: None,
        }])
    }

    fn events(&self) -> broadcast::Receiver<GatewayEvent> {
        self.events.subscribe()
    }

    async fn health(&self) -> Health {
        Health {
            status: HealthStatus::Ok,
            modems_ready: 1,
            modems_total: 1,
            queued: 0,
            detail: None,
        }
    }
}

/// The gateway's own handle, for the tasks its script spawns; one per
/// test thread is not needed since each server has its own runtime.
static SELF: Mutex<Option<Arc<Scripted>>> = Mutex::new(None);

/// A served [`Scripted`] gateway, on its own runtime thread.
struct Served {
    addr: SocketAddr,
    gw: Arc<Scripted>,
    shutdown: CancellationToken,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Tests in this module share [`SELF`], so they take turns.
static TURN: Mutex<()> = Mutex::new(());

impl Served {
    fn start() -> Served {
        let gw =
            Arc::new(Scripted { messages: Mutex::new(vec![]), events: broadcast::channel(64).0 });
        *SELF.lock().unwrap() = Some(gw.clone());
        let shutdown = CancellationToken::new();
        let (tx, rx) = std::sync::mpsc::channel();
        let (served_gw, stop) = (gw.clone(), shutdown.clone());
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                let cfg = ApiConfig { admin_token: TOKEN.into(), ..ApiConfig::default() };
                serve(listener, served_gw, cfg, stop).await.unwrap();
            });
        });
        let addr = rx.recv_timeout(Duration::from_secs(10)).expect("the server starts");
        Served { addr, gw, shutdown, thread: Some(thread) }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Runs `bubblegate ARGS --api URL` with the token in the environment.
    fn run(&self, args: &[&str]) -> Output {
        self.command(args).env("BUBBLEGATE_TOKEN", TOKEN).output().expect("bubblegate runs")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_bubblegate"));
        command
            .args(args)
            .args(["--api", &self.url()])
            .env_remove("BUBBLEGATE_TOKEN")
            .env_remove("BUBBLEGATE_TOKEN_FILE")
            .env_remove("BUBBLEGATE_API")
            // Keep the user's demo token out of the test.
            .env("XDG_STATE_HOME", std::env::temp_dir().join("bubblegate-cli-test-none"));
        command
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.shutdown.cancel();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn send_prints_the_id_and_wait_follows_to_delivered() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let server = Served::start();
    let out = server.run(&["send", "--to", "+44 7911 123456", "--text", "hi"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("msg-1 (queued, 1 part, queued)"),
        "{}",
        text(&out.stdout)
    );

    let out = server.run(&["send", "--to", "+447911123456", "--text", "hi", "--wait"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.lines().last() == Some("msg-2 delivered"), "{stdout}");
    let progress = text(&out.stderr);
    for step in ["sending: 1/1 submitting", "submitted: 1/1 submitted"] {
        assert!(progress.contains(step), "progress shows {step}: {progress}");
    }
}

#[test]
fn a_failed_message_exits_1_with_the_reason() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let server = Served::start();
    let out = server.run(&["send", "--to", "+31612345678", "--text", "hi", "--wait"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("failed: part 1: cms-38 (permanent)"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn refused_input_exits_2_naming_the_field() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let server = Served::start();
    let out = server.run(&["send", "--to", "12", "--text", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("[field `to`]"), "{}", text(&out.stderr));
}

#[test]
fn status_shows_parts_and_history_or_exits_1() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let server = Served::start();
    assert!(server
        .run(&["send", "--to", "+447911123456", "--text", "x", "--wait"])
        .status
        .success());
    let out = server.run(&["status", "msg-1"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("msg-1  delivered\n"), "{stdout}");
    assert!(stdout.contains("  parts\n      1  delivered"), "{stdout}");
    assert!(stdout.contains("part 1   - -> delivered"), "{stdout}");
    let json = server.run(&["status", "msg-1", "--json"]);
    let view: MessageView = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(view.status, MessageStatus::Delivered);
    let missing = server.run(&["status", "msg-404"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("no message msg-404"));
}

#[test]
fn inbox_lists_oldest_first_and_as_json_lines() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let server = Served::start();
    let out = server.run(&["inbox"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<String> = text(&out.stdout).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].ends_with("+447911654321  hello 0"), "{lines:?}");
    assert!(lines[2].ends_with("hello 2"), "{lines:?}");
    let json = server.run(&["inbox", "--json", "--limit", "2"]);
    let parsed: Vec<InboxMessage> =
        text(&json.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(parsed.len(), 2);
}

#[test]
fn inbox_follow_prints_messages_as_they_arrive() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let server = Served::start();
    let mut child = server
        .command(&["inbox", "--follow", "--limit", "1"])
        .env("BUBBLEGATE_TOKEN", TOKEN)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = stdout.next().unwrap().unwrap();
    assert!(first.ends_with("hello 2"), "{first}");
    // The stream is open once it says it waits.
    let waiting = stderr.next().unwrap().unwrap();
    assert!(waiting.contains("waiting for messages"), "{waiting}");
    server.gw.events.send(GatewayEvent::Inbound { message: inbound(7) }).unwrap();
    let next = stdout.next().unwrap().unwrap();
    assert!(next.ends_with("hello 7"), "{next}");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn modems_list_prints_a_table() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let server = Served::start();
    let out = server.run(&["modems", "list"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let mut lines = stdout.lines();
    assert!(
        lines.next().unwrap().starts_with("MODEM   STATE  SIGNAL   OPERATOR   REGISTRATION"),
        "{stdout}"
    );
    assert!(
        lines.next().unwrap().starts_with("modem0  ready  -73 dBm  Simulated  home"),
        "{stdout}"
    );
}

#[test]
fn token_sources_and_their_failures() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let server = Served::start();
    // No token at all, and a wrong one: 4.
    let none = server.command(&["modems", "list"]).output().unwrap();
    assert_eq!(none.status.code(), Some(4), "{}", text(&none.stderr));
    assert!(text(&none.stderr).contains("BUBBLEGATE_TOKEN"), "{}", text(&none.stderr));
    let wrong = server.command(&["modems", "list", "--token", "nope"]).output().unwrap();
    assert_eq!(wrong.status.code(), Some(4));

    // A token file, given or from the demo's state directory.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("token");
    std::fs::write(&file, format!("{TOKEN}\n")).unwrap();
    let given = server
        .command(&["modems", "list", "--token-file", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(given.status.success(), "{}", text(&given.stderr));
    std::fs::create_dir_all(dir.path().join("bubblegate-demo")).unwrap();
    std::fs::write(dir.path().join("bubblegate-demo/admin-token"), TOKEN).unwrap();
    let demo =
        server.command(&["modems", "list"]).env("XDG_STATE_HOME", dir.path()).output().unwrap();
    assert!(demo.status.success(), "{}", text(&demo.stderr));
}

#[test]
fn an_unreachable_server_exits_3() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let out = Command::new(env!("CARGO_BIN_EXE_bubblegate"))
        .args(["status", "msg-1", "--api", &format!("http://{addr}"), "--token", TOKEN])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains("cannot reach the Bubblegate API"), "{}", text(&out.stderr));
}

#[test]
fn completions_cover_every_subcommand() {
    for shell in ["bash", "zsh", "fish"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_bubblegate"))
            .args(["completions", shell])
            .output()
            .expect("bubblegate runs");
        assert!(out.status.success(), "{shell}: {}", String::from_utf8_lossy(&out.stderr));
        let script = String::from_utf8(out.stdout).expect("utf-8");
        for word in ["device", "deregister", "modems", "pdu", "demo", "send"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_bubblegate"))
        .args(["completions", "tcsh"])
        .output()
        .expect("bubblegate runs");
    assert_eq!(bad.status.code(), Some(2), "an unknown shell is a usage error");
}
