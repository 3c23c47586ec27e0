//! The device's state file: everything a device must remember between
//! runs, as one JSON file that only its owner may read.
//!
//! It holds the hub's URL, the pending registration between `register`
//! and `verify`, the registration itself (handle, device id, bearer token,
//! the pinned hub key, the Ed25519 signing secret), the HPKE private keys
//! by `key_id` (old ones until the retention period has passed since they
//! were replaced), and the replay set.
//!
//! Writing is atomic: a temporary file beside the target, created with
//! mode 0600 from the start, written, `fsync`ed and renamed over the
//! target, then the directory is `fsync`ed. Reading refuses a file that
//! its group or others may read, or that another user owns. Changes are
//! made with [`State::update`], which holds an exclusive `flock` on a
//! lock file beside the state file, reads the file again, applies the
//! change and writes it: so `bubblegate device listen` recording replays
//! and `bubblegate device keys rotate` in another shell cannot undo each
//! other's work.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use bubblegate_proto::{b64, EncKeyPair, Kind, SignPublicKey, SigningKeyPair, E164};
use serde::{Deserialize, Serialize};

/// The state file format this code writes. A file of a newer version is
/// refused rather than rewritten without the fields it does not know.
pub const STATE_VERSION: u32 = 1;

/// Why the state file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("cannot {action} the device state file {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "the device state file {path} is readable by others (mode {mode:04o}); it holds this \
         device's secret keys and token. Make it private with `chmod 600 {path}`, and consider the \
         keys exposed: `bubblegate device keys rotate` replaces the encryption key"
    )]
    InsecurePermissions { path: PathBuf, mode: u32 },
    #[error(
        "the device state file {path} belongs to another user (uid {owner}); refusing to use it"
    )]
    ForeignOwner { path: PathBuf, owner: u32 },
    #[error("the device state file {path} is not valid: {reason}")]
    Corrupt { path: PathBuf, reason: String },
    #[error(
        "the device state file {path} has format version {found}, newer than this program's \
         {STATE_VERSION}; use a newer bubblegate"
    )]
    TooNew { path: PathBuf, found: u32 },
    #[error("no device state file at {path}: run `bubblegate device register` first")]
    Missing { path: PathBuf },
}

/// The JSON document. Field names are the file format: add, never rename.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateData {
    pub version: u32,
    /// The hub's base URL, e.g. `http://127.0.0.1:8080`.
    pub hub: String,
    /// How long envelopes, old keys and replay records live, in
    /// milliseconds; the hub's `network.retention`.
    #[serde(default = "default_retention")]
    pub retention_ms: i64,
    /// Between `register` and `verify`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<PendingRegistration>,
    /// After `verify`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<Registration>,
    /// Private encryption keys, oldest first.
    #[serde(default)]
    pub enc_keys: Vec<StoredEncKey>,
    /// Envelopes accepted and acked, as (sender device, client message
    /// id, kind), kept for the retention period.
    #[serde(default)]
    pub replay: Vec<ReplayRecord>,
}

fn default_retention() -> i64 {
    bubblegate_proto::DEFAULT_RETENTION_MS
}

/// A code was requested for this number and not yet used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingRegistration {
    /// The number as the user gave it.
    pub phone: String,
    /// Milliseconds since the epoch.
    pub requested_at: i64,
    /// When the code stops working, by the hub's `expires_in`.
    pub expires_at: i64,
}

/// The device's registration at the hub.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    /// The device's number, normalised by the hub.
    pub handle: E164,
    pub device_id: String,
    pub name: String,
    /// The bearer token for every device route.
    pub token: String,
    /// The hub's signing key, pinned at registration.
    pub hub_key: SignPublicKey,
    /// The Ed25519 signing secret (32 bytes, base64url).
    pub signing_secret: String,
    /// The `key_id` the hub hands out in the directory.
    pub current_key_id: u32,
    pub registered_at: i64,
}

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration")
            .field("device_id", &self.device_id)
            .field("name", &self.name)
            .field("current_key_id", &self.current_key_id)
            .finish_non_exhaustive()
    }
}

impl Registration {
    /// The signing key pair, from its stored secret.
    pub fn signing_key(&self) -> Result<SigningKeyPair, String> {
        let secret = b64::decode(&self.signing_secret).map_err(|e| e.to_string())?;
        SigningKeyPair::from_secret(&secret).map_err(|e| e.to_string())
    }
}

/// One private encryption key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEncKey {
    pub key_id: u32,
    /// The X-Wing seed, base64url.
    pub secret: String,
    pub created_at: i64,
    /// When the hub stopped handing it out (a rotation replaced it); the
    /// key is dropped once the retention period has passed since then.
    /// `None` for the current key, and for a key made by a rotation the
    /// hub has not confirmed (kept: the hub may have taken it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired_at: Option<i64>,
}

