//! The API's command-line clients: `bubblegate send`, `bubblegate status`,
//! `bubblegate inbox` and `bubblegate modems list`. They talk to a running
//! daemon (`bubblegate run` or `bubblegate demo`) through
//! [`bubblegate_api::client::Client`].
//!
//! The server and token come from `--api` / `--token` (or
//! `--token-file`), else `BUBBLEGATE_API` / `BUBBLEGATE_TOKEN` /
//! `BUBBLEGATE_TOKEN_FILE`, else `http://127.0.0.1:8080` and the token
//! file that `bubblegate demo` writes in its state directory.
//!
//! Exit status, shared by all four: 0 success; 1 the message failed or
//! expired, `--wait` timed out, or no such message; 2 the request was
//! refused (bad input, conflict, server unavailable); 3 the server could
//! not be reached or answered garbage; 4 the token was refused (401) or is
//! missing.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use bubblegate_api::client::{Client, ClientError};
use bubblegate_api::{
    GatewayEvent, InboxMessage, MessageStatus, MessageView, ModemView, SmsRequest, Timestamp,
};
use clap::{Args, Subcommand};

/// The end of every client command's `--help`.
const EXIT_HELP: &str =
    "Exit status: 0 success; 1 the message failed or expired, --wait timed out, \
or no such message; 2 the request was refused (bad input, conflict, server unavailable); \
3 the server could not be reached; 4 the token was refused or is missing.";

/// Exit statuses; see the module doc.
const EXIT_FAILED: u8 = 1;
const EXIT_REFUSED: u8 = 2;
const EXIT_UNREACHABLE: u8 = 3;
const EXIT_UNAUTHORIZED: u8 = 4;

/// How to reach the API; shared by every client command.
#[derive(Args, Debug, Clone)]
pub struct ApiArgs {
    /// The API's base URL [env: BUBBLEGATE_API] [default: http://127.0.0.1:8080].
    #[arg(long, value_name = "URL")]
    api: Option<String>,
    /// The admin token [env: BUBBLEGATE_TOKEN]. Prefer --token-file: a
    /// token on the command line is visible to other users in `ps`.
    #[arg(long, value_name = "TOKEN")]
    token: Option<String>,
    /// A file holding the admin token [env: BUBBLEGATE_TOKEN_FILE]
    /// [default: the demo's, $XDG_STATE_HOME/bubblegate-demo/admin-token].
    #[arg(long, value_name = "FILE", conflicts_with = "token")]
    token_file: Option<PathBuf>,
    /// The most one request may take, in seconds.
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = parse_seconds)]
    timeout: Duration,
}

