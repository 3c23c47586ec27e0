//! The driver against the simulator: every profile through bring-up,
//! sending, receiving and every fault; durability, supervision and idle
//! traffic; and one run over a real pseudo-terminal.

mod bringup;
mod durability;
mod faults;
mod idle;
mod pty;
mod receive;
mod send;
mod supervision;
mod support;
