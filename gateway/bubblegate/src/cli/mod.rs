//! One module per subcommand.

pub mod client;
pub mod demo;
pub mod device;
pub mod modems;
pub mod pdu;
mod pdu_json;
pub mod run;
pub mod sim;
