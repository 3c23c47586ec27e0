//! USB identity of serial ports, read from sysfs.
//!
//! A tty's `device` link in `/sys/class/tty/<name>/` leads into the device
//! tree. Walking up from there, the first directory with a
//! `bInterfaceNumber` file is the USB interface the tty belongs to (a modem
//! has several: AT, PPP, diagnostics, GPS), and the first with `idVendor`
//! and `idProduct` is the USB device, which may also carry a `serial`.
//! `ttyUSB*` (usb-serial drivers) sit one level below their interface,
//! `ttyACM*` (CDC ACM) at the interface itself; the walk handles both.
//! Pseudo-terminals and on-board UARTs have no USB ancestor.
//!
//! Both roots, `/sys` and `/dev`, are fields of [`Sysfs`] so that tests can
//! build a fake tree in a temporary directory. sysfs and devtmpfs live in
//! memory, so these reads are cheap and done inline, not on a blocking
//! thread.

use std::fs;
use std::path::{Path, PathBuf};

use bubblegate_profiles::UsbId;

/// Where the kernel's device information lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sysfs {
    /// The sysfs mount, `/sys`.
    pub sys: PathBuf,
    /// The device nodes, `/dev`.
    pub dev: PathBuf,
}

impl Default for Sysfs {
    fn default() -> Self {
        Sysfs::system()
    }
}

/// What sysfs tells about the USB side of one tty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsbInfo {
    pub id: UsbId,
    /// The device's `iSerial` string, if it has one.
    pub serial: Option<String>,
    /// `bInterfaceNumber` of the interface the tty belongs to.
    pub interface: Option<u8>,
}

impl Sysfs {
    /// The running system's `/sys` and `/dev`.
    pub fn system() -> Sysfs {
        Sysfs { sys: PathBuf::from("/sys"), dev: PathBuf::from("/dev") }
    }

    /// The USB identity behind the port at `path` (a device node or a
    /// symlink to one, e.g. `/dev/serial/by-id/…`); `None` when it is not
    /// a USB tty or sysfs does not say.
    pub fn usb_info(&self, path: &Path) -> Option<UsbInfo> {
        let device = fs::canonicalize(path).ok()?;
        self.tty_usb_info(device.file_name()?.to_str()?)
    }

    /// The USB identity of the tty named `name` (`ttyUSB2`).
    pub fn tty_usb_info(&self, name: &str) -> Option<UsbInfo> {
        let root = fs::canonicalize(&self.sys).ok()?;
        let device = fs::canonicalize(self.sys.join("class/tty").join(name).join("device")).ok()?;
        let mut interface = None;
        for dir in device.ancestors().take_while(|dir| dir.starts_with(&root) && *dir != root) {
            if interface.is_none() {
                interface = read_hex(&dir.join("bInterfaceNumber")).and_then(|n| n.try_into().ok());
            }
            let vendor = read_hex(&dir.join("idVendor"));
            let product = read_hex(&dir.join("idProduct"));
            if let (Some(vendor), Some(product)) = (vendor, product) {
                let id = UsbId::new(vendor, product);
                let serial = read_text(&dir.join("serial"));
                return Some(UsbInfo { id, serial, interface });
            }
        }
        None
    }

    /// Every tty with a USB identity, as `(name, info)`, sorted by name.
    pub fn usb_ttys(&self) -> Vec<(String, UsbInfo)> {
        let Ok(entries) = fs::read_dir(self.sys.join("class/tty")) else {
            return Vec::new();
        };
        let mut ttys: Vec<(String, UsbInfo)> = entries
            .flatten()
            .filter_map(|entry| {
                let name = entry.file_name().into_string().ok()?;
                let info = self.tty_usb_info(&name)?;
                Some((name, info))
            })
            .collect();
        ttys.sort_by(|a, b| natural(&a.0).cmp(&natural(&b.0)));
        ttys
    }

    /// The device node of the tty `name`, if it exists.
    pub fn node(&self, name: &str) -> Option<PathBuf> {
        let node = self.dev.join(name);
        fs::symlink_metadata(&node).is_ok().then_some(node)
    }
}

/// Sort key that puts `ttyUSB2` before `ttyUSB10`: the name without its
/// trailing number, then the number.
pub(crate) fn natural(name: &str) -> (&str, u64) {
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit());
    (stem, name[stem.len()..].parse().unwrap_or(0))
}

