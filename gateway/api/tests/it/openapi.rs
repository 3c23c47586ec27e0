//! `schemas/openapi.json` agrees with the code:
//!
//! - its paths and methods are exactly the route tables' (the API's and the
//!   encrypted network hub's), with the same security (the admin token on
//!   the gateway's routes but `/healthz`, a device token on the hub's
//!   device routes, none on its public ones);
//! - every example request and response deserializes into the type the
//!   route takes or answers, and error examples into the error shape;
//! - every object schema lists exactly the fields the Rust type writes,
//!   and every enum schema exactly its spellings.

use std::collections::{BTreeMap, BTreeSet};

use bubblegate_api::routes::{Access, Endpoint, Verb, ROUTES};
use bubblegate_api::*;
use bubblegate_hub::routes::{HubEndpoint, ROUTES as HUB_ROUTES};
use bubblegate_proto::wire;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::support::*;

fn document() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas/openapi.json");
    let text = std::fs::read_to_string(path).expect("schemas/openapi.json exists");
    serde_json::from_str(&text).expect("schemas/openapi.json is JSON")
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

#[test]
fn paths_and_methods_match_the_route_table() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys().filter(|k| METHODS.contains(&k.as_str())) {
            documented.insert((path.clone(), method.clone()));
        }
    }
    let rows: Vec<(Verb, &str, Access)> = ROUTES
        .iter()
        .map(|r| (r.verb, r.path, r.access))
        .chain(HUB_ROUTES.iter().map(|r| (r.verb, r.path, r.access)))
        .collect();
    let served: BTreeSet<_> =
        rows.iter().map(|(verb, path, _)| ((*path).to_owned(), verb.name().to_owned())).collect();
    assert_eq!(served.len(), rows.len(), "no route is in both tables");
    assert_eq!(documented, served, "the document's operations are the route tables'");

    for (verb, path, access) in rows {
        let op = &doc["paths"][path][verb.name()];
        let security = op["security"].as_array().expect("every operation states its security");
        match access {
            Access::Admin => assert_eq!(security, &vec![json!({"adminToken": []})], "{path}"),
            Access::Device => assert_eq!(security, &vec![json!({"deviceToken": []})], "{path}"),
            Access::Public => assert!(security.is_empty(), "{path}"),
        }
        if access != Access::Public {
            assert!(op["responses"]["401"].is_object(), "{path} documents 401");
        }
        for param in path.split('/').filter_map(|s| s.strip_prefix('{')?.strip_suffix('}')) {
            let params = op["parameters"].as_array().unwrap();
            assert!(
                params.iter().any(|p| p["name"] == param && p["in"] == "path"),
                "{path} documents its path parameter {param}"
            );
        }
    }
}

/// The router serves exactly the table: each row answers its method (not
/// 404 or 405), and the other method on the same path is refused with 405.
#[tokio::test]
async fn the_router_serves_the_route_table() {
    use axum::http::{Method, StatusCode};
    let app = app(&FakeGateway::new());
    for route in ROUTES {
        let path = route.path.replace("{id}", "msg-0001");
        let method = route.verb.method();
        let other = if method == Method::GET { Method::POST } else { Method::GET };
        let body = (method == Method::POST).then(|| json!({"to": "+447911123456", "text": "x"}));
        let answer = call(&app, method, &path, Some(TOKEN), body).await;
        assert!(
            answer.status != StatusCode::NOT_FOUND
                && answer.status != StatusCode::METHOD_NOT_ALLOWED,
            "{} answers {}",
            route.path,
            answer.status
        );
        let served_twice = ROUTES.iter().any(|r| r.path == route.path && r.verb != route.verb);
        if !served_twice {
            let answer = call(&app, other, &path, Some(TOKEN), None).await;
            assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED, "{}", route.path);
        }
    }
}

