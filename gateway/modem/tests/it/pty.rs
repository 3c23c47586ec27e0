//! End to end over a real pseudo-terminal: `bubblegate-serial` opens the
//! simulator's stable path with `tokio-serial`, exclusively, and the actor
//! identifies the modem, sends, receives, and survives an unplug in the
//! middle of `+CMGS` (unknown outcome) and the replug. Real time.

use std::sync::Arc;
use std::time::Duration;

use bubblegate_modem::{
    ModemState, PortLocator, SendOutcome, SerialOpener, SerialSettings, Supervisor,
};
use bubblegate_sim::{Fault, ModemId, NetworkConfig};
use bubblegate_simulator::{
    Adapter, ModemConfig as SimModem, Recipient, Simulator, SimulatorConfig,
};
use bubblegate_sms::segment::TextEncoding;
use tokio_util::sync::CancellationToken;

use crate::support::*;

const BOUND: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_a_real_pty_with_tokio_serial() {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = profile("quectel-ec25");
    let sim = Simulator::start(SimulatorConfig {
        dir: dir.path().to_path_buf(),
        modems: vec![SimModem::new(p.clone(), 0, Adapter::Pty)],
        control: None,
        network: NetworkConfig { radio_time: Duration::from_secs(2), ..NetworkConfig::fast() },
    })
    .await
    .expect("simulator starts");
    let path = sim.modems()[0].path.clone().expect("a PTY path");
    let opener = SerialOpener {
        locator: PortLocator::ByPath(path.clone()),
        settings: SerialSettings::from_port(&p.port),
    };
    let mut supervisor = Supervisor::new(profiles(), CancellationToken::new());
    let handle = supervisor.spawn(config(0, None), Arc::new(opener)).expect("spawns");
    handle.wait_for(BOUND, |s| s.state.is_ready()).await.expect("ready over the PTY");
    assert_eq!(handle.status().profile.as_deref(), Some("quectel-ec25"));

    // The port is ours alone.
    let second = bubblegate_serial::open_exclusive(&path, &SerialSettings::default()).await;
    assert!(matches!(second, Err(bubblegate_serial::SerialError::Busy { .. })), "{second:?}");

    let long = "Over a real pseudo-terminal, through tokio-serial, in two parts: ".repeat(3);
    for part in parts(OUTSIDE, &long, TextEncoding::Auto, false) {
        let outcome = handle.send(part).await;
        assert!(matches!(outcome, SendOutcome::Sent { .. }), "{outcome:?}");
    }
    let received = sim.handle().received().await.expect("received");
    assert_eq!(received[0].body, bubblegate_sms::Body::Text(long));

    let mut events = handle.subscribe();
    sim.handle()
        .inject_text(Recipient::Modem(ModemId(0)), "+31699999999", "over the wire")
        .await
        .expect("inject");
    let (token, text) =
        tokio::time::timeout(BOUND, next(&mut events, "message", text_of)).await.expect("in time");
    assert_eq!(text, "over the wire");
    handle.confirm(token).await.expect("confirmed");

    // Unplugged while +CMGS waits for the network: unknown, never sent.
    let sender = handle.clone();
    let sending = tokio::spawn(async move {
        sender.send(parts(OUTSIDE, "cut", TextEncoding::Auto, false).remove(0)).await
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    sim.handle().inject_fault(ModemId(0), Fault::Unplug).await.expect("unplug");
    let outcome = tokio::time::timeout(BOUND, sending).await.expect("in time").expect("joins");
    assert!(matches!(outcome, SendOutcome::Unknown { .. }), "{outcome:?}");
    handle
        .wait_for(BOUND, |s| s.state == ModemState::WaitingForPort)
        .await
        .expect("waits for the port");
    sim.handle().inject_fault(ModemId(0), Fault::Replug).await.expect("replug");
    handle.wait_for(BOUND, |s| s.state.is_ready()).await.expect("ready after the replug");
    let outcome = handle.send(parts(OUTSIDE, "back", TextEncoding::Auto, false).remove(0)).await;
    assert!(matches!(outcome, SendOutcome::Sent { .. }), "{outcome:?}");

    assert!(supervisor.shutdown(BOUND).await);
    sim.shutdown().await;
}
