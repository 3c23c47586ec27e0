//! Durability: a stored message is deleted only after the consumer
//! confirms it. Killing the actor between the read and the confirmation
//! loses nothing: after the restart the message is read again, and the old
//! token can no longer delete anything.

use bubblegate_modem::{ConfirmError, EventKind};
use bubblegate_sim::ModemId;
use bubblegate_simulator::Recipient;

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
