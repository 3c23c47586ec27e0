//! What a device accepts: every envelope is verified, addressed to this
//! device, fresh, not a replay, and opens; old keys keep opening after a
//! rotation. Envelopes are made here with `bubblegate-proto`, as a sender
//! device or the hub would.

use std::collections::HashSet;

use bubblegate_client::state::{Registration, StateData, StoredEncKey};
use bubblegate_client::{Incoming, Receiver, RejectReason, SenderKey};
use bubblegate_proto::wire::Envelope;
use bubblegate_proto::{
    b64, Content, EncKeyPair, EncPublicKey, Header, Kind, Sender, SigningKeyPair, StatusKind,
    DEFAULT_RETENTION_MS, E164,
};

const NOW: i64 = 1_763_750_000_000;
const DAY: i64 = 24 * 60 * 60 * 1000;

/// The receiving device, its keys, the hub's key and one sender.
struct World {
    receiver: Receiver,
    enc: EncKeyPair,
    hub: SigningKeyPair,
    alice: SigningKeyPair,
    next_id: u32,
}

fn alice_sender() -> Sender {
    Sender { handle: E164::parse("+31612345678", None).unwrap(), device_id: "alice-1".into() }
}

fn world() -> World {
    let enc = EncKeyPair::generate(1);
    let hub = SigningKeyPair::generate().unwrap();
    let receiver =
        Receiver::new("bob-1", hub.public(), DEFAULT_RETENTION_MS, [enc.clone()], HashSet::new());
    World { receiver, enc, hub, alice: SigningKeyPair::generate().unwrap(), next_id: 0 }
}

impl World {
    fn envelope_to(
        &mut self,
        to: &EncPublicKey,
        sender: Option<Sender>,
        signer: &SigningKeyPair,
        content: &Content,
        cmid: &str,
        created_at: i64,
    ) -> Envelope {
        self.next_id += 1;
        let header = Header {
            sender,
            recipient_device_id: "bob-1".into(),
            client_message_id: cmid.into(),
            created_at,
            key_id: to.key_id,
            kind: content.kind(),
        };
        let out = bubblegate_proto::seal_and_sign(&header, to, content, signer).unwrap();
        Envelope {
            id: format!("env-{}", self.next_id),
            sender: header.sender.clone(),
            recipient_device_id: header.recipient_device_id,
            client_message_id: header.client_message_id,
            kind: header.kind,
            created_at,
            key_id: out.key_id,
            sealed: out.sealed,
            signature: out.signature,
            expires_at: created_at + DEFAULT_RETENTION_MS,
        }
    }

    /// A text from alice's device to this device's key 1.
    fn text(&mut self, cmid: &str) -> Envelope {
        let to = self.enc.public().clone();
        let alice = self.alice.clone();
        self.envelope_to(&to, Some(alice_sender()), &alice, &text("see you at 8"), cmid, NOW)
    }

    fn check(&mut self, envelope: &Envelope) -> Incoming {
        let key = self.alice.public();
        self.receiver.check(envelope, SenderKey::Device(&key), NOW)
    }
}

fn text(body: &str) -> Content {
    Content::text(body)
}

fn received(incoming: Incoming) -> Content {
    match incoming {
        Incoming::Received(r) => r.content,
        Incoming::Rejected(r) => panic!("rejected: {} ({})", r.reason, r.reason.code()),
    }
}

fn reason(incoming: Incoming) -> RejectReason {
    match incoming {
        Incoming::Received(r) => panic!("accepted {:?}", r.meta),
        Incoming::Rejected(r) => r.reason,
    }
}

#[test]
fn a_good_envelope_opens() {
    let mut w = world();
    let e = w.text("m1");
    let incoming = w.check(&e);
    assert_eq!(incoming.meta().id, e.id);
    assert_eq!(incoming.meta().sender_device(), "alice-1");
    assert_eq!(received(incoming), text("see you at 8"));
}

