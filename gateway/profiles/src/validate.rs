//! Turns a raw profile into a validated [`Profile`].
//!
//! Each rule names the key it checks, so an error reads like
//! `quectel-ec25.toml: `timeouts.sms_send.attempts`: must be 1: ...`.
//! The rules are the invariants listed in the crate docs.

use std::collections::{BTreeMap, HashSet};
use std::num::NonZeroU8;
use std::time::Duration;

use crate::error::ProfileError;
use crate::glob::Glob;
use crate::model::{
    AtLine, Boot, Cnmi, Delivery, FlowControl, Identity, Mms, MmsMethod, Origin, Port, Profile,
    Queries, Quirk, Recognition, Recovery, Sms, SmsModes, Source, Storage, Timeout, Timeouts,
    UrcKind, UrcSpec, UsbId,
};
use crate::raw::{RawProfile, RawTimeout};

/// The format version this crate reads.
pub const SCHEMA_VERSION: u32 = 1;

/// The name of the fallback profile.
pub const GENERIC: &str = "generic";

/// Parses and validates one profile file. `file` names it in errors and
/// `stem` is the file name without `.toml`, which must equal `name`.
pub(crate) fn parse_profile(file: &str, stem: &str, text: &str, origin: Origin) -> Result<Profile> {
    let raw: RawProfile = toml::from_str(text).map_err(|source| ProfileError::Parse {
        file: file.to_owned(),
        source: Box::new(source),
    })?;
    Checker { file }.profile(raw, stem, origin)
}

struct Checker<'a> {
    file: &'a str,
}

type Result<T> = std::result::Result<T, ProfileError>;

