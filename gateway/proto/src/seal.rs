//! Sealing to a device, opening, signing and verifying (PROTOCOL.md,
//! "Keys and cryptography").
//!
//! - Sealing is HPKE base mode (RFC 9180 §6.1, single-shot): KEM X-Wing,
//!   KDF HKDF-SHA256, AEAD ChaCha20-Poly1305, `info` =
//!   `bubblegate/v1/envelope`, `aad` = the header bytes. `sealed` is the
//!   encapsulated key followed by the ciphertext.
//! - The signature is Ed25519 over `bubblegate/v1/signature`, the header
//!   bytes, and the length-prefixed `sealed`; it is verified strictly
//!   (RFC 8032 §5.1.7 with the canonical-encoding checks of
//!   `verify_strict`).

use ed25519_dalek::{Signature, Signer};
use hpke::aead::ChaCha20Poly1305;
use hpke::kdf::HkdfSha256;
use hpke::{Deserializable, OpModeR, OpModeS, Serializable};

use crate::header::{field, Header};
use crate::keys::{EncKeyPair, EncPublicKey, KemImpl, SignPublicKey, SigningKeyPair};
use crate::wire::OutEnvelope;
use crate::{Content, ProtoError};

const INFO: &[u8] = b"bubblegate/v1/envelope";
const SIGNATURE_TAG: &[u8] = b"bubblegate/v1/signature";

type Encapped = <KemImpl as hpke::Kem>::EncappedKey;

/// Seals `plaintext` to `to`, bound to `header`. The header's `key_id`
/// must be the key's.
pub fn seal(header: &Header, to: &EncPublicKey, plaintext: &[u8]) -> Result<Vec<u8>, ProtoError> {
    if header.key_id != to.key_id {
        return Err(ProtoError::KeyIdMismatch { header: header.key_id, key: to.key_id });
    }
    let public = to.kem_key()?;
    let aad = header.to_bytes();
    let (encapped, ciphertext) = hpke::single_shot_seal::<ChaCha20Poly1305, HkdfSha256, KemImpl>(
        &OpModeS::Base,
        &public,
        INFO,
        plaintext,
        &aad,
    )
    .map_err(|_| ProtoError::SealFailed)?;
    let mut sealed = encapped.to_bytes().to_vec();
    sealed.extend_from_slice(&ciphertext);
    Ok(sealed)
}

/// Opens what [`seal`] made for `key`.
pub fn open(header: &Header, key: &EncKeyPair, sealed: &[u8]) -> Result<Vec<u8>, ProtoError> {
    if header.key_id != key.key_id() {
        return Err(ProtoError::KeyIdMismatch { header: header.key_id, key: key.key_id() });
    }
    let split = key.public().kem.encapped_len();
    if sealed.len() < split {
        return Err(ProtoError::Truncated);
    }
    let (encapped, ciphertext) = sealed.split_at(split);
    let encapped = Encapped::from_bytes(encapped).map_err(|_| ProtoError::OpenFailed)?;
    let private = key.kem_private()?;
    hpke::single_shot_open::<ChaCha20Poly1305, HkdfSha256, KemImpl>(
        &OpModeR::Base,
        &private,
        &encapped,
        INFO,
        ciphertext,
        &header.to_bytes(),
    )
    .map_err(|_| ProtoError::OpenFailed)
}

fn signed_bytes(header: &Header, sealed: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(SIGNATURE_TAG.len() + 128 + sealed.len());
    out.extend_from_slice(SIGNATURE_TAG);
    out.extend_from_slice(&header.to_bytes());
    field(&mut out, sealed);
    out
}

/// Signs a header and its sealed bytes.
pub fn sign(header: &Header, sealed: &[u8], key: &SigningKeyPair) -> Vec<u8> {
    key.0.sign(&signed_bytes(header, sealed)).to_bytes().to_vec()
}

