//! Property tests: whatever the host sends, in whatever pieces, with
//! whatever faults and time in between, the core never panics and keeps
//! answering afterwards.

use std::time::Duration;

use bubblegate_sim::{Fault, NetworkConfig};
use proptest::prelude::*;

use crate::support::*;

/// Fragments that reach deep states: commands, prompts, Ctrl-Z, ESC.
fn fragment() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..40),
        Just(b"AT+CMGS=20\r".to_vec()),
        Just(b"AT+CMGF=1\r".to_vec()),
        Just(b"AT+CMGS=\"+31600000002\"\r".to_vec()),
        Just(b"AT+CMGW=12\r".to_vec()),
        Just(b"0011000B911306000000F20000AA05E8329BFD06\x1a".to_vec()),
        Just(b"\x1a".to_vec()),
        Just(b"\x1b".to_vec()),
        Just(b"AT+CNMI=2,2,0,2,0;+CSMS=1\r".to_vec()),
        Just(b"AT+CMGL=4;+CMGR=1;+CMGD=1,4\r".to_vec()),
        Just(b"AT+CNMA\r".to_vec()),
        Just(b"AT+CFUN=1,1\r".to_vec()),
        Just(b"ATV0E0Q1\r".to_vec()),
        Just(b"AT+CPIN=\"0000\"\r".to_vec()),
        Just(b"A/".to_vec()),
        "[ -~]{0,30}\r".prop_map(|s| format!("AT{s}").into_bytes()),
    ]
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        prop_oneof![0u64..3000, Just(u64::MAX)].prop_map(|ms| Fault::Delay { ms }),
        (0u16..600, 0u32..3).prop_map(|(code, count)| Fault::CmsError { code, count }),
        (0u32..3).prop_map(|count| Fault::DropReply { count }),
        Just(Fault::Hang),
        proptest::collection::vec(any::<u8>(), 0..20).prop_map(|bytes| Fault::Garbage { bytes }),
        Just(Fault::Truncate),
        Just(Fault::Unplug),
        Just(Fault::Replug),
        Just(Fault::Reboot),
        Just(Fault::RegistrationLost),
        Just(Fault::RegistrationRegained),
        any::<bool>().prop_map(|full| Fault::StorageFull { full }),
        any::<u8>().prop_map(|rssi| Fault::Signal { rssi }),
    ]
}

#[derive(Debug, Clone)]
enum Step {
    Bytes(usize, Vec<u8>),
    Wait(u64),
    Fault(usize, Fault),
    Inject(usize, String),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0usize..2, fragment()).prop_map(|(m, b)| Step::Bytes(m, b)),
        2 => (0u64..5000).prop_map(Step::Wait),
        1 => (0usize..2, fault()).prop_map(|(m, f)| Step::Fault(m, f)),
        1 => (0usize..2, "\\PC{0,200}").prop_map(|(m, t)| Step::Inject(m, t)),
    ]
}

proptest! {

    #[test]
    fn arbitrary_host_bytes_never_panic(
        profile_a in 0usize..14,
        profile_b in 0usize..14,
        bytes in proptest::collection::vec(any::<u8>(), 0..2000),
    ) {
        let all = all_profiles();
        let mut sim = Sim::new(NetworkConfig { radio_time: Duration::from_millis(100), ..NetworkConfig::fast() });
        let a = sim.add(all[profile_a % all.len()].clone());
        let _b = sim.add(all[profile_b % all.len()].clone());
        for chunk in bytes.chunks(7) {
            sim.write(a, chunk);
        }
        sim.advance(Duration::from_secs(120));
        sim.write(a, b"\x1b\r");
        sim.advance(Duration::from_secs(1));
        sim.take(a);
        // Still alive: a reboot gets it back to a known state, and it answers.
        sim.net.inject_fault(a, Fault::Reboot, sim.now).unwrap();
        sim.take(a);
        prop_assert!(sim.at(a, "AT").ends_with("OK\r\n"));
    }

    #[test]
    fn arbitrary_sessions_never_panic(
        profile_a in 0usize..14,
        profile_b in 0usize..14,
        steps in proptest::collection::vec(step(), 0..40),
    ) {
        let all = all_profiles();
        let mut sim = Sim::new(NetworkConfig {
            radio_time: Duration::from_millis(700),
            boot_time: Duration::from_millis(300),
            report_delay: Duration::from_millis(500),
            ..NetworkConfig::fast()
        });
        let ids = [
            sim.add(all[profile_a % all.len()].clone()),
            sim.add(all[profile_b % all.len()].clone()),
        ];
        for step in steps {
            match step {
                Step::Bytes(m, b) => sim.write(ids[m], &b),
                Step::Wait(ms) => sim.advance(Duration::from_millis(ms)),
                Step::Fault(m, f) => { let _ = sim.net.inject_fault(ids[m], f, sim.now); }
                Step::Inject(m, t) => {
                    let to = format!("+3160000000{}", m + 1);
                    let _ = sim.net.inject_text(&to, "+31699999999", &t, sim.now);
                }
            }
        }
        sim.advance(Duration::from_secs(600));
        for id in ids {
            sim.take(id);
            sim.net.inject_fault(id, Fault::Delay { ms: 0 }, sim.now).unwrap();
            sim.net.inject_fault(id, Fault::Reboot, sim.now).unwrap();
            sim.advance(Duration::from_secs(1));
            sim.take(id);
            prop_assert!(sim.at(id, "AT").ends_with("OK\r\n"), "{:?}", sim.net.modem(id));
        }
    }
}
