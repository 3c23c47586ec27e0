//! Bubblegate's integration tests: one binary, one module per area.
mod gammu_pdu;
mod modems_cli;
mod modems_scan;
mod pdu_cli;
mod sim_cli;
mod sim_gammu;
mod support;
