//! Finding a modem's port as it comes and goes (hotplug).
//!
//! A modem is configured either by a stable path (`/dev/serial/by-id/…`,
//! which udev keeps pointing at the right `ttyUSBn` whatever order devices
//! enumerate in, or a udev rule's own name) or by its USB identity, looked
//! up in sysfs. [`PortLocator::wait_for`] waits for it to (re)appear.
//!
//! Waiting polls, once per [`HOTPLUG_POLL`], instead of listening to udev
//! or the kernel's uevent netlink socket: replugs are rare, one `stat` or a
//! walk of `/sys/class/tty` per second costs nothing measurable, it needs no
//! libudev (a C library) and no netlink socket (not delivered inside many
//! containers), and it cannot miss an event that came before it started
//! listening. A modem that reappears is found within one interval.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::sysfs::{natural, Sysfs};

/// How often [`PortLocator::wait_for`] looks again.
pub const HOTPLUG_POLL: Duration = Duration::from_secs(1);

/// How a configured modem's port is found.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PortLocator {
    /// A fixed path, best a stable one (`/dev/serial/by-id/…`); symlinks
    /// are followed when the port is opened.
    ByPath(PathBuf),
    /// The tty of the USB device with this vendor and product id, and
    /// when given its serial string (to tell two identical sticks apart)
    /// and interface number (to pick the AT port among the modem's ttys).
    /// Without an interface the lowest-numbered matching tty is taken.
    ByUsb { vid: u16, pid: u16, serial: Option<String>, interface: Option<u8> },
}

impl PortLocator {
    /// The port's current path, if the modem is plugged in.
    pub async fn locate(&self) -> Option<PathBuf> {
        self.locate_in(&Sysfs::system())
    }

    /// Waits up to `timeout` for the port to be present, looking every
    /// [`HOTPLUG_POLL`]. Returns at once if it is there already.
    pub async fn wait_for(&self, timeout: Duration) -> Option<PathBuf> {
        self.wait_for_in(&Sysfs::system(), timeout, HOTPLUG_POLL).await
    }

    /// [`PortLocator::locate`] against another sysfs and `/dev`.
    pub fn locate_in(&self, sysfs: &Sysfs) -> Option<PathBuf> {
        match self {
            PortLocator::ByPath(path) => exists(path).then(|| path.clone()),
            PortLocator::ByUsb { .. } => self.usb_matches(sysfs).into_iter().next(),
        }
    }

    /// [`PortLocator::wait_for`] against another sysfs and `/dev`, looking
    /// every `interval`.
    pub async fn wait_for_in(
        &self,
        sysfs: &Sysfs,
        timeout: Duration,
        interval: Duration,
    ) -> Option<PathBuf> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(path) = self.locate_in(sysfs) {
                return Some(path);
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                return None;
            }
            // Never a zero interval: a caller's mistake must not spin.
            let pause = interval.max(Duration::from_millis(10));
            tokio::time::sleep_until((now + pause).min(deadline)).await;
        }
    }

    /// Every device node matching a [`PortLocator::ByUsb`], the preferred
    /// one first: by interface number, then by name. Empty for `ByPath`.
    pub fn usb_matches(&self, sysfs: &Sysfs) -> Vec<PathBuf> {
        let PortLocator::ByUsb { vid, pid, serial, interface } = self else {
            return Vec::new();
        };
        let mut found: Vec<(Option<u8>, String)> = sysfs
            .usb_ttys()
            .into_iter()
            .filter(|(_, info)| info.id.vendor == *vid && info.id.product == *pid)
            .filter(|(_, info)| serial.is_none() || info.serial == *serial)
            .filter(|(_, info)| interface.is_none() || info.interface == *interface)
            .map(|(name, info)| (info.interface, name))
            .collect();
        found.sort_by(|a, b| (a.0, natural(&a.1)).cmp(&(b.0, natural(&b.1))));
        found.into_iter().filter_map(|(_, name)| sysfs.node(&name)).collect()
    }
}

impl fmt::Display for PortLocator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortLocator::ByPath(path) => write!(f, "{}", path.display()),
            PortLocator::ByUsb { vid, pid, serial, interface } => {
                write!(f, "usb {vid:04x}:{pid:04x}")?;
                if let Some(serial) = serial {
                    write!(f, " serial {serial}")?;
                }
                if let Some(interface) = interface {
                    write!(f, " interface {interface}")?;
                }
                Ok(())
            }
        }
    }
}

