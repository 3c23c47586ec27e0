//! Identify and init, for every profile: the profile is detected from the
//! identify answers, its init sequence and SMS setup reach the modem, and
//! the modem becomes ready with signal, registration and operator known.

use bubblegate_modem::ModemState;

use crate::support::*;

#[tokio::test(start_paused = true)]
async fn every_profile_is_identified_set_up_and_ready() {
    let profiles = all_profiles();
    let rig = Rig::start(profiles.clone(), RigOptions::default()).await;
    for (i, p) in profiles.iter().enumerate() {
        let handle = rig.handle(i);
        ready(handle).await;
        let status = handle.status();
        assert_eq!(status.profile.as_deref(), Some(p.name.as_str()), "detected profile");
        let identity = status.identity.expect("identity");
        assert_eq!(identity.manufacturer, p.identity.manufacturer, "{}", p.name);
        assert_eq!(identity.model, p.identity.model, "{}", p.name);
        assert!(identity.imei.is_some(), "{}: IMEI", p.name);
        assert_eq!(status.state, ModemState::Ready);
        assert!(status.signal.is_some(), "{}: signal", p.name);
        assert!(status.registration.is_some_and(|r| r.is_registered()), "{}", p.name);
        assert_eq!(
            status.operator.as_deref(),
            Some("Bubblegate"),
            "{}: {}",
            p.name,
            rig.transcript(i)
        );
        let transcript = rig.transcript(i);
        for line in p.startup() {
            assert!(
                sent(&transcript, line.as_str()),
                "{}: {line} not sent; transcript:\n{transcript}",
                p.name
            );
        }
        assert!(sent(&transcript, "AT+CMGL=4"), "{}: startup sweep", p.name);
    }
    rig.stop().await;
}
