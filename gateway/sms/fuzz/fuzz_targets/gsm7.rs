//! Septet unpacking and decoding under every pair of national tables.
#![no_main]

use bubblegate_sms::gsm7::{self, Charset, Language};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [fill, locking, single, rest @ ..] = data else { return };
    let charset = Charset {
        locking: Language::from_id(*locking),
        single: Language::from_id(*single),
    };
    let septets = gsm7::unpack(rest, fill % 7, rest.len() * 8 / 7);
    let text = charset.decode(&septets);
    if let Ok(again) = charset.encode(&text) {
        assert_eq!(charset.decode(&again), text);
    }
});
