//! The `bubblegate` binary: argument parsing and dispatch. Each subcommand
//! lives in its own module under `cli/`; the libraries do the work.

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

mod cli;

/// Bubblegate: an end-to-end encrypted messaging hub and a cellular SMS/MMS
/// gateway for USB modems.
#[derive(Parser)]
#[command(name = "bubblegate", version, about, long_about = None)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Decode and encode SMS PDUs (3GPP TS 23.040), as modems use in PDU mode.
    #[command(subcommand)]
    Pdu(cli::pdu::PduCommand),
    /// Modem tools: `modems scan` finds and identifies modems on serial ports;
    /// `modems profiles` lists the modem profiles and their sources; `modems
    /// list` shows a running gateway's modems.
    #[command(subcommand)]
    Modems(cli::modems::ModemsCommand),
    /// Run simulated modems on pseudo-terminals, with a virtual network.
    Sim(cli::sim::SimArgs),
    /// Run the gateway daemon with a configuration file.
    Run(cli::run::RunArgs),
    /// Run the gateway with simulated modems, to try it without hardware.
    Demo(cli::demo::DemoArgs),
    #[command(flatten)]
    Client(cli::client::ClientCommand),
    /// Be a device of the encrypted network: register a number, send and
    /// receive end-to-end encrypted messages, manage blocks and keys.
    Device(cli::device::DeviceArgs),
    /// Print a shell completion script: `bubblegate completions bash >
    /// ~/.local/share/bash-completion/completions/bubblegate` (bash), or
    /// into a directory on `$fpath` as `_bubblegate` (zsh), or
    /// `~/.config/fish/completions/bubblegate.fish` (fish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

fn main() -> ExitCode {
    let args = Args::parse();
    match args.command {
        Command::Pdu(cmd) => cli::pdu::run(cmd),
        Command::Modems(cmd) => cli::modems::run(cmd),
        Command::Sim(args) => cli::sim::run(args),
        Command::Run(args) => cli::run::run(args),
        Command::Demo(args) => cli::demo::run(args),
        Command::Client(cmd) => cli::client::run(cmd),
        Command::Device(args) => cli::device::run(args),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Args::command(),
                "bubblegate",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
    }
}