/// Every example of a media type object: `example` and `examples.*.value`.
fn examples(media: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(example) = media.get("example") {
        out.push(example.clone());
    }
    if let Some(map) = media.get("examples").and_then(Value::as_object) {
        out.extend(map.values().map(|e| e["value"].clone()));
    }
    out
}

fn parses_as<T: DeserializeOwned + serde::Serialize>(value: &Value, what: &str) {
    let parsed: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{what}: example does not parse: {e}\n{value}"));
    // And nothing in the example is dropped on the way.
    let again = serde_json::to_value(&parsed).unwrap();
    let mut want = value.clone();
    strip_nulls(&mut want);
    let mut got = again;
    strip_nulls(&mut got);
    assert_eq!(got, want, "{what}: the example has fields the type ignores");
}

/// Absent and `null` mean the same to the optional request fields.
fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

fn check_answer(endpoint: Endpoint, is_error: bool, value: &Value, what: &str) {
    if is_error {
        return parses_as::<ErrorBodyProbe>(value, what);
    }
    match endpoint {
        Endpoint::SubmitSms => parses_as::<Submitted>(value, what),
        Endpoint::GetSms => parses_as::<MessageView>(value, what),
        Endpoint::Inbox => parses_as::<InboxPage>(value, what),
        Endpoint::Modems => parses_as::<Vec<ModemView>>(value, what),
        Endpoint::Events => parses_as::<GatewayEvent>(value, what),
        Endpoint::Health => parses_as::<Health>(value, what),
        Endpoint::Metrics => panic!("{what}: metrics are text, with no JSON example"),
    }
}

/// The error shape, as the crate writes it.
type ErrorBodyProbe = bubblegate_api::ErrorBody;

fn check_hub_request(endpoint: HubEndpoint, value: &Value, what: &str) {
    match endpoint {
        HubEndpoint::RegisterRequest | HubEndpoint::DeregisterRequest => {
            parses_as::<wire::CodeRequest>(value, what)
        }
        HubEndpoint::RegisterVerify => parses_as::<wire::VerifyRequest>(value, what),
        HubEndpoint::DeregisterConfirm => parses_as::<wire::DeregisterConfirm>(value, what),
        HubEndpoint::RotateKeys => parses_as::<wire::RotateKeys>(value, what),
        HubEndpoint::Send => parses_as::<wire::SendRequest>(value, what),
        HubEndpoint::Ack => parses_as::<wire::AckRequest>(value, what),
        other => panic!("{what}: {other:?} takes no body"),
    }
}

fn check_hub_answer(endpoint: HubEndpoint, is_error: bool, value: &Value, what: &str) {
    if is_error {
        return parses_as::<ErrorBodyProbe>(value, what);
    }
    match endpoint {
        HubEndpoint::RegisterRequest | HubEndpoint::DeregisterRequest => {
            parses_as::<wire::CodeSent>(value, what)
        }
        HubEndpoint::RegisterVerify => parses_as::<wire::Registered>(value, what),
        HubEndpoint::DeregisterConfirm => parses_as::<wire::Deregistered>(value, what),
        HubEndpoint::Directory => parses_as::<wire::DirectoryEntry>(value, what),
        HubEndpoint::RotateKeys => parses_as::<wire::DirectoryDevice>(value, what),
        HubEndpoint::Me => parses_as::<wire::DeviceInfo>(value, what),
        HubEndpoint::Send => parses_as::<wire::SendAnswer>(value, what),
        HubEndpoint::Envelopes => parses_as::<wire::EnvelopeList>(value, what),
        HubEndpoint::Ack => parses_as::<wire::AckAnswer>(value, what),
        HubEndpoint::Stream => parses_as::<wire::StreamFrame>(value, what),
        HubEndpoint::Blocks => parses_as::<wire::BlockList>(value, what),
        HubEndpoint::Block | HubEndpoint::Unblock | HubEndpoint::DeregisterPage => {
            panic!("{what}: no JSON answer is expected")
        }
    }
}

