//! [`Device`] over HTTP and WebSocket against a small in-memory hub
//! (axum on 127.0.0.1): registration, sends with a device mismatch and
//! its retry, fetch and listen with acks, replays after a restart, key
//! rotation, blocks and deregistration. The real hub's tests are in
//! `tests/it`; this fake follows PROTOCOL.md just far enough.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path as UrlPath, State as AxumState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use bubblegate_client::proto::wire::{
    AckRequest, CodeRequest, DeregisterConfirm, DeviceRef, DirectoryDevice, Envelope, RotateKeys,
    SendRequest, SmsPart, StreamFrame, VerifyRequest,
};
use bubblegate_client::proto::{Content, EncKeyPair, SigningKeyPair, E164};
use bubblegate_client::{Device, DeviceError, Incoming, SmsChoice};
use serde_json::json;

const CODE: &str = "123456";

struct FakeDevice {
    handle: String,
    device_id: String,
    token: String,
    entry: DirectoryDevice,
    /// Hidden devices are left out of the directory until a 409 names
    /// them: a directory that changed between look-up and send.
    hidden: bool,
    revoked: bool,
}

#[derive(Default)]
struct Hub {
    devices: Vec<FakeDevice>,
    queue: Vec<Envelope>,
    blocks: BTreeSet<String>,
    next: u32,
    sends: u32,
    conflicts: u32,
    last_send: Option<SendRequest>,
    /// Devices that stay hidden even after a 409 names them.
    never_shown: BTreeSet<String>,
}

struct Fake {
    hub: Mutex<Hub>,
    key: SigningKeyPair,
}

type Shared = Arc<Fake>;

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({"error": {"code": code, "message": message}}))).into_response()
}

impl Hub {
    fn caller(&self, headers: &HeaderMap) -> Option<usize> {
        let token = headers.get("authorization")?.to_str().ok()?.strip_prefix("Bearer ")?;
        self.devices.iter().position(|d| d.token == token && !d.revoked)
    }

    fn active(&self, handle: &str) -> impl Iterator<Item = &FakeDevice> {
        let handle = handle.to_owned();
        self.devices.iter().filter(move |d| d.handle == handle && !d.revoked)
    }
}

async fn register_request(Json(body): Json<CodeRequest>) -> Response {
    if E164::parse(&body.phone, None).is_err() {
        return error(StatusCode::BAD_REQUEST, "invalid_request", "`phone` is not a number");
    }
    (StatusCode::ACCEPTED, Json(json!({"expires_in": 600}))).into_response()
}

async fn register_verify(
    AxumState(fake): AxumState<Shared>,
    Json(body): Json<VerifyRequest>,
) -> Response {
    if body.code != CODE {
        return error(StatusCode::BAD_REQUEST, "invalid_request", "`code` is wrong");
    }
    let handle = E164::parse(&body.phone, None).unwrap().to_string();
    let mut hub = fake.hub.lock().unwrap();
    hub.next += 1;
    let device_id = format!("dev-{}", hub.next);
    let token = format!("tok-{}", hub.next);
    hub.devices.push(FakeDevice {
        handle: handle.clone(),
        device_id: device_id.clone(),
        token: token.clone(),
        entry: DirectoryDevice {
            device_id: device_id.clone(),
            enc_key: body.device.enc_key,
            sign_key: body.device.sign_key,
        },
        hidden: false,
        revoked: false,
    });
    (
        StatusCode::CREATED,
        Json(json!({"device_id": device_id, "handle": handle, "token": token,
            "hub_key": fake.key.public()})),
    )
        .into_response()
}

async fn directory(
    AxumState(fake): AxumState<Shared>,
    headers: HeaderMap,
    UrlPath(phone): UrlPath<String>,
) -> Response {
    let hub = fake.hub.lock().unwrap();
    if hub.caller(&headers).is_none() {
        return error(StatusCode::UNAUTHORIZED, "unauthorized", "no token");
    }
    let devices: Vec<&DirectoryDevice> =
        hub.active(&phone).filter(|d| !d.hidden).map(|d| &d.entry).collect();
    if devices.is_empty() {
        return error(StatusCode::NOT_FOUND, "not_found", "no such handle");
    }
    Json(json!({"handle": phone, "devices": devices})).into_response()
}

