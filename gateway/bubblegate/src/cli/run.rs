//! `bubblegate run --config FILE`: the gateway daemon in the foreground, as
//! systemd runs it (`Type=notify`). Reads and validates the configuration
//! (with `BUBBLEGATE_*` overrides), then hands over to
//! `bubblegate_daemon::service::serve` until SIGTERM or Ctrl-C.
//!
//! Exit status: 0 after a clean stop, 2 for a configuration error (the
//! message names the key), 1 when the daemon cannot start.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use bubblegate_daemon::{config, logging, service, CancellationToken};
use bubblegate_profiles::ProfileSet;
use clap::Args;

const AFTER_HELP: &str = "\
The configuration is one TOML file; hw/bubblegate.example.toml explains
every key. Environment variables override keys: BUBBLEGATE_API__LISTEN,
BUBBLEGATE_ADMIN_TOKEN, BUBBLEGATE_STORE__SQLITE and the others listed in
the README's configuration section.

Logs go to standard error; RUST_LOG=debug shows more (phone numbers and
message bodies only at trace).";

/// Runs the gateway daemon.
#[derive(Args)]
#[command(after_help = AFTER_HELP)]
pub struct RunArgs {
    /// The configuration file.
    #[arg(long, short, value_name = "FILE")]
    config: PathBuf,
    /// Only check the configuration and exit.
    #[arg(long)]
    check: bool,
    /// A directory of extra `*.toml` modem profiles.
    #[arg(long, value_name = "DIR")]
    profiles_dir: Option<PathBuf>,
}

pub fn run(args: RunArgs) -> ExitCode {
    logging::init();
    let profiles = match ProfileSet::load(args.profiles_dir.as_deref()) {
        Ok(set) => Arc::new(set),
        Err(err) => {
            eprintln!("bubblegate run: {err}");
            return ExitCode::from(2);
        }
    };
    let config = match config::load(&args.config, &profiles) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("bubblegate run: {}: {err}", args.config.display());
            return ExitCode::from(2);
        }
    };
    if let Err(err) = service::api_config(&config) {
        eprintln!("bubblegate run: {}: {err}", args.config.display());
        return ExitCode::from(2);
    }
    if args.check {
        println!(
            "{}: configuration is valid ({} modems)",
            args.config.display(),
            config.modems.len()
        );
        return ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("bubblegate run: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result =
        runtime.block_on(service::serve(config, profiles, CancellationToken::new(), |_addr| {}));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bubblegate run: {err}");
            ExitCode::FAILURE
        }
    }
}
