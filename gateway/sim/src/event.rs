//! What the core tells its adapter besides bytes: transcript lines, unplug
//! and replug, and messages the network handled.

use serde::{Deserialize, Serialize};

use crate::smsc::ReceivedMessage;
use crate::spec::ModemId;

/// Direction of a transcript line, seen from the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    /// `>>`: the host wrote it to the modem.
    #[serde(rename = ">>")]
    In,
    /// `<<`: the modem sent it to the host.
    #[serde(rename = "<<")]
    Out,
}

impl Direction {
    /// `>>` or `<<`, as the transcript file shows it.
    pub fn arrow(self) -> &'static str {
        match self {
            Direction::In => ">>",
            Direction::Out => "<<",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// One line of a modem's AT transcript. Control bytes are shown
    /// escaped (`<CR>`, `<LF>`, `<SUB>`, `<ESC>`, `\xNN`), so a line never
    /// holds a raw line break. The adapter adds the time stamp.
    Transcript { id: ModemId, dir: Direction, line: String },
    /// The modem is gone (unplug fault, a USB modem re-enumerating after
    /// its soft reset, or powering down by command): close its port and
    /// remove its path. Bytes it sent just before (the `OK` of
    /// `AT+CFUN=1,1`) may still wait in [`crate::Network::poll_transmit`];
    /// write them first if the port should see them.
    Unplugged { id: ModemId },
    /// The modem is back: open its port again. Its ready URCs follow.
    Replugged { id: ModemId },
    /// The network took a complete (or, after the reassembly timeout,
    /// incomplete) message that a modem sent; also in
    /// [`crate::Network::received`].
    Received { message: ReceivedMessage },
    /// One SMS-DELIVER part reached a modem (stored with `+CMTI` or routed
    /// with `+CMT`).
    Delivered { id: ModemId, from: String, part: u8, total: u8 },
}
