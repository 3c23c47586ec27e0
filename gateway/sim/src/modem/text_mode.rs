//! Text mode (`AT+CMGF=1`, TS 27.005 3.1 and chapter 4): how addresses,
//! time stamps and message text appear as characters instead of PDUs, and
//! how typed text becomes a message, according to `+CSCS` and `+CSMP`.

use bubblegate_sms::gsm7::Charset;
use bubblegate_sms::{decode_ucs2, hex, Address, Body, Coding, Dcs, Pdu, Ton, Tpdu};

/// `<toa>`: the type-of-address octet (TS 24.008 10.5.4.7), 145 for
/// international numbers, 129 for unknown, 208 for alphanumeric.
pub(super) fn toa(a: &Address) -> u8 {
    0x80 | ((a.ton as u8) << 4) | (a.npi & 0x0F)
}

/// `<da>`/`<oa>` as a quoted string, with `+` for international numbers.
pub(super) fn quoted(a: &Address) -> String {
    format!("\"{a}\"")
}

/// Reads `<da>[,<toda>]`: 145 (or a leading `+`) is international.
pub(super) fn parse_address(da: &str, toda: Option<u32>) -> Option<Address> {
    let da = da.trim();
    if da.is_empty() {
        return None;
    }
    let text =
        if toda == Some(145) && !da.starts_with('+') { format!("+{da}") } else { da.to_owned() };
    Address::phone(&text).ok()
}

/// The TPDU's user data octets (TP-UD, header included), as text mode
/// shows them in hex (TS 27.005 3.1 `<data>`).
pub(super) fn raw_user_data(tpdu: &Tpdu) -> Option<Vec<u8>> {
    let encoded = Pdu { smsc: None, tpdu: tpdu.clone() }.encode().ok()?;
    let bytes = encoded.bytes.get(1..)?;
    let fo = *bytes.first()?;
    let udl_at = match tpdu {
        // fo, OA (length in semi-octets, type, digits), PID, DCS, SCTS.
        Tpdu::Deliver(_) => 1 + 2 + usize::from(*bytes.get(1)?).div_ceil(2) + 2 + 7,
        // fo, MR, DA, PID, DCS, VP (by TP-VPF).
        Tpdu::Submit(_) => {
            let vp = match (fo >> 3) & 3 {
                0 => 0,
                2 => 1,
                _ => 7,
            };
            2 + 2 + usize::from(*bytes.get(2)?).div_ceil(2) + 2 + vp
        }
        Tpdu::StatusReport(_) => return None,
    };
    bytes.get(udl_at + 1..).map(<[u8]>::to_vec)
}

/// `<data>` of a message in text mode (TS 27.005 3.1): GSM 7-bit text
/// without a header in the `+CSCS` character set; everything else (a
/// header, 8-bit, UCS-2) as the hex of the user data octets.
pub(super) fn data(tpdu: &Tpdu, cscs: &str) -> String {
    let Some(ud) = tpdu.user_data() else { return String::new() };
    let gsm7 = tpdu.dcs().coding() == Coding::Gsm7 && !tpdu.dcs().compressed();
    match (&ud.body, ud.udh.is_none() && gsm7) {
        (Body::Text(text), true) => to_charset(text, cscs),
        _ => raw_user_data(tpdu).map(|b| hex::encode(&b)).unwrap_or_default(),
    }
}

/// `<length>` in text mode: characters of GSM 7-bit text, else octets.
pub(super) fn length(tpdu: &Tpdu) -> usize {
    let Some(ud) = tpdu.user_data() else { return 0 };
    match (&ud.body, ud.udh.is_none()) {
        (Body::Text(text), true) if tpdu.dcs().coding() == Coding::Gsm7 => {
            Charset::DEFAULT.septet_len(text).unwrap_or(text.chars().count())
        }
        _ => raw_user_data(tpdu).map_or(0, |b| b.len()),
    }
}

