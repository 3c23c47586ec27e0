//! Who a simulated modem is: its id, the profile it plays and the SIM card
//! in it ([`ModemSpec`]), and what the control interface shows about it
//! ([`ModemInfo`]).

use std::fmt;
use std::sync::Arc;

use bubblegate_profiles::Profile;
use serde::{Deserialize, Serialize};

/// A modem's id within one [`crate::Network`], in the order modems were
/// added, from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ModemId(pub u32);

impl fmt::Display for ModemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "modem{}", self.0)
    }
}

/// A modem to add to the network: the model it plays and its SIM card.
#[derive(Debug, Clone)]
pub struct ModemSpec {
    pub profile: Arc<Profile>,
    /// The SIM's phone number (MSISDN), E.164 with `+`: `+31600000001`.
    /// The SMSC routes to the modem by it; `+CNUM` shows it.
    pub number: String,
    /// `+CIMI`: 15 digits, MCC and MNC first.
    pub imsi: String,
    /// The card's ICCID: 19 or 20 digits starting with `89`.
    pub iccid: String,
    /// `+CGSN`: 15 digits.
    pub imei: String,
    /// The SIM PIN, or `None` for a card without PIN lock.
    pub pin: Option<String>,
    /// The PUK that unblocks the card after three wrong PINs.
    pub puk: String,
    /// Slots in the SIM's message storage (`SM`). Real cards hold 10 to 50;
    /// the profile's `[sms] capacity` gives the modem's own storages.
    pub sim_capacity: u32,
    /// `false`: no SIM card in the slot (`+CME ERROR: 10`).
    pub sim_inserted: bool,
}

impl ModemSpec {
    /// Default capacity of the simulated SIM's `SM` storage.
    pub const DEFAULT_SIM_CAPACITY: u32 = 30;

    /// A modem with identities derived from `index` (0, 1, 2, ...):
    /// number `+3160000000<index+1>`-style in the Dutch mobile range, a
    /// Dutch IMSI and ICCID, and an IMEI with a valid Luhn digit. No PIN.
    pub fn new(profile: Arc<Profile>, index: u32) -> ModemSpec {
        let n = u64::from(index) + 1;
        let imei_body = format!("35{:012}", 490_000_000_000 + n);
        ModemSpec {
            profile,
            number: format!("+316{:08}", n),
            imsi: format!("20404{:010}", n),
            iccid: luhn_complete(&format!("893104{:012}", n)),
            imei: luhn_complete(&imei_body),
            pin: None,
            puk: "12345678".to_owned(),
            sim_capacity: Self::DEFAULT_SIM_CAPACITY,
            sim_inserted: true,
        }
    }
}

/// Appends the Luhn check digit (ISO/IEC 7812-1), as IMEIs and ICCIDs carry.
fn luhn_complete(body: &str) -> String {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b.wrapping_sub(b'0') % 10);
            if i % 2 == 0 {
                let d2 = d * 2;
                if d2 > 9 {
                    d2 - 9
                } else {
                    d2
                }
            } else {
                d
            }
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// What the control interface shows about one modem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModemInfo {
    pub id: ModemId,
    /// The profile name, e.g. `quectel-ec25`.
    pub profile: String,
    pub number: String,
    pub imsi: String,
    pub iccid: String,
    pub imei: String,
    /// `false` between an unplug and the next replug (also while a modem
    /// whose USB device re-enumerates on `AT+CFUN=1,1` restarts).
    pub plugged: bool,
    /// Registered to the simulated network (`+CREG` stat 1).
    pub registered: bool,
    /// Messages in the modem's storages, by storage name, as `(used, total)`.
    pub storage: Vec<(String, u32, u32)>,
}

#[cfg(test)]
mod tests {
    use super::luhn_complete;

    #[test]
    fn luhn_matches_known_imei() {
        // The IMEI example of 3GPP TS 23.003 annex B.
        assert_eq!(luhn_complete("35209900176148"), "352099001761481");
    }
}
