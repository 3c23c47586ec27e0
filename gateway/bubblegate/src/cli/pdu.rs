//! `bubblegate pdu decode|encode`: the PDU tool. Its JSON output is a
//! contract that scripts and tests rely on; see `pdu_json` for the fields.
//!
//! Exit status: 0 on success, 2 when a PDU or an argument is invalid
//! (one line on stderr says why and, for PDUs, at which byte), 1 when
//! reading stdin fails.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use bubblegate_sms::gsm7::Language;
use bubblegate_sms::segment::{self, SegmentOptions, TextEncoding};
use bubblegate_sms::{Address, Dcs, Pdu, Ports, Submit, Tpdu, UserData, Validity};
use clap::{Args, Subcommand, ValueEnum};

use super::pdu_json;

#[derive(Subcommand)]
pub enum PduCommand {
    /// Decode PDUs to JSON, one object per line.
    ///
    /// Give the PDU as hex, as a modem prints it after +CMGR, +CMGL, +CMT or
    /// +CDS, or `-` to read one PDU per line from stdin. By default the PDU
    /// starts with the SMSC address, as modems print it.
    ///
    /// Example: bubblegate pdu decode 07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07
    #[command(verbatim_doc_comment)]
    Decode(DecodeArgs),
    /// Encode a message as SMS-SUBMIT PDUs, ready for AT+CMGS.
    ///
    /// Prints a JSON array with one {pdu, tpdu_length} per part. Send each
    /// part with `AT+CMGS=<tpdu_length>`, then the pdu hex, then Ctrl-Z.
    ///
    /// Examples:
    ///   bubblegate pdu encode --to +31612345678 --text "See you at 8 €"
    ///   bubblegate pdu encode --to +905321234567 --text "Günaydın" --shift turkish
    ///   bubblegate pdu encode --to +31612345678 --data 0605040B8423F0 --port 2948
    #[command(verbatim_doc_comment)]
    Encode(EncodeArgs),
}

#[derive(Args)]
pub struct DecodeArgs {
    /// The PDU in hex, or `-` to read one per line from stdin.
    pdu: String,
    /// The PDU has no SMSC field in front (it starts at the TPDU's first octet).
    #[arg(long)]
    no_smsc: bool,
}

#[derive(Args)]
#[command(group = clap::ArgGroup::new("content").required(true).args(["text", "data"]))]
pub struct EncodeArgs {
    /// Destination: `+` and digits for an international number, or digits.
    #[arg(long, value_name = "NUMBER")]
    to: String,
    /// The message text. Split into several parts when it is too long.
    #[arg(long)]
    text: Option<String>,
    /// Binary data in hex, sent with 8-bit coding.
    #[arg(long, value_name = "HEX")]
    data: Option<String>,
    /// Application port for --data (e.g. 2948 for WAP push); source and
    /// destination are both set to it.
    #[arg(long, value_name = "N", requires = "data")]
    port: Option<u16>,
    /// Text coding. `auto` picks the one with the fewest parts.
    #[arg(long, value_enum, default_value_t = EncodingArg::Auto)]
    encoding: EncodingArg,
    /// Allow this national language's GSM 7-bit shift tables (repeatable):
    /// turkish, spanish, portuguese, bengali, gujarati, hindi, kannada,
    /// malayalam, oriya, punjabi, tamil, telugu, urdu.
    #[arg(long, value_name = "LANG", value_parser = parse_language)]
    shift: Vec<Language>,
    /// Ask the network for a status report on each part.
    #[arg(long)]
    srr: bool,
    /// How long the network keeps trying: e.g. 90m, 12h, 2d, 1w, or seconds.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    validity: Option<u64>,
    /// SMSC to put in front; without it the modem uses the SIM's SMSC.
    #[arg(long, value_name = "NUMBER")]
    smsc: Option<String>,
    /// Message class 0..3 (0 is "flash": shown, not stored).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=3))]
    class: Option<u8>,
    /// Concatenation reference for multipart messages (0..255).
    #[arg(long, value_name = "N", default_value_t = 0)]
    reference: u8,
}

#[derive(Clone, Copy, ValueEnum)]
enum EncodingArg {
    Auto,
    Gsm7,
    Ucs2,
}

