//! `WS /v1/events` over a real socket on 127.0.0.1: events arrive as JSON
//! in order, a slow client is told what it missed, the token is checked
//! at the handshake, and shutdown closes the stream.

use std::time::Duration;

use bubblegate_api::client::{Client, ClientError};
use bubblegate_api::*;

use crate::support::*;

fn status_event(i: u32) -> GatewayEvent {
    GatewayEvent::MessageStatus {
        id: format!("msg-{i:04}"),
        status: MessageStatus::Sending,
        part: Some(1),
        part_state: Some(PartState::Submitting),
        at: at(i64::from(i)),
    }
}

async fn next(stream: &mut client::EventStream) -> GatewayEvent {
    tokio::time::timeout(Duration::from_secs(5), stream.next())
        .await
        .expect("an event within 5 s")
        .expect("the stream is open")
        .expect("the event parses")
}

#[tokio::test]
async fn status_and_inbound_events_arrive_in_order() {
    let gw = FakeGateway::new();
    let server = Server::start(gw.clone(), config()).await;
    let client = Client::new(&server.url(), Some(TOKEN.into()), Duration::from_secs(5)).unwrap();
    let mut stream = client.events().await.unwrap();
    let inbound = GatewayEvent::Inbound { message: inbox_message(7) };
    let modem =
        GatewayEvent::ModemState { modem: "modem0".into(), state: ModemState::Ready, at: at(0) };
    for event in [status_event(1), inbound.clone(), modem.clone()] {
        gw.events.send(event).unwrap();
    }
    assert_eq!(next(&mut stream).await, status_event(1));
    assert_eq!(next(&mut stream).await, inbound);
    assert_eq!(next(&mut stream).await, modem);

    let metrics = fetch_metrics(&server).await;
    assert!(metrics.contains("bubblegate_events_sent_total{type=\"inbound\"} 1"), "{metrics}");
    assert!(metrics.contains("bubblegate_event_stream_clients 1"), "{metrics}");
    stream.close().await;
    server.stop().await;
}

#[tokio::test]
async fn a_client_that_falls_behind_gets_a_lagged_event() {
    let gw = FakeGateway::new();
    let server = Server::start(gw.clone(), config()).await;
    let client = Client::new(&server.url(), Some(TOKEN.into()), Duration::from_secs(5)).unwrap();
    let mut stream = client.events().await.unwrap();
    // The channel holds 16; on this single-threaded runtime the server's
    // stream task cannot run until the test awaits, so 40 sends overflow.
    for i in 0..40 {
        gw.events.send(status_event(i)).unwrap();
    }
    assert_eq!(next(&mut stream).await, GatewayEvent::Lagged { missed: 24 });
    for i in 24..40 {
        assert_eq!(next(&mut stream).await, status_event(i));
    }
    server.stop().await;
}

#[tokio::test]
async fn the_handshake_checks_the_token() {
    let server = Server::start(FakeGateway::new(), config()).await;
    for token in [None, Some("wrong-token".to_owned())] {
        let client = Client::new(&server.url(), token, Duration::from_secs(5)).unwrap();
        match client.events().await {
            Err(ClientError::Unauthorized(_)) => {}
            Err(e) => panic!("expected 401, got {e}"),
            Ok(_) => panic!("expected 401, got a stream"),
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn shutdown_closes_open_streams() {
    let gw = FakeGateway::new();
    let server = Server::start(gw, config()).await;
    let client = Client::new(&server.url(), Some(TOKEN.into()), Duration::from_secs(5)).unwrap();
    let mut stream = client.events().await.unwrap();
    server.stop().await;
    let end = tokio::time::timeout(Duration::from_secs(5), stream.next()).await.unwrap();
    assert!(end.is_none(), "the stream ends with a close frame");
}
