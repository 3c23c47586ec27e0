//! Supervision and control: a panic restarts that actor only; shutdown
//! waits for a `+CMGS` in flight, within its grace; the desired state is
//! kept apart from the actual one; and the SIM PIN is entered once and
//! never retried after a refusal.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bubblegate_modem::{
    BoxFuture, Desired, FailReason, ModemIo, ModemState, OpenError, Pin, PortOpener, SendError,
    SendOutcome, Supervisor,
};
use bubblegate_sim::{ModemId, NetworkConfig};
use bubblegate_sms::segment::TextEncoding;
use tokio::io::AsyncWriteExt;
use tokio_util::sync::CancellationToken;

use crate::support::*;

/// Panics on its first open, then opens the simulated port.
struct PanicsOnce {
    inner: DuplexOpener,
    panicked: AtomicBool,
}

impl PortOpener for PanicsOnce {
    fn open(&self) -> BoxFuture<'_, Result<Box<dyn ModemIo>, OpenError>> {
        if !self.panicked.swap(true, Ordering::SeqCst) {
            panic!("injected panic in the actor");
        }
        self.inner.open()
    }

    fn describe(&self) -> String {
        self.inner.describe()
    }
}

#[tokio::test(start_paused = true)]
async fn a_panic_restarts_that_actor_only() {
    let options = RigOptions { start_actors: false, ..RigOptions::default() };
    let rig = Rig::start(vec![profile("quectel-ec25"), profile("simcom-sim800")], options).await;
    let mut supervisor = Supervisor::new(profiles(), CancellationToken::new());
    let mut handles = Vec::new();
    for i in 0..2 {
        let inner = DuplexOpener { sim: rig.sim(), id: ModemId(i), commands: Default::default() };
        let opener: Arc<dyn PortOpener> = if i == 0 {
            Arc::new(PanicsOnce { inner, panicked: AtomicBool::new(false) })
        } else {
            Arc::new(inner)
        };
        handles.push(supervisor.spawn(config(i as usize, None), opener).expect("spawns"));
    }
    for handle in &handles {
        ready(handle).await;
    }
    assert_eq!(handles[0].status().restarts, 1);
    assert_eq!(handles[1].status().restarts, 0);
    let part = parts(OUTSIDE, "after the panic", TextEncoding::Auto, false).remove(0);
    assert!(matches!(handles[0].send(part).await, SendOutcome::Sent { .. }));
    assert!(supervisor.shutdown(WAIT).await);
    rig.stop().await;
}

