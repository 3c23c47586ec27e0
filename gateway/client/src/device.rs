//! [`Device`]: a client of the hub bound to a state file. It registers,
//! rotates keys, looks up the directory, seals and signs sends, and
//! receives through [`Receiver`] (fetching, or listening on the
//! WebSocket with [`Listener`]).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::Duration;

use bubblegate_api::client::{JsonSocket, Method};
use bubblegate_proto::wire::Envelope;
use bubblegate_proto::wire::{
    AckAnswer, AckRequest, BlockList, CodeRequest, CodeSent, DeregisterConfirm, Deregistered,
    DeviceInfo, DeviceMismatch, DirectoryDevice, DirectoryEntry, EnvelopeList, NewDevice,
    OutEnvelope, Registered, RotateKeys, SendAnswer, SendRequest, SmsPart, StreamFrame,
    VerifyRequest,
};
use bubblegate_proto::{
    b64, Content, EncKeyPair, EncPublicKey, GroupInfo, Header, Sender, SigningKeyPair, E164,
};

use crate::error::DeviceError;
use crate::hub::{encode_path_segment, Hub};
use crate::receive::{Incoming, Receiver, SenderKey};
use crate::state::{PendingRegistration, Registration, State, StateData, StoredEncKey};

/// How many times a send is tried when the hub answers 409 with a device
/// mismatch (the directory changed between look-up and send).
pub const SEND_ATTEMPTS: u32 = 3;

/// Whether a send carries an SMS part, the plaintext that green
/// recipients get (and blue ones, with fallback, when no device acks in
/// time).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SmsChoice {
    /// No SMS part: green recipients fail with `no_sms_text`.
    Never,
    /// This SMS part, as given.
    Given(SmsPart),
    /// The text's body, when some recipient has no registered device (a
    /// directory 404, so the hub will route it green), or always with
    /// `fallback`. Only a `text` has a body; other kinds send none.
    Auto { fallback: bool },
}

/// What a send did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendReport {
    /// The id this device chose; a retry with it is idempotent.
    pub client_message_id: String,
    pub created_at: i64,
    /// The hub's answer: one route per recipient.
    pub answer: SendAnswer,
    /// How many envelopes were sealed in the attempt that succeeded.
    pub envelopes: usize,
    /// Whether an SMS part went with it.
    pub sms: Option<SmsPart>,
    /// Attempts made (more than 1 after device mismatches).
    pub attempts: u32,
}

/// A device: its state file, and connections to its hub.
pub struct Device {
    state: State,
    hub: Hub,
    timeout: Duration,
    /// Directory entries looked up so far, by normalised handle.
    directory: HashMap<String, DirectoryEntry>,
    receiver: Option<Receiver>,
}

impl std::fmt::Debug for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Device")
            .field("state", &self.state.path())
            .field("hub", &self.hub.url())
            .finish_non_exhaustive()
    }
}

impl Device {
    /// Opens the device of the state file at `path`. `hub` is the hub's
    /// URL: required for a device without a state file, and it must be
    /// the stored one for a registered device (a device belongs to one
    /// hub). Each request takes at most `timeout`.
    pub fn open(path: &Path, hub: Option<&str>, timeout: Duration) -> Result<Device, DeviceError> {
        let given = hub.map(|h| h.trim_end_matches('/').to_owned());
        let mut state = match &given {
            Some(url) => State::load_or_new(path, url)?,
            None => match State::load(path) {
                Ok(state) => state,
                Err(crate::StateError::Missing { .. }) => return Err(DeviceError::NoHub),
                Err(e) => return Err(e.into()),
            },
        };
        if let Some(url) = given {
            if url != state.data().hub {
                if state.data().registration.is_some() {
                    return Err(DeviceError::HubMismatch {
                        registered: state.data().hub.clone(),
                        given: url,
                    });
                }
                let mut data = state.data().clone();
                data.hub = url;
                state = State::new_at(path, data);
            }
        }
        let receiver = Receiver::from_state(state.data());
        let mut device = Device {
            hub: Hub::new(&state.data().hub, None, timeout)?,
            state,
            timeout,
            directory: HashMap::new(),
            receiver,
        };
        device.connect()?;
        Ok(device)
    }

