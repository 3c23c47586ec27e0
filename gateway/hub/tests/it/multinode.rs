//! Two nodes on one PostgreSQL database (scale-out): a hub each, on its
//! own store handle. A device streaming from node A gets, promptly, what
//! a sender stored through node B (the store's LISTEN/NOTIFY wake-ups,
//! relayed by A's `Hub::start`), far sooner than the streams' minute
//! re-read; and a deregistration on node B wakes node A's fallback timer,
//! which sends the fallback that fell due.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use bubblegate_hub::HubConfig;
use bubblegate_proto::wire::{Envelope, StreamFrame};
use bubblegate_proto::{Content, StatusKind};
use futures_util::StreamExt;
use serde_json::json;
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use crate::support::*;

/// The bound on every wait: generous, and far below the streams' 60 s
/// safety re-read, which must not be what delivers.
const PATIENCE: Duration = Duration::from_secs(10);

type Socket = WebSocketStream<TcpStream>;

async fn connect(addr: std::net::SocketAddr, token: &str) -> Socket {
    let mut request = format!("ws://{addr}/v1/stream").into_client_request().unwrap();
    request.headers_mut().insert("authorization", format!("Bearer {token}").parse().unwrap());
    let tcp = TcpStream::connect(addr).await.unwrap();
    let (socket, response) = tokio_tungstenite::client_async(request, tcp).await.unwrap();
    assert_eq!(response.status(), 101);
    socket
}

/// The next envelope on the stream, within [`PATIENCE`].
async fn next_envelope(socket: &mut Socket) -> Envelope {
    loop {
        let msg = tokio::time::timeout(PATIENCE, socket.next())
            .await
            .expect("an envelope well before the minute re-read")
            .expect("the stream is open")
            .expect("a frame");
        match msg {
            Message::Text(text) => match serde_json::from_str(&text).unwrap() {
                StreamFrame::Envelope { envelope } => return envelope,
                other => panic!("expected an envelope, got {other:?}"),
            },
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected {other:?}"),
        }
    }
}

/// Waits until `check` holds, up to [`PATIENCE`].
async fn within_patience<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !check().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_on_one_node_gets_what_another_node_stores() {
    if !postgres_available("multinode").await {
        return;
    }
    let mut a = Db::Postgres.env(HubConfig::default()).await;
    // Node B serves requests only: no timers, no relay.
    let b = a.second_node().await;
    a.start_timers();
    let alice = a.register(ALICE, "phone").await;
    let bob = a.register(BOB, "phone").await;

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = a.app.clone();
    let stop = a.shutdown.clone();
    let server = tokio::spawn(async move {
        axum::serve(listener, app).with_graceful_shutdown(stop.cancelled_owned()).await
    });
    let mut bobs = connect(addr, &bob.token).await;

    // Sent through node B, arriving on node A's stream. The first may
    // also be found by the re-read the relay does once it listens; once
    // it has arrived, the relay listens, so the second comes by NOTIFY.
    for (cmid, body) in [("m1", "through node b"), ("m2", "and again")] {
        b.send(&alice, cmid, &[BOB], &text(body), None).await.expect(StatusCode::CREATED);
        let got = next_envelope(&mut bobs).await;
        assert_eq!(got.client_message_id, cmid);
        assert_eq!(a.open(&bob, &got).await, text(body));
    }
    // Each once.
    let quiet = tokio::time::timeout(Duration::from_millis(300), bobs.next()).await;
    assert!(
        !matches!(quiet, Ok(Some(Ok(Message::Text(_))))),
        "nothing more on the stream: {quiet:?}"
    );
    drop(bobs);

    // A send through B keeps fallback text for Bob, due in five minutes;
    // A's fallback timer does not know of it. Bob deregisters through B:
    // the fallback is due now, and A's timer, woken by B's notice, sends
    // it (B runs no timer).
    let sent = b
        .send(&alice, "m3", &[BOB], &text("dinner?"), sms("dinner?", true))
        .await
        .expect(StatusCode::CREATED);
    let send_id = sent.body["message_id"].as_str().unwrap().to_owned();
    b.call(Method::POST, "/v1/deregister/request", None, Some(json!({"phone": BOB})))
        .await
        .expect(StatusCode::ACCEPTED);
    let code = b.sms.last_code(BOB);
    b.call(Method::POST, "/v1/deregister/confirm", None, Some(json!({"phone": BOB, "code": code})))
        .await
        .expect(StatusCode::OK);
    within_patience("the fallback SMS, sent by node A", || async {
        !a.sms.texts_to(BOB).is_empty()
    })
    .await;
    let fallback = a.sms.texts_to(BOB);
    assert_eq!(fallback.len(), 1, "{fallback:?}");
    assert_eq!(fallback[0].text, "dinner?");
    assert_eq!(fallback[0].key.as_deref(), Some(format!("fallback:{send_id}:{BOB}").as_str()));
    assert_eq!(a.metric("bubblegate_hub_fallbacks_sent_total"), 1, "node A sent it");
    within_patience("Alice's sent_as_sms", || async {
        a.inbox(&alice).await.iter().any(|(_, c)| {
            *c == Content::Status {
                client_message_id: "m3".into(),
                recipient: BOB.into(),
                status: StatusKind::SentAsSms,
            }
        })
    })
    .await;

    a.stop_timers().await;
    a.shutdown.cancel();
    tokio::time::timeout(PATIENCE, server).await.expect("the server stops").unwrap().unwrap();
}
