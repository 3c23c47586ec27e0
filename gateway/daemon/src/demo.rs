//! `bubblegate demo`: the gateway on SQLite plus simulated modems in one
//! process, with everything kept in one state directory. The modems sit
//! on real pseudo-terminals, so the daemon drives them through the same
//! serial code as a USB modem; where PTYs cannot be opened, in-process
//! ports stand in.
//!
//! The state directory holds `bubblegate.db`, the generated `admin-token`
//! (mode 0600, made on first start and reused after), the hub's key
//! `hub.key` (the encrypted network is on in the demo) and `sim/` with the
//! modems' paths and AT transcripts. The token is printed nowhere: the
//! start-up hint says where the file is.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use bubblegate_modem::{BoxFuture, ModemId, ModemIo, OpenError, PortLocator, PortOpener};
use bubblegate_profiles::ProfileSet;
use bubblegate_simulator::bubblegate_sim::NetworkConfig;
use bubblegate_simulator::{
    Adapter, ModemConfig as SimModem, SimHandle, Simulator, SimulatorConfig,
};
use bubblegate_store::{NodeId, StoreConfig};
use tokio_util::sync::CancellationToken;

use crate::config::{
    ApiSettings, Config, InboxSettings, Limits, ModemSettings, NetworkSettings, OutboxSettings,
    PolicySettings, PortSpec, Secret,
};
use crate::service::{serve, ServeError};

/// The models the demo's modems play, in turn.
const PROFILES: &[&str] = &["quectel-ec25", "simcom-sim800"];

/// What `bubblegate demo` was asked for.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub dir: PathBuf,
    pub modems: u32,
    pub listen: SocketAddr,
    /// No simulated radio or boot time.
    pub fast: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot use the state directory {path}: {source}")]
    Dir { path: PathBuf, source: std::io::Error },
    #[error("no modem profile `{0}`")]
    Profile(String),
    #[error("cannot start the simulated network: {0}")]
    Simulator(#[from] bubblegate_simulator::SimulatorError),
    #[error(transparent)]
    Serve(#[from] ServeError),
}

/// The default state directory: `$XDG_STATE_HOME/bubblegate-demo`, else
/// `~/.local/state/bubblegate-demo`, else one in the temporary directory.
pub fn default_dir() -> PathBuf {
    let from = |var: &str, rest: &str| {
        std::env::var_os(var).map(PathBuf::from).filter(|p| p.is_absolute()).map(|p| p.join(rest))
    };
    from("XDG_STATE_HOME", "bubblegate-demo")
        .or_else(|| from("HOME", ".local/state/bubblegate-demo"))
        .unwrap_or_else(|| std::env::temp_dir().join("bubblegate-demo"))
}

/// The demo modem's phone number: numbers in the Dutch mobile range that
/// libphonenumber accepts, so the API takes them as destinations.
pub fn demo_number(index: u32) -> String {
    format!("+3161234{:04}", index + 1)
}

/// Reads the admin token from `path`, or makes one there (owner-only).
pub fn admin_token(path: &Path) -> std::io::Result<String> {
    if let Ok(text) = std::fs::read_to_string(path) {
        let token = text.trim().to_owned();
        if token.len() >= 16 {
            return Ok(token);
        }
    }
    let mut bytes = [0u8; 24];
    std::io::Read::read_exact(&mut std::fs::File::open("/dev/urandom")?, &mut bytes)?;
    let token = bubblegate_sms::hex::encode(&bytes).to_ascii_lowercase();
    let mut file = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(path)?
    };
    writeln!(file, "{token}")?;
    Ok(token)
}

/// Opens a simulated modem's in-process port.
struct DuplexOpener {
    sim: SimHandle,
    id: bubblegate_simulator::bubblegate_sim::ModemId,
}

impl PortOpener for DuplexOpener {
    fn open(&self) -> BoxFuture<'_, Result<Box<dyn ModemIo>, OpenError>> {
        Box::pin(async move {
            match self.sim.open_duplex(self.id).await {
                Ok(stream) => Ok(Box::new(stream) as Box<dyn ModemIo>),
                Err(err) => {
                    Err(OpenError::Absent { port: format!("simulated {}: {err}", self.id) })
                }
            }
        })
    }

    fn describe(&self) -> String {
        format!("simulated {}", self.id)
    }
}

async fn start_simulator(
    opts: &DemoOptions,
    profiles: &ProfileSet,
    adapter: Adapter,
) -> Result<Simulator, DemoError> {
    let mut modems = Vec::new();
    for i in 0..opts.modems {
        let name = PROFILES[i as usize % PROFILES.len()];
        let profile = profiles.get(name).ok_or_else(|| DemoError::Profile(name.to_owned()))?;
        let mut modem = SimModem::new(Arc::new(profile.clone()), i, adapter);
        modem.spec.number = demo_number(i);
        modems.push(modem);
    }
    let network = if opts.fast { NetworkConfig::fast() } else { NetworkConfig::default() };
    let config = SimulatorConfig {
        dir: opts.dir.join("sim"),
        modems,
        control: Some(SocketAddr::from(([127, 0, 0, 1], 0))),
        network,
    };
    Ok(Simulator::start(config).await?)
}

