//! What an actor tells its subscribers, over a broadcast channel: messages
//! and status reports to take over, state changes, health readings and
//! watchdog steps.
//!
//! Messages that need the consumer's confirmation carry an
//! [`InboundToken`]. The actor deletes a stored message (or acknowledges a
//! routed one) only when the token comes back through
//! [`crate::ModemHandle::confirm`]; until then the message stays on the
//! modem and is handed over again after a restart. A subscriber that lags
//! behind and loses events therefore loses nothing for good.

use std::sync::atomic::{AtomicU64, Ordering};

use bubblegate_at::commands::network::{Csq, Domain, RegistrationStatus};
use bubblegate_sms::{Deliver, Ports, StatusReport};

use crate::actor::state::ModemState;
use crate::config::ModemId;

/// Identifies one handed-over message until the consumer confirms it.
/// Unique in the process across actors and their restarts, so a token
/// from before a restart can never confirm a different message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InboundToken(u64);

impl InboundToken {
    pub(crate) fn next() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        InboundToken(NEXT.fetch_add(1, Ordering::Relaxed))
    }

    pub fn get(self) -> u64 {
        self.0
    }
}

/// Where a handed-over message came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Origin {
    /// Read from a storage slot (after `+CMTI`/`+CDSI`, or by the sweep);
    /// deleted on confirmation.
    Stored { storage: String, index: u32 },
    /// Routed to the port (`+CMT`/`+CDS`); acknowledged with `+CNMA` on
    /// confirmation where the profile needs it.
    Routed,
}

/// One received SMS-DELIVER part, as the modem gave it. Parts of a
/// concatenated message arrive one by one; the consumer reassembles them
/// durably.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundMessage {
    pub token: InboundToken,
    pub origin: Origin,
    /// The PDU as read, hexadecimal with the SMSC field: what to store for
    /// deduplication and audit.
    pub pdu: String,
    pub smsc: Option<String>,
    pub deliver: Deliver,
}

impl InboundMessage {
    /// Application ports, for WAP push (port 2948) and other port-addressed
    /// messages, which are data for a handler rather than text for a person.
    pub fn ports(&self) -> Option<Ports> {
        self.deliver.user_data.udh.as_ref().and_then(|udh| udh.ports())
    }
}

/// A status report, to be matched with the sent part through `mr`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusReportMessage {
    pub token: InboundToken,
    pub origin: Origin,
    /// TP-MR of the part it reports on, as `Sent { mr }` gave it.
    pub mr: u8,
    pub report: StatusReport,
}

/// A stored or routed PDU that did not decode. It is handed over raw so
/// that the consumer can keep it; confirming it deletes it, so a broken
/// message cannot fill the storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndecodableMessage {
    pub token: InboundToken,
    pub origin: Origin,
    pub pdu: String,
    pub error: String,
}

/// A step of the watchdog's escalation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WatchdogStep {
    /// `AT`, after a command timed out.
    Ping,
    /// The profile's soft reset (`AT+CFUN=1,1`, `AT!RESET`, ...).
    SoftReset,
    /// Close the port and open it again.
    Reopen,
    /// The configured power-cycle hook.
    PowerCycle,
}

/// How a watchdog step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepResult {
    Started,
    /// The modem answers again.
    Recovered,
    /// It did not; the next step follows (or `failed`, after the last).
    Failed(String),
    /// The step does not apply (no soft reset in the profile, no hook).
    Skipped,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    /// The actual state changed.
    State(ModemState),
    /// The modem answered its identify commands and got its profile.
    Identified {
        manufacturer: String,
        model: String,
        profile: String,
    },
    Inbound(InboundMessage),
    StatusReport(StatusReportMessage),
    Undecodable(UndecodableMessage),
    Signal(Csq),
    Registration {
        domain: Domain,
        status: RegistrationStatus,
    },
    Operator(Option<String>),
    /// The storage new messages go to is full; the network holds further
    /// messages until the consumer confirms (and so frees) stored ones.
    StorageFull {
        storage: String,
        used: u32,
        total: u32,
    },
    Watchdog {
        step: WatchdogStep,
        result: StepResult,
    },
    /// The supervisor restarted the actor after it panicked or was killed.
    Restarted {
        reason: String,
    },
}

/// One event of one modem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModemEvent {
    pub modem: ModemId,
    pub kind: EventKind,
}