    /// The state as last read or written.
    pub fn state(&self) -> &StateData {
        self.state.data()
    }

    /// The state file's path.
    pub fn state_path(&self) -> &Path {
        self.state.path()
    }

    /// The hub's URL.
    pub fn hub_url(&self) -> &str {
        self.hub.url()
    }

    /// The registration, or [`DeviceError::NotRegistered`].
    pub fn registration(&self) -> Result<&Registration, DeviceError> {
        self.state
            .data()
            .registration
            .as_ref()
            .ok_or_else(|| DeviceError::NotRegistered { path: self.state.path().to_owned() })
    }

    /// Rebuilds the HTTP client (with the token, once registered).
    fn connect(&mut self) -> Result<(), DeviceError> {
        let token = self.state.data().registration.as_ref().map(|r| r.token.clone());
        self.hub = Hub::new(&self.state.data().hub, token, self.timeout)?;
        Ok(())
    }

    /// A new registration (or none): a new receiver, nothing remembered.
    fn reset(&mut self) -> Result<(), DeviceError> {
        self.directory.clear();
        self.receiver = Receiver::from_state(self.state.data());
        self.connect()
    }

    // ------------------------------------------------------------ registration

    /// `POST /v1/register/request`: asks the hub to send a code by SMS to
    /// `phone`, and remembers the pending registration.
    pub async fn register(&mut self, phone: &str) -> Result<CodeSent, DeviceError> {
        if let Some(reg) = &self.state.data().registration {
            return Err(DeviceError::AlreadyRegistered {
                path: self.state.path().to_owned(),
                handle: reg.handle.to_string(),
                device_id: reg.device_id.clone(),
            });
        }
        let request = CodeRequest { phone: phone.to_owned() };
        let sent: CodeSent =
            self.hub.call(Method::POST, "/v1/register/request", Some(&request)).await?;
        let now = now_ms();
        let expires_in = i64::try_from(sent.expires_in).unwrap_or(i64::MAX / 2);
        let hub = self.hub.url().to_owned();
        let path = self.state.path().to_owned();
        self.state.update(|data: &mut StateData| -> Result<(), DeviceError> {
            if let Some(reg) = &data.registration {
                return Err(DeviceError::AlreadyRegistered {
                    path,
                    handle: reg.handle.to_string(),
                    device_id: reg.device_id.clone(),
                });
            }
            data.hub = hub;
            data.pending = Some(PendingRegistration {
                phone: phone.to_owned(),
                requested_at: now,
                expires_at: now.saturating_add(expires_in.saturating_mul(1000)),
            });
            Ok(())
        })?;
        Ok(sent)
    }

    /// `POST /v1/register/verify`: generates this device's key pairs,
    /// registers their public halves with the code, and stores the token,
    /// the pinned hub key and the private keys.
    pub async fn verify(&mut self, code: &str, name: &str) -> Result<&Registration, DeviceError> {
        let Some(pending) = self.state.data().pending.clone() else {
            return Err(DeviceError::NoPendingRegistration { path: self.state.path().to_owned() });
        };
        let signing = SigningKeyPair::generate()
            .map_err(|source| DeviceError::Crypto { what: "cannot make a signing key", source })?;
        let key_id = self.state.data().next_key_id();
        let enc = EncKeyPair::generate(key_id);
        let request = VerifyRequest {
            phone: pending.phone.clone(),
            code: code.trim().to_owned(),
            device: NewDevice {
                name: name.to_owned(),
                enc_key: enc.public().clone(),
                sign_key: signing.public(),
            },
        };
        let registered: Registered =
            self.hub.call(Method::POST, "/v1/register/verify", Some(&request)).await?;
        let now = now_ms();
        let registration = Registration {
            handle: registered.handle,
            device_id: registered.device_id,
            name: name.to_owned(),
            token: registered.token,
            hub_key: registered.hub_key,
            signing_secret: b64::encode(signing.secret().as_ref()),
            current_key_id: key_id,
            registered_at: now,
        };
        self.state.update(|data: &mut StateData| -> Result<(), DeviceError> {
            data.pending = None;
            data.registration = Some(registration);
            data.enc_keys.push(StoredEncKey::new(&enc, now));
            data.replay.clear();
            Ok(())
        })?;
        self.reset()?;
        self.registration()
    }

