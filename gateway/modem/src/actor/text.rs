//! Text mode (`AT+CMGF=1`, TS 27.005 chapter 3), only for modems whose
//! profile has no PDU mode.
//!
//! Text mode cannot carry a user data header, so it sends single parts
//! only. Text goes out in the IRA character set with DCS 0 when it is
//! printable ASCII, and as UCS-2 hexadecimal with DCS 8 otherwise (TS
//! 27.005 3.1 `<data>`), so the address stays plain IRA whatever the
//! modem's `+CSCS`. Received messages are read in IRA: characters outside
//! ASCII arrive as the modem shows them (often `?`). That is the price of a
//! modem without PDU mode; every built-in profile has PDU mode.

use bubblegate_at::commands::sms::{ListMessagesText, MessageStatus, SendText, TextEntry};
use bubblegate_at::commands::{AtRequest, ParseError};
use bubblegate_at::{Command, CommandError, Expect};
use bubblegate_profiles::CommandClass;
use bubblegate_sms::{Address, Body, Coding, Dcs, Deliver, Pdu, Submit, Timestamp, Tpdu, UserData};

use super::{Actor, CallError, Stop};

/// Validity period code of `+CSMP`: 167 is one day (TS 23.040 9.2.3.12.1).
const VP_ONE_DAY: u8 = 167;

/// The commands that send `submit` in text mode: `+CSMP` with its
/// parameters, then `+CMGS="<da>"` with the text.
pub(super) fn text_commands(submit: &Submit) -> Result<(String, SendText), String> {
    if submit.user_data.udh.is_some() {
        return Err("text mode cannot send a user data header (concatenated or \
                    port-addressed parts)"
            .to_owned());
    }
    let Body::Text(text) = &submit.user_data.body else {
        return Err("text mode cannot send binary data".to_owned());
    };
    let plain = submit.dcs.coding() == Coding::Gsm7
        && text.chars().all(|c| c.is_ascii() && !c.is_ascii_control());
    let (dcs, data) = if plain {
        (0u8, text.clone())
    } else if text.encode_utf16().count() <= 70 {
        (8u8, text.encode_utf16().map(|u| format!("{u:04X}")).collect())
    } else {
        return Err("text mode cannot send more than 70 characters outside ASCII".to_owned());
    };
    // TS 23.040 9.2.3.1: SMS-SUBMIT, relative validity, TP-SRR on request.
    let fo = 0x11 | if submit.status_report_request { 0x20 } else { 0 };
    let csmp = format!("AT+CSMP={fo},{VP_ONE_DAY},{},{dcs}", submit.pid);
    let send = SendText::new(&submit.destination.to_string(), &data).map_err(|e| e.to_string())?;
    Ok((csmp, send))
}

/// `AT+CMGR=<index>` in text mode: the header and the text line.
struct ReadText(u16);

impl AtRequest for ReadText {
    type Output = Option<TextEntry>;

    fn line(&self) -> Result<String, CommandError> {
        Ok(format!("AT+CMGR={}", self.0))
    }

    fn expect(&self) -> Expect {
        Expect::lines_with_data(&["+CMGR:"])
    }

    /// `+CMGR: <stat>,<oa>,[<alpha>],<scts>` and the text (TS 27.005
    /// 3.4.3). Status reports have no text line and are skipped.
    fn parse(&self, lines: &[String]) -> Result<Option<TextEntry>, ParseError> {
        let Some(header) = lines.first() else { return Ok(None) };
        // Reuse the listing parser: a +CMGR header is a +CMGL header
        // without the index.
        let listing =
            [header.replacen("+CMGR:", "+CMGL: 0,", 1), lines.get(1).cloned().unwrap_or_default()];
        let mut entries = ListMessagesText(MessageStatus::All).parse(&listing)?;
        Ok(entries.pop())
    }
}