/// Runs the demo until Ctrl-C or SIGTERM.
pub async fn run(opts: DemoOptions, profiles: Arc<ProfileSet>) -> Result<(), DemoError> {
    let dir_error = |source| DemoError::Dir { path: opts.dir.clone(), source };
    std::fs::create_dir_all(&opts.dir).map_err(dir_error)?;
    let token_path = opts.dir.join("admin-token");
    let token = admin_token(&token_path).map_err(dir_error)?;

    let (sim, adapter) = match start_simulator(&opts, &profiles, Adapter::Pty).await {
        Ok(sim) => (sim, Adapter::Pty),
        Err(err) => {
            tracing::warn!(%err, "pseudo-terminals unavailable; using in-process modem ports");
            (start_simulator(&opts, &profiles, Adapter::Duplex).await?, Adapter::Duplex)
        }
    };
    let mut modems = Vec::new();
    let mut lines = Vec::new();
    for (i, m) in sim.modems().iter().enumerate() {
        let port = match (&m.path, adapter) {
            (Some(path), Adapter::Pty) => PortSpec::Serial(PortLocator::ByPath(path.clone())),
            _ => PortSpec::Opener(Arc::new(DuplexOpener { sim: sim.handle(), id: m.info.id })),
        };
        let profile = profiles.get(&m.info.profile).map(|p| Arc::new(p.clone()));
        let id = ModemId::new(format!("modem{i}"))
            .map_err(|e| DemoError::Profile(format!("modem{i}: {e}")))?;
        lines.push(format!("    {id}  {}  ({})", m.info.number, m.info.profile));
        modems.push(ModemSettings {
            id,
            port,
            profile,
            number: Some(m.info.number.clone()),
            pin: None,
            smsc: None,
            limits: Limits::default(),
            destination_prefixes: Vec::new(),
            power_cycle: None,
            enabled: true,
        });
    }
    let config = Config {
        node: NodeId("demo".to_owned()),
        store: StoreConfig::Sqlite { path: opts.dir.join("bubblegate.db") },
        api: ApiSettings { listen: opts.listen, admin_token: Secret::new(token) },
        health_interval: Duration::from_secs(300),
        shutdown_grace: Duration::from_secs(20),
        policy: PolicySettings::default(),
        outbox: OutboxSettings {
            retry_backoff: Duration::from_secs(5),
            ..OutboxSettings::default()
        },
        inbox: InboxSettings::default(),
        modems,
        webhooks: Vec::new(),
        // The encrypted network's hub, with its key in the state directory.
        network: Some(NetworkSettings {
            hub: bubblegate_hub::HubConfig::default(),
            key_file: opts.dir.join("hub.key"),
        }),
    };
    let control = sim.control_addr();
    let to =
        sim.modems().get(1).map_or_else(|| "+31612345678".to_owned(), |m| m.info.number.clone());
    let dir = opts.dir.clone();
    let result = serve(config, profiles, CancellationToken::new(), |addr| {
        print_hint(addr, &dir, &token_path, &lines, control, &to);
    })
    .await;
    sim.shutdown().await;
    Ok(result?)
}

fn print_hint(
    addr: SocketAddr,
    dir: &Path,
    token: &Path,
    modems: &[String],
    control: Option<SocketAddr>,
    to: &str,
) {
    let token = token.display();
    let mut out = String::new();
    out.push_str("Bubblegate demo: the gateway with simulated modems.\n");
    out.push_str(&format!("  API            http://{addr}\n"));
    out.push_str(&format!("  admin token    in {token}\n"));
    out.push_str(&format!("  state          {}\n", dir.display()));
    if let Some(control) = control {
        out.push_str(&format!("  simulator      http://{control} (inject SMS, faults)\n"));
    }
    out.push_str("  modems\n");
    for line in modems {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("\nSend a first message from another terminal:\n\n");
    let defaults = addr.to_string() == crate::config::DEFAULT_LISTEN && dir == default_dir();
    if !defaults {
        out.push_str(&format!(
            "  export BUBBLEGATE_API=http://{addr} BUBBLEGATE_TOKEN_FILE={token}\n"
        ));
    }
    out.push_str(&format!("  bubblegate send --to {to} --text hi\n"));
    out.push_str("  bubblegate inbox\n\n");
    out.push_str("or with curl:\n\n");
    out.push_str(&format!(
        "  curl -s -H \"Authorization: Bearer $(cat {token})\" -H 'content-type: application/json' \\\n       -d '{{\"to\": \"{to}\", \"text\": \"hi\"}}' http://{addr}/v1/sms\n\n"
    ));
    out.push_str("Ctrl-C stops the demo; the state directory keeps its messages.\n");
    print!("{out}");
    let _ = std::io::stdout().flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_made_once_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("admin-token");
        let first = admin_token(&path).unwrap();
        assert_eq!(first.len(), 48);
        assert_eq!(admin_token(&path).unwrap(), first);
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn demo_numbers_are_valid_destinations() {
        for i in 0..4 {
            assert!(crate::policy::normalise(&demo_number(i)).is_ok());
            let n = phonenumber::parse(None, demo_number(i)).unwrap();
            assert!(n.is_valid(), "{}", demo_number(i));
        }
    }
}
