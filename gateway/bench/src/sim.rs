//! A fresh simulated network for each measurement: `bubblegate-simulator`
//! with its modems on real PTYs and a fixed radio time, run on a thread of
//! its own so that nothing the benchmark does (starting processes,
//! reading transcripts) can delay a simulated modem's answer.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, bail, Context};
use bubblegate_simulator::bubblegate_sim::{NetworkConfig, ProfileSet};
use bubblegate_simulator::{Adapter, ModemConfig, SimHandle, Simulator, SimulatorConfig};
use tokio::sync::oneshot;

/// How long the simulator may take to start or to stop.
const SIM_WAIT: Duration = Duration::from_secs(20);

/// What to simulate.
#[derive(Debug, Clone)]
pub struct SimSpec {
    pub modems: usize,
    pub profile: String,
    /// Ctrl-Z to `+CMGS: <mr>`: the radio round trip of every send.
    pub radio_time: Duration,
}

/// One simulated modem as a system under test sees it.
#[derive(Debug, Clone)]
pub struct SimModem {
    /// `modem0`, ...
    pub name: String,
    /// The PTY's stable symlink, to open as a serial port.
    pub path: PathBuf,
    pub transcript: PathBuf,
}

/// A running simulator; stopped when dropped.
pub struct SimRig {
    pub modems: Vec<SimModem>,
    handle: SimHandle,
    _thread: SimThread,
}

type Started = anyhow::Result<(SimHandle, Vec<bubblegate_simulator::ModemStatus>)>;

impl SimRig {
    /// Starts `spec.modems` modems in `dir`.
    pub async fn start(spec: &SimSpec, dir: &Path) -> anyhow::Result<SimRig> {
        let set = ProfileSet::load(None).context("cannot load the modem profiles")?;
        let profile = Arc::new(
            set.get(&spec.profile)
                .ok_or_else(|| anyhow!("no modem profile `{}`", spec.profile))?
                .clone(),
        );
        let modems = (0..spec.modems)
            .map(|i| ModemConfig::new(profile.clone(), i as u32, Adapter::Pty))
            .collect();
        let network = NetworkConfig { radio_time: spec.radio_time, ..NetworkConfig::default() };
        let config = SimulatorConfig { dir: dir.to_path_buf(), modems, control: None, network };

        let (ready_tx, ready_rx) = oneshot::channel::<Started>();
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("simulator".into())
            .spawn(move || serve(config, ready_tx, stop_rx))
            .context("cannot start the simulator thread")?;
        // From here on, dropping `guard` stops the simulator.
        let guard = SimThread { stop: Some(stop_tx), thread: Some(thread) };
        let (handle, statuses) = tokio::time::timeout(SIM_WAIT, ready_rx)
            .await
            .context("the simulator did not start in time")?
            .context("the simulator thread ended")??;
        let mut modems = Vec::new();
        for status in statuses {
            let path = status.path.ok_or_else(|| anyhow!("{} has no PTY path", status.name))?;
            modems.push(SimModem { name: status.name, path, transcript: status.transcript });
        }
        Ok(SimRig { modems, handle, _thread: guard })
    }

    /// The texts of the messages the network received from the modems.
    pub async fn received_texts(&self) -> anyhow::Result<Vec<String>> {
        let received = tokio::time::timeout(SIM_WAIT, self.handle.received())
            .await
            .context("the simulator did not answer in time")?
            .context("the simulator stopped")?;
        Ok(received
            .into_iter()
            .filter_map(|m| match m.body {
                bubblegate_simulator::bubblegate_sim::Body::Text(text) => Some(text),
                bubblegate_simulator::bubblegate_sim::Body::Data(_) => None,
            })
            .collect())
    }

    /// Waits until every modem has finished booting (its ready URCs are in
    /// its transcript), as real modems have by the time a daemon starts:
    /// a host that writes to a booting modem gets no answer and waits for
    /// its own timeouts, which would measure the simulator's boot time.
    pub async fn wait_booted(&self) -> anyhow::Result<()> {
        let deadline = tokio::time::Instant::now() + SIM_WAIT;
        loop {
            let booted = self.transcripts()?.iter().all(|t| t.contains(" << "));
            if booted {
                // The URCs are written as the boot ends; let it finish.
                tokio::time::sleep(Duration::from_millis(200)).await;
                return Ok(());
            }
            if tokio::time::Instant::now() >= deadline {
                bail!("the simulated modems did not boot within {SIM_WAIT:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Every modem's transcript as it is now.
    pub fn transcripts(&self) -> anyhow::Result<Vec<String>> {
        self.modems
            .iter()
            .map(|m| {
                std::fs::read_to_string(&m.transcript)
                    .with_context(|| format!("cannot read {}", m.transcript.display()))
            })
            .collect()
    }
}

/// The simulator's thread: stopped and joined on drop.
struct SimThread {
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for SimThread {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            // The thread's own shutdown is bounded by SIM_WAIT.
            if thread.join().is_err() {
                eprintln!("the simulator thread panicked");
            }
        }
    }
}

/// The simulator thread's body: a current-thread runtime that runs the
/// simulator until told to stop (or until the rig is gone).
fn serve(config: SimulatorConfig, ready: oneshot::Sender<Started>, stop: oneshot::Receiver<()>) {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            let _ = ready.send(Err(anyhow!("cannot start the simulator's runtime: {err}")));
            return;
        }
    };
    runtime.block_on(async move {
        let sim = match Simulator::start(config).await {
            Ok(sim) => sim,
            Err(err) => {
                let _ = ready.send(Err(anyhow!("cannot start the simulator: {err}")));
                return;
            }
        };
        if ready.send(Ok((sim.handle(), sim.modems().to_vec()))).is_err() {
            sim.shutdown().await;
            return;
        }
        // A dropped sender (the rig is gone) stops the simulator as well.
        let _ = stop.await;
        if tokio::time::timeout(SIM_WAIT, sim.shutdown()).await.is_err() {
            eprintln!("the simulator did not stop within {SIM_WAIT:?}");
        }
    });
}
