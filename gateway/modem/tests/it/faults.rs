//! Every fault the simulator can inject, on every profile, with the
//! outcome the driver must reach: temporary errors retried and permanent
//! ones not, a hang recovered through the watchdog, an unplug in the middle
//! of `+CMGS` reported as unknown (never as sent), a replug resumed,
//! storage full cleared by reading and deleting, and the rest survived.

use std::sync::Arc;
use std::time::Duration;

use bubblegate_at::ErrorClass;
use bubblegate_modem::{
    BoxFuture, EventKind, HookError, ModemHandle, ModemState, PowerCycleHook, SendError,
    SendOutcome, StepResult, WatchdogStep,
};
use bubblegate_sim::{Fault, ModemId, NetworkConfig};
use bubblegate_simulator::{Recipient, SimHandle};
use bubblegate_sms::segment::TextEncoding;

use crate::support::*;

const FROM: &str = "+31699999999";

/// The test's power-cycle hook: reboots the simulated modem.
struct SimPowerCycle {
    sim: SimHandle,
    id: ModemId,
}

impl PowerCycleHook for SimPowerCycle {
    fn power_cycle(&self) -> BoxFuture<'_, Result<(), HookError>> {
        Box::pin(async move {
            self.sim
                .inject_fault(self.id, Fault::Reboot)
                .await
                .map_err(|err| HookError { hook: self.describe(), reason: err.to_string() })
        })
    }

    fn describe(&self) -> String {
        format!("reboot {}", self.id)
    }
}

async fn fault(rig: &Rig, i: usize, fault: Fault) {
    rig.sim().inject_fault(ModemId(i as u32), fault).await.expect("fault injected");
}

async fn send_one(handle: &ModemHandle, text: &str) -> SendOutcome {
    handle.send(parts(OUTSIDE, text, TextEncoding::Auto, false).remove(0)).await
}

fn is_sent(outcome: &SendOutcome) -> bool {
    matches!(outcome, SendOutcome::Sent { .. })
}

/// A rig of every profile whose actors power-cycle through the simulator.
async fn rig(network: NetworkConfig) -> Rig {
    let options = RigOptions { network, start_actors: false, ..RigOptions::default() };
    let mut rig = Rig::start(all_profiles(), options).await;
    rig.start_actors_with(|i, cfg, sim| {
        cfg.watchdog.power_cycle = Some(Arc::new(SimPowerCycle { sim, id: ModemId(i as u32) }));
    });
    rig
}

