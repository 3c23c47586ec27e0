//! Durability: a stored message or status report is deleted only after
//! the consumer confirms it. Killing the actor between the read and the
//! confirmation loses nothing: after the restart it is read again, and the
//! old token can no longer delete anything. A status report that comes
//! while no actor runs waits in storage for the startup sweep.

use std::time::Duration;

use bubblegate_modem::{ConfirmError, EventKind, Origin, SendOutcome};
use bubblegate_sim::{ModemId, NetworkConfig};
use bubblegate_simulator::Recipient;
use bubblegate_sms::segment::TextEncoding;
use bubblegate_sms::StatusClass;

use crate::support::*;

#[tokio::test(start_paused = true)]
async fn a_message_read_but_not_confirmed_before_a_kill_is_read_again() {
    let rig =
        Rig::start(vec![profile("quectel-ec25"), profile("simcom-sim800")], RigOptions::default())
            .await;
    let handle = rig.handle(0).clone();
    ready(&handle).await;
    ready(rig.handle(1)).await;
    let mut events = handle.subscribe();
    rig.sim()
        .inject_text(Recipient::Modem(ModemId(0)), "+31699999999", "keep me")
        .await
        .expect("inject");
    let (old, text) = next(&mut events, "message", text_of).await;
    assert_eq!(text, "keep me");

    let supervisor = rig.supervisor.as_ref().expect("supervisor");
    assert!(supervisor.kill(handle.id()), "the actor was running");
    let reason = next(&mut events, "restart", |k| match k {
        EventKind::Restarted { reason } => Some(reason.clone()),
        _ => None,
    })
    .await;
    assert_eq!(reason, "killed");

    let (new, text) = next(&mut events, "message read again", text_of).await;
    assert_eq!(text, "keep me");
    assert_ne!(old, new);
    assert_eq!(handle.confirm(old).await, Err(ConfirmError::UnknownToken));
    let modems = rig.sim().modems().await.expect("modems");
    assert_eq!(modems[0].info.storage.iter().find(|s| s.0 == "ME").map(|s| s.1), Some(1));
    handle.confirm(new).await.expect("confirmed");
    let modems = rig.sim().modems().await.expect("modems");
    assert_eq!(modems[0].info.storage.iter().find(|s| s.0 == "ME").map(|s| s.1), Some(0));
    assert_eq!(handle.status().restarts, 1);
    // The other modem was not touched.
    assert_eq!(rig.handle(1).status().restarts, 0);
    rig.stop().await;
}

/// The kill -9 case at the driver's level, on every profile made to store
/// reports (`<ds>`=2): the part goes out, the actors stop before its status
/// report comes, the report is stored with nobody listening, and the next
/// actor's sweep (`+CMGL=4`) hands it over. It leaves the modem only on
/// confirmation, and an actor killed before that hands it over again.
#[tokio::test(start_paused = true)]
async fn a_status_report_stored_while_no_actor_ran_is_swept_and_deleted_only_on_confirm() {
    let profiles: Vec<_> = all_profiles().iter().map(|p| storing(&p.name)).collect();
    let options = || RigOptions {
        network: NetworkConfig { report_delay: Duration::from_secs(120), ..NetworkConfig::fast() },
        fixed: true,
        ..RigOptions::default()
    };
    let mut rig = Rig::start(profiles.clone(), options()).await;
    let mut mrs = Vec::new();
    for (i, p) in profiles.iter().enumerate() {
        let handle = rig.handle(i);
        ready(handle).await;
        let part = parts(OUTSIDE, "report when I am gone", TextEncoding::Auto, true).remove(0);
        match handle.send(part).await {
            SendOutcome::Sent { mr } => mrs.push(mr),
            other => panic!("{}: {other:?}", p.name),
        }
    }
    let supervisor = rig.supervisor.take().expect("supervisor");
    assert!(supervisor.shutdown(WAIT).await, "actors stop");
    for (i, p) in profiles.iter().enumerate() {
        let mem = p.sms.storage[0].to_string();
        assert_eq!(used(&rig.sim(), i, &mem).await, 0, "{}: no report yet", p.name);
    }
    tokio::time::sleep(Duration::from_secs(121)).await;
    for (i, p) in profiles.iter().enumerate() {
        let mem = p.sms.storage[0].to_string();
        assert_eq!(used(&rig.sim(), i, &mem).await, 1, "{}: stored with no actor", p.name);
    }

    rig.start_actors(&options());
    // Subscribed before the actors first run, so the sweep's events count.
    let mut events: Vec<_> = rig.handles.iter().map(|h| h.subscribe()).collect();
    let supervisor = rig.supervisor.as_ref().expect("supervisor");
    for (i, p) in profiles.iter().enumerate() {
        let handle = rig.handle(i).clone();
        let mem = p.sms.storage[0].to_string();
        let report = |k: &EventKind| match k {
            EventKind::StatusReport(r) => Some((r.token, r.origin.clone(), r.mr, r.report.clone())),
            _ => None,
        };
        let (old, origin, mr, report_pdu) =
            next(&mut events[i], "swept status report", report).await;
        assert!(
            matches!(&origin, Origin::Stored { storage, .. } if *storage == mem),
            "{}: {origin:?}",
            p.name
        );
        assert_eq!(mr, mrs[i], "{}", p.name);
        assert_eq!(report_pdu.status.class(), StatusClass::Delivered, "{}", p.name);
        ready(&handle).await;
        assert_eq!(handle.status().unconfirmed, 1, "{}", p.name);
        assert_eq!(used(&rig.sim(), i, &mem).await, 1, "{}: kept until confirmed", p.name);
        assert!(!sent_cmgd(&rig.transcript(i)), "{}: nothing deleted yet", p.name);

        // Killed before the confirmation: the next session hands it over
        // again under a new token; the old one deletes nothing.
        assert!(supervisor.kill(handle.id()), "{}: the actor was running", p.name);
        let (new, origin_again, mr_again, _) = next(&mut events[i], "swept again", report).await;
        assert_ne!(old, new, "{}", p.name);
        assert_eq!((origin_again, mr_again), (origin, mr), "{}", p.name);
        assert_eq!(handle.confirm(old).await, Err(ConfirmError::UnknownToken), "{}", p.name);
        assert_eq!(used(&rig.sim(), i, &mem).await, 1, "{}", p.name);

        handle.confirm(new).await.expect("confirmed");
        assert_eq!(used(&rig.sim(), i, &mem).await, 0, "{}: deleted on confirm", p.name);
        assert!(sent_cmgd(&rig.transcript(i)), "{}", p.name);
        assert_eq!(handle.status().unconfirmed, 0, "{}", p.name);
    }
    rig.stop().await;
}

/// Whether the host deleted a stored message (`AT+CMGD=<index>`).
fn sent_cmgd(transcript: &str) -> bool {
    sent_count(transcript, "AT+CMGD=") > 0
}
