//! The test harness: a network with modems, driven byte by byte like an
//! adapter would, with a fake clock.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bubblegate_sim::{Event, ModemId, ModemSpec, Network, NetworkConfig, Profile, ProfileSet};

pub fn profiles() -> ProfileSet {
    ProfileSet::builtin().expect("built-in profiles load")
}

pub fn profile(name: &str) -> Arc<Profile> {
    Arc::new(profiles().get(name).unwrap_or_else(|| panic!("no profile {name}")).clone())
}

/// Every built-in profile, by name order.
pub fn all_profiles() -> Vec<Arc<Profile>> {
    profiles().iter().map(|p| Arc::new(p.clone())).collect()
}

pub struct Sim {
    pub net: Network,
    pub now: Instant,
    pub out: Vec<Vec<u8>>,
    pub events: Vec<Event>,
}

impl Sim {
    pub fn new(cfg: NetworkConfig) -> Sim {
        Sim { net: Network::new(cfg), now: Instant::now(), out: Vec::new(), events: Vec::new() }
    }

    pub fn fast() -> Sim {
        Sim::new(NetworkConfig::fast())
    }

    pub fn add(&mut self, profile: Arc<Profile>) -> ModemId {
        let index = self.out.len() as u32;
        self.add_spec(ModemSpec::new(profile, index))
    }

    pub fn add_spec(&mut self, spec: ModemSpec) -> ModemId {
        let id = self.net.add_modem(spec, self.now);
        self.out.push(Vec::new());
        self.collect();
        id
    }

    /// Moves everything the network produced into `out` and `events`.
    pub fn collect(&mut self) {
        while let Some((id, bytes)) = self.net.poll_transmit_any() {
            self.out[id.0 as usize].extend(bytes);
        }
        while let Some(event) = self.net.poll_event() {
            self.events.push(event);
        }
    }

    /// What modem `id` sent since the last call, as text.
    pub fn take(&mut self, id: ModemId) -> String {
        self.collect();
        let bytes = std::mem::take(&mut self.out[id.0 as usize]);
        String::from_utf8_lossy(&bytes).into_owned()
    }

    pub fn write(&mut self, id: ModemId, bytes: &[u8]) {
        self.net.handle_input(id, bytes, self.now);
        self.collect();
    }

    /// Writes one command line (CR added) and returns everything the
    /// modem sent by then.
    pub fn at(&mut self, id: ModemId, line: &str) -> String {
        self.take(id);
        self.write(id, format!("{line}\r").as_bytes());
        self.take(id)
    }

    /// Advances the clock by `d`, firing every timer on the way.
    pub fn advance(&mut self, d: Duration) {
        let end = self.now + d;
        while let Some(at) = self.net.poll_timeout() {
            if at > end {
                break;
            }
            self.now = self.now.max(at);
            self.net.handle_timeout(self.now);
        }
        self.now = end;
        self.net.handle_timeout(self.now);
        self.collect();
    }

    /// Sets up a modem the way the daemon does: echo off, numeric CME
    /// errors; the result is discarded.
    pub fn quiet(&mut self, id: ModemId) {
        assert_eq!(self.at(id, "ATE0"), "ATE0\r\r\nOK\r\n");
        assert_eq!(self.at(id, "AT+CMEE=1"), "\r\nOK\r\n");
    }

    pub fn drain_events(&mut self) -> Vec<Event> {
        self.collect();
        std::mem::take(&mut self.events)
    }
}

/// The `+CMGS` PDUs (length and hex with an empty SMSC field) a driver
/// would send for `text` to `to`, split as the codec plans it.
pub fn submit_pdus(to: &str, text: &str, srr: bool, reference: u16) -> Vec<(usize, String)> {
    use bubblegate_sms::segment::{plan_text, SegmentOptions};
    use bubblegate_sms::{Address, Dcs, Pdu, Submit, Tpdu, UserData};
    let plan = plan_text(text, &SegmentOptions::default()).unwrap();
    let template = Submit {
        reject_duplicates: false,
        status_report_request: srr,
        reply_path: false,
        message_ref: 0,
        destination: Address::phone(to).unwrap(),
        pid: 0,
        dcs: Dcs(0),
        validity: None,
        user_data: UserData::text(""),
    };
    plan.submits(&template, reference)
        .into_iter()
        .map(|s| {
            let e = Pdu { smsc: None, tpdu: Tpdu::Submit(s) }.encode().unwrap();
            (e.tpdu_length, e.hex())
        })
        .collect()
}

/// Decodes the PDU line of a `+CMGR`/`+CMT`/`+CDS`/`+CMGL` answer.
pub fn decode_pdu(hex: &str) -> bubblegate_sms::Pdu {
    bubblegate_sms::Pdu::decode_hex(hex, true).unwrap_or_else(|e| panic!("{hex}: {e}"))
}

/// Sends `text` from modem `id` in PDU mode as the driver does, returning
/// the `+CMGS` answers.
pub fn send_pdu(sim: &mut Sim, id: ModemId, to: &str, text: &str, srr: bool) -> Vec<String> {
    assert_eq!(sim.at(id, "AT+CMGF=0"), "\r\nOK\r\n");
    let mut answers = Vec::new();
    for (len, hex) in submit_pdus(to, text, srr, 7) {
        // TS 27.005 3.5.1: the prompt is <CR><LF><greater_than><space>.
        assert_eq!(sim.at(id, &format!("AT+CMGS={len}")), "\r\n> ");
        sim.write(id, format!("{hex}\x1a").as_bytes());
        answers.push(sim.take(id));
    }
    answers
}
