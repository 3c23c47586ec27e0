//! The profile file exactly as written: serde structs that mirror the TOML.
//!
//! Nothing here is checked beyond its TOML type. Unknown keys are rejected
//! (`deny_unknown_fields`), so a typo in a profile is an error and not a
//! silently ignored setting. `validate` turns these into the runtime types.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProfile {
    pub schema_version: u32,
    pub name: String,
    pub vendor: String,
    pub model: String,
    pub summary: String,
    pub recognition: RawRecognition,
    pub identity: RawIdentity,
    pub port: RawPort,
    pub init: Vec<String>,
    pub timeouts: RawTimeouts,
    pub sms: RawSms,
    #[serde(default)]
    pub urcs: Vec<RawUrc>,
    pub boot: RawBoot,
    pub recovery: RawRecovery,
    pub queries: RawQueries,
    pub mms: RawMms,
    #[serde(default)]
    pub quirks: Vec<RawQuirk>,
    pub sources: Vec<RawSource>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRecognition {
    #[serde(default)]
    pub usb: Vec<String>,
    #[serde(default)]
    pub manufacturer: Vec<String>,
    #[serde(default)]
    pub model: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawIdentity {
    pub manufacturer: String,
    pub model: String,
    pub revision: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPort {
    pub usb_interface: Option<i64>,
    #[serde(default)]
    pub usb_interface_by_id: BTreeMap<String, i64>,
    pub baud: i64,
    pub flow_control: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTimeout {
    pub ms: i64,
    pub attempts: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTimeouts {
    pub default: RawTimeout,
    pub sms_send: RawTimeout,
    pub sms_read: RawTimeout,
    pub sms_delete: RawTimeout,
    pub operator: RawTimeout,
    pub reset: RawTimeout,
    pub mms: Option<RawTimeout>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSms {
    pub modes: Vec<String>,
    pub storage: Vec<String>,
    #[serde(default)]
    pub capacity: BTreeMap<String, i64>,
    pub delivery: String,
    pub cnmi: String,
    pub needs_cnma: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawUrc {
    pub prefix: String,
    pub example: String,
    pub kind: String,
    pub meaning: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBoot {
    pub wait_for: Vec<String>,
    pub wait_ms: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRecovery {
    pub soft_reset: Vec<String>,
    #[serde(default)]
    pub radio_cycle: Vec<String>,
    pub power_off: Option<String>,
    pub power_key: Option<String>,
    pub usb_reenumerates: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawQueries {
    pub signal: Vec<String>,
    pub registration: Vec<String>,
    pub iccid: String,
    pub operator: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMms {
    pub method: String,
    #[serde(default)]
    pub commands: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawQuirk {
    pub problem: String,
    pub workaround: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSource {
    pub title: String,
    pub version: String,
    pub date: Option<String>,
    #[serde(default)]
    pub sections: Vec<String>,
}
