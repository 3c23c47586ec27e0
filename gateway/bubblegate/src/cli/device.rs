//! `bubblegate device …`: be a device of the encrypted network from the
//! command line, through [`bubblegate_client::Device`]. Registration,
//! sending, listening, blocks, deregistration and keys.
//!
//! The device's state (keys, token, replay set) lives in one private file:
//! `--state FILE`, else `BUBBLEGATE_DEVICE_STATE`, else
//! `$XDG_STATE_HOME/bubblegate/device.json` (or
//! `~/.local/state/bubblegate/device.json`). The hub is `--hub URL`, else
//! `BUBBLEGATE_HUB`, else the one the state file names, else where the
//! daemon listens by default.
//!
//! Exit status: 0 success; 1 a recipient failed, or `listen` stopped
//! before `--count` messages; 2 the request was refused (bad input, the
//! hub said no, a problem with the state file); 3 the hub could not be
//! reached or answered garbage; 4 the hub refused the device's token.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use bubblegate_api::Timestamp;
use bubblegate_client::proto::wire::{Route, SmsPart};
use bubblegate_client::proto::{b64, Content, GroupInfo};
use bubblegate_client::state::StateData;
use bubblegate_client::{Device, DeviceError, Incoming, Received, Rejected, SmsChoice};
use clap::{Args, Subcommand};

/// The end of every device command's `--help`.
const EXIT_HELP: &str = "Exit status: 0 success; 1 a recipient failed, or listen stopped before \
--count messages; 2 the request was refused (bad input, the hub said no, the state file); 3 the \
hub could not be reached; 4 the hub refused this device's token (deregistered?).";

const EXIT_FAILED: u8 = 1;
const EXIT_REFUSED: u8 = 2;
const EXIT_UNREACHABLE: u8 = 3;
const EXIT_UNAUTHORIZED: u8 = 4;

/// Options shared by every device command.
#[derive(Args, Debug, Clone)]
pub struct DeviceOptions {
    /// The device's state file [env: BUBBLEGATE_DEVICE_STATE] [default:
    /// $XDG_STATE_HOME/bubblegate/device.json]. One file per device: use
    /// two files to be two devices.
    #[arg(long, value_name = "FILE", global = true, help_heading = "Device options")]
    state: Option<PathBuf>,
    /// The hub's URL [env: BUBBLEGATE_HUB] [default: the one in the state
    /// file, else http://127.0.0.1:8080].
    #[arg(long, value_name = "URL", global = true, help_heading = "Device options")]
    hub: Option<String>,
    /// The most one request to the hub may take, in seconds.
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = parse_seconds, global = true, help_heading = "Device options")]
    request_timeout: Duration,
}

/// `bubblegate device`.
#[derive(Args, Debug)]
#[command(after_help = EXIT_HELP)]
pub struct DeviceArgs {
    #[command(flatten)]
    options: DeviceOptions,
    #[command(subcommand)]
    command: DeviceCommand,
}

