//! `bubblegate modems …`: modem commands.
//!
//! - `modems profiles` lists the modem profiles (built-in plus a user
//!   directory) with how each is recognised, its SMS and MMS setup, and the
//!   documents it cites. Exit status: 0 on success, 2 when a profile is
//!   invalid (the message names the file, key and problem).
//! - `modems list` shows a running gateway's modems through its API (see
//!   `cli/client.rs` for the server, token and exit statuses).
//! - `modems scan` probes serial ports (the usual candidates plus paths
//!   given) and prints each one's USB id, identity and matched profile, or
//!   why it is not a modem; `--json` prints one JSON object per port and
//!   line, whose field names are a contract (only ever added to). Exit
//!   status: 0 when at least one port answered as a modem, 1 when none
//!   did, 2 when the profiles are invalid or the scan cannot run.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use bubblegate_profiles::{Delivery, MatchedBy, MmsMethod, Probe, Profile, ProfileSet};
use bubblegate_serial::scan::{self, PortReport, ProbeError, ScanConfig};
use bubblegate_serial::{SerialError, SerialSettings, Sysfs};
use clap::{Args, Subcommand};
use serde_json::{json, Value};

#[derive(Subcommand)]
pub enum ModemsCommand {
    /// List the modem profiles with their match rules, MMS method and sources.
    Profiles(ProfilesArgs),
    /// Find modems: probe serial ports and print each one's identity and
    /// matched profile.
    #[command(long_about = SCAN_HELP)]
    Scan(ScanArgs),
    /// List a running gateway's modems through its API: state, signal,
    /// operator, registration and quota use.
    List(super::client::ModemsListArgs),
}

#[derive(Args)]
pub struct ProfilesArgs {
    /// A directory of extra `*.toml` profiles; a file named like a built-in
    /// profile replaces it.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

pub fn run(cmd: ModemsCommand) -> ExitCode {
    match cmd {
        ModemsCommand::Profiles(args) => run_profiles(&args),
        ModemsCommand::Scan(args) => run_scan(&args),
        ModemsCommand::List(args) => super::client::run_modems_list(args),
    }
}

pub fn run_profiles(args: &ProfilesArgs) -> ExitCode {
    let set = match ProfileSet::load(args.dir.as_deref()) {
        Ok(set) => set,
        Err(e) => {
            eprintln!("bubblegate: {e}");
            return ExitCode::from(2);
        }
    };
    let mut out = String::new();
    for (i, profile) in set.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        // Writing to a String cannot fail.
        let _ = describe(&mut out, profile);
    }
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = io::stdout().lock().write_all(out.as_bytes());
    ExitCode::SUCCESS
}

/// One block per profile; the first line is `name  vendor model`.
fn describe(out: &mut String, p: &Profile) -> std::fmt::Result {
    writeln!(out, "{}  {} {}", p.name, p.vendor, p.model)?;
    writeln!(out, "  {}", p.summary)?;
    writeln!(out, "  match:   {}", match_rules(p))?;
    let modes = match (p.sms.modes.pdu, p.sms.modes.text) {
        (true, true) => "pdu+text",
        (true, false) => "pdu",
        _ => "text",
    };
    let delivery = match p.sms.delivery {
        Delivery::Store => "store (+CMTI)",
        Delivery::Route => "route (+CMT)",
    };
    let [m1, m2, m3] = &p.sms.storage;
    writeln!(
        out,
        "  sms:     {modes}, storage {m1}/{m2}/{m3}, {delivery}, CNMI {}{}, send timeout {} s",
        p.sms.cnmi,
        if p.sms.needs_cnma { ", +CNMA" } else { "" },
        p.timeouts.sms_send.duration.as_secs(),
    )?;
    let mms = match &p.mms.method {
        MmsMethod::ModemAt { commands } => {
            let mut families: Vec<String> = Vec::new();
            for name in commands.iter().map(|c| c.command_name()) {
                if !families.contains(&name) {
                    families.push(name);
                }
            }
            format!("modem AT ({})", families.join(", "))
        }
        MmsMethod::HostHttp => "host HTTP (MM1)".to_owned(),
        MmsMethod::None => "none".to_owned(),
    };
    writeln!(out, "  mms:     {mms}")?;
    for (i, source) in p.sources.iter().enumerate() {
        let label = if i == 0 { "sources:" } else { "" };
        writeln!(out, "  {label:<8} {source}")?;
    }
    writeln!(out, "  file:    {}", p.origin)
}

fn match_rules(p: &Profile) -> String {
    let rec = &p.recognition;
    if rec.is_empty() {
        return "fallback when nothing else matches".to_owned();
    }
    let mut rules = Vec::new();
    if !rec.usb.is_empty() {
        let ids: Vec<String> = rec
            .usb
            .iter()
            .map(|id| match p.port.usb_interface_for(*id) {
                Some(n) => format!("{id} (AT if {n})"),
                None => id.to_string(),
            })
            .collect();
        rules.push(format!("usb {}", ids.join(", ")));
    }
    let globs = |g: &[bubblegate_profiles::Glob]| {
        g.iter().map(|g| g.as_str()).collect::<Vec<_>>().join(", ")
    };
    if !rec.manufacturer.is_empty() {
        rules.push(format!("+CGMI {}", globs(&rec.manufacturer)));
    }
    if !rec.model.is_empty() {
        rules.push(format!("+CGMM {}", globs(&rec.model)));
    }
    rules.join("; ")
}

