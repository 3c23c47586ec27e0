//! Errors of the profile layer. Each names the file and, where it can, the
//! key and the problem, so an operator can fix a profile without reading code.

use std::io;
use std::path::PathBuf;

use crate::model::UsbId;

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The file is not TOML, has an unknown key, or a value of the wrong
    /// type. The TOML error carries the line, column and key.
    #[error("{file}: {source}")]
    Parse {
        file: String,
        #[source]
        source: Box<toml::de::Error>,
    },

    /// The file parses but a value breaks a rule of the format.
    #[error("{file}: `{key}`: {problem}")]
    Invalid { file: String, key: String, problem: String },

    /// The user's profile directory or a file in it cannot be read.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// Two profiles of the same layer (built-in, or user) claim one USB id,
    /// so resolution by USB id would be ambiguous.
    #[error("USB id {usb} is claimed by both `{first}` and `{second}`")]
    DuplicateUsbId { usb: UsbId, first: String, second: String },

    /// Two files of the same layer define one profile name.
    #[error("profile `{name}` is defined twice: in {first} and in {second}")]
    DuplicateName { name: String, first: String, second: String },

    /// The fallback profile is missing.
    #[error("no `generic` profile: it is the fallback for unknown modems and must exist")]
    MissingGeneric,
}
