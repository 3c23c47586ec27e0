//! udev rules generated from the profiles, installed as
//! `hw/99-bubblegate.rules`: for every USB id a profile claims, ModemManager
//! is told to leave the device alone (`ID_MM_DEVICE_IGNORE`, which
//! ModemManager's filter honours for the USB device and its ports), and
//! where the profile knows the AT port's interface number, that port gets a
//! stable name under `/dev/bubblegate/`.
//!
//! The name carries `ID_PATH_TAG` (set by udev's `path_id` builtin in the
//! stock `60-serial.rules`): the physical USB port the stick is in, so two
//! identical sticks get two names that stay the same across reboots and
//! replugs into the same port.

use std::fmt::Write;

use crate::{ProfileSet, UsbId};

/// The rules file for every profile in `profiles` that claims a USB id.
pub fn udev_rules(profiles: &ProfileSet) -> String {
    let mut out = String::from(
        "# Generated from modem-profiles/ by bubblegate-profiles (src/udev.rs).\n\
         # Do not edit: change the profile and regenerate (see hw/README.md).\n\
         #\n\
         # Install:\n\
         #   sudo cp 99-bubblegate.rules /etc/udev/rules.d/\n\
         #   sudo udevadm control --reload && sudo udevadm trigger\n\
         #\n\
         # For each supported modem: ModemManager leaves it alone, and its AT\n\
         # port, where known, appears as /dev/bubblegate/<profile>-<usb port>.\n\
         \n\
         ACTION==\"remove\", GOTO=\"bubblegate_end\"\n",
    );
    let mut profiles: Vec<_> = profiles.iter().filter(|p| !p.recognition.usb.is_empty()).collect();
    profiles.sort_by(|a, b| a.name.cmp(&b.name));
    for profile in profiles {
        let _ = writeln!(out, "\n# {}: {} {}", profile.name, profile.vendor, profile.model);
        for usb in &profile.recognition.usb {
            let UsbId { vendor, product } = *usb;
            let ids = format!(
                "ATTRS{{idVendor}}==\"{vendor:04x}\", ATTRS{{idProduct}}==\"{product:04x}\""
            );
            let _ = writeln!(
                out,
                "SUBSYSTEM==\"usb\", ENV{{DEVTYPE}}==\"usb_device\", {ids}, ENV{{ID_MM_DEVICE_IGNORE}}=\"1\""
            );
            let _ = writeln!(
                out,
                "SUBSYSTEM==\"tty\", SUBSYSTEMS==\"usb\", {ids}, ENV{{ID_MM_DEVICE_IGNORE}}=\"1\""
            );
            if let Some(interface) = profile.port.usb_interface_for(*usb) {
                let _ = writeln!(
                    out,
                    "SUBSYSTEM==\"tty\", ENV{{ID_VENDOR_ID}}==\"{vendor:04x}\", \
                     ENV{{ID_MODEL_ID}}==\"{product:04x}\", \
                     ENV{{ID_USB_INTERFACE_NUM}}==\"{interface:02x}\", \
                     SYMLINK+=\"bubblegate/{}-$env{{ID_PATH_TAG}}\"",
                    profile.name
                );
            }
        }
    }
    out.push_str("\nLABEL=\"bubblegate_end\"\n");
    out
}
