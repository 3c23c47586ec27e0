//! The daemon binary under failure, against simulated modems on real
//! PTYs: a modem unplugged mid-batch fails over to the others; `kill -9`
//! mid-batch then a restart loses nothing, duplicates no more than the
//! parts in flight, and every message still ends delivered, its status
//! report kept on the modem (`<ds>`=2) while the daemon was dead; SMS that
//! arrive while the daemon is down are picked up at start.

use std::time::{Duration, Instant};

use bubblegate_api::{MessageStatus, PartState};
use serde_json::json;

use crate::daemon_support::{
    batch_text, batch_to, inject, message_count, received_parts, runtime, text_sms, write_config,
    Daemon, Sim, STORING_REPORTS, WAIT,
};

/// Slows every answer of every modem, so that a batch is still running
/// when the test strikes.
async fn slow_down(sim: &Sim, ms: u64) {
    for i in 0..sim.modems.len() {
        sim.fault(i, json!({"fault": "delay", "ms": ms})).await;
    }
}

/// Waits until at least `n` of `ids` are delivered.
async fn wait_delivered(daemon: &Daemon, ids: &[String], n: usize) {
    let start = Instant::now();
    loop {
        let mut delivered = 0;
        for id in ids {
            if let Ok(Some(m)) = daemon.api.message(id).await {
                delivered += usize::from(m.status == MessageStatus::Delivered);
            }
        }
        if delivered >= n {
            return;
        }
        assert!(start.elapsed() < WAIT, "only {delivered} delivered:\n{}", daemon.log_text());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[test]
fn a_modem_unplugged_mid_batch_fails_over() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sim = Sim::start(dir.path(), 3);
    let config = write_config(dir.path(), &sim, "");
    let daemon = Daemon::start(dir.path(), &config, 1);
    let count = message_count(30);
    runtime().block_on(async {
        daemon.wait_ready(3).await;
        slow_down(&sim, 100).await;
        let mut ids = Vec::new();
        for i in 0..count {
            // Single parts: a message whose first parts left through a
            // modem stays with that modem's SIM, as phones join parts only
            // from one sender number.
            ids.push(daemon.submit(&batch_to(i), &format!("failover {i:04}")).await);
        }
        wait_delivered(&daemon, &ids, 3).await;
        sim.fault(0, json!({"fault": "unplug"})).await;
        // Everything is sent by the others; only a status report for a part
        // that modem0 sent just before the unplug waits for modem0.
        let on_modem0 = |p: &bubblegate_api::PartView| {
            p.state == PartState::Submitted && p.modem.as_deref() == Some("modem0")
        };
        let settled = daemon
            .wait_settled(&ids, |m| {
                m.parts.iter().all(|p| p.state == PartState::Delivered || on_modem0(p))
            })
            .await;
        let after_unplug =
            settled.values().filter(|m| m.parts[0].modem.as_deref() != Some("modem0")).count();
        assert!(after_unplug > 0, "the other modems took over");
        let health = daemon.api.health().await.expect("health");
        assert_eq!(health.modems_ready, 2, "{health:?}");
        // At most the part in flight on the unplugged modem went twice.
        let received = received_parts(&sim.received().await);
        let extra: usize = (0..count)
            .map(|i| {
                received.get(&format!("failover {i:04}")).copied().unwrap_or(0).saturating_sub(1)
            })
            .sum();
        assert!((0..count).all(|i| received.contains_key(&format!("failover {i:04}"))));
        assert!(extra <= 1, "{extra} duplicates");
        // Plugged back in, the modem comes back and gets its reports.
        sim.fault(0, json!({"fault": "replug"})).await;
        daemon.wait_ready(3).await;
        let done = daemon.wait_final(&ids).await;
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(done[id].status, MessageStatus::Delivered, "message {i}: {:?}", done[id]);
        }
    });
    assert!(daemon.terminate().success());
}