/// Text in the TE character set (TS 27.007 5.5).
fn to_charset(text: &str, cscs: &str) -> String {
    match cscs {
        "UCS2" => text.encode_utf16().map(|u| format!("{u:04X}")).collect(),
        "HEX" => hex::encode(&Charset::DEFAULT.encode(text).unwrap_or_default()),
        "GSM" => match Charset::DEFAULT.encode(text) {
            Ok(septets) => septets.into_iter().map(char::from).collect(),
            Err(_) => ira(text),
        },
        _ => ira(text),
    }
}

/// IRA (T.50, i.e. ASCII): anything else shows as `?`.
fn ira(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii() { c } else { '?' }).collect()
}

/// The message body from text typed after the prompt (TS 27.005 3.1
/// `<data>` for text-mode input): hex octets for 8-bit and UCS-2 `<dcs>`,
/// else characters in the `+CSCS` character set. `None` if it is not
/// valid in that form.
pub(super) fn body_from_input(input: &[u8], cscs: &str, dcs: Dcs) -> Option<Body> {
    let as_text = || String::from_utf8(input.to_vec()).ok();
    match dcs.coding() {
        Coding::Ucs2 => {
            let octets = hex::decode(&as_text()?).ok()?;
            (octets.len() % 2 == 0).then(|| Body::Text(decode_ucs2(&octets)))
        }
        Coding::EightBit => Some(Body::Data(hex::decode(&as_text()?).ok()?)),
        Coding::Gsm7 => match cscs {
            "UCS2" => {
                let octets = hex::decode(&as_text()?).ok()?;
                (octets.len() % 2 == 0).then(|| Body::Text(decode_ucs2(&octets)))
            }
            "HEX" => {
                let septets = hex::decode(&as_text()?).ok()?;
                septets
                    .iter()
                    .all(|s| *s < 0x80)
                    .then(|| Body::Text(Charset::DEFAULT.decode(&septets)))
            }
            "GSM" => {
                input.iter().all(|s| *s < 0x80).then(|| Body::Text(Charset::DEFAULT.decode(input)))
            }
            _ => {
                input.is_ascii().then(|| Body::Text(input.iter().map(|&b| char::from(b)).collect()))
            }
        },
    }
}

/// Whether the address is alphanumeric (no `<toa>` digits to show).
pub(super) fn is_alphanumeric(a: &Address) -> bool {
    a.ton == Ton::Alphanumeric
}

#[cfg(test)]
mod tests {
    use super::*;
    use bubblegate_sms::{Deliver, Timestamp, UserData};

    fn deliver(ud: UserData, dcs: Dcs) -> Tpdu {
        Tpdu::Deliver(Deliver {
            more_messages: false,
            loop_prevention: false,
            status_report_indication: false,
            reply_path: false,
            originator: Address::phone("+31600000002").unwrap(),
            pid: 0,
            dcs,
            scts: Timestamp {
                year: 2025,
                month: 1,
                day: 1,
                hour: 0,
                minute: 0,
                second: 0,
                tz_quarters: 4,
            },
            user_data: ud,
        })
    }

    #[test]
    fn gsm_text_in_charsets() {
        let t = deliver(UserData::text("Hi@"), Dcs(0));
        assert_eq!(data(&t, "IRA"), "Hi@");
        assert_eq!(data(&t, "UCS2"), "004800690040");
        assert_eq!(data(&t, "GSM"), "Hi\u{0}");
        assert_eq!(length(&t), 3);
    }

    #[test]
    fn ucs2_is_hex() {
        let t = deliver(UserData::text("é"), Dcs(8));
        assert_eq!(data(&t, "IRA"), "00E9");
        assert_eq!(length(&t), 2);
    }

    #[test]
    fn input_text() {
        assert_eq!(body_from_input(b"Hello", "IRA", Dcs(0)), Some(Body::Text("Hello".into())));
        assert_eq!(body_from_input(b"00E9", "IRA", Dcs(8)), Some(Body::Text("é".into())));
        assert_eq!(body_from_input(b"0041", "UCS2", Dcs(0)), Some(Body::Text("A".into())));
        assert_eq!(body_from_input(b"zz", "IRA", Dcs(4)), None);
    }
}
