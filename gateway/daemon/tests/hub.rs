//! The daemon with the encrypted network's hub on, in process, on
//! 127.0.0.1 and SQLite:
//!
//! - without modems (SMS stay queued): the hub's key file is made
//!   owner-only, its routes are served beside the admin API without the
//!   admin token, and its verification codes go through the gateway's own
//!   submit path, so the destination policy refuses what it refuses for
//!   `POST /v1/sms` and the code lands in the outbox, first in line;
//! - with a simulated modem that is an owned SIM: an SMS it receives is
//!   committed by the inbox and handed to the hub, which seals it to the
//!   owner's device;
//! - across a crash between the inbox's commit and the hand-off: an SMS
//!   stored pending while the daemon is down (as a kill -9 right after the
//!   commit leaves it) is handed to the hub at the next start, and every
//!   device of the owner gets it exactly once, however often the daemon
//!   starts again.

use std::net::SocketAddr;
use std::os::unix::fs::PermissionsExt;
use std::sync::Arc;
use std::time::Duration;

use bubblegate_api::client::{Client, Method};
use bubblegate_api::GatewayEvent;
use bubblegate_daemon::config::{
    ApiSettings, Config, Country, InboxSettings, ModemSettings, NetworkSettings, OutboxSettings,
    PolicySettings, Secret,
};
use bubblegate_daemon::service::serve_with;
use bubblegate_daemon::{CancellationToken, ManualClock, ServeOptions};
use bubblegate_hub::HubConfig;
use bubblegate_profiles::ProfileSet;
use bubblegate_store::{NodeId, StoreConfig};
use serde_json::json;

const TOKEN: &str = "hub-test-admin-token-0123";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hub_sends_codes_through_the_gateway_policy() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("state/hub.key");
    let mut config = config(&dir.path().join("bubblegate.db"), Vec::new(), HubConfig::default());
    config.policy.allowed_countries = Some(vec![Country::Code(31)]);
    config.network.as_mut().unwrap().key_file = key_file.clone();
    let profiles = Arc::new(ProfileSet::builtin().unwrap());
    let clock = ManualClock::starting_now();
    let options = ServeOptions { clock: Some(Arc::new(clock)) };
    let stop = CancellationToken::new();
    let (tx, rx) = tokio::sync::oneshot::channel::<SocketAddr>();
    let server = tokio::spawn(serve_with(config, profiles, options, stop.clone(), move |addr| {
        let _ = tx.send(addr);
    }));
    let addr = tokio::time::timeout(Duration::from_secs(20), rx).await.unwrap().unwrap();
    let url = format!("http://{addr}");
    let admin = Client::new(&url, Some(TOKEN.into()), Duration::from_secs(10)).unwrap();
    let public = Client::new(&url, None, Duration::from_secs(10)).unwrap();

    let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "the hub key is owner-only");

    let mut events = admin.events().await.unwrap();
    // Refused by the gateway's destination policy, like POST /v1/sms.
    let refused = public
        .exchange_json(
            Method::POST,
            "/v1/register/request",
            Some(&json!({"phone": "+447911123456"})),
        )
        .await
        .unwrap();
    assert_eq!(refused.status, 400, "{}", String::from_utf8_lossy(&refused.body));
    // Allowed: the code is queued in the outbox.
    let sent = public
        .exchange_json(
            Method::POST,
            "/v1/register/request",
            Some(&json!({"phone": "+31611111111"})),
        )
        .await
        .unwrap();
    assert_eq!(sent.status, 202, "{}", String::from_utf8_lossy(&sent.body));
    let id = loop {
        let event = tokio::time::timeout(Duration::from_secs(10), events.next())
            .await
            .expect("an event in time")
            .expect("the stream is open")
            .unwrap();
        if let GatewayEvent::MessageStatus { id, .. } = event {
            break id;
        }
    };
    let message = admin.message(&id).await.unwrap().expect("the code's SMS");
    assert_eq!(message.to, "+31611111111");
    assert!(message.text.starts_with("Your Bubblegate code is "), "{}", message.text);
    assert_eq!(message.priority, 50, "codes go first");
    assert!(message.expires_at.is_some(), "a code's SMS expires with the code");

    // The hub's routes need no admin token; the admin API still does.
    let page = public.exchange_json::<()>(Method::GET, "/deregister", None).await.unwrap();
    assert_eq!(page.status, 200);
    let modems = public.exchange_json::<()>(Method::GET, "/v1/modems", None).await.unwrap();
    assert_eq!(modems.status, 401);
    let me = public.exchange_json::<()>(Method::GET, "/v1/devices/me", None).await.unwrap();
    assert_eq!(me.status, 401);
    let metrics = admin.exchange_json::<()>(Method::GET, "/metrics", None).await.unwrap();
    let metrics = String::from_utf8_lossy(&metrics.body).into_owned();
    assert!(
        metrics.contains("bubblegate_hub_codes_sent_total{purpose=\"register\"} 1\n"),
        "{metrics}"
    );

    events.close().await;
    stop.cancel();
    let result = tokio::time::timeout(Duration::from_secs(30), server).await.expect("stops");
    result.unwrap().unwrap();
}

