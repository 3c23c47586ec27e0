//! A device's two key pairs, as in the seeds and DESIGN.md: one to be
//! encrypted to, one to sign with. Both are generated on the device from
//! the OS random source; only the public halves ([`EncPublicKey`],
//! [`SignPublicKey`]) ever leave it.
//!
//! Encryption is HPKE (RFC 9180) with the X-Wing hybrid post-quantum KEM
//! (ML-KEM-768 + X25519, draft-connolly-cfrg-xwing-kem) as the `hpke`
//! crate implements it. Signing is Ed25519 (RFC 8032), verified strictly.

use std::fmt;

use ed25519_dalek::{SigningKey, VerifyingKey};
use hpke::kem::XWing;
use hpke::{Deserializable, Kem as _, Serializable};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::b64;
use crate::ProtoError;

pub(crate) type KemImpl = XWing;
pub(crate) type KemPrivate = <XWing as hpke::Kem>::PrivateKey;
pub(crate) type KemPublic = <XWing as hpke::Kem>::PublicKey;

/// The KEMs the protocol knows. v1 has one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kem {
    #[serde(rename = "x-wing")]
    XWing,
}

impl Kem {
    /// The encoded public key's length.
    pub const fn public_len(self) -> usize {
        match self {
            Kem::XWing => 1216,
        }
    }

    /// The encapsulated key's length at the front of `sealed`.
    pub const fn encapped_len(self) -> usize {
        match self {
            Kem::XWing => 1120,
        }
    }

    /// The spelling on the wire and in the store.
    pub const fn name(self) -> &'static str {
        match self {
            Kem::XWing => "x-wing",
        }
    }

    /// The KEM of a stored name.
    pub fn from_name(name: &str) -> Option<Kem> {
        (name == "x-wing").then_some(Kem::XWing)
    }
}

/// A device's public encryption key: what the directory hands out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncPublicKey {
    pub kem: Kem,
    /// A device-local counter, raised by each rotation.
    pub key_id: u32,
    #[serde(with = "b64::serde_bytes")]
    pub public: Vec<u8>,
}

impl EncPublicKey {
    /// Checks that the bytes are a key of the named KEM.
    pub fn validate(&self) -> Result<(), ProtoError> {
        self.kem_key().map(|_| ())
    }

    pub(crate) fn kem_key(&self) -> Result<KemPublic, ProtoError> {
        if self.public.len() != self.kem.public_len() {
            return Err(ProtoError::KeyLength {
                what: "X-Wing public",
                expected: self.kem.public_len(),
                actual: self.public.len(),
            });
        }
        KemPublic::from_bytes(&self.public).map_err(|_| ProtoError::BadKey("encryption"))
    }
}

impl fmt::Debug for EncPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EncPublicKey({}, key_id {})", self.kem.name(), self.key_id)
    }
}

/// A private encryption key with its public half. The secret is the
/// 32-byte X-Wing seed; it is zeroed when dropped.
#[derive(Clone)]
pub struct EncKeyPair {
    key_id: u32,
    secret: Zeroizing<Vec<u8>>,
    public: EncPublicKey,
}

impl EncKeyPair {
    /// A fresh key pair from the OS random source.
    pub fn generate(key_id: u32) -> EncKeyPair {
        let (private, public) = KemImpl::gen_keypair();
        EncKeyPair {
            key_id,
            secret: Zeroizing::new(private.to_bytes().to_vec()),
            public: EncPublicKey { kem: Kem::XWing, key_id, public: public.to_bytes().to_vec() },
        }
    }

    /// Restores a key pair from its stored secret.
    pub fn from_secret(key_id: u32, secret: &[u8]) -> Result<EncKeyPair, ProtoError> {
        let private = KemPrivate::from_bytes(secret).map_err(|_| ProtoError::KeyLength {
            what: "X-Wing private",
            expected: 32,
            actual: secret.len(),
        })?;
        let public = KemImpl::sk_to_pk(&private);
        Ok(EncKeyPair {
            key_id,
            secret: Zeroizing::new(secret.to_vec()),
            public: EncPublicKey { kem: Kem::XWing, key_id, public: public.to_bytes().to_vec() },
        })
    }

    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// The secret, for the device's state file only.
    pub fn secret(&self) -> &[u8] {
        &self.secret
    }

    pub fn public(&self) -> &EncPublicKey {
        &self.public
    }