async fn rotate(
    AxumState(fake): AxumState<Shared>,
    headers: HeaderMap,
    Json(body): Json<RotateKeys>,
) -> Response {
    let mut hub = fake.hub.lock().unwrap();
    let Some(me) = hub.caller(&headers) else {
        return error(StatusCode::UNAUTHORIZED, "unauthorized", "no token");
    };
    if body.enc_key.key_id <= hub.devices[me].entry.enc_key.key_id {
        return error(StatusCode::BAD_REQUEST, "invalid_request", "`key_id` must grow");
    }
    hub.devices[me].entry.enc_key = body.enc_key;
    Json(hub.devices[me].entry.clone()).into_response()
}

async fn messages(
    AxumState(fake): AxumState<Shared>,
    headers: HeaderMap,
    Json(body): Json<SendRequest>,
) -> Response {
    let mut hub = fake.hub.lock().unwrap();
    let Some(me) = hub.caller(&headers) else {
        return error(StatusCode::UNAUTHORIZED, "unauthorized", "no token");
    };
    hub.sends += 1;
    let sender = (hub.devices[me].handle.clone(), hub.devices[me].device_id.clone());
    let mut expected: BTreeSet<(String, String)> = BTreeSet::new();
    for r in &body.recipients {
        for d in hub.active(r) {
            expected.insert((d.handle.clone(), d.device_id.clone()));
        }
    }
    for d in hub.active(&sender.0) {
        if d.device_id != sender.1 {
            expected.insert((d.handle.clone(), d.device_id.clone()));
        }
    }
    let given: BTreeSet<String> = body.envelopes.iter().map(|e| e.device_id.clone()).collect();
    let to_ref = |(handle, device_id): &(String, String)| DeviceRef {
        handle: E164::parse(handle, None).unwrap(),
        device_id: device_id.clone(),
    };
    let missing: Vec<DeviceRef> =
        expected.iter().filter(|(_, id)| !given.contains(id)).map(to_ref).collect();
    let extra: Vec<DeviceRef> = given
        .iter()
        .filter(|id| !expected.iter().any(|(_, e)| e == *id))
        .map(|id| {
            let handle = hub
                .devices
                .iter()
                .find(|d| d.device_id == *id)
                .map_or_else(|| body.recipients[0].clone(), |d| d.handle.clone());
            to_ref(&(handle, id.clone()))
        })
        .collect();
    if !missing.is_empty() || !extra.is_empty() {
        hub.conflicts += 1;
        for m in &missing {
            if hub.never_shown.contains(&m.device_id) {
                continue;
            }
            if let Some(d) = hub.devices.iter_mut().find(|d| d.device_id == m.device_id) {
                d.hidden = false;
            }
        }
        return (
            StatusCode::CONFLICT,
            Json(json!({"error": {"code": "device_mismatch", "message": "devices differ",
                "devices": {"missing": missing, "extra": extra}}})),
        )
            .into_response();
    }
    let blocked = hub.blocks.contains(&sender.0);
    let mut recipients = Vec::new();
    for r in &body.recipients {
        if r.contains('@') {
            recipients.push(json!({"handle": r, "route": "failed", "reason": "email_unreachable"}));
        } else if hub.active(r).next().is_some() {
            recipients.push(json!({"handle": r, "route": "blue"}));
        } else if body.sms.is_some() {
            recipients.push(json!({"handle": r, "route": "green", "sms_id": "sms-1"}));
        } else {
            recipients.push(json!({"handle": r, "route": "failed", "reason": "no_sms_text"}));
        }
    }
    for e in &body.envelopes {
        if blocked {
            continue;
        }
        hub.next += 1;
        let id = format!("env-{}", hub.next);
        hub.queue.push(Envelope {
            id,
            sender: Some(bubblegate_client::proto::Sender {
                handle: E164::parse(&sender.0, None).unwrap(),
                device_id: sender.1.clone(),
            }),
            recipient_device_id: e.device_id.clone(),
            client_message_id: body.client_message_id.clone(),
            kind: body.kind,
            created_at: body.created_at,
            key_id: e.key_id,
            sealed: e.sealed.clone(),
            signature: e.signature.clone(),
            expires_at: body.created_at + 7 * 24 * 3600 * 1000,
        });
    }
    hub.last_send = Some(body);
    (StatusCode::CREATED, Json(json!({"message_id": "msg-1", "recipients": recipients})))
        .into_response()
}