#[derive(Subcommand, Debug)]
enum DeviceCommand {
    /// Ask the hub to text a 6-digit code to your number; then run `verify`.
    #[command(after_help = "Example:\n  bubblegate device register --phone +31612345678\n  \
        bubblegate device verify --code 123456\n\n".to_owned() + EXIT_HELP)]
    Register(RegisterArgs),
    /// Register this device with the code from the SMS: makes its keys
    /// (they never leave it) and stores the token the hub hands out.
    #[command(after_help = "Example:\n  bubblegate device verify --code 123456 --name laptop\n\n"
        .to_owned() + EXIT_HELP)]
    Verify(VerifyArgs),
    /// Send an end-to-end encrypted message; prints how each recipient was
    /// reached (blue: encrypted to their devices; green: by SMS).
    #[command(after_help = "Examples:\n  bubblegate device send --to +31612345678 --text 'see you at 8'\n  \
        bubblegate device send --to +31612345678 --to +4915112345678 --group-id g1 \
        --group-name Friday --text hi\n  bubblegate device send --to +31612345678 --text hi \
        --sms-fallback\n\n".to_owned() + EXIT_HELP)]
    Send(SendArgs),
    /// Receive messages as they come (WebSocket), print and ack them.
    #[command(after_help = "Examples:\n  bubblegate device listen\n  bubblegate device listen \
        --json --once --timeout 30\n\nWith --json each line is one object: {\"type\": \
        \"message\", \"id\", \"sender\": {\"handle\", \"device_id\"} or null for the hub, \
        \"client_message_id\", \"kind\", \"created_at\", \"content\": {\"kind\", …}} or \
        {\"type\": \"rejected\", …, \"reason\": {\"code\"}}.\n\n".to_owned() + EXIT_HELP)]
    Listen(ListenArgs),
    /// Fetch the queued messages once (no WebSocket), print and ack them.
    #[command(after_help = "Example:\n  bubblegate device fetch --json\n\n".to_owned() + EXIT_HELP)]
    Fetch(FetchArgs),
    /// Look up a number's registered devices in the directory.
    #[command(after_help = "Example:\n  bubblegate device lookup +31612345678\n\n".to_owned()
        + EXIT_HELP)]
    Lookup(LookupArgs),
    /// Block or unblock a number, or list the blocked numbers. A blocked
    /// sender sees messages as sent, never delivered.
    #[command(subcommand)]
    Block(BlockCommand),
    /// Revoke every device of a number (yours, or one you hold the SIM of).
    #[command(subcommand)]
    Deregister(DeregisterCommand),
    /// Show this device's keys, or rotate its encryption key.
    #[command(subcommand)]
    Keys(KeysCommand),
}

#[derive(Args, Debug)]
struct RegisterArgs {
    /// Your number, in international form: +31612345678.
    #[arg(long, value_name = "NUMBER")]
    phone: String,
}

#[derive(Args, Debug)]
struct VerifyArgs {
    /// The 6-digit code from the SMS.
    #[arg(long, value_name = "CODE")]
    code: String,
    /// This device's name, shown to your other devices [default: the host name].
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
}

#[derive(Args, Debug)]
struct SendArgs {
    /// A recipient, in international form; repeat for several.
    #[arg(long, value_name = "NUMBER", required = true)]
    to: Vec<String>,
    /// The message.
    #[arg(long, value_name = "TEXT")]
    text: String,
    /// A group id: the message goes to the group's members (--to).
    #[arg(long, value_name = "ID", requires = "group_name")]
    group_id: Option<String>,
    /// The group's name, which green members see as `[name] ` before the text.
    #[arg(long, value_name = "NAME", requires = "group_id")]
    group_name: Option<String>,
    /// Also keep the text as SMS for blue recipients: if none of a
    /// recipient's devices acks in time, the hub sends it by SMS.
    #[arg(long, conflicts_with = "no_green")]
    sms_fallback: bool,
    /// The plaintext for SMS, if it should differ from --text. Without it,
    /// the text itself goes by SMS to recipients without a registered device.
    #[arg(long, value_name = "TEXT", conflicts_with = "no_green")]
    sms_text: Option<String>,
    /// Never hand the hub plaintext: recipients without a registered
    /// device fail (no_sms_text) instead of getting an SMS.
    #[arg(long)]
    no_green: bool,
    /// Print the outcome as one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
struct ListenArgs {
    /// One JSON object per line (see below).
    #[arg(long)]
    json: bool,
    /// Stop after the first message (same as --count 1).
    #[arg(long, conflicts_with = "count")]
    once: bool,
    /// Stop after this many messages.
    #[arg(long, value_name = "N")]
    count: Option<u64>,
    /// Stop after this many seconds.
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    timeout: Option<Duration>,
    /// Do not ack: the hub keeps the messages and delivers them again.
    #[arg(long)]
    no_ack: bool,
}

#[derive(Args, Debug)]
struct FetchArgs {
    /// One JSON object per line, as `listen --json`.
    #[arg(long)]
    json: bool,
    /// At most this many messages.
    #[arg(long, value_name = "N")]
    limit: Option<u32>,
    /// Do not ack: the hub keeps the messages and delivers them again.
    #[arg(long)]
    no_ack: bool,
}

#[derive(Args, Debug)]
struct LookupArgs {
    /// The number, in international form.
    phone: String,
    /// Print the directory entry as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand, Debug)]
enum BlockCommand {
    /// Block a number: `bubblegate device block add +31612345678`.
    #[command(after_help = EXIT_HELP)]
    Add { phone: String },
    /// Unblock a number: `bubblegate device block remove +31612345678`.
    #[command(after_help = EXIT_HELP)]
    Remove { phone: String },
    /// List the blocked numbers: `bubblegate device block list`.
    #[command(after_help = EXIT_HELP)]
    List {
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
enum DeregisterCommand {
    /// Ask the hub to text a code to the number.
    #[command(after_help = "Example:\n  bubblegate device deregister request --phone +31612345678\n\n"
        .to_owned() + EXIT_HELP)]
    Request {
        /// The number [default: this device's].
        #[arg(long, value_name = "NUMBER")]
        phone: Option<String>,
    },
    /// Revoke every device of the number with the code. When it is this
    /// device's number, the state file forgets the registration.
    #[command(after_help = "Example:\n  bubblegate device deregister confirm --phone +31612345678 \
        --code 123456\n\n".to_owned() + EXIT_HELP)]
    Confirm {
        /// The number [default: this device's].
        #[arg(long, value_name = "NUMBER")]
        phone: Option<String>,
        /// The code from the SMS.
        #[arg(long, value_name = "CODE")]
        code: String,
    },
}

#[derive(Subcommand, Debug)]
enum KeysCommand {
    /// Show the device, its public keys and the kept private keys' ids.
    #[command(after_help = "Example:\n  bubblegate device keys show --check\n\n".to_owned()
        + EXIT_HELP)]
    Show {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Also ask the hub which key it hands out, and compare.
        #[arg(long)]
        check: bool,
    },
    /// Make a new encryption key and give the hub its public half; the old
    /// one keeps opening messages sealed to it until they expire.
    #[command(after_help = "Example:\n  bubblegate device keys rotate\n\n".to_owned() + EXIT_HELP)]
    Rotate,
}

