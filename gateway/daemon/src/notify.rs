//! systemd notification (`Type=notify`): `READY=1` once the API listens and
//! the modems are started, `WATCHDOG=1` at half the unit's `WatchdogSec`
//! while the daemon's event loop runs, `STOPPING=1` when shutdown begins.
//! Without `NOTIFY_SOCKET` (not under systemd) every call does nothing.

use std::time::Duration;

use sd_notify::NotifyState;
use tokio_util::sync::CancellationToken;

fn send(state: NotifyState<'_>) {
    if let Err(err) = sd_notify::notify(&[state]) {
        tracing::warn!(%err, "cannot notify systemd");
    }
}

pub fn ready() {
    send(NotifyState::Ready);
}

pub fn stopping() {
    send(NotifyState::Stopping);
}

/// The watchdog interval systemd asked for, if any.
pub fn watchdog_interval() -> Option<Duration> {
    sd_notify::watchdog_enabled()
}

/// Pings the watchdog every half interval until `token` is cancelled. A
/// stalled runtime stops the pings, and systemd restarts the service.
pub async fn watchdog(interval: Duration, token: CancellationToken) {
    let period = (interval / 2).max(Duration::from_millis(500));
    loop {
        send(NotifyState::Watchdog);
        tokio::select! {
            () = token.cancelled() => return,
            () = tokio::time::sleep(period) => {}
        }
    }
}