async fn envelopes(AxumState(fake): AxumState<Shared>, headers: HeaderMap) -> Response {
    let hub = fake.hub.lock().unwrap();
    let Some(me) = hub.caller(&headers) else {
        return error(StatusCode::UNAUTHORIZED, "unauthorized", "no token");
    };
    let mine: Vec<&Envelope> =
        hub.queue.iter().filter(|e| e.recipient_device_id == hub.devices[me].device_id).collect();
    Json(json!({"envelopes": mine})).into_response()
}

fn ack_ids(hub: &mut Hub, me: usize, ids: &[String]) -> u64 {
    let device = hub.devices[me].device_id.clone();
    let before = hub.queue.len();
    hub.queue.retain(|e| !(e.recipient_device_id == device && ids.contains(&e.id)));
    (before - hub.queue.len()) as u64
}

async fn ack(
    AxumState(fake): AxumState<Shared>,
    headers: HeaderMap,
    Json(body): Json<AckRequest>,
) -> Response {
    let mut hub = fake.hub.lock().unwrap();
    let Some(me) = hub.caller(&headers) else {
        return error(StatusCode::UNAUTHORIZED, "unauthorized", "no token");
    };
    let deleted = ack_ids(&mut hub, me, &body.ids);
    Json(json!({"deleted": deleted})).into_response()
}

async fn stream(
    AxumState(fake): AxumState<Shared>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let me = fake.hub.lock().unwrap().caller(&headers);
    let Some(me) = me else {
        return error(StatusCode::UNAUTHORIZED, "unauthorized", "no token");
    };
    upgrade.on_upgrade(move |socket| serve_stream(fake, me, socket))
}

/// Sends the queue, then answers acks; new envelopes are not pushed.
async fn serve_stream(fake: Shared, me: usize, mut socket: WebSocket) {
    let queued: Vec<Envelope> = {
        let hub = fake.hub.lock().unwrap();
        let device = &hub.devices[me].device_id;
        hub.queue.iter().filter(|e| &e.recipient_device_id == device).cloned().collect()
    };
    for envelope in queued {
        let frame = serde_json::to_string(&StreamFrame::Envelope { envelope }).unwrap();
        if socket.send(Message::Text(frame.into())).await.is_err() {
            return;
        }
    }
    while let Some(Ok(message)) = socket.recv().await {
        let Message::Text(text) = message else { continue };
        if let Ok(StreamFrame::Ack { ids }) = serde_json::from_str(text.as_str()) {
            let deleted = ack_ids(&mut fake.hub.lock().unwrap(), me, &ids);
            let frame = serde_json::to_string(&StreamFrame::Acked { deleted }).unwrap();
            let _ = socket.send(Message::Text(frame.into())).await;
        }
    }
}

async fn block(
    AxumState(fake): AxumState<Shared>,
    headers: HeaderMap,
    UrlPath(phone): UrlPath<String>,
) -> Response {
    let mut hub = fake.hub.lock().unwrap();
    if hub.caller(&headers).is_none() {
        return error(StatusCode::UNAUTHORIZED, "unauthorized", "no token");
    }
    hub.blocks.insert(phone);
    StatusCode::NO_CONTENT.into_response()
}

async fn unblock(
    AxumState(fake): AxumState<Shared>,
    headers: HeaderMap,
    UrlPath(phone): UrlPath<String>,
) -> Response {
    let mut hub = fake.hub.lock().unwrap();
    if hub.caller(&headers).is_none() {
        return error(StatusCode::UNAUTHORIZED, "unauthorized", "no token");
    }
    hub.blocks.remove(&phone);
    StatusCode::NO_CONTENT.into_response()
}