impl Checker<'_> {
    fn err<T>(&self, key: impl Into<String>, problem: impl Into<String>) -> Result<T> {
        Err(ProfileError::Invalid {
            file: self.file.to_owned(),
            key: key.into(),
            problem: problem.into(),
        })
    }

    fn text(&self, key: &str, value: String) -> Result<String> {
        if value.trim().is_empty() {
            return self.err(key, "must not be empty");
        }
        Ok(value)
    }

    fn line(&self, key: &str, value: String) -> Result<AtLine> {
        if !value.is_ascii() {
            return self.err(key, format!("{value:?} must be ASCII"));
        }
        if !value.get(..2).is_some_and(|at| at.eq_ignore_ascii_case("AT")) {
            return self.err(key, format!("{value:?} must start with `AT`"));
        }
        if value.bytes().any(|b| b.is_ascii_control()) {
            return self.err(
                key,
                format!("{value:?} must be one line without control characters; the CR is added when sending"),
            );
        }
        if value.len() > AtLine::MAX_LEN {
            return self.err(
                key,
                format!("is {} bytes long; the limit is {}", value.len(), AtLine::MAX_LEN),
            );
        }
        Ok(AtLine::new_unchecked(value))
    }

    fn lines(&self, key: &str, values: Vec<String>) -> Result<Vec<AtLine>> {
        values
            .into_iter()
            .enumerate()
            .map(|(i, value)| self.line(&format!("{key}[{i}]"), value))
            .collect()
    }

    fn non_empty_lines(&self, key: &str, values: Vec<String>) -> Result<Vec<AtLine>> {
        if values.is_empty() {
            return self.err(key, "must list at least one command");
        }
        self.lines(key, values)
    }

    fn profile(&self, raw: RawProfile, stem: &str, origin: Origin) -> Result<Profile> {
        if raw.schema_version != SCHEMA_VERSION {
            return self.err(
                "schema_version",
                format!("is {}; this build reads version {SCHEMA_VERSION}", raw.schema_version),
            );
        }
        if raw.name != stem {
            return self.err("name", format!("`{}` must equal the file name `{stem}`", raw.name));
        }
        if raw.name.is_empty()
            || !raw.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return self
                .err("name", format!("`{}` must be lower-case letters, digits and `-`", raw.name));
        }
        let is_generic = raw.name == GENERIC;

        let identity = Identity {
            manufacturer: self.text("identity.manufacturer", raw.identity.manufacturer)?,
            model: self.text("identity.model", raw.identity.model)?,
            revision: self.text("identity.revision", raw.identity.revision)?,
        };
        let recognition = self.recognition(raw.recognition, is_generic, &identity)?;
        let port = self.port(raw.port, &recognition)?;
        let init = self.init(raw.init)?;
        let mms = self.mms(raw.mms)?;
        let timeouts = self.timeouts(raw.timeouts, &mms.method)?;
        let sms = self.sms(raw.sms)?;
        let urcs = self.urcs(raw.urcs)?;
        let boot = self.boot(raw.boot, &urcs)?;
        let recovery = self.recovery(raw.recovery)?;
        let queries = Queries {
            signal: self.non_empty_lines("queries.signal", raw.queries.signal)?,
            registration: self.non_empty_lines("queries.registration", raw.queries.registration)?,
            iccid: self.line("queries.iccid", raw.queries.iccid)?,
            operator: self.line("queries.operator", raw.queries.operator)?,
        };
        let quirks = raw
            .quirks
            .into_iter()
            .enumerate()
            .map(|(i, quirk)| {
                Ok(Quirk {
                    problem: self.text(&format!("quirks[{i}].problem"), quirk.problem)?,
                    workaround: self.text(&format!("quirks[{i}].workaround"), quirk.workaround)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let sources = self.sources(raw.sources)?;

        Ok(Profile {
            vendor: self.text("vendor", raw.vendor)?,
            model: self.text("model", raw.model)?,
            summary: self.text("summary", raw.summary)?,
            name: raw.name,
            recognition,
            identity,
            port,
            init,
            timeouts,
            sms,
            urcs,
            boot,
            recovery,
            queries,
            mms,
            quirks,
            sources,
            origin,
        })
    }

    fn recognition(
        &self,
        raw: crate::raw::RawRecognition,
        is_generic: bool,
        identity: &Identity,
    ) -> Result<Recognition> {
        let mut usb = Vec::new();
        for (i, text) in raw.usb.iter().enumerate() {
            let key = format!("recognition.usb[{i}]");
            let id: UsbId = match text.parse() {
                Ok(id) => id,
                Err(e) => return self.err(key, e.to_string()),
            };
            if usb.contains(&id) {
                return self.err(key, format!("{id} is listed twice"));
            }
            usb.push(id);
        }
        let globs = |key: &str, patterns: Vec<String>| -> Result<Vec<Glob>> {
            patterns
                .into_iter()
                .enumerate()
                .map(|(i, p)| match Glob::new(&p) {
                    Some(glob) => Ok(glob),
                    None => self.err(format!("{key}[{i}]"), "a pattern must not be empty"),
                })
                .collect()
        };
        let recognition = Recognition {
            usb,
            manufacturer: globs("recognition.manufacturer", raw.manufacturer)?,
            model: globs("recognition.model", raw.model)?,
        };
        if is_generic && !recognition.is_empty() {
            return self.err(
                "recognition",
                "must be empty in `generic`: it is chosen only when nothing else matches",
            );
        }
        if !is_generic && recognition.is_empty() {
            return self.err(
                "recognition",
                "needs a USB id or a manufacturer/model pattern, else the profile is never chosen",
            );
        }
        // The simulator plays `identity`; it must resolve to this profile.
        if !recognition.manufacturer.is_empty()
            && !recognition.manufacturer.iter().any(|g| g.matches(&identity.manufacturer))
        {
            return self.err(
                "recognition.manufacturer",
                format!(
                    "no pattern matches the profile's own identity.manufacturer {:?}",
                    identity.manufacturer
                ),
            );
        }
        if !recognition.model.is_empty()
            && !recognition.model.iter().any(|g| g.matches(&identity.model))
        {
            return self.err(
                "recognition.model",
                format!("no pattern matches the profile's own identity.model {:?}", identity.model),
            );
        }
        Ok(recognition)
    }

    fn interface(&self, key: &str, n: i64) -> Result<u8> {
        match u8::try_from(n) {
            Ok(n @ 0..=31) => Ok(n),
            _ => self.err(key, format!("{n} is not a USB interface number (0 to 31)")),
        }
    }

    fn port(&self, raw: crate::raw::RawPort, recognition: &Recognition) -> Result<Port> {
        let usb_interface = match raw.usb_interface {
            None => None,
            Some(n) => Some(self.interface("port.usb_interface", n)?),
        };
        let mut usb_interface_by_id = BTreeMap::new();
        for (text, n) in raw.usb_interface_by_id {
            let key = format!("port.usb_interface_by_id.\"{text}\"");
            let id: UsbId = match text.parse() {
                Ok(id) => id,
                Err(e) => return self.err(key, e.to_string()),
            };
            if !recognition.usb.contains(&id) {
                return self.err(key, format!("{id} is not listed in recognition.usb"));
            }
            usb_interface_by_id.insert(id, self.interface(&key, n)?);
        }
        let baud = match raw.baud {
            b @ 1200..=4_000_000 => b as u32,
            b => return self.err("port.baud", format!("{b} is outside 1200 to 4000000 baud")),
        };
        let flow_control = match raw.flow_control.as_str() {
            "none" => FlowControl::None,
            "hardware" => FlowControl::Hardware,
            "software" => FlowControl::Software,
            other => {
                return self.err(
                    "port.flow_control",
                    format!("`{other}` is not one of `none`, `hardware`, `software`"),
                )
            }
        };
        Ok(Port { usb_interface, usb_interface_by_id, baud, flow_control })
    }

    fn init(&self, raw: Vec<String>) -> Result<Vec<AtLine>> {
        let init = self.non_empty_lines("init", raw)?;
        for (i, line) in init.iter().enumerate() {
            let name = line.command_name();
            let setter = line.as_str()[2..].to_ascii_uppercase();
            for derived in ["+CMGF=", "+CPMS=", "+CNMI="] {
                if setter.starts_with(derived) {
                    return self.err(
                        format!("init[{i}]"),
                        format!(
                            "`{line}` sets {name}, which is derived from `[sms]`; set it there so the two cannot disagree"
                        ),
                    );
                }
            }
            if setter.starts_with("+CFUN=1,1") || setter.starts_with("+CFUN=15") {
                return self.err(
                    format!("init[{i}]"),
                    format!("`{line}` resets the modem; init would loop. Put it in `recovery.soft_reset`"),
                );
            }
        }
        Ok(init)
    }

    fn timeout(&self, key: &str, raw: RawTimeout) -> Result<Timeout> {
        if !(100..=600_000).contains(&raw.ms) {
            return self.err(
                format!("{key}.ms"),
                format!("{} ms is outside 100 ms to 10 minutes", raw.ms),
            );
        }
        let attempts = match u8::try_from(raw.attempts).ok().and_then(NonZeroU8::new) {
            Some(n) if n.get() <= 5 => n,
            _ => {
                return self
                    .err(format!("{key}.attempts"), format!("{} is outside 1 to 5", raw.attempts))
            }
        };
        Ok(Timeout { duration: Duration::from_millis(raw.ms as u64), attempts })
    }

    fn timeouts(&self, raw: crate::raw::RawTimeouts, mms: &MmsMethod) -> Result<Timeouts> {
        let timeouts = Timeouts {
            default: self.timeout("timeouts.default", raw.default)?,
            sms_send: self.timeout("timeouts.sms_send", raw.sms_send)?,
            sms_read: self.timeout("timeouts.sms_read", raw.sms_read)?,
            sms_delete: self.timeout("timeouts.sms_delete", raw.sms_delete)?,
            operator: self.timeout("timeouts.operator", raw.operator)?,
            reset: self.timeout("timeouts.reset", raw.reset)?,
            mms: match raw.mms {
                Some(t) => Some(self.timeout("timeouts.mms", t)?),
                None => None,
            },
        };
        if timeouts.sms_send.attempts.get() != 1 {
            return self.err(
                "timeouts.sms_send.attempts",
                "must be 1: a +CMGS resent after a timeout can deliver the message twice; retries belong to the outbox",
            );
        }
        for (key, t) in [
            ("timeouts.sms_send", timeouts.sms_send),
            ("timeouts.sms_read", timeouts.sms_read),
            ("timeouts.sms_delete", timeouts.sms_delete),
            ("timeouts.operator", timeouts.operator),
            ("timeouts.reset", timeouts.reset),
        ] {
            if t.duration < timeouts.default.duration {
                return self.err(
                    format!("{key}.ms"),
                    "must not be shorter than timeouts.default: slow command classes exist to wait longer",
                );
            }
        }
        match (mms, timeouts.mms) {
            (MmsMethod::ModemAt { .. }, None) => {
                return self.err("timeouts.mms", "is required when mms.method is `modem_at`")
            }
            (MmsMethod::HostHttp | MmsMethod::None, Some(_)) => {
                return self.err(
                    "timeouts.mms",
                    "is only for mms.method `modem_at`; this profile sends no MMS commands",
                )
            }
            _ => {}
        }
        Ok(timeouts)
    }

    fn storage(&self, key: &str, name: &str) -> Result<Storage> {
        let ok = (2..=5).contains(&name.len())
            && name.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
        if !ok {
            return self
                .err(key, format!("{name:?} is not a +CPMS storage name (e.g. `SM`, `ME`, `MT`)"));
        }
        Ok(Storage(name.to_owned()))
    }

    fn sms(&self, raw: crate::raw::RawSms) -> Result<Sms> {
        let mut modes = SmsModes { pdu: false, text: false };
        if raw.modes.is_empty() {
            return self.err("sms.modes", "must list `pdu`, `text` or both");
        }
        for (i, mode) in raw.modes.iter().enumerate() {
            let slot = match mode.as_str() {
                "pdu" => &mut modes.pdu,
                "text" => &mut modes.text,
                other => {
                    return self.err(
                        format!("sms.modes[{i}]"),
                        format!("`{other}` is not `pdu` or `text`"),
                    )
                }
            };
            if *slot {
                return self.err(format!("sms.modes[{i}]"), format!("`{mode}` is listed twice"));
            }
            *slot = true;
        }

        let storage: Vec<Storage> = raw
            .storage
            .iter()
            .enumerate()
            .map(|(i, name)| self.storage(&format!("sms.storage[{i}]"), name))
            .collect::<Result<_>>()?;
        let storage: [Storage; 3] = match storage.try_into() {
            Ok(three) => three,
            Err(v) => {
                return self.err(
                    "sms.storage",
                    format!(
                        "must list exactly three storages (+CPMS mem1, mem2, mem3), not {}",
                        v.len()
                    ),
                )
            }
        };

        let mut capacity = BTreeMap::new();
        for (name, value) in raw.capacity {
            let key = format!("sms.capacity.{name}");
            let storage = self.storage(&key, &name)?;
            match u32::try_from(value) {
                Ok(n @ 1..=100_000) => {
                    capacity.insert(storage, n);
                }
                _ => return self.err(key, format!("{value} is outside 1 to 100000 messages")),
            }
        }

        let delivery = match raw.delivery.as_str() {
            "store" => Delivery::Store,
            "route" => Delivery::Route,
            other => {
                return self.err(
                    "sms.delivery",
                    format!("`{other}` is not `store` (+CMTI) or `route` (+CMT)"),
                )
            }
        };
        let cnmi = self.cnmi(&raw.cnmi)?;
        match delivery {
            Delivery::Store if cnmi.mt != 1 => {
                return self.err(
                    "sms.cnmi",
                    format!(
                        "`{}` has <mt>={}, but delivery `store` needs <mt>=1 (+CMTI)",
                        raw.cnmi, cnmi.mt
                    ),
                )
            }
            Delivery::Route if !(2..=3).contains(&cnmi.mt) => {
                return self.err(
                    "sms.cnmi",
                    format!(
                        "`{}` has <mt>={}, but delivery `route` needs <mt>=2 or 3 (+CMT)",
                        raw.cnmi, cnmi.mt
                    ),
                )
            }
            _ => {}
        }
        if raw.needs_cnma && delivery != Delivery::Route && cnmi.ds != 1 {
            return self.err(
                "sms.needs_cnma",
                "is true, but nothing is routed: +CNMA acknowledges +CMT (delivery `route`) or +CDS (<ds>=1)",
            );
        }
        if cnmi.stores_reports() {
            // TS 27.005 3.4.1 <ds>=2: the report is stored and announced with
            // +CDSI. The driver reads, sweeps and deletes in <mem1> only, and
            // parses stored reports from PDU-mode listings only (a text-mode
            // +CMGL entry of a report has no data line).
            if !modes.pdu {
                return self.err(
                    "sms.cnmi",
                    format!(
                        "`{}` stores status reports (<ds>=2), which the daemon reads in PDU mode only; \
                         list `pdu` in sms.modes or route them (<ds>=1)",
                        raw.cnmi
                    ),
                );
            }
            if storage[0] != storage[2] {
                return self.err(
                    "sms.cnmi",
                    format!(
                        "`{}` stores status reports (<ds>=2) in mem3 `{}`, but the daemon reads mem1 `{}`",
                        raw.cnmi, storage[2], storage[0]
                    ),
                );
            }
        }
        Ok(Sms { modes, storage, capacity, delivery, cnmi, needs_cnma: raw.needs_cnma })
    }

    fn cnmi(&self, text: &str) -> Result<Cnmi> {
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        let values: Option<Vec<u8>> = parts.iter().map(|p| p.parse().ok()).collect();
        let (mode, mt, bm, ds, bfr) = match values.as_deref() {
            Some(&[mode, mt, bm, ds, bfr]) => (mode, mt, bm, ds, bfr),
            _ => {
                return self.err(
                    "sms.cnmi",
                    format!("`{text}` must be five integers: <mode>,<mt>,<bm>,<ds>,<bfr>"),
                )
            }
        };
        let ranges = [
            ("<mode>", mode, 1, 3),
            ("<mt>", mt, 0, 3),
            ("<bm>", bm, 0, 3),
            ("<ds>", ds, 0, 2),
            ("<bfr>", bfr, 0, 1),
        ];
        for (what, value, lo, hi) in ranges {
            if !(lo..=hi).contains(&value) {
                let why = if what == "<mode>" && value == 0 {
                    " (<mode>=0 keeps indications inside the modem, so the daemon never sees them)"
                } else {
                    ""
                };
                return self.err(
                    "sms.cnmi",
                    format!("`{text}`: {what}={value} is outside {lo} to {hi}{why}"),
                );
            }
        }
        Ok(Cnmi { mode, mt, bm, ds, bfr })
    }

    fn urcs(&self, raw: Vec<crate::raw::RawUrc>) -> Result<Vec<UrcSpec>> {
        let mut seen = HashSet::new();
        let mut urcs = Vec::with_capacity(raw.len());
        for (i, urc) in raw.into_iter().enumerate() {
            let key = |field: &str| format!("urcs[{i}].{field}");
            if urc.prefix.is_empty() || urc.prefix.bytes().any(|b| b.is_ascii_control()) {
                return self.err(key("prefix"), "must be non-empty text on one line");
            }
            if !seen.insert(urc.prefix.clone()) {
                return self.err(key("prefix"), format!("{:?} is declared twice", urc.prefix));
            }
            if urc.example.bytes().any(|b| b.is_ascii_control()) {
                return self.err(key("example"), "must be one line");
            }
            if !urc.example.starts_with(&urc.prefix) {
                return self.err(
                    key("example"),
                    format!("{:?} does not start with the prefix {:?}", urc.example, urc.prefix),
                );
            }
            let Some(kind) = UrcKind::ALL.into_iter().find(|k| k.as_str() == urc.kind) else {
                let names: Vec<&str> = UrcKind::ALL.iter().map(|k| k.as_str()).collect();
                return self.err(
                    key("kind"),
                    format!("`{}` is not one of {}", urc.kind, names.join(", ")),
                );
            };
            urcs.push(UrcSpec {
                meaning: self.text(&key("meaning"), urc.meaning)?,
                prefix: urc.prefix,
                example: urc.example,
                kind,
            });
        }
        Ok(urcs)
    }

    fn boot(&self, raw: crate::raw::RawBoot, urcs: &[UrcSpec]) -> Result<Boot> {
        for (i, prefix) in raw.wait_for.iter().enumerate() {
            let declared = urcs.iter().any(|u| &u.prefix == prefix && u.kind == UrcKind::Ready);
            if !declared {
                return self.err(
                    format!("boot.wait_for[{i}]"),
                    format!("{prefix:?} is not declared in [[urcs]] with kind = \"ready\""),
                );
            }
        }
        if !(0..=300_000).contains(&raw.wait_ms) {
            return self
                .err("boot.wait_ms", format!("{} ms is outside 0 to 5 minutes", raw.wait_ms));
        }
        if !raw.wait_for.is_empty() && raw.wait_ms < 1_000 {
            return self.err(
                "boot.wait_ms",
                "must be at least 1000 ms when boot.wait_for names URCs to wait for",
            );
        }
        Ok(Boot { wait_for: raw.wait_for, wait: Duration::from_millis(raw.wait_ms as u64) })
    }

    fn recovery(&self, raw: crate::raw::RawRecovery) -> Result<Recovery> {
        Ok(Recovery {
            soft_reset: self.non_empty_lines("recovery.soft_reset", raw.soft_reset)?,
            radio_cycle: self.lines("recovery.radio_cycle", raw.radio_cycle)?,
            power_off: match raw.power_off {
                Some(line) => Some(self.line("recovery.power_off", line)?),
                None => None,
            },
            power_key: match raw.power_key {
                Some(text) => Some(self.text("recovery.power_key", text)?),
                None => None,
            },
            usb_reenumerates: raw.usb_reenumerates,
        })
    }

    fn mms(&self, raw: crate::raw::RawMms) -> Result<Mms> {
        let method = match raw.method.as_str() {
            "modem_at" => {
                MmsMethod::ModemAt { commands: self.non_empty_lines("mms.commands", raw.commands)? }
            }
            "host_http" | "none" if !raw.commands.is_empty() => {
                return self.err(
                    "mms.commands",
                    format!("are only for method `modem_at`, not `{}`", raw.method),
                )
            }
            "host_http" => MmsMethod::HostHttp,
            "none" => MmsMethod::None,
            other => {
                return self.err(
                    "mms.method",
                    format!("`{other}` is not one of `modem_at`, `host_http`, `none`"),
                )
            }
        };
        let note = match raw.note {
            Some(text) => Some(self.text("mms.note", text)?),
            None => None,
        };
        Ok(Mms { method, note })
    }

    fn sources(&self, raw: Vec<crate::raw::RawSource>) -> Result<Vec<Source>> {
        if raw.is_empty() {
            return self.err("sources", "must name at least one document the facts come from");
        }
        raw.into_iter()
            .enumerate()
            .map(|(i, src)| {
                let key = |field: &str| format!("sources[{i}].{field}");
                if let Some(date) = &src.date {
                    let ok = matches!(date.len(), 4 | 7 | 10)
                        && date.bytes().enumerate().all(|(j, b)| {
                            if j == 4 || j == 7 {
                                b == b'-'
                            } else {
                                b.is_ascii_digit()
                            }
                        });
                    if !ok {
                        return self.err(
                            key("date"),
                            format!("{date:?} must be YYYY, YYYY-MM or YYYY-MM-DD"),
                        );
                    }
                }
                Ok(Source {
                    title: self.text(&key("title"), src.title)?,
                    version: self.text(&key("version"), src.version)?,
                    date: src.date,
                    sections: src
                        .sections
                        .into_iter()
                        .enumerate()
                        .map(|(j, s)| self.text(&format!("sources[{i}].sections[{j}]"), s))
                        .collect::<Result<_>>()?,
                })
            })
            .collect()
    }
}
