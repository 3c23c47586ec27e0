//! `bubblegate modems …`: modem commands. For now `modems profiles`, which
//! lists the modem profiles (built-in plus a user directory) with how each
//! is recognised, its SMS and MMS setup, and the documents it cites.
//!
//! Exit status: 0 on success, 2 when a profile is invalid (the message names
//! the file, key and problem).

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use bubblegate_profiles::{Delivery, MmsMethod, Profile, ProfileSet};
use clap::{Args, Subcommand};

#[derive(Subcommand)]
pub enum ModemsCommand {
    /// List the modem profiles with their match rules, MMS method and sources.
    Profiles(ProfilesArgs),
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