#[tokio::test(start_paused = true)]
async fn shutdown_waits_for_a_send_in_flight_within_its_grace() {
    let network = NetworkConfig { radio_time: Duration::from_secs(10), ..NetworkConfig::fast() };
    let options = RigOptions { network, ..RigOptions::default() };
    let mut rig =
        Rig::start(vec![profile("simcom-sim800"), profile("quectel-ec25")], options).await;
    for handle in &rig.handles {
        ready(handle).await;
    }
    let mut sending = Vec::new();
    for handle in rig.handles.clone() {
        sending.push(tokio::spawn(async move {
            handle.send(parts(OUTSIDE, "last words", TextEncoding::Auto, false).remove(0)).await
        }));
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let supervisor = rig.supervisor.take().expect("supervisor");
    let started = tokio::time::Instant::now();
    assert!(supervisor.shutdown(Duration::from_secs(60)).await, "stopped within the bound");
    assert!(started.elapsed() >= Duration::from_secs(8), "it waited for the radio time");
    for task in sending {
        let outcome = task.await.expect("joins");
        assert!(matches!(outcome, SendOutcome::Sent { .. }), "{outcome:?}");
    }
    assert_eq!(rig.sim().received().await.expect("received").len(), 2);
    rig.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_send_longer_than_the_grace_is_unknown_at_shutdown() {
    let network = NetworkConfig { radio_time: Duration::from_secs(50), ..NetworkConfig::fast() };
    let options = RigOptions {
        network,
        tweak: |cfg| cfg.shutdown_grace = Duration::from_secs(5),
        ..RigOptions::default()
    };
    let mut rig = Rig::start(vec![profile("simcom-sim800")], options).await;
    let handle = rig.handle(0).clone();
    ready(&handle).await;
    let sending = tokio::spawn(async move {
        handle.send(parts(OUTSIDE, "too slow", TextEncoding::Auto, false).remove(0)).await
    });
    tokio::time::sleep(Duration::from_secs(1)).await;
    let supervisor = rig.supervisor.take().expect("supervisor");
    let started = tokio::time::Instant::now();
    assert!(supervisor.shutdown(Duration::from_secs(60)).await);
    assert!(started.elapsed() < Duration::from_secs(10), "the grace bounds the wait");
    let outcome = sending.await.expect("joins");
    assert!(matches!(outcome, SendOutcome::Unknown { .. }), "{outcome:?}");
    rig.stop().await;
}

#[tokio::test(start_paused = true)]
async fn disabling_closes_the_port_and_enabling_brings_the_modem_back() {
    let rig = Rig::start(vec![profile("telit-le910")], RigOptions::default()).await;
    let handle = rig.handle(0);
    ready(handle).await;
    handle.set_desired(Desired::Disabled).await.expect("taken");
    handle.wait_for(WAIT, |s| s.state == ModemState::Disabled).await.expect("disabled");
    assert_eq!(handle.status().desired, Desired::Disabled);
    let part = parts(OUTSIDE, "while disabled", TextEncoding::Auto, false).remove(0);
    match handle.send(part).await {
        SendOutcome::Failed { error: SendError::NotReady(ModemState::Disabled), .. } => {}
        other => panic!("{other:?}"),
    }
    handle.set_desired(Desired::Enabled).await.expect("taken");
    ready(handle).await;
    rig.stop().await;
}

fn pin_rig(
    pin: &'static str,
) -> impl FnMut(usize, &mut bubblegate_modem::ModemConfig, bubblegate_simulator::SimHandle) {
    move |_, cfg, _| cfg.pin = Some(Pin::new(pin).expect("pin"))
}

#[tokio::test(start_paused = true)]
async fn the_right_pin_unlocks_the_sim_once() {
    let options =
        RigOptions { start_actors: false, pin: Some("4321".to_owned()), ..RigOptions::default() };
    let mut rig = Rig::start(vec![profile("simcom-sim800")], options).await;
    rig.start_actors_with(pin_rig("4321"));
    ready(rig.handle(0)).await;
    assert_eq!(sent_count(&rig.transcript(0), "AT+CPIN=\""), 1);
    rig.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_wrong_pin_stops_with_a_clear_error_and_is_never_retried() {
    let options =
        RigOptions { start_actors: false, pin: Some("4321".to_owned()), ..RigOptions::default() };
    let mut rig = Rig::start(vec![profile("quectel-ec25"), profile("generic")], options).await;
    rig.start_actors_with(|i, cfg, _| {
        if i == 0 {
            cfg.pin = Some(Pin::new("1111").expect("pin"));
        }
    });
    let wrong = rig.handle(0);
    let status = wrong
        .wait_for(WAIT, |s| matches!(s.state, ModemState::Failed { .. }))
        .await
        .expect("fails");
    assert_eq!(
        status.state,
        ModemState::Failed { reason: FailReason::PinRejected, retry_in: None }
    );
    let missing = rig.handle(1);
    let status = missing
        .wait_for(WAIT, |s| matches!(s.state, ModemState::Failed { .. }))
        .await
        .expect("fails");
    assert_eq!(
        status.state,
        ModemState::Failed { reason: FailReason::PinRequired, retry_in: None }
    );
    // An hour later, and after a crash of the actor: still one attempt.
    tokio::time::sleep(Duration::from_secs(3600)).await;
    rig.supervisor.as_ref().expect("supervisor").kill(wrong.id());
    wrong.wait_for(WAIT, |s| s.restarts == 1).await.expect("restarted");
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(sent_count(&rig.transcript(0), "AT+CPIN=\""), 1);
    assert_eq!(sent_count(&rig.transcript(1), "AT+CPIN=\""), 0);
    rig.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_blocked_sim_asks_for_a_person() {
    let options =
        RigOptions { start_actors: false, pin: Some("4321".to_owned()), ..RigOptions::default() };
    let mut rig = Rig::start(vec![profile("huawei-e173")], options).await;
    // Somebody else burnt the three PIN attempts.
    let mut port = rig.sim().open_duplex(ModemId(0)).await.expect("opens");
    for _ in 0..3 {
        port.write_all(b"AT+CPIN=\"0000\"\r").await.expect("writes");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    drop(port);
    rig.start_actors_with(pin_rig("4321"));
    let status = rig
        .handle(0)
        .wait_for(WAIT, |s| matches!(s.state, ModemState::Failed { .. }))
        .await
        .expect("fails");
    assert_eq!(
        status.state,
        ModemState::Failed { reason: FailReason::PukRequired, retry_in: None }
    );
    assert_eq!(sent_count(&rig.transcript(0), "AT+CPIN=\"4321\""), 0);
    rig.stop().await;
}