/// Verifies a signature made by [`sign`].
pub fn verify(
    header: &Header,
    sealed: &[u8],
    signature: &[u8],
    key: &SignPublicKey,
) -> Result<(), ProtoError> {
    let signature = Signature::from_slice(signature).map_err(|_| ProtoError::BadSignature)?;
    key.0
        .verify_strict(&signed_bytes(header, sealed), &signature)
        .map_err(|_| ProtoError::BadSignature)
}

/// Seals `content` to `to` and signs the result: one envelope of a send.
/// The header's `key_id` must be `to`'s.
pub fn seal_and_sign(
    header: &Header,
    to: &EncPublicKey,
    content: &Content,
    signer: &SigningKeyPair,
) -> Result<OutEnvelope, ProtoError> {
    let plaintext = content.to_bytes()?;
    let sealed = seal(header, to, &plaintext)?;
    let signature = sign(header, &sealed, signer);
    Ok(OutEnvelope {
        device_id: header.recipient_device_id.clone(),
        key_id: header.key_id,
        sealed,
        signature,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::{Kind, Sender};
    use crate::E164;

    fn header(key_id: u32) -> Header {
        Header {
            sender: Some(Sender {
                handle: E164::parse("+31612345678", None).unwrap(),
                device_id: "alice-1".into(),
            }),
            recipient_device_id: "bob-1".into(),
            client_message_id: "m1".into(),
            created_at: 1_763_750_000_000,
            key_id,
            kind: Kind::Text,
        }
    }

    #[test]
    fn seal_open_sign_verify() {
        let bob = EncKeyPair::generate(1);
        let alice = SigningKeyPair::generate().unwrap();
        let h = header(1);
        let sealed = seal(&h, bob.public(), b"see you at 8").unwrap();
        assert!(!sealed.windows(12).any(|w| w == b"see you at 8"));
        assert_eq!(open(&h, &bob, &sealed).unwrap(), b"see you at 8");
        let sig = sign(&h, &sealed, &alice);
        verify(&h, &sealed, &sig, &alice.public()).unwrap();
    }

    #[test]
    fn a_moved_ciphertext_does_not_open() {
        let bob = EncKeyPair::generate(1);
        let sealed = seal(&header(1), bob.public(), b"hi").unwrap();
        let mut other = header(1);
        other.client_message_id = "m2".into();
        assert_eq!(open(&other, &bob, &sealed), Err(ProtoError::OpenFailed));
        assert_eq!(open(&header(1), &bob, &sealed[..100]), Err(ProtoError::Truncated));
        let stranger = EncKeyPair::generate(1);
        assert_eq!(open(&header(1), &stranger, &sealed), Err(ProtoError::OpenFailed));
    }

    #[test]
    fn any_change_breaks_the_signature() {
        let bob = EncKeyPair::generate(1);
        let alice = SigningKeyPair::generate().unwrap();
        let h = header(1);
        let sealed = seal(&h, bob.public(), b"hi").unwrap();
        let sig = sign(&h, &sealed, &alice);
        let mut bad_sig = sig.clone();
        bad_sig[10] ^= 1;
        assert_eq!(verify(&h, &sealed, &bad_sig, &alice.public()), Err(ProtoError::BadSignature));
        let mut bad_sealed = sealed.clone();
        bad_sealed[1125] ^= 1;
        assert_eq!(verify(&h, &bad_sealed, &sig, &alice.public()), Err(ProtoError::BadSignature));
        let mut moved = h.clone();
        moved.recipient_device_id = "bob-2".into();
        assert_eq!(verify(&moved, &sealed, &sig, &alice.public()), Err(ProtoError::BadSignature));
        let mallory = SigningKeyPair::generate().unwrap();
        assert_eq!(verify(&h, &sealed, &sig, &mallory.public()), Err(ProtoError::BadSignature));
        assert_eq!(verify(&h, &sealed, &sig[..63], &alice.public()), Err(ProtoError::BadSignature));
    }

    #[test]
    fn key_ids_must_agree() {
        let bob = EncKeyPair::generate(2);
        assert_eq!(
            seal(&header(1), bob.public(), b"x"),
            Err(ProtoError::KeyIdMismatch { header: 1, key: 2 })
        );
    }
}
