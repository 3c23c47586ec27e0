//! `bubblegate demo`: the gateway on SQLite plus simulated modems in one
//! process, for a first try without hardware. See
//! `bubblegate_daemon::demo` for what it sets up; this module parses the
//! arguments and runs it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use bubblegate_daemon::demo::{self, DemoOptions};
use bubblegate_daemon::logging;
use bubblegate_profiles::ProfileSet;
use clap::Args;

/// Runs the gateway with simulated modems, until Ctrl-C.
#[derive(Args)]
pub struct DemoArgs {
    /// Where the database, the admin token and the simulated modems live.
    /// Default: $XDG_STATE_HOME/bubblegate-demo (or ~/.local/state/...).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// How many simulated modems.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=16))]
    modems: u32,
    /// Where the API listens; port 0 picks a free one.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// No simulated radio or boot time.
    #[arg(long)]
    fast: bool,
}

pub fn run(args: DemoArgs) -> ExitCode {
    logging::init();
    let profiles = match ProfileSet::builtin() {
        Ok(set) => Arc::new(set),
        Err(err) => {
            eprintln!("bubblegate demo: {err}");
            return ExitCode::FAILURE;
        }
    };
    let options = DemoOptions {
        dir: args.dir.unwrap_or_else(demo::default_dir),
        modems: args.modems,
        listen: args.listen,
        fast: args.fast,
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("bubblegate demo: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(demo::run(options, profiles)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bubblegate demo: {err}");
            ExitCode::FAILURE
        }
    }
}
