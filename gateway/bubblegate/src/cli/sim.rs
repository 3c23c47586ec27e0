//! `bubblegate sim`: runs the modem simulator in the foreground. Parses and
//! checks the arguments, starts `bubblegate_simulator::Simulator`, prints
//! where each modem is, and stops cleanly on Ctrl-C or SIGTERM.
//!
//! Exit status: 0 after a clean stop, 2 for bad arguments or profiles, 1
//! when the simulator cannot start (no PTY, address in use).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use bubblegate_profiles::ProfileSet;
use bubblegate_simulator::bubblegate_sim::NetworkConfig;
use bubblegate_simulator::{Adapter, ModemConfig, Simulator, SimulatorConfig};
use clap::Args;

const AFTER_HELP: &str = "\
Each simulated modem is a real pseudo-terminal behind a stable path,
<DIR>/modem0, <DIR>/modem1, ... Point any serial software at that path as
if it were a USB modem's /dev/ttyUSB port:

  picocom /tmp/sim/modem0      (type AT and Enter, see OK; Ctrl-A Ctrl-X quits)
  minicom -D /tmp/sim/modem0

  printf '[gammu]\\ndevice = /tmp/sim/modem0\\nconnection = at\\n' > sim.gammurc
  gammu -c sim.gammurc identify
  gammu -c sim.gammurc sendsms TEXT +15551234567 -text 'Hello'

Each modem writes its AT transcript (>> from the host, << from the modem) to
<DIR>/modem0.log. The control interface (HTTP + JSON) lists the modems,
injects inbound SMS and faults, and shows what the network received:

  curl http://127.0.0.1:8725/modems
  curl -X POST http://127.0.0.1:8725/modems/0/sms \\
       -H 'content-type: application/json' \\
       -d '{\"from\": \"+15551234567\", \"text\": \"Hi there\"}'
  curl http://127.0.0.1:8725/received

Examples:

  bubblegate sim
  bubblegate sim --modems 2 --profile quectel-ec25 --profile simcom-sim800 --dir /tmp/sim
  bubblegate sim --modems 4 --control 127.0.0.1:0 --fast

Ctrl-C stops the simulator and removes the paths. The README's \"Simulator\"
section documents every control request.";

/// Runs simulated modems on pseudo-terminals until interrupted.
#[derive(Args)]
#[command(after_help = AFTER_HELP)]
pub struct SimArgs {
    /// How many modems to simulate. Defaults to the number of --profile
    /// options, or 1.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=64))]
    modems: Option<u32>,
    /// The model a modem plays (`bubblegate modems profiles` lists them).
    /// Repeat it: the first modem plays the first one, and so on; the last
    /// one given plays every further modem. Default: `generic`.
    #[arg(long = "profile", value_name = "NAME")]
    profiles: Vec<String>,
    /// Where the modem paths (modem0, ...) and transcripts (modem0.log, ...)
    /// go. Default: $XDG_RUNTIME_DIR/bubblegate-sim, else
    /// /tmp/bubblegate-sim-<uid>.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// The control interface's address; loopback only, as it has no
    /// authentication. Port 0 picks a free port (printed at start).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8725")]
    control: SocketAddr,
    /// No radio time, boot time or report delay: everything answers at once.
    #[arg(long)]
    fast: bool,
    /// A directory of extra `*.toml` profiles, as for `bubblegate modems
    /// profiles --dir`.
    #[arg(long, value_name = "DIR")]
    profiles_dir: Option<PathBuf>,
}

/// The checked form of [`SimArgs`].
struct Plan {
    config: SimulatorConfig,
}

pub fn run(args: SimArgs) -> ExitCode {
    let plan = match plan(args) {
        Ok(plan) => plan,
        Err(message) => {
            eprintln!("bubblegate sim: {message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("bubblegate sim: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(serve(plan))
}

fn plan(args: SimArgs) -> Result<Plan, String> {
    if !args.control.ip().is_loopback() {
        return Err(format!(
            "--control {} is not a loopback address; the control interface has no \
             authentication, so it only listens on 127.0.0.1 or ::1",
            args.control
        ));
    }
    let count = args.modems.unwrap_or_else(|| args.profiles.len().max(1) as u32);
    if (count as usize) < args.profiles.len() {
        return Err(format!("{} --profile options for {count} modem(s)", args.profiles.len()));
    }
    let set = ProfileSet::load(args.profiles_dir.as_deref()).map_err(|e| e.to_string())?;
    let mut modems = Vec::new();
    for index in 0..count {
        let name = args
            .profiles
            .get(index as usize)
            .or(args.profiles.last())
            .map_or(bubblegate_profiles::GENERIC, String::as_str);
        let profile = set.get(name).ok_or_else(|| {
            format!("no profile `{name}` (`bubblegate modems profiles` lists them)")
        })?;
        modems.push(ModemConfig::new(Arc::new(profile.clone()), index, Adapter::Pty));
    }
    let network = if args.fast { NetworkConfig::fast() } else { NetworkConfig::default() };
    let dir = args.dir.unwrap_or_else(bubblegate_simulator::default_dir);
    Ok(Plan { config: SimulatorConfig { dir, modems, control: Some(args.control), network } })
}

async fn serve(plan: Plan) -> ExitCode {
    let dir = plan.config.dir.clone();
    let mut sim = match Simulator::start(plan.config).await {
        Ok(sim) => sim,
        Err(err) => {
            eprintln!("bubblegate sim: {err}");
            return ExitCode::FAILURE;
        }
    };
    for modem in sim.modems() {
        let path = modem.path.as_ref().map_or_else(|| "-".into(), |p| p.display().to_string());
        println!(
            "{}  path {path}  number {}  imsi {}  profile {}",
            modem.name, modem.info.number, modem.info.imsi, modem.info.profile
        );
    }
    if let Some(addr) = sim.control_addr() {
        println!("control http://{addr}");
    }
    println!("transcripts {}", dir.join("modem*.log").display());
    println!("Ctrl-C stops the simulator.");

    let token = sim.shutdown_token();
    tokio::select! {
        () = interrupted() => {}
        () = token.cancelled() => {}
    }
    eprintln!("bubblegate sim: stopping");
    token.cancel();
    sim.wait().await;
    ExitCode::SUCCESS
}

/// Ctrl-C (SIGINT) or SIGTERM, as a terminal or a service manager stops us.
async fn interrupted() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
}
