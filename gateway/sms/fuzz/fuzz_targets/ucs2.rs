//! UCS-2/UTF-16 decoding, surrogates included.
#![no_main]

use bubblegate_sms::decode_ucs2;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = decode_ucs2(data);
    let units: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    assert_eq!(decode_ucs2(&units), text);
});