async fn blocks(AxumState(fake): AxumState<Shared>, headers: HeaderMap) -> Response {
    let hub = fake.hub.lock().unwrap();
    if hub.caller(&headers).is_none() {
        return error(StatusCode::UNAUTHORIZED, "unauthorized", "no token");
    }
    Json(json!({"blocked": hub.blocks})).into_response()
}

/// A number whose code requests the fake hub rate-limits.
const LIMITED: &str = "+31699999999";

async fn deregister_request(Json(body): Json<CodeRequest>) -> Response {
    if body.phone == LIMITED {
        let mut answer = error(StatusCode::TOO_MANY_REQUESTS, "rate_limited", "too many codes");
        answer.headers_mut().insert("retry-after", axum::http::HeaderValue::from_static("42"));
        return answer;
    }
    (StatusCode::ACCEPTED, Json(json!({"expires_in": 600}))).into_response()
}

async fn deregister_confirm(
    AxumState(fake): AxumState<Shared>,
    Json(body): Json<DeregisterConfirm>,
) -> Response {
    if body.code != CODE {
        return error(StatusCode::BAD_REQUEST, "invalid_request", "`code` is wrong");
    }
    let mut hub = fake.hub.lock().unwrap();
    let mut revoked = 0;
    for d in hub.devices.iter_mut().filter(|d| d.handle == body.phone && !d.revoked) {
        d.revoked = true;
        revoked += 1;
    }
    Json(json!({"revoked_devices": revoked})).into_response()
}

async fn start() -> (String, Shared) {
    let fake = Arc::new(Fake {
        hub: Mutex::new(Hub::default()),
        key: SigningKeyPair::generate().unwrap(),
    });
    let app = Router::new()
        .route("/v1/register/request", post(register_request))
        .route("/v1/register/verify", post(register_verify))
        .route("/v1/directory/{phone}", get(directory))
        .route("/v1/devices/me/keys", put(rotate))
        .route("/v1/messages", post(messages))
        .route("/v1/envelopes", get(envelopes))
        .route("/v1/envelopes/ack", post(ack))
        .route("/v1/stream", get(stream))
        .route("/v1/blocks/{phone}", put(block).delete(unblock))
        .route("/v1/blocks", get(blocks))
        .route("/v1/deregister/request", post(deregister_request))
        .route("/v1/deregister/confirm", post(deregister_confirm))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, fake)
}

const ALICE: &str = "+31612345678";
const BOB: &str = "+31687654321";
const CAROL: &str = "+4915112345678";

async fn device(dir: &Path, name: &str, url: &str, phone: &str) -> Device {
    let path = dir.join(format!("{name}.json"));
    let mut device = Device::open(&path, Some(url), Duration::from_secs(5)).unwrap();
    device.register(phone).await.unwrap();
    assert_eq!(device.state().pending.as_ref().unwrap().phone, phone);
    device.verify(CODE, name).await.unwrap();
    device
}

fn text(body: &str) -> Content {
    Content::text(body)
}

fn bodies(incoming: &[Incoming]) -> Vec<String> {
    incoming
        .iter()
        .map(|i| match i {
            Incoming::Received(r) => match &r.content {
                Content::Text { body, .. } => body.clone(),
                other => format!("{other:?}"),
            },
            Incoming::Rejected(r) => format!("rejected {}", r.reason.code()),
        })
        .collect()
}

fn ids(incoming: &[Incoming]) -> Vec<String> {
    incoming.iter().map(|i| i.meta().id.clone()).collect()
}

