//! Reassembly of concatenated messages (TS 23.040 clause 9.2.3.24.1).
//!
//! Parts are keyed by sender, reference and total, so two messages from one
//! sender that share a reference but not a part count stay apart. Parts may
//! come in any order and more than once. A message that is still missing
//! parts when its timeout passes is released as incomplete rather than held
//! for ever. The state is plain data: it serializes, so a restart resumes
//! where it stopped, and time comes in as `now`.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::udh::Concat;
use crate::user_data::Body;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Key {
    pub sender: String,
    pub reference: u16,
    pub total: u8,
}

/// A message as it leaves the reassembler.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub sender: String,
    /// `None` for a message that came in one part without a concat IE.
    pub reference: Option<u16>,
    pub total: u8,
    /// The parts joined in order. Text when every part is text.
    pub body: Body,
    /// Whether every part arrived. An incomplete message comes out of
    /// [`Reassembler::expire`].
    pub complete: bool,
    /// Sequence numbers that never arrived.
    pub missing: Vec<u8>,
}

/// What happened to a pushed part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The last missing part: here is the message.
    Complete(Message),
    /// Stored; more parts are needed.
    Pending,
    /// A part already held, or one of a message already released.
    Duplicate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Buffer {
    first_seen: SystemTime,
    parts: BTreeMap<u8, Body>,
}

/// Fingerprints of a released message's parts, kept for one timeout so
/// that a retransmitted part is recognised instead of starting a new
/// message that would later come out incomplete.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Released {
    at: SystemTime,
    parts: BTreeMap<u8, u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reassembler {
    timeout: Duration,
    #[serde(with = "entries")]
    buffers: BTreeMap<Key, Buffer>,
    #[serde(with = "entries")]
    released: BTreeMap<Key, Released>,
}

/// Maps with struct keys serialize as lists of pairs, which every format
/// (JSON included) can hold.
mod entries {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<K: Serialize, V: Serialize, S: Serializer>(
        map: &BTreeMap<K, V>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(map.iter())
    }

    pub fn deserialize<'de, K, V, D>(d: D) -> Result<BTreeMap<K, V>, D::Error>
    where
        K: Deserialize<'de> + Ord,
        V: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Ok(Vec::<(K, V)>::deserialize(d)?.into_iter().collect())
    }
}

impl Reassembler {
    /// `timeout`: how long to wait for the rest of a message after its
    /// first part.
    pub fn new(timeout: Duration) -> Self {
        Reassembler { timeout, buffers: BTreeMap::new(), released: BTreeMap::new() }
    }

    /// Takes one received part. `concat` comes from the part's UDH.
    pub fn push(
        &mut self,
        sender: &str,
        concat: Option<Concat>,
        body: Body,
        now: SystemTime,
    ) -> Outcome {
        let Some(concat) = concat.filter(|c| c.total > 1) else {
            return Outcome::Complete(Message {
                sender: sender.to_string(),
                reference: concat.map(|c| c.reference),
                total: 1,
                body,
                complete: true,
                missing: Vec::new(),
            });
        };
        let key =
            Key { sender: sender.to_string(), reference: concat.reference, total: concat.total };
        if self
            .released
            .get(&key)
            .is_some_and(|r| r.parts.get(&concat.seq) == Some(&fingerprint(&body)))
        {
            return Outcome::Duplicate;
        }
        let buffer = self
            .buffers
            .entry(key.clone())
            .or_insert_with(|| Buffer { first_seen: now, parts: BTreeMap::new() });
        if buffer.parts.contains_key(&concat.seq) {
            return Outcome::Duplicate;
        }
        buffer.parts.insert(concat.seq, body);
        if buffer.parts.len() < concat.total as usize {
            return Outcome::Pending;
        }
        Outcome::Complete(self.release(key, now))
    }

    /// Releases every message whose timeout has passed, marked incomplete,
    /// and forgets old fingerprints.
    pub fn expire(&mut self, now: SystemTime) -> Vec<Message> {
        let timeout = self.timeout;
        let due = |since: SystemTime| now.duration_since(since).is_ok_and(|d| d >= timeout);
        self.released.retain(|_, r| !due(r.at));
        let expired: Vec<Key> = self
            .buffers
            .iter()
            .filter(|(_, b)| due(b.first_seen))
            .map(|(k, _)| k.clone())
            .collect();
        expired.into_iter().map(|k| self.release(k, now)).collect()
    }

    /// When [`Reassembler::expire`] next has work, if ever.
    pub fn next_deadline(&self) -> Option<SystemTime> {
        let buffers = self.buffers.values().map(|b| b.first_seen);
        let released = self.released.values().map(|r| r.at);
        buffers.chain(released).min().map(|t| t + self.timeout)
    }

    /// Messages still waiting for parts.
    pub fn pending(&self) -> usize {
        self.buffers.len()
    }

    fn release(&mut self, key: Key, now: SystemTime) -> Message {
        let buffer =
            self.buffers.remove(&key).unwrap_or(Buffer { first_seen: now, parts: BTreeMap::new() });
        let missing = (1..=key.total).filter(|s| !buffer.parts.contains_key(s)).collect::<Vec<_>>();
        let prints = buffer.parts.iter().map(|(s, b)| (*s, fingerprint(b))).collect();
        self.released.insert(key.clone(), Released { at: now, parts: prints });
        Message {
            sender: key.sender,
            reference: Some(key.reference),
            total: key.total,
            body: join(buffer.parts.into_values()),
            complete: missing.is_empty(),
            missing,
        }
    }
}

/// Joins bodies: text if all are text, else the bytes of each (text parts
/// as UTF-8).
fn join(parts: impl Iterator<Item = Body>) -> Body {
    let parts: Vec<Body> = parts.collect();
    if parts.iter().all(|p| matches!(p, Body::Text(_))) {
        Body::Text(
            parts
                .into_iter()
                .map(|p| match p {
                    Body::Text(t) => t,
                    Body::Data(_) => String::new(),
                })
                .collect(),
        )
    } else {
        Body::Data(
            parts
                .into_iter()
                .flat_map(|p| match p {
                    Body::Text(t) => t.into_bytes(),
                    Body::Data(d) => d,
                })
                .collect(),
        )
    }
}

/// FNV-1a over the body: stable across builds, which a persisted state
/// needs and `std`'s hasher does not promise.
fn fingerprint(body: &Body) -> u64 {
    let (tag, bytes) = match body {
        Body::Text(t) => (0u8, t.as_bytes()),
        Body::Data(d) => (1u8, d.as_slice()),
    };
    std::iter::once(&tag)
        .chain(bytes)
        .fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ *b as u64).wrapping_mul(0x0000_0100_0000_01b3))
}

#[cfg(test)]
mod tests;