/// Opens a simulated modem's in-process port.
struct SimPort {
    sim: bubblegate_simulator::SimHandle,
    id: bubblegate_simulator::bubblegate_sim::ModemId,
}

impl bubblegate_modem::PortOpener for SimPort {
    fn open(
        &self,
    ) -> bubblegate_modem::BoxFuture<
        '_,
        Result<Box<dyn bubblegate_modem::ModemIo>, bubblegate_modem::OpenError>,
    > {
        Box::pin(async move {
            match self.sim.open_duplex(self.id).await {
                Ok(stream) => Ok(Box::new(stream) as Box<dyn bubblegate_modem::ModemIo>),
                Err(err) => Err(bubblegate_modem::OpenError::Absent { port: err.to_string() }),
            }
        })
    }

    fn describe(&self) -> String {
        format!("simulated {}", self.id)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sms_to_an_owned_sim_reaches_the_owners_device_sealed() {
    use bubblegate_daemon::config::{Limits, PortSpec};
    use bubblegate_hub::OwnedSim;
    use bubblegate_proto::wire::{EnvelopeList, Registered};
    use bubblegate_proto::{Content, EncKeyPair, SigningKeyPair, E164};
    use bubblegate_simulator::bubblegate_sim::NetworkConfig;
    use bubblegate_simulator::{Adapter, ModemConfig, Recipient, Simulator, SimulatorConfig};

    let dir = tempfile::tempdir().unwrap();
    let profiles = Arc::new(ProfileSet::builtin().unwrap());
    let profile = Arc::new(profiles.get("quectel-ec25").unwrap().clone());
    let sim = Simulator::start(SimulatorConfig {
        dir: dir.path().join("sim"),
        modems: vec![ModemConfig::new(profile.clone(), 0, Adapter::Duplex)],
        control: None,
        network: NetworkConfig::fast(),
    })
    .await
    .unwrap();
    let info = sim.modems()[0].info.clone();
    let owner = "+31611111111";
    let modem = ModemSettings {
        id: bubblegate_modem::ModemId::new("attic").unwrap(),
        port: PortSpec::Opener(Arc::new(SimPort { sim: sim.handle(), id: info.id })),
        profile: Some(profile),
        number: Some(info.number.clone()),
        pin: None,
        smsc: None,
        limits: Limits::default(),
        destination_prefixes: Vec::new(),
        power_cycle: None,
        enabled: true,
    };
    let hub = HubConfig {
        owned_sims: vec![OwnedSim {
            modem: "attic".into(),
            handle: E164::parse(owner, None).unwrap(),
        }],
        ..HubConfig::default()
    };
    let config = config(&dir.path().join("bubblegate.db"), vec![modem], hub);
    let stop = CancellationToken::new();
    let (tx, rx) = tokio::sync::oneshot::channel::<SocketAddr>();
    let server = tokio::spawn(serve_with(
        config,
        profiles,
        ServeOptions::default(),
        stop.clone(),
        move |addr| {
            let _ = tx.send(addr);
        },
    ));
    let addr = tokio::time::timeout(Duration::from_secs(20), rx).await.unwrap().unwrap();
    let url = format!("http://{addr}");
    let admin = Client::new(&url, Some(TOKEN.into()), Duration::from_secs(10)).unwrap();
    let public = Client::new(&url, None, Duration::from_secs(10)).unwrap();

    // Register the owner's device, reading the code from the outbox.
    let mut events = admin.events().await.unwrap();
    let sent = public
        .exchange_json(Method::POST, "/v1/register/request", Some(&json!({"phone": owner})))
        .await
        .unwrap();
    assert_eq!(sent.status, 202);
    let id = loop {
        match tokio::time::timeout(Duration::from_secs(10), events.next()).await.unwrap() {
            Some(Ok(GatewayEvent::MessageStatus { id, .. })) => break id,
            Some(_) => continue,
            None => panic!("the event stream ended"),
        }
    };
    events.close().await;
    let text = admin.message(&id).await.unwrap().unwrap().text;
    let code: String = text.chars().filter(char::is_ascii_digit).take(6).collect();
    let enc = EncKeyPair::generate(1);
    let sign = SigningKeyPair::generate().unwrap();
    let verify = json!({"phone": owner, "code": code,
        "device": {"name": "phone", "enc_key": enc.public(), "sign_key": sign.public()}});
    let registered: Registered =
        public.call_json(Method::POST, "/v1/register/verify", Some(&verify)).await.unwrap();
    let device =
        Client::new(&url, Some(registered.token.clone()), Duration::from_secs(10)).unwrap();

    // Someone texts the owned SIM.
    sim.handle()
        .inject_text(Recipient::Modem(info.id), "+31699999999", "Your parcel arrives today")
        .await
        .unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let envelope = loop {
        let list: EnvelopeList =
            device.call_json(Method::GET, "/v1/envelopes", None::<&()>).await.unwrap();
        if let Some(e) = list.envelopes.into_iter().next() {
            break e;
        }
        assert!(tokio::time::Instant::now() < deadline, "no forwarded SMS arrived");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(envelope.sender, None, "from the hub");
    let header = envelope.header();
    bubblegate_proto::verify(&header, &envelope.sealed, &envelope.signature, &registered.hub_key)
        .expect("signed with the pinned hub key");
    let plain = bubblegate_proto::open(&header, &enc, &envelope.sealed).unwrap();
    match Content::from_bytes(&plain, envelope.kind).unwrap() {
        Content::Sms { from, body, .. } => {
            assert_eq!(from, "+31699999999");
            assert_eq!(body, "Your parcel arrives today");
        }
        other => panic!("not a forwarded SMS: {other:?}"),
    }

    stop.cancel();
    let result = tokio::time::timeout(Duration::from_secs(30), server).await.expect("stops");
    result.unwrap().unwrap();
    sim.shutdown().await;
}

/// A modem that is never there: the daemon runs, its port stays absent.
struct NoPort;

impl bubblegate_modem::PortOpener for NoPort {
    fn open(
        &self,
    ) -> bubblegate_modem::BoxFuture<
        '_,
        Result<Box<dyn bubblegate_modem::ModemIo>, bubblegate_modem::OpenError>,
    > {
        Box::pin(async { Err(bubblegate_modem::OpenError::Absent { port: "nowhere".into() }) })
    }

    fn describe(&self) -> String {
        "nowhere".into()
    }
}

/// A running service: its URL and how to stop it.
struct Service {
    url: String,
    stop: CancellationToken,
    task: tokio::task::JoinHandle<Result<(), bubblegate_daemon::service::ServeError>>,
}

impl Service {
    async fn start(config: &Config) -> Service {
        let profiles = Arc::new(ProfileSet::builtin().unwrap());
        let stop = CancellationToken::new();
        let (tx, rx) = tokio::sync::oneshot::channel::<SocketAddr>();
        let task = tokio::spawn(serve_with(
            config.clone(),
            profiles,
            ServeOptions::default(),
            stop.clone(),
            move |addr| {
                let _ = tx.send(addr);
            },
        ));
        let addr = tokio::time::timeout(Duration::from_secs(20), rx).await.unwrap().unwrap();
        Service { url: format!("http://{addr}"), stop, task }
    }

    fn client(&self, token: Option<&str>) -> Client {
        Client::new(&self.url, token.map(str::to_owned), Duration::from_secs(10)).unwrap()
    }

    async fn stop(self) {
        self.stop.cancel();
        let result = tokio::time::timeout(Duration::from_secs(30), self.task).await.expect("stops");
        result.unwrap().unwrap();
    }
}

/// A device of the test, with its keys.
struct TestDevice {
    token: String,
    enc: bubblegate_proto::EncKeyPair,
    hub_key: bubblegate_proto::SignPublicKey,
}

/// Registers a device of `phone`, reading the code from the outbox.
async fn register(service: &Service, phone: &str, name: &str) -> TestDevice {
    use bubblegate_proto::wire::Registered;
    use bubblegate_proto::{EncKeyPair, SigningKeyPair};

    let admin = service.client(Some(TOKEN));
    let public = service.client(None);
    let mut events = admin.events().await.unwrap();
    let sent = public
        .exchange_json(Method::POST, "/v1/register/request", Some(&json!({"phone": phone})))
        .await
        .unwrap();
    assert_eq!(sent.status, 202, "{}", String::from_utf8_lossy(&sent.body));
    let id = loop {
        match tokio::time::timeout(Duration::from_secs(10), events.next()).await.unwrap() {
            Some(Ok(GatewayEvent::MessageStatus { id, .. })) => break id,
            Some(_) => continue,
            None => panic!("the event stream ended"),
        }
    };
    events.close().await;
    let text = admin.message(&id).await.unwrap().unwrap().text;
    let code: String = text.chars().filter(char::is_ascii_digit).take(6).collect();
    let enc = EncKeyPair::generate(1);
    let sign = SigningKeyPair::generate().unwrap();
    let verify = json!({"phone": phone, "code": code,
        "device": {"name": name, "enc_key": enc.public(), "sign_key": sign.public()}});
    let registered: Registered =
        public.call_json(Method::POST, "/v1/register/verify", Some(&verify)).await.unwrap();
    TestDevice { token: registered.token, enc, hub_key: registered.hub_key }
}

/// The forwarded SMS queued for `device`, verified and opened: (from, body).
async fn forwarded(service: &Service, device: &TestDevice) -> Vec<(String, String)> {
    use bubblegate_proto::wire::EnvelopeList;
    use bubblegate_proto::{Content, Kind};

    let client = service.client(Some(&device.token));
    let list: EnvelopeList =
        client.call_json(Method::GET, "/v1/envelopes?limit=1000", None::<&()>).await.unwrap();
    let mut out = Vec::new();
    for envelope in list.envelopes.into_iter().filter(|e| e.kind == Kind::Sms) {
        assert_eq!(envelope.sender, None, "from the hub");
        let header = envelope.header();
        bubblegate_proto::verify(&header, &envelope.sealed, &envelope.signature, &device.hub_key)
            .expect("signed with the pinned hub key");
        let plain = bubblegate_proto::open(&header, &device.enc, &envelope.sealed).unwrap();
        match Content::from_bytes(&plain, envelope.kind).unwrap() {
            Content::Sms { from, body, .. } => out.push((from, body)),
            other => panic!("not a forwarded SMS: {other:?}"),
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sms_committed_before_a_crash_is_forwarded_once_at_the_next_start() {
    use bubblegate_daemon::config::{Limits, PortSpec};
    use bubblegate_hub::OwnedSim;
    use bubblegate_proto::E164;
    use bubblegate_sms::Body;
    use bubblegate_store::{Iccid, ModemId, NewInboundPart, Store};

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bubblegate.db");
    let owner = "+31611111111";
    let modem = ModemSettings {
        id: bubblegate_modem::ModemId::new("attic").unwrap(),
        port: PortSpec::Opener(Arc::new(NoPort)),
        profile: None,
        number: Some("+31600000001".into()),
        pin: None,
        smsc: None,
        limits: Limits::default(),
        destination_prefixes: Vec::new(),
        power_cycle: None,
        enabled: true,
    };
    let hub = HubConfig {
        owned_sims: vec![OwnedSim {
            modem: "attic".into(),
            handle: E164::parse(owner, None).unwrap(),
        }],
        ..HubConfig::default()
    };
    let config = config(&db, vec![modem], hub);

    let first = Service::start(&config).await;
    let phone = register(&first, owner, "phone").await;
    let laptop = register(&first, owner, "laptop").await;
    first.stop().await;

    // The crash window: the inbox committed the SMS (pending for the hub),
    // and the daemon died before the hand-off.
    let store = Store::open(&StoreConfig::Sqlite { path: db.clone() }).await.unwrap();
    let part = NewInboundPart {
        modem: ModemId("attic".into()),
        sim: Some(Iccid("sim:attic".into())),
        sender: "+31699999999".into(),
        scts: std::time::SystemTime::now(),
        concat: None,
        body: Body::Text("Your parcel arrives today".into()),
        pdu_hex: "00".into(),
        received_at: std::time::SystemTime::now(),
    };
    let stored = store.store_inbound_part(&part).await.unwrap();
    let message = stored.complete_message.expect("one part completes");
    let attic = [ModemId("attic".into())];
    let pending = store.pending_hand_offs(&attic, None, 10).await.unwrap();
    assert_eq!(pending.iter().map(|m| m.id).collect::<Vec<_>>(), [message.id]);
    store.close().await;

    // The next start hands it over: one copy for each of the owner's
    // devices.
    let second = Service::start(&config).await;
    let want = vec![("+31699999999".to_owned(), "Your parcel arrives today".to_owned())];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    for device in [&phone, &laptop] {
        loop {
            let got = forwarded(&second, device).await;
            if !got.is_empty() {
                assert_eq!(got, want);
                break;
            }
            assert!(tokio::time::Instant::now() < deadline, "the pending SMS was not forwarded");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    second.stop().await;
    let store = Store::open(&StoreConfig::Sqlite { path: db.clone() }).await.unwrap();
    assert!(store.pending_hand_offs(&attic, None, 10).await.unwrap().is_empty(), "handled");
    store.close().await;

    // Starting again hands nothing over twice.
    let third = Service::start(&config).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    for device in [&phone, &laptop] {
        assert_eq!(forwarded(&third, device).await, want, "exactly once");
    }
    third.stop().await;
}

/// A daemon on the SQLite file `db` with `modems` and the hub on, its key
/// beside the database.
fn config(db: &std::path::Path, modems: Vec<ModemSettings>, hub: HubConfig) -> Config {
    Config {
        node: NodeId("test".into()),
        store: StoreConfig::Sqlite { path: db.to_owned() },
        api: ApiSettings {
            listen: "127.0.0.1:0".parse().unwrap(),
            admin_token: Secret::new(TOKEN),
        },
        health_interval: Duration::from_secs(300),
        shutdown_grace: Duration::from_secs(10),
        policy: PolicySettings::default(),
        outbox: OutboxSettings::default(),
        inbox: InboxSettings::default(),
        modems,
        webhooks: Vec::new(),
        network: Some(NetworkSettings { hub, key_file: db.with_file_name("hub.key") }),
    }
}
