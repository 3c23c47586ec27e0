//! Text message forwarding: an SMS received on an owned SIM is sealed by
//! the hub to every active device of the owner, signed with the hub key;
//! nobody else gets it, and SMS to other modems are not forwarded. Devices
//! not seen for `inactive_after` stop counting.

use std::time::Duration;

use axum::http::StatusCode;
use bubblegate_hub::{Clock, HubConfig, OwnedSim};
use bubblegate_proto::{Content, Kind, E164};

use crate::support::*;

on_both_backends!(sms_to_an_owned_sim_is_sealed_to_every_device);

async fn sms_to_an_owned_sim_is_sealed_to_every_device(db: Db) {
    let config = HubConfig {
        owned_sims: vec![OwnedSim {
            modem: "attic".into(),
            handle: E164::parse(ALICE, None).unwrap(),
        }],
        inactive_after: Duration::from_secs(30 * 86_400),
        ..HubConfig::default()
    };
    let env = db.env(config).await;
    let phone = env.register(ALICE, "phone").await;
    let laptop = env.register(ALICE, "laptop").await;
    let bob = env.register(BOB, "phone").await;
    // The phone heard of the laptop; clear that.
    let notices: Vec<_> = env.inbox(&phone).await.into_iter().map(|(e, _)| e.id).collect();
    env.ack(&phone, &notices.iter().map(String::as_str).collect::<Vec<_>>()).await;

    let received_at = env.clock.now();
    env.receive_sms("attic", "+31699999999", "Your parcel arrives today").await;
    env.receive_sms("hat", "+31699999999", "not for Alice").await;
    let want = Content::Sms {
        from: "+31699999999".into(),
        body: "Your parcel arrives today".into(),
        received_at: bubblegate_hub::clock::millis(received_at),
    };
    for device in [&phone, &laptop] {
        let got = env.inbox(device).await;
        assert_eq!(got.len(), 1, "one forwarded SMS each");
        let (envelope, content) = &got[0];
        assert_eq!(envelope.sender, None, "signed by the hub (verified in `open`)");
        assert_eq!(envelope.kind, Kind::Sms);
        assert_eq!(*content, want);
    }
    assert!(env.inbox(&bob).await.is_empty());
    assert_eq!(env.metric("bubblegate_hub_forwarded_sms_total"), 1);

    // A month without a sighting: Alice's devices no longer count, so she
    // routes green and gets no forwarded copies. Bob stays active by asking.
    env.advance(Duration::from_secs(31 * 86_400)).await;
    assert!(env.directory(&bob, ALICE).await.is_empty());
    let sent = env.send(&bob, "b1", &[ALICE], &text("you there?"), sms("you there?", false)).await;
    assert_eq!(sent.expect(StatusCode::CREATED).body["recipients"][0]["route"], "green");
    env.receive_sms("attic", "+31699999999", "again").await;
    assert_eq!(env.metric("bubblegate_hub_forwarded_sms_total"), 1);
}
