//! The hex front end, as the CLI and the AT layer feed it.
#![no_main]

use bubblegate_sms::Pdu;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Pdu::decode_hex(text, true);
        let _ = Pdu::decode_hex(text, false);
    }
});
