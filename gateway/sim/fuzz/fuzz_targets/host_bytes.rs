//! Arbitrary bytes from the host, in arbitrary pieces with time passing in
//! between, into a simulated modem of any profile: the core must never
//! panic. The first byte picks the profile, each following byte below 8
//! advances the clock instead of being sent.
#![no_main]

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use bubblegate_sim::{ModemSpec, Network, NetworkConfig, Profile, ProfileSet};
use libfuzzer_sys::fuzz_target;

fn profiles() -> &'static [Arc<Profile>] {
    static PROFILES: OnceLock<Vec<Arc<Profile>>> = OnceLock::new();
    PROFILES.get_or_init(|| {
        let set = ProfileSet::builtin().expect("built-in profiles load");
        set.iter().map(|p| Arc::new(p.clone())).collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((pick, rest)) = data.split_first() else { return };
    let all = profiles();
    let profile = all[usize::from(*pick) % all.len()].clone();
    let cfg = NetworkConfig { radio_time: Duration::from_millis(300), ..NetworkConfig::fast() };
    let mut net = Network::new(cfg);
    let mut now = Instant::now();
    let id = net.add_modem(ModemSpec::new(profile, 0), now);
    let _ = net.add_modem(ModemSpec::new(all[0].clone(), 1), now);
    for chunk in rest.split(|b| *b < 8) {
        net.handle_input(id, chunk, now);
        now += Duration::from_millis(250);
        net.handle_timeout(now);
        while net.poll_transmit_any().is_some() {}
        while net.poll_event().is_some() {}
    }
});