    /// `PUT /v1/devices/me/keys`: makes a new encryption key with the next
    /// `key_id` and gives the hub its public half. The new private key is
    /// written to the state file before the hub hears of it, so a lost
    /// answer never leaves the hub with a key this device lacks; the old
    /// keys are kept until the retention period has passed, so envelopes
    /// sealed to them still open.
    pub async fn rotate_keys(&mut self) -> Result<EncPublicKey, DeviceError> {
        self.registration()?;
        let now = now_ms();
        let pair =
            self.state.update(|data: &mut StateData| -> Result<EncKeyPair, DeviceError> {
                let pair = EncKeyPair::generate(data.next_key_id());
                data.enc_keys.push(StoredEncKey::new(&pair, now));
                Ok(pair)
            })?;
        if let Some(receiver) = self.receiver.as_mut() {
            receiver.refresh(self.state.data());
        }
        let request = RotateKeys { enc_key: pair.public().clone() };
        let entry: DirectoryDevice =
            self.hub.call(Method::PUT, "/v1/devices/me/keys", Some(&request)).await?;
        if entry.enc_key != *pair.public() {
            return Err(DeviceError::KeyMismatch(format!(
                "after the rotation to key_id {} the hub hands out key_id {}",
                pair.key_id(),
                entry.enc_key.key_id
            )));
        }
        let new_id = pair.key_id();
        self.state.update(|data: &mut StateData| -> Result<(), DeviceError> {
            let retired = now_ms();
            for key in &mut data.enc_keys {
                if key.key_id != new_id && key.retired_at.is_none() {
                    key.retired_at = Some(retired);
                }
            }
            if let Some(reg) = data.registration.as_mut() {
                reg.current_key_id = new_id;
            }
            data.prune(retired);
            Ok(())
        })?;
        if let Some(receiver) = self.receiver.as_mut() {
            receiver.refresh(self.state.data());
        }
        Ok(pair.public().clone())
    }

    /// `GET /v1/devices/me`: the hub's view of this device.
    pub async fn me(&self) -> Result<DeviceInfo, DeviceError> {
        self.registration()?;
        self.hub.get("/v1/devices/me").await
    }

    /// `POST /v1/deregister/request`: asks the hub to send a code to
    /// `phone`, to revoke every device of that number.
    pub async fn deregister_request(&self, phone: &str) -> Result<Option<u64>, DeviceError> {
        let request = CodeRequest { phone: phone.to_owned() };
        let answer: serde_json::Value =
            self.hub.call(Method::POST, "/v1/deregister/request", Some(&request)).await?;
        Ok(answer.get("expires_in").and_then(serde_json::Value::as_u64))
    }

    /// `POST /v1/deregister/confirm`: revokes every device of `phone`. When
    /// that is this device's number, the registration and keys are
    /// dropped from the state file (the token is dead).
    pub async fn deregister_confirm(
        &mut self,
        phone: &str,
        code: &str,
    ) -> Result<Deregistered, DeviceError> {
        let request = DeregisterConfirm { phone: phone.to_owned(), code: code.trim().to_owned() };
        let answer: Deregistered =
            self.hub.call(Method::POST, "/v1/deregister/confirm", Some(&request)).await?;
        let mine = self.state.data().registration.as_ref().is_some_and(|reg| {
            E164::parse(phone, None).is_ok_and(|n| n == reg.handle) || phone == reg.handle.as_str()
        });
        if mine {
            self.state.update(|data: &mut StateData| -> Result<(), DeviceError> {
                data.registration = None;
                data.enc_keys.clear();
                data.replay.clear();
                data.pending = None;
                Ok(())
            })?;
            self.reset()?;
        }
        Ok(answer)
    }