#[derive(Args, Debug)]
#[command(after_help = EXIT_HELP)]
pub struct SendArgs {
    #[command(flatten)]
    api: ApiArgs,
    /// The recipient, in international form: +4915112345678.
    #[arg(long, value_name = "NUMBER")]
    to: String,
    /// The message text.
    #[arg(long, value_name = "TEXT")]
    text: String,
    /// Resending with the same key returns the first message instead of
    /// sending again, e.g. when a script retries.
    #[arg(long, value_name = "KEY")]
    idempotency_key: Option<String>,
    /// How long the message may wait to be sent, in seconds (60 to 604800).
    #[arg(long, value_name = "SECONDS")]
    validity: Option<u64>,
    /// Higher is sent first; -100 to 100, 0 by default.
    #[arg(long, allow_negative_numbers = true)]
    priority: Option<i32>,
    /// Do not ask the network for a delivery report.
    #[arg(long)]
    no_delivery_report: bool,
    /// Not before this time, RFC 3339: 2025-01-31T18:00:00+01:00.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    send_after: Option<Timestamp>,
    /// Wait and show progress until the message is delivered or failed.
    #[arg(long)]
    wait: bool,
    /// How long --wait waits, in seconds.
    #[arg(long, value_name = "SECONDS", default_value = "120", value_parser = parse_seconds, requires = "wait")]
    wait_timeout: Duration,
    /// Print the API's JSON answer instead of a sentence.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
#[command(after_help = EXIT_HELP)]
pub struct StatusArgs {
    #[command(flatten)]
    api: ApiArgs,
    /// The message id that `bubblegate send` printed.
    id: String,
    /// Print the API's JSON answer.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
#[command(after_help = EXIT_HELP)]
pub struct InboxArgs {
    #[command(flatten)]
    api: ApiArgs,
    /// Messages per page (1 to 200).
    #[arg(long, default_value_t = 20)]
    limit: u32,
    /// Start after this cursor (printed at the end of a page).
    #[arg(long)]
    cursor: Option<String>,
    /// Keep running and print messages as they arrive, until Ctrl-C.
    #[arg(long, short)]
    follow: bool,
    /// One JSON object per message and line.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
#[command(after_help = EXIT_HELP)]
pub struct ModemsListArgs {
    #[command(flatten)]
    api: ApiArgs,
    /// Print the API's JSON answer.
    #[arg(long)]
    json: bool,
}

/// The client subcommands, for `main.rs` to flatten in.
#[derive(Subcommand, Debug)]
pub enum ClientCommand {
    /// Send an SMS through a running gateway; prints the message id.
    Send(SendArgs),
    /// Show a sent message's status, parts and history.
    Status(StatusArgs),
    /// List received messages, newest first; --follow waits for more.
    Inbox(InboxArgs),
}

pub fn run(cmd: ClientCommand) -> ExitCode {
    match cmd {
        ClientCommand::Send(args) => block_on(send(args)),
        ClientCommand::Status(args) => block_on(status(args)),
        ClientCommand::Inbox(args) => block_on(inbox(args)),
    }
}

/// `bubblegate modems list`.
pub fn run_modems_list(args: ModemsListArgs) -> ExitCode {
    block_on(modems_list(args))
}

/// What ends a command: an exit status and, unless 0, why.
struct Failure {
    code: u8,
    message: String,
}

impl From<ClientError> for Failure {
    fn from(e: ClientError) -> Failure {
        let code = match &e {
            ClientError::Unauthorized(_) => EXIT_UNAUTHORIZED,
            ClientError::Api { .. } | ClientError::BadUrl { .. } => EXIT_REFUSED,
            ClientError::Unreachable { .. }
            | ClientError::Timeout { .. }
            | ClientError::Protocol { .. } => EXIT_UNREACHABLE,
        };
        let mut message = e.to_string();
        if let ClientError::Api { error, .. } = &e {
            if let Some(field) = &error.field {
                let _ = write!(message, " [field `{field}`]");
            }
        }
        Failure { code, message }
    }
}

fn block_on(work: impl std::future::Future<Output = Result<(), Failure>>) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("bubblegate: cannot start the async runtime: {err}");
            return ExitCode::from(EXIT_UNREACHABLE);
        }
    };
    match runtime.block_on(work) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("bubblegate: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

impl ApiArgs {
    fn client(&self) -> Result<Client, Failure> {
        let url = self
            .api
            .clone()
            .or_else(|| non_empty_env("BUBBLEGATE_API"))
            // Where the daemon listens unless configured (`api.listen`).
            .unwrap_or_else(|| format!("http://{}", bubblegate_daemon::config::DEFAULT_LISTEN));
        let token = self.token()?;
        Ok(Client::new(&url, token, self.timeout)?)
    }

    /// The token: given, from the environment, from a file given, or from
    /// the demo's file when it exists. `None` lets the server say 401.
    fn token(&self) -> Result<Option<String>, Failure> {
        if let Some(token) = &self.token {
            return Ok(Some(token.trim().to_owned()));
        }
        if let Some(file) = &self.token_file {
            return read_token(file).map(Some);
        }
        if let Some(token) = non_empty_env("BUBBLEGATE_TOKEN") {
            return Ok(Some(token.trim().to_owned()));
        }
        if let Some(file) = non_empty_env("BUBBLEGATE_TOKEN_FILE") {
            return read_token(&PathBuf::from(file)).map(Some);
        }
        let demo = demo_token_file();
        if demo.is_file() {
            return read_token(&demo).map(Some);
        }
        Ok(None)
    }
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn read_token(path: &PathBuf) -> Result<String, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| Failure {
        code: EXIT_UNAUTHORIZED,
        message: format!("cannot read the token file {}: {e}", path.display()),
    })?;
    let token = text.trim().to_owned();
    if token.is_empty() {
        return Err(Failure {
            code: EXIT_UNAUTHORIZED,
            message: format!("the token file {} is empty", path.display()),
        });
    }
    Ok(token)
}

/// Where `bubblegate demo` keeps its admin token.
fn demo_token_file() -> PathBuf {
    bubblegate_daemon::demo::default_dir().join("admin-token")
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text.parse().map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !(0.1..=86_400.0).contains(&seconds) {
        return Err(format!("{seconds} s is outside 0.1 s to one day"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

fn parse_time(text: &str) -> Result<Timestamp, String> {
    Timestamp::parse(text)
        .ok_or_else(|| format!("`{text}` is not an RFC 3339 time like 2025-01-31T18:00:00+01:00"))
}

/// Writes to stdout; a closed pipe (`| head`) is not worth reporting.
fn out(text: &str) {
    let mut stdout = io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

fn json_line<T: serde::Serialize>(value: &T) -> String {
    // Serializing the API's own types cannot fail.
    serde_json::to_string(value).unwrap_or_default() + "\n"
}

// ------------------------------------------------------------ send

async fn send(args: SendArgs) -> Result<(), Failure> {
    let client = args.api.client()?;
    let request = SmsRequest {
        to: args.to.clone(),
        text: args.text.clone(),
        idempotency_key: args.idempotency_key.clone(),
        validity: args.validity,
        priority: args.priority,
        delivery_report: args.no_delivery_report.then_some(false),
        send_after: args.send_after,
    };
    // Subscribe before submitting, so no status change is missed. A
    // server without the stream still works: --wait then polls.
    let events = if args.wait { client.events().await.ok() } else { None };
    let submitted = client.submit(&request).await?;
    if args.json {
        out(&json_line(&submitted));
    } else {
        let parts = if submitted.parts == 1 {
            "1 part".to_owned()
        } else {
            format!("{} parts", submitted.parts)
        };
        let how = if submitted.created { "queued" } else { "already submitted with this key" };
        out(&format!("{} ({how}, {parts}, {})\n", submitted.id, submitted.status.name()));
    }
    if !args.wait {
        return Ok(());
    }
    let wants_report = !args.no_delivery_report;
    wait_for(&client, events, &submitted.id, wants_report, args.wait_timeout, args.json).await
}

/// Follows a message until it settles or `timeout` passes, printing each
/// change on stderr (stdout keeps the id and the final status).
async fn wait_for(
    client: &Client,
    mut events: Option<bubblegate_api::client::EventStream>,
    id: &str,
    wants_report: bool,
    timeout: Duration,
    json: bool,
) -> Result<(), Failure> {
    let started = Instant::now();
    let deadline = tokio::time::Instant::now() + timeout;
    let mut shown: Option<MessageView> = None;
    // A poll now and then covers a missed or lagged event stream.
    let mut poll = tokio::time::interval(if events.is_some() {
        Duration::from_secs(5)
    } else {
        Duration::from_millis(500)
    });
    loop {
        let refresh = tokio::select! {
            () = tokio::time::sleep_until(deadline) => {
                let status = shown.as_ref().map_or("unknown", |m| m.status.name());
                return Err(Failure {
                    code: EXIT_FAILED,
                    message: format!("{id} is still {status} after {} s; `bubblegate status {id}` shows more", timeout.as_secs()),
                });
            }
            _ = poll.tick() => true,
            event = next_event(&mut events) => match event {
                Some(GatewayEvent::MessageStatus { id: event_id, .. }) => event_id == id,
                Some(GatewayEvent::Lagged { .. }) => true,
                Some(_) => false,
                // The stream ended: fall back to polling.
                None => {
                    events = None;
                    poll = tokio::time::interval(Duration::from_millis(500));
                    false
                }
            },
        };
        if !refresh {
            continue;
        }
        let Some(view) = client.message(id).await? else {
            return Err(Failure {
                code: EXIT_FAILED,
                message: format!("message {id} disappeared"),
            });
        };
        if shown.as_ref() != Some(&view) {
            eprintln!("[{:>6.1}s] {}", started.elapsed().as_secs_f64(), progress(&view));
        }
        let status = view.status;
        if view.is_settled() {
            if json {
                out(&json_line(&view));
            } else {
                out(&format!("{id} {}\n", status.name()));
            }
            return match status {
                MessageStatus::Delivered => Ok(()),
                MessageStatus::Submitted if !wants_report => Ok(()),
                _ => Err(Failure { code: EXIT_FAILED, message: failure_reason(&view) }),
            };
        }
        shown = Some(view);
    }
}

async fn next_event(
    events: &mut Option<bubblegate_api::client::EventStream>,
) -> Option<GatewayEvent> {
    match events {
        Some(stream) => match stream.next().await {
            Some(Ok(event)) => Some(event),
            Some(Err(_)) | None => None,
        },
        None => std::future::pending().await,
    }
}

/// `sending: 1/3 delivered, 2 submitting`.
fn progress(view: &MessageView) -> String {
    let total = view.parts.len();
    let mut counts: Vec<(String, usize)> = Vec::new();
    for part in &view.parts {
        let name = part.state.name().to_owned();
        match counts.iter_mut().find(|(n, _)| *n == name) {
            Some((_, count)) => *count += 1,
            None => counts.push((name, 1)),
        }
    }
    let parts: Vec<String> = counts.iter().map(|(name, n)| format!("{n}/{total} {name}")).collect();
    format!("{}: {}", view.status.name(), parts.join(", "))
}

fn failure_reason(view: &MessageView) -> String {
    let errors: Vec<String> = view
        .parts
        .iter()
        .filter_map(|p| {
            p.error.as_ref().map(|e| format!("part {}: {} ({})", p.seq, e.code, e.class))
        })
        .collect();
    if errors.is_empty() {
        format!("{} {}", view.id, view.status.name())
    } else {
        format!("{} {}: {}", view.id, view.status.name(), errors.join("; "))
    }
}

// ------------------------------------------------------------ status

async fn status(args: StatusArgs) -> Result<(), Failure> {
    let client = args.api.client()?;
    let Some(view) = client.message(&args.id).await? else {
        return Err(Failure { code: EXIT_FAILED, message: format!("no message {}", args.id) });
    };
    if args.json {
        out(&json_line(&view));
    } else {
        out(&describe(&view));
    }
    Ok(())
}

/// A message for people: a header, one line per part, the history.
fn describe(m: &MessageView) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}  {}", m.id, m.status.name());
    let _ = writeln!(s, "  to        {}", m.to);
    let _ = writeln!(s, "  created   {}", m.created_at);
    let _ = writeln!(s, "  updated   {}", m.updated_at);
    if let Some(t) = m.send_after {
        let _ = writeln!(s, "  not before {t}");
    }
    if let Some(t) = m.expires_at {
        let _ = writeln!(s, "  expires   {t}");
    }
    if let Some(sim) = &m.sim {
        let _ = writeln!(s, "  sim       {sim}");
    }
    let _ = writeln!(
        s,
        "  priority  {}, delivery report {}",
        m.priority,
        if m.delivery_report { "asked" } else { "not asked" }
    );
    let _ = writeln!(s, "  parts");
    for p in &m.parts {
        let state = p.state.name();
        let _ = write!(s, "    {:>3}  {state:<10} attempts {}", p.seq, p.attempts);
        if let Some(modem) = &p.modem {
            let _ = write!(s, "  modem {modem}");
        }
        if let Some(mr) = p.reference {
            let _ = write!(s, "  mr {mr}");
        }
        if let Some(e) = &p.error {
            let _ = write!(s, "  error {} ({})", e.code, e.class);
        }
        s.push('\n');
    }
    let _ = writeln!(s, "  history");
    for h in &m.history {
        let what = match h.part {
            Some(n) => format!("part {n}"),
            None => "message".to_owned(),
        };
        let from = h.from.as_deref().unwrap_or("-");
        let _ = write!(s, "    {}  {what:<8} {from} -> {}", h.at, h.to);
        if let Some(detail) = &h.detail {
            let _ = write!(s, "  ({detail})");
        }
        s.push('\n');
    }
    s
}

// ------------------------------------------------------------ inbox

async fn inbox(args: InboxArgs) -> Result<(), Failure> {
    let client = args.api.client()?;
    // Subscribe first when following, so nothing arrives unseen between
    // the page and the stream.
    let mut events = if args.follow { Some(client.events().await?) } else { None };
    let page = client.inbox(args.cursor.as_deref(), Some(args.limit)).await?;
    let shown: Vec<String> = page.messages.iter().map(|m| m.id.clone()).collect();
    // Oldest first on screen, so the newest is next to the prompt and
    // followed messages continue the list.
    for m in page.messages.iter().rev() {
        out(&inbox_line(m, args.json));
    }
    let Some(stream) = events.as_mut() else {
        if let (Some(cursor), false) = (&page.next_cursor, args.json) {
            eprintln!("(older messages: bubblegate inbox --cursor {cursor})");
        } else if page.messages.is_empty() && !args.json {
            eprintln!("(the inbox is empty)");
        }
        return Ok(());
    };
    if !args.json {
        eprintln!("(waiting for messages; Ctrl-C stops)");
    }
    loop {
        let event = tokio::select! {
            _ = tokio::signal::ctrl_c() => return Ok(()),
            event = stream.next() => event,
        };
        match event {
            Some(Ok(GatewayEvent::Inbound { message })) if !shown.contains(&message.id) => {
                out(&inbox_line(&message, args.json));
            }
            Some(Ok(GatewayEvent::Lagged { missed })) => {
                eprintln!(
                    "(fell behind: {missed} events missed; run `bubblegate inbox` to see all)"
                );
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(e.into()),
            None => {
                return Err(Failure {
                    code: EXIT_UNREACHABLE,
                    message: "the server closed the event stream (stopping?)".to_owned(),
                })
            }
        }
    }
}

fn inbox_line(m: &InboxMessage, json: bool) -> String {
    if json {
        return json_line(m);
    }
    let mut line = format!("{}  {}  {}", m.received_at, m.from, m.text.replace('\n', "\n    "));
    if !m.complete {
        let _ = write!(line, "  [incomplete: parts {:?} missing]", m.missing);
    }
    line.push('\n');
    line
}

// ------------------------------------------------------------ modems

async fn modems_list(args: ModemsListArgs) -> Result<(), Failure> {
    let client = args.api.client()?;
    let modems = client.modems().await?;
    if args.json {
        out(&json_line(&modems));
    } else {
        out(&modems_table(&modems));
    }
    Ok(())
}

fn modems_table(modems: &[ModemView]) -> String {
    if modems.is_empty() {
        return "no modems\n".to_owned();
    }
    let name = |v: serde_json::Result<serde_json::Value>| {
        v.ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_else(|| "-".to_owned())
    };
    let rows: Vec<[String; 7]> = modems
        .iter()
        .map(|m| {
            let quota = m.quota.as_ref().map_or("-".to_owned(), |q| {
                let limit = |l: Option<u64>| l.map_or("∞".to_owned(), |l| l.to_string());
                format!(
                    "{}/{} {}/{}",
                    q.day_used,
                    limit(q.day_limit),
                    q.month_used,
                    limit(q.month_limit)
                )
            });
            [
                m.id.clone(),
                name(serde_json::to_value(m.state)),
                m.signal.as_ref().map_or("-".to_owned(), |s| format!("{} dBm", s.dbm)),
                m.operator.clone().unwrap_or_else(|| "-".to_owned()),
                m.registration.map_or("-".to_owned(), |r| name(serde_json::to_value(r))),
                m.sim.as_ref().map_or("-".to_owned(), |s| {
                    s.msisdn.clone().unwrap_or_else(|| s.iccid.clone())
                }),
                quota,
            ]
        })
        .collect();
    let header = ["MODEM", "STATE", "SIGNAL", "OPERATOR", "REGISTRATION", "SIM", "DAY/MONTH"];
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut s = String::new();
    let mut line = |cells: &[String]| {
        let padded: Vec<String> =
            cells.iter().zip(widths).map(|(c, w)| format!("{c:<w$}")).collect();
        let _ = writeln!(s, "{}", padded.join("  ").trim_end());
    };
    line(&header.map(str::to_owned));
    for row in &rows {
        line(row);
    }
    for m in modems.iter().filter(|m| m.last_error.is_some()) {
        let _ = writeln!(s, "{}: {}", m.id, m.last_error.as_deref().unwrap_or_default());
    }
    s
}
