//! The daemon's life: [`Daemon::start`] opens the store, puts back the
//! parts a crash left `submitting`, records the configured modems, starts
//! one supervised actor per modem with its outbox and inbox workers, the
//! housekeeping task and the hand-off task (received SMS to the hub,
//! `network.rs`); [`Running::shutdown`] stops them in order.
//!
//! Start order matters: crash recovery runs before any worker can claim,
//! and each modem's event subscription is taken right after its actor is
//! spawned, before the actor can have read anything from the modem. The
//! hand-off task waits for the hub ([`Daemon::attach_hub`]), then hands it
//! every received SMS still pending in the store, a crash's too.
//!
//! Shutdown order matters too: the hand-off task stops first, finishing
//! the message in hand while the gateway still takes the SMS the hub
//! queues (a STOP's code); then workers stop claiming and finish the part
//! they hold (the actor completes a `+CMGS` in flight within its grace,
//! and the outcome is committed), then the actors stop, then the store
//! closes. Every step has a bound.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bubblegate_api::GatewayEvent;
use bubblegate_modem::{
    Backoff, Desired, ModemConfig, PortOpener, ProfileChoice, SerialOpener, SerialSettings,
    Supervisor,
};
use bubblegate_profiles::ProfileSet;
use bubblegate_store::{Iccid, ModemRecord, NodeId, SimRecord, Store};
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::clock::{utc_day, utc_month};
use crate::compose::Composer;
use crate::config::{Config, InboxSettings, ModemSettings, OutboxSettings, PortSpec};
use crate::policy::Policy;
use crate::pool::{Pool, PoolModem};
use crate::{housekeeping, inbox, network, outbox};

/// Events a slow API subscriber may fall behind by.
const EVENT_BUFFER: usize = 1024;