impl std::fmt::Debug for StoredEncKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredEncKey")
            .field("key_id", &self.key_id)
            .field("created_at", &self.created_at)
            .field("retired_at", &self.retired_at)
            .finish_non_exhaustive()
    }
}

impl StoredEncKey {
    /// Stores a key pair.
    pub fn new(pair: &EncKeyPair, now_ms: i64) -> StoredEncKey {
        StoredEncKey {
            key_id: pair.key_id(),
            secret: b64::encode(pair.secret()),
            created_at: now_ms,
            retired_at: None,
        }
    }

    /// The key pair, from its stored secret.
    pub fn pair(&self) -> Result<EncKeyPair, String> {
        let secret = b64::decode(&self.secret).map_err(|e| e.to_string())?;
        EncKeyPair::from_secret(self.key_id, &secret).map_err(|e| e.to_string())
    }
}

/// One accepted envelope, for the replay check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplayRecord {
    /// The sender's device id, `hub` for the hub.
    pub sender_device: String,
    pub client_message_id: String,
    pub kind: Kind,
    /// The envelope's `created_at`.
    pub created_at: i64,
    /// When this device accepted it.
    pub seen_at: i64,
}

/// The replay key: (sender device, client message id, kind).
pub type ReplayKey = (String, String, Kind);

impl ReplayRecord {
    pub fn key(&self) -> ReplayKey {
        (self.sender_device.clone(), self.client_message_id.clone(), self.kind)
    }
}

impl StateData {
    /// A fresh state for a device that will register at `hub`.
    pub fn new(hub: &str) -> StateData {
        StateData {
            version: STATE_VERSION,
            hub: hub.to_owned(),
            retention_ms: default_retention(),
            pending: None,
            registration: None,
            enc_keys: Vec::new(),
            replay: Vec::new(),
        }
    }

    /// The private key of `key_id`, if still kept.
    pub fn enc_key(&self, key_id: u32) -> Option<&StoredEncKey> {
        self.enc_keys.iter().find(|k| k.key_id == key_id)
    }

    /// The next `key_id`: one above every key ever kept. Counting from
    /// the kept keys is safe because the current key is never dropped.
    pub fn next_key_id(&self) -> u32 {
        let current = self.registration.as_ref().map_or(0, |r| r.current_key_id);
        self.enc_keys.iter().map(|k| k.key_id).max().unwrap_or(0).max(current).saturating_add(1)
    }

    /// The replay keys, for a quick lookup.
    pub fn replay_keys(&self) -> HashSet<ReplayKey> {
        self.replay.iter().map(ReplayRecord::key).collect()
    }

    /// Drops replay records and retired keys past the retention period.
    /// A replay record is kept while its envelope could still be accepted
    /// (`created_at` within retention) and for the retention after it was
    /// seen; a retired key for the retention after it was replaced.
    pub fn prune(&mut self, now_ms: i64) {
        let horizon = now_ms.saturating_sub(self.retention_ms);
        self.replay.retain(|r| r.created_at >= horizon || r.seen_at >= horizon);
        self.enc_keys.retain(|k| k.retired_at.is_none_or(|at| at >= horizon));
    }

    fn check(&self, path: &Path) -> Result<(), StateError> {
        if self.version > STATE_VERSION {
            return Err(StateError::TooNew { path: path.to_owned(), found: self.version });
        }
        let corrupt = |reason: String| StateError::Corrupt { path: path.to_owned(), reason };
        if let Some(reg) = &self.registration {
            reg.signing_key().map_err(|e| corrupt(format!("the signing secret: {e}")))?;
            if self.enc_key(reg.current_key_id).is_none() {
                return Err(corrupt(format!(
                    "the private key of the current key_id {} is missing",
                    reg.current_key_id
                )));
            }
        }
        for key in &self.enc_keys {
            key.pair().map_err(|e| corrupt(format!("encryption key {}: {e}", key.key_id)))?;
        }
        if self.retention_ms <= 0 {
            return Err(corrupt("retention_ms must be positive".into()));
        }
        Ok(())
    }
}

/// A state file and its last-read contents.
#[derive(Debug)]
pub struct State {
    path: PathBuf,
    data: StateData,
}

impl State {
    /// Reads the state file at `path`; [`StateError::Missing`] when there
    /// is none.
    pub fn load(path: &Path) -> Result<State, StateError> {
        match read(path)? {
            Some(data) => Ok(State { path: path.to_owned(), data }),
            None => Err(StateError::Missing { path: path.to_owned() }),
        }
    }

    /// Reads the state file at `path`, or starts an unsaved fresh state
    /// for `hub` when there is none.
    pub fn load_or_new(path: &Path, hub: &str) -> Result<State, StateError> {
        let data = read(path)?.unwrap_or_else(|| StateData::new(hub));
        Ok(State { path: path.to_owned(), data })
    }

