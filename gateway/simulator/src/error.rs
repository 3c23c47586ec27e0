//! Errors of the simulator's IO layer. What goes wrong inside a simulated
//! modem is not here: that is bytes on its serial line.

use std::io;
use std::path::PathBuf;

/// Why the simulator could not start, or could not carry out a request.
#[derive(Debug, thiserror::Error)]
pub enum SimulatorError {
    #[error("cannot create the simulator directory {path}: {source}")]
    Dir { path: PathBuf, source: io::Error },
    #[error("cannot open a pseudo-terminal for {link}: {source}")]
    Pty { link: PathBuf, source: io::Error },
    #[error("cannot open the transcript {path}: {source}")]
    Transcript { path: PathBuf, source: io::Error },
    #[error("cannot listen for control requests on {addr}: {source}")]
    Bind { addr: std::net::SocketAddr, source: io::Error },
    #[error("the simulator has stopped")]
    Stopped,
    #[error("cannot open the modem's port: {0}")]
    Open(#[from] crate::OpenError),
    /// The request reached the network and the network refused it.
    #[error(transparent)]
    Sim(#[from] bubblegate_sim::SimError),
}
