//! `WS /v1/stream` on 127.0.0.1: the queued envelopes first, then live
//! pushes of new ones; acks over the socket; only the device's own queue;
//! and a close (1001) when the server stops.

use std::time::Duration;

use axum::http::StatusCode;
use bubblegate_hub::HubConfig;
use bubblegate_proto::wire::StreamFrame;
use futures_util::{SinkExt, StreamExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use crate::support::*;

type Socket = WebSocketStream<TcpStream>;

async fn connect(addr: std::net::SocketAddr, token: &str) -> Socket {
    let mut request = format!("ws://{addr}/v1/stream").into_client_request().unwrap();
    request.headers_mut().insert("authorization", format!("Bearer {token}").parse().unwrap());
    let tcp = TcpStream::connect(addr).await.unwrap();
    let (socket, response) = tokio_tungstenite::client_async(request, tcp).await.unwrap();
    assert_eq!(response.status(), 101);
    socket
}

/// The next text frame, within 5 s.
async fn next(socket: &mut Socket) -> StreamFrame {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .expect("a frame in time")
            .expect("the stream is open")
            .expect("a frame");
        match msg {
            Message::Text(text) => return serde_json::from_str(&text).unwrap(),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected {other:?}"),
        }
    }
}

/// The code of the close frame that ends the stream, within 5 s.
async fn close_code(socket: &mut Socket) -> u16 {
    loop {
        match tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .expect("closed in time")
        {
            Some(Ok(Message::Close(frame))) => {
                return u16::from(frame.expect("a close frame").code)
            }
            Some(Ok(_)) => continue,
            other => panic!("expected a close frame, got {other:?}"),
        }
    }
}

async fn envelope_id(socket: &mut Socket) -> String {
    match next(socket).await {
        StreamFrame::Envelope { envelope } => envelope.id,
        other => panic!("expected an envelope, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_first_then_live_and_acks_over_the_socket() {
    let mut env = Db::Sqlite.env(HubConfig::default()).await;
    // Streams hear of new envelopes through the relay of the store's
    // wake-ups, which `start` runs with the timers.
    env.start_timers();
    let alice = env.register(ALICE, "phone").await;
    let bob = env.register(BOB, "phone").await;
    for i in 0..2 {
        env.send(&alice, &format!("q{i}"), &[BOB], &text("queued"), None)
            .await
            .expect(StatusCode::CREATED);
    }
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = env.app.clone();
    let stop = env.shutdown.clone();
    let server = tokio::spawn(async move {
        axum::serve(listener, app).with_graceful_shutdown(stop.cancelled_owned()).await
    });

    let mut bobs = connect(addr, &bob.token).await;
    let mut alices = connect(addr, &alice.token).await;
    let first = envelope_id(&mut bobs).await;
    let second = envelope_id(&mut bobs).await;
    assert!(first < second, "oldest first");

    // Live: a new message arrives without asking.
    env.send(&alice, "live", &[BOB], &text("live"), None).await.expect(StatusCode::CREATED);
    let third = envelope_id(&mut bobs).await;
    let queue = env.inbox(&bob).await;
    assert_eq!(queue.len(), 3);
    assert_eq!(queue[2].0.id, third);
    assert_eq!(queue[2].1, text("live"));

    // Acks over the socket; someone else's id deletes nothing.
    let ack = StreamFrame::Ack { ids: vec![first.clone(), second.clone()] };
    bobs.send(Message::Text(serde_json::to_string(&ack).unwrap().into())).await.unwrap();
    assert_eq!(next(&mut bobs).await, StreamFrame::Acked { deleted: 2 });
    let steal = StreamFrame::Ack { ids: vec![third.clone()] };
    alices.send(Message::Text(serde_json::to_string(&steal).unwrap().into())).await.unwrap();
    assert_eq!(next(&mut alices).await, StreamFrame::Acked { deleted: 0 });
    let left = env.inbox(&bob).await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].0.id, third);

    // Alice's stream carried none of Bob's envelopes.
    let quiet = tokio::time::timeout(Duration::from_millis(300), alices.next()).await;
    assert!(quiet.is_err(), "Alice got a frame: {quiet:?}");

    // A revoked device's stream closes with 1008.
    let carol = env.register(CAROL, "phone").await;
    let mut carols = connect(addr, &carol.token).await;
    env.call(
        axum::http::Method::POST,
        "/v1/deregister/request",
        None,
        Some(serde_json::json!({"phone": CAROL})),
    )
    .await
    .expect(StatusCode::ACCEPTED);
    let code = env.sms.last_code(CAROL);
    env.call(
        axum::http::Method::POST,
        "/v1/deregister/confirm",
        None,
        Some(serde_json::json!({"phone": CAROL, "code": code})),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(close_code(&mut carols).await, 1008);

    // Stopping the server closes the streams with 1001.
    env.shutdown.cancel();
    let closed = loop {
        match tokio::time::timeout(Duration::from_secs(5), bobs.next())
            .await
            .expect("closed in time")
        {
            Some(Ok(Message::Close(frame))) => break frame,
            Some(Ok(_)) => continue,
            other => panic!("expected a close frame, got {other:?}"),
        }
    };
    assert_eq!(u16::from(closed.unwrap().code), 1001);
    drop(bobs);
    drop(alices);
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("the server stops")
        .unwrap()
        .unwrap();
}
