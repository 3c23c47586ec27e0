//! Helpers shared by the simulator's integration tests: configurations on
//! fast network time, an async AT client for duplex ports, and PDUs.

#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use bubblegate_simulator::bubblegate_sim::{NetworkConfig, Profile, ProfileSet};
use bubblegate_simulator::{Adapter, ModemConfig, SimulatorConfig};
use bubblegate_sms::segment::{self, SegmentOptions};
use bubblegate_sms::{Address, Dcs, Pdu, Submit, Tpdu, UserData};
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

/// How long any single wait in these tests may take.
pub const WAIT: Duration = Duration::from_secs(10);

pub fn profile(name: &str) -> Arc<Profile> {
    let set = ProfileSet::builtin().expect("built-in profiles load");
    Arc::new(set.get(name).unwrap_or_else(|| panic!("profile {name}")).clone())
}

pub fn profile_names() -> Vec<String> {
    let set = ProfileSet::builtin().expect("built-in profiles load");
    set.iter().map(|p| p.name.clone()).collect()
}

/// Modems playing `profiles` on `adapter`, no radio or boot time, control
/// interface on a free loopback port.
pub fn config(dir: &Path, profiles: &[&str], adapter: Adapter) -> SimulatorConfig {
    let modems = profiles
        .iter()
        .enumerate()
        .map(|(i, name)| ModemConfig::new(profile(name), i as u32, adapter))
        .collect();
    SimulatorConfig {
        dir: dir.to_path_buf(),
        modems,
        control: Some("127.0.0.1:0".parse().expect("address")),
        network: NetworkConfig::fast(),
    }
}

/// An AT client on an in-process port.
pub struct AtClient {
    io: DuplexStream,
    pending: Vec<u8>,
}

impl AtClient {
    pub fn new(io: DuplexStream) -> AtClient {
        AtClient { io, pending: Vec::new() }
    }

    pub async fn send(&mut self, bytes: &[u8]) {
        tokio::time::timeout(WAIT, self.io.write_all(bytes))
            .await
            .expect("write in time")
            .expect("write");
    }

    /// Waits until `needle` arrived; returns everything up to it.
    pub async fn expect(&mut self, needle: &str) -> String {
        let found = tokio::time::timeout(WAIT, async {
            loop {
                if let Some(at) = find(&self.pending, needle.as_bytes()) {
                    let rest = self.pending.split_off(at + needle.len());
                    let text = String::from_utf8_lossy(&self.pending).into_owned();
                    self.pending = rest;
                    return text;
                }
                let mut buf = [0u8; 1024];
                let n = self.io.read(&mut buf).await.expect("read");
                assert!(n > 0, "port closed while waiting for {needle:?}");
                self.pending.extend_from_slice(&buf[..n]);
            }
        })
        .await;
        found.unwrap_or_else(|_| {
            panic!("no {needle:?} in time; got {:?}", String::from_utf8_lossy(&self.pending))
        })
    }

    /// Sends a command line and waits for `OK`, an error or the prompt.
    pub async fn command(&mut self, line: &str) -> String {
        self.send(format!("{line}\r").as_bytes()).await;
        let found = tokio::time::timeout(WAIT, async {
            loop {
                if let Some(end) = final_end(&self.pending) {
                    let rest = self.pending.split_off(end);
                    let text = String::from_utf8_lossy(&self.pending).into_owned();
                    self.pending = rest;
                    return text;
                }
                let mut buf = [0u8; 1024];
                let n = self.io.read(&mut buf).await.expect("read");
                assert!(n > 0, "port closed during {line:?}");
                self.pending.extend_from_slice(&buf[..n]);
            }
        })
        .await;
        found.unwrap_or_else(|_| {
            panic!("{line:?}: no final result; got {:?}", String::from_utf8_lossy(&self.pending))
        })
    }

    /// Reads until the port closes (EOF); fails if it stays open.
    pub async fn expect_closed(&mut self) {
        tokio::time::timeout(WAIT, async {
            let mut buf = [0u8; 1024];
            while self.io.read(&mut buf).await.is_ok_and(|n| n > 0) {}
        })
        .await
        .expect("the port closes");
    }

    /// Sends one message in PDU mode and returns each part's `+CMGS` answer.
    pub async fn send_pdus(&mut self, to: &str, text: &str, srr: bool) -> Vec<String> {
        let mut answers = Vec::new();
        for (hex, len) in submit_pdus(to, text, srr) {
            let prompt = self.command(&format!("AT+CMGS={len}")).await;
            assert!(prompt.ends_with("> "), "prompt for +CMGS: {prompt:?}");
            self.send(format!("{hex}\x1a").as_bytes()).await;
            let answer = self.expect("OK\r\n").await;
            assert!(answer.contains("+CMGS: "), "{answer:?}");
            answers.push(answer);
        }
        answers
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn final_end(bytes: &[u8]) -> Option<usize> {
    let mut start = 0;
    while start < bytes.len() {
        let rest = &bytes[start..];
        if rest.starts_with(b"> ") {
            return Some(start + 2);
        }
        let end = rest.iter().position(|&b| b == b'\n')?;
        let line = String::from_utf8_lossy(&rest[..end]);
        let line = line.trim();
        if line == "OK"
            || line == "ERROR"
            || line.starts_with("+CMS ERROR")
            || line.starts_with("+CME ERROR")
        {
            return Some(start + end + 1);
        }
        start += end + 1;
    }
    None
}

/// SMS-SUBMIT PDUs (with an empty SMSC field, as modems take them) and
/// their `+CMGS` lengths for `text` to `to`.
pub fn submit_pdus(to: &str, text: &str, srr: bool) -> Vec<(String, usize)> {
    let plan = segment::plan_text(text, &SegmentOptions::default()).expect("plan");
    let template = Submit {
        reject_duplicates: false,
        status_report_request: srr,
        reply_path: false,
        message_ref: 0,
        destination: Address::phone(to).expect("number"),
        pid: 0,
        dcs: Dcs::new(plan.coding, None),
        validity: None,
        user_data: UserData::text(""),
    };
    plan.submits(&template, 42)
        .into_iter()
        .map(|submit| {
            let encoded = Pdu { smsc: None, tpdu: Tpdu::Submit(submit) }.encode().expect("encodes");
            (encoded.hex(), encoded.tpdu_length)
        })
        .collect()
}
