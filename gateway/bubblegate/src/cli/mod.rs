//! One module per subcommand.

pub mod pdu;
mod pdu_json;