    /// A state that is not on disk yet (first [`State::update`] or
    /// [`State::save`] writes it).
    pub fn new_at(path: &Path, data: StateData) -> State {
        State { path: path.to_owned(), data }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The contents as last read or written.
    pub fn data(&self) -> &StateData {
        &self.data
    }

    /// Writes the in-memory contents, atomically, under the lock.
    pub fn save(&mut self) -> Result<(), StateError> {
        let _lock = lock(&self.path)?;
        write(&self.path, &self.data)
    }

    /// Changes the file: under an exclusive lock, reads it again (or
    /// starts from the in-memory contents when it does not exist yet),
    /// applies `change`, and writes it atomically. `change` may refuse by
    /// returning an error, and then nothing is written.
    pub fn update<T, E: From<StateError>>(
        &mut self,
        change: impl FnOnce(&mut StateData) -> Result<T, E>,
    ) -> Result<T, E> {
        let _lock = lock(&self.path)?;
        let mut data = read(&self.path)?.unwrap_or_else(|| self.data.clone());
        let out = change(&mut data)?;
        write(&self.path, &data)?;
        self.data = data;
        Ok(out)
    }

    /// Reads the file again, e.g. after another process changed it.
    pub fn reload(&mut self) -> Result<(), StateError> {
        if let Some(data) = read(&self.path)? {
            self.data = data;
        }
        Ok(())
    }
}

/// Reads and checks the file; `None` when it does not exist.
fn read(path: &Path) -> Result<Option<StateData>, StateError> {
    let io_error = |action: &'static str, source: io::Error| StateError::Io {
        action,
        path: path.into(),
        source,
    };
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error("open", e)),
    };
    let meta = file.metadata().map_err(|e| io_error("inspect", e))?;
    check_private(path, &meta)?;
    let text = io::read_to_string(file).map_err(|e| io_error("read", e))?;
    let data: StateData = serde_json::from_str(&text)
        .map_err(|e| StateError::Corrupt { path: path.to_owned(), reason: e.to_string() })?;
    data.check(path)?;
    Ok(Some(data))
}

/// Refuses a file that is not a private regular file of this user.
fn check_private(path: &Path, meta: &fs::Metadata) -> Result<(), StateError> {
    if !meta.is_file() {
        return Err(StateError::Corrupt {
            path: path.to_owned(),
            reason: "not a regular file".into(),
        });
    }
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o077 != 0 {
        return Err(StateError::InsecurePermissions { path: path.to_owned(), mode });
    }
    let me = rustix::process::getuid().as_raw();
    if meta.uid() != me {
        return Err(StateError::ForeignOwner { path: path.to_owned(), owner: meta.uid() });
    }
    Ok(())
}

/// Writes `data` to `path` atomically: a 0600 temporary file beside it,
/// `fsync`, rename, `fsync` of the directory.
fn write(path: &Path, data: &StateData) -> Result<(), StateError> {
    let io_error = |action: &'static str, source: io::Error| StateError::Io {
        action,
        path: path.into(),
        source,
    };
    let mut text = serde_json::to_vec_pretty(data)
        .map_err(|e| StateError::Corrupt { path: path.to_owned(), reason: e.to_string() })?;
    text.push(b'\n');
    let dir = parent(path);
    let tmp = temp_path(path);
    // A temporary file left by a crash is ours to replace.
    let _ = fs::remove_file(&tmp);
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(|e| io_error("create a temporary file for", e))?;
    let written = file.write_all(&text).and_then(|()| file.sync_all());
    drop(file);
    if let Err(e) = written.and_then(|()| fs::rename(&tmp, path)) {
        let _ = fs::remove_file(&tmp);
        return Err(io_error("write", e));
    }
    // The rename is durable once the directory is.
    File::open(dir).and_then(|d| d.sync_all()).map_err(|e| io_error("sync the directory of", e))
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".tmp.{}", std::process::id()));
    parent(path).join(name)
}

/// The held lock; released when dropped (the file closes).
struct Lock {
    _file: File,
}

/// Takes the exclusive lock of `path`'s lock file, making the directory
/// (0700) and the lock file (0600) when missing. Waits for another holder.
fn lock(path: &Path) -> Result<Lock, StateError> {
    let io_error = |action: &'static str, source: io::Error| StateError::Io {
        action,
        path: path.into(),
        source,
    };
    let dir = parent(path);
    if !dir.exists() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| io_error("make the directory of", e))?;
    }
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(dir.join(name))
        .map_err(|e| io_error("open the lock file of", e))?;
    rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive)
        .map_err(|e| io_error("lock", e.into()))?;
    Ok(Lock { _file: file })
}
