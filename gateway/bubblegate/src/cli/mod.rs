//! One module per subcommand.

pub mod modems;
pub mod pdu;
mod pdu_json;
pub mod sim;