#[tokio::test]
async fn register_send_fetch_ack_and_replay_after_a_restart() {
    let (url, fake) = start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut alice = device(dir.path(), "alice", &url, ALICE).await;
    let mut alice2 = device(dir.path(), "alice2", &url, ALICE).await;
    let mut bob = device(dir.path(), "bob", &url, BOB).await;
    assert!(alice.state().pending.is_none());
    assert_eq!(alice.registration().unwrap().current_key_id, 1);

    // Blue to bob, a sent copy to alice's other device, green to carol
    // with the body as SMS text (carol has no device).
    let report = alice
        .send_with(
            &[BOB.into(), CAROL.into()],
            &text("see you at 8"),
            None,
            SmsChoice::Auto { fallback: false },
        )
        .await
        .unwrap();
    assert_eq!(report.envelopes, 2);
    assert_eq!(report.sms, Some(SmsPart { text: "see you at 8".into(), fallback: false }));
    let routes: Vec<(String, String)> = report
        .answer
        .recipients
        .iter()
        .map(|r| (r.handle.clone(), serde_json::to_value(r.route).unwrap().to_string()))
        .collect();
    assert_eq!(routes, [(BOB.into(), "\"blue\"".into()), (CAROL.into(), "\"green\"".into())]);

    let got = bob.fetch(None).await.unwrap();
    assert_eq!(bodies(&got), ["see you at 8"]);
    let Incoming::Received(r) = &got[0] else { unreachable!() };
    assert_eq!(r.meta.sender.as_ref().unwrap().handle.as_str(), ALICE);
    assert_eq!(r.meta.client_message_id, report.client_message_id);
    assert_eq!(bodies(&alice2.fetch(None).await.unwrap()), ["see you at 8"]);

    // Fetched again before the ack: the same envelopes, not replays.
    assert_eq!(bodies(&bob.fetch(None).await.unwrap()), ["see you at 8"]);
    assert_eq!(bob.ack(&ids(&got)).await.unwrap(), 1);
    assert!(bob.fetch(None).await.unwrap().is_empty());

    // The hub delivers a copy again under a new id, and bob has restarted
    // since: the replay set came from the state file. The replay is
    // rejected and acked, so it does not come back.
    let replayed = {
        let mut hub = fake.hub.lock().unwrap();
        let Incoming::Received(r) = &got[0] else { unreachable!() };
        let original = hub
            .last_send
            .as_ref()
            .unwrap()
            .envelopes
            .iter()
            .find(|e| e.device_id == r.meta.recipient_device_id)
            .unwrap()
            .clone();
        let copy = Envelope {
            id: "env-replayed".into(),
            sender: r.meta.sender.clone(),
            recipient_device_id: r.meta.recipient_device_id.clone(),
            client_message_id: r.meta.client_message_id.clone(),
            kind: r.meta.kind,
            created_at: r.meta.created_at,
            key_id: r.meta.key_id,
            sealed: original.sealed,
            signature: original.signature,
            expires_at: r.meta.expires_at,
        };
        hub.queue.push(copy.clone());
        copy
    };
    let bob_path = bob.state_path().to_owned();
    drop(bob);
    let mut bob = Device::open(&bob_path, None, Duration::from_secs(5)).unwrap();
    let got = bob.fetch(None).await.unwrap();
    assert_eq!(bodies(&got), ["rejected replay"]);
    assert_eq!(got[0].meta().id, replayed.id);
    assert!(bob.fetch(None).await.unwrap().is_empty(), "the rejected envelope was acked");
    assert_eq!(bob.state().replay.len(), 1);
}

