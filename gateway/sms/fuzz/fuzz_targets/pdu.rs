//! The binary PDU decoder, with and without the SMSC field. Whatever
//! decodes must re-encode (where its text fits its alphabet) to bytes that
//! decode to the same message.
#![no_main]

use bubblegate_sms::Pdu;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for with_smsc in [true, false] {
        let Ok(pdu) = Pdu::decode(data, with_smsc) else { continue };
        let Ok(encoded) = pdu.encode() else { continue };
        let again = Pdu::decode(&encoded.bytes, true).expect("re-encoded PDU decodes");
        assert_eq!(again, pdu);
    }
});