pub fn run(args: DeviceArgs) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("bubblegate: cannot start the async runtime: {err}");
            return ExitCode::from(EXIT_UNREACHABLE);
        }
    };
    match runtime.block_on(dispatch(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("bubblegate: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

/// What ends a command: an exit status and, unless 0, why.
struct Failure {
    code: u8,
    message: String,
}

impl From<DeviceError> for Failure {
    fn from(e: DeviceError) -> Failure {
        let code = match &e {
            DeviceError::Unauthorized { .. } => EXIT_UNAUTHORIZED,
            e if e.is_transport() => EXIT_UNREACHABLE,
            _ => EXIT_REFUSED,
        };
        Failure { code, message: e.to_string() }
    }
}

async fn dispatch(args: DeviceArgs) -> Result<(), Failure> {
    let mut device = open(&args.options)?;
    match args.command {
        DeviceCommand::Register(a) => register(&mut device, a).await,
        DeviceCommand::Verify(a) => verify(&mut device, a).await,
        DeviceCommand::Send(a) => send(&mut device, a).await,
        DeviceCommand::Listen(a) => listen(&mut device, a).await,
        DeviceCommand::Fetch(a) => fetch(&mut device, a).await,
        DeviceCommand::Lookup(a) => lookup(&mut device, a).await,
        DeviceCommand::Block(c) => block(&device, c).await,
        DeviceCommand::Deregister(c) => deregister(&mut device, c).await,
        DeviceCommand::Keys(c) => keys(&mut device, c).await,
    }
}

fn open(options: &DeviceOptions) -> Result<Device, Failure> {
    let path = options
        .state
        .clone()
        .or_else(|| non_empty_env("BUBBLEGATE_DEVICE_STATE").map(PathBuf::from))
        .unwrap_or_else(default_state_path);
    let mut hub = options.hub.clone().or_else(|| non_empty_env("BUBBLEGATE_HUB"));
    if hub.is_none() && !path.exists() {
        // Where the daemon listens unless configured (`api.listen`).
        hub = Some(format!("http://{}", bubblegate_daemon::config::DEFAULT_LISTEN));
    }
    Ok(Device::open(&path, hub.as_deref(), options.request_timeout)?)
}

/// `$XDG_STATE_HOME/bubblegate/device.json`, else under `~/.local/state`.
fn default_state_path() -> PathBuf {
    let from = |var: &str, rest: &str| {
        std::env::var_os(var).map(PathBuf::from).filter(|p| p.is_absolute()).map(|p| p.join(rest))
    };
    from("XDG_STATE_HOME", "bubblegate/device.json")
        .or_else(|| from("HOME", ".local/state/bubblegate/device.json"))
        .unwrap_or_else(|| PathBuf::from("bubblegate-device.json"))
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text.parse().map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !(0.1..=604_800.0).contains(&seconds) {
        return Err(format!("{seconds} s is outside 0.1 s to one week"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// Writes to stdout; a closed pipe (`| head`) is not worth reporting.
fn out(text: &str) {
    let mut stdout = io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

fn json_line(value: &serde_json::Value) -> String {
    value.to_string() + "\n"
}

fn time(ms: i64) -> String {
    Timestamp::from_unix_millis(ms).to_string()
}

// ------------------------------------------------------------ registration

async fn register(device: &mut Device, args: RegisterArgs) -> Result<(), Failure> {
    let sent = device.register(&args.phone).await?;
    let minutes = sent.expires_in.div_ceil(60);
    out(&format!(
        "A code is on its way to {} by SMS; it works for {minutes} min.\n\
         Next: bubblegate device verify --code CODE (state file {})\n",
        args.phone,
        device.state_path().display()
    ));
    Ok(())
}

async fn verify(device: &mut Device, args: VerifyArgs) -> Result<(), Failure> {
    let name = args.name.unwrap_or_else(host_name);
    let hub = device.hub_url().to_owned();
    let reg = device.verify(&args.code, &name).await?;
    out(&format!(
        "Registered {} as device {} (\"{}\") at {hub}.\n",
        reg.handle, reg.device_id, reg.name
    ));
    Ok(())
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "bubblegate-cli".to_owned())
}

// ------------------------------------------------------------ send

async fn send(device: &mut Device, args: SendArgs) -> Result<(), Failure> {
    let own = device.registration()?.handle.to_string();
    let group = match (args.group_id, args.group_name) {
        (Some(id), Some(name)) => {
            let mut members = vec![own.clone()];
            members.extend(args.to.iter().filter(|t| **t != own).cloned());
            Some(GroupInfo { id, name, members })
        }
        _ => None,
    };
    let content = Content::Text { body: args.text.clone(), group: group.clone(), to: Vec::new() };
    let choice = if args.no_green {
        SmsChoice::Never
    } else if let Some(text) = args.sms_text {
        SmsChoice::Given(SmsPart { text, fallback: args.sms_fallback })
    } else {
        SmsChoice::Auto { fallback: args.sms_fallback }
    };
    let report = device.send_with(&args.to, &content, group, choice).await?;
    let failed: Vec<&str> = report
        .answer
        .recipients
        .iter()
        .filter(|r| r.route == Route::Failed)
        .map(|r| r.handle.as_str())
        .collect();
    if args.json {
        out(&json_line(&serde_json::json!({
            "client_message_id": report.client_message_id,
            "message_id": report.answer.message_id,
            "created_at": report.created_at,
            "recipients": report.answer.recipients,
            "envelopes": report.envelopes,
            "sms": report.sms,
            "attempts": report.attempts,
        })));
    } else {
        let mut text = format!(
            "sent {} ({} envelope{}{})\n",
            report.client_message_id,
            report.envelopes,
            if report.envelopes == 1 { "" } else { "s" },
            match &report.sms {
                Some(sms) if sms.fallback => ", SMS text kept for fallback",
                Some(_) => ", with SMS text",
                None => "",
            }
        );
        for r in &report.answer.recipients {
            let route = serde_json::to_value(r.route)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            text.push_str(&format!("  {:<18} {route}", r.handle));
            if let Some(id) = &r.sms_id {
                text.push_str(&format!("  sms {id}"));
            }
            if let Some(reason) = &r.reason {
                text.push_str(&format!("  ({reason})"));
            }
            text.push('\n');
        }
        out(&text);
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Failure {
            code: EXIT_FAILED,
            message: format!("not delivered to {}", failed.join(", ")),
        })
    }
}

// ------------------------------------------------------------ receive

/// One line for a received or rejected envelope.
///
/// `own` is this device's handle: a text from it is the sent copy of a
/// message this handle's other device sent, shown with its recipients.
fn incoming_line(incoming: &Incoming, json: bool, own: Option<&str>) -> (String, bool) {
    match incoming {
        Incoming::Received(r) if json => (json_line(&tagged("message", r)), true),
        Incoming::Rejected(r) if json => (json_line(&tagged("rejected", r)), true),
        Incoming::Received(r) => (message_line(r, own), true),
        // People see rejections on stderr, apart from the messages.
        Incoming::Rejected(r) => (rejected_line(r), false),
    }
}

/// `value`'s JSON object with `"type": kind` first.
fn tagged<T: serde::Serialize>(kind: &str, value: &T) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    object.insert("type".into(), kind.into());
    if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(value) {
        object.extend(fields);
    }
    serde_json::Value::Object(object)
}

fn message_line(r: &Received, own: Option<&str>) -> String {
    let from = match &r.meta.sender {
        Some(s) => format!("{} ({})", s.handle, s.device_id),
        None => "hub".to_owned(),
    };
    let sent_copy = r.meta.sender.as_ref().is_some_and(|s| Some(s.handle.as_str()) == own);
    let what = match &r.content {
        Content::Text { body, group: Some(g), .. } => format!("[{}] {body}", g.name),
        Content::Text { body, group: None, to } if sent_copy && !to.is_empty() => {
            format!("(sent to {}) {body}", to.join(", "))
        }
        Content::Text { body, group: None, .. } => body.clone(),
        Content::Reaction { target, emoji } => format!("reacted {emoji} to {target}"),
        Content::Edit { target, body } => format!("edited {target}: {body}"),
        Content::Unsend { target } => format!("unsent {target}"),
        Content::Delivered { targets } => format!("delivered: {}", targets.join(", ")),
        Content::Read { targets } => format!("read: {}", targets.join(", ")),
        Content::Delete { targets } => format!("deleted: {}", targets.join(", ")),
        Content::Sms { from, body, .. } => format!("SMS from {from}: {body}"),
        Content::DeviceAdded { device_id, name } => {
            format!("a new device joined your number: {device_id} (\"{name}\")")
        }
        Content::Status { client_message_id, recipient, status } => {
            let status = serde_json::to_value(status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            format!("message {client_message_id} to {recipient}: {status}")
        }
    };
    format!("{}  {from}  {}\n", time(r.meta.created_at), what.replace('\n', "\n    "))
}

fn rejected_line(r: &Rejected) -> String {
    let from = r
        .meta
        .sender
        .as_ref()
        .map_or("hub".to_owned(), |s| format!("{} ({})", s.handle, s.device_id));
    format!("(dropped envelope {} from {from}: {} [{}])\n", r.meta.id, r.reason, r.reason.code())
}

fn show(incoming: &Incoming, json: bool, own: Option<&str>) {
    let (line, to_stdout) = incoming_line(incoming, json, own);
    if to_stdout {
        out(&line);
    } else {
        eprint!("{line}");
    }
}

async fn listen(device: &mut Device, args: ListenArgs) -> Result<(), Failure> {
    let wanted = if args.once { Some(1) } else { args.count };
    let deadline = args.timeout.map(|t| tokio::time::Instant::now() + t);
    let own = own_handle(device);
    let mut listener = device.listen().await?;
    if !args.json {
        eprintln!("(listening; Ctrl-C stops)");
    }
    let mut got = 0u64;
    let ended = loop {
        if wanted.is_some_and(|n| got >= n) {
            break None;
        }
        let next = tokio::select! {
            () = sleep_until(deadline) => break Some("timeout"),
            _ = tokio::signal::ctrl_c() => break Some("interrupted"),
            next = listener.next() => next,
        };
        match next {
            None => {
                return Err(Failure {
                    code: EXIT_UNREACHABLE,
                    message: "the hub closed the stream (stopping?)".to_owned(),
                })
            }
            Some(Err(e)) => return Err(e.into()),
            Some(Ok(incoming)) => {
                show(&incoming, args.json, own.as_deref());
                if let Incoming::Received(r) = &incoming {
                    got += 1;
                    if !args.no_ack {
                        listener.ack(std::slice::from_ref(&r.meta.id)).await?;
                    }
                }
            }
        }
    };
    listener.close().await;
    match (ended, wanted) {
        (Some(why), Some(n)) if got < n => Err(Failure {
            code: EXIT_FAILED,
            message: format!("{why}: {got} of {n} messages received"),
        }),
        _ => Ok(()),
    }
}

/// This device's handle, once registered.
fn own_handle(device: &Device) -> Option<String> {
    device.state().registration.as_ref().map(|r| r.handle.to_string())
}

async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

async fn fetch(device: &mut Device, args: FetchArgs) -> Result<(), Failure> {
    let own = own_handle(device);
    let incoming = device.fetch(args.limit).await?;
    let mut ids = Vec::new();
    for item in &incoming {
        show(item, args.json, own.as_deref());
        if let Incoming::Received(r) = item {
            ids.push(r.meta.id.clone());
        }
    }
    if !args.no_ack {
        device.ack(&ids).await?;
    }
    if incoming.is_empty() && !args.json {
        eprintln!("(no messages)");
    }
    Ok(())
}

async fn lookup(device: &mut Device, args: LookupArgs) -> Result<(), Failure> {
    let entry = device.directory(&args.phone).await?;
    if args.json {
        let value = serde_json::to_value(&entry).unwrap_or_default();
        out(&json_line(&value));
        return Ok(());
    }
    match entry {
        None => out(&format!("{} has no registered device (messages go by SMS)\n", args.phone)),
        Some(entry) => {
            let mut text = format!("{}: {} device(s)\n", entry.handle, entry.devices.len());
            for d in &entry.devices {
                text.push_str(&format!(
                    "  {}  key_id {}  signing key {}\n",
                    d.device_id,
                    d.enc_key.key_id,
                    b64::encode(&d.sign_key.to_bytes())
                ));
            }
            out(&text);
        }
    }
    Ok(())
}

// ------------------------------------------------------------ blocks

async fn block(device: &Device, command: BlockCommand) -> Result<(), Failure> {
    match command {
        BlockCommand::Add { phone } => {
            device.block(&phone).await?;
            out(&format!("blocked {phone}\n"));
        }
        BlockCommand::Remove { phone } => {
            device.unblock(&phone).await?;
            out(&format!("unblocked {phone}\n"));
        }
        BlockCommand::List { json } => {
            let blocked = device.blocks().await?;
            if json {
                out(&json_line(&serde_json::to_value(&blocked).unwrap_or_default()));
            } else if blocked.is_empty() {
                out("no blocked numbers\n");
            } else {
                let lines: Vec<String> = blocked.iter().map(|n| format!("{n}\n")).collect();
                out(&lines.concat());
            }
        }
    }
    Ok(())
}

// ------------------------------------------------------------ deregister

fn phone_or_own(device: &Device, phone: Option<String>) -> Result<String, Failure> {
    match phone {
        Some(phone) => Ok(phone),
        None => match &device.state().registration {
            Some(reg) => Ok(reg.handle.to_string()),
            None => Err(Failure {
                code: EXIT_REFUSED,
                message: "this device is not registered: pass --phone NUMBER".to_owned(),
            }),
        },
    }
}

async fn deregister(device: &mut Device, command: DeregisterCommand) -> Result<(), Failure> {
    match command {
        DeregisterCommand::Request { phone } => {
            let phone = phone_or_own(device, phone)?;
            device.deregister_request(&phone).await?;
            out(&format!(
                "A code is on its way to {phone} by SMS.\n\
                 Next: bubblegate device deregister confirm --phone {phone} --code CODE\n"
            ));
        }
        DeregisterCommand::Confirm { phone, code } => {
            let phone = phone_or_own(device, phone)?;
            let was_registered = device.state().registration.is_some();
            let done = device.deregister_confirm(&phone, &code).await?;
            out(&format!("{phone}: {} device(s) revoked\n", done.revoked_devices));
            if was_registered && device.state().registration.is_none() {
                out("This device was one of them; its state file forgot the registration.\n");
            }
        }
    }
    Ok(())
}

// ------------------------------------------------------------ keys

async fn keys(device: &mut Device, command: KeysCommand) -> Result<(), Failure> {
    match command {
        KeysCommand::Show { json, check } => {
            device.registration()?;
            let remote = if check { Some(device.me().await?) } else { None };
            let state = device.state();
            if json {
                let mut value = keys_json(state, device.hub_url());
                if let (Some(info), Some(object)) = (&remote, value.as_object_mut()) {
                    object.insert("hub_key_id".into(), info.enc_key.key_id.into());
                }
                out(&json_line(&value));
            } else {
                out(&keys_text(state, device.hub_url()));
                if let Some(info) = &remote {
                    let current = state.registration.as_ref().map_or(0, |r| r.current_key_id);
                    if info.enc_key.key_id == current {
                        out(&format!("the hub hands out key_id {current}, as expected\n"));
                    } else {
                        return Err(Failure {
                            code: EXIT_FAILED,
                            message: format!(
                                "the hub hands out key_id {}, this device expects {current}: \
                                 run `bubblegate device keys rotate`",
                                info.enc_key.key_id
                            ),
                        });
                    }
                }
            }
        }
        KeysCommand::Rotate => {
            let public = device.rotate_keys().await?;
            out(&format!(
                "The hub now hands out key_id {}; older keys stay until their messages expire.\n",
                public.key_id
            ));
        }
    }
    Ok(())
}

fn key_status(state: &StateData, key_id: u32, retired_at: Option<i64>) -> String {
    let current = state.registration.as_ref().map(|r| r.current_key_id);
    match retired_at {
        _ if current == Some(key_id) => "current".to_owned(),
        Some(at) => format!("retired {}", time(at)),
        None => "unconfirmed (a rotation the hub did not answer)".to_owned(),
    }
}

fn keys_json(state: &StateData, hub: &str) -> serde_json::Value {
    let reg = state.registration.as_ref();
    let signing =
        reg.and_then(|r| r.signing_key().ok()).map(|k| b64::encode(&k.public().to_bytes()));
    let keys: Vec<serde_json::Value> = state
        .enc_keys
        .iter()
        .map(|k| {
            serde_json::json!({
                "key_id": k.key_id,
                "created_at": k.created_at,
                "retired_at": k.retired_at,
                "status": key_status(state, k.key_id, k.retired_at),
            })
        })
        .collect();
    serde_json::json!({
        "hub": hub,
        "handle": reg.map(|r| r.handle.to_string()),
        "device_id": reg.map(|r| r.device_id.clone()),
        "name": reg.map(|r| r.name.clone()),
        "hub_key": reg.map(|r| b64::encode(&r.hub_key.to_bytes())),
        "sign_key": signing,
        "current_key_id": reg.map(|r| r.current_key_id),
        "enc_keys": keys,
        "replay_records": state.replay.len(),
    })
}

fn keys_text(state: &StateData, hub: &str) -> String {
    let mut text = String::new();
    if let Some(reg) = &state.registration {
        let signing = reg
            .signing_key()
            .map(|k| b64::encode(&k.public().to_bytes()))
            .unwrap_or_else(|e| format!("unreadable: {e}"));
        text.push_str(&format!("device       {} (\"{}\")\n", reg.device_id, reg.name));
        text.push_str(&format!("handle       {}\n", reg.handle));
        text.push_str(&format!("hub          {hub}\n"));
        text.push_str(&format!("hub key      {} (pinned)\n", b64::encode(&reg.hub_key.to_bytes())));
        text.push_str(&format!("signing key  {signing}\n"));
    }
    text.push_str("encryption keys (x-wing)\n");
    for k in &state.enc_keys {
        text.push_str(&format!(
            "  key_id {:<4} made {}  {}\n",
            k.key_id,
            time(k.created_at),
            key_status(state, k.key_id, k.retired_at)
        ));
    }
    text
}