/// The hub's routes: every JSON example parses into the wire type of
/// `bubblegate-proto` that the hub takes or answers.
#[test]
fn hub_examples_deserialize_into_the_wire_types() {
    let doc = document();
    let mut checked = 0;
    for route in HUB_ROUTES {
        let op = &doc["paths"][route.path][route.verb.name()];
        if let Some(media) = op["requestBody"]["content"].get("application/json") {
            for example in examples(media) {
                check_hub_request(route.endpoint, &example, route.path);
                checked += 1;
            }
        }
        for (status, response) in op["responses"].as_object().unwrap() {
            if let Some(media) = response["content"].get("application/json") {
                let is_error = media["schema"]["$ref"] == "#/components/schemas/Error";
                let success = status.starts_with('2') || status == "101";
                assert_eq!(
                    is_error, !success,
                    "{} {status}: errors and only errors use Error",
                    route.path
                );
                if status == "429" {
                    assert!(response["headers"]["Retry-After"].is_object(), "{} 429", route.path);
                }
                for example in examples(media) {
                    let what = format!("{} {status}", route.path);
                    check_hub_answer(route.endpoint, is_error, &example, &what);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 40, "only {checked} examples checked");
}

#[test]
fn examples_deserialize_into_the_types() {
    let doc = document();
    let mut checked = 0;
    for route in ROUTES {
        let op = &doc["paths"][route.path][route.verb.name()];
        if let Some(media) = op["requestBody"]["content"].get("application/json") {
            for example in examples(media) {
                assert_eq!(route.endpoint, Endpoint::SubmitSms, "only POST /v1/sms takes a body");
                parses_as::<SmsRequest>(&example, route.path);
                checked += 1;
            }
        }
        for (status, response) in op["responses"].as_object().unwrap() {
            if let Some(media) = response["content"].get("application/json") {
                let is_error = media["schema"]["$ref"] == "#/components/schemas/Error";
                let success = status.starts_with('2') || status == "101";
                // Every failure answers in the error shape, except the
                // health check, whose 503 carries the health report.
                if !success && route.endpoint != Endpoint::Health {
                    assert!(is_error, "{} {status} must use the Error schema", route.path);
                }
                for example in examples(media) {
                    check_answer(
                        route.endpoint,
                        is_error,
                        &example,
                        &format!("{} {status}", route.path),
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 20, "only {checked} examples checked");
}

/// A sample of every schema'd type with every optional field set, so the
/// serialized keys are all the fields.
fn samples() -> BTreeMap<&'static str, Value> {
    let full_request = SmsRequest {
        to: "+447911123456".into(),
        text: "t".into(),
        idempotency_key: Some("k".into()),
        validity: Some(60),
        priority: Some(1),
        delivery_report: Some(true),
        send_after: Some(at(0)),
    };
    let view = MessageView {
        id: "m".into(),
        to: "+447911123456".into(),
        text: "t".into(),
        status: MessageStatus::Queued,
        priority: 0,
        delivery_report: true,
        sim: None,
        created_at: at(0),
        updated_at: at(0),
        send_after: None,
        expires_at: None,
        parts: vec![],
        history: vec![],
    };
    let part = PartView {
        seq: 1,
        state: PartState::Failed,
        attempts: 1,
        modem: None,
        reference: None,
        error: None,
        submitted_at: None,
        delivered_at: None,
    };
    let error = PartError { code: "cms-38".into(), class: "temporary".into() };
    let entry =
        HistoryEntry { part: None, from: None, to: "queued".into(), at: at(0), detail: None };
    let m = modem();
    let err = ApiError::invalid("to", "x")
        .with_extra("devices", json!({"missing": [], "extra": []}))
        .body();
    let v = |x: &dyn erased::Ser| x.value();
    let mut map = BTreeMap::from([
        ("SmsRequest", v(&full_request)),
        (
            "Submitted",
            v(&Submitted {
                id: "m".into(),
                created: true,
                status: MessageStatus::Queued,
                parts: 1,
            }),
        ),
        ("MessageView", v(&view)),
        ("PartView", v(&part)),
        ("PartError", v(&error)),
        ("HistoryEntry", v(&entry)),
        ("InboxMessage", v(&inbox_message(1))),
        ("InboxPage", v(&InboxPage { messages: vec![], next_cursor: None })),
        ("ModemView", v(&m)),
        ("Signal", v(m.signal.as_ref().unwrap())),
        ("SimView", v(m.sim.as_ref().unwrap())),
        ("QuotaView", v(m.quota.as_ref().unwrap())),
        (
            "Health",
            v(&Health {
                status: HealthStatus::Ok,
                modems_ready: 0,
                modems_total: 0,
                queued: 0,
                detail: None,
            }),
        ),
        ("Error", v(&err)),
        (
            "MessageStatusEvent",
            v(&GatewayEvent::MessageStatus {
                id: "m".into(),
                status: MessageStatus::Queued,
                part: None,
                part_state: None,
                at: at(0),
            }),
        ),
        ("InboundEvent", v(&GatewayEvent::Inbound { message: inbox_message(1) })),
        (
            "ModemStateEvent",
            v(&GatewayEvent::ModemState { modem: "m".into(), state: ModemState::Ready, at: at(0) }),
        ),
        ("LaggedEvent", v(&GatewayEvent::Lagged { missed: 1 })),
    ]);
    map.extend(hub_samples());
    map
}

/// The hub's wire types, every optional field set.
fn hub_samples() -> Vec<(&'static str, Value)> {
    use bubblegate_proto::{EncKeyPair, GroupInfo, Kind, Sender, SigningKeyPair, E164};
    let v = |x: &dyn erased::Ser| x.value();
    let handle = E164::parse("+31612345678", None).unwrap();
    let enc_key = EncKeyPair::generate(1).public().clone();
    let sign_key = SigningKeyPair::generate().unwrap().public();
    let device =
        wire::DirectoryDevice { device_id: "d".into(), enc_key: enc_key.clone(), sign_key };
    let new_device = wire::NewDevice { name: "n".into(), enc_key: enc_key.clone(), sign_key };
    let out =
        wire::OutEnvelope { device_id: "d".into(), key_id: 1, sealed: vec![1], signature: vec![2] };
    let sms = wire::SmsPart { text: "t".into(), fallback: true };
    let group =
        GroupInfo { id: "g".into(), name: "n".into(), members: vec!["+31612345678".into()] };
    let outcome = wire::RecipientOutcome {
        handle: "+31612345678".into(),
        route: wire::Route::Green,
        sms_id: Some("s".into()),
        reason: Some("policy".into()),
    };
    let device_ref = wire::DeviceRef { handle: handle.clone(), device_id: "d".into() };
    let sender = Sender { handle: handle.clone(), device_id: "d".into() };
    let envelope = wire::Envelope {
        id: "e".into(),
        sender: Some(sender.clone()),
        recipient_device_id: "d".into(),
        client_message_id: "m".into(),
        kind: Kind::Text,
        created_at: 1,
        key_id: 1,
        sealed: vec![1],
        signature: vec![2],
        expires_at: 2,
    };
    vec![
        ("CodeRequest", v(&wire::CodeRequest { phone: "p".into() })),
        ("CodeSent", v(&wire::CodeSent { expires_in: 600 })),
        ("EncPublicKey", v(&enc_key)),
        ("NewDevice", v(&new_device)),
        (
            "VerifyRequest",
            v(&wire::VerifyRequest {
                phone: "p".into(),
                code: "c".into(),
                device: new_device.clone(),
            }),
        ),
        (
            "Registered",
            v(&wire::Registered {
                device_id: "d".into(),
                handle: handle.clone(),
                token: "t".into(),
                hub_key: sign_key,
            }),
        ),
        ("DeregisterConfirm", v(&wire::DeregisterConfirm { phone: "p".into(), code: "c".into() })),
        ("Deregistered", v(&wire::Deregistered { revoked_devices: 1 })),
        ("DirectoryDevice", v(&device)),
        (
            "DirectoryEntry",
            v(&wire::DirectoryEntry { handle: handle.clone(), devices: vec![device.clone()] }),
        ),
        ("RotateKeys", v(&wire::RotateKeys { enc_key: enc_key.clone() })),
        (
            "DeviceInfo",
            v(&wire::DeviceInfo {
                device_id: "d".into(),
                handle: handle.clone(),
                name: "n".into(),
                enc_key,
                sign_key,
            }),
        ),
        ("OutEnvelope", v(&out)),
        ("SmsPart", v(&sms)),
        ("GroupInfo", v(&group)),
        (
            "SendRequest",
            v(&wire::SendRequest {
                client_message_id: "m".into(),
                kind: Kind::Text,
                recipients: vec!["+31612345678".into()],
                group: Some(group.clone()),
                created_at: 1,
                envelopes: vec![out],
                sms: Some(sms),
            }),
        ),
        ("RecipientOutcome", v(&outcome)),
        (
            "SendAnswer",
            v(&wire::SendAnswer { message_id: "m".into(), recipients: vec![outcome.clone()] }),
        ),
        ("DeviceRef", v(&device_ref)),
        (
            "DeviceMismatch",
            v(&wire::DeviceMismatch { missing: vec![device_ref.clone()], extra: vec![] }),
        ),
        ("Sender", v(&sender)),
        ("Envelope", v(&envelope)),
        ("EnvelopeList", v(&wire::EnvelopeList { envelopes: vec![envelope.clone()] })),
        ("AckRequest", v(&wire::AckRequest { ids: vec!["e".into()] })),
        ("AckAnswer", v(&wire::AckAnswer { deleted: 1 })),
        ("BlockList", v(&wire::BlockList { blocked: vec![handle] })),
        ("EnvelopeFrame", v(&wire::StreamFrame::Envelope { envelope })),
        ("AckFrame", v(&wire::StreamFrame::Ack { ids: vec!["e".into()] })),
        ("AckedFrame", v(&wire::StreamFrame::Acked { deleted: 1 })),
    ]
}

/// Object-safe serialization for the sample table.
mod erased {
    pub trait Ser {
        fn value(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Ser for T {
        fn value(&self) -> serde_json::Value {
            serde_json::to_value(self).unwrap()
        }
    }
}

#[test]
fn object_schemas_list_exactly_the_serialized_fields() {
    let doc = document();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let samples = samples();
    for (name, sample) in &samples {
        let schema = schemas.get(*name).unwrap_or_else(|| panic!("no schema {name}"));
        let props: BTreeSet<&String> = schema["properties"].as_object().unwrap().keys().collect();
        let keys: BTreeSet<&String> = sample.as_object().unwrap().keys().collect();
        assert_eq!(props, keys, "schema {name} vs its Rust type");
        let required: BTreeSet<&str> =
            schema["required"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
        assert!(required.iter().all(|r| keys.iter().any(|k| k.as_str() == *r)), "{name}");
    }
    // The error body's inner object.
    let inner: BTreeSet<&String> =
        schemas["Error"]["properties"]["error"]["properties"].as_object().unwrap().keys().collect();
    let keys: BTreeSet<&String> = samples["Error"]["error"].as_object().unwrap().keys().collect();
    assert_eq!(inner, keys);
    // Every object schema is covered by a sample.
    for (name, schema) in schemas {
        if schema["type"] == "object" {
            assert!(
                samples.contains_key(name.as_str()),
                "schema {name} has no sample in this test"
            );
        }
    }
}

fn spellings<T: serde::Serialize>(values: &[T]) -> BTreeSet<String> {
    values.iter().map(|v| serde_json::to_value(v).unwrap().as_str().unwrap().to_owned()).collect()
}

#[test]
fn enum_schemas_list_exactly_the_spellings() {
    use ErrorCode as E;
    let doc = document();
    let schemas = &doc["components"]["schemas"];
    let cases = [
        (
            "MessageStatus",
            spellings(&[
                MessageStatus::Queued,
                MessageStatus::Sending,
                MessageStatus::Submitted,
                MessageStatus::PartiallyDelivered,
                MessageStatus::Delivered,
                MessageStatus::Failed,
                MessageStatus::Expired,
            ]),
        ),
        (
            "PartState",
            spellings(&[
                PartState::Queued,
                PartState::Submitting,
                PartState::Submitted,
                PartState::Delivered,
                PartState::Failed,
                PartState::Expired,
            ]),
        ),
        (
            "ModemState",
            spellings(&[
                ModemState::Probing,
                ModemState::Initializing,
                ModemState::SimWait,
                ModemState::Registering,
                ModemState::Ready,
                ModemState::Failed,
                ModemState::Disconnected,
            ]),
        ),
        (
            "Registration",
            spellings(&[
                Registration::NotRegistered,
                Registration::Home,
                Registration::Searching,
                Registration::Denied,
                Registration::Unknown,
                Registration::Roaming,
            ]),
        ),
        (
            "HealthStatus",
            spellings(&[HealthStatus::Ok, HealthStatus::Degraded, HealthStatus::Down]),
        ),
        (
            "Kind",
            spellings(&[
                bubblegate_proto::Kind::Text,
                bubblegate_proto::Kind::Reaction,
                bubblegate_proto::Kind::Edit,
                bubblegate_proto::Kind::Unsend,
                bubblegate_proto::Kind::Delivered,
                bubblegate_proto::Kind::Read,
                bubblegate_proto::Kind::Delete,
                bubblegate_proto::Kind::Sms,
                bubblegate_proto::Kind::DeviceAdded,
                bubblegate_proto::Kind::Status,
            ]),
        ),
        (
            "Route",
            spellings(&[
                wire::Route::Blue,
                wire::Route::Green,
                wire::Route::Suppressed,
                wire::Route::Failed,
            ]),
        ),
        (
            "ErrorCode",
            spellings(&[
                E::InvalidRequest,
                E::InvalidJson,
                E::Unauthorized,
                E::NotFound,
                E::MethodNotAllowed,
                E::Conflict,
                E::PayloadTooLarge,
                E::UnsupportedMediaType,
                E::RateLimited,
                E::Unavailable,
                E::Internal,
            ]),
        ),
    ];
    for (name, want) in cases {
        let got: BTreeSet<String> = schemas[name]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} is an enum schema"))
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(got, want, "enum {name}");
    }
    // MessageStatus::name agrees with serde.
    for s in [MessageStatus::Queued, MessageStatus::PartiallyDelivered, MessageStatus::Expired] {
        assert_eq!(serde_json::to_value(s).unwrap(), s.name());
    }
}

#[test]
fn event_discriminator_covers_every_event_type() {
    let doc = document();
    let mapping = doc["components"]["schemas"]["GatewayEvent"]["discriminator"]["mapping"]
        .as_object()
        .unwrap();
    let kinds: BTreeSet<&str> = samples()
        .iter()
        .filter(|(name, _)| name.ends_with("Event"))
        .map(|(_, v)| match v["type"].as_str().unwrap() {
            "message_status" => "message_status",
            "inbound" => "inbound",
            "modem_state" => "modem_state",
            "lagged" => "lagged",
            other => panic!("unknown event type {other}"),
        })
        .collect();
    let documented: BTreeSet<&str> = mapping.keys().map(String::as_str).collect();
    assert_eq!(documented, kinds);
}