#[test]
fn replays_are_rejected() {
    let mut w = world();
    let first = w.text("m1");
    received(w.check(&first));
    // The same envelope again before its ack (a redelivery) is fine.
    received(w.check(&first));
    // Another envelope with the same (sender device, message id, kind) is
    // a replay, before and after the ack.
    let again = w.text("m1");
    assert_eq!(reason(w.check(&again)), RejectReason::Replay);
    let records = w.receiver.confirm(std::slice::from_ref(&first.id));
    assert_eq!(records.len(), 1);
    assert_eq!(
        (records[0].sender_device.as_str(), records[0].client_message_id.as_str(), records[0].kind),
        ("alice-1", "m1", Kind::Text)
    );
    assert_eq!(reason(w.check(&first)), RejectReason::Replay);
    assert_eq!(reason(w.check(&again)), RejectReason::Replay);
    // Another kind with the same message id is not the same message.
    let to = w.enc.public().clone();
    let alice = w.alice.clone();
    let reaction = Content::Reaction { target: "m0".into(), emoji: "👍".into() };
    let e = w.envelope_to(&to, Some(alice_sender()), &alice, &reaction, "m1", NOW);
    received(w.check(&e));
}

#[test]
fn the_replay_set_survives_a_restart_through_the_state_file() {
    let mut w = world();
    let first = w.text("m1");
    received(w.check(&first));
    let records = w.receiver.confirm(std::slice::from_ref(&first.id));
    let mut data = registered_state(&w);
    data.replay.extend(records);
    let json = serde_json::to_string(&data).unwrap();
    let data: StateData = serde_json::from_str(&json).unwrap();
    let mut fresh = Receiver::from_state(&data).unwrap();
    let key = w.alice.public();
    let again = w.text("m1");
    assert_eq!(
        match fresh.check(&again, SenderKey::Device(&key), NOW) {
            Incoming::Rejected(r) => r.reason,
            Incoming::Received(_) => panic!("replay accepted after restart"),
        },
        RejectReason::Replay
    );
}

#[test]
fn old_envelopes_are_rejected() {
    let mut w = world();
    let to = w.enc.public().clone();
    let alice = w.alice.clone();
    let old = w.envelope_to(&to, Some(alice_sender()), &alice, &text("x"), "m1", NOW - 8 * DAY);
    assert_eq!(reason(w.check(&old)), RejectReason::Expired);
    let recent = w.envelope_to(&to, Some(alice_sender()), &alice, &text("x"), "m2", NOW - 6 * DAY);
    received(w.check(&recent));
}

#[test]
fn a_flipped_bit_in_the_signature_is_rejected() {
    let mut w = world();
    for i in [0, 31, 32, 63] {
        let mut e = w.text(&format!("m{i}"));
        e.signature[i] ^= 0x01;
        assert_eq!(reason(w.check(&e)), RejectReason::BadSignature, "byte {i}");
    }
    let mut e = w.text("short");
    e.signature.truncate(63);
    assert_eq!(reason(w.check(&e)), RejectReason::BadSignature);
}

#[test]
fn a_flipped_bit_in_sealed_is_rejected() {
    let mut w = world();
    let len = w.text("probe").sealed.len();
    for i in [0, 1119, 1120, len - 1] {
        let mut e = w.text(&format!("m{i}"));
        e.sealed[i] ^= 0x80;
        assert_eq!(reason(w.check(&e)), RejectReason::BadSignature, "byte {i}");
    }
}

