//! The state file: private from the start, written atomically, refused
//! when others can read it, and changed under a lock.

use std::fs;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use bubblegate_client::state::{PendingRegistration, ReplayRecord, State, StateData, StoredEncKey};
use bubblegate_client::StateError;
use bubblegate_proto::{EncKeyPair, Kind};

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn pending(phone: &str) -> PendingRegistration {
    PendingRegistration { phone: phone.into(), requested_at: 1, expires_at: 2 }
}

#[test]
fn a_new_file_and_its_directory_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep/er/device.json");
    let mut state = State::new_at(&path, StateData::new("http://127.0.0.1:8080"));
    state
        .update(|data| -> Result<(), StateError> {
            data.pending = Some(pending("+31612345678"));
            Ok(())
        })
        .unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    let back = State::load(&path).unwrap();
    assert_eq!(back.data().pending, Some(pending("+31612345678")));
    assert_eq!(back.data().hub, "http://127.0.0.1:8080");
}

#[test]
fn saving_replaces_the_file_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("device.json");
    let mut state = State::new_at(&path, StateData::new("http://h:1"));
    state.save().unwrap();
    // A temporary file left by a crash is replaced, not appended to.
    let stale = dir.path().join(format!("device.json.tmp.{}", std::process::id()));
    fs::write(&stale, "garbage").unwrap();
    for i in 0..5 {
        state
            .update(|data| -> Result<(), StateError> {
                data.pending = Some(pending(&format!("+3161234567{i}")));
                Ok(())
            })
            .unwrap();
        assert_eq!(mode(&path), 0o600);
    }
    let mut names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["device.json", "device.json.lock"]);
    assert_eq!(State::load(&path).unwrap().data().pending, Some(pending("+31612345674")));
}

#[test]
fn a_refused_change_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("device.json");
    let mut state = State::new_at(&path, StateData::new("http://h:1"));
    state.save().unwrap();
    let before = fs::read(&path).unwrap();
    let result = state.update(|data| -> Result<(), StateError> {
        data.pending = Some(pending("+31612345678"));
        Err(StateError::Missing { path: "x".into() })
    });
    assert!(result.is_err());
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(state.data().pending, None);
}

#[test]
fn a_file_others_can_read_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("device.json");
    State::new_at(&path, StateData::new("http://h:1")).save().unwrap();
    for bad in [0o644, 0o640, 0o604, 0o660] {
        fs::set_permissions(&path, fs::Permissions::from_mode(bad)).unwrap();
        let err = State::load(&path).unwrap_err();
        assert!(
            matches!(err, StateError::InsecurePermissions { mode, .. } if mode == bad),
            "{err}"
        );
        let text = err.to_string();
        assert!(text.contains("chmod 600"), "{text}");
    }
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    State::load(&path).unwrap();
}

#[test]
fn missing_corrupt_and_newer_files_have_their_own_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("device.json");
    assert!(matches!(State::load(&path), Err(StateError::Missing { .. })));
    let write = |text: &str| {
        let _ = fs::remove_file(&path);
        let mut f =
            fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&path).unwrap();
        std::io::Write::write_all(&mut f, text.as_bytes()).unwrap();
    };
    write("{not json");
    assert!(matches!(State::load(&path), Err(StateError::Corrupt { .. })));
    write(r#"{"version": 99, "hub": "http://h:1"}"#);
    assert!(matches!(State::load(&path), Err(StateError::TooNew { found: 99, .. })));
    write(
        r#"{"version": 1, "hub": "http://h:1", "enc_keys": [{"key_id": 1, "secret": "AAAA", "created_at": 0}]}"#,
    );
    assert!(matches!(State::load(&path), Err(StateError::Corrupt { .. })));
}

#[test]
fn concurrent_updates_are_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("device.json");
    State::new_at(&path, StateData::new("http://h:1")).save().unwrap();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let path = path.clone();
            std::thread::spawn(move || {
                // Each thread holds its own, soon stale, copy.
                let mut state = State::load(&path).unwrap();
                for i in 0..10 {
                    state
                        .update(|data| -> Result<(), StateError> {
                            data.replay.push(ReplayRecord {
                                sender_device: format!("d{t}"),
                                client_message_id: format!("m{i}"),
                                kind: Kind::Text,
                                created_at: i64::MAX / 2,
                                seen_at: i64::MAX / 2,
                            });
                            Ok(())
                        })
                        .unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(State::load(&path).unwrap().data().replay.len(), 40);
}

#[test]
fn pruning_drops_old_replay_records_and_retired_keys_only() {
    let day = 24 * 60 * 60 * 1000;
    let now = 100 * day;
    let mut data = StateData::new("http://h:1");
    let record = |created_at, seen_at| ReplayRecord {
        sender_device: "d".into(),
        client_message_id: format!("{created_at}/{seen_at}"),
        kind: Kind::Text,
        created_at,
        seen_at,
    };
    data.replay = vec![
        record(now - 8 * day, now - 8 * day),
        record(now - 8 * day, now - day),
        record(now - day, now - day),
    ];
    let key = |id, retired_at| {
        let mut k = StoredEncKey::new(&EncKeyPair::generate(id), 0);
        k.retired_at = retired_at;
        k
    };
    data.enc_keys = vec![key(1, Some(now - 8 * day)), key(2, Some(now - day)), key(3, None)];
    data.prune(now);
    assert_eq!(data.replay.len(), 2);
    assert_eq!(data.enc_keys.iter().map(|k| k.key_id).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(data.next_key_id(), 4);
}

#[test]
fn debug_output_hides_secrets() {
    let pair = EncKeyPair::generate(1);
    let stored = StoredEncKey::new(&pair, 0);
    assert!(!format!("{stored:?}").contains(&stored.secret));
}