fn parse_language(s: &str) -> Result<Language, String> {
    Language::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = Language::ALL.iter().map(|l| l.name()).collect();
        format!("unknown language {s:?}; known: {}", names.join(", "))
    })
}

/// Parses `90m`, `12h`, `2d`, `1w`, `30s` or plain seconds.
fn parse_duration(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (digits, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => s.split_at(i),
        None => (s, "s"),
    };
    let n: u64 =
        digits.parse().map_err(|_| format!("{s:?} is not a duration like 90m, 12h, 2d or 1w"))?;
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return Err(format!("unknown unit {unit:?} in {s:?}; use s, m, h, d or w")),
    };
    n.checked_mul(scale).filter(|v| *v > 0).ok_or_else(|| format!("{s:?} is out of range"))
}

pub fn run(cmd: PduCommand) -> ExitCode {
    match cmd {
        PduCommand::Decode(args) => decode(args),
        PduCommand::Encode(args) => match encode(args) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(msg) => {
                eprintln!("error: {msg}");
                ExitCode::from(2)
            }
        },
    }
}

fn decode(args: DecodeArgs) -> ExitCode {
    let with_smsc = !args.no_smsc;
    if args.pdu != "-" {
        return match Pdu::decode_hex(&args.pdu, with_smsc) {
            Ok(pdu) => {
                println!("{}", pdu_json::decoded(&pdu));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: invalid PDU: {e}");
                ExitCode::from(2)
            }
        };
    }
    let mut failed = false;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    for (n, line) in io::stdin().lock().lines().enumerate() {
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                eprintln!("error: reading stdin: {e}");
                return ExitCode::FAILURE;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        match Pdu::decode_hex(&line, with_smsc) {
            Ok(pdu) => {
                if writeln!(out, "{}", pdu_json::decoded(&pdu)).is_err() {
                    // The reader went away (e.g. `| head`); stop quietly.
                    return ExitCode::SUCCESS;
                }
            }
            Err(e) => {
                eprintln!("error: line {}: invalid PDU: {e}", n + 1);
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn encode(args: EncodeArgs) -> Result<String, String> {
    let destination = Address::phone(&args.to).map_err(|e| format!("--to: {e}"))?;
    let smsc =
        args.smsc.as_deref().map(Address::phone).transpose().map_err(|e| format!("--smsc: {e}"))?;
    let plan = match (&args.text, &args.data) {
        (Some(text), _) => {
            let opts = SegmentOptions {
                encoding: match args.encoding {
                    EncodingArg::Auto => TextEncoding::Auto,
                    EncodingArg::Gsm7 => TextEncoding::Gsm7,
                    EncodingArg::Ucs2 => TextEncoding::Ucs2,
                },
                languages: args.shift.clone(),
                wide_reference: false,
            };
            segment::plan_text(text, &opts).map_err(|e| e.to_string())?
        }
        (None, Some(hex)) => {
            let data =
                bubblegate_sms::hex::decode(hex.trim()).map_err(|e| format!("--data: {e}"))?;
            let ports = args.port.map(|p| Ports { src: p, dst: p, wide: p > 255 });
            segment::plan_data(&data, ports, false).map_err(|e| e.to_string())?
        }
        (None, None) => return Err("give --text or --data".into()),
    };
    let template = Submit {
        reject_duplicates: false,
        status_report_request: args.srr,
        reply_path: false,
        message_ref: 0,
        destination,
        pid: 0,
        dcs: Dcs::new(plan.coding, args.class),
        validity: args.validity.map(Validity::relative_at_least),
        user_data: UserData::text(""),
    };
    let parts = plan
        .submits(&template, args.reference as u16)
        .into_iter()
        .map(|submit| Pdu { smsc: smsc.clone(), tpdu: Tpdu::Submit(submit) }.encode())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    Ok(pdu_json::encoded(&parts).to_string())
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn durations() {
        let table =
            [("90m", Some(5400)), ("12h", Some(43200)), ("2d", Some(172800)), ("1w", Some(604800))];
        for (input, want) in table {
            assert_eq!(parse_duration(input).ok(), want, "{input}");
        }
        for bad in ["", "0", "5y", "m", "-1h", "99999999999999999999w"] {
            assert!(parse_duration(bad).is_err(), "{bad} should be rejected");
        }
        assert_eq!(parse_duration("3600"), Ok(3600));
    }
}
