//! Bubblegate's integration tests: one binary, one module per area.
mod api_cli;
mod daemon_batch;
mod daemon_cli;
mod daemon_demo;
mod daemon_faults;
mod daemon_support;
mod gammu_pdu;
mod hw_unit;
mod modems_cli;
mod modems_scan;
mod network_e2e;
mod network_support;
mod pdu_cli;
mod sim_cli;
mod sim_gammu;
mod support;
mod web_deregister;
