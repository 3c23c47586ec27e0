//! Fault injection: what can go wrong with a modem, on request of a test or
//! a person through the control interface.

use serde::{Deserialize, Serialize};

/// A fault to inject into one modem with [`crate::Network::inject_fault`].
///
/// As JSON: `{"fault": "cms_error", "code": 500, "count": 2}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "fault", rename_all = "snake_case")]
pub enum Fault {
    /// Every following command's answer comes this much later (on top of
    /// any radio time). `ms: 0` ends the delay.
    Delay { ms: u64 },
    /// The next `count` sends (`+CMGS`, `+CMSS`) fail with
    /// `+CMS ERROR: <code>` after the radio time, and nothing is sent.
    CmsError { code: u16, count: u32 },
    /// The next `count` command lines get no answer at all (no echo, no
    /// result): the host must time out.
    DropReply { count: u32 },
    /// The modem stops answering anything until it is rebooted or
    /// replugged, as a crashed firmware does.
    Hang,
    /// These bytes go out at once, as line noise or a firmware dump would.
    Garbage { bytes: Vec<u8> },
    /// The next answer is cut off half-way through a line; the rest of it
    /// is never sent.
    Truncate,
    /// The device disappears: no bytes in or out, [`crate::Event::Unplugged`].
    Unplug,
    /// The device comes back and boots: [`crate::Event::Replugged`], then
    /// the profile's ready URCs.
    Replug,
    /// The modem restarts as after a power cycle (also from `Hang`, or
    /// after powering down by command): volatile settings reset, the ready
    /// URCs follow after the boot time, pending `DropReply`/`Truncate` end.
    /// SIM and modem storage survive, as do `Delay`, `CmsError`,
    /// `RegistrationLost` and `StorageFull`, which model the world outside
    /// the firmware.
    Reboot,
    /// Coverage is lost: the modem searches (`+CREG: 2`, with URCs where
    /// `<n>` asks), sends fail with `+CMS ERROR: 331` and inbound messages
    /// wait at the SMSC until it returns.
    RegistrationLost,
    /// Coverage is back (`+CREG: 1`); waiting messages are delivered.
    RegistrationRegained,
    /// The SIM storage is full (`full: true`): writes fail with
    /// `+CMS ERROR: 322` and inbound messages wait at the SMSC. `false`
    /// makes room again.
    StorageFull { full: bool },
    /// Sets the signal quality `+CSQ` reports (0-31, 99 unknown).
    Signal { rssi: u8 },
}
