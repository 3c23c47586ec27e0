//! The CLI's client against a real server on 127.0.0.1: typed calls, and
//! failures sorted into unreachable, unauthorized and API errors.

use std::time::Duration;

use bubblegate_api::client::{Client, ClientError};
use bubblegate_api::*;

use crate::support::*;

#[tokio::test]
async fn typed_calls_round_trip() {
    let gw = FakeGateway::with_inbox(3);
    gw.state.lock().unwrap().modems = vec![modem()];
    let server = Server::start(gw.clone(), config()).await;
    let client =
        Client::new(&format!("{}/", server.url()), Some(TOKEN.into()), Duration::from_secs(5))
            .unwrap();

    let request =
        SmsRequest { to: "+447911123456".into(), text: "hi".into(), ..SmsRequest::default() };
    let submitted = client.submit(&request).await.unwrap();
    assert_eq!((submitted.id.as_str(), submitted.created), ("msg-0001", true));
    let view = client.message("msg-0001").await.unwrap().unwrap();
    assert_eq!(view.text, "hi");
    assert_eq!(client.message("msg-0404").await.unwrap(), None);
    assert_eq!(client.message("../etc/passwd").await.unwrap(), None);

    let page = client.inbox(None, Some(2)).await.unwrap();
    assert_eq!(page.messages.len(), 2);
    let rest = client.inbox(page.next_cursor.as_deref(), Some(2)).await.unwrap();
    assert_eq!((rest.messages.len(), rest.next_cursor), (1, None));

    assert_eq!(client.modems().await.unwrap(), vec![modem()]);
    gw.health.lock().unwrap().status = HealthStatus::Down;
    assert_eq!(client.health().await.unwrap().status, HealthStatus::Down);
    server.stop().await;
}

#[tokio::test]
async fn errors_say_what_to_fix() {
    let server = Server::start(FakeGateway::new(), config()).await;
    let wrong = Client::new(&server.url(), Some("nope".into()), Duration::from_secs(5)).unwrap();
    assert!(matches!(wrong.modems().await, Err(ClientError::Unauthorized(_))));

    let client = Client::new(&server.url(), Some(TOKEN.into()), Duration::from_secs(5)).unwrap();
    let bad = SmsRequest { to: "12".into(), text: "x".into(), ..SmsRequest::default() };
    match client.submit(&bad).await {
        Err(ClientError::Api { status: 400, error }) => {
            assert_eq!(
                (error.code, error.field.as_deref()),
                (ErrorCode::InvalidRequest, Some("to"))
            );
        }
        other => panic!("expected a 400, got {other:?}"),
    }
    server.stop().await;

    // Nothing listens on a port just released.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let gone =
        Client::new(&format!("http://{addr}"), Some(TOKEN.into()), Duration::from_secs(5)).unwrap();
    let err = gone.modems().await.unwrap_err();
    assert!(matches!(err, ClientError::Unreachable { .. }), "{err}");
    assert!(err.to_string().contains("BUBBLEGATE_API"), "{err}");
}

#[tokio::test]
async fn a_silent_server_times_out() {
    // Accepts and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let hold = tokio::spawn(async move {
        let (_socket, _) = listener.accept().await.unwrap();
        tokio::time::sleep(Duration::from_secs(30)).await;
    });
    let client = Client::new(&format!("http://{addr}"), None, Duration::from_millis(200)).unwrap();
    assert!(matches!(client.modems().await, Err(ClientError::Timeout { .. })));
    hold.abort();
}