fn read_text(path: &Path) -> Option<String> {
    let text = fs::read_to_string(path).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// sysfs prints `idVendor`, `idProduct` and `bInterfaceNumber` in hex
/// without `0x` (`2c7c`, `0125`, `02`).
fn read_hex(path: &Path) -> Option<u16> {
    u16::from_str_radix(&read_text(path)?, 16).ok()
}

#[cfg(test)]
pub(crate) mod fake {
    //! A fake `/sys` and `/dev` in a temporary directory.

    use std::fs;
    use std::os::unix::fs::symlink;
    use std::path::{Path, PathBuf};

    use super::Sysfs;

    pub(crate) struct FakeSys {
        pub(crate) dir: tempfile::TempDir,
        pub(crate) sysfs: Sysfs,
    }

    /// One USB device for [`FakeSys::add_usb`].
    pub(crate) struct FakeUsb<'a> {
        pub(crate) bus_path: &'a str,
        pub(crate) vendor: &'a str,
        pub(crate) product: &'a str,
        pub(crate) serial: Option<&'a str>,
    }

    impl FakeSys {
        pub(crate) fn new() -> FakeSys {
            let dir = tempfile::tempdir().expect("temp dir");
            let sysfs = Sysfs { sys: dir.path().join("sys"), dev: dir.path().join("dev") };
            fs::create_dir_all(sysfs.sys.join("class/tty")).expect("class/tty");
            fs::create_dir_all(sysfs.sys.join("devices/pci0000:00/usb1")).expect("devices");
            fs::create_dir_all(&sysfs.dev).expect("dev");
            // The root hub has an id of its own, above every device.
            let hub = sysfs.sys.join("devices/pci0000:00/usb1");
            fs::write(hub.join("idVendor"), "1d6b\n").expect("hub vendor");
            fs::write(hub.join("idProduct"), "0002\n").expect("hub product");
            // A virtual console: no device link.
            fs::create_dir_all(sysfs.sys.join("class/tty/tty0")).expect("tty0");
            FakeSys { dir, sysfs }
        }

        /// Adds a USB device and its ttys, as `(interface, tty name)`.
        /// `ttyACM*` sit at the interface, others one level below it, as
        /// the real drivers put them.
        pub(crate) fn add_usb(&self, usb: &FakeUsb<'_>, ttys: &[(u8, &str)]) {
            let device = self.sysfs.sys.join("devices/pci0000:00/usb1").join(usb.bus_path);
            fs::create_dir_all(&device).expect("usb device");
            fs::write(device.join("idVendor"), format!("{}\n", usb.vendor)).expect("vendor");
            fs::write(device.join("idProduct"), format!("{}\n", usb.product)).expect("product");
            if let Some(serial) = usb.serial {
                fs::write(device.join("serial"), format!("{serial}\n")).expect("serial");
            }
            for (interface, name) in ttys {
                let intf = device.join(format!("{}:1.{interface}", usb.bus_path));
                fs::create_dir_all(&intf).expect("interface");
                fs::write(intf.join("bInterfaceNumber"), format!("{interface:02x}\n"))
                    .expect("bInterfaceNumber");
                let port = if name.starts_with("ttyACM") { intf } else { intf.join(name) };
                fs::create_dir_all(&port).expect("port dir");
                self.add_tty(name, Some(&port));
            }
        }

        /// A tty in `class/tty` with an optional `device` link, and its node.
        pub(crate) fn add_tty(&self, name: &str, device: Option<&Path>) {
            let class = self.sysfs.sys.join("class/tty").join(name);
            fs::create_dir_all(&class).expect("class entry");
            if let Some(device) = device {
                symlink(device, class.join("device")).expect("device link");
            }
            fs::write(self.sysfs.dev.join(name), b"").expect("device node");
        }

        pub(crate) fn node(&self, name: &str) -> PathBuf {
            self.sysfs.dev.join(name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fake::{FakeSys, FakeUsb};
    use super::*;

    const EC25: FakeUsb<'static> =
        FakeUsb { bus_path: "1-1", vendor: "2c7c", product: "0125", serial: Some("EC25X1") };

    #[test]
    fn usb_serial_and_acm_ttys_carry_their_device_and_interface() {
        let fake = FakeSys::new();
        fake.add_usb(&EC25, &[(0, "ttyUSB0"), (2, "ttyUSB2")]);
        let sierra = FakeUsb { bus_path: "1-2", vendor: "1199", product: "9071", serial: None };
        fake.add_usb(&sierra, &[(3, "ttyACM0")]);
        fake.add_tty("ttyS0", None);

        let ec25 = UsbId::new(0x2c7c, 0x0125);
        let info = |serial: Option<&str>, interface| UsbInfo {
            id: ec25,
            serial: serial.map(str::to_owned),
            interface: Some(interface),
        };
        assert_eq!(fake.sysfs.tty_usb_info("ttyUSB2"), Some(info(Some("EC25X1"), 2)));
        assert_eq!(
            fake.sysfs.tty_usb_info("ttyACM0"),
            Some(UsbInfo { id: UsbId::new(0x1199, 0x9071), serial: None, interface: Some(3) })
        );
        assert_eq!(fake.sysfs.tty_usb_info("ttyS0"), None, "no device link");
        assert_eq!(fake.sysfs.tty_usb_info("tty0"), None, "virtual console");
        assert_eq!(fake.sysfs.tty_usb_info("ttyUSB9"), None, "no such tty");

        // By node path, and through a by-id style symlink.
        assert_eq!(fake.sysfs.usb_info(&fake.node("ttyUSB0")), Some(info(Some("EC25X1"), 0)));
        let by_id = fake.dir.path().join("usb-Quectel_EC25-if02-port0");
        std::os::unix::fs::symlink(fake.node("ttyUSB2"), &by_id).expect("by-id link");
        assert_eq!(fake.sysfs.usb_info(&by_id), Some(info(Some("EC25X1"), 2)));

        let names: Vec<String> = fake.sysfs.usb_ttys().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["ttyACM0", "ttyUSB0", "ttyUSB2"]);
    }

    #[test]
    fn a_missing_sysfs_knows_nothing() {
        let sysfs = Sysfs { sys: "/nonexistent/sys".into(), dev: "/nonexistent/dev".into() };
        assert_eq!(sysfs.tty_usb_info("ttyUSB0"), None);
        assert!(sysfs.usb_ttys().is_empty());
    }
}
