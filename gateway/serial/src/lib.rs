//! The serial side of the modem driver: opening a modem's port, finding it
//! again after a replug, and discovering unconfigured modems.
//!
//! - [`open_exclusive`] opens a port with the profile's baud rate and flow
//!   control ([`SerialSettings`]) as a `tokio-serial` stream that no other
//!   process can share, and names the process holding it when it is busy
//!   ([`SerialError::Busy`], [`Holder`]). Dropping the stream releases it.
//! - [`read_some`] reads until the port closes: end of file and the errors
//!   of a hung-up device both end in `None`, once, without spinning.
//! - [`PortLocator`] finds a port by stable path or by USB identity in
//!   sysfs ([`Sysfs`]), and waits for it to come back after an unplug.
//! - [`scan`] probes candidate ports with `AT`, `AT+CGMI`, `AT+CGMM` and
//!   `AT+CGMR` through the AT engine, for `bubblegate modems scan`.
//!
//! # Invariants
//!
//! - An open port is held by one process: a second opener (ours or
//!   anyone's) gets [`SerialError::Busy`], never a shared port.
//! - Every wait is bounded: opens never block (`O_NONBLOCK`), hotplug
//!   waits and probes take a timeout, and polling runs at a fixed slow
//!   interval ([`HOTPLUG_POLL`]).
//! - A closed port ends a reader once: [`read_some`] returns `None` and the
//!   caller stops; nothing retries a dead descriptor.
//! - `/proc`, `/sys` and `/dev` are only read, and each is a parameter
//!   (`*_in` functions, [`Sysfs`]) so tests run against fake trees.

mod error;
mod holder;
mod locate;
mod open;
pub mod scan;
mod sysfs;
mod transport;

pub use bubblegate_profiles::FlowControl;
pub use error::{Holder, SerialError};
pub use holder::{holders, holders_in, HolderSearch, PROC};
pub use locate::{PortLocator, HOTPLUG_POLL};
pub use open::{open_exclusive, SerialSettings};
pub use sysfs::{Sysfs, UsbInfo};
pub use tokio_serial::SerialStream;
pub use transport::{is_port_gone, read_some};
