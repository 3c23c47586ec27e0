//! Bubblegate's integration tests: one binary, one module per area.
mod gammu_pdu;
mod hw_unit;
mod modems_cli;
mod modems_scan;
mod pdu_cli;
mod sim_cli;
mod sim_gammu;
mod support;