/// Why the daemon did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot open the store: {0}")]
    Store(#[source] bubblegate_store::Error),
    #[error("cannot prepare the store: {0}")]
    Prepare(#[source] bubblegate_store::Error),
    #[error("cannot start modem {modem}: {reason}")]
    Modem { modem: String, reason: String },
}

/// What every task of the daemon shares.
pub(crate) struct Inner {
    pub store: Store,
    pub node: NodeId,
    pub policy: Policy,
    pub pool: Pool,
    pub composer: Composer,
    pub outbox: OutboxSettings,
    pub inbox: InboxSettings,
    pub events: broadcast::Sender<GatewayEvent>,
    pub stopping: AtomicBool,
    /// The encrypted network's hub, once attached.
    pub hub: crate::network::HubSlot,
}

impl Inner {
    /// The configured number of the SIM in modem `id`.
    pub fn number_of(&self, id: &str) -> Option<String> {
        self.pool.modems().iter().find(|m| m.id.as_str() == id).and_then(|m| m.number.clone())
    }

    /// Sends an event to the API's subscribers, if any.
    pub fn publish(&self, event: GatewayEvent) {
        let _ = self.events.send(event);
    }
}

/// The gateway, as the API sees it. Cheap to clone.
#[derive(Clone)]
pub struct Daemon {
    pub(crate) inner: Arc<Inner>,
}

/// A started daemon and what it takes to stop it.
pub struct Running {
    daemon: Daemon,
    token: CancellationToken,
    tracker: TaskTracker,
    /// The hand-off task's, stopped before the rest.
    hand_off: (CancellationToken, TaskTracker),
    supervisor: Supervisor,
    grace: Duration,
}

/// The SIM key of a modem. The driver does not read the ICCID yet, so a
/// modem's work and quotas are counted against a SIM named after it.
pub(crate) fn sim_of(modem: &bubblegate_modem::ModemId) -> Iccid {
    Iccid(format!("sim:{modem}"))
}

impl Daemon {
    /// Starts everything `config` describes. `token` stops it all; prefer
    /// [`Running::shutdown`], which stops in order.
    pub async fn start(
        config: &Config,
        profiles: Arc<ProfileSet>,
        token: CancellationToken,
    ) -> Result<Running, StartError> {
        let store =
            bubblegate_store::Store::open(&config.store).await.map_err(StartError::Store)?;
        let now = SystemTime::now();
        let recovered =
            store.recover_after_crash(&config.node, now).await.map_err(StartError::Prepare)?;
        if !recovered.is_empty() {
            tracing::warn!(
                parts = recovered.len(),
                "parts were being submitted when the daemon stopped; they are queued again \
                 (at-least-once: the recipient may get them twice)"
            );
        }
        for m in &config.modems {
            record_modem(&store, &config.node, m, now).await.map_err(StartError::Prepare)?;
        }

        let (events, _) = broadcast::channel(EVENT_BUFFER);
        let mut supervisor = Supervisor::new(profiles, token.child_token());
        let mut modems = Vec::new();
        let mut subscriptions = Vec::new();
        for m in &config.modems {
            let opener = opener(m);
            let handle = supervisor.spawn(modem_config(m, config), opener).map_err(|e| {
                StartError::Modem { modem: m.id.to_string(), reason: e.to_string() }
            })?;
            // Subscribed at once: nothing the actor hands over is missed.
            subscriptions.push(handle.subscribe());
            let pm = PoolModem::new(m, handle, sim_of(&m.id), now);
            if let Ok(usage) = store.usage(&pm.sim, utc_day(now), utc_month(now)).await {
                pm.set_usage(now, usage);
            }
            modems.push(Arc::new(pm));
        }
        let policy = Policy::new(config.policy.clone());
        policy.seed(now, modems.iter().map(|m| m.usage(now).day).sum());

        let inner = Arc::new(Inner {
            store,
            node: config.node.clone(),
            policy,
            pool: Pool::new(modems.clone()),
            composer: Composer::default(),
            outbox: config.outbox.clone(),
            inbox: config.inbox.clone(),
            events,
            stopping: AtomicBool::new(false),
            hub: crate::network::HubSlot::new(config.network.is_some()),
        });
        let workers = token.child_token();
        let tracker = TaskTracker::new();
        for (modem, events) in modems.into_iter().zip(subscriptions) {
            let span = tracing::info_span!("modem", id = %modem.id);
            let wakeups = inner.store.wakeups().await.map_err(StartError::Prepare)?;
            tracker.spawn(tracing::Instrument::instrument(
                outbox::run(inner.clone(), modem.clone(), wakeups, workers.clone()),
                span.clone(),
            ));
            tracker.spawn(tracing::Instrument::instrument(
                inbox::run(inner.clone(), modem, events, workers.clone()),
                span,
            ));
        }
        let wakeups = inner.store.wakeups().await.map_err(StartError::Prepare)?;
        tracker.spawn(housekeeping::run(inner.clone(), wakeups, workers.clone()));
        let hand_off = (token.child_token(), TaskTracker::new());
        hand_off.1.spawn(network::hand_offs(inner.clone(), hand_off.0.clone()));
        tracing::info!(
            modems = config.modems.len(),
            node = %config.node,
            "gateway started"
        );
        Ok(Running {
            daemon: Daemon { inner },
            token: workers,
            tracker,
            hand_off,
            supervisor,
            grace: config.shutdown_grace,
        })
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }
}

impl Running {
    pub fn daemon(&self) -> Daemon {
        self.daemon.clone()
    }

    /// Stops in order, within the shutdown grace: the hand-off task
    /// finishes the message in hand (what it has not handed over stays
    /// pending for the next start), workers finish the part they hold and
    /// stop claiming, then the modem actors stop, then the store closes
    /// (at most 10 s more). Returns whether everything stopped in time.
    pub async fn shutdown(self) -> bool {
        let inner = &self.daemon.inner;
        // One deadline for all the tasks and actors, so that the whole
        // stop stays within the grace (and systemd's TimeoutStopSec).
        let deadline = tokio::time::Instant::now() + self.grace;
        let (hand_off, hand_off_tracker) = self.hand_off;
        hand_off.cancel();
        hand_off_tracker.close();
        let handed = tokio::time::timeout_at(deadline, hand_off_tracker.wait()).await.is_ok();
        if !handed {
            tracing::error!(grace = ?self.grace, "the hub still busy at the shutdown bound");
        }
        inner.stopping.store(true, Ordering::SeqCst);
        self.token.cancel();
        self.tracker.close();
        let workers_done = tokio::time::timeout_at(deadline, self.tracker.wait()).await.is_ok();
        if !workers_done {
            tracing::error!(grace = ?self.grace, "workers still busy at the shutdown bound");
        }
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let actors_done = self.supervisor.shutdown(left.max(Duration::from_secs(2))).await;
        if tokio::time::timeout(Duration::from_secs(10), inner.store.close()).await.is_err() {
            tracing::error!("the store did not close within 10 s");
        }
        tracing::info!("gateway stopped");
        handed && workers_done && actors_done
    }
}

/// Records a configured modem and its SIM, so that claims and inbound
/// messages can refer to them.
async fn record_modem(
    store: &Store,
    node: &NodeId,
    m: &ModemSettings,
    now: SystemTime,
) -> Result<(), bubblegate_store::Error> {
    let id = bubblegate_store::ModemId(m.id.to_string());
    let known = store.modems().await?.into_iter().find(|r| r.record.id == id);
    let profile = m
        .profile
        .as_ref()
        .map(|p| p.name.clone())
        .or_else(|| known.as_ref().map(|k| k.record.profile.clone()))
        .unwrap_or_else(|| "unknown".to_owned());
    let imei = known.and_then(|k| k.record.imei);
    store
        .upsert_modem(&ModemRecord { id: id.clone(), profile, imei, node: node.clone() }, now)
        .await?;
    let sim =
        SimRecord { iccid: sim_of(&m.id), imsi: None, msisdn: m.number.clone(), modem: Some(id) };
    store.upsert_sim(&sim, now).await
}

fn opener(m: &ModemSettings) -> Arc<dyn PortOpener> {
    match &m.port {
        PortSpec::Serial(locator) => Arc::new(SerialOpener {
            locator: locator.clone(),
            settings: m
                .profile
                .as_ref()
                .map(|p| SerialSettings::from_port(&p.port))
                .unwrap_or_default(),
        }),
        PortSpec::Opener(opener) => opener.clone(),
    }
}

fn modem_config(m: &ModemSettings, config: &Config) -> ModemConfig {
    let mut c = ModemConfig::new(m.id.clone());
    c.profile = match &m.profile {
        Some(p) => ProfileChoice::Fixed(p.clone()),
        None => ProfileChoice::Detect,
    };
    c.pin = m.pin.clone();
    c.smsc = m.smsc.clone();
    c.desired = if m.enabled { Desired::Enabled } else { Desired::Disabled };
    c.health_interval = config.health_interval;
    c.watchdog.power_cycle =
        m.power_cycle.clone().map(|h| Arc::new(h) as Arc<dyn bubblegate_modem::PowerCycleHook>);
    // The daemon waits for a +CMGS in flight as long as the actor does.
    c.shutdown_grace = config.shutdown_grace.saturating_sub(Duration::from_secs(5));
    // A send waits at most this long for the actor; past it the outcome is
    // unknown and the part is queued again.
    c.request_timeout = Duration::from_secs(180);
    if let Ok(backoff) = Backoff::new(Duration::from_secs(2), Duration::from_secs(120)) {
        c.backoff = backoff;
    }
    c
}