#[test]
fn a_changed_header_field_is_rejected() {
    let mut w = world();
    type Change = (&'static str, fn(&mut Envelope));
    let changes: Vec<Change> = vec![
        ("client_message_id", |e| e.client_message_id.push('x')),
        ("created_at", |e| e.created_at -= 1),
        ("key_id", |e| e.key_id = 2),
        ("sender device", |e| e.sender.as_mut().unwrap().device_id = "alice-2".into()),
        ("sender handle", |e| {
            e.sender.as_mut().unwrap().handle = E164::parse("+31612345679", None).unwrap()
        }),
        ("kind", |e| e.kind = Kind::Edit),
    ];
    for (name, change) in changes {
        let mut e = w.text(&format!("m-{name}"));
        change(&mut e);
        assert_eq!(reason(w.check(&e)), RejectReason::BadSignature, "{name}");
    }
    // The envelope id and expiry are the hub's, outside the signature.
    let mut e = w.text("m-id");
    e.id = "other".into();
    e.expires_at += 1;
    received(w.check(&e));
}

#[test]
fn a_signature_by_another_key_is_rejected() {
    let mut w = world();
    let to = w.enc.public().clone();
    let mallory = SigningKeyPair::generate().unwrap();
    let e = w.envelope_to(&to, Some(alice_sender()), &mallory, &text("hi"), "m1", NOW);
    assert_eq!(reason(w.check(&e)), RejectReason::BadSignature);
    // Nor does the hub's key stand in for a device's, or the reverse.
    let hub = w.hub.clone();
    let e = w.envelope_to(&to, Some(alice_sender()), &hub, &text("hi"), "m2", NOW);
    assert_eq!(reason(w.check(&e)), RejectReason::BadSignature);
    let status = Content::Status {
        client_message_id: "m0".into(),
        recipient: "+31612345678".into(),
        status: StatusKind::SentAsSms,
    };
    let alice = w.alice.clone();
    let e = w.envelope_to(&to, None, &alice, &status, "s1", NOW);
    assert_eq!(reason(w.check(&e)), RejectReason::BadSignature);
    // A sender the directory does not know.
    let e = w.text("m3");
    assert_eq!(
        match w.receiver.check(&e, SenderKey::Unknown, NOW) {
            Incoming::Rejected(r) => r.reason,
            Incoming::Received(_) => panic!("accepted from an unknown sender"),
        },
        RejectReason::UnknownSender
    );
}

#[test]
fn hub_envelopes_verify_with_the_pinned_key_and_kinds_stay_in_their_lane() {
    let mut w = world();
    let to = w.enc.public().clone();
    let hub = w.hub.clone();
    let sms =
        Content::Sms { from: "+4915112345678".into(), body: "hello".into(), received_at: NOW };
    let e = w.envelope_to(&to, None, &hub, &sms, "sms-1", NOW);
    assert_eq!(received(w.check(&e)), sms);
    // A device may not forward "SMS", nor the hub send texts.
    let alice = w.alice.clone();
    let e = w.envelope_to(&to, Some(alice_sender()), &alice, &sms, "sms-2", NOW);
    assert_eq!(reason(w.check(&e)), RejectReason::KindNotAllowed);
    let e = w.envelope_to(&to, None, &hub, &text("hi"), "t-1", NOW);
    assert_eq!(reason(w.check(&e)), RejectReason::KindNotAllowed);
}

#[test]
fn an_envelope_for_another_device_is_rejected() {
    let mut w = world();
    let to = w.enc.public().clone();
    let alice = w.alice.clone();
    // Sealed and signed for bob-2, correctly: still not ours.
    let header = Header {
        sender: Some(alice_sender()),
        recipient_device_id: "bob-2".into(),
        client_message_id: "m1".into(),
        created_at: NOW,
        key_id: 1,
        kind: Kind::Text,
    };
    let out = bubblegate_proto::seal_and_sign(&header, &to, &text("hi"), &alice).unwrap();
    let e = Envelope {
        id: "e".into(),
        sender: header.sender.clone(),
        recipient_device_id: "bob-2".into(),
        client_message_id: "m1".into(),
        kind: Kind::Text,
        created_at: NOW,
        key_id: 1,
        sealed: out.sealed,
        signature: out.signature,
        expires_at: NOW + DAY,
    };
    assert_eq!(reason(w.check(&e)), RejectReason::WrongRecipient);
    // And relabelling it as ours breaks the signature.
    let mut relabelled = e.clone();
    relabelled.recipient_device_id = "bob-1".into();
    assert_eq!(reason(w.check(&relabelled)), RejectReason::BadSignature);
}

#[test]
fn content_must_match_the_header_kind() {
    let mut w = world();
    let to = w.enc.public().clone();
    let alice = w.alice.clone();
    // Signed as a reaction, but the sealed content is a text.
    let header = Header {
        sender: Some(alice_sender()),
        recipient_device_id: "bob-1".into(),
        client_message_id: "m1".into(),
        created_at: NOW,
        key_id: 1,
        kind: Kind::Reaction,
    };
    let sealed = bubblegate_proto::seal(&header, &to, &text("hi").to_bytes().unwrap()).unwrap();
    let signature = bubblegate_proto::sign(&header, &sealed, &alice);
    let e = Envelope {
        id: "e".into(),
        sender: header.sender.clone(),
        recipient_device_id: "bob-1".into(),
        client_message_id: "m1".into(),
        kind: Kind::Reaction,
        created_at: NOW,
        key_id: 1,
        sealed,
        signature,
        expires_at: NOW + DAY,
    };
    assert!(matches!(reason(w.check(&e)), RejectReason::BadContent { .. }));
}

#[test]
fn envelopes_to_an_old_key_open_after_a_rotation() {
    let mut w = world();
    let old_key = w.enc.public().clone();
    let alice = w.alice.clone();
    let before = w.envelope_to(&old_key, Some(alice_sender()), &alice, &text("old"), "m1", NOW);
    // Rotate: key 2 is current, key 1 retired but kept.
    let new = EncKeyPair::generate(2);
    let mut data = registered_state(&w);
    data.enc_keys[0].retired_at = Some(NOW);
    data.enc_keys.push(StoredEncKey::new(&new, NOW));
    data.registration.as_mut().unwrap().current_key_id = 2;
    w.receiver.refresh(&data);
    let after = w.envelope_to(new.public(), Some(alice_sender()), &alice, &text("new"), "m2", NOW);
    assert_eq!(received(w.check(&before)), text("old"));
    assert_eq!(received(w.check(&after)), text("new"));
    // Past the retention period the old key is gone, and with it the
    // envelopes sealed to it.
    data.prune(NOW + 8 * DAY);
    assert_eq!(data.enc_keys.iter().map(|k| k.key_id).collect::<Vec<_>>(), [2]);
    w.receiver.refresh(&data);
    let late = w.envelope_to(&old_key, Some(alice_sender()), &alice, &text("late"), "m3", NOW);
    assert_eq!(reason(w.check(&late)), RejectReason::UnknownKey);
    // A key this device never had does not open either.
    let stranger = EncKeyPair::generate(2);
    let e = w.envelope_to(stranger.public(), Some(alice_sender()), &alice, &text("?"), "m4", NOW);
    assert_eq!(reason(w.check(&e)), RejectReason::Undecryptable);
}

#[test]
fn reasons_have_stable_codes_and_json() {
    let json = serde_json::to_value(RejectReason::BadContent { detail: "x".into() }).unwrap();
    assert_eq!(json, serde_json::json!({"code": "bad_content", "detail": "x"}));
    assert_eq!(RejectReason::Replay.code(), "replay");
    assert_eq!(
        serde_json::to_value(RejectReason::Replay).unwrap(),
        serde_json::json!({"code": "replay"})
    );
}

/// A registered state for the world's receiving device.
fn registered_state(w: &World) -> StateData {
    let mut data = StateData::new("http://127.0.0.1:8080");
    data.registration = Some(Registration {
        handle: E164::parse("+31687654321", None).unwrap(),
        device_id: "bob-1".into(),
        name: "test".into(),
        token: "t".into(),
        hub_key: w.hub.public(),
        signing_secret: b64::encode(SigningKeyPair::generate().unwrap().secret().as_ref()),
        current_key_id: 1,
        registered_at: NOW,
    });
    data.enc_keys = vec![StoredEncKey::new(&w.enc, NOW)];
    data
}