    // ------------------------------------------------------------ directory

    /// `GET /v1/directory/{phone}`: the handle's active devices, or `None`
    /// when it has none (404). Always asks the hub, and remembers the
    /// answer for sends and signature checks.
    pub async fn directory(&mut self, phone: &str) -> Result<Option<DirectoryEntry>, DeviceError> {
        self.registration()?;
        let path = format!("/v1/directory/{}", encode_path_segment(phone));
        match self.hub.get::<DirectoryEntry>(&path).await {
            Ok(entry) => {
                self.directory.insert(entry.handle.to_string(), entry.clone());
                Ok(Some(entry))
            }
            Err(DeviceError::Hub(e)) if e.status == 404 => {
                if let Ok(handle) = E164::parse(phone, None) {
                    self.directory.remove(handle.as_str());
                }
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// The signing key of `sender`: from the remembered directory, else
    /// looked up again once.
    async fn sender_key(
        &mut self,
        sender: &Sender,
    ) -> Result<Option<bubblegate_proto::SignPublicKey>, DeviceError> {
        let find = |dir: &HashMap<String, DirectoryEntry>| {
            dir.get(sender.handle.as_str())
                .and_then(|e| e.devices.iter().find(|d| d.device_id == sender.device_id))
                .map(|d| d.sign_key)
        };
        if let Some(key) = find(&self.directory) {
            return Ok(Some(key));
        }
        self.directory(sender.handle.as_str()).await?;
        Ok(find(&self.directory))
    }

    // ------------------------------------------------------------ sending

    /// Sends `content` to `recipients` with an SMS part as given (`None`:
    /// none). See [`Device::send_with`].
    pub async fn send(
        &mut self,
        recipients: &[String],
        content: Content,
        group: Option<GroupInfo>,
        sms: Option<SmsPart>,
    ) -> Result<SendReport, DeviceError> {
        let choice = sms.map_or(SmsChoice::Never, SmsChoice::Given);
        self.send_with(recipients, &content, group, choice).await
    }

    /// `POST /v1/messages`: looks up every recipient's devices and this
    /// handle's other devices, seals and signs one envelope per device,
    /// and sends them with a fresh client message id. When the hub answers
    /// 409 (its device list differs), looks the named handles up again and
    /// retries, up to [`SEND_ATTEMPTS`] times in all.
    pub async fn send_with(
        &mut self,
        recipients: &[String],
        content: &Content,
        group: Option<GroupInfo>,
        sms: SmsChoice,
    ) -> Result<SendReport, DeviceError> {
        let reg = self.registration()?.clone();
        let signer = reg.signing_key().map_err(|e| crate::StateError::Corrupt {
            path: self.state.path().to_owned(),
            reason: format!("the signing secret: {e}"),
        })?;
        if recipients.is_empty() {
            return Err(DeviceError::NothingToSend("no recipients"));
        }
        let own = reg.handle.to_string();
        // Every handle's devices, by normalised handle; and whether some
        // recipient is a number without a registered device (green).
        let mut targets: BTreeMap<String, Vec<DirectoryDevice>> = BTreeMap::new();
        let mut unregistered = false;
        for recipient in recipients {
            if recipient.contains('@') {
                // The hub answers `email_unreachable`; SMS cannot reach it.
                continue;
            }
            match self.directory(recipient).await {
                Ok(Some(entry)) => {
                    unregistered |= entry.devices.is_empty();
                    targets.insert(entry.handle.to_string(), entry.devices);
                }
                Ok(None) => unregistered = true,
                // A number the hub cannot read: it answers `invalid_handle`.
                Err(DeviceError::Hub(e)) if e.status == 400 => {}
                Err(e) => return Err(e),
            }
        }
        if let Some(entry) = self.directory(&own).await? {
            targets.insert(own.clone(), entry.devices);
        }
        let sms = match sms {
            SmsChoice::Never => None,
            SmsChoice::Given(part) => Some(part),
            SmsChoice::Auto { fallback } => match content {
                Content::Text { body, .. } if fallback || unregistered => {
                    Some(SmsPart { text: body.clone(), fallback })
                }
                _ => None,
            },
        };
        // A text says whom it is for, so that this handle's other devices
        // can file the sent copy in its conversation.
        let addressed;
        let content = match content {
            Content::Text { body, group, to } if to.is_empty() => {
                addressed = Content::Text {
                    body: body.clone(),
                    group: group.clone(),
                    to: recipients.to_vec(),
                };
                &addressed
            }
            other => other,
        };
        let client_message_id = new_message_id();
        let created_at = now_ms();
        let sender = Sender { handle: reg.handle.clone(), device_id: reg.device_id.clone() };
        let mut last_mismatch = DeviceMismatch::default();
        for attempt in 1..=SEND_ATTEMPTS {
            let mut envelopes = Vec::new();
            let mut sealed_for: Vec<&str> = Vec::new();
            for devices in targets.values() {
                for device in devices {
                    if device.device_id == reg.device_id
                        || sealed_for.contains(&device.device_id.as_str())
                    {
                        continue;
                    }
                    sealed_for.push(&device.device_id);
                    envelopes.push(seal_for(
                        &sender,
                        device,
                        &client_message_id,
                        created_at,
                        content,
                        &signer,
                    )?);
                }
            }
            let count = envelopes.len();
            let request = SendRequest {
                client_message_id: client_message_id.clone(),
                kind: content.kind(),
                recipients: recipients.to_vec(),
                group: group.clone(),
                created_at,
                envelopes,
                sms: sms.clone(),
            };
            match self.hub.call::<SendAnswer, _>(Method::POST, "/v1/messages", Some(&request)).await
            {
                Ok(answer) => {
                    return Ok(SendReport {
                        client_message_id,
                        created_at,
                        answer,
                        envelopes: count,
                        sms,
                        attempts: attempt,
                    })
                }
                Err(DeviceError::Hub(e)) if e.status == 409 && e.devices.is_some() => {
                    let devices = e.devices.unwrap_or_default();
                    self.refresh_targets(&mut targets, &devices).await?;
                    last_mismatch = devices;
                }
                Err(e) => return Err(e),
            }
        }
        Err(DeviceError::DeviceMismatch {
            attempts: SEND_ATTEMPTS,
            devices: Box::new(last_mismatch),
        })
    }

    /// After a 409: looks up every handle the hub named again, then drops
    /// the devices it called extra.
    async fn refresh_targets(
        &mut self,
        targets: &mut BTreeMap<String, Vec<DirectoryDevice>>,
        mismatch: &DeviceMismatch,
    ) -> Result<(), DeviceError> {
        let mut handles: Vec<&E164> =
            mismatch.missing.iter().chain(&mismatch.extra).map(|d| &d.handle).collect();
        handles.sort();
        handles.dedup();
        for handle in handles {
            let devices = self.directory(handle.as_str()).await?.map(|e| e.devices);
            targets.insert(handle.to_string(), devices.unwrap_or_default());
        }
        for extra in &mismatch.extra {
            if let Some(devices) = targets.get_mut(extra.handle.as_str()) {
                devices.retain(|d| d.device_id != extra.device_id);
            }
        }
        Ok(())
    }

    // ------------------------------------------------------------ receiving

    /// `GET /v1/envelopes`: the queued envelopes, oldest first, checked
    /// and opened. Rejected ones are acked here; received ones are acked
    /// by [`Device::ack`] once handled.
    pub async fn fetch(&mut self, limit: Option<u32>) -> Result<Vec<Incoming>, DeviceError> {
        self.registration()?;
        let path = match limit {
            Some(limit) => format!("/v1/envelopes?limit={limit}"),
            None => "/v1/envelopes".to_owned(),
        };
        let list: EnvelopeList = self.hub.get(&path).await?;
        let mut out = Vec::with_capacity(list.envelopes.len());
        for envelope in &list.envelopes {
            out.push(self.accept(envelope).await?);
        }
        let rejected: Vec<String> = out
            .iter()
            .filter_map(|i| match i {
                Incoming::Rejected(r) => Some(r.meta.id.clone()),
                Incoming::Received(_) => None,
            })
            .collect();
        if !rejected.is_empty() {
            self.post_ack(&rejected).await?;
        }
        Ok(out)
    }

    /// Checks and opens one envelope, looking up its sender's key.
    /// Failing to reach the directory is an error, not a rejection: the
    /// envelope stays queued.
    pub async fn accept(&mut self, envelope: &Envelope) -> Result<Incoming, DeviceError> {
        self.registration()?;
        let key = match &envelope.sender {
            Some(sender)
                if envelope.recipient_device_id == self.registration()?.device_id
                    && !envelope.kind.is_hub_only() =>
            {
                self.sender_key(sender).await?
            }
            _ => None,
        };
        let sender_key = key.as_ref().map_or(SenderKey::Unknown, SenderKey::Device);
        let receiver = self.receiver_mut()?;
        Ok(receiver.check(envelope, sender_key, now_ms()))
    }

    /// `POST /v1/envelopes/ack`: records the received envelopes `ids` in
    /// the replay set (written first, so an ack that is lost cannot bring
    /// one back as new), then deletes them at the hub. Returns how many the
    /// hub deleted.
    pub async fn ack(&mut self, ids: &[String]) -> Result<u64, DeviceError> {
        if ids.is_empty() {
            return Ok(0);
        }
        self.remember(ids)?;
        self.post_ack(ids).await
    }

    async fn post_ack(&self, ids: &[String]) -> Result<u64, DeviceError> {
        let request = AckRequest { ids: ids.to_vec() };
        let answer: AckAnswer =
            self.hub.call(Method::POST, "/v1/envelopes/ack", Some(&request)).await?;
        Ok(answer.deleted)
    }

    /// Writes the replay records of the accepted envelopes `ids`.
    fn remember(&mut self, ids: &[String]) -> Result<(), DeviceError> {
        let records = self.receiver_mut()?.records_for(ids);
        if !records.is_empty() {
            let now = now_ms();
            self.state.update(|data: &mut StateData| -> Result<(), DeviceError> {
                data.replay.extend(records);
                data.prune(now);
                Ok(())
            })?;
        }
        let data = self.state.data().clone();
        let receiver = self.receiver_mut()?;
        receiver.confirm(ids);
        receiver.refresh(&data);
        Ok(())
    }

    fn receiver_mut(&mut self) -> Result<&mut Receiver, DeviceError> {
        let path = self.state.path().to_owned();
        self.receiver.as_mut().ok_or(DeviceError::NotRegistered { path })
    }

    /// `WS /v1/stream`: every queued envelope, then new ones as they come.
    pub async fn listen(&mut self) -> Result<Listener<'_>, DeviceError> {
        self.registration()?;
        let socket = self.hub.websocket("/v1/stream").await?;
        Ok(Listener { device: self, socket })
    }

    // ------------------------------------------------------------ blocks

    /// `PUT /v1/blocks/{phone}`: this handle no longer receives from
    /// `phone` (who sees messages as sent, never delivered).
    pub async fn block(&self, phone: &str) -> Result<(), DeviceError> {
        self.registration()?;
        let path = format!("/v1/blocks/{}", encode_path_segment(phone));
        self.hub.call::<serde_json::Value, ()>(Method::PUT, &path, None).await.map(drop)
    }

    /// `DELETE /v1/blocks/{phone}`.
    pub async fn unblock(&self, phone: &str) -> Result<(), DeviceError> {
        self.registration()?;
        let path = format!("/v1/blocks/{}", encode_path_segment(phone));
        self.hub.call::<serde_json::Value, ()>(Method::DELETE, &path, None).await.map(drop)
    }

    /// `GET /v1/blocks`: the numbers this handle blocks.
    pub async fn blocks(&self) -> Result<Vec<E164>, DeviceError> {
        self.registration()?;
        let list: BlockList = self.hub.get("/v1/blocks").await?;
        Ok(list.blocked)
    }
}

/// Seals and signs `content` for one device.
fn seal_for(
    sender: &Sender,
    device: &DirectoryDevice,
    client_message_id: &str,
    created_at: i64,
    content: &Content,
    signer: &SigningKeyPair,
) -> Result<OutEnvelope, DeviceError> {
    let header = Header {
        sender: Some(sender.clone()),
        recipient_device_id: device.device_id.clone(),
        client_message_id: client_message_id.to_owned(),
        created_at,
        key_id: device.enc_key.key_id,
        kind: content.kind(),
    };
    bubblegate_proto::seal_and_sign(&header, &device.enc_key, content, signer)
        .map_err(|source| DeviceError::Crypto { what: "cannot seal to a recipient device", source })
}

/// `WS /v1/stream`, open: envelopes checked and opened as they come.
pub struct Listener<'a> {
    device: &'a mut Device,
    socket: JsonSocket,
}

impl Listener<'_> {
    /// The next envelope; `None` when the hub closed the stream. Rejected
    /// envelopes are acked here; received ones with [`Listener::ack`].
    pub async fn next(&mut self) -> Option<Result<Incoming, DeviceError>> {
        loop {
            let text = match self.socket.next_text().await? {
                Ok(text) => text,
                Err(e) => return Some(Err(crate::hub::from_client(e))),
            };
            // Frames of types this version does not know are skipped, so
            // that the hub can add some; a bad envelope frame is an error.
            let envelope = match serde_json::from_str::<StreamFrame>(&text) {
                Ok(StreamFrame::Envelope { envelope }) => envelope,
                Ok(_) => continue,
                Err(e) => {
                    let kind = serde_json::from_str::<serde_json::Value>(&text)
                        .ok()
                        .and_then(|v| v.get("type").and_then(|t| t.as_str().map(str::to_owned)));
                    if kind.as_deref() == Some("envelope") || kind.is_none() {
                        return Some(Err(DeviceError::Protocol {
                            url: self.device.hub_url().to_owned(),
                            reason: format!("a stream frame that does not parse: {e}"),
                        }));
                    }
                    continue;
                }
            };
            let incoming = match self.device.accept(&envelope).await {
                Ok(incoming) => incoming,
                Err(e) => return Some(Err(e)),
            };
            if let Incoming::Rejected(rejected) = &incoming {
                if let Err(e) = self.send_ack(vec![rejected.meta.id.clone()]).await {
                    return Some(Err(e));
                }
            }
            return Some(Ok(incoming));
        }
    }

    /// Records the received envelopes `ids` in the replay set, then acks
    /// them on the stream.
    pub async fn ack(&mut self, ids: &[String]) -> Result<(), DeviceError> {
        if ids.is_empty() {
            return Ok(());
        }
        self.device.remember(ids)?;
        self.send_ack(ids.to_vec()).await
    }

    async fn send_ack(&mut self, ids: Vec<String>) -> Result<(), DeviceError> {
        self.socket.send_json(&StreamFrame::Ack { ids }).await.map_err(crate::hub::from_client)
    }

    /// Closes the stream politely.
    pub async fn close(self) {
        self.socket.close().await;
    }
}

/// A fresh client message id: a UUIDv7, unique per device and ordered by
/// time.
pub fn new_message_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Milliseconds since the Unix epoch, by this machine's clock.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