#[tokio::test]
async fn a_device_mismatch_is_resolved_by_looking_up_again() {
    let (url, fake) = start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut alice = device(dir.path(), "alice", &url, ALICE).await;
    let mut bob = device(dir.path(), "bob", &url, BOB).await;
    let mut bob2 = device(dir.path(), "bob2", &url, BOB).await;
    // The directory does not show bob2 yet; the send does expect it.
    fake.hub.lock().unwrap().devices.iter_mut().for_each(|d| {
        if d.device_id == bob2.registration().unwrap().device_id {
            d.hidden = true;
        }
    });
    let report = alice.send(&[BOB.into()], text("hi both"), None, None).await.unwrap();
    assert_eq!(report.attempts, 2);
    assert_eq!(report.envelopes, 2);
    assert_eq!(report.sms, None);
    assert_eq!(fake.hub.lock().unwrap().conflicts, 1);
    assert_eq!(bodies(&bob.fetch(None).await.unwrap()), ["hi both"]);
    assert_eq!(bodies(&bob2.fetch(None).await.unwrap()), ["hi both"]);

    // A mismatch that never resolves (a device the directory never
    // shows) gives up after a bounded number of attempts, with a typed
    // error.
    {
        let mut hub = fake.hub.lock().unwrap();
        hub.devices.push(FakeDevice {
            handle: BOB.into(),
            device_id: "ghost".into(),
            token: "ghost-token".into(),
            entry: DirectoryDevice {
                device_id: "ghost".into(),
                enc_key: EncKeyPair::generate(1).public().clone(),
                sign_key: SigningKeyPair::generate().unwrap().public(),
            },
            hidden: true,
            revoked: false,
        });
        hub.never_shown.insert("ghost".into());
    }
    let before = fake.hub.lock().unwrap().sends;
    let err = alice.send(&[BOB.into()], text("again"), None, None).await;
    let sends = fake.hub.lock().unwrap().sends - before;
    match err {
        Err(DeviceError::DeviceMismatch { attempts, devices }) => {
            assert_eq!(attempts, bubblegate_client::SEND_ATTEMPTS);
            assert_eq!(devices.missing.len(), 1);
        }
        other => panic!("expected a device mismatch, got {other:?}"),
    }
    assert_eq!(sends, bubblegate_client::SEND_ATTEMPTS);
}

#[tokio::test]
async fn no_green_and_fallback_choose_the_sms_part() {
    let (url, fake) = start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut alice = device(dir.path(), "alice", &url, ALICE).await;
    let _bob = device(dir.path(), "bob", &url, BOB).await;
    // All blue and no fallback: no plaintext leaves the device.
    let r = alice
        .send_with(&[BOB.into()], &text("x"), None, SmsChoice::Auto { fallback: false })
        .await
        .unwrap();
    assert_eq!(r.sms, None);
    // Fallback: the body goes along, kept for blue recipients.
    let r = alice
        .send_with(&[BOB.into()], &text("y"), None, SmsChoice::Auto { fallback: true })
        .await
        .unwrap();
    assert_eq!(r.sms, Some(SmsPart { text: "y".into(), fallback: true }));
    // Never: a green recipient fails.
    let r = alice.send_with(&[CAROL.into()], &text("z"), None, SmsChoice::Never).await.unwrap();
    assert_eq!(r.answer.recipients[0].reason.as_deref(), Some("no_sms_text"));
    assert!(fake.hub.lock().unwrap().last_send.as_ref().unwrap().sms.is_none());
}

