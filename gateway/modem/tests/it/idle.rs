//! An idle modem sees only the health commands, once per health interval.

use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::support::*;

#[tokio::test(start_paused = true)]
async fn an_idle_modem_gets_only_the_health_commands_on_every_profile() {
    let profiles = all_profiles();
    let rig = Rig::start(profiles.clone(), RigOptions::default()).await;
    for handle in &rig.handles {
        ready(handle).await;
    }
    let interval = Duration::from_secs(60);
    let minutes = 10u32;
    let before: Vec<usize> = rig.commands.iter().map(|c| c.load(Ordering::SeqCst)).collect();
    let transcripts: Vec<usize> = (0..profiles.len()).map(|i| rig.transcript(i).len()).collect();
    tokio::time::sleep(interval * minutes).await;
    for (i, p) in profiles.iter().enumerate() {
        let domains = p
            .queries
            .registration
            .iter()
            .filter(|l| {
                ["+CREG", "+CGREG", "+CEREG", "+C5GREG"].contains(&l.command_name().as_str())
            })
            .count();
        // +CSQ, a registration query per domain, +COPS?, +CPMS?.
        let per_check = 1 + domains + 1 + 1;
        let sent = rig.commands[i].load(Ordering::SeqCst) - before[i];
        let checks = sent / per_check;
        assert_eq!(sent % per_check, 0, "{}: whole health checks only", p.name);
        assert!(
            (minutes as usize - 1..=minutes as usize).contains(&checks),
            "{}: {sent} commands in {minutes} minutes is {checks} checks",
            p.name
        );
        let idle = &rig.transcript(i)[transcripts[i]..];
        for line in idle.lines().filter(|l| l.contains(" >> ")) {
            let command = line.split(" >> ").nth(1).unwrap_or_default();
            assert!(
                [
                    "AT+CSQ",
                    "AT+CREG?",
                    "AT+CGREG?",
                    "AT+CEREG?",
                    "AT+C5GREG?",
                    "AT+COPS?",
                    "AT+CPMS?"
                ]
                .contains(&command),
                "{}: unexpected idle command {command}",
                p.name
            );
        }
    }
    rig.stop().await;
}