/// True if `path` names something, following symlinks: a dangling
/// `/dev/serial/by-id` link (the device is gone) does not count.
fn exists(path: &Path) -> bool {
    std::fs::metadata(path).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sysfs::fake::{FakeSys, FakeUsb};

    fn ec25(serial: &'static str, bus_path: &'static str) -> FakeUsb<'static> {
        FakeUsb { bus_path, vendor: "2c7c", product: "0125", serial: Some(serial) }
    }

    fn by_usb(serial: Option<&str>, interface: Option<u8>) -> PortLocator {
        PortLocator::ByUsb {
            vid: 0x2c7c,
            pid: 0x0125,
            serial: serial.map(str::to_owned),
            interface,
        }
    }

    #[test]
    fn usb_identity_picks_the_device_by_serial_and_the_tty_by_interface() {
        let fake = FakeSys::new();
        fake.add_usb(&ec25("AAA", "1-1"), &[(2, "ttyUSB2"), (0, "ttyUSB0"), (1, "ttyUSB1")]);
        fake.add_usb(&ec25("BBB", "1-2"), &[(0, "ttyUSB10"), (2, "ttyUSB12")]);
        let other = FakeUsb { bus_path: "1-3", vendor: "12d1", product: "1506", serial: None };
        fake.add_usb(&other, &[(0, "ttyUSB20")]);

        let cases: &[(PortLocator, Option<&str>)] = &[
            (by_usb(Some("AAA"), Some(2)), Some("ttyUSB2")),
            (by_usb(Some("BBB"), Some(2)), Some("ttyUSB12")),
            (by_usb(Some("AAA"), None), Some("ttyUSB0")),
            (by_usb(None, Some(2)), Some("ttyUSB2")),
            (by_usb(None, None), Some("ttyUSB0")),
            (by_usb(Some("CCC"), None), None),
            (by_usb(None, Some(5)), None),
            (
                PortLocator::ByUsb { vid: 0x12d1, pid: 0x1506, serial: None, interface: None },
                Some("ttyUSB20"),
            ),
        ];
        for (locator, want) in cases {
            assert_eq!(locator.locate_in(&fake.sysfs), want.map(|n| fake.node(n)), "{locator}");
        }
        let all = by_usb(None, Some(0)).usb_matches(&fake.sysfs);
        assert_eq!(all, [fake.node("ttyUSB0"), fake.node("ttyUSB10")]);
    }

    #[test]
    fn a_path_is_found_while_it_exists_and_a_dangling_link_is_not() {
        let fake = FakeSys::new();
        fake.add_tty("ttyUSB2", None);
        let link = fake.dir.path().join("by-id");
        std::os::unix::fs::symlink(fake.node("ttyUSB2"), &link).expect("link");
        let locator = PortLocator::ByPath(link.clone());
        assert_eq!(locator.locate_in(&fake.sysfs), Some(link.clone()));
        std::fs::remove_file(fake.node("ttyUSB2")).expect("unplug");
        assert_eq!(locator.locate_in(&fake.sysfs), None);
    }

    #[tokio::test(start_paused = true)]
    async fn wait_for_finds_a_replugged_port_within_one_interval_and_gives_up_at_the_timeout() {
        let fake = FakeSys::new();
        let locator = by_usb(Some("AAA"), Some(2));
        let start = tokio::time::Instant::now();
        let missing = locator.wait_for_in(&fake.sysfs, Duration::from_secs(5), HOTPLUG_POLL).await;
        assert_eq!(missing, None);
        assert_eq!(start.elapsed(), Duration::from_secs(5), "waits the whole timeout, no longer");

        let replug = async {
            tokio::time::sleep(Duration::from_millis(2500)).await;
            fake.add_usb(&ec25("AAA", "1-1"), &[(2, "ttyUSB2")]);
        };
        let start = tokio::time::Instant::now();
        let (found, ()) = tokio::join!(
            locator.wait_for_in(&fake.sysfs, Duration::from_secs(10), HOTPLUG_POLL),
            replug
        );
        assert_eq!(found, Some(fake.node("ttyUSB2")));
        assert_eq!(start.elapsed(), Duration::from_secs(3), "found at the next look");
    }
}