#[tokio::test]
async fn listening_receives_acks_and_rejects() {
    let (url, fake) = start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut alice = device(dir.path(), "alice", &url, ALICE).await;
    let mut bob = device(dir.path(), "bob", &url, BOB).await;
    alice.send(&[BOB.into()], text("one"), None, None).await.unwrap();
    alice.send(&[BOB.into()], text("two"), None, None).await.unwrap();
    // A forged envelope: another message id under alice's signature.
    {
        let mut hub = fake.hub.lock().unwrap();
        let mut forged = hub.queue.last().unwrap().clone();
        forged.id = "env-forged".into();
        forged.client_message_id = "forged".into();
        hub.queue.push(forged);
    }
    let mut listener = bob.listen().await.unwrap();
    let mut seen = Vec::new();
    for _ in 0..3 {
        let incoming = tokio::time::timeout(Duration::from_secs(5), listener.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        if let Incoming::Received(r) = &incoming {
            listener.ack(std::slice::from_ref(&r.meta.id)).await.unwrap();
        }
        seen.push(incoming);
    }
    listener.close().await;
    assert_eq!(bodies(&seen), ["one", "two", "rejected bad_signature"]);
    // Every envelope was acked, the forged one by the client itself.
    for _ in 0..50 {
        if fake.hub.lock().unwrap().queue.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(fake.hub.lock().unwrap().queue.is_empty());
    assert_eq!(bob.state().replay.len(), 2);
}

#[tokio::test]
async fn rotation_keeps_old_envelopes_readable() {
    let (url, _fake) = start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut alice = device(dir.path(), "alice", &url, ALICE).await;
    let mut bob = device(dir.path(), "bob", &url, BOB).await;
    alice.send(&[BOB.into()], text("to key 1"), None, None).await.unwrap();
    let public = bob.rotate_keys().await.unwrap();
    assert_eq!(public.key_id, 2);
    let state = bob.state();
    assert_eq!(state.registration.as_ref().unwrap().current_key_id, 2);
    assert_eq!(state.enc_keys.len(), 2);
    assert!(state.enc_keys[0].retired_at.is_some());
    assert!(state.enc_keys[1].retired_at.is_none());
    alice.send(&[BOB.into()], text("to key 2"), None, None).await.unwrap();
    let got = bob.fetch(None).await.unwrap();
    assert_eq!(bodies(&got), ["to key 1", "to key 2"]);
    assert_eq!(got.iter().map(|i| i.meta().key_id).collect::<Vec<_>>(), [1, 2]);
    // And again from a fresh process.
    let path = bob.state_path().to_owned();
    drop(bob);
    let mut bob = Device::open(&path, None, Duration::from_secs(5)).unwrap();
    assert_eq!(bodies(&bob.fetch(None).await.unwrap()), ["to key 1", "to key 2"]);
}

#[tokio::test]
async fn blocks_deregistration_and_errors() {
    let (url, _fake) = start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut alice = device(dir.path(), "alice", &url, ALICE).await;
    alice.block(BOB).await.unwrap();
    alice.block(CAROL).await.unwrap();
    alice.unblock(CAROL).await.unwrap();
    let blocked: Vec<String> =
        alice.blocks().await.unwrap().iter().map(|n| n.to_string()).collect();
    assert_eq!(blocked, [BOB]);

    // Registering twice into one state file is refused locally.
    assert!(matches!(alice.register(ALICE).await, Err(DeviceError::AlreadyRegistered { .. })));
    // Another hub for a registered device is refused.
    let path = alice.state_path().to_owned();
    assert!(matches!(
        Device::open(&path, Some("http://127.0.0.1:1"), Duration::from_secs(1)),
        Err(DeviceError::HubMismatch { .. })
    ));
    // A wrong code is the hub's refusal, with its code.
    let mut dave =
        Device::open(&dir.path().join("dave.json"), Some(&url), Duration::from_secs(5)).unwrap();
    assert!(matches!(dave.verify(CODE, "x").await, Err(DeviceError::NoPendingRegistration { .. })));
    dave.register("+31611111111").await.unwrap();
    let err = dave.verify("000000", "x").await.unwrap_err();
    assert_eq!(err.hub_code(), Some("invalid_request"));
    assert!(dave.state().pending.is_some(), "a failed verify keeps the pending registration");

    // A rate limit says when to try again.
    let limited = alice.deregister_request(LIMITED).await.unwrap_err();
    assert!(
        matches!(limited, DeviceError::RateLimited { retry_after: Some(42), .. }),
        "{limited:?}"
    );
    assert!(limited.to_string().contains("try again in 42 s"), "{limited}");

    assert_eq!(alice.deregister_request(ALICE).await.unwrap(), Some(600));
    let done = alice.deregister_confirm(ALICE, CODE).await.unwrap();
    assert_eq!(done.revoked_devices, 1);
    assert!(alice.state().registration.is_none());
    assert!(alice.state().enc_keys.is_empty());
    assert!(matches!(alice.blocks().await, Err(DeviceError::NotRegistered { .. })));
}

#[tokio::test]
async fn an_unreachable_hub_is_a_transport_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut device = Device::open(
        &dir.path().join("d.json"),
        Some("http://127.0.0.1:1"),
        Duration::from_secs(2),
    )
    .unwrap();
    let err = device.register(ALICE).await.unwrap_err();
    assert!(err.is_transport(), "{err}");
    assert!(!dir.path().join("d.json").exists(), "nothing is written when the request fails");
    let err =
        Device::open(&dir.path().join("none.json"), None, Duration::from_secs(1)).unwrap_err();
    assert!(matches!(err, DeviceError::NoHub));
}
