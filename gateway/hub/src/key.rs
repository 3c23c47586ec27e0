//! The hub's own Ed25519 key: it signs the hub's envelopes (forwarded
//! SMS, `device_added`, `status`), and devices pin its public half at
//! registration.
//!
//! It lives in one file (`network.key_file`, by default `hub.key` beside
//! the SQLite database): one line, the 32-byte secret in base64url. The
//! file is made at first start, owner-only (0600), atomically: written to
//! a temporary file, synced, then linked into place, which fails if
//! another process made one meanwhile (then that one is used). It is never
//! overwritten. Several hub nodes on one PostgreSQL database must share
//! one key file: devices accept only the key they pinned.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use bubblegate_proto::keys::random_bytes;
use bubblegate_proto::{b64, SigningKeyPair};

/// Why the hub key could not be had.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read the hub key {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot create the hub key {path}: {source}")]
    Create { path: PathBuf, source: std::io::Error },
    #[error("the hub key {path} is not a key (one line of base64url, 32 bytes)")]
    Malformed { path: PathBuf },
    #[error("the hub key {path} is readable by others (mode {mode:o}); chmod 600 it")]
    Exposed { path: PathBuf, mode: u32 },
    #[error("the OS random source failed")]
    Random,
}

/// Reads the key at `path`, or makes one there.
pub fn load_or_create(path: &Path) -> Result<SigningKeyPair, KeyError> {
    match std::fs::read_to_string(path) {
        Ok(text) => return parse(path, &text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => return Err(KeyError::Read { path: path.to_owned(), source }),
    }
    let create = |source| KeyError::Create { path: path.to_owned(), source };
    let key = SigningKeyPair::generate().map_err(|_| KeyError::Random)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(create)?;
    }
    let suffix: [u8; 8] = random_bytes().map_err(|_| KeyError::Random)?;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp-{}", b64::encode(&suffix)));
    let tmp = PathBuf::from(tmp);
    let written = (|| {
        let mut file =
            std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&tmp)?;
        writeln!(file, "{}", b64::encode(key.secret().as_ref()))?;
        file.sync_all()
    })();
    if let Err(source) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(create(source));
    }
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                // Make the new name durable; a failure here only risks a
                // new key after a power cut, before any device pinned it.
                let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
            }
            tracing::info!(path = %path.display(), "made a new hub key");
            Ok(key)
        }
        // Another process won the race: use its key.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = std::fs::read_to_string(path)
                .map_err(|source| KeyError::Read { path: path.to_owned(), source })?;
            parse(path, &text)
        }
        Err(source) => Err(create(source)),
    }
}

fn parse(path: &Path, text: &str) -> Result<SigningKeyPair, KeyError> {
    if let Ok(meta) = std::fs::metadata(path) {
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyError::Exposed { path: path.to_owned(), mode });
        }
    }
    let malformed = || KeyError::Malformed { path: path.to_owned() };
    let bytes = b64::decode(text.trim()).map_err(|_| malformed())?;
    SigningKeyPair::from_secret(&bytes).map_err(|_| malformed())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/hub.key");
        let first = load_or_create(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let again = load_or_create(&path).unwrap();
        assert_eq!(first.public(), again.public());
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path().join("state")).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_bad_or_exposed_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hub.key");
        std::fs::write(&path, "not a key\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(matches!(load_or_create(&path), Err(KeyError::Malformed { .. })));
        let key = SigningKeyPair::generate().unwrap();
        std::fs::write(&path, b64::encode(key.secret().as_ref())).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(load_or_create(&path), Err(KeyError::Exposed { mode: 0o644, .. })));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(load_or_create(&path).unwrap().public(), key.public());
    }
}