impl Actor {
    pub(super) async fn read_stored_text(&mut self, storage: &str, index: u32) -> Result<(), Stop> {
        let Ok(slot) = u16::try_from(index) else { return Ok(()) };
        match self.call(&ReadText(slot), CommandClass::SmsRead).await {
            Ok(Some(entry)) => {
                self.hand_over_text(storage, index, &entry, false);
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(CallError::Stop(stop)) => Err(stop),
            Err(err) => {
                tracing::warn!(?err, index, "cannot read a stored message");
                Ok(())
            }
        }
    }

    pub(super) async fn sweep_text(&mut self) -> Result<(), Stop> {
        let storage = self.profile.sms.storage[0].to_string();
        let list = ListMessagesText(MessageStatus::All);
        let entries = match self.call(&list, CommandClass::SmsRead).await {
            Ok(entries) => entries,
            Err(CallError::Stop(stop)) => return Err(stop),
            Err(err) => {
                tracing::warn!(?err, "cannot list stored messages");
                return Ok(());
            }
        };
        for entry in entries {
            if matches!(entry.stat, MessageStatus::ReceivedRead | MessageStatus::ReceivedUnread) {
                self.hand_over_text(&storage, entry.index, &entry, true);
            }
        }
        Ok(())
    }

    /// Hands a text-mode message over as the DELIVER it stands for, with
    /// its PDU encoded from that, so consumers see one form.
    fn hand_over_text(&mut self, storage: &str, index: u32, entry: &TextEntry, again: bool) {
        let deliver = deliver_from_text(entry);
        let pdu = Pdu { smsc: None, tpdu: Tpdu::Deliver(deliver) };
        match pdu.encode() {
            Ok(encoded) => self.hand_over_stored(storage, index, encoded.hex(), again),
            Err(err) => tracing::warn!(index, %err, "a text-mode message cannot be re-encoded"),
        }
    }

    /// `+CSMP` before a text-mode send.
    pub(super) async fn set_text_parameters(&mut self, csmp: &str) -> Result<(), CallError> {
        let retry = self.retry(CommandClass::Default);
        let command =
            Command::new(csmp, Expect::nothing(), retry).map_err(|err| CallError::Rejected {
                command: csmp.to_owned(),
                result: bubblegate_at::FinalResult::Vendor(err.to_string()),
            })?;
        let response = self.exec(command).await?;
        match response.outcome {
            bubblegate_at::Outcome::Final(result) if result.is_success() => Ok(()),
            bubblegate_at::Outcome::Final(result) => {
                Err(CallError::Rejected { command: response.command, result })
            }
            bubblegate_at::Outcome::TimedOut { .. } => {
                Err(Stop::Unresponsive(response.command).into())
            }
            bubblegate_at::Outcome::Cancelled => {
                Err(Stop::PortGone("command cancelled".to_owned()).into())
            }
        }
    }
}

fn deliver_from_text(entry: &TextEntry) -> Deliver {
    let sender = entry.address.as_deref().unwrap_or_default();
    let originator = Address::phone(sender)
        .or_else(|_| Address::alphanumeric(sender))
        .unwrap_or(Address { ton: bubblegate_sms::Ton::Unknown, npi: 1, value: String::new() });
    Deliver {
        more_messages: false,
        loop_prevention: false,
        status_report_indication: false,
        reply_path: false,
        originator,
        pid: 0,
        dcs: Dcs(0),
        scts: entry.timestamp.as_deref().and_then(parse_timestamp).unwrap_or(Timestamp {
            year: 2000,
            month: 1,
            day: 1,
            hour: 0,
            minute: 0,
            second: 0,
            tz_quarters: 0,
        }),
        user_data: UserData::text(entry.text.clone()),
    }
}

/// `yy/MM/dd,hh:mm:ss±zz` (TS 27.005 3.3.1 `<scts>`).
fn parse_timestamp(text: &str) -> Option<Timestamp> {
    let (date, time) = text.split_once(',')?;
    let mut d = date.split('/').map(|p| p.parse::<u8>().ok());
    let (yy, month, day) = (d.next()??, d.next()??, d.next()??);
    let sign_at = time.find(['+', '-'])?;
    let (clock, zone) = time.split_at(sign_at);
    let mut t = clock.split(':').map(|p| p.parse::<u8>().ok());
    let (hour, minute, second) = (t.next()??, t.next()??, t.next()??);
    let tz_quarters = zone.parse::<i8>().ok()?;
    let year = if yy < 90 { 2000 + u16::from(yy) } else { 1900 + u16::from(yy) };
    Some(Timestamp { year, month, day, hour, minute, second, tz_quarters })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn submit(text: &str, dcs: Dcs) -> Submit {
        Submit {
            reject_duplicates: false,
            status_report_request: true,
            reply_path: false,
            message_ref: 0,
            destination: Address::phone("+31600000002").unwrap(),
            pid: 0,
            dcs,
            validity: None,
            user_data: UserData::text(text),
        }
    }

    #[test]
    fn ascii_goes_plain_and_the_rest_as_ucs2() {
        let (csmp, send) = text_commands(&submit("Hi there", Dcs(0))).unwrap();
        assert_eq!(csmp, "AT+CSMP=49,167,0,0");
        assert_eq!(send.line().unwrap(), "AT+CMGS=\"+31600000002\"");
        assert_eq!(send.body().unwrap().unwrap().as_bytes(), b"Hi there");
        let (csmp, send) = text_commands(&submit("Grüße", Dcs(8))).unwrap();
        assert_eq!(csmp, "AT+CSMP=49,167,0,8");
        assert_eq!(send.body().unwrap().unwrap().as_bytes(), b"0047007200FC00DF0065");
        assert!(text_commands(&submit(&"é".repeat(71), Dcs(8))).is_err());
    }

    #[test]
    fn text_timestamps() {
        let t = parse_timestamp("25/01/02,03:04:05+04").unwrap();
        assert_eq!((t.year, t.month, t.day, t.hour, t.minute, t.second), (2025, 1, 2, 3, 4, 5));
        assert_eq!(t.tz_quarters, 4);
        assert_eq!(parse_timestamp("99/12/31,23:59:59-08").unwrap().year, 1999);
        assert!(parse_timestamp("garbage").is_none());
    }
}