#[tokio::test(start_paused = true)]
async fn cms_500_is_retried_and_a_permanent_error_is_not_on_every_profile() {
    let rig = rig(NetworkConfig::fast()).await;
    for (i, p) in rig.profiles.clone().iter().enumerate() {
        let handle = rig.handle(i);
        ready(handle).await;
        // Two temporary failures, then success within the three attempts.
        fault(&rig, i, Fault::CmsError { code: 500, count: 2 }).await;
        let before = sent_count(&rig.transcript(i), "AT+CMGS=");
        assert!(is_sent(&send_one(handle, "retried").await), "{}", p.name);
        assert_eq!(sent_count(&rig.transcript(i), "AT+CMGS=") - before, 3, "{}", p.name);
        // More temporary failures than attempts: failed, temporary.
        fault(&rig, i, Fault::CmsError { code: 500, count: 3 }).await;
        match send_one(handle, "gives up").await {
            SendOutcome::Failed { error: SendError::Cms(e), class: ErrorClass::Temporary } => {
                assert_eq!(e.code(), Some(500));
            }
            other => panic!("{}: {other:?}", p.name),
        }
        // A permanent error is not retried: two queued errors take two sends.
        fault(&rig, i, Fault::CmsError { code: 21, count: 2 }).await;
        for _ in 0..2 {
            match send_one(handle, "rejected").await {
                SendOutcome::Failed { class: ErrorClass::Permanent, .. } => {}
                other => panic!("{}: {other:?}", p.name),
            }
        }
        assert!(is_sent(&send_one(handle, "fine again").await), "{}", p.name);
    }
    rig.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_hang_recovers_through_the_watchdog_on_every_profile() {
    let rig = rig(NetworkConfig::fast()).await;
    for (i, p) in rig.profiles.clone().iter().enumerate() {
        let handle = rig.handle(i);
        ready(handle).await;
        let mut events = handle.subscribe();
        fault(&rig, i, Fault::Hang).await;
        // The hung modem never prompts: nothing was sent.
        match send_one(handle, "into the void").await {
            SendOutcome::Failed { class: ErrorClass::Temporary, .. } => {}
            other => panic!("{}: {other:?}", p.name),
        }
        let mut steps = Vec::new();
        loop {
            let (step, result) = next(&mut events, "watchdog step", |k| match k {
                EventKind::Watchdog { step, result } => Some((*step, result.clone())),
                _ => None,
            })
            .await;
            let done = result == StepResult::Recovered;
            steps.push((step, matches!(result, StepResult::Failed(_))));
            if done {
                break;
            }
        }
        assert_eq!(steps.first(), Some(&(WatchdogStep::Ping, false)), "{}", p.name);
        assert_eq!(steps.last(), Some(&(WatchdogStep::PowerCycle, false)), "{}", p.name);
        for step in [WatchdogStep::Ping, WatchdogStep::SoftReset, WatchdogStep::Reopen] {
            assert!(steps.contains(&(step, true)), "{}: {step:?} failed first: {steps:?}", p.name);
        }
        ready(handle).await;
        assert!(is_sent(&send_one(handle, "back").await), "{}", p.name);
    }
    rig.stop().await;
}

#[tokio::test(start_paused = true)]
async fn an_unplug_during_cmgs_is_unknown_and_a_replug_resumes_on_every_profile() {
    let network = NetworkConfig { radio_time: Duration::from_secs(10), ..NetworkConfig::fast() };
    let rig = rig(network).await;
    for (i, p) in rig.profiles.clone().iter().enumerate() {
        let handle = rig.handle(i).clone();
        ready(&handle).await;
        let sending = tokio::spawn(async move { send_one(&handle, "cut off").await });
        // The body is written at once; the answer takes the radio time.
        tokio::time::sleep(Duration::from_secs(1)).await;
        fault(&rig, i, Fault::Unplug).await;
        let outcome = tokio::time::timeout(WAIT, sending).await.expect("in time").expect("joins");
        assert!(matches!(outcome, SendOutcome::Unknown { .. }), "{}: {outcome:?}", p.name);
        let handle = rig.handle(i);
        handle
            .wait_for(WAIT, |s| s.state == ModemState::WaitingForPort)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", p.name));
        fault(&rig, i, Fault::Replug).await;
        ready(handle).await;
        assert!(is_sent(&send_one(handle, "resumed").await), "{}", p.name);
    }
    rig.stop().await;
}

/// A send that arrives while another command runs (here `+CMGR` after
/// `+CMTI`, each answer slowed down) waits for its turn. If the port goes
/// away first, the send comes back as interrupted at once, since its body
/// never reached the port, so that the caller can use another modem
/// instead of waiting for this one to be plugged in again.
#[tokio::test(start_paused = true)]
async fn a_send_waiting_behind_a_command_is_interrupted_when_the_port_goes() {
    let rig = Rig::start(vec![profile("quectel-ec25")], RigOptions::default()).await;
    let handle = rig.handle(0).clone();
    ready(&handle).await;
    fault(&rig, 0, Fault::Delay { ms: 10_000 }).await;
    rig.sim().inject_text(Recipient::Modem(ModemId(0)), FROM, "read slowly").await.expect("inject");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(sent(&rig.transcript(0), "AT+CMGR=1"), "reading: {}", rig.transcript(0));
    let sender = handle.clone();
    let sending = tokio::spawn(async move { send_one(&sender, "behind the read").await });
    tokio::time::sleep(Duration::from_secs(1)).await;
    fault(&rig, 0, Fault::Unplug).await;
    let outcome = tokio::time::timeout(Duration::from_secs(30), sending)
        .await
        .expect("answered without waiting for the port")
        .expect("joins");
    match outcome {
        SendOutcome::Failed { error: SendError::Interrupted(_), class: ErrorClass::Temporary } => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(sent_count(&rig.transcript(0), "AT+CMGS="), 0, "nothing went out");
    fault(&rig, 0, Fault::Replug).await;
    fault(&rig, 0, Fault::Delay { ms: 0 }).await;
    ready(&handle).await;
    assert!(is_sent(&send_one(&handle, "after the replug").await));
    rig.stop().await;
}

#[tokio::test(start_paused = true)]
async fn line_faults_are_survived_and_never_count_as_success_on_every_profile() {
    let rig = rig(NetworkConfig::fast()).await;
    for (i, p) in rig.profiles.clone().iter().enumerate() {
        let handle = rig.handle(i);
        ready(handle).await;
        // A slow modem within the timeouts.
        fault(&rig, i, Fault::Delay { ms: 2000 }).await;
        assert!(is_sent(&send_one(handle, "slow").await), "{}", p.name);
        fault(&rig, i, Fault::Delay { ms: 0 }).await;
        // Line noise.
        fault(&rig, i, Fault::Garbage { bytes: vec![0x00, 0xFF, b'\r', b'\n', b'x', 0x1A] }).await;
        assert!(is_sent(&send_one(handle, "noisy").await), "{}", p.name);
        // A lost answer and a cut answer: the send fails or is unknown, and
        // the modem comes back.
        for injected in [Fault::DropReply { count: 1 }, Fault::Truncate] {
            fault(&rig, i, injected.clone()).await;
            let outcome = send_one(handle, "lost").await;
            assert!(!is_sent(&outcome), "{} {injected:?}: {outcome:?}", p.name);
            ready(handle).await;
            assert!(is_sent(&send_one(handle, "after").await), "{} {injected:?}", p.name);
        }
        // A reboot: the modem is set up again and works.
        fault(&rig, i, Fault::Reboot).await;
        ready(handle).await;
        assert!(is_sent(&send_one(handle, "rebooted").await), "{}", p.name);
    }
    rig.stop().await;
}

#[tokio::test(start_paused = true)]
async fn registration_loss_signal_and_storage_full_on_every_profile() {
    let rig = rig(NetworkConfig::fast()).await;
    for (i, p) in rig.profiles.clone().iter().enumerate() {
        let handle = rig.handle(i);
        ready(handle).await;
        let mut events = handle.subscribe();
        let to = Recipient::Modem(ModemId(i as u32));

        fault(&rig, i, Fault::RegistrationLost).await;
        handle
            .wait_for(WAIT, |s| s.state == ModemState::SimReady)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", p.name));
        match send_one(handle, "no network").await {
            SendOutcome::Failed { error: SendError::NotReady(_), class: ErrorClass::Temporary } => {
            }
            other => panic!("{}: {other:?}", p.name),
        }
        rig.sim().inject_text(to.clone(), FROM, "waited").await.expect("inject");
        fault(&rig, i, Fault::RegistrationRegained).await;
        ready(handle).await;
        let (token, text) = next(&mut events, "held message", text_of).await;
        assert_eq!(text, "waited", "{}", p.name);
        handle.confirm(token).await.expect("confirmed");

        fault(&rig, i, Fault::Signal { rssi: 5 }).await;
        let rssi = next(&mut events, "signal", |k| match k {
            EventKind::Signal(csq) if csq.rssi == 5 => Some(csq.rssi),
            _ => None,
        })
        .await;
        assert_eq!(rssi, 5);

        fault(&rig, i, Fault::StorageFull { full: true }).await;
        next(&mut events, "storage full", |k| {
            matches!(k, EventKind::StorageFull { .. }).then_some(())
        })
        .await;
        rig.sim().inject_text(to, FROM, "after the full storage").await.expect("inject");
        fault(&rig, i, Fault::StorageFull { full: false }).await;
        let (token, text) = next(&mut events, "message after full", text_of).await;
        assert_eq!(text, "after the full storage", "{}", p.name);
        handle.confirm(token).await.expect("confirmed");
    }
    rig.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_full_sim_is_cleared_by_reading_and_deleting() {
    let options =
        RigOptions { start_actors: false, sim_capacity: Some(2), ..RigOptions::default() };
    let mut rig = Rig::start(vec![profile("simcom-sim800")], options).await;
    for text in ["a", "b", "c"] {
        rig.sim().inject_text(Recipient::Modem(ModemId(0)), FROM, text).await.expect("inject");
    }
    rig.start_actors(&RigOptions::default());
    let handle = rig.handle(0).clone();
    let mut events = handle.subscribe();
    let mut texts = Vec::new();
    while texts.len() < 3 {
        let (token, text) = next(&mut events, "message", text_of).await;
        handle.confirm(token).await.expect("confirmed");
        texts.push(text);
    }
    texts.sort();
    assert_eq!(texts, ["a", "b", "c"], "the third came once the first two were deleted");
    rig.stop().await;
}