#[test]
fn kill_9_mid_batch_loses_nothing_and_inbound_sms_wait_for_the_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Models that store status reports (+CNMI <ds>=2, +CDSI): a report that
    // comes while the daemon is dead waits on the modem for the restart's
    // sweep, and leaves it only once the daemon committed it.
    let sim = Sim::start_with(dir.path(), 3, &STORING_REPORTS);
    let config = write_config(dir.path(), &sim, "");
    let first = Daemon::start(dir.path(), &config, 1);
    let count = message_count(30);
    let rt = runtime();
    let ids = rt.block_on(async {
        first.wait_ready(3).await;
        slow_down(&sim, 100).await;
        let mut ids = Vec::new();
        for i in 0..count {
            ids.push(first.submit(&batch_to(i), &batch_text(i)).await);
        }
        wait_delivered(&first, &ids, 3).await;
        // Strike while a status report waits on a modem: stored when its
        // +CMGS answer went out, and not read and deleted yet (every
        // answer takes 100 ms), so its part is `submitted` and the report
        // reaches the store only through the next daemon.
        wait_stored(&sim, &first).await;
        ids
    });
    first.kill();
    let waiting = rt.block_on(async {
        // While the daemon is down: an inbound SMS waits on the SIM too.
        let waiting: u64 = sim.stored().await.iter().sum();
        inject(&sim, 1, text_sms("+31687650000", "while you were out")).await;
        slow_down(&sim, 0).await;
        waiting
    });
    assert!(waiting >= 1, "no status report waited on the modems");
    eprintln!("{waiting} status report(s) waited on the modems for the restart");
    let second = Daemon::start(dir.path(), &config, 2);
    rt.block_on(async {
        // Every part ends with its report: the network reports every part
        // delivered, and none may stay `submitted`.
        let done = second.wait_final(&ids).await;
        let mut expected_parts = 0;
        for (i, id) in ids.iter().enumerate() {
            let m = &done[id];
            expected_parts += m.parts.len();
            assert!(m.parts.iter().all(|p| p.state == PartState::Delivered), "message {i}: {m:?}");
            assert_eq!(m.status, MessageStatus::Delivered, "message {i}: {m:?}");
        }
        // None lost at the network; duplicates bounded by the parts in
        // flight at the kill: at most one per modem.
        let received = received_parts(&sim.received().await);
        let mut total = 0;
        for i in 0..count {
            let got = received.get(&batch_text(i)).copied().unwrap_or(0);
            let want = if i % 3 == 0 { 3 } else { 1 };
            assert!(got >= want, "message {i}: {got} of {want} parts at the network");
            total += got;
        }
        let duplicates = total - expected_parts;
        assert!(duplicates <= 3, "{duplicates} duplicate parts after kill -9");

        let start = Instant::now();
        loop {
            let page = second.api.inbox(None, Some(50)).await.expect("inbox");
            if page.messages.iter().any(|m| m.text == "while you were out") {
                break;
            }
            assert!(start.elapsed() < WAIT, "inbound SMS not picked up:\n{}", second.log_text());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // Every report and message was committed, then deleted: nothing
        // is left on the modems.
        let start = Instant::now();
        loop {
            let left = sim.stored().await;
            if left.iter().all(|n| *n == 0) {
                break;
            }
            assert!(start.elapsed() < WAIT, "left on the modems: {left:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    assert!(second.terminate().success());
}

/// Waits until some modem holds a message (here: a status report not yet
/// read and deleted by the daemon).
async fn wait_stored(sim: &Sim, daemon: &Daemon) {
    let start = Instant::now();
    loop {
        if sim.stored().await.iter().any(|n| *n > 0) {
            return;
        }
        assert!(start.elapsed() < WAIT, "no report ever waited:\n{}", daemon.log_text());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[test]
fn sigterm_mid_send_finishes_the_part_in_flight() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sim = Sim::start(dir.path(), 1);
    let config = write_config(dir.path(), &sim, "");
    let first = Daemon::start(dir.path(), &config, 1);
    let rt = runtime();
    let id = rt.block_on(async {
        first.wait_ready(1).await;
        // Every answer takes 1.5 s: the +CMGS is still running at SIGTERM.
        sim.fault(0, json!({"fault": "delay", "ms": 1500})).await;
        let id = first.submit(&batch_to(0), "in flight at shutdown").await;
        let start = Instant::now();
        loop {
            let m = first.api.message(&id).await.expect("message").expect("known");
            if m.parts[0].state == PartState::Submitting {
                break;
            }
            assert!(start.elapsed() < WAIT, "never submitting: {m:?}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        id
    });
    let status = first.terminate();
    assert!(status.success(), "{status}");
    rt.block_on(sim_fault_off(&sim));
    let second = Daemon::start(dir.path(), &config, 2);
    rt.block_on(async {
        // Committed as submitted before the daemon exited; its status
        // report, stored on the modem (quectel-ec25: <ds>=2) if the first
        // daemon did not take it, reaches the second.
        let done = second.wait_final(std::slice::from_ref(&id)).await;
        let m = &done[&id];
        assert_eq!(m.parts[0].state, PartState::Delivered, "{m:?}");
        assert_eq!(m.parts[0].attempts, 1, "sent once, not recovered: {m:?}");
        let received = received_parts(&sim.received().await);
        assert_eq!(received.get("in flight at shutdown"), Some(&1));
    });
    assert!(!second.log_text().contains("queued again"), "{}", second.log_text());
    assert!(second.terminate().success());
}

async fn sim_fault_off(sim: &Sim) {
    slow_down(sim, 0).await;
}