/// The long `--help` of `modems scan`.
const SCAN_HELP: &str = "Find modems: probe serial ports and print what answers.

Each port is opened exclusively, asked AT, AT+CGMI, AT+CGMM and AT+CGMR, \
and looked up in sysfs for its USB vendor:product id; then the modem \
profile is chosen the way the gateway chooses it: by USB id, else by the \
manufacturer and model answers, else `generic`. One line per port:

  PATH [-> DEVICE]  [usb VID:PID [serial S] [if N]]  MANUFACTURER MODEL rev REVISION  profile NAME (by usb id|by identity|fallback)

or the reason the port is not a modem: not found, busy (with the process \
that holds it, e.g. ModemManager), permission denied (join the `dialout` \
group), not a terminal, or no answer to AT (not a modem, or not its AT \
interface: USB modems have several ttys and only some speak AT; the line \
names the profile's AT interface when the USB id is known).

Probed by default: /dev/serial/by-id/* (use these stable names in the \
config), /dev/ttyUSB*, /dev/ttyACM* and the Raspberry Pi's /dev/serial0 \
and /dev/serial1, plus every PATH given. Ports run concurrently, each \
within --timeout, so devices that are not modems cannot stall the scan. \
A port held by a running `bubblegate run` is reported busy and not touched. \
The scan does write AT to every candidate: use --only with PATHs to keep \
it off other serial devices.

Examples:
  bubblegate modems scan
  bubblegate modems scan --json
  bubblegate modems scan --only /dev/ttyAMA0 --baud 9600
  bubblegate modems scan $XDG_RUNTIME_DIR/bubblegate-sim/modem0   (a `bubblegate sim` modem)

Exit status: 0 when at least one port answered as a modem, 1 when none \
did, 2 when the profiles are invalid or the scan cannot run.";

#[derive(Args)]
pub struct ScanArgs {
    /// More ports to probe, e.g. a UART (/dev/ttyAMA0) or a simulated
    /// modem's PTY link printed by `bubblegate sim`.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Probe only the PATHs given, not the usual candidates.
    #[arg(long, requires = "paths")]
    only: bool,
    /// Print one JSON object per port and line (JSON Lines).
    #[arg(long)]
    json: bool,
    /// The most one port may take, from open to the last answer, in
    /// seconds.
    #[arg(long, value_name = "SECONDS", default_value = "3", value_parser = parse_seconds)]
    timeout: Duration,
    /// Baud rate for UART ports (modem HATs); USB ports ignore it.
    #[arg(long, default_value_t = 115_200)]
    baud: u32,
    /// A directory of extra `*.toml` profiles, as for `modems profiles`.
    #[arg(long, value_name = "DIR")]
    profiles: Option<PathBuf>,
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text.parse().map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !(0.1..=60.0).contains(&seconds) {
        return Err(format!("{seconds} s is outside 0.1 to 60 seconds"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

pub fn run_scan(args: &ScanArgs) -> ExitCode {
    let set = match ProfileSet::load(args.profiles.as_deref()) {
        Ok(set) => set,
        Err(e) => {
            eprintln!("bubblegate: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("bubblegate modems scan: cannot start the async runtime: {err}");
            return ExitCode::from(2);
        }
    };
    let config = ScanConfig {
        settings: SerialSettings { baud: args.baud, ..SerialSettings::default() },
        timeout: args.timeout,
        sysfs: Sysfs::system(),
    };
    let mut paths = args.paths.clone();
    if !args.only {
        paths.extend(scan::candidates(&config.sysfs));
    }
    let reports = runtime.block_on(scan::scan(paths, &config));

    let mut out = String::new();
    if reports.is_empty() && !args.json {
        out.push_str("no serial ports found (give a PATH to probe one)\n");
    }
    for report in &reports {
        let resolved = resolve(&set, report);
        if args.json {
            out.push_str(&scan_json(report, resolved).to_string());
            out.push('\n');
        } else {
            // Writing to a String cannot fail.
            let _ = writeln!(out, "{}", scan_line(report, resolved));
        }
    }
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = io::stdout().lock().write_all(out.as_bytes());
    if reports.iter().any(|r| r.outcome.is_ok()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The profile for a port that answered; for one that did not, only a
/// profile claiming its USB id (which tells which interface to use).
fn resolve<'a>(set: &'a ProfileSet, report: &PortReport) -> Option<(&'a Profile, MatchedBy)> {
    let usb = report.usb.as_ref().map(|u| u.id);
    if report.outcome.is_ok() {
        let id = &report.identity;
        let probe =
            Probe { usb, manufacturer: id.manufacturer.as_deref(), model: id.model.as_deref() };
        let resolution = set.resolve(&probe);
        return Some((resolution.profile, resolution.matched_by));
    }
    let usb = usb?;
    let resolution = set.resolve(&Probe { usb: Some(usb), ..Probe::default() });
    matches!(resolution.matched_by, MatchedBy::Usb(_))
        .then_some((resolution.profile, resolution.matched_by))
}

fn matched_by_name(matched_by: MatchedBy) -> &'static str {
    match matched_by {
        MatchedBy::Usb(_) => "usb",
        MatchedBy::Identity => "identity",
        MatchedBy::Fallback => "fallback",
    }
}

/// A short machine-readable cause; part of the JSON contract.
fn status(outcome: &Result<(), ProbeError>) -> &'static str {
    match outcome {
        Ok(()) => "ok",
        Err(ProbeError::Open(err)) => match err {
            SerialError::NotFound { .. } => "not_found",
            SerialError::PermissionDenied { .. } => "permission_denied",
            SerialError::Busy { .. } => "busy",
            SerialError::NotATty { .. } => "not_a_tty",
            SerialError::Io { .. } => "error",
        },
        Err(ProbeError::NoAnswer) => "no_answer",
        Err(ProbeError::Refused(_)) => "refused",
        Err(ProbeError::Closed) => "closed",
        Err(ProbeError::TimedOut(_)) => "timeout",
        Err(ProbeError::Io(_) | ProbeError::Command(_)) => "error",
    }
}

fn reason(err: &ProbeError) -> String {
    match err {
        ProbeError::Open(err) => err.reason(),
        other => other.to_string(),
    }
}

/// The profile's AT interface for this port's USB id, when the port is on
/// another interface (the hint for a port that did not answer).
fn at_interface(report: &PortReport, profile: &Profile) -> Option<u8> {
    let usb = report.usb.as_ref()?;
    profile.port.usb_interface_for(usb.id)
}

fn scan_line(report: &PortReport, resolved: Option<(&Profile, MatchedBy)>) -> String {
    let mut line = report.path.display().to_string();
    if let Some(device) = &report.device {
        let _ = write!(line, " -> {}", device.display());
    }
    if let Some(usb) = &report.usb {
        let _ = write!(line, "  usb {}", usb.id);
        if let Some(serial) = &usb.serial {
            let _ = write!(line, " serial {serial}");
        }
        if let Some(interface) = usb.interface {
            let _ = write!(line, " if {interface}");
        }
    }
    match &report.outcome {
        Ok(()) => {
            let id = &report.identity;
            let text = |answer: &Option<String>| answer.clone().unwrap_or_else(|| "?".to_owned());
            let _ = write!(
                line,
                "  {} {} rev {}",
                text(&id.manufacturer),
                text(&id.model),
                text(&id.revision)
            );
            if let Some((profile, matched_by)) = resolved {
                let how = match matched_by {
                    MatchedBy::Usb(_) => "by usb id",
                    MatchedBy::Identity => "by identity",
                    MatchedBy::Fallback => "fallback: nothing matched",
                };
                let _ = write!(line, "  profile {} ({how})", profile.name);
            }
        }
        Err(err) => {
            let _ = write!(line, "  {}", reason(err));
            if let Some((profile, _)) = resolved {
                let _ = write!(line, "; usb id of profile {}", profile.name);
                match at_interface(report, profile) {
                    Some(n) if report.usb.as_ref().and_then(|u| u.interface) != Some(n) => {
                        let _ = write!(line, ", whose AT port is interface {n}");
                    }
                    _ => {}
                }
            }
        }
    }
    line
}

/// One port as JSON. Field names are a contract: add, never rename.
fn scan_json(report: &PortReport, resolved: Option<(&Profile, MatchedBy)>) -> Value {
    let usb = report.usb.as_ref().map(|usb| {
        json!({
            "id": usb.id.to_string(),
            "vendor": format!("{:04x}", usb.id.vendor),
            "product": format!("{:04x}", usb.id.product),
            "serial": usb.serial,
            "interface": usb.interface,
        })
    });
    let holder = match &report.outcome {
        Err(ProbeError::Open(SerialError::Busy { holder: Some(holder), .. })) => {
            json!({ "pid": holder.pid, "command": holder.command })
        }
        _ => Value::Null,
    };
    let id = &report.identity;
    json!({
        "path": report.path.display().to_string(),
        "device": report.device.as_ref().map(|d| d.display().to_string()),
        "usb": usb,
        "status": status(&report.outcome),
        "error": report.outcome.as_ref().err().map(reason),
        "holder": holder,
        "manufacturer": id.manufacturer,
        "model": id.model,
        "revision": id.revision,
        "profile": resolved.map(|(profile, _)| profile.name.clone()),
        "matched_by": resolved.map(|(_, matched_by)| matched_by_name(matched_by)),
        "at_interface": resolved.and_then(|(profile, _)| at_interface(report, profile)),
    })
}