    pub(crate) fn kem_private(&self) -> Result<KemPrivate, ProtoError> {
        KemPrivate::from_bytes(&self.secret).map_err(|_| ProtoError::BadKey("encryption"))
    }
}

impl fmt::Debug for EncKeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EncKeyPair(key_id {}, secret hidden)", self.key_id)
    }
}

/// An Ed25519 public key, as 32 bytes of base64url on the wire.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SignPublicKey(pub(crate) VerifyingKey);

impl SignPublicKey {
    /// Reads 32 bytes; refuses points that are not valid keys.
    pub fn from_bytes(bytes: &[u8]) -> Result<SignPublicKey, ProtoError> {
        let bytes: &[u8; 32] = bytes.try_into().map_err(|_| ProtoError::KeyLength {
            what: "Ed25519 public",
            expected: 32,
            actual: bytes.len(),
        })?;
        let key = VerifyingKey::from_bytes(bytes).map_err(|_| ProtoError::BadKey("signing"))?;
        if key.is_weak() {
            return Err(ProtoError::BadKey("signing"));
        }
        Ok(SignPublicKey(key))
    }

    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }
}

impl fmt::Debug for SignPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SignPublicKey({})", b64::encode(&self.to_bytes()))
    }
}

impl Serialize for SignPublicKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&b64::encode(&self.to_bytes()))
    }
}

impl<'de> Deserialize<'de> for SignPublicKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<SignPublicKey, D::Error> {
        let text = String::deserialize(d)?;
        let bytes = b64::decode(&text).map_err(serde::de::Error::custom)?;
        SignPublicKey::from_bytes(&bytes).map_err(serde::de::Error::custom)
    }
}

/// An Ed25519 signing key (zeroed when dropped, by `ed25519-dalek`).
#[derive(Clone)]
pub struct SigningKeyPair(pub(crate) SigningKey);

impl SigningKeyPair {
    /// A fresh key from the OS random source.
    pub fn generate() -> Result<SigningKeyPair, ProtoError> {
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut()).map_err(|_| ProtoError::Random)?;
        Ok(SigningKeyPair(SigningKey::from_bytes(&seed)))
    }

    /// Restores a key from its 32-byte secret.
    pub fn from_secret(secret: &[u8]) -> Result<SigningKeyPair, ProtoError> {
        let seed: &[u8; 32] = secret.try_into().map_err(|_| ProtoError::KeyLength {
            what: "Ed25519 secret",
            expected: 32,
            actual: secret.len(),
        })?;
        Ok(SigningKeyPair(SigningKey::from_bytes(seed)))
    }

    /// The secret, for the device's state file (or the hub's key file) only.
    pub fn secret(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    pub fn public(&self) -> SignPublicKey {
        SignPublicKey(self.0.verifying_key())
    }
}

impl fmt::Debug for SigningKeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKeyPair(public {:?}, secret hidden)", self.public())
    }
}

/// `n` bytes from the OS random source: for tokens, codes and salts.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], ProtoError> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|_| ProtoError::Random)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enc_keys_restore_from_their_secret() {
        let pair = EncKeyPair::generate(3);
        assert_eq!(pair.public().public.len(), 1216);
        let again = EncKeyPair::from_secret(3, pair.secret()).unwrap();
        assert_eq!(again.public(), pair.public());
        assert!(pair.public().validate().is_ok());
        let short = EncPublicKey { kem: Kem::XWing, key_id: 1, public: vec![0; 32] };
        assert!(matches!(short.validate(), Err(ProtoError::KeyLength { .. })));
    }

    #[test]
    fn signing_keys_round_trip_on_the_wire() {
        let pair = SigningKeyPair::generate().unwrap();
        let json = serde_json::to_string(&pair.public()).unwrap();
        let back: SignPublicKey = serde_json::from_str(&json).unwrap();
        assert_eq!(back, pair.public());
        let restored = SigningKeyPair::from_secret(pair.secret().as_ref()).unwrap();
        assert_eq!(restored.public(), pair.public());
        assert!(serde_json::from_str::<SignPublicKey>("\"AAAA\"").is_err());
    }

    #[test]
    fn debug_never_prints_secrets() {
        let pair = EncKeyPair::generate(1);
        let shown = format!("{pair:?}");
        assert!(!shown.contains(&b64::encode(pair.secret())));
        let sign = SigningKeyPair::generate().unwrap();
        assert!(!format!("{sign:?}").contains(&b64::encode(sign.secret().as_ref())));
    }
}
