//! Verification codes and device tokens: made from the OS random source,
//! stored only as SHA-256 digests, compared in constant time.
//!
//! - A code is 6 decimal digits, drawn uniformly (rejection sampling, no
//!   modulo bias), stored as SHA-256(16-byte salt ‖ the digits).
//! - A token is 32 random bytes in base64url; the store keeps SHA-256 of
//!   its text, so a database dump opens no device.

use bubblegate_proto::b64;
use bubblegate_proto::keys::random_bytes;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// How long a code is valid.
pub const CODE_TTL_SECS: u64 = 600;
/// Wrong attempts a code allows; the code is gone after the last.
pub const CODE_ATTEMPTS: u32 = 5;

/// The OS random source failed: nothing secret can be made.
#[derive(Debug, thiserror::Error)]
#[error("the OS random source failed")]
pub struct RandomFailed;

/// A fresh code, and its salt and digest for the store.
pub struct NewCode {
    pub code: String,
    pub salt: [u8; 16],
    pub hash: [u8; 32],
}

pub fn new_code() -> Result<NewCode, RandomFailed> {
    // 4 294 000 000 is the largest multiple of 10^6 below 2^32: drawing
    // below it makes every code equally likely.
    const LIMIT: u32 = 4_294_000_000;
    let n = loop {
        let n = u32::from_be_bytes(random_bytes::<4>().map_err(|_| RandomFailed)?);
        if n < LIMIT {
            break n % 1_000_000;
        }
    };
    let code = format!("{n:06}");
    let salt = random_bytes::<16>().map_err(|_| RandomFailed)?;
    let hash = code_hash(&salt, &code);
    Ok(NewCode { code, salt, hash })
}

/// SHA-256(salt ‖ code).
pub fn code_hash(salt: &[u8], code: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(salt);
    h.update(code.as_bytes());
    h.finalize().into()
}

/// Whether `code` is the one stored as `salt` and `hash`, in constant
/// time.
pub fn code_matches(salt: &[u8], hash: &[u8], code: &str) -> bool {
    code_hash(salt, code).ct_eq(hash).into()
}

/// Whether a presented code has the right form (6 ASCII digits).
pub fn code_well_formed(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// A fresh device token and its digest.
pub fn new_token() -> Result<(String, [u8; 32]), RandomFailed> {
    let token = b64::encode(&random_bytes::<32>().map_err(|_| RandomFailed)?);
    let hash = token_hash(&token);
    Ok((token, hash))
}

/// The digest a token is stored and looked up by.
pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The SMS that carries a code. The digits stand apart, early, so that
/// phones offer to copy them.
pub fn code_text(code: &str, deregister: bool) -> String {
    if deregister {
        format!(
            "Your Bubblegate code is {code}. It expires in 10 minutes. Enter it to take this \
             number off the encrypted network."
        )
    } else {
        format!("Your Bubblegate code is {code}. It expires in 10 minutes.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_verify() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..50 {
            let c = new_code().unwrap();
            assert!(code_well_formed(&c.code), "{}", c.code);
            assert!(code_matches(&c.salt, &c.hash, &c.code));
            let other = if c.code == "000000" { "000001" } else { "000000" };
            assert!(!code_matches(&c.salt, &c.hash, other));
            seen.insert(c.code);
        }
        assert!(seen.len() > 40, "codes repeat too often: {seen:?}");
        for bad in ["12345", "1234567", "12345a", "１２３４５６", ""] {
            assert!(!code_well_formed(bad), "{bad}");
        }
    }

    #[test]
    fn tokens_are_32_random_bytes() {
        let (a, ha) = new_token().unwrap();
        let (b, _) = new_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(b64::decode(&a).unwrap().len(), 32);
        assert_eq!(token_hash(&a), ha);
    }

    #[test]
    fn the_code_is_easy_to_find() {
        let text = code_text("123456", false);
        assert_eq!(text, "Your Bubblegate code is 123456. It expires in 10 minutes.");
        assert!(code_text("123456", true).starts_with("Your Bubblegate code is 123456."));
    }
}
