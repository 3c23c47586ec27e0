//! One integration-test binary for the simulator core. Each module drives
//! the core through its public API the way the IO adapter does, and checks
//! the exact bytes a host would read.

mod errors;
mod faults;
mod identify;
mod inbound;
mod network;
mod props;
mod reports;
mod send;
mod support;
